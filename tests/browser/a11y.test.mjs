// Accessibility of every page state: headless Chromium (Debian's
// /usr/bin/chromium) driven by playwright-core, axe-core's WCAG 2.1 A/AA
// rules (and heading-order) run by harness.mjs's axe(). The test starts its
// own server on a free loopback port with a scratch database and a
// certification drawn from the demo's bank (every item, so every widget the
// demo has shows up) with the demo's aids and a certificate, then walks the
// candidate's pages (login and a refused login, the waiting room before and
// after the opening, one question of each widget, the calculator, the review
// before submitting and its confirmation, the submitted page, the paused
// exam, the published result with its review), the proctor console (login, sittings, live table, marking,
// the analytics report) and certificate verification (the form, a valid
// certificate, an unknown number). Each state is one test: at 1366×768 and
// at 390×844 it must have no violation of impact serious or critical
// (contrast below 4.5:1 among them) and no break in the heading order; each
// size's full-page screenshot goes to $TEST_LOGS/a11y/STATE-WxH.png (W×H
// the size). Prints one line "RESULT passed=N failed=M" (tests/run adds it
// up).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { project, ROOT, KAOSHI, serve, launch, runSuite, until, check, utc, openSitting as openSittingOf, axe } from "./harness.mjs";

const { WORK, DB } = project("a11y");
const KEY = path.join(WORK, "sign.key");
const PROCTOR_PW = "correct horse battery";
const SHOTS = path.resolve(ROOT, process.env.TEST_LOGS || "build/test-logs", "a11y");
const SIZES = [{ width: 1366, height: 768 }, { width: 390, height: 844 }];
/* The view vocabulary's widgets the demo's bank uses, as GET /api/attempts/{id} names them. */
const WIDGETS = ["choice", "choices", "truth", "blanks", "number", "order", "match", "text", "points"];

fs.mkdirSync(SHOTS, { recursive: true });
fs.cpSync(path.join(ROOT, "scripts/lib"), path.join(WORK, "scripts/lib"), { recursive: true });
fs.copyFileSync(path.join(ROOT, "banks/demo.yaml"), path.join(WORK, "banks/demo.yaml"));
fs.writeFileSync(path.join(WORK, "scripts/a11y.lua"), `
return certification {
  code = "A11Y-CS", title = "客户服务基础认证（无障碍检查）", banks = { "demo" },
  duration = "30m", timezone = "+08:00", pass = 60, attempts = 1, review = "full",
  generators = require "ccom_generators",
  sections = {
    { title = "一、服务基础", from = { chapter = 1 }, pick = 8, points = 4 },
    { title = "二、服务指标与流程", from = { chapter = 2 }, pick = 9, points = 5 },
    { title = "三、案例分析", from = { chapter = 3 }, pick = 2, points = 10 },
  },
  aids = { calculator = "basic", notes = { "允许使用草稿纸（考场提供）" } },
  certificate = { title = "《客户服务基础认证证书》", issuer = "Kaoshi 示例发证机构", role = "客户服务" },
}
`);

const env = { ...process.env, KAOSHI_DB: DB };
function kaoshi(...args) {
  return execFileSync(KAOSHI, args, { cwd: WORK, env, stdio: "pipe",
                                      input: args[0] === "proctor" ? PROCTOR_PW : "" }).toString();
}
function sql(query) { return execFileSync("sqlite3", [DB, query]).toString().trim(); }
function attemptOf(number) {
  return sql(`SELECT max(id) FROM attempts WHERE candidate_id IN (SELECT id FROM candidates WHERE number = '${number}')`);
}

/* The whole of R001's attempt through the CLI: every answer right, submitted. */
function answerEverythingRight(sitting, number, code) {
  const id = String(JSON.parse(kaoshi("attempt", "start", sitting, number, "--code", code, "--json")).attempt);
  const answers = execFileSync("python3", [path.join(ROOT, "tests/cli/keys_to_answers.py")],
                               { input: kaoshi("attempt", "show", id, "--keys", "--json") }).toString();
  for (const line of answers.trim().split("\n")) {
    const at = line.indexOf(" ");
    kaoshi("attempt", "answer", id, line.slice(0, at), line.slice(at + 1));
  }
  kaoshi("attempt", "submit", id);
}

let URL_BASE, codes, waitingCodes;
const contexts = {};

