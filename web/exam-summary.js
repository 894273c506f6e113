/* The review before submitting (as Moodle's "Summary of attempt"): a view
 * in place of the question that lists every question by section with its
 * state (已作答 / 未作答 / 未保存, and 已标记), each a button back to it;
 * then 提交并结束 asks in a modal dialog (Tab stays inside, Esc closes it
 * and the focus returns), which, while questions are unanswered, lists
 * them and enables 确认交卷 only once the candidate ticks that they know. */
import { $, S, closeDialog, dialog, el } from "./exam-page.js";
import { slotAnswered, slotState } from "./exam-nav.js";
import { answered } from "./exam-widgets.js";

function listOf(slots) {
  return slots.length ? slots.map(function (s) { return s + 1; }).join("、") : "无";
}

/* Shows the summary instead of the exam's question and navigator;
 * go.open(slot) returns to a question, go.submit() submits. */
export function showSummary(go) {
  const exam = S.exam;
  const counts = { answered: 0, blank: 0, flagged: 0, unsaved: 0 };
  exam.questions.forEach(function (q) {
    const s = exam.slots[q.slot], state = slotState(q.slot);
    counts[state === "未保存" ? "unsaved" : slotAnswered(q.slot) ? "answered" : "blank"]++;
    if (s.flagged) counts.flagged++;
  });
  const back = function (slot) { return function () { hideSummary(); go.open(slot); }; };
  const view = el("section", { class: "card summary", id: "summary", "aria-labelledby": "summary-title" },
    el("h2", { id: "summary-title", tabindex: "-1", text: "交卷前检查" }),
    el("p", { text: "共 " + exam.questions.length + " 题 · 已作答 " + counts.answered + " · 未作答 " + counts.blank +
                    " · 已标记 " + counts.flagged + (counts.unsaved ? " · 未保存 " + counts.unsaved : "") }),
    el("p", { class: "muted", text: "点击题号可返回该题修改。交卷后不能再修改答案。" }),
    exam.sections.map(function (sec, i) {
      const rows = [];
      for (let n = sec.first; n < sec.first + sec.count; n++) {
        const slot = n - 1, state = slotState(slot), flagged = exam.slots[slot].flagged;
        rows.push(el("tr", { class: state === "已作答" ? "" : "open" },
          el("td", {}, el("button", { type: "button", class: "link", text: "第 " + n + " 题", onclick: back(slot) })),
          el("td", { class: "state", text: state }),
          el("td", { text: flagged ? "已标记" : "" })));
      }
      return [el("h3", { id: "summary-sec-" + i, text: sec.title }),
        el("div", { class: "table-wrap" }, el("table", { class: "data", "aria-labelledby": "summary-sec-" + i },
          el("thead", {}, el("tr", {}, ["题目", "状态", "标记"].map(function (h) { return el("th", { scope: "col", text: h }); }))),
          el("tbody", {}, rows)))];
    }),
    el("div", { class: "actions" },
      el("button", { type: "button", text: "返回作答", onclick: back(exam.current) }),
      el("button", { type: "button", class: "primary", id: "finish", text: "提交并结束",
                     onclick: function () { confirmSubmit(go.submit); } })));
  hideSummary();
  $("exam").hidden = true;
  $("exam").after(view);
  $("summary-title").focus();
}

export function hideSummary() {
  if ($("summary")) $("summary").remove();
  if ($("exam")) $("exam").hidden = false;
}

/* The confirmation: what is unanswered, flagged or invalid; with
 * unanswered questions 确认交卷 waits for the checkbox. */
function confirmSubmit(submit) {
  const exam = S.exam, blank = [], flagged = [], invalid = [];
  exam.questions.forEach(function (q) {
    if (!answered(q, exam.slots[q.slot].answer)) blank.push(q.slot);
    if (exam.slots[q.slot].flagged) flagged.push(q.slot);
    if (exam.slots[q.slot].invalid) invalid.push(q.slot);
  });
  const total = exam.questions.length;
  const confirm = el("button", { type: "button", class: "primary", text: "确认交卷", disabled: blank.length > 0,
                                 onclick: function () { submit(); } });
  const know = blank.length ? el("label", { class: "acknowledge" },
    el("input", { type: "checkbox", id: "acknowledge",
                  onchange: function (ev) { confirm.disabled = !ev.target.checked; } }),
    " 我已知晓仍有 " + blank.length + " 题未作答") : null;
  dialog(blank.length ? "仍有 " + blank.length + " 题未作答" : "确认交卷", [
    invalid.length ? el("p", { class: "warn", text: "答案无效、未保存 " + invalid.length + " 题：" + listOf(invalid) +
                               "（交卷时按上次保存的答案计分）" }) : null,
    el("p", { text: "共 " + total + " 题，已答 " + (total - blank.length) + " 题。" }),
    el("p", { class: blank.length ? "warn strong" : "", text: "未答 " + blank.length + " 题：" + listOf(blank) }),
    el("p", { class: flagged.length ? "warn" : "", text: "标记待查 " + flagged.length + " 题：" + listOf(flagged) }),
    el("p", { class: "muted", text: "交卷后不能再修改答案。" }),
    know,
  ], [
    el("button", { type: "button", text: "返回检查", onclick: closeDialog }),
    confirm,
  ], closeDialog);
}
