// Browser tests of kaoshi serve: headless Chromium (Debian's /usr/bin/chromium)
// driven by playwright-core. The test starts its own server on a free
// loopback port with a scratch database and a certification of its own (one
// item of every built-in question type, calculated ones with a data table and
// a control chart, one stem that tries to inject HTML),
// then: a candidate logs in, answers every question type, reloads and finds
// the answers, submits with a summary; another is submitted automatically at
// a short deadline; a proctor extends and pauses a candidate's time and the
// candidate's page shows it; a candidate's extra time shows in the waiting
// room, the countdown and the console, markers' comments in the review.
// Screenshots go to build/screenshots/. Prints one line "RESULT passed=N
// failed=M" (tests/run adds it up).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { project, ROOT, KAOSHI, serve, launch, shot, runSuite, until, check, openSitting as openSittingOf } from "./harness.mjs";

const { WORK, DB } = project("browser");
const PROCTOR_PW = "correct horse battery";

fs.cpSync(path.join(ROOT, "scripts/lib"), path.join(WORK, "scripts/lib"), { recursive: true });
fs.writeFileSync(path.join(WORK, "scripts/browser.lua"), `
return certification {
  code = "BROWSER", title = "浏览器测试认证", banks = { "browser" },
  duration = "20m", timezone = "+08:00", pass = 60, attempts = 1, review = "full",
  generators = require "ccom_generators",
  sections = {
    { title = "一、选择、判断与匹配", from = { chapter = 1 }, pick = 4, points = 10 },
    { title = "二、填空、数值与排序", from = { chapter = 2 }, pick = 3, points = 10 },
    { title = "三、简答", from = { chapter = 3 }, pick = 1, points = 10 },
    { title = "四、计算", from = { chapter = 4 }, pick = 2, points = 10 },
  },
}
`);
fs.writeFileSync(path.join(WORK, "banks/browser.yaml"), `bank: browser
title: 浏览器测试题库
items:
  - id: b-single
    type: single
    chapter: 1
    topic: 礼仪
    stem: '<img src=x onerror="window.injected=1">接听来电时，规范的开场白是：'
    options: ['<b>您好</b>，工号 1001 为您服务', '喂？', '什么事？']
    answer: 1
    explanation: 先问候并自报工号。
  - id: b-multiple
    type: multiple
    chapter: 1
    topic: 倾听
    stem: 以下哪些做法属于积极倾听？
    options: [复述关键信息, 打断客户, 适时回应]
    answer: [1, 3]
  - id: b-true-false
    type: true_false
    chapter: 1
    topic: 礼仪
    stem: 通话结束时应等客户先挂机。
    answer: true
  - id: b-matching
    type: matching
    chapter: 1
    topic: 指标
    stem: 请将指标与其含义配对：
    pairs: [[AHT, 平均处理时长], [FCR, 首次解决率], [CSAT, 客户满意度]]
  - id: b-fill
    type: fill
    chapter: 2
    topic: 指标
    stem: 在目标时间内接通的来电占全部来电的比例称为______。
    answers: [[服务水平, 服务水准]]
  - id: b-numeric
    type: numeric
    chapter: 2
    topic: 指标
    stem: 400 个来电中 320 个在 20 秒内接通，服务水平是多少（%）？
    answer: 80
    tolerance: 0.5
    unit: "%"
  - id: b-ordering
    type: ordering
    chapter: 2
    topic: 流程
    stem: 请按正确顺序排列处理客户问题的步骤：
    items: [倾听并确认问题, 分析原因, 提出解决方案, 跟进并确认结果]
  - id: b-essay
    type: essay
    chapter: 3
    topic: 案例
    stem: 客户第三次来电投诉同一问题，请写出你的处理思路。
    max_chars: 500
  - id: b-calc-number
    type: calculated
    chapter: 4
    topic: 话务模型
    stem: 下表是过去 {n} 周{weekday} {slot} 的来电量。用{sd_name}计算该时段来电量的离散系数（%，保留两位小数）。
    generator: cv
    unit: "%"
  - id: b-calc-points
    type: calculated
    chapter: 4
    topic: 控制图
    stem: 下图是某班组连续 {n} 天{metric}的单值控制图（CL = {center} 秒，σ = {sigma} 秒）。请按 6-8-1-3-5 判异准则找出所有异常点。
    generator: xmr
    params: { n: 20 }
`);

