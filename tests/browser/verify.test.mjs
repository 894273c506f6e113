// Browser tests of certificate verification in kaoshi serve: headless
// Chromium (Debian's /usr/bin/chromium) driven by playwright-core. The test
// starts its own server (with the installation's key) on a free loopback port
// with a scratch database and a one-question certification whose
// certificates it issues through the CLI, then: a number typed into the form
// at /verify shows 有效 with what the certificate states; a revoked one shows
// 已撤销 with the reason; an unknown one 未找到; a name written as HTML shows
// as text; the candidate's result page offers the PDF. Screenshots go to
// build/screenshots/. Prints one line "RESULT passed=N failed=M" (tests/run
// adds it up).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { project, KAOSHI, serve, launch, shot, runSuite, check, utc } from "./harness.mjs";

const { WORK, DB } = project("verify");
const KEY = path.join(WORK, "sign.key");
const EVIL = '<img src=x onerror="window.injected=1">王五';

fs.writeFileSync(path.join(WORK, "scripts/verify.lua"), `
return certification {
  code = "CCOM-WFMP", title = "排班管理岗认证", banks = { "verify" },
  duration = "20m", timezone = "+08:00", pass = 60, attempts = 1, review = "score",
  sections = { { title = "一、判断", from = {}, pick = 1, points = 100 } },
  certificate = {
    title = "《CCOM 标准关键岗位认证证书》", series = "第一期", role = "排班管理岗",
    issuer = "中国电子商会呼叫中心与客户关系管理专业委员会（CNCCA）",
  },
}
`);
fs.writeFileSync(path.join(WORK, "banks/verify.yaml"), `bank: verify
title: 验证测试题库
items:
  - id: v-1
    type: true_false
    chapter: 1
    topic: 排班
    stem: 排班应以业务量预测为依据。
    answer: true
`);

const env = { ...process.env, KAOSHI_DB: DB };
function kaoshi(...args) {
  return execFileSync(KAOSHI, args, { cwd: WORK, env, stdio: "pipe" }).toString();
}
/* Sitting v1: every candidate passes and is certified; returns
 * {number: {code, attempt, certificate}}. */
function certify(people) {
  kaoshi("sitting", "create", "v1", "--cert", "scripts/verify.lua", "--opens", utc(-60000), "--closes", utc(3600000));
  kaoshi("sitting", "open", "v1");
  const csv = "number,name\n" + people.map(([n, name]) => `${n},"${name.replace(/"/g, '""')}"`).join("\n") + "\n";
  fs.writeFileSync(path.join(WORK, "roster.csv"), csv);
  const out = {};
  for (const line of kaoshi("enroll", "v1", "roster.csv").trim().split("\n").slice(1)) {
    const n = line.split(",")[0];
    out[n] = { code: line.slice(line.lastIndexOf(",") + 1) };
  }
  for (const [n] of people) {
    out[n].attempt = JSON.parse(kaoshi("attempt", "start", "v1", n, "--code", out[n].code, "--json")).attempt;
    kaoshi("attempt", "answer", String(out[n].attempt), "1", '{"value":true}');
    kaoshi("attempt", "submit", String(out[n].attempt));
  }
  kaoshi("grade", "v1");
  kaoshi("keys", "init", "--key", KEY);
  for (const line of kaoshi("certificate", "issue", "v1", "--key", KEY).split("\n")) {
    const m = line.match(/^issued (\S+) (\S+) /);
    if (m) out[m[2]].certificate = m[1];
  }
  return out;
}

let URL_BASE;

async function browser(name) {
  const { ctx, page } = await launch(WORK, name, { width: 1024, height: 800 });
  page.on("pageerror", (e) => console.error(`[${name}] page error: ${e.message}`));
  return { ctx, page };
}

/* The verdict's facts as {label: value}. */
async function facts(page) {
  return page.evaluate(() => {
    const out = {};
    document.querySelectorAll("#verdict dt").forEach((dt) => { out[dt.textContent] = dt.nextElementSibling.textContent; });
    return out;
  });
}

const tests = [];
function test(name, f) { tests.push({ name, f }); }
let people;

