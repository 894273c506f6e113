// Browser tests of the page's widgets: a question is shown by the widget its
// view names, whether its type is built in or the certification's own. The
// fixture tests/fixtures/widgets/ (FOOD-SAFE) has two types of its own,
// `keywords` (labelled blanks) and `hazard` (a choice among shuffled options),
// beside built-in single and true_false items. A candidate answers them all
// with keyboard and mouse, reloads and finds the answers, submits; another
// does the same on a phone (390×844); once graded and published, the result
// page describes each answer in words. Screenshots go to
// build/screenshots/4*-widgets-*.png. Prints one line "RESULT passed=N
// failed=M" (tests/run adds it up).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { project, ROOT, KAOSHI, serve, launch, shot, runSuite, until, check, openSitting as openSittingOf } from "./harness.mjs";

const { WORK, DB } = project("widgets");
const PHONE = { width: 390, height: 844 };
const LABELS = { single: "单选题", true_false: "判断题", keywords: "关键词题", hazard: "风险识别题" };

fs.cpSync(path.join(ROOT, "tests/fixtures/widgets"), WORK, { recursive: true });

const env = { ...process.env, KAOSHI_DB: DB };
function kaoshi(...args) {
  return execFileSync(KAOSHI, args, { cwd: WORK, env, stdio: "pipe" }).toString();
}
function sql(query) { return execFileSync("sqlite3", [DB, query]).toString().trim(); }

/* A sitting of FOOD-SAFE open now for two hours; returns access codes by number. */
function openSitting(name, numbers) {
  return openSittingOf(kaoshi, WORK, name, "FOOD-SAFE", numbers, 2 * 3600 * 1000);
}

let URL_BASE, codes;

async function browser(name, viewport) {
  const { ctx, page } = await launch(WORK, name, viewport);
  page.on("pageerror", (e) => console.error(`[${name}] page error: ${e.message}`));
  return { ctx, page };
}

async function login(page, number) {
  await page.goto(`${URL_BASE}/?sitting=w1`);
  await page.fill("#number", number);
  await page.fill("#code", codes[number].toLowerCase());
  await page.click("button[type=submit]");
  await page.waitForURL("**/exam");
}

async function startExam(page) {
  await page.getByRole("button", { name: "开始考试" }).click();
  await page.waitForSelector("#pane h2");
}

/* The keys of number's attempt, by slot, from the CLI: the item as written
 * with `shown` (single) or `place` (hazard), the type's reveal(). */
function keysOf(number) {
  const id = sql(`SELECT id FROM attempts WHERE candidate_id = (SELECT id FROM candidates WHERE number = '${number}')`);
  return { id, keys: JSON.parse(kaoshi("attempt", "show", id, "--keys", "--json")).questions.map((q) => q.key) };
}

/* The response of slot as the server keeps it. */
function saved(attempt, slot) {
  return JSON.parse(sql(`SELECT response FROM answers WHERE attempt_id = ${attempt} AND slot = ${slot} ORDER BY seq DESC LIMIT 1`));
}

async function showsQuestion(page, slot) {
  await page.waitForFunction((n) => document.querySelector("#pane h2")?.textContent.startsWith(`第 ${n} 题`), slot + 1);
}

/* The keywords a candidate types, last first (order does not matter);
 * `short` leaves the last blank of a question of three empty. */
function typed(key, short) {
  const words = key.keywords.slice().reverse();
  return short && words.length === 3 ? [words[0], words[1], ""] : words;
}

/* Answers the question on screen from its key, through the page's controls:
 * single with the keyboard (Space, then the arrow keys), true_false and
 * hazard with the mouse, keywords typed with Tab between the blanks. */