const env = { ...process.env, KAOSHI_DB: DB };
function kaoshi(...args) {
  return execFileSync(KAOSHI, args, { cwd: WORK, env, stdio: "pipe",
                                      input: args[0] === "proctor" ? PROCTOR_PW : "" }).toString();
}
function sql(query) { return execFileSync("sqlite3", [DB, query]).toString().trim(); }

/* A sitting of BROWSER open now until closesIn ms from now; returns access codes by number. */
function openSitting(name, numbers, closesIn) {
  return openSittingOf(kaoshi, WORK, name, "scripts/browser.lua", numbers, closesIn);
}

let URL_BASE;

async function browser(name) {
  const { ctx, page } = await launch(WORK, name);
  page.on("pageerror", (e) => console.error(`[${name}] page error: ${e.message}`));
  return { ctx, page };
}

async function login(page, sitting, number, code) {
  await page.goto(`${URL_BASE}/?sitting=${sitting}`);
  await page.fill("#number", number);
  await page.fill("#code", code.toLowerCase());
  await page.click("button[type=submit]");
  await page.waitForURL("**/exam");
}

/* Logs alice in to the proctor console and opens sitting's live table. */
async function openConsole(page, sitting) {
  await page.goto(`${URL_BASE}/proctor`);
  await page.fill("#name", "alice");
  await page.fill("#password", PROCTOR_PW);
  await page.click("button[type=submit]");
  await page.getByRole("button", { name: new RegExp(`^${sitting} · `) }).click();
}

async function startExam(page) {
  await page.getByRole("button", { name: "开始考试" }).click();
  await page.waitForSelector("#nav button.q");
  await until("the countdown shows", async () => /\d:\d\d$/.test(await page.locator("#clock").textContent()));
}

function secondsLeft(text) { /* "剩余 29:59" or "剩余 1:05:00" */
  const parts = text.replace(/^\D+/, "").split(":").map(Number);
  return parts.reduce((a, b) => a * 60 + b, 0);
}

/* Each question's key, by slot, from the CLI (authors' and proctors' view). */
function keysOf(attemptId) {
  const shown = JSON.parse(kaoshi("attempt", "show", String(attemptId), "--keys", "--json"));
  return shown.questions.map((q) => q.key);
}

async function goTo(page, slot) {
  await page.locator("#nav button.q").nth(slot).click();
  await page.waitForFunction((n) => document.querySelector("#pane h2")?.textContent.startsWith(`第 ${n} 题`), slot + 1);
}

/* Where the page shows the bank's entry number n: responses name entries
 * by the ids the view gives them, which the key's "shown" (the bank's
 * number at each place) translates. */
function place(key, n) {
  return key.shown ? key.shown.indexOf(n) + 1 : n;
}

/* Answers the question on screen from its key, through the page's controls. */
async function answer(page, key) {
  const pane = page.locator("#pane");
  switch (key.type) {
  case "single": await pane.locator(`input[value="${place(key, key.answer)}"]`).check(); break;
  case "multiple": for (const n of key.answer) await pane.locator(`input[value="${place(key, n)}"]`).check(); break;
  case "true_false": await pane.locator(`input[value="${key.answer}"]`).check(); break;
  case "fill": await pane.locator(".blanks input").first().fill(key.answers[0][0]); await page.keyboard.press("Tab"); break;
  case "numeric": await pane.locator("input.number").fill(String(key.answer)); await page.keyboard.press("Tab"); break;
  case "matching":
    for (let i = 0; i < key.pairs.length; i++)
      await pane.locator("select").nth(i).selectOption(String(place(key, i + 1)));
    break;
  case "ordering":
    for (let want = 0; want < key.items.length; want++) {
      for (;;) {
        const shown = await pane.locator(".ordering .item").allTextContents();
        const at = shown.indexOf(key.items[want]);
        if (at === want) break;
        await page.getByRole("button", { name: "上移：" + key.items[want] }).click();
      }
    }
    await pane.getByRole("button", { name: "确认顺序" }).click();
    break;
  case "essay": await pane.locator("textarea").fill("先安抚情绪，再查清前两次未解决的原因，给出可兑现的承诺并跟进。"); await page.keyboard.press("Tab"); break;
  case "calculated":
    if (key.response === "points") {
      check(await pane.locator("img.chart").count() === 1, "the control chart is not shown");
      for (const n of key.answer) await pane.locator(`.choices input[value="${n}"]`).check();
    } else {
      check(await pane.locator("table.data td").count() > 0, "the data table is not shown");
      await pane.locator("input.number").fill(String(key.answer));
      await page.keyboard.press("Tab");
    }
    break;
  default: throw new Error("no way to answer " + key.type);
  }
}

