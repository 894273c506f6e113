// Browser tests of the on-screen calculator (web/calculator.js) and the exam
// page's aids (web/exam-aids.js), in pages of a real `kaoshi serve` (so under
// its Content-Security-Policy, which forbids eval): the calculator is
// imported into the login page and driven with the mouse and with the
// keyboard alone. Arithmetic with precedence and brackets, 0.1 + 0.2 shown
// as 0.3, the scientific keys (√, n!, sin in degrees), ÷ 0 as 错误 without
// an exception, Escape giving the focus back, Chinese names for every key,
// nothing fetched while calculating. Then the real exam page: the header's
// 计算器 of the example certification (calculator = "basic") opens the
// panel, counts its first use of each page load, once, in the sitting's
// audit log, gives the focus back on Escape and goes when the exam ends;
// a certification without aids has none. Screenshots go to
// build/screenshots/. Prints one line "RESULT passed=N failed=M" (tests/run
// adds it up).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { project, ROOT, KAOSHI, serve, launch, shot, runSuite, until, check, openSitting, axe } from "./harness.mjs";

const { WORK, DB } = project("calculator");
for (const dir of ["scripts", "banks"]) fs.cpSync(path.join(ROOT, dir), path.join(WORK, dir), { recursive: true });

const env = { ...process.env, KAOSHI_DB: DB };
function kaoshi(...args) {
  return execFileSync(KAOSHI, args, { cwd: WORK, env, stdio: "pipe" }).toString();
}

let URL_BASE, codes;
const tests = [];
const test = (name, f) => tests.push({ name, f });

/* Adds the calculator's style sheet to the page, as the exam page has it. */
async function withStyle(page) {
  await page.evaluate(() => new Promise((loaded) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = "/static/calculator.css";
    link.onload = loaded;
    document.head.append(link);
  }));
}

/* A fresh page load of the login page holding a calculator of kind and a
 * button 打开计算器 that opens it; window.uses counts onFirstUse calls and
 * requests lists what the page fetched after the set-up. */
async function calculatorPage(name, kind) {
  const { ctx, page } = await launch(WORK, name);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(URL_BASE + "/");
  await withStyle(page);
  await page.evaluate(async (kind) => {
    const { createCalculator } = await import("/static/calculator.js");
    window.uses = 0;
    const opener = document.createElement("button");
    opener.id = "opener";
    opener.textContent = "打开计算器";
    const calc = createCalculator({ kind, onFirstUse: () => { window.uses++; } });
    opener.addEventListener("click", () => calc.open(opener));
    document.querySelector("main").prepend(opener);
    document.body.append(calc.element);
  }, kind);
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  return { ctx, page, errors, requests };
}

const result = (page) => page.locator(".calc-result").textContent();
const key = (page, label) => page.getByRole("button", { name: label, exact: true });

/* Presses the keys named by labels, with the mouse, then 等于; the result. */
async function press(page, ...labels) {
  for (const label of [...labels, "等于"]) await key(page, label).click();
  return result(page);
}

async function expectResult(page, labels, want) {
  await key(page, "清除").click();
  const got = await press(page, ...labels);
  check(got === want, `${labels.join(" ")} = showed ${JSON.stringify(got)}, expected ${want}`);
}

test("arithmetic keeps precedence and brackets and shows 0.1 + 0.2 as 0.3", async () => {
  const { ctx, page, errors, requests } = await calculatorPage("arithmetic", "basic");
  try {
    await page.click("#opener");
    check(await page.getByRole("dialog", { name: "计算器" }).isVisible(), "the panel did not open");
    await expectResult(page, ["2", "加", "3", "乘", "4"], "14");
    await expectResult(page, ["左括号", "1", "加", "2", "右括号", "除", "3"], "1");
    await expectResult(page, ["0", "小数点", "1", "加", "0", "小数点", "2"], "0.3");
    await expectResult(page, ["1", "减", "0", "小数点", "9"], "0.1");
    await expectResult(page, ["2", "0", "0", "乘", "5", "百分号"], "10");
    await expectResult(page, ["7", "正负号", "减", "3"], "−10");
    await expectResult(page, ["1", "除", "3"], "0.333333333333");
    await expectResult(page, ["1", "除", "0"], "错误");
    await expectResult(page, ["乘", "2"], "错误");
    // a result goes on with the next operator
    await key(page, "清除").click();
    await press(page, "6", "乘", "7");
    check(await press(page, "减", "2") === "40", "an operator after a result did not go on from it");
    check(await page.locator(".calc-expr").textContent() === "Ans−2 =", "the expression after a result");
    check(await page.locator(".calc-scientific, button[aria-label=平方根]").count() === 0,
          "the basic calculator has scientific keys");
    check(await page.evaluate(() => window.uses) === 1, "onFirstUse was not called exactly once");
    check(requests.length === 0, "the calculator fetched: " + requests.join(", "));
    check(errors.length === 0, "page errors: " + errors.join("; "));
    await shot(page, "60-calculator-basic");
  } finally {
    await ctx.close();
  }
});

