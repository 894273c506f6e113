/* The candidate's exam page: after the session check, the waiting room
 * (exam-waiting.js), the running exam (exam-run.js, saving in
 * exam-save.js, widgets in exam-widgets.js) or the result
 * (exam-result.js), as /api/me says. Bank text is only ever set as text. */
import { $, S, show, el } from "./exam-page.js";
import { flushNow, unsaved } from "./exam-save.js";
import { startExam } from "./exam-run.js";
import { showResult } from "./exam-result.js";
import { waitingRoom } from "./exam-waiting.js";

function boot() {
  $("logout").addEventListener("click", function () {
    if (S.exam && unsaved() && !confirm("仍有答案未保存，确定退出？")) return;
    KS.api("POST", "/api/logout").finally(function () { location.replace("/"); });
  });
  window.addEventListener("beforeunload", function (ev) {
    if (S.exam && unsaved()) { ev.preventDefault(); ev.returnValue = ""; }
  });
  /* the page may be closed or frozen next: send what waits now */
  window.addEventListener("pagehide", function () { flushNow(true); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flushNow(true);
  });
  KS.api("GET", "/api/session").then(function (r) {
    if (r.status !== 200 || r.body.kind !== "candidate") { location.replace("/"); return; }
    loadMe();
  }).catch(function () { show(el("p", { class: "error", text: "无法连接服务器，请刷新页面重试" })); });
}

function loadMe() {
  return KS.api("GET", "/api/me").then(function (r) {
    if (r.status === 401) { location.replace("/"); return; }
    S.me = r.body;
    $("who").textContent = S.me.candidate.name + " · " + S.me.candidate.number;
    if (!S.me.attempt) waitingRoom();
    else if (S.me.attempt.state === "finished") showResult(S.me.attempt.id, S.me.attempt.finish_reason);
    else startExam(S.me.attempt.id);
  });
}

S.reload = loadMe;
boot();
