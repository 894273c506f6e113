// Browser tests of time, pushed events and going offline on the candidate's
// page (issue: no time warnings, a 10 s poll for proctors' actions, flags
// undone offline): on a short exam the warnings at 5 and 1 minutes show as
// a banner that is an assertive live region, the last minute is counted
// down on screen and the page submits itself at the deadline; the timer
// can be hidden, and stays hidden after a reload; a proctor's pause reaches
// the page within 2 s (the long poll), the page behind the pause is inert,
// resume and extension are announced; offline, an unsent answer shows
// 未保存 (not answered), a flag stays set and is sent when the network is
// back, at once on `online` (the page's timers are frozen, so no backoff
// timer can be what sends it), and the network notice goes. Deadlines are
// the server's real ones (sittings closing seconds from now); conditions
// are waited on, never durations. Prints one line "RESULT passed=N
// failed=M" (tests/run adds it up).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { project, KAOSHI, serve, launch, shot, runSuite, until, check, openSitting as openSittingOf } from "./harness.mjs";

const { WORK, DB } = project("time");

fs.writeFileSync(path.join(WORK, "scripts/time.lua"), `
return certification {
  code = "TIME", title = "计时测试认证", banks = { "time" },
  duration = "6m", timezone = "+08:00", pass = 60, attempts = 1, review = "full",
  sections = { { title = "全部", from = {}, pick = 3, points = 10 } },
}
`);
fs.writeFileSync(path.join(WORK, "banks/time.yaml"), `bank: time
title: 计时测试题库
items:
  - id: t-1
    type: single
    stem: 接听来电时，规范的开场白是：
    options: [您好，工号 1001 为您服务, 喂？, 什么事？]
    answer: 1
  - id: t-2
    type: single
    stem: 通话结束时应当：
    options: [等客户先挂机, 立即挂机]
    answer: 1
  - id: t-3
    type: single
    stem: 客户情绪激动时，首先应当：
    options: [安抚情绪, 解释规定, 转接他人]
    answer: 1
`);

const env = { ...process.env, KAOSHI_DB: DB };
function kaoshi(...args) {
  return execFileSync(KAOSHI, args, { cwd: WORK, env, stdio: "pipe" }).toString();
}
function sql(query) { return execFileSync("sqlite3", [DB, query]).toString().trim(); }

let URL_BASE;

/* A sitting of TIME open until closesIn ms from now, with one candidate:
 * its access code. The deadline of a 6-minute exam started in it is the
 * window's close when that is sooner. */
function sittingClosingIn(name, number, closesIn) {
  return openSittingOf(kaoshi, WORK, name, "scripts/time.lua", [number], closesIn)[number];
}

async function browser(name) {
  const { ctx, page } = await launch(WORK, name);
  page.on("pageerror", (e) => console.error(`[${name}] page error: ${e.message}`));
  return { ctx, page };
}

/* Logs number in to sitting and starts the exam; resolves to the attempt's
 * id once the page waits in its long poll of events. */
async function begin(page, sitting, number, code) {
  await page.goto(`${URL_BASE}/?sitting=${sitting}`);
  await page.fill("#number", number);
  await page.fill("#code", code.toLowerCase());
  await page.click("button[type=submit]");
  await page.waitForURL("**/exam");
  const polling = page.waitForRequest((r) => /\/events\?after=\d+$/.test(r.url()));
  await page.getByRole("button", { name: "开始考试" }).click();
  await page.waitForSelector("#nav button.q");
  await polling;
  return sql(`SELECT id FROM attempts WHERE candidate_id = (SELECT id FROM candidates WHERE number = '${number}')`);
}

async function text(page, selector) { return (await page.locator(selector).textContent()).trim(); }

/* The banner: shown, and the assertive live region that says it. */
async function banner(page) {
  const b = page.locator("#time-alert");
  check(await b.getAttribute("role") === "alert", "the banner is not an assertive live region");
  return (await b.textContent()).trim();
}

async function bannerSays(page, want, ms) {
  await until(`the banner says ${want}`, async () => await banner(page) === want, ms);
  check(await page.locator("#time-alert").isVisible(), "the banner is not visible");
}

function secondsLeft(t) { /* "剩余 29:59" or "已暂停 · 1:05:00" */
  return t.replace(/^\D+/, "").split(":").map(Number).reduce((a, b) => a * 60 + b, 0);
}

const tests = [];
function test(name, f) { tests.push({ name, f }); }

