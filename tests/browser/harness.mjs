// What the browser suites (tests/browser/*.test.mjs) share: the paths, a
// `kaoshi serve` of their own on a free loopback port, a headless Chromium
// (Debian's /usr/bin/chromium through playwright-core), screenshots, axe-core's
// accessibility check of a page (axe), a sitting
// opened with candidates (openSitting, utc), until() and check() for
// assertions, and the runner that runs the tests, stops the server (an
// unclean stop counts as a failure; a clean one is no test of its own) and
// prints the line
// "RESULT passed=N failed=M" tests/run adds up.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/* A suite's scratch project: a new folder under the system's temporary one
 * with empty scripts/ and banks/, and the path of its database. */
export function project(name) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `kaoshi-${name}-`));
  for (const dir of ["scripts", "banks"]) fs.mkdirSync(path.join(work, dir));
  return { WORK: work, DB: path.join(work, "exam.db") };
}

export const ROOT = process.cwd();
export const KAOSHI = process.env.KAOSHI || path.join(ROOT, "build/kaoshi");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = path.join(ROOT, "build/screenshots");
const LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
fs.mkdirSync(SHOTS, { recursive: true });

/* Starts `kaoshi serve --port 0 EXTRA...` in cwd; resolves to { url, stop, kill }
 * once it says where it serves. stop() sends SIGTERM and resolves to 0 on a
 * clean exit, else the exit code or signal. */
export function serve(extra, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const child = spawn(KAOSHI, ["serve", "--port", "0", ...extra], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const fail = (message) => { child.kill("SIGKILL"); reject(new Error(message)); };
    const timer = setTimeout(() => fail("the server did not start"), 20000);
    let out = "";
    child.stderr.on("data", (d) => process.stderr.write("[server] " + d));
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/[^ ]+)\//);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1],
        kill: () => child.kill("SIGKILL"),
        stop: () => new Promise((done) => {
          child.removeAllListeners("exit");
          child.on("exit", (code, signal) => done(code === 0 ? 0 : code ?? signal));
          child.kill("SIGTERM");
        }),
      });
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error("the server exited " + code)); });
  });
}

/* A headless Chromium with its profile in work/profile-NAME: { ctx, page }. */
export async function launch(work, name, viewport = { width: 1280, height: 900 }) {
  const ctx = await chromium.launchPersistentContext(path.join(work, "profile-" + name), {
    executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS, viewport,
  });
  ctx.setDefaultTimeout(20000);
  const page = ctx.pages()[0] || await ctx.newPage();
  return { ctx, page };
}

/* An ISO time msFromNow from now, to the second, in UTC. */
export function utc(msFromNow) { return new Date(Date.now() + msFromNow).toISOString().replace(/\.\d+Z$/, "Z"); }

/* Sitting NAME of CERT (a code or a script path) open from a minute ago until
 * closesIn ms from now, with candidates NUMBERS enrolled through kaoshi (the
 * suite's runner of the CLI; the roster is written in work); returns their
 * access codes by number. */
export function openSitting(kaoshi, work, name, cert, numbers, closesIn) {
  kaoshi("sitting", "create", name, "--cert", cert, "--opens", utc(-60000), "--closes", utc(closesIn));
  kaoshi("sitting", "open", name);
  fs.writeFileSync(path.join(work, name + ".csv"), numbers.map((n, i) => `${n},考生${i + 1}`).join("\n") + "\n");
  const codes = {};
  for (const line of kaoshi("enroll", name, name + ".csv").split("\n").slice(1))
    if (line) codes[line.split(",")[0]] = line.split(",")[2];
  return codes;
}

/* Resolves once f() does (polled every 200 ms), or throws after ms. */
export async function until(what, f, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await f()) return;
    if (Date.now() > end) throw new Error("timed out waiting until " + what);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function check(cond, message) { if (!cond) throw new Error(message); }

export async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, name + ".png"), fullPage: true });
}

/* axe-core's WCAG 2.1 A and AA rules, and heading-order, run on the page as
 * it is now; resolves to what they find of impact serious or critical, and
 * any break in the heading order, one entry per element: { rule, impact,
 * target (its selectors), message, summary }, summary the line
 * "LABEL: RULE (IMPACT) TARGET: MESSAGE". The script is evaluated rather than
 * added as a tag, which the pages' CSP (script-src 'self') would refuse. */
export async function axe(page, label) {
  if (!await page.evaluate(() => Boolean(window.axe)))
    await page.evaluate(fs.readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8"));
  const violations = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    rules: { "heading-order": { enabled: true } },
    resultTypes: ["violations"],
  }).then((r) => r.violations.map((v) => ({
    rule: v.id, impact: v.impact,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), message: n.failureSummary })),
  }))));
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical" || v.rule === "heading-order")
    .flatMap((v) => v.nodes.map((n) => {
      const message = n.message.split("\n").map((s) => s.trim()).filter((s) => s && !/^Fix (any|all)/.test(s)).join("; ");
      return { rule: v.rule, impact: v.impact, target: n.target, message,
               summary: `${label}: ${v.rule} (${v.impact}) ${n.target}: ${message}` };
    }));
}

/* Runs setUp (which prepares the data and resolves to the server serve()
 * gave), then every { name, f } of tests, then stops the server; removes work
 * unless KEEP is set; prints the RESULT line and exits. */
export async function runSuite(tests, setUp, work) {
  let passed = 0, failed = 0;
  try {
    const server = await setUp();
    for (const t of tests) {
      try {
        await t.f();
        passed++;
        console.log("ok " + t.name);
      } catch (e) {
        failed++;
        console.log("FAIL " + t.name);
        console.error(`  ${t.name}: ${e.stack || e}`);
      }
    }
    const rc = await server.stop();
    if (rc !== 0) { failed++; console.error("  the server exited " + rc + " after SIGTERM"); }
  } catch (e) {
    failed++;
    console.error("  setting up: " + (e.stack || e));
  }
  if (!process.env.KEEP) fs.rmSync(work, { recursive: true, force: true });
  else console.error("kept " + work);
  console.log(`RESULT passed=${passed} failed=${failed}`);
  process.exit(failed ? 1 : 0);
}