test("the scientific keys: √16, 5 n!, sin 30 in degrees, powers and Ans", async () => {
  const { ctx, page, errors } = await calculatorPage("scientific", "scientific");
  try {
    await page.click("#opener");
    await expectResult(page, ["平方根", "1", "6"], "4");
    await expectResult(page, ["5", "阶乘"], "120");
    await expectResult(page, ["正弦（角度）", "3", "0"], "0.5");
    await expectResult(page, ["正弦（角度）", "1", "8", "0"], "0");
    await expectResult(page, ["正切（角度）", "9", "0"], "错误");
    await expectResult(page, ["2", "乘方", "1", "0"], "1024");
    await expectResult(page, ["3", "平方", "加", "4", "平方"], "25");
    await expectResult(page, ["4", "倒数"], "0.25");
    await expectResult(page, ["常用对数", "1", "0", "0", "0"], "3");
    await expectResult(page, ["自然对数", "e 的乘方", "2", "右括号"], "2");
    await expectResult(page, ["10 的乘方", "2", "0"], "1e20");
    await expectResult(page, ["2", "圆周率"], "6.28318530718");
    await expectResult(page, ["平方根", "0", "减", "1"], "错误");
    await expectResult(page, ["1", "7", "1", "阶乘"], "错误");
    await expectResult(page, ["3", "加", "4"], "7");
    await expectResult(page, ["上次结果", "乘", "2"], "14");
    const labels = await page.locator(".calculator button").evaluateAll((bs) => bs.map((b) => b.getAttribute("aria-label")));
    const unnamed = labels.filter((l) => !/^[0-9]$|[\u4e00-\u9fff]/.test(l || ""));
    check(labels.length === 37 && unnamed.length === 0, `keys without a Chinese name: ${unnamed} (of ${labels.length})`);
    check(errors.length === 0, "page errors: " + errors.join("; "));
    await shot(page, "61-calculator-scientific");
  } finally {
    await ctx.close();
  }
});

test("keyboard only: open, type, Enter, Backspace, Escape returns the focus", async () => {
  const { ctx, page, errors } = await calculatorPage("keyboard", "scientific");
  try {
    await page.focus("#opener");
    await page.keyboard.press("Enter");
    await until("the calculator has the focus", () =>
      page.evaluate(() => document.activeElement.closest(".calculator") !== null));
    await page.keyboard.type("12*(3+4)/2-1");
    check(await page.locator(".calc-expr").textContent() === "12×(3+4)÷2−1", "typed expression");
    await page.keyboard.press("Enter");
    check(await result(page) === "41", "12×(3+4)÷2−1 = " + await result(page));
    await page.keyboard.type("5!");
    await page.keyboard.press("=");
    check(await result(page) === "120", "5! = " + await result(page));
    await page.keyboard.type("99");
    await page.keyboard.press("Backspace");
    await page.keyboard.type("^2");
    await page.keyboard.press("Enter");
    check(await result(page) === "81", "9^2 = " + await result(page));
    await page.keyboard.type("1/0");
    await page.keyboard.press("Enter");
    check(await result(page) === "错误", "1/0 = " + await result(page));
    await page.keyboard.press("Delete");
    check(await page.locator(".calc-expr").textContent() === "0", "Delete did not clear");
    // Tab reaches the first key, and Enter there presses that key
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement.getAttribute("aria-label"));
    await page.keyboard.press("Enter");
    check(focused === "平方根" && await page.locator(".calc-expr").textContent() === "√(",
          `Enter on the key ${focused} gave ${await page.locator(".calc-expr").textContent()}`);
    await page.keyboard.press("Escape");
    check(await page.locator(".calculator").isHidden(), "Escape did not close the calculator");
    check(await page.evaluate(() => document.activeElement.id) === "opener", "the focus did not return to the opener");
    check(errors.length === 0, "page errors: " + errors.join("; "));
  } finally {
    await ctx.close();
  }
});

/* Logs number in to sitting on the exam page and starts the exam; resolves
 * once the first question is shown. */
async function beginExam(page, sitting, number) {
  await page.goto(`${URL_BASE}/?sitting=${sitting}`);
  await page.fill("#number", number);
  await page.fill("#code", codes[number].toLowerCase());
  await page.click("button[type=submit]");
  await page.waitForURL("**/exam");
  await page.getByRole("button", { name: "开始考试" }).click();
  await page.waitForSelector("#question-title");
}

