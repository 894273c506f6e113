/* Flags for review on the candidate page, never silently undone: a flag
 * shows at once and joins a queue (S.exam.flagQueue, kept in localStorage
 * with the answers by exam-save.js) that is sent in order, one at a time,
 * and retried until the server has it: after a network error with a
 * growing wait, at once when the browser is back online. */
import { S, notice } from "./exam-page.js";
import { networkBack, networkDown, persistPending, updateSaving } from "./exam-save.js";

const FIRST_RETRY_MS = 1000, MAX_RETRY_MS = 10000;

let sending = null;   /* the queue's entry on its way */
let retry = null, delay = FIRST_RETRY_MS;

/* Sends the queue now, without waiting for a retry's timer (the network
 * is back). */
export function resendFlags() {
  clearTimeout(retry);
  retry = null;
  delay = FIRST_RETRY_MS;
  sendFlags();
}

window.addEventListener("online", resendFlags);

/* Flags slot, or takes its flag away. A change of the same slot still
 * waiting in the queue is replaced, not sent. */
export function toggleFlag(slot) {
  const exam = S.exam, s = exam.slots[slot];
  s.flagged = !s.flagged;
  exam.flagQueue = exam.flagQueue.filter(function (f) { return f.slot !== slot || f === sending; });
  exam.flagQueue.push({ slot: slot, flagged: s.flagged });
  persistPending();
  S.hooks.changed();
  updateSaving();
  sendFlags();
}

/* Sends the queue's first entry, unless one is on its way or waits for its
 * retry; the next follows once the server has it. */
export function sendFlags() {
  const exam = S.exam;
  if (!exam || exam.done || sending || retry || !exam.flagQueue.length) return;
  const f = sending = exam.flagQueue[0];
  KS.api("PUT", "/api/attempts/" + exam.id + "/flags/" + f.slot, { flagged: f.flagged }).then(function (r) {
    sending = null;
    if (S.exam !== exam) return;
    if (r.status === 401) { location.replace("/"); return; }
    if (r.status === 409 && r.body.error === "ended") { S.hooks.ended(); return; }
    if (r.status >= 500) { later(); networkBack(); return; }
    if (r.status !== 200) notice(r.body.message || "第 " + (f.slot + 1) + " 题的标记未能保存");
    exam.flagQueue.shift();
    delay = FIRST_RETRY_MS;
    persistPending();
    networkBack();
    sendFlags();
  }).catch(function () {
    sending = null;
    if (S.exam !== exam) return;
    later();
    networkDown();
  });
}

function later() {
  retry = setTimeout(function () { retry = null; sendFlags(); }, delay);
  delay = Math.min(delay * 2, MAX_RETRY_MS);
}