/* The 5-minute warning, with the timer hidden: it shows all the same. */
async function fiveMinutes() {
  const code = sittingClosingIn("t5", "T501", 5 * 60000 + 25000);
  const { ctx, page } = await browser("t501");
  try {
    await begin(page, "t5", "T501", code);
    check(/^还剩 5 分 \d+ 秒$/.test(await banner(page)), "the time left is not said at load: " + await banner(page));
    check(await page.locator("#clock").getAttribute("aria-live") === "off", "the clock is a live region");
    await page.getByRole("button", { name: "隐藏计时" }).click();
    check(await page.locator("#clock").isHidden(), "the timer is not hidden");
    check(await page.locator("#clock-toggle").getAttribute("aria-pressed") === "true", "the hide button is not pressed");
    await bannerSays(page, "还剩 5 分钟", 60000);
    check(await page.locator("#clock").isHidden(), "the warning showed the hidden timer");
    await shot(page, "70-time-5-minutes-timer-hidden");
    await page.reload();
    await page.waitForSelector("#nav button.q");
    check(await page.locator("#clock").isHidden(), "the hidden timer shows again after a reload");
    /* to the second, rounded up as the clock is */
    check(/^还剩 (4 分 \d+ 秒|5 分钟)$/.test(await banner(page)), "the time left is not said after the reload: " + await banner(page));
    await page.getByRole("button", { name: "显示计时" }).click();
    check(await page.locator("#clock").isVisible(), "the timer does not show again");
    check(await page.locator("#clock-toggle").getAttribute("aria-pressed") === "false", "the hide button stays pressed");
    check(/^剩余 0[45]:\d\d$/.test(await text(page, "#clock")), "the clock: " + await text(page, "#clock"));
  } finally {
    await ctx.close();
  }
}

/* The 1-minute warning and the final countdown. */
async function oneMinute() {
  const code = sittingClosingIn("t1", "T101", 60000 + 25000);
  const { ctx, page } = await browser("t101");
  try {
    await begin(page, "t1", "T101", code);
    check(await page.locator("#countdown").isHidden(), "the final countdown shows before the last minute");
    await bannerSays(page, "还剩 1 分钟，时间到将自动交卷", 60000);
    await until("the final countdown counts seconds", async () =>
      /^还剩 \d+ 秒，时间到将自动交卷$/.test(await text(page, "#countdown")));
    check(await page.locator("#countdown").isVisible(), "the final countdown is not visible");
    await shot(page, "71-time-final-countdown");
  } finally {
    await ctx.close();
  }
}

/* The countdown down to the automatic submission at the deadline. */
async function deadline() {
  const code = sittingClosingIn("t0", "T001", 25000);
  const { ctx, page } = await browser("t001");
  try {
    const id = await begin(page, "t0", "T001", code);
    check(/^还剩 \d+ 秒，时间到将自动交卷$/.test(await banner(page)), "the time left at load: " + await banner(page));
    await page.locator("#pane input[value='1']").check();
    const seconds = async () => Number((await text(page, "#countdown")).match(/^还剩 (\d+) 秒/)[1]);
    const first = await seconds();
    await until("the countdown goes down", async () => await seconds() < first);
    await page.waitForSelector("text=考试时间到，系统已自动交卷。", { timeout: 40000 });
    check(await page.locator("#countdown").isHidden() && await page.locator("#clock-toggle").count() === 0,
          "the countdown or the timer's button outlived the exam");
    check(sql(`SELECT finish_reason FROM attempts WHERE id = ${id}`) === "deadline", "not finished at the deadline");
    check(sql(`SELECT count(DISTINCT slot) FROM answers WHERE attempt_id = ${id}`) === "1", "the answer given before the deadline was lost");
  } finally {
    await ctx.close();
  }
}

test("a short exam warns at 5 and 1 minutes, counts the last minute down and submits itself; the timer hides", async () => {
  /* side by side, as each waits for its own deadline; every one settles
   * before the test fails, so that none outlives its server */
  const failed = (await Promise.allSettled([fiveMinutes(), oneMinute(), deadline()]))
    .filter((r) => r.status === "rejected");
  if (failed.length) throw failed[0].reason;
});

