// Browser tests of the proctor console and the analytics report (issue: a
// candidate offline for 45 s stayed green, extensions and pauses showed
// nowhere, no confirmation, 结束考试 looked like 评分, notes in prompt(),
// marking not anonymous, a report of 2 attempts with no caveat nor pass rate,
// 975 px wide on a phone). Headless Chromium (Debian's /usr/bin/chromium)
// driven by playwright-core against a server of its own with a scratch
// database. Sitting p1 of an eight-candidate roster: P01 paused and resumed
// and paused again (the last by the CLI, which the console hears of through
// the pushed events), P02 extended, P03 never connected, P04 last heard of a
// minute ago and P05 with under 5 minutes left (both started through the
// CLI on a fixed clock in the past: KAOSHI_NOW), P06 and P07 submitted with
// an essay each, P08 taking the exam in a browser (the one green row). At
// 1366x768 and 390x844: the chips, sort by problem, the 事件记录 (extension,
// pause, resume, note), the notice after each action, the note dialog
// keeping the focus, 结束考试 behind the typed name (Esc closes it, the focus
// goes back), marking without candidate number or name, the report's
// caveat and pass rate, no horizontal page scroll on a phone, a chart
// enlarged on a click and shrunk with Esc, numbers right-aligned. Waits on
// conditions, never on durations. Screenshots go to build/screenshots/
// (5x-proctor-*). Prints one line "RESULT passed=N failed=M" (tests/run
// adds it up).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { project, KAOSHI, serve, launch, shot, runSuite, until, check } from "./harness.mjs";

const { WORK, DB } = project("proctor");
const PROCTOR_PW = "correct horse battery";
const WIDE = { width: 1366, height: 768 }, PHONE = { width: 390, height: 844 };
const TZ_MIN = 8 * 60;

fs.writeFileSync(path.join(WORK, "scripts/proctor.lua"), `
return certification {
  code = "PROCTOR", title = "监考台测试", banks = { "proctor" },
  duration = "30m", timezone = "+08:00", pass = 50, shuffle_options = false,
  sections = {
    { title = "一、单选", from = { chapter = 1 }, pick = 2, points = 10, shuffle = false },
    { title = "二、简答", from = { chapter = 2 }, pick = 1, points = 20 },
  },
}
`);
fs.writeFileSync(path.join(WORK, "banks/proctor.yaml"), `bank: proctor
items:
  - id: p-1
    type: single
    chapter: 1
    stem: 一加一等于几？
    options: ["1", "2", "3"]
    answer: 2
  - id: p-2
    type: single
    chapter: 1
    stem: 二加二等于几？
    options: ["3", "4", "5"]
    answer: 2
  - id: p-essay
    type: essay
    chapter: 2
    stem: 请写出处理客户投诉的步骤。
    max_chars: 500
`);

const env = { ...process.env, KAOSHI_DB: DB };
/* The CLI; at (ms since the epoch) fixes its clock there (KAOSHI_NOW). */
function kaoshiAt(at, ...args) {
  return execFileSync(KAOSHI, args, { cwd: WORK, env: at ? { ...env, KAOSHI_NOW: String(at) } : env, stdio: "pipe",
                                      input: args[0] === "proctor" ? PROCTOR_PW : "" }).toString();
}
function kaoshi(...args) { return kaoshiAt(null, ...args); }
function sql(query) { return execFileSync("sqlite3", [DB, query]).toString().trim(); }

const NUMBERS = ["P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08"];
let codes = {}, ids = {}, URL_BASE;

function start(number, at) {
  ids[number] = String(JSON.parse(kaoshiAt(at, "attempt", "start", "p1", number, "--code", codes[number], "--json")).attempt);
  return ids[number];
}

/* A browser whose page errors and console errors are kept in `problems`. */
async function browser(name, viewport = WIDE) {
  const { ctx, page } = await launch(WORK, name, viewport);
  const problems = [];
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
  page.on("dialog", (d) => { problems.push("a native dialog: " + d.message()); d.dismiss(); });
  return { ctx, page, problems };
}

async function openConsole(page, problems) {
  await page.goto(`${URL_BASE}/proctor`);
  await page.fill("#name", "alice");
  await page.fill("#password", PROCTOR_PW);
  await page.click("button[type=submit]");
  await page.getByRole("button", { name: /^p1 · / }).click();
  await page.waitForSelector('tr[data-number="P01"]');
  problems.length = 0; /* the console's own check for a session before the login */
}

