// Browser tests of navigation, the review before submitting, the waiting
// room and the result on the candidate's page (issue: on a phone the
// navigator came first; every reload returned to question 1; 36 tab stops
// before the first answer and no skip link; a submit dialog Tab escaped,
// Esc did not close, one click submitted with questions unanswered; no
// question count, pass mark or aids in the waiting room, the window's close
// shown as the deadline; no receipt, pass mark, attempts left or retake on a
// fail). The server's clock is fixed (serve --now), so times are pinned to
// the minute: the waiting room's deadline, the receipt's time and the
// earliest retake. Checked at 1366×768 and 390×844; screenshots go to
// build/screenshots/nav-*.png. Prints one line "RESULT passed=N failed=M"
// (tests/run adds it up).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { project, KAOSHI, serve, launch, shot, runSuite, until, check, axe } from "./harness.mjs";

const { WORK, DB } = project("nav");
const NOW = "2027-07-18T09:05:00+08:00";
const DESKTOP = { width: 1366, height: 768 }, PHONE = { width: 390, height: 844 };
const QUESTIONS = 12;

/* Three sections of four questions with long titles, a day's wait before
 * a retake, a calculator and a note. */
fs.writeFileSync(path.join(WORK, "scripts/nav.lua"), `
return certification {
  code = "NAV", title = "导航测试认证", banks = { "nav" },
  duration = "30m", timezone = "+08:00", pass = 60, attempts = 2, retake_wait = "1d", review = "score",
  aids = { calculator = "basic", notes = { "允许使用草稿纸（考场提供）" } },
  sections = {
    { title = "一、呼叫中心服务礼仪与沟通规范（单项选择）", from = { chapter = 1 }, pick = 4, points = 10 },
    { title = "二、服务水平、排班与现场管理指标（单项选择）", from = { chapter = 2 }, pick = 4, points = 10 },
    { title = "三、投诉处理与客户情绪管理案例（单项选择）", from = { chapter = 3 }, pick = 4, points = 10 },
  },
}
`);
let bank = "bank: nav\ntitle: 导航测试题库\nitems:\n";
for (let i = 1; i <= QUESTIONS; i++) {
  bank += `  - id: n-${i}\n    type: single\n    chapter: ${Math.ceil(i / 4)}\n` +
          `    stem: 第 ${i} 道测试题：规范的做法是？\n    options: [先问候, 直接挂机, 让客户等待]\n    answer: 1\n`;
}
fs.writeFileSync(path.join(WORK, "banks/nav.yaml"), bank);

const env = { ...process.env, KAOSHI_DB: DB };
/* The CLI, its clock at now (the server's by default). */
function kaoshiAt(now, ...args) {
  return execFileSync(KAOSHI, args, { cwd: WORK, env: { ...env, KAOSHI_NOW: now }, stdio: "pipe" }).toString();
}
function kaoshi(...args) { return kaoshiAt(NOW, ...args); }
function sql(query) { return execFileSync("sqlite3", [DB, query]).toString().trim(); }

/* Sitting NAME open 09:00 to CLOSES on 2027-07-18 (+08:00) with candidates
 * NUMBERS: their access codes. */
function sitting(name, closes, numbers) {
  kaoshiAt("2027-07-01T00:00:00Z", "sitting", "create", name, "--cert", "scripts/nav.lua", "--opens", "2027-07-18T09:00:00+08:00",
         "--closes", `2027-07-18T${closes}:00+08:00`);
  kaoshi("sitting", "open", name);
  fs.writeFileSync(path.join(WORK, name + ".csv"), numbers.map((n, i) => `${n},考生${i + 1}`).join("\n") + "\n");
  const codes = {};
  for (const line of kaoshi("enroll", name, name + ".csv").split("\n").slice(1))
    if (line) codes[line.split(",")[0]] = line.split(",")[2];
  return codes;
}

let URL_BASE, codes;

async function browser(name, viewport) {
  const { ctx, page } = await launch(WORK, name, viewport);
  page.on("pageerror", (e) => console.error(`[${name}] page error: ${e.message}`));
  return { ctx, page };
}

async function login(page, sittingName, number) {
  await page.goto(`${URL_BASE}/?sitting=${sittingName}`);
  await page.fill("#number", number);
  await page.fill("#code", codes[number].toLowerCase());
  await page.click("button[type=submit]");
  await page.waitForURL("**/exam");
}

async function start(page) {
  await page.getByRole("button", { name: "开始考试" }).click();
  await page.waitForSelector("#pane h2");
}

async function text(page, selector) { return (await page.locator(selector).textContent()).trim(); }
async function focused(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    return { id: a.id, tag: a.tagName, text: a.textContent.trim(), slot: a.dataset.slot, label: a.getAttribute("aria-label") };
  });
}
async function heading(page) { return text(page, "#pane h2"); }

