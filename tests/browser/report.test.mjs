// Browser tests of the analytics report in the proctor console: headless
// Chromium (Debian's /usr/bin/chromium) driven by playwright-core. The test
// starts its own server on a free loopback port with a scratch database and a
// three-question certification whose sitting six candidates have taken and
// that is graded through the CLI (one option is written as HTML), then: a
// proctor logs in, clicks 分析报告 for the sitting and sees the report (the
// figures, the histogram, the item table, the option shown as text, the
// page's own style sheet applied) with no console error and no
// Content-Security-Policy violation; the CSV link downloads the items; the
// way back opens the sitting in the console; without a session the report's
// address leads to the console's login. Screenshots go to build/screenshots/.
// Prints one line "RESULT passed=N failed=M" (tests/run adds it up).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { project, KAOSHI, serve, launch, shot, runSuite, check, utc } from "./harness.mjs";

const { WORK, DB } = project("report");
const PROCTOR_PW = "correct horse battery";

fs.writeFileSync(path.join(WORK, "scripts/report.lua"), `
return certification {
  code = "REPORT", title = "分析报告测试", banks = { "report" },
  duration = "30m", timezone = "+08:00", pass = 50, shuffle_options = false,
  sections = {
    { title = "一、单选", from = { chapter = 1 }, pick = 2, points = 10, shuffle = false },
    { title = "二、判断", from = { chapter = 2 }, pick = 1, points = 20 },
  },
}
`);
fs.writeFileSync(path.join(WORK, "banks/report.yaml"), `bank: report
items:
  - id: r-1
    type: single
    chapter: 1
    stem: 一加一等于几？
    options: ["1", "2", "3", "4"]
    answer: 2
  - id: r-2
    type: single
    chapter: 1
    stem: 二加二等于几？
    options: ["3", "4", "<b>5</b>"]
    answer: 2
  - id: r-3
    type: true_false
    chapter: 2
    stem: 地球绕太阳运行。
    answer: true
`);

const env = { ...process.env, KAOSHI_DB: DB };
function kaoshi(...args) {
  return execFileSync(KAOSHI, args, { cwd: WORK, env, stdio: "pipe",
                                      input: args[0] === "proctor" ? PROCTOR_PW : "" }).toString();
}
/* Sitting r1: each candidate answers [choice 1, choice 2, true/false], all graded. */
function gradedSitting(answers) {
  kaoshi("sitting", "create", "r1", "--cert", "scripts/report.lua", "--opens", utc(-60000), "--closes", utc(3600000));
  kaoshi("sitting", "open", "r1");
  const numbers = Object.keys(answers);
  fs.writeFileSync(path.join(WORK, "roster.csv"), numbers.map((n, i) => `${n},考生${i + 1}`).join("\n") + "\n");
  const codes = {};
  for (const line of kaoshi("enroll", "r1", "roster.csv").split("\n").slice(1))
    if (line) codes[line.split(",")[0]] = line.split(",")[2];
  for (const n of numbers) {
    const [a, b, tf] = answers[n];
    const id = String(JSON.parse(kaoshi("attempt", "start", "r1", n, "--code", codes[n], "--json")).attempt);
    kaoshi("attempt", "answer", id, "1", JSON.stringify({ choice: a }));
    kaoshi("attempt", "answer", id, "2", JSON.stringify({ choice: b }));
    kaoshi("attempt", "answer", id, "3", JSON.stringify({ value: tf }));
    kaoshi("attempt", "submit", id);
  }
  kaoshi("grade", "r1");
}

let URL_BASE;

/* A browser whose console errors, page errors and CSP violations are kept in `problems`. */
async function browser(name) {
  const { ctx, page } = await launch(WORK, name);
  const problems = [];
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text() + " (" + page.url() + " " + m.location().url + ")"); });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
    });
  });
  return { ctx, page, problems };
}

async function proctorLogin(page) {
  await page.goto(`${URL_BASE}/proctor`);
  await page.fill("#name", "alice");
  await page.fill("#password", PROCTOR_PW);
  await page.click("button[type=submit]");
}

const tests = [];
function test(name, f) { tests.push({ name, f }); }