/* The browser of one person (created on first use, closed when the suite ends). */
async function browser(name) {
  if (!contexts[name]) {
    contexts[name] = await launch(WORK, name, SIZES[0]);
    contexts[name].page.on("pageerror", (e) => console.error(`[${name}] page error: ${e.message}`));
  }
  return contexts[name].page;
}

async function login(page, sitting, number, code) {
  await page.goto(`${URL_BASE}/?sitting=${sitting}`);
  await page.fill("#number", number);
  await page.fill("#code", code);
  await page.click("button[type=submit]");
  await page.waitForURL("**/exam");
}

/* The question of the running attempt on screen whose view is widget. */
async function showWidget(page, widget) {
  const exam = await (await page.request.get(`${URL_BASE}/api/attempts/${attemptOf("A001")}`)).json();
  const q = exam.questions.find((x) => x.view.widget === widget);
  check(q, `no question of widget ${widget} in the form`);
  const slot = exam.questions.indexOf(q);
  await page.locator("#nav button.q").nth(slot).click();
  await page.waitForFunction((n) => document.querySelector("#pane h2")?.textContent.startsWith(`第 ${n} 题`), slot + 1);
}

/* Runs axe on page at each size and screenshots it; throws listing every
 * violation. Leaves the page at the first size. */
async function audit(page, state) {
  const found = [];
  for (const size of SIZES) {
    const label = `${state}-${size.width}x${size.height}`;
    await page.setViewportSize(size);
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
    found.push(...await axe(page, label));
    await page.screenshot({ path: path.join(SHOTS, label + ".png"), fullPage: true });
  }
  await page.setViewportSize(SIZES[0]);
  check(found.length === 0, `${found.length} violation(s):\n    ` + found.map((v) => v.summary).join("\n    "));
}

const tests = [];
/* One page state: arrive(page) brings the person's browser there; its
 * pages belong to owner (named in the failure, for whoever fixes it). */
function state(name, person, owner, arrive) {
  tests.push({ name: `${name} (${owner}): no serious or critical violation at either size`, f: async () => {
    const page = await browser(person);
    await arrive(page);
    await audit(page, name);
  } });
}

const CANDIDATE = "web/exam*.js, web/app.css";
const PROCTOR = "web/proctor*.js, web/app.css";
const REPORT = "the analytics report";

state("login", "visitor", "web/index.html, web/login.js", async (page) => {
  await page.goto(`${URL_BASE}/`);
  await page.waitForSelector("#login");
});

state("login-refused", "visitor", "web/index.html, web/login.js", async (page) => {
  await page.fill("#sitting", "a1");
  await page.fill("#number", "A001");
  await page.fill("#code", "WRONG-CODE");
  await page.click("button[type=submit]");
  await until("the refusal shows", async () => await page.locator("#message").textContent() !== "");
});

state("waiting-not-open", "w001", CANDIDATE, async (page) => {
  await login(page, "w1", "W001", waitingCodes.W001);
  await page.waitForSelector("text=距开考还有");
});

state("waiting-open", "a001", CANDIDATE, async (page) => {
  await login(page, "a1", "A001", codes.A001);
  await page.waitForSelector("text=考试已开始，请点击“开始考试”。");
});

for (const widget of WIDGETS) {
  state("exam-" + widget, "a001", CANDIDATE, async (page) => {
    if (!await page.locator("#nav button.q").count()) {
      await page.getByRole("button", { name: "开始考试" }).click();
      await page.waitForSelector("#nav button.q");
    }
    await showWidget(page, widget);
  });
}

state("exam-calculator", "a001", CANDIDATE, async (page) => {
  await page.getByRole("button", { name: "计算器", exact: true }).click();
  await page.waitForSelector("#calculator", { state: "visible" });
});

state("submit-summary", "a001", CANDIDATE, async (page) => {
  if (await page.locator("#calculator").isVisible()) await page.getByRole("button", { name: "计算器", exact: true }).click();
  await page.click("#submit");
  await page.waitForSelector("#summary h2 >> text=交卷前检查");
});

state("submit-confirm", "a001", CANDIDATE, async (page) => {
  await page.getByRole("button", { name: "提交并结束" }).click();
  await page.waitForSelector(".overlay .dialog-body");
  await page.check("#acknowledge");
});

state("submitted", "a001", CANDIDATE, async (page) => {
  await page.getByRole("button", { name: "确认交卷" }).click();
  await page.waitForSelector("text=您已交卷。");
});