/* The 0-based slot of the current question, from its heading. */
async function onQuestion(page, n) {
  await until(`question ${n} shows`, async () => (await heading(page)).startsWith(`第 ${n} 题`));
}

/* Answers the current question (its first option). */
async function answer(page) {
  await page.locator("#pane input[type=radio]").first().check();
}

function attemptOf(number) {
  return sql(`SELECT a.id FROM attempts a JOIN candidates c ON c.id = a.candidate_id WHERE c.number = '${number}'`);
}

function noAxeFindings(found) {
  check(found.length === 0, "axe: " + found.map((v) => v.summary).join("\n"));
}

const tests = [];
function test(name, f) { tests.push({ name, f }); }

/* One context per viewport for C001, kept across the tests that follow it. */
let desk = null;

test("the waiting room shows the questions, the duration, the pass mark, the aids and the deadline", async () => {
  for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    const { ctx, page } = await browser("waiting-" + size, viewport);
    try {
      await login(page, "s1", "C001");
      await page.getByRole("button", { name: "开始考试" }).waitFor();
      const facts = await text(page, "dl.facts");
      for (const want of ["题目数量共 12 题", "考试时长30 分钟", "及格标准总分达到 60%", "允许使用草稿纸（考场提供）",
                          "考场关闭时间2027-07-18 12:00", "最晚交卷时间2027-07-18 09:35（现在开始作答）"])
        check(facts.includes(want), `the waiting room lacks ${want}: ${facts}`);
      noAxeFindings(await axe(page, "waiting-" + size));
      await shot(page, "nav-waiting-" + size);
      // the window's close comes first: it is the deadline, and says so
      await page.click("#logout");
      await page.waitForURL((u) => !u.pathname.endsWith("/exam"));
      await login(page, "s2", "C101");
      await page.getByRole("button", { name: "开始考试" }).waitFor();
      check((await text(page, "#deadline")) === "2027-07-18 09:20（受考场关闭时间限制）",
            "the close as the deadline: " + await text(page, "#deadline"));
    } finally {
      await ctx.close();
    }
  }
});

test("after 开始考试 the skip link comes first, the navigator is one tab stop moved by arrow keys", async () => {
  desk = await browser("desktop", DESKTOP);
  const page = desk.page;
  await login(page, "s1", "C001");
  await start(page);
  check(await page.locator("#pane").getAttribute("aria-live") === null, "the question pane is a live region");
  await page.keyboard.press("Tab");
  let f = await focused(page);
  check(f.tag === "A" && f.text === "跳到题目", "the first Tab reaches " + JSON.stringify(f));
  await shot(page, "nav-skip-link-desktop");
  await page.keyboard.press("Enter");
  f = await focused(page);
  check(f.id === "question-title" && f.text.startsWith("第 1 题"), "the skip link led to " + JSON.stringify(f));
  // one tab stop: the skip link, the navigator's current question, then the answer
  check(await page.locator("#nav button.q[tabindex='0']").count() === 1, "not one tab stop in the navigator");
  await page.locator("a.skip").focus();
  await page.keyboard.press("Tab");
  f = await focused(page);
  check(f.slot === "0", "the second Tab reaches " + JSON.stringify(f));
  await page.keyboard.press("Tab");
  f = await focused(page);
  check(f.tag === "INPUT" && await page.evaluate(() => document.getElementById("pane").contains(document.activeElement)),
        "the third Tab reaches " + JSON.stringify(f));
  // the arrow keys, Home and End
  await page.locator("#nav button.q").first().focus();
  const moves = [["ArrowRight", "1"], ["ArrowDown", null], ["End", String(QUESTIONS - 1)], ["ArrowRight", String(QUESTIONS - 1)],
                 ["Home", "0"], ["ArrowLeft", "0"]];
  for (const [key, want] of moves) {
    await page.keyboard.press(key);
    f = await focused(page);
    if (key === "ArrowDown") check(Number(f.slot) > 1, "ArrowDown stayed in the row: " + JSON.stringify(f));
    else check(f.slot === want, `${key} went to ${JSON.stringify(f)}`);
    check(await page.locator("#nav button.q[tabindex='0']").count() === 1 &&
          await page.evaluate(() => document.activeElement.tabIndex) === 0, "the tab stop did not follow " + key);
  }
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Enter");
  await onQuestion(page, 3);
  f = await focused(page);
  check(f.id === "question-title", "Enter did not move the focus to the question: " + JSON.stringify(f));
});

