// Browser test of an amendment as the proctor console shows it: headless
// Chromium (Debian's /usr/bin/chromium) driven by playwright-core. The test
// starts its own server on a free loopback port with a scratch database and a
// three-question certification whose sitting two candidates have taken;
// through the CLI the sitting is graded, C1 (all right) gets a certificate,
// two keys are corrected ('kaoshi sitting amend') and the sitting is graded
// again: C1 now fails, C2 now passes. A proctor logs in, opens the sitting
// and sees the results (with the reason a fail is given and the flagged
// certificate), both versions of the files, each changed result before and
// after, and the flagged certificate, with no console error. Screenshots go to
// build/screenshots/. Prints one line "RESULT passed=N failed=M" (tests/run
// adds it up).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { project, KAOSHI, serve, launch, shot, runSuite, check, openSitting } from "./harness.mjs";

const { WORK, DB } = project("amend");
const PROCTOR_PW = "correct horse battery";
const REASON = "第三部分「投诉处理」得分 25%，低于 50%";

fs.writeFileSync(path.join(WORK, "scripts/amend.lua"), `
return certification {
  code = "AMEND", title = "更正测试", banks = { "amend" },
  duration = "30m", timezone = "+08:00", pass = 50, shuffle_options = false,
  certificate = { title = "更正测试证书", issuer = "示例认证中心" },
  sections = {
    { title = "一、单选", from = { chapter = 1 }, pick = 2, points = 10, shuffle = false },
    { title = "二、判断", from = { chapter = 2 }, pick = 1, points = 20 },
  },
}
`);
const bank = (first, truth) => `bank: amend
items:
  - id: a-1
    type: single
    chapter: 1
    stem: 一加一等于几？
    options: ["1", "2", "3", "4"]
    answer: ${first}
  - id: a-2
    type: single
    chapter: 1
    stem: 二加二等于几？
    options: ["3", "4", "5"]
    answer: 2
  - id: a-3
    type: true_false
    chapter: 2
    stem: 地球绕太阳运行。
    answer: ${truth}
`;
fs.writeFileSync(path.join(WORK, "banks/amend.yaml"), bank(2, true));

const env = { ...process.env, KAOSHI_DB: DB };
function kaoshi(...args) {
  return execFileSync(KAOSHI, args, { cwd: WORK, env, stdio: "pipe",
                                      input: args[0] === "proctor" ? PROCTOR_PW : "" }).toString();
}

let URL_BASE;

async function browser(name) {
  const { ctx, page } = await launch(WORK, name);
  const problems = [];
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text() + " (" + page.url() + " " + m.location().url + ")"); });
  return { ctx, page, problems };
}

const tests = [];
function test(name, f) { tests.push({ name, f }); }

test("the console shows the versions, the changed results and the flagged certificate", async () => {
  const { ctx, page, problems } = await browser("proctor");
  try {
    await page.goto(`${URL_BASE}/proctor?sitting=m1`);
    await page.fill("#name", "alice");
    await page.fill("#password", PROCTOR_PW);
    await page.click("button[type=submit]");
    problems.length = 0; /* the console's own check for a session before the login */
    await page.waitForSelector("h2 >> text=更正后的成绩变化");
    const results = page.locator("table.results tbody tr");
    check(await results.count() === 2, "result rows: " + await results.count());
    const c1 = await page.locator('table.results tr[data-number="C1"]').textContent();
    check(c1.includes("10 / 40（25%）") && c1.includes("未通过") && c1.includes("待复核"), "C1's result: " + c1);
    const c2 = await page.locator('table.results tr[data-number="C2"]').textContent();
    check(c2.includes("30 / 40（75%）") && c2.includes("通过") && !c2.includes("待复核"), "C2's result: " + c2);
    // the reason a fail is given, when the grading gives one
    check(c1.includes(REASON), "C1's reason: " + c1);
    const versions = page.locator("ol.versions li");
    check(await versions.count() === 2, "versions: " + await versions.count());
    const second = await versions.nth(1).textContent();
    check(second.startsWith("第 2 版") && second.includes("cli") && second.includes("更正两道题的答案"), "version 2: " + second);
    const changes = await page.locator("table.changes tbody").textContent();
    check(changes.includes("40 / 40（100%，通过）") && changes.includes("10 / 40（25%，未通过）"), "C1's change: " + changes);
    check(changes.includes("0 / 40（0%，未通过）") && changes.includes("30 / 40（75%，通过）"), "C2's change: " + changes);
    const flagged = await page.locator("ul.flagged").textContent();
    check(flagged.includes("AMEND-") && flagged.includes("C1") &&
          flagged.includes("第 2 版（更正两道题的答案）重新评分后为 25.0%，不再通过"), "flagged: " + flagged);
    await shot(page, "40-amended-sitting");
    check(problems.length === 0, "problems on the page:\n" + problems.join("\n"));
  } finally {
    await ctx.close();
  }
});

await runSuite(tests, async () => {
  const codes = openSitting(kaoshi, WORK, "m1", "scripts/amend.lua", ["C1", "C2"], 3600000);
  const answers = { C1: [2, 2, true], C2: [1, 1, false] };
  const ids = {};
  for (const n of ["C1", "C2"]) {
    const [a, b, tf] = answers[n];
    const id = String(JSON.parse(kaoshi("attempt", "start", "m1", n, "--code", codes[n], "--json")).attempt);
    kaoshi("attempt", "answer", id, "1", JSON.stringify({ choice: a }));
    kaoshi("attempt", "answer", id, "2", JSON.stringify({ choice: b }));
    kaoshi("attempt", "answer", id, "3", JSON.stringify({ value: tf }));
    kaoshi("attempt", "submit", id);
    ids[n] = id;
  }
  kaoshi("grade", "m1");
  kaoshi("keys", "init", "--key", "sign.key");
  kaoshi("certificate", "issue", "m1", "--key", "sign.key");
  fs.writeFileSync(path.join(WORK, "banks/amend.yaml"), bank(1, false));
  kaoshi("sitting", "amend", "m1", "--reason", "更正两道题的答案");
  kaoshi("grade", "m1");
  /* the reason a pass rule gives a fail, as the grading writes it */
  execFileSync("sqlite3", [DB, `UPDATE results SET detail = json_set(detail, '$.reason', '${REASON}') WHERE attempt_id = ${ids.C1}`]);
  kaoshi("proctor", "add", "alice");
  const server = await serve([], { cwd: WORK, env });
  URL_BASE = server.url;
  return server;
}, WORK);