async function allSaved(page) {
  await until("every answer is saved", async () => (await page.locator("#saving").getAttribute("class")) === "saving saved");
}

const tests = [];
function test(name, f) { tests.push({ name, f }); }

let codes1;

test("a candidate answers every question type, reloads and finds the answers, submits", async () => {
  const { ctx, page } = await browser("c001");
  try {
    await login(page, "s1", "C001", codes1.C001);
    await page.getByRole("button", { name: "开始考试" }).waitFor();
    await shot(page, "01-waiting-room");
    await startExam(page);
    const attempt = Number(sql("SELECT id FROM attempts WHERE candidate_id = (SELECT id FROM candidates WHERE number = 'C001')"));
    const keys = keysOf(attempt);
    check(keys.length === 10, "expected 10 questions, found " + keys.length);
    check(new Set(keys.map((k) => k.type)).size === 9, "not every type: " + keys.map((k) => k.type));
    for (let slot = 0; slot < keys.length; slot++) {
      await goTo(page, slot);
      await answer(page, keys[slot]);
      if (keys[slot].type === "single") {
        await shot(page, "02-single-with-html-in-the-bank");
        const stem = await page.locator("#pane .stem").textContent();
        check(stem.startsWith('<img src=x onerror="window.injected=1">'), "the stem is not shown as text: " + stem);
        check(await page.locator("#pane img").count() === 0, "bank text became an element");
        check(await page.locator("#pane b").count() === 0, "an option's HTML was interpreted");
      }
      await shot(page, `03-q${slot + 1}-${keys[slot].type}`);
    }
    await goTo(page, 1);
    await page.click("#flag");
    await allSaved(page);
    check(await page.locator("#nav button.q.answered").count() === 10, "not every question shows answered");
    check(await page.evaluate(() => window.injected) === undefined, "the bank's HTML ran");
    await shot(page, "04-all-answered");
    // the server has them all
    check(sql(`SELECT count(DISTINCT slot) FROM answers WHERE attempt_id = ${attempt}`) === "10", "the database lacks answers");

    await page.reload();
    await page.waitForSelector("#nav button.q");
    check(await page.locator("#nav button.q.answered").count() === 10, "answers lost on reload");
    check(await page.locator("#nav button.q.flagged").count() === 1, "the flag was lost on reload");
    for (let slot = 0; slot < keys.length; slot++) {
      await goTo(page, slot);
      const k = keys[slot], pane = page.locator("#pane");
      if (k.type === "single")
        check(await pane.locator(`input[value="${place(k, k.answer)}"]`).isChecked(), "single: not restored");
      if (k.type === "true_false")
        check(await pane.locator(`input[value="${k.answer}"]`).isChecked(), "true_false: not restored");
      if (k.type === "multiple")
        check((await pane.locator("input:checked").count()) === k.answer.length, "multiple: not restored");
      if (k.type === "numeric") check((await pane.locator("input.number").inputValue()) === String(k.answer), "numeric: not restored");
      if (k.type === "fill") check((await pane.locator(".blanks input").first().inputValue()) === k.answers[0][0], "fill: not restored");
      if (k.type === "ordering")
        check(JSON.stringify(await pane.locator(".ordering .item").allTextContents()) === JSON.stringify(k.items), "ordering: not restored");
      if (k.type === "matching")
        check((await pane.locator("select").nth(2).inputValue()) === String(place(k, 3)), "matching: not restored");
      if (k.type === "essay") check((await pane.locator("textarea").inputValue()).startsWith("先安抚情绪"), "essay: not restored");
      if (k.type === "calculated" && k.response === "points")
        check((await pane.locator(".choices input:checked").count()) === k.answer.length, "points: not restored");
      if (k.type === "calculated" && k.response !== "points")
        check((await pane.locator("input.number").inputValue()) === String(k.answer), "calculated: not restored");
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "05-phone-width");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, "the page is wider than a phone: " + overflow + "px too wide");
    await page.setViewportSize({ width: 1280, height: 900 });

    // keyboard only: the navigator and the choices are reachable with Tab
    await goTo(page, 0);
    await page.focus("#nav button.q >> nth=2");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector("#pane h2")?.textContent.startsWith("第 3 题"));

    await page.click("#submit");
    await page.getByRole("button", { name: "提交并结束" }).click();
    const summary = await page.locator(".overlay .dialog-body").textContent();
    check(summary.includes("未答 0 题") && summary.includes("标记待查 1 题：2"), "summary: " + summary);
    await shot(page, "06-submit-summary");
    await page.getByRole("button", { name: "确认交卷" }).click();
    await page.waitForSelector("text=您已交卷。");
    await shot(page, "07-submitted");
    check(sql(`SELECT finish_reason FROM attempts WHERE id = ${attempt}`) === "submitted", "not submitted");
  } finally {
    await ctx.close();
  }
});

