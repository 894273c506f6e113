// Browser tests of a question's static material on the candidate's page: a
// table's number columns are right-aligned (header too) and its text
// columns are not; a chart opens full size in a dialog on a click or tap
// (keyboard: Enter), Esc closes it and gives the focus back, at desktop and
// phone size. The certification has its own type whose view carries a
// table and a control chart. Screenshots go to
// build/screenshots/8*-material-*.png. Prints one line "RESULT passed=N
// failed=M" (tests/run adds it up).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { project, KAOSHI, serve, launch, shot, runSuite, check, openSitting as openSittingOf } from "./harness.mjs";

const { WORK, DB } = project("material");

fs.writeFileSync(path.join(WORK, "scripts/material.lua"), `
return certification {
  code = "MATERIAL", title = "材料测试认证", banks = { "material" },
  duration = "30m", timezone = "+08:00", pass = 60, attempts = 1, review = "full",
  sections = { { title = "全部", from = {}, pick = 1, points = 10 } },
  question_types = {
    trend = {
      description = "read a week's calls from a table and a chart",
      fields = { stem = "text", calls = "integer list", answer = "integer" },
      present = function(item, data)
        local rows = {}
        for i, n in ipairs(item.calls) do rows[i] = { "第" .. i .. "周", n, "正常" } end
        return { stem = item.stem, widget = "choice",
                 options = { { id = 1, text = "上升" }, { id = 2, text = "下降" } },
                 parts = { { table = { columns = { "周次", "来电量", "备注" }, rows = rows } },
                           { chart = chart.control { values = item.calls, center = 400, sigma = 20 } } } }
      end,
      score = function(item, response) return response.choice == item.answer and 1 or 0 end,
      solve = function(item) return { choice = item.answer } end,
    },
  },
}
`);
fs.writeFileSync(path.join(WORK, "banks/material.yaml"), `bank: material
title: 材料测试题库
items:
  - id: m-trend
    type: trend
    stem: 根据下表和控制图，来电量的趋势是？
    calls: [381, 1200, 395, 410]
    answer: 1
`);

const env = { ...process.env, KAOSHI_DB: DB };
function kaoshi(...args) { return execFileSync(KAOSHI, args, { cwd: WORK, env, stdio: "pipe" }).toString(); }

let URL_BASE, codes;
const tests = [];
function test(name, f) { tests.push({ name, f }); }

for (const [size, viewport, number] of [["desktop", { width: 1366, height: 768 }, "M001"],
                                        ["phone", { width: 390, height: 844 }, "M002"]]) {
  test(`number columns right-aligned, a chart enlarged and closed (${size})`, async () => {
    const { ctx, page } = await launch(WORK, number, viewport);
    page.on("pageerror", (e) => console.error(`[${number}] page error: ${e.message}`));
    try {
      await page.goto(`${URL_BASE}/?sitting=m1`);
      await page.fill("#number", number);
      await page.fill("#code", codes[number].toLowerCase());
      await page.click("button[type=submit]");
      await page.waitForURL("**/exam");
      await page.getByRole("button", { name: "开始考试" }).click();
      await page.waitForSelector("#pane table.data");
      const align = (sel) => page.locator(sel).evaluate((n) => getComputedStyle(n).textAlign);
      check(await align("#pane table.data tbody tr:nth-child(2) td:nth-child(2)") === "right", "a number cell is not right-aligned");
      check(await align("#pane table.data thead th:nth-child(2)") === "right", "a number column's header is not right-aligned");
      check(await align("#pane table.data tbody tr:first-child td:nth-child(1)") !== "right", "a text cell is right-aligned");
      check(await align("#pane table.data tbody tr:first-child td:nth-child(3)") !== "right", "a text column is right-aligned");
      const zoom = page.getByRole("button", { name: "题目图表（点击放大）" });
      const small = (await zoom.locator("img").boundingBox()).width;
      await zoom.focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: "题目图表" });
      await dialog.waitFor();
      const big = await dialog.locator("img").boundingBox();
      check(big.width > small, `the enlarged chart (${big.width} px) is not larger than the question's (${small} px)`);
      await shot(page, `8${size === "phone" ? 1 : 0}-material-chart-${size}`);
      check(await page.locator("#pane input").first().evaluate((n) => n.closest("[inert]") !== null),
            "the question behind the chart is not inert");
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });
      check(await zoom.evaluate((n) => n === document.activeElement), "the focus did not return to the chart");
    } finally {
      await ctx.close();
    }
  });
}

await runSuite(tests, async () => {
  codes = openSittingOf(kaoshi, WORK, "m1", "scripts/material.lua", ["M001", "M002"], 2 * 3600 * 1000);
  const server = await serve([], { cwd: WORK, env });
  URL_BASE = server.url;
  return server;
}, WORK);