state("paused", "a002", CANDIDATE, async (page) => {
  await login(page, "a1", "A002", codes.A002);
  await page.getByRole("button", { name: "开始考试" }).click();
  await page.waitForSelector("#nav button.q");
  kaoshi("proctor", "pause", attemptOf("A002"));
  await page.waitForSelector(".overlay >> text=考试已暂停");
});

state("proctor-login", "proctor", PROCTOR, async (page) => {
  await page.goto(`${URL_BASE}/proctor`);
  await page.waitForSelector("h1 >> text=监考老师登录");
});

state("proctor-sittings", "proctor", PROCTOR, async (page) => {
  await page.fill("#name", "alice");
  await page.fill("#password", PROCTOR_PW);
  await page.click("button[type=submit]");
  await page.waitForSelector("h1 >> text=考场");
  await page.getByRole("button", { name: /^a1 · / }).waitFor();
});

state("proctor-live", "proctor", PROCTOR, async (page) => {
  await page.getByRole("button", { name: /^a1 · / }).click();
  await page.waitForSelector('tr[data-number="A002"] .state');
});

state("proctor-marking", "proctor", PROCTOR, async (page) => {
  kaoshi("proctor", "resume", attemptOf("A002"));
  kaoshi("proctor", "submit", attemptOf("A002"));
  kaoshi("grade", "a1");
  await page.getByRole("button", { name: "阅卷" }).click();
  await page.waitForSelector("text=考生答案：");
});

state("report", "proctor", REPORT, async (page) => {
  await page.goto(`${URL_BASE}/proctor/sittings/a1/report`);
  await page.waitForSelector("h1 >> text=考试分析报告");
});

state("result-review", "r001", CANDIDATE, async (page) => {
  for (const m of JSON.parse(kaoshi("marking", "a1", "--json")))
    kaoshi("mark", String(m.attempt), String(m.question), m.attempt === Number(attemptOf("R001")) ? "1" : "0.5",
           "--comment", "要点齐全");
  kaoshi("sitting", "close", "a1");
  kaoshi("results", "a1", "--publish");
  kaoshi("certificate", "issue", "a1", "--key", KEY);
  await login(page, "a1", "R001", codes.R001);
  await page.waitForSelector("text=结果：通过");
  await page.getByRole("link", { name: "下载证书 (PDF)" }).waitFor();
});

state("verify-form", "visitor", "web/verify.html, web/verify.js", async (page) => {
  await page.goto(`${URL_BASE}/verify`);
  await page.waitForSelector("#lookup");
});

state("verify-valid", "visitor", "web/verify.html, web/verify.js", async (page) => {
  const number = sql("SELECT number FROM certificates");
  await page.fill("#number", number);
  await page.getByRole("button", { name: "验证" }).click();
  await until("the verdict shows", async () => await page.locator("#verdict h2").textContent().catch(() => "") === "有效");
});

state("verify-not-found", "visitor", "web/verify.html, web/verify.js", async (page) => {
  await page.goto(`${URL_BASE}/verify/A11Y-CS-2026-999999`);
  await page.waitForSelector("#verdict h2 >> text=未找到");
});

await runSuite(tests, async () => {
  codes = openSittingOf(kaoshi, WORK, "a1", "scripts/a11y.lua", ["A001", "A002", "R001"], 2 * 3600 * 1000);
  answerEverythingRight("a1", "R001", codes.R001);
  kaoshi("sitting", "create", "w1", "--cert", "scripts/a11y.lua", "--opens", utc(3600 * 1000), "--closes", utc(3 * 3600 * 1000));
  kaoshi("sitting", "open", "w1");
  fs.writeFileSync(path.join(WORK, "w1.csv"), "W001,考生甲\n");
  waitingCodes = {};
  for (const line of kaoshi("enroll", "w1", "w1.csv").trim().split("\n").slice(1))
    waitingCodes[line.split(",")[0]] = line.split(",")[2];
  kaoshi("proctor", "add", "alice");
  kaoshi("keys", "init", "--key", KEY);
  const server = await serve(["--key", KEY], { cwd: WORK, env });
  URL_BASE = server.url;
  return {
    stop: async () => {
      for (const name in contexts) await contexts[name].ctx.close();
      return server.stop();
    },
  };
}, WORK);