test("a candidate is submitted automatically at a short deadline", async () => {
  const codes = openSitting("short", ["D001"], 25000);
  const { ctx, page } = await browser("d001");
  try {
    await login(page, "short", "D001", codes.D001);
    await startExam(page);
    const left = secondsLeft(await page.locator("#clock").textContent());
    check(left > 5 && left <= 25, "the deadline is not the window's close: " + left + " s");
    const k = keysOf(Number(sql("SELECT max(id) FROM attempts")));
    await answer(page, k[0]);
    await allSaved(page);
    await shot(page, "08-before-the-deadline");
    await page.waitForSelector("text=考试时间到，系统已自动交卷。", { timeout: 40000 });
    await shot(page, "09-auto-submitted");
    check(sql("SELECT finish_reason FROM attempts WHERE id = (SELECT max(id) FROM attempts)") === "deadline",
          "not finished at the deadline");
    check(sql("SELECT count(DISTINCT slot) FROM answers WHERE attempt_id = (SELECT max(id) FROM attempts)") === "1",
          "the answer given before the deadline was lost");
  } finally {
    await ctx.close();
  }
});

test("a proctor extends and pauses a candidate's time and the candidate's page shows it", async () => {
  const cand = await browser("c002");
  const proc = await browser("proctor");
  try {
    await login(cand.page, "s1", "C002", codes1.C002);
    await startExam(cand.page);
    const before = secondsLeft(await cand.page.locator("#clock").textContent());

    const p = proc.page;
    await openConsole(p, "s1");
    await p.waitForSelector('tr[data-number="C002"] .state');
    check((await p.locator('tr[data-number="C002"] .state').textContent()) === "作答中", "C002 is not shown running");
    await p.fill('input[aria-label="C002 延长分钟数"]', "15");
    await p.getByRole("button", { name: "为 C002 延时" }).click();
    await until("the console shows the extension", async () =>
      secondsLeft(await p.locator('tr[data-number="C002"] td.left').textContent()) > before + 14 * 60);
    await shot(p, "10-proctor-console");
    // the candidate's page learns it from the server's next status
    await until("the candidate sees 15 more minutes", async () =>
      secondsLeft(await cand.page.locator("#clock").textContent()) > before + 14 * 60, 20000);
    await shot(cand.page, "11-candidate-after-extension");

    await p.getByRole("button", { name: "暂停 C002" }).click();
    await cand.page.waitForSelector(".overlay >> text=考试已暂停", { timeout: 20000 });
    await shot(cand.page, "12-candidate-paused");
    await p.getByRole("button", { name: "恢复 C002" }).click();
    await cand.page.waitForSelector(".overlay", { state: "detached", timeout: 20000 });
    check(sql("SELECT group_concat(action, ' ') FROM audit WHERE actor = 'proctor:alice'") ===
          "attempt.extend attempt.pause attempt.resume", "audit: " + sql("SELECT actor, action FROM audit"));
  } finally {
    await cand.ctx.close();
    await proc.ctx.close();
  }
});

