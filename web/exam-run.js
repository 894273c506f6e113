/* The running exam on the candidate page: a skip link 跳到题目, the
 * question navigator (exam-nav.js), each question shown by its view's
 * widget with the focus on its heading, the question last shown kept per
 * attempt (localStorage) and shown again after a reload or a new login,
 * the clock (exam-clock.js), proctors' events (exam-events.js), flags
 * (exam-flags.js), the review before submitting (exam-summary.js), and
 * automatic submission at the deadline. */
import { $, S, closeDialog, dialog, el, notice, show, stopTimers } from "./exam-page.js";
import { draftAnswer, flush, markInvalid, pump, restorePending, setAnswer, storeKey, updateSaving } from "./exam-save.js";
import { setClock, startClock, stopClock } from "./exam-clock.js";
import { showPaused, watchEvents } from "./exam-events.js";
import { sendFlags, toggleFlag } from "./exam-flags.js";
import { questionBody } from "./exam-widgets.js";
import { clearHeader, navigator, placeHeader, updateNavigator } from "./exam-nav.js";
import { hideSummary, showSummary } from "./exam-summary.js";
import { placeAids } from "./exam-aids.js";
import { showResult } from "./exam-result.js";

let exam = null; /* S.exam: the running exam */

function slotKey(id) { return "ks-slot-" + id; }

/* The question shown last in attempt id, 0 when none is kept. */
function lastSlot(id, count) {
  let slot = 0;
  try { slot = Number(localStorage.getItem(slotKey(id))) || 0; } catch (e) { /* private mode */ }
  return Number.isInteger(slot) && slot >= 0 && slot < count ? slot : 0;
}

export function startExam(id) {
  stopTimers();
  KS.api("GET", "/api/attempts/" + id).then(function (r) {
    if (r.status !== 200) { show(el("p", { class: "error", text: r.body.message || "无法加载试卷" })); return; }
    const a = r.body;
    if (a.state === "finished") { showResult(id, a.finish_reason); return; }
    exam = S.exam = { id: id, title: a.title, sections: a.sections, questions: a.questions,
             current: lastSlot(id, a.questions.length), slots: [], state: a.state, offline: false, lastSaved: null,
             ending: false, flagQueue: [] };
    a.questions.forEach(function (q) {
      exam.slots[q.slot] = { answer: q.answer, seq: q.seq, flagged: q.flagged,
                             pending: null, unacked: null, draft: null, invalid: false,
                             inflight: false, delay: 1000 };
    });
    S.hooks = { changed: updateNav, paused: showPaused, ended: finished,
                redraw: function (slot) { if (exam.current === slot) renderQuestion(); } };
    restorePending();
    setClock(a);
    layout();
    placeAids(a);
    startClock(timeUp);
    $("app").focus(); /* the next Tab reaches the skip link */
    watchEvents();
    exam.slots.forEach(function (s, slot) { pump(slot); });
    sendFlags();
  }).catch(function () { show(el("p", { class: "error", text: "无法连接服务器，请刷新页面重试" })); });
}

function layout() {
  notice(exam.restoreNotice || "");
  placeHeader();
  const pane = el("section", { class: "question", id: "pane", "aria-labelledby": "question-title" });
  const bottom = el("div", { class: "pager" },
    el("button", { type: "button", id: "prev", text: "上一题", onclick: function () { go(exam.current - 1); } }),
    el("button", { type: "button", id: "flag", onclick: function () { toggleFlag(exam.current); } }),
    el("button", { type: "button", id: "next", text: "下一题", onclick: function () { go(exam.current + 1); } }),
    el("button", { type: "button", class: "primary", id: "submit", text: "交卷",
                   onclick: function () { showSummary({ open: go, submit: function () { submit(false); } }); } }));
  const skip = el("a", { class: "skip", href: "#pane", text: "跳到题目",
                         onclick: function (ev) { ev.preventDefault(); hideSummary(); focusQuestion(); } });
  show([skip, el("h1", { class: "title", text: exam.title }),
        el("div", { class: "exam", id: "exam" }, navigator(go), el("div", { class: "main" }, pane, bottom))], false);
  updateNav();
  renderQuestion();
  updateSaving();
}

function focusQuestion() { $("question-title").focus(); }

function go(i) {
  if (i < 0 || i >= exam.questions.length) return;
  exam.current = i;
  try { localStorage.setItem(slotKey(exam.id), String(i)); } catch (e) { /* private mode */ }
  renderQuestion();
  updateNav();
  focusQuestion();
}

/* The navigator and the pager follow the current question. */
function updateNav() {
  updateNavigator();
  const f = exam.slots[exam.current].flagged;
  $("flag").textContent = f ? "取消标记" : "标记待查";
  $("flag").setAttribute("aria-pressed", f ? "true" : "false");
  $("prev").disabled = exam.current === 0;
  $("next").disabled = exam.current === exam.questions.length - 1;
}

function renderQuestion() {
  const q = exam.questions[exam.current], s = exam.slots[exam.current];
  const pane = KS.clear($("pane"));
  const sec = exam.sections[q.section - 1];
  pane.appendChild(el("p", { class: "muted small", text: sec ? sec.title : "" }));
  pane.appendChild(el("h2", { id: "question-title", tabindex: "-1" },
    "第 " + (q.slot + 1) + " 题", el("span", { class: "muted", text: " · " + (q.view.label || "题目") + " · " + q.points + " 分" })));
  pane.appendChild(el("p", { class: "stem", text: q.view.stem || "" }));
  const save = function (response) { setAnswer(q.slot, response); };
  /* typed, not yet sent: into localStorage at once */
  save.draft = function (response) { draftAnswer(q.slot, response); };
  save.invalid = function (text) { markInvalid(q.slot, text || false); };
  save.invalidText = s.invalid || null;
  KS.append(pane, questionBody(q, s.answer || null, save));
}

function submit(auto) {
  exam.ending = true;
  dialog(auto ? "时间到" : "正在交卷", el("p", { text: auto ? "考试时间到，正在保存答案并交卷…" : "正在保存答案并交卷…" }), []);
  flush(auto ? 20000 : 15000).then(function () {
    return KS.api("POST", "/api/attempts/" + exam.id + "/submit");
  }).then(function (r) {
    if (r.status === 200) finished(r.body.finish_reason);
    else if (r.status === 409 && r.body.error === "paused") { exam.ending = false; showPaused(); }
    else { exam.ending = false; closeDialog(); notice(r.body.message || "交卷失败，请重试"); }
  }).catch(function () {
    exam.ending = false;
    closeDialog();
    notice("网络中断，交卷未成功，请检查网络后再次交卷");
  });
}

function timeUp() { submit(true); }

function finished(reason) {
  if (!exam || exam.done) return;
  exam.done = true;
  const id = exam.id;
  try {
    localStorage.removeItem(storeKey(id));
    localStorage.removeItem(slotKey(id));
  } catch (e) { /* private mode */ }
  stopTimers();
  stopClock();
  clearHeader();
  placeAids(null);
  closeDialog();
  exam = S.exam = null;
  $("saving").textContent = "";
  showResult(id, reason);
}