async function answer(page, key, short) {
  const pane = page.locator("#pane");
  switch (key.type) {
  case "single": {
    const place = key.shown.indexOf(key.answer) + 1;
    await pane.locator("input[type=radio]").first().focus();
    await page.keyboard.press("Space");
    for (let i = 1; i < place; i++) await page.keyboard.press("ArrowDown");
    check(await pane.locator(`input[value="${place}"]`).isChecked(), "single: the keyboard did not choose option " + place);
    break;
  }
  case "true_false": await pane.locator("label", { hasText: key.answer ? "正确" : "错误" }).click(); break;
  case "hazard":
    await pane.locator("label", { hasText: key.hazard }).click();
    check(await pane.locator(`input[value="${key.place}"]`).isChecked(), "hazard: the click did not choose the hazard");
    break;
  case "keywords": {
    const words = typed(key, short);
    await pane.getByRole("textbox", { name: "关键词 1" }).focus();
    for (const w of words) {
      await page.keyboard.type(w);
      await page.keyboard.press("Tab");
    }
    break;
  }
  default: throw new Error("no way to answer " + key.type);
  }
}

/* What the page shows once a question is answered: restored after a reload. */
async function checkRestored(page, key, short) {
  const pane = page.locator("#pane");
  switch (key.type) {
  case "single":
    check(await pane.locator(`input[value="${key.shown.indexOf(key.answer) + 1}"]`).isChecked(), "single: not restored");
    break;
  case "true_false": check(await pane.locator(`input[value="${key.answer}"]`).isChecked(), "true_false: not restored"); break;
  case "hazard": check(await pane.locator(`input[value="${key.place}"]`).isChecked(), "hazard: not restored"); break;
  case "keywords": {
    const values = [];
    for (const input of await pane.locator(".blanks input").all()) values.push(await input.inputValue());
    check(JSON.stringify(values) === JSON.stringify(typed(key, short)), "keywords: not restored: " + values);
    break;
  }
  }
}

/* The question on screen: its type's label in the header, a widget the page
 * knows, and for keywords one labelled blank per keyword. */
async function checkShown(page, key) {
  const pane = page.locator("#pane");
  const header = await pane.locator("h2").textContent();
  check(header.includes(" · " + LABELS[key.type] + " · 20 分"), "the header does not name the type: " + header);
  check(!(await pane.textContent()).includes("暂不支持"), key.type + " is shown as not supported");
  if (key.type === "keywords") {
    const labels = await pane.locator(".blank").allTextContents();
    check(JSON.stringify(labels) === JSON.stringify(key.keywords.map((k, i) => `关键词 ${i + 1}：`)), "blank labels: " + labels);
  }
  if (key.type === "hazard")
    check(await pane.locator("input[type=radio]").count() === key.safe.length + 1, "hazard: not one option per practice");
}

/* How the result page puts the answer given to the question of key. */
function inWords(key, short) {
  switch (key.type) {
  case "single": return key.options[key.answer - 1];
  case "true_false": return key.answer ? "正确" : "错误";
  case "hazard": return key.hazard;
  case "keywords": return typed(key, short).map((w, i) => `关键词 ${i + 1}：${w}`).join("；");
  default: throw new Error("no words for " + key.type);
  }
}

async function allSaved(page) {
  await until("every answer is saved", async () => (await page.locator("#saving").getAttribute("class")) === "saving saved");
}

async function noWiderThanPhone(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, "the page is wider than a phone: " + overflow + "px too wide");
}

async function submit(page) {
  await page.click("#submit");
  await page.getByRole("button", { name: "提交并结束" }).click();
  const summary = await page.locator(".overlay .dialog-body").textContent();
  check(summary.includes("未答 0 题"), "summary: " + summary);
  await page.getByRole("button", { name: "确认交卷" }).click();
  await page.waitForSelector("text=您已交卷。");
}

const tests = [];
function test(name, f) { tests.push({ name, f }); }