test("a number typed into the form shows 有效 with what the certificate states", async () => {
  const { ctx, page } = await browser("valid");
  try {
    const number = people.V001.certificate;
    await page.goto(`${URL_BASE}/verify`);
    check(await page.locator("#verdict").textContent() === "", "a verdict before any number");
    await page.fill("#number", " " + number.toLowerCase() + " ");
    await page.getByRole("button", { name: "验证" }).click();
    await page.waitForSelector("#verdict h2");
    check(await page.locator("#verdict h2").textContent() === "有效", "not valid: " + await page.locator("#verdict").textContent());
    check(new URL(page.url()).pathname === "/verify/" + number, "the address is " + page.url());
    const f = await facts(page);
    const want = {
      "证书编号": number, "姓名": "张三", "证书": "第一期《CCOM 标准关键岗位认证证书》", "认证岗位": "排班管理岗",
      "认证代码": "CCOM-WFMP", "考试成绩": "100 / 100 分", "发证机构": "中国电子商会呼叫中心与客户关系管理专业委员会（CNCCA）",
    };
    for (const k in want) check(f[k] === want[k], `${k}: ${f[k]} (expected ${want[k]})`);
    check(/^\d{4}-\d\d-\d\d$/.test(f["发证日期"]), "date: " + f["发证日期"]);
    check(/^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/.test(f["签名指纹"]), "fingerprint: " + f["签名指纹"]);
    check(!(await page.locator("main").textContent()).includes("V001"), "the candidate's number is shown");
    await shot(page, "20-verify-valid");
    // reloading the address shows the same verdict
    await page.reload();
    await page.waitForSelector("#verdict h2");
    check(await page.locator("#verdict h2").textContent() === "有效", "not valid after a reload");
    check(await page.inputValue("#number") === number, "the form lacks the number after a reload");
  } finally {
    await ctx.close();
  }
});

test("a revoked certificate shows 已撤销 and the reason", async () => {
  const number = people.V002.certificate;
  kaoshi("certificate", "revoke", number, "--reason", "考试违规：由他人代考");
  const { ctx, page } = await browser("revoked");
  try {
    await page.goto(`${URL_BASE}/verify`);
    await page.fill("#number", number);
    await page.press("#number", "Enter");
    await page.waitForSelector("#verdict h2");
    check(await page.locator("#verdict h2").textContent() === "已撤销", "not revoked: " + await page.locator("#verdict").textContent());
    const f = await facts(page);
    check(f["撤销原因"] === "考试违规：由他人代考", "reason: " + f["撤销原因"]);
    check(/^\d{4}-\d\d-\d\d$/.test(f["撤销日期"]), "date: " + f["撤销日期"]);
    check(!(await page.locator("#verdict").textContent()).includes("李四"), "a revoked certificate shows the name");
    await shot(page, "21-verify-revoked");
    // back to the valid one through the browser's history
    await page.goto(`${URL_BASE}/verify/${people.V001.certificate}`);
    await page.waitForSelector("#verdict h2 >> text=有效");
    await page.goBack();
    await page.waitForSelector("#verdict h2 >> text=已撤销");
  } finally {
    await ctx.close();
  }
});

test("an unknown number shows 未找到, and a name written as HTML shows as text", async () => {
  const { ctx, page } = await browser("unknown");
  try {
    await page.goto(`${URL_BASE}/verify/CCOM-WFMP-2026-999999`);
    await page.waitForSelector("#verdict h2");
    check(await page.locator("#verdict h2").textContent() === "未找到", "unknown: " + await page.locator("#verdict").textContent());
    await shot(page, "22-verify-unknown");
    await page.goto(`${URL_BASE}/verify/${people.V003.certificate}`);
    await page.waitForSelector("#verdict h2 >> text=有效");
    check((await facts(page))["姓名"] === EVIL, "the name is not shown as written");
    check(await page.locator("#verdict img").count() === 0, "the name became an element");
    check(await page.evaluate(() => window.injected) === undefined, "the name's HTML ran");
  } finally {
    await ctx.close();
  }
});

test("the candidate's published result offers the certificate's PDF", async () => {
  kaoshi("sitting", "close", "v1");
  kaoshi("results", "v1", "--publish");
  const { ctx, page } = await browser("candidate");
  try {
    await page.goto(`${URL_BASE}/?sitting=v1`);
    await page.fill("#number", "V001");
    await page.fill("#code", people.V001.code);
    await page.click("button[type=submit]");
    await page.waitForURL("**/exam");
    const link = page.getByRole("link", { name: "下载证书 (PDF)" });
    await link.waitFor();
    check(await link.getAttribute("href") === `/api/attempts/${people.V001.attempt}/certificate.pdf`, "href: " + await link.getAttribute("href"));
    await shot(page, "23-result-with-certificate");
    const res = await page.request.get(URL_BASE + await link.getAttribute("href"));
    check(res.status() === 200 && res.headers()["content-type"] === "application/pdf", "download: " + res.status());
    check((await res.body()).subarray(0, 5).toString() === "%PDF-", "the download is no PDF");
  } finally {
    await ctx.close();
  }
});

await runSuite(tests, async () => {
  people = certify([["V001", "张三"], ["V002", "李四"], ["V003", EVIL]]);
  const server = await serve(["--key", KEY], { cwd: WORK, env });
  URL_BASE = server.url;
  return server;
}, WORK);
