/* The aids the certification permits, on the exam page (GET /api/me and
 * GET /api/attempts/{id} give them as "aids"): the header's 计算器 button
 * and its on-screen calculator (calculator.js), whose first calculation of
 * each page load is counted in the audit log (POST
 * /api/attempts/{id}/aids, best effort: nothing of the calculation is
 * sent); and the aids as the waiting room lists them. */
import { createCalculator } from "./calculator.js";

/* For a running attempt (its reply): {button, panel}, the header's button
 * 计算器 (aria-expanded says whether the panel is open) and the calculator's
 * panel, for the page to place; null when the certification permits no
 * calculator. */
export function aidsControls(attempt) {
  const kind = attempt.aids && attempt.aids.calculator;
  if (!kind) return null;
  const button = KS.el("button", { type: "button", id: "calculator-toggle", class: "quiet calc-toggle",
                                   "aria-expanded": "false",
                                   "aria-controls": "calculator", text: "计算器" });
  const calculator = createCalculator({
    kind: kind,
    onFirstUse: function () {
      KS.api("POST", "/api/attempts/" + attempt.id + "/aids", { aid: "calculator" }).catch(function () {});
    },
    onClose: function () { button.setAttribute("aria-expanded", "false"); },
  });
  calculator.element.id = "calculator";
  button.addEventListener("click", function () {
    if (calculator.isOpen()) return calculator.close();
    calculator.open(button);
    button.setAttribute("aria-expanded", "true");
  });
  return { button: button, panel: calculator.element };
}

/* Places the running attempt's aids on the exam page: the 计算器 button in
 * the header before 退出, its panel at the end of <body> and the
 * calculator's style sheet (fetched with the exam, so the calculator works
 * offline afterwards). What an earlier call placed goes first; attempt
 * null (the exam is over) only removes it. */
export function placeAids(attempt) {
  ["calculator-toggle", "calculator"].forEach(function (id) {
    const placed = document.getElementById(id);
    if (placed) placed.remove();
  });
  const controls = attempt && aidsControls(attempt);
  if (!controls) return;
  if (!document.getElementById("calculator-style")) {
    document.head.append(KS.el("link", { id: "calculator-style", rel: "stylesheet", href: "/static/calculator.css" }));
  }
  document.getElementById("logout").before(controls.button);
  document.body.append(controls.panel);
}

/* The waiting room's facts about aids (a <dl class="facts"> pair): the
 * calculator, if any, then the certification's notes; null while the
 * sitting is a draft (aids unknown). */
export function aidsFacts(aids) {
  if (!aids) return null;
  const calculator = { basic: "考试页面提供计算器（基本型）", scientific: "考试页面提供计算器（科学型）" };
  const lines = [calculator[aids.calculator] || "本场考试不提供计算器"].concat(aids.notes);
  return [KS.el("dt", { text: "辅助工具" }),
          KS.el("dd", null, KS.el("ul", { class: "aids" }, lines.map(function (text) {
            return KS.el("li", { text: text });
          })))];
}