test("a proctor's pause reaches the page within 2 s and makes it inert; resume and extension are announced", async () => {
  const code = sittingClosingIn("tp", "P001", 2 * 3600 * 1000);
  const { ctx, page } = await browser("p001");
  try {
    const id = await begin(page, "tp", "P001", code);
    await page.locator("#pane input[value='1']").focus();
    kaoshi("proctor", "pause", id);
    /* the issue's own bar: the long poll makes it a fraction of it */
    await page.waitForSelector(".overlay >> text=考试已暂停", { timeout: 2000 });
    await shot(page, "72-time-paused");
    check(await page.evaluate(() => document.getElementById("app").inert), "the page behind the pause is not inert");
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press("Tab");
      check(await page.evaluate(() => !document.activeElement.closest("#app, header")),
            "Tab reaches the page behind the pause: " + await page.evaluate(() => document.activeElement.outerHTML));
    }
    await until("the clock stands", async () => (await text(page, "#clock")).startsWith("已暂停"));

    kaoshi("proctor", "resume", id);
    await page.waitForSelector(".overlay", { state: "detached", timeout: 2000 });
    await bannerSays(page, "考试已恢复，计时继续");
    await until("the clock runs again", async () => (await text(page, "#clock")).startsWith("剩余"));

    const before = secondsLeft(await text(page, "#clock"));
    kaoshi("proctor", "extend", id, "10m");
    await bannerSays(page, "监考老师为您延长了 10 分钟");
    await until("the clock has 10 more minutes", async () => secondsLeft(await text(page, "#clock")) > before + 9 * 60);
    await shot(page, "73-time-extended");
  } finally {
    await ctx.close();
  }
});

test("offline: an unsent answer shows 未保存, a flag stays set; both go at once on online; the notice goes", async () => {
  const code = sittingClosingIn("to", "O001", 2 * 3600 * 1000);
  const { ctx, page } = await browser("o001");
  try {
    await page.clock.install();
    const id = await begin(page, "to", "O001", code);
    /* from here no timer of the page fires: only the online event can resend */
    await page.clock.pauseAt(await page.evaluate(() => Date.now()) + 1000);
    let failed = 0;
    page.on("requestfailed", (r) => { if (/\/(answers|flags)\/0$/.test(r.url())) failed++; });
    await ctx.setOffline(true);
    await page.locator("#pane input[value='2']").check();
    await page.click("#flag");
    await until("the answer and the flag failed to go", async () => failed === 2);
    const q1 = page.locator("#nav button.q").first();
    await until("the navigator shows question 1 unsaved", async () =>
      /\bunsaved\b/.test(await q1.getAttribute("class")));
    check(!/\banswered\b/.test(await q1.getAttribute("class")), "an unsent answer shows as answered");
    check(await q1.getAttribute("title") === "未保存" && (await q1.getAttribute("aria-label")).includes("未保存"),
          "question 1 does not say 未保存: " + await q1.getAttribute("aria-label"));
    check(/\bflagged\b/.test(await q1.getAttribute("class")), "the flag set offline was undone");
    check(await page.locator("#flag").getAttribute("aria-pressed") === "true", "the flag button says unflagged");
    const kept = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), "ks-pending-" + id));
    check(JSON.stringify(kept.flags) === JSON.stringify([{ slot: 0, flagged: true }]), "the flag is not kept: " + JSON.stringify(kept));
    check((await text(page, "#notice")).startsWith("网络中断"), "no network notice: " + await text(page, "#notice"));
    check((await text(page, "#saving")).startsWith("网络中断"), "the header: " + await text(page, "#saving"));
    await shot(page, "74-time-offline");
    check(sql(`SELECT count(*) FROM answers WHERE attempt_id = ${id}`) === "0" &&
          sql(`SELECT count(*) FROM flags WHERE attempt_id = ${id}`) === "0", "the server has them while offline");

    await ctx.setOffline(false);
    await until("the server has the answer and the flag", async () =>
      sql(`SELECT count(*) FROM answers WHERE attempt_id = ${id}`) === "1" &&
      sql(`SELECT group_concat(slot) FROM flags WHERE attempt_id = ${id}`) === "0");
    await until("the page says saved", async () => await text(page, "#saving") === "已保存");
    await until("the navigator shows question 1 answered", async () =>
      /\banswered\b/.test(await q1.getAttribute("class")) && !/\bunsaved\b/.test(await q1.getAttribute("class")));
    check(await page.locator("#notice").isHidden(), "the network notice stays: " + await text(page, "#notice"));
    check(!(await page.locator("body").textContent()).includes("网络中断"), "网络中断 is still shown");
    check(!JSON.parse(await page.evaluate((k) => localStorage.getItem(k), "ks-pending-" + id)).flags,
          "the sent flag is still queued");
    await page.clock.resume();
  } finally {
    await ctx.close();
  }
});

await runSuite(tests, async () => {
  const server = await serve([], { cwd: WORK, env });
  URL_BASE = server.url;
  return server;
}, WORK);