function row(page, number) { return page.locator(`table.live tr[data-number="${number}"]`); }
async function chipsOf(page, number) {
  return (await row(page, number).locator(".state .chip:not(.state-name)").allTextContents()).map((t) => t.trim());
}
async function hasChip(page, number, text) { return (await chipsOf(page, number)).includes(text); }
async function notice(page) { return (await page.locator("#notice").textContent()).trim(); }
/* Resolves once the notice line says text (an action's confirmation). */
async function noticeSays(page, text) {
  await until("the notice " + text, async () => await notice(page) === text).catch(async (e) => {
    throw new Error(e.message + "; it says " + JSON.stringify(await notice(page)));
  });
}
async function eventLines(page) { return (await page.locator("ol.events li").allTextContents()).map((t) => t.trim()); }
async function noPageScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}
async function align(locator) { return locator.evaluate((n) => getComputedStyle(n).textAlign); }

/* "HH:MM:SS" of ms in the sitting's zone (+08:00). */
function clockAt(ms) { return new Date(ms + TZ_MIN * 60000).toISOString().slice(11, 19); }
/* An ISO time msFromNow from now in +08:00, the zone the sitting takes. */
function cst(msFromNow) { return new Date(Date.now() + msFromNow + TZ_MIN * 60000).toISOString().slice(0, 19) + "+08:00"; }

const tests = [];
function test(name, f) { tests.push({ name, f }); }

let candidate = null; /* P08's browser, taking the exam until the sitting ends */