test("a candidate answers the certification's own types and built-in ones, reloads, submits", async () => {
  const { ctx, page } = await browser("f001");
  try {
    await login(page, "F001");
    await startExam(page);
    const { id, keys } = keysOf("F001");
    check(keys.length === 5, "expected 5 questions, found " + keys.length);
    for (let slot = 0; slot < keys.length; slot++) {
      await page.locator("#nav button.q").nth(slot).click();
      await showsQuestion(page, slot);
      await checkShown(page, keys[slot]);
      await answer(page, keys[slot], false);
      await shot(page, `40-widgets-q${slot + 1}-${keys[slot].type}`);
    }
    await allSaved(page);
    check(await page.locator("#nav button.q.answered").count() === 5, "not every question shows answered");
    keys.forEach((k, slot) => {
      const r = saved(id, slot);
      if (k.type === "keywords") check(JSON.stringify(r) === JSON.stringify({ blanks: typed(k, false) }), "keywords saved as " + JSON.stringify(r));
      if (k.type === "hazard") check(JSON.stringify(r) === JSON.stringify({ choice: k.place }), "hazard saved as " + JSON.stringify(r));
      if (k.type === "true_false") check(JSON.stringify(r) === JSON.stringify({ value: k.answer }), "true_false saved as " + JSON.stringify(r));
    });

    await page.reload();
    await page.waitForSelector("#nav button.q");
    check(await page.locator("#nav button.q.answered").count() === 5, "answers lost on reload");
    for (let slot = 0; slot < keys.length; slot++) {
      await page.locator("#nav button.q").nth(slot).click();
      await showsQuestion(page, slot);
      await checkRestored(page, keys[slot], false);
    }
    await shot(page, "41-widgets-after-reload");
    await submit(page);
    check(sql(`SELECT finish_reason FROM attempts WHERE id = ${id}`) === "submitted", "not submitted");
  } finally {
    await ctx.close();
  }
});

test("a candidate on a phone answers every question with 下一题, the page as wide as the phone", async () => {
  const { ctx, page } = await browser("f002", PHONE);
  try {
    await login(page, "F002");
    await startExam(page);
    const { keys } = keysOf("F002");
    for (let slot = 0; slot < keys.length; slot++) {
      if (slot > 0) await page.getByRole("button", { name: "下一题" }).click();
      await showsQuestion(page, slot);
      await checkShown(page, keys[slot]);
      await answer(page, keys[slot], true);
      await noWiderThanPhone(page);
      await shot(page, `42-widgets-phone-q${slot + 1}-${keys[slot].type}`);
    }
    await allSaved(page);
    await page.reload();
    await page.waitForSelector("#pane h2");
    for (let slot = 0; slot < keys.length; slot++) {
      await page.click("#nav-toggle"); /* on a phone the navigator is a drawer */
      await page.locator("#nav button.q").nth(slot).click();
      await showsQuestion(page, slot);
      await checkRestored(page, keys[slot], true);
    }
    await submit(page);
  } finally {
    await ctx.close();
  }
});

test("the result page describes the answers to every type in words", async () => {
  kaoshi("grade", "w1");
  kaoshi("sitting", "close", "w1");
  kaoshi("results", "w1", "--publish");
  for (const [number, viewport, score] of [["F001", undefined, "100 / 100（100%）"], ["F002", PHONE, "93.33 / 100（93.33%）"]]) {
    const { ctx, page } = await browser(number.toLowerCase() + "-result", viewport);
    try {
      await login(page, number);
      await page.waitForSelector("text=得分 " + score);
      const text = await page.locator("main").textContent();
      const { keys } = keysOf(number);
      for (const k of keys) {
        const want = inWords(k, number === "F002");
        check(text.includes("您的答案：" + want), `${number}: the ${k.type} answer is not described as ${want}: ${text}`);
        check(text.includes("解析：" + k.explanation), `${number}: no explanation of ${k.type}`);
      }
      check(!text.includes("未作答") && !text.includes("{"), number + ": an answer is not in words: " + text);
      check(text.includes("结果：通过"), number + ": the published result: " + text);
      if (viewport) await noWiderThanPhone(page);
      await shot(page, `43-widgets-result-${number}`);
    } finally {
      await ctx.close();
    }
  }
});

await runSuite(tests, async () => {
  codes = openSitting("w1", ["F001", "F002"]);
  const server = await serve([], { cwd: WORK, env });
  URL_BASE = server.url;
  return server;
}, WORK);
