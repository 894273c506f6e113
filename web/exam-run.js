/* The running exam on the candidate page: its sections and a question
 * navigator with answered, flagged and unsaved state, each question shown
 * by its view's widget, a countdown from the server's clock, flags, the
 * submit dialog with a summary, and automatic submission at the deadline. */
import { $, S, closeDialog, dialog, el, every, notice, show, stopTimers } from "./exam-page.js";
import { draftAnswer, flush, markInvalid, pump, restorePending, setAnswer, slotUnsaved, storeKey,
         updateSaving } from "./exam-save.js";
import { answered, questionBody } from "./exam-widgets.js";
import { showResult } from "./exam-result.js";

let exam = null; /* S.exam: the running exam */

export function startExam(id) {
  stopTimers();
  KS.api("GET", "/api/attempts/" + id).then(function (r) {
    if (r.status !== 200) { show(el("p", { class: "error", text: r.body.message || "无法加载试卷" })); return; }
    const a = r.body;
    if (a.state === "finished") { showResult(id, a.finish_reason); return; }
    exam = S.exam = { id: id, title: a.title, sections: a.sections, questions: a.questions,
             current: 0, slots: [], state: a.state, offline: false, lastSaved: null,
             ending: false };
    a.questions.forEach(function (q) {
      exam.slots[q.slot] = { answer: q.answer, seq: q.seq, flagged: q.flagged,
                             pending: null, unacked: null, draft: null, invalid: false,
                             inflight: false, delay: 1000 };
    });
    S.hooks = { changed: updateNav, paused: showPaused, ended: function () { finished(); },
                redraw: function (slot) { if (exam.current === slot) renderQuestion(); } };
    restorePending();
    setClock(a);
    layout();
    every(250, tickClock);
    every(10000, pollStatus);
    exam.slots.forEach(function (s, slot) { pump(slot); });
  }).catch(function () { show(el("p", { class: "error", text: "无法连接服务器，请刷新页面重试" })); });
}

function setClock(status) {
  exam.left = status.time_left_ms;
  exam.leftAt = performance.now();
  exam.state = status.state;
}

function timeLeft() {
  return exam.state === "running" ? exam.left - (performance.now() - exam.leftAt) : exam.left;
}

function tickClock() {
  if (!exam) return;
  const left = timeLeft();
  const c = $("clock");
  c.textContent = (exam.state === "paused" ? "已暂停 · " : "剩余 ") + KS.duration(left);
  c.classList.toggle("low", left < 5 * 60000);
  if (left <= 0 && exam.state === "running" && !exam.ending) timeUp();
}

function pollStatus() {
  KS.api("GET", "/api/attempts/" + exam.id + "/status").then(function (r) {
    if (!exam || r.status !== 200) return;
    const was = exam.state;
    setClock(r.body);
    if (r.body.state === "finished") finished(r.body.finish_reason);
    else if (r.body.state === "paused" && was !== "paused") showPaused();
    else if (r.body.state === "running" && was === "paused") {
      closeDialog();
      exam.slots.forEach(function (s, slot) { pump(slot); });
    }
  }).catch(function () { exam.offline = true; updateSaving(); });
}

function showPaused() {
  dialog("考试已暂停", el("p", { text: "监考老师暂停了您的考试，计时已停止。请听从监考老师的指示，恢复后即可继续作答。" }), []);
}

function layout() {
  notice(exam.restoreNotice || "");
  const nav = el("nav", { class: "navigator", "aria-label": "题目导航", id: "nav" });
  const pane = el("section", { class: "question", id: "pane", "aria-live": "polite" });
  const bottom = el("div", { class: "pager" },
    el("button", { type: "button", id: "prev", text: "上一题", onclick: function () { go(exam.current - 1); } }),
    el("button", { type: "button", id: "flag", onclick: toggleFlag }),
    el("button", { type: "button", id: "next", text: "下一题", onclick: function () { go(exam.current + 1); } }),
    el("button", { type: "button", class: "primary", id: "submit", text: "交卷", onclick: confirmSubmit }));
  show([el("h1", { class: "title", text: exam.title }),
        el("div", { class: "exam" }, nav, el("div", { class: "main" }, pane, bottom))], false);
  updateNav();
  renderQuestion();
  updateSaving();
}

function go(i) {
  if (i < 0 || i >= exam.questions.length) return;
  exam.current = i;
  renderQuestion();
  updateNav();
  const h = $("pane").querySelector("h2");
  if (h) h.focus();
}