test("the chips say who needs a look, sorted by problem first (1366x768)", async () => {
  candidate = await browser("p08");
  const c = candidate.page;
  await c.goto(`${URL_BASE}/?sitting=p1`);
  await c.fill("#number", "P08");
  await c.fill("#code", codes.P08.toLowerCase());
  await c.click("button[type=submit]");
  await c.waitForURL("**/exam");
  await c.getByRole("button", { name: "开始考试" }).click();
  await c.waitForSelector("#nav button.q");

  const { ctx, page, problems } = await browser("proctor-wide");
  try {
    await openConsole(page, problems);
    await until("the chips show", async () => await hasChip(page, "P03", "从未连接") && await hasChip(page, "P04", "离线"));
    check(await hasChip(page, "P05", "< 5 分钟"), "P05: " + await chipsOf(page, "P05"));
    const seen = await row(page, "P04").locator("td").nth(3).textContent();
    check(/^\d+ 秒前$|^\d+ 分钟前$/.test(seen) && seen !== "0 秒前", "P04 last seen: " + seen);
    // green only for the one with nothing wrong; the others say what is wrong in words
    await until("P08 shows green", async () => await row(page, "P08").locator(".chip.state-name.ok").count() === 1);
    check((await chipsOf(page, "P08")).length === 0, "P08: " + await chipsOf(page, "P08"));
    for (const n of ["P04", "P05"])
      check(await row(page, n).locator(".chip.state-name.ok").count() === 0, n + " looks green");
    // a running attempt past its deadline is never green (judged at the server's time)
    const late = await page.evaluate(() => {
      const live = { server_now: 1e12, sitting: { state: "open", opens_at: 0, closes_at: 2e12 } };
      return PC.status.chips({ state: "running", time_left_ms: -1000, last_seen: 1e12 - 1000 }, live).map((x) => x.text);
    });
    check(late.join() === "已到时", "past the deadline: " + late);

    // actions on the row, each confirmed in the notice line
    await page.fill('input[aria-label="P02 延长分钟数"]', "10");
    await page.getByRole("button", { name: "为 P02 延时" }).click();
    await noticeSays(page, "已为 P02（考生2）延长 10 分钟");
    await until("P02 shows +10 分钟", async () => await hasChip(page, "P02", "+10 分钟"));
    await page.getByRole("button", { name: "暂停 P01" }).click();
    await noticeSays(page, "已暂停 P01（考生1）的考试");
    await until("P01 shows paused", async () => await row(page, "P01").locator(".chip.state-name.paused").count() === 1);
    check((await row(page, "P01").locator(".state").textContent()).includes("已暂停"), "P01's state in words");
    await page.getByRole("button", { name: "恢复 P01" }).click();
    await noticeSays(page, "已恢复 P01（考生1）的考试");
    // a pause made elsewhere (the CLI) reaches the console by itself
    kaoshi("proctor", "pause", ids.P01);
    await until("the CLI's pause shows", async () => await row(page, "P01").locator(".chip.state-name.paused").count() === 1);

    // a note, in a dialog that keeps the focus
    await page.getByRole("button", { name: "为 P04 添加备注" }).click();
    const dialog = page.getByRole("dialog", { name: "为 P04（考生4）记录事件" });
    await dialog.waitFor();
    check(await page.evaluate(() => document.activeElement.id) === "note-text", "the note's text has no focus");
    const save = dialog.getByRole("button", { name: "保存备注" });
    check(await save.isDisabled(), "an empty note can be saved");
    await page.keyboard.type("离开座位 2 分钟");
    check(await save.isEnabled(), "the note cannot be saved");
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press("Tab");
      check(await page.evaluate(() => !!document.activeElement.closest(".dialog")), "Tab left the dialog");
    }
    await page.keyboard.press("Shift+Tab");
    check(await page.evaluate(() => !!document.activeElement.closest(".dialog")), "Shift+Tab left the dialog");
    await shot(page, "50-proctor-note-dialog");
    await save.click();
    await noticeSays(page, "已为 P04（考生4）记录备注");

    // 事件记录: newest first, with who and how much, at the sitting's time
    await until("the log lists the actions", async () => {
      const lines = await eventLines(page);
      return lines.some((l) => l.endsWith("alice 为 P04（考生4）记录：离开座位 2 分钟")) &&
        lines.some((l) => l.endsWith("命令行 暂停了 P01（考生1）的考试"));
    });
    const lines = await eventLines(page);
    const extend = lines.find((l) => l.includes("延长"));
    check(extend && extend.endsWith("alice 为 P02（考生2）延长 10 分钟"), "the extension: " + lines.join(" | "));
    const at = Number(sql("SELECT at FROM audit WHERE action = 'attempt.extend'"));
    const zone = Number(sql("SELECT tz_offset_min FROM sittings WHERE name = 'p1'"));
    check(zone === TZ_MIN && extend.includes(clockAt(at)), "the extension's time in +08:00 (" + clockAt(at) + "): " + extend);
    const lineOf = (text) => lines.findIndex((l) => l.includes(text));
    const cliPause = lineOf("命令行 暂停了 P01（考生1）的考试"), resume = lineOf("alice 恢复了 P01（考生1）的考试"),
          pause = lineOf("alice 暂停了 P01（考生1）的考试");
    check(cliPause >= 0 && resume > cliPause && pause > resume, "pause and resume, newest first: " + lines.join(" | "));
    check(lines[0].endsWith("记录：离开座位 2 分钟"), "the newest line first: " + lines[0]);

    // numbers right-aligned
    check(await align(row(page, "P02").locator("td.num").first()) === "right", "the time left is not right-aligned");
    check(await align(page.locator("table.live thead th.num").first()) === "right", "a number's header is not right-aligned");

    // sort by problem: the rows that need a look first, the rest after
    await page.getByRole("button", { name: "按问题" }).click();
    check(await page.getByRole("button", { name: "按问题" }).getAttribute("aria-pressed") === "true", "按问题 not pressed");
    const order = await page.locator("table.live tbody tr").evaluateAll((rows) => rows.map((r) => ({
      number: r.dataset.number,
      problem: Array.from(r.querySelectorAll(".chip")).some((c) => /paused|offline|late|low|never/.test(c.className)),
    })));
    const firstCalm = order.findIndex((r) => !r.problem);
    check(firstCalm > 0 && order.slice(firstCalm).every((r) => !r.problem),
          "problem rows first: " + order.map((r) => r.number + (r.problem ? "!" : "")).join(" "));
    check(order[0].number === "P01", "the paused row first: " + order.map((r) => r.number).join(" "));
    /* paused; offline (P02 too: no page of its own); offline and under 5 minutes; never connected; the rest */
    check(order.map((r) => r.number).join() === "P01,P02,P04,P05,P03,P06,P07,P08",
          "by problem, each group in the roster's order: " + order.map((r) => r.number).join(" "));
    await shot(page, "51-proctor-console-1366");
    check(problems.length === 0, "problems on the page:\n" + problems.join("\n"));
  } finally {
    await ctx.close();
  }
});

