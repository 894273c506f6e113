/* What proctors do, pushed to the candidate page: a long poll of GET
 * /api/attempts/{id}/events hears of extensions, pauses, resumes and the
 * end as they happen, and a slow status check resyncs besides. The clock
 * follows the status each reply carries; a pause shows a modal (the page
 * behind it inert), a resume and an extension are announced. After a
 * network error the poll backs off (1 s, 2 s, ... 10 s) and goes on at once
 * when the browser is back online; a busy server says how long to wait.
 * The first reply after a network error sends the waiting saves and flags
 * at once (the server was unreachable while the browser stayed online). */
import { S, closeDialog, dialog, el, every, minutes } from "./exam-page.js";
import { announce, setClock } from "./exam-clock.js";
import { networkBack, networkDown, sendWaiting } from "./exam-save.js";
import { resendFlags } from "./exam-flags.js";

const RESYNC_MS = 20000;
const FIRST_BACKOFF_MS = 1000, MAX_BACKOFF_MS = 10000;

let wake = null; /* ends the wait before the next poll early */

window.addEventListener("online", function () { if (wake) wake(); });

/* Follows S.exam's events until the exam is over. */
export function watchEvents() {
  const id = S.exam.id;
  let backoff = FIRST_BACKOFF_MS;
  function current() { return S.exam && S.exam.id === id && !S.exam.done; }
  function poll(cursor) {
    if (!current()) return;
    KS.api("GET", "/api/attempts/" + id + "/events" + (cursor === null ? "" : "?after=" + cursor)).then(function (r) {
      if (!current()) return;
      if (r.status === 401) { location.replace("/"); return; }
      if (r.status !== 200) { later(cursor, nextBackoff()); return; }
      backoff = FIRST_BACKOFF_MS;
      if (S.exam.offline) { sendWaiting(); resendFlags(); }
      networkBack();
      r.body.events.forEach(function (e) {
        if (e.action === "extend") announce("监考老师为您延长了 " + minutes(e.extra_ms));
      });
      followStatus(r.body.status);
      if (r.body.retry_ms) later(r.body.cursor, r.body.retry_ms);
      else poll(r.body.cursor);
    }).catch(function () {
      if (!current()) return;
      networkDown();
      later(cursor, nextBackoff());
    });
  }
  function nextBackoff() {
    const ms = backoff;
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    return ms;
  }
  function later(cursor, ms) {
    const timer = setTimeout(go, ms);
    function go() { clearTimeout(timer); wake = null; poll(cursor); }
    wake = go;
  }
  poll(null);
  every(RESYNC_MS, function () {
    KS.api("GET", "/api/attempts/" + id + "/status").then(function (r) {
      if (current() && r.status === 200) followStatus(r.body);
    }).catch(function () { /* the long poll notices the network */ });
  });
}

/* The clock takes the server's; a change of state shows. */
function followStatus(status) {
  const was = S.exam.state;
  setClock(status);
  if (status.state === "finished") S.hooks.ended(status.finish_reason);
  else if (status.state === "paused" && was !== "paused") showPaused();
  else if (status.state === "running" && was === "paused") {
    closeDialog();
    announce("考试已恢复，计时继续");
    sendWaiting();
  }
}

export function showPaused() {
  dialog("考试已暂停", el("p", { text: "监考老师暂停了您的考试，计时已停止。请听从监考老师的指示，恢复后即可继续作答。" }), []);
}