function updateNav() {
  const nav = $("nav");
  if (!nav || !exam) return;
  KS.clear(nav);
  exam.sections.forEach(function (sec) {
    const buttons = [];
    for (let n = sec.first; n < sec.first + sec.count; n++) {
      const slot = n - 1, q = exam.questions[slot], s = exam.slots[slot];
      const done = answered(q, s.answer), waiting = slotUnsaved(s);
      buttons.push(el("button", {
        type: "button",
        class: "q" + (done ? " answered" : "") + (s.flagged ? " flagged" : "") +
               (waiting ? " unsaved" : "") + (slot === exam.current ? " current" : ""),
        "aria-current": slot === exam.current ? "step" : null,
        title: waiting ? "未保存" : null,
        "aria-label": "第 " + n + " 题，" + (done ? "已作答" : "未作答") + (waiting ? "，未保存" : "") +
                      (s.flagged ? "，已标记" : ""),
        text: n,
        onclick: function () { go(slot); },
      }));
    }
    nav.appendChild(el("div", { class: "section" }, el("h3", { text: sec.title }),
                       el("div", { class: "grid" }, buttons)));
  });
  const total = exam.questions.length;
  const done = exam.questions.filter(function (q) { return answered(q, exam.slots[q.slot].answer); }).length;
  nav.appendChild(el("p", { class: "muted small", text: "已答 " + done + " / " + total + " 题" }));
  const flag = $("flag");
  if (flag) {
    const f = exam.slots[exam.current].flagged;
    flag.textContent = f ? "取消标记" : "标记待查";
    flag.setAttribute("aria-pressed", f ? "true" : "false");
  }
  $("prev").disabled = exam.current === 0;
  $("next").disabled = exam.current === total - 1;
}

function toggleFlag() {
  const slot = exam.current, s = exam.slots[slot];
  const want = !s.flagged;
  s.flagged = want;
  updateNav();
  KS.api("PUT", "/api/attempts/" + exam.id + "/flags/" + slot, { flagged: want }).then(function (r) {
    if (r.status !== 200) { s.flagged = !want; updateNav(); }
  }).catch(function () { s.flagged = !want; updateNav(); notice("网络中断，标记未保存"); });
}

function renderQuestion() {
  const q = exam.questions[exam.current], s = exam.slots[exam.current];
  const pane = KS.clear($("pane"));
  const sec = exam.sections[q.section - 1];
  pane.appendChild(el("p", { class: "muted small", text: sec ? sec.title : "" }));
  pane.appendChild(el("h2", { tabindex: "-1" },
    "第 " + (q.slot + 1) + " 题", el("span", { class: "muted", text: " · " + (q.view.label || "题目") + " · " + q.points + " 分" })));
  pane.appendChild(el("p", { class: "stem", text: q.view.stem || "" }));
  const save = function (response) { setAnswer(q.slot, response); };
  /* typed, not yet sent: into localStorage at once */
  save.draft = function (response) { draftAnswer(q.slot, response); };
  save.invalid = function (text) { markInvalid(q.slot, text || false); };
  save.invalidText = s.invalid || null;
  KS.append(pane, questionBody(q, s.answer || null, save));
}

function listOf(slots) {
  return slots.length ? slots.map(function (s) { return s + 1; }).join("、") : "无";
}

function confirmSubmit() {
  const blank = [], flagged = [];
  exam.questions.forEach(function (q) {
    if (!answered(q, exam.slots[q.slot].answer)) blank.push(q.slot);
    if (exam.slots[q.slot].flagged) flagged.push(q.slot);
  });
  const total = exam.questions.length;
  const invalid = [];
  exam.slots.forEach(function (s, slot) { if (s.invalid) invalid.push(slot); });
  dialog("确认交卷", [
    invalid.length ? el("p", { class: "warn", text: "答案无效、未保存 " + invalid.length + " 题：" + listOf(invalid) +
                               "（交卷时按上次保存的答案计分）" }) : null,
    el("p", { text: "共 " + total + " 题，已答 " + (total - blank.length) + " 题。" }),
    el("p", { class: blank.length ? "warn" : "", text: "未答 " + blank.length + " 题：" + listOf(blank) }),
    el("p", { class: flagged.length ? "warn" : "", text: "标记待查 " + flagged.length + " 题：" + listOf(flagged) }),
    el("p", { class: "muted", text: "交卷后不能再修改答案。" }),
  ], [
    el("button", { type: "button", text: "返回检查", onclick: closeDialog }),
    el("button", { type: "button", class: "primary", text: "确认交卷", onclick: function () { submit(false); } }),
  ], closeDialog);
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
  try { localStorage.removeItem(storeKey(id)); } catch (e) { /* private mode */ }
  stopTimers();
  closeDialog();
  exam = S.exam = null;
  $("clock").textContent = "";
  $("saving").textContent = "";
  showResult(id, reason);
}