test("the console reads on a phone (390x844)", async () => {
  const { ctx, page, problems } = await browser("proctor-phone", PHONE);
  try {
    await openConsole(page, problems);
    await until("the chips show", async () => await hasChip(page, "P03", "从未连接") && await hasChip(page, "P04", "离线"));
    for (const [n, chip] of [["P02", "+10 分钟"], ["P05", "< 5 分钟"]])
      check(await hasChip(page, n, chip), n + ": " + await chipsOf(page, n));
    check(await row(page, "P01").locator(".chip.state-name.paused").isVisible(), "P01's 已暂停 is not visible");
    check(await noPageScroll(page), "the page scrolls sideways");
    // the table scrolls in its own box with the candidate kept in view
    const wrap = page.locator(".live-wrap");
    check(await wrap.evaluate((n) => n.scrollWidth > n.clientWidth), "the live table fits: nothing to test");
    await wrap.evaluate((n) => { n.scrollLeft = n.scrollWidth; });
    const who = row(page, "P04").locator("th.who");
    const box = await who.boundingBox(), outer = await wrap.boundingBox();
    check(box && Math.abs(box.x - outer.x) < 2, "the candidate column scrolled away: " + JSON.stringify([box, outer]));
    const actions = row(page, "P04").getByRole("button", { name: "为 P04 添加备注" });
    await actions.scrollIntoViewIfNeeded();
    check(await actions.isVisible(), "the row's actions cannot be reached");
    await wrap.evaluate((n) => { n.scrollLeft = 0; });
    await shot(page, "52-proctor-console-390");
    check(problems.length === 0, "problems on the page:\n" + problems.join("\n"));
  } finally {
    await ctx.close();
  }
});

test("结束考试 is a danger button behind the sitting's name typed", async () => {
  const { ctx, page, problems } = await browser("proctor-close");
  try {
    await openConsole(page, problems);
    const end = page.getByRole("button", { name: "结束考试" });
    check(await end.evaluate((n) => n.classList.contains("danger")), "结束考试 is not in the danger style");
    const colours = await page.evaluate(() => Array.from(document.querySelectorAll(".sitting-actions button"))
      .filter((b) => b.textContent === "结束考试" || b.textContent === "评分")
      .map((b) => b.textContent + " " + getComputedStyle(b).backgroundColor));
    check(colours.length === 2 && colours[0].split(" ")[1] !== colours[1].split(" ")[1] &&
          colours.some((c) => c === "结束考试 rgb(180, 35, 24)"), "结束考试 looks like 评分: " + colours.join(" | "));
    await end.focus();
    await end.click();
    const dialog = page.getByRole("dialog", { name: "结束考试" });
    await dialog.waitFor();
    const confirm = dialog.getByRole("button", { name: "结束考试" });
    check(await confirm.isDisabled(), "the dialog's 结束考试 is enabled before the name is typed");
    await page.keyboard.type("p2");
    check(await confirm.isDisabled(), "a wrong name enables it");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    check(await page.evaluate(() => document.activeElement.textContent) === "结束考试", "the focus is not back on 结束考试");
    check(sql("SELECT state FROM sittings WHERE name = 'p1'") === "1", "Esc closed the sitting"); /* 1: open */

    await end.click();
    await dialog.waitFor();
    await page.fill("#confirm-name", "p1");
    check(await confirm.isEnabled(), "the right name does not enable it");
    await shot(page, "53-proctor-end-sitting-dialog");
    await confirm.click();
    await until("the end is confirmed", async () => /^考试已结束，\d+ 位考生被收卷$/.test(await notice(page)));
    check(sql("SELECT state FROM sittings WHERE name = 'p1'") === "2", "the sitting is not closed"); /* 2: closed */
    await until("the log says so", async () => (await eventLines(page)).some((l) => l.endsWith("alice 结束考试")));
    check(problems.length === 0, "problems on the page:\n" + problems.join("\n"));
  } finally {
    await ctx.close();
    await candidate.ctx.close();
  }
});

test("marking is blind: answers under labels, no candidate number or name", async () => {
  const { ctx, page, problems } = await browser("proctor-marking");
  try {
    await openConsole(page, problems);
    await page.getByRole("button", { name: "阅卷" }).click();
    await page.waitForSelector("text=考生答案：");
    const items = page.locator("ol.marking > li");
    check(await items.count() === 2, "waiting essays: " + await items.count());
    const text = await page.locator("main").textContent();
    check(!/P0\d|考生\d/.test(text), "the marking page names a candidate: " + text);
    /* nor does what the server sends the page */
    const sent = await (await page.request.get(URL_BASE + "/api/sittings/p1/marking")).text();
    check(!/P0\d|考生\d|"candidate"/.test(sent), "the marking list names a candidate: " + sent);
    const labels = await items.evaluateAll((li) => li.map((n) => n.dataset.label));
    check(labels.every((l) => /^A-\d+$/.test(l)) && new Set(labels).size === 2, "labels: " + labels);
    // the visible text is part of the button's name
    check(await page.getByRole("button", { name: /^保存评分/ }).count() === 2, "保存评分's name does not start with its text");
    await shot(page, "54-proctor-marking");
    for (let left = 2; left > 0; left--) {
      /* the good answer (P06's) gets full marks, the other none */
      const label = await items.first().getAttribute("data-label");
      const points = (await items.first().locator(".response").textContent()).includes("倾听") ? "20" : "0";
      await items.first().locator('input[aria-label$=" 得分"]').fill(points);
      await items.first().getByRole("button", { name: /^保存评分/ }).click();
      await noticeSays(page, `已保存答卷 ${label} 第 3 题的评分：${points} 分`);
      await until("the list is drawn again without it", async () => await items.count() === left - 1);
    }
    await page.waitForSelector("text=没有待阅的答卷。");
    check(problems.length === 0, "problems on the page:\n" + problems.join("\n"));
  } finally {
    await ctx.close();
  }
});