test("the header counts answered and flagged questions; states differ by more than colour", async () => {
  const page = desk.page;
  const progress = page.locator("#progress");
  check(await progress.isVisible() && await text(page, "#progress") === "已答 0/12 · 标记 0", "the count: " + await text(page, "#progress"));
  await answer(page);
  await until("the count says 1 answered", async () => await text(page, "#progress") === "已答 1/12 · 标记 0");
  await page.getByRole("button", { name: "下一题" }).click();
  await onQuestion(page, 4);
  await page.getByRole("button", { name: "标记待查" }).click();
  await until("the count says 1 flagged", async () => await text(page, "#progress") === "已答 1/12 · 标记 1");
  const box = await progress.boundingBox();
  check(box && box.y + box.height <= DESKTOP.height && box.x + box.width <= DESKTOP.width, "the count is off screen");
  const q3 = page.locator("#nav button.q").nth(2), q4 = page.locator("#nav button.q").nth(3);
  check(await q3.getAttribute("aria-label") === "第 3 题，已作答", "q3: " + await q3.getAttribute("aria-label"));
  check(await q4.getAttribute("aria-label") === "第 4 题，未作答，已标记", "q4: " + await q4.getAttribute("aria-label"));
  const look = (b, pseudo) => b.evaluate((n, p) => {
    const s = getComputedStyle(n, p);
    return { content: s.content, width: parseFloat(s.width), height: parseFloat(s.height), bg: s.backgroundColor };
  }, pseudo);
  check((await look(q3, "::before")).content.includes("✓"), "an answered question has no check mark");
  check((await look(q4, "::before")).content === "none", "an unanswered question has a mark");
  const flag = await look(q4, "::after");
  check(flag.content.includes("⚑") && flag.width >= 16 && flag.height >= 16, "the flag: " + JSON.stringify(flag));
  check((await look(q3, "")).bg !== (await look(q4, "")).bg, "answered and unanswered look the same");
  await shot(page, "nav-exam-desktop");
});

test("the last question shows again after a reload and a new login", async () => {
  const page = desk.page;
  await page.locator("#nav button.q").nth(6).click();
  await onQuestion(page, 7);
  await page.reload();
  await onQuestion(page, 7);
  await page.click("#logout");
  await page.waitForURL((u) => !u.pathname.endsWith("/exam"));
  await login(page, "s1", "C001");
  await onQuestion(page, 7);
  check((await page.locator("#nav button.q[aria-current=step]").textContent()) === "7", "the navigator's current question");
});

test("on a phone the question comes first and the navigator is a drawer", async () => {
  const { ctx, page } = await browser("phone", PHONE);
  try {
    await login(page, "s1", "C002");
    await start(page);
    check(await page.locator("#nav").isHidden(), "the navigator shows on a phone");
    const title = await page.locator("#question-title").boundingBox();
    check(title.y + title.height < PHONE.height / 2, "the question starts at " + title.y + " px");
    check(await page.locator("#progress").isVisible() && await text(page, "#progress") === "已答 0/12 · 标记 0",
          "the count on a phone");
    const toggle = page.locator("#nav-toggle");
    check(await toggle.textContent() === "题目列表" && await toggle.getAttribute("aria-expanded") === "false", "the toggle");
    await shot(page, "nav-exam-phone");
    await toggle.click();
    check(await toggle.getAttribute("aria-expanded") === "true" && await page.locator("#nav").isVisible(), "the drawer did not open");
    check((await focused(page)).slot === "0", "the focus is not on the current question");
    await shot(page, "nav-drawer-phone");
    await page.keyboard.press("Escape");
    check(await page.locator("#nav").isHidden() && (await focused(page)).id === "nav-toggle", "Esc did not close the drawer");
    await toggle.click();
    await page.locator("#nav button.q").nth(4).click();
    await onQuestion(page, 5);
    check(await page.locator("#nav").isHidden() && await toggle.getAttribute("aria-expanded") === "false",
          "the drawer stays open");
    check((await focused(page)).id === "question-title", "the focus is not on the question");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, "the page is wider than a phone: " + overflow + "px");
  } finally {
    await ctx.close();
  }
});

test("the summary lists every question's state and each leads back to it", async () => {
  const { ctx, page } = desk;
  // question 3 answered, 4 flagged; question 5 answered offline: not saved
  await page.locator("#nav button.q").nth(4).click();
  await onQuestion(page, 5);
  await ctx.setOffline(true);
  await answer(page);
  await until("question 5 shows unsaved", async () => /unsaved/.test(await page.locator("#nav button.q").nth(4).getAttribute("class")));
  await page.click("#submit");
  await until("the summary shows", async () => (await focused(page)).text === "交卷前检查");
  check(await page.locator("#exam").isHidden(), "the question stays beside the summary");
  const rows = await page.locator("#summary tbody tr").evaluateAll((trs) => trs.map((tr) =>
    Array.from(tr.cells).map((c) => c.textContent).join("|")));
  check(rows.length === QUESTIONS, "rows: " + rows.length);
  check(rows[2] === "第 3 题|已作答|" && rows[3] === "第 4 题|未作答|已标记" && rows[4] === "第 5 题|未保存|" &&
        rows[0] === "第 1 题|未作答|", "the states: " + rows.join(" / "));
  check((await text(page, "#summary")).includes("共 12 题 · 已作答 1 · 未作答 10 · 已标记 1 · 未保存 1"),
        "the counts: " + await text(page, "#summary"));
  noAxeFindings(await axe(page, "summary"));
  await shot(page, "nav-summary-desktop");
  await page.setViewportSize(PHONE);
  await shot(page, "nav-summary-phone");
  await page.setViewportSize(DESKTOP);
  await page.getByRole("button", { name: "第 4 题" }).click();
  await onQuestion(page, 4);
  check(await page.locator("#summary").count() === 0 && await page.locator("#exam").isVisible(), "the summary stays");
  check((await focused(page)).id === "question-title", "the focus is not on question 4");
  await ctx.setOffline(false);
  await until("everything is saved", async () => await text(page, "#saving") === "已保存");
});

