/* The candidate's exam page: after the session check, the waiting room
 * (exam-waiting.js), the running exam (exam-run.js, saving in
 * exam-save.js, widgets in exam-widgets.js) or the result
 * (exam-result.js), as /api/me says. Bank text is only ever set as text. */
import { $, S, closeDialog, dialog, show, el } from "./exam-page.js";
import { flushNow, unsaved } from "./exam-save.js";
import { startExam } from "./exam-run.js";
import { showResult } from "./exam-result.js";
import { waitingRoom } from "./exam-waiting.js";

function boot() {
  $("logout").addEventListener("click", function () {
    if (S.exam && unsaved()) confirmLogout();
    else logout();
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

function logout() {
  KS.api("POST", "/api/logout").finally(function () { location.replace("/"); });
}

/* Unsaved answers stay in this browser and are sent after the next login
 * here: the candidate decides whether to leave now. */
function confirmLogout() {
  dialog("仍有答案未保存", el("p", { text: "未保存的答案暂存在这台电脑的浏览器中，在这里重新登录后会自动发送。确定现在退出吗？" }), [
    el("button", { type: "button", text: "继续作答", onclick: closeDialog }),
    el("button", { type: "button", class: "primary", text: "仍然退出", onclick: logout }),
  ], closeDialog);
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