test("a proctor opens 分析报告 from the console and sees the report", async () => {
  const { ctx, page, problems } = await browser("proctor");
  try {
    await proctorLogin(page);
    const link = page.getByRole("link", { name: "r1 分析报告" });
    await link.waitFor();
    problems.length = 0; /* the console's own check for a session before the login */
    await link.click();
    await page.waitForURL("**/proctor/sittings/r1/report");
    await page.waitForSelector("h1 >> text=考试分析报告");
    // the figures, the histogram and the item table
    const figures = await page.locator("table.figures").textContent();
    check(figures.includes("作答数6"), "the attempt count: " + figures);
    const histogram = page.locator("svg.histogram");
    check(await histogram.isVisible(), "no histogram");
    check(await histogram.locator("rect.bar").count() > 0, "the histogram has no bars");
    const items = page.locator("#items table tr:has(td)");
    check(await items.count() === 3, "item rows: " + await items.count());
    check((await items.first().textContent()).includes("r-1"), "the first item row: " + await items.first().textContent());
    // an option written as HTML shows as text
    check((await page.locator("main").textContent()).includes("<b>5</b>"), "the option's text is not shown as written");
    check(await page.locator("main b").count() === 0, "the option's HTML became an element");
    // the page's own style sheet is applied
    const width = await page.evaluate(() => getComputedStyle(document.querySelector("main.analytics-report")).maxWidth);
    check(width === "1100px", "report.css is not applied: max-width " + width);
    await shot(page, "30-report");
    check(problems.length === 0, "problems on the page:\n" + problems.join("\n"));

    // the CSV beside it
    const csv = page.getByRole("link", { name: "下载 CSV" });
    check(await csv.getAttribute("href") === "/api/sittings/r1/report.csv", "csv href: " + await csv.getAttribute("href"));
    const res = await page.request.get(URL_BASE + await csv.getAttribute("href"));
    check(res.status() === 200 && res.headers()["content-disposition"] === 'attachment; filename="report-r1.csv"',
          "csv: " + res.status() + " " + res.headers()["content-disposition"]);
    const rows = (await res.text()).trim().split("\n");
    check(rows.length === 4 && rows[0].startsWith("item,type,slots,n,facility"), "csv rows: " + rows.join(" | "));

    // the way back: the sitting's live table in the console, with the link again
    await page.getByRole("link", { name: "← 返回监考台" }).click();
    await page.waitForSelector("h1 >> text=分析报告测试 · r1");
    check(new URL(page.url()).pathname === "/proctor" && new URL(page.url()).search === "", "back at " + page.url());
    check(await page.getByRole("link", { name: "r1 分析报告" }).count() === 1, "no 分析报告 in the live table");
    await shot(page, "31-report-back-in-console");
    check(problems.length === 0, "problems in the console:\n" + problems.join("\n"));
  } finally {
    await ctx.close();
  }
});

test("without a session the report's address leads to the console's login", async () => {
  const { ctx, page, problems } = await browser("anonymous");
  try {
    await page.goto(`${URL_BASE}/proctor/sittings/r1/report`);
    await page.waitForSelector("h1 >> text=监考老师登录");
    check(new URL(page.url()).pathname === "/proctor", "at " + page.url());
    check(!(await page.content()).includes("考试分析报告"), "the report was shown");
    // an unknown sitting: a short page in Chinese
    await proctorLogin(page);
    await page.waitForSelector("h1 >> text=考场");
    const res = await page.goto(`${URL_BASE}/proctor/sittings/nosuch/report`);
    check(res.status() === 404, "status " + res.status());
    await page.waitForSelector("text=没有找到这个考场。");
    await shot(page, "32-report-unknown-sitting");
    /* the login page's check for a session, and the missing sitting's own 404 */
    const left = problems.filter((p) => !/401 .*\/api\/session\)$/.test(p) && !/404 .*\/nosuch\/report\)$/.test(p));
    check(left.length === 0, "problems:\n" + left.join("\n"));
  } finally {
    await ctx.close();
  }
});

await runSuite(tests, async () => {
  gradedSitting({
    C1: [2, 2, true], C2: [2, 1, true], C3: [3, 2, false],
    C4: [3, 3, false], C5: [2, 2, false], C6: [1, 2, true],
  });
  kaoshi("proctor", "add", "alice");
  const server = await serve([], { cwd: WORK, env });
  URL_BASE = server.url;
  return server;
}, WORK);