test("the submit dialog keeps Tab inside, closes on Esc and asks twice with questions unanswered", async () => {
  const page = desk.page;
  await page.click("#submit");
  await page.getByRole("button", { name: "提交并结束" }).click();
  const dialog = page.getByRole("dialog");
  check(await dialog.isVisible(), "no dialog");
  check((await text(page, ".dialog h2")) === "仍有 10 题未作答", "the title: " + await text(page, ".dialog h2"));
  const body = await text(page, ".overlay .dialog-body");
  check(body.includes("未答 10 题：1、2、4、6、7、8、9、10、11、12") && body.includes("标记待查 1 题：4"), "the body: " + body);
  const confirm = page.getByRole("button", { name: "确认交卷" });
  check(await confirm.isDisabled(), "one click submits with questions unanswered");
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press(i % 2 ? "Shift+Tab" : "Tab");
    check(await page.evaluate(() => document.querySelector(".dialog").contains(document.activeElement)),
          "Tab left the dialog: " + JSON.stringify(await focused(page)));
  }
  await shot(page, "nav-confirm-desktop");
  await page.keyboard.press("Escape");
  check(await page.locator(".overlay").count() === 0, "Esc did not close the dialog");
  check((await focused(page)).id === "finish", "the focus did not return: " + JSON.stringify(await focused(page)));
  await page.getByRole("button", { name: "提交并结束" }).click();
  await page.setViewportSize(PHONE);
  await shot(page, "nav-confirm-phone");
  await page.setViewportSize(DESKTOP);
  await page.getByLabel(/我已知晓仍有 10 题未作答/).check();
  check(await confirm.isEnabled(), "the checkbox does not enable 确认交卷");
  await confirm.click();
  await page.waitForSelector("text=您已交卷。");
});

test("the result shows the receipt, then the pass mark, the attempts left and the earliest retake", async () => {
  try {
    await result(desk.page);
  } finally {
    await desk.ctx.close();
  }
});

async function result(page) {
  const id = attemptOf("C001");
  const code = sql(`SELECT receipt FROM attempts WHERE id = ${id}`);
  check(/^[0-9A-F]{8}$/.test(code), "the receipt code: " + code);
  const receipt = await text(page, ".receipt");
  check(receipt.includes("交卷回执") && receipt.includes("交卷时间2027-07-18 09:05") &&
        receipt.includes("已答题目2 / 12 题") && receipt.includes("回执编号" + code), "the receipt: " + receipt);
  kaoshi("sitting", "close", "s1");
  kaoshi("results", "s1", "--publish");
  await page.getByRole("button", { name: "刷新" }).click();
  await page.waitForSelector(".score");
  const score = await text(page, ".score"), next = await text(page, ".next-step");
  check(score.includes("结果：未通过") && score.includes("及格标准：总分达到 60%"), "the score: " + score);
  check(next.includes("已参加 1 次，共可参加 2 次，剩余 1 次。") && next.includes("最早可于 2027-07-19 09:05 起再次参加考试。"),
        "the next step: " + next);
  check(await page.locator(".receipt .code").textContent() === code, "the receipt after publishing");
  const aligned = await page.locator(".score td.num, .score th.num").evaluateAll((cells) =>
    cells.length > 0 && cells.every((c) => getComputedStyle(c).textAlign === "right"));
  check(aligned, "the numbers are not right-aligned");
  noAxeFindings(await axe(page, "result"));
  await shot(page, "nav-result-desktop");
  await page.setViewportSize(PHONE);
  await shot(page, "nav-result-phone");
}

await runSuite(tests, async () => {
  codes = { ...sitting("s1", "12:00", ["C001", "C002"]), ...sitting("s2", "09:20", ["C101"]) };
  const server = await serve(["--now", NOW], { cwd: WORK, env });
  URL_BASE = server.url;
  return server;
}, WORK);