test("the result page shows what the review policy allows, when it allows it", async () => {
  const { ctx, page } = await browser("c001-result");
  try {
    await login(page, "s1", "C001", codes1.C001);
    await page.waitForSelector("text=成绩尚未公布");
    kaoshi("grade", "s1");
    await page.getByRole("button", { name: "刷新" }).click();
    await page.waitForSelector("text=成绩尚未公布");
    const before = await page.locator("main").textContent();
    check(!before.includes("得分") && !before.includes("解析"), "a result shown before publishing: " + before);
    await shot(page, "13-result-not-published");
    kaoshi("sitting", "close", "s1");
    /* in the console a proctor gives every essay none of its points, then publishes */
    const waiting = JSON.parse(kaoshi("marking", "s1", "--json")).length;
    check(waiting > 0, "no essay waits for a mark");
    const proc = await browser("proctor-marking");
    try {
      const p = proc.page;
      await openConsole(p, "s1");
      await p.getByRole("button", { name: "阅卷" }).click();
      await p.waitForSelector("text=考生答案：");
      check(await p.locator("ol.marking > li").count() === waiting, "the panel does not list every waiting essay");
      await shot(p, "15-proctor-marking");
      for (let left = waiting; left > 0; left--) {
        await p.locator('ol.marking input[aria-label$=" 得分"]').first().fill("0");
        await p.locator('ol.marking button:has-text("保存评分")').first().click();
        await until("the mark is saved", async () => await p.locator("ol.marking > li").count() === left - 1);
      }
      await p.waitForSelector("text=没有待阅的答卷。");
      await p.getByRole("button", { name: "返回考场" }).click();
      await p.getByRole("button", { name: "发布成绩" }).click();
      await p.getByRole("dialog", { name: "发布成绩" }).getByRole("button", { name: "发布成绩" }).click();
      await p.waitForSelector("text=已发布");
    } finally {
      await proc.ctx.close();
    }
    check(sql("SELECT count(*) FROM publications") === "1", "the results were not published");
    await page.reload();
    await page.waitForSelector("text=得分 90 / 100（90%）");
    await page.waitForSelector("text=解析：先问候并自报工号。");
    const text = await page.locator("main").textContent();
    check(text.includes("结果：通过"), "the published result: " + text);
    await shot(page, "14-result-full-review");
  } finally {
    await ctx.close();
  }
});

test("extra time shows in the waiting room and the console; markers' comments show in the review", async () => {
  const codes = openSitting("extra", ["E001"], 2 * 3600 * 1000);
  kaoshi("accommodate", "extra", "E001", "x1.5");
  const { ctx, page } = await browser("e001");
  const proc = await browser("proctor-extra");
  try {
    await login(page, "extra", "E001", codes.E001);
    await page.waitForSelector("text=30 分钟（含额外时间 10 分钟）");
    await shot(page, "16-waiting-room-extra-time");
    await startExam(page);
    const left = secondsLeft(await page.locator("#clock").textContent());
    check(left > 25 * 60 && left <= 30 * 60, "20 minutes x1.5 is not the time left: " + left + " s");
    const p = proc.page;
    await openConsole(p, "extra");
    await p.waitForSelector('tr[data-number="E001"] .extra-time');
    check((await p.locator('tr[data-number="E001"] .extra-time').textContent()) === "×1.5", "the console shows no extra time");
    await shot(p, "17-proctor-extra-time");
    /* unanswered, submitted; question 1 overridden and the essay marked, with comments */
    const id = sql("SELECT max(id) FROM attempts");
    kaoshi("attempt", "submit", id);
    kaoshi("mark", id, "1", "1", "--override", "--comment", "题目有误，给满分");
    kaoshi("mark", id, "8", "0", "--comment", "未作答");
    kaoshi("sitting", "close", "extra");
    kaoshi("results", "extra", "--publish");
    await page.reload();
    await page.waitForSelector("text=阅卷评语：题目有误，给满分");
    await page.waitForSelector("text=阅卷评语：未作答");
    const text = await page.locator("main").textContent();
    check(text.includes("阅卷老师已人工调整本题得分") && text.includes("由阅卷老师评分"), "who set the score: " + text);
    check(text.includes("未通过原因："), "no reason for the fail: " + text);
    await shot(page, "18-result-comments");
  } finally {
    await ctx.close();
    await proc.ctx.close();
  }
});

await runSuite(tests, async () => {
  codes1 = openSitting("s1", ["C001", "C002"], 2 * 3600 * 1000);
  kaoshi("proctor", "add", "alice");
  const server = await serve([], { cwd: WORK, env });
  URL_BASE = server.url;
  return server;
}, WORK);