for (const [size, viewport, name] of [["1366x768", WIDE, "55-proctor-report-1366"], ["390x844", PHONE, "56-proctor-report-390"]]) {
  test(`the report of a small sitting says so, with the pass rate, and reads at ${size}`, async () => {
    kaoshi("grade", "p1");
    const { ctx, page, problems } = await browser("report-" + size, viewport);
    try {
      await openConsole(page, problems);
      await page.goto(`${URL_BASE}/proctor/sittings/p1/report`);
      await page.waitForSelector("h1 >> text=考试分析报告");
      const caveat = await page.locator(".caveat").textContent();
      check(caveat.startsWith("样本量小（7 份作答，少于 30 份）") && caveat.includes("KR-20") &&
            caveat.includes("需要关注的题目"), "the caveat: " + caveat);
      const pass = await page.locator("table.figures tr", { hasText: "通过率" }).textContent();
      check(pass === "通过率14.29%（1 / 7 通过；及格线 50%）", "the pass rate: " + pass);
      check(await noPageScroll(page), "the report scrolls sideways at " + size);
      check(await align(page.locator("#items table td:not(.text)").first()) === "right", "the item table's numbers");
      check(await align(page.locator("table.figures td").first()) === "right", "the figures' numbers");
      await shot(page, name);

      const chart = page.locator("#chart-histogram");
      const before = (await chart.locator("svg").boundingBox()).width;
      await chart.locator("button.chart-zoom").click();
      await until("the chart is enlarged", async () => await chart.evaluate((n) => n.matches(":popover-open")));
      const after = (await chart.locator("svg").boundingBox()).width;
      check(after >= Math.min(720, viewport.width - 40) && after > before, "enlarged from " + before + " to " + after);
      await shot(page, name + "-chart");
      await page.keyboard.press("Escape");
      await until("Esc shrinks it", async () => !await chart.evaluate((n) => n.matches(":popover-open")));
      check(problems.length === 0, "problems on the page:\n" + problems.join("\n"));
    } finally {
      await ctx.close();
    }
  });
}

await runSuite(tests, async () => {
  kaoshi("sitting", "create", "p1", "--cert", "scripts/proctor.lua", "--opens", cst(-2 * 3600000), "--closes", cst(2 * 3600000));
  kaoshi("sitting", "open", "p1");
  fs.writeFileSync(path.join(WORK, "roster.csv"), NUMBERS.map((n, i) => `${n},考生${i + 1}`).join("\n") + "\n");
  for (const line of kaoshi("enroll", "p1", "roster.csv").split("\n").slice(1))
    if (line) codes[line.split(",")[0]] = line.split(",")[2];
  const now = Date.now();
  start("P01");
  start("P02");
  // last heard of a minute ago; under 5 minutes left (4.5 of 30)
  kaoshiAt(now - 60000, "attempt", "answer", start("P04", now - 60000), "1", JSON.stringify({ choice: 2 }));
  start("P05", now - 25.5 * 60000);
  for (const [n, essay] of [["P06", "先倾听，再致歉，然后解决并跟进。"], ["P07", "不知道。"]]) {
    const id = start(n);
    kaoshi("attempt", "answer", id, "1", JSON.stringify({ choice: 2 }));
    kaoshi("attempt", "answer", id, "2", JSON.stringify({ choice: n === "P06" ? 2 : 1 }));
    kaoshi("attempt", "answer", id, "3", JSON.stringify({ text: essay }));
    kaoshi("attempt", "submit", id);
  }
  kaoshi("proctor", "add", "alice");
  const server = await serve([], { cwd: WORK, env });
  URL_BASE = server.url;
  return server;
}, WORK);