/* The sitting's audit entries attempt.aid, as `kaoshi sitting log` lists them. */
const aidEntries = (sitting) => kaoshi("sitting", "log", sitting).split("\n").filter((l) => l.includes(" attempt.aid "));

test("the exam page's 计算器 counts its first use of each page load in the audit log", async () => {
  const { ctx, page } = await launch(WORK, "candidate");
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    await beginExam(page, "c1", "C001");
    const button = page.locator("header.bar").getByRole("button", { name: "计算器", exact: true });
    check(await button.getAttribute("aria-expanded") === "false", "aria-expanded before opening");
    check(await page.evaluate(() => document.getElementById("calculator-toggle").nextElementSibling.id) === "logout",
          "the 计算器 button is not just before 退出");
    await button.click();
    const panel = page.getByRole("dialog", { name: "计算器" });
    check(await panel.isVisible(), "the panel did not open");
    check(await button.getAttribute("aria-expanded") === "true", "aria-expanded once open");
    check(await page.locator(".calculator button[aria-label=平方根]").count() === 0,
          "DEMO-CS permits a basic calculator, the page shows a scientific one");
    const posted = page.waitForResponse((r) => r.url().endsWith("/aids") && r.request().method() === "POST");
    await page.keyboard.type("2+3*4");
    await page.keyboard.press("Enter");
    check(await result(page) === "14", "2+3×4 = " + await result(page));
    const use = await posted;
    check(use.status() === 200, "the use was not recorded");
    const attempt = use.url().match(/\/api\/attempts\/(\d+)\/aids$/)[1];
    check(await panel.evaluate((p) => getComputedStyle(p).position) === "fixed",
          "calculator.css is not applied on the exam page");
    await page.keyboard.type("6/3");
    await page.keyboard.press("Enter");
    check(await result(page) === "2", "6/3 = " + await result(page));
    await shot(page, "62-calculator-exam");
    const found = await axe(page, "the exam page with its calculator open");
    check(found.length === 0, found.map((v) => v.summary).join("\n"));
    await page.keyboard.press("Escape");
    check(await panel.isHidden(), "Escape did not close the calculator");
    check(await button.getAttribute("aria-expanded") === "false", "aria-expanded once closed");
    check(await page.evaluate(() => document.activeElement.id) === "calculator-toggle",
          "the focus did not return to 计算器");
    let log = aidEntries("c1");
    check(log.length === 1 && /candidate:C001 attempt\.aid attempt \d+ \{"aid":"calculator"\}$/.test(log[0]),
          "after one page load, the audit log's attempt.aid entries: " + log.join("\n"));
    // a new page load reports the use again; the log keeps the first
    await page.reload();
    await page.waitForSelector("#question-title");
    await page.locator("header.bar").getByRole("button", { name: "计算器", exact: true }).click();
    const again = page.waitForResponse((r) => r.url().endsWith("/aids") && r.request().method() === "POST");
    await page.keyboard.type("1+1");
    await page.keyboard.press("Enter");
    check((await again).status() === 200, "the use after the reload was not recorded");
    await page.keyboard.type("2+2");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Escape");
    // the button and the panel go with the exam (ended by a proctor)
    kaoshi("proctor", "submit", attempt);
    await until("the calculator goes as the exam ends", async () =>
      await page.locator("#calculator-toggle, .calculator").count() === 0);
    log = aidEntries("c1");
    check(log.length === 1, "after two page loads, the audit log's attempt.aid entries: " + log.join("\n"));
    check(errors.length === 0, "page errors: " + errors.join("; "));
  } finally {
    await ctx.close();
  }
});

test("a certification without aids gets no 计算器", async () => {
  const { ctx, page } = await launch(WORK, "no-aids");
  try {
    await beginExam(page, "c2", "C002");
    check(await page.locator("#clock").textContent() !== "", "the exam did not start");
    check(await page.locator("#calculator-toggle, .calculator").count() === 0,
          "a certification without aids shows a calculator");
  } finally {
    await ctx.close();
  }
});

await runSuite(tests, async () => {
  codes = openSitting(kaoshi, WORK, "c1", "DEMO-CS", ["C001"], 2 * 3600 * 1000);
  // the example without its aids line, as another certification
  const plain = fs.readFileSync(path.join(WORK, "scripts/demo.lua"), "utf8")
    .replace(/^  aids = .*\n/m, "").replace('code = "DEMO-CS"', 'code = "PLAIN"');
  fs.writeFileSync(path.join(WORK, "scripts/plain.lua"), plain);
  Object.assign(codes, openSitting(kaoshi, WORK, "c2", "scripts/plain.lua", ["C002"], 2 * 3600 * 1000));
  const server = await serve([], { cwd: WORK, env });
  URL_BASE = server.url;
  return server;
}, WORK);
