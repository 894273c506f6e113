/* Saving on the candidate page, so that no answer is ever lost: every
 * keystroke kept in localStorage at once (with the seq it was typed over),
 * saves sent one at a time per question with an idempotency key and
 * retried with the same key until the server acknowledges them (at once
 * when the browser is back online), flushed with keepalive when the page
 * may close, restored and resent after a reload; the flags waiting to be
 * sent (exam-flags.js) kept in the same place; the page's word on the
 * network (a notice while it is down, gone once everything is
 * acknowledged); and the header's word on saving, never 已保存 while
 * anything is unsaved. What a save changes on screen goes through S.hooks. */
import { $, S, notice } from "./exam-page.js";
import { answered } from "./exam-widgets.js";

const FIRST_RETRY_MS = 1000, MAX_RETRY_MS = 10000;
/* every notice about the network begins with this word */
const NETWORK_WORD = "网络中断";
const NETWORK_NOTICE = "网络中断：答案和标记暂存在本机，网络恢复后自动发送。";

export function storeKey(id) { return "ks-pending-" + id; }

/* Whether slot s holds anything the server has not acknowledged: a typed
 * draft, a save waiting or on its way, or an input that is not valid. */
export function slotUnsaved(s) {
  return !!(s.draft || s.pending || s.unacked || s.invalid);
}

export function unsaved() {
  return S.exam.slots.some(slotUnsaved) || S.exam.flagQueue.length > 0;
}

/* Keeps every unsaved response in localStorage, with the seq it is based
 * on, and the flags waiting to be sent, in order (under "flags"), so that
 * a reload or a closed tab loses nothing. Called on every keystroke: it
 * must stay cheap. */
export function persistPending() {
  const keep = {};
  S.exam.slots.forEach(function (s, slot) {
    if (s.draft || s.pending || s.unacked)
      keep[slot] = { draft: s.draft, pending: s.pending, unacked: s.unacked, seq: s.seq };
  });
  if (S.exam.flagQueue.length) keep.flags = S.exam.flagQueue;
  try { localStorage.setItem(storeKey(S.exam.id), JSON.stringify(keep)); } catch (e) { /* private mode */ }
}

/* Responses not acknowledged before a reload are shown and sent again.
 * Saves already sent keep their keys: the server keeps each once, and
 * refuses one that a newer save (from another page) has overtaken. A
 * response never sent is dropped when the server's save is newer than the
 * one it was typed over. Flags waiting are shown as set and stay queued. */
export function restorePending() {
  let kept = {}, dropped = [];
  try { kept = JSON.parse(localStorage.getItem(storeKey(S.exam.id)) || "{}"); } catch (e) { kept = {}; }
  S.exam.flagQueue = (Array.isArray(kept.flags) ? kept.flags : []).filter(function (f) {
    return f && S.exam.slots[f.slot];
  });
  S.exam.flagQueue.forEach(function (f) { S.exam.slots[f.slot].flagged = f.flagged; });
  delete kept.flags;
  Object.keys(kept).forEach(function (slot) {
    const s = S.exam.slots[slot], k = kept[slot];
    if (!s || !k) return;
    const local = k.draft ? { response: k.draft, key: KS.randomKey() } : k.pending;
    if (!k.unacked && !local) return;
    if (!k.unacked && s.seq !== k.seq) { dropped.push(Number(slot) + 1); return; }
    s.seq = k.seq;
    s.unacked = k.unacked || null;
    s.pending = local || null;
    s.answer = (local || k.unacked).response;
  });
  if (dropped.length) S.exam.restoreNotice = "第 " + dropped.join("、") + " 题在其他页面已有更新的答案，已采用服务器上的答案。";
  persistPending();
}

/* A response typed but not yet sent (the network save is debounced): kept
 * in localStorage at once, and counted as unsaved. */
export function draftAnswer(slot, response) {
  const s = S.exam.slots[slot], q = S.exam.questions[slot];
  const before = slotUnsaved(s) + "/" + answered(q, s.answer);
  s.answer = response;
  s.draft = response;
  s.invalid = false;
  persistPending();
  /* the navigator is redrawn only when this question's marks change */
  if (slotUnsaved(s) + "/" + answered(q, s.answer) !== before) S.hooks.changed();
  updateSaving();
}

/* An input of slot that cannot be saved as it stands (e.g. not a number):
 * the server keeps its older answer, and the page says so. s.invalid holds
 * the text as typed, shown again when the question is shown again. */
export function markInvalid(slot, text) {
  const s = S.exam.slots[slot];
  if (s.invalid === text) return;
  s.invalid = text;
  S.hooks.changed();
  updateSaving();
}

export function setAnswer(slot, response) {
  const s = S.exam.slots[slot];
  s.answer = response;
  s.draft = null;
  s.invalid = false;
  s.pending = { response: response, key: KS.randomKey() };
  persistPending();
  S.hooks.changed();
  updateSaving();
  pump(slot);
}

/* On pagehide or a hidden tab: every draft becomes a save, and each save
 * not already on its way goes out at once, with keepalive so that it
 * outlives the page (keepalive). What still fails is in localStorage for
 * the reload. */
export function flushNow(keepalive) {
  if (!S.exam || S.exam.done) return;
  S.exam.slots.forEach(function (s, slot) {
    if (s.draft) { s.pending = { response: s.draft, key: KS.randomKey() }; s.draft = null; }
  });
  persistPending();
  S.exam.slots.forEach(function (s, slot) { pump(slot, keepalive); });
}

export function pump(slot, keepalive) {
  const s = S.exam.slots[slot];
  const p = s.unacked || s.pending;
  if (!p || s.inflight || S.exam.state === "paused" || S.exam.done) return;
  s.inflight = true;
  /* on its way: kept (with its key) as unacknowledged, so that a reload
   * sends it again rather than taking the server's save for another page's */
  s.unacked = p;
  if (s.pending === p) s.pending = null;
  persistPending();
  updateSaving();
  KS.api("PUT", "/api/attempts/" + S.exam.id + "/answers/" + slot,
         { response: p.response, key: p.key, base: s.seq }, { keepalive: !!keepalive }).then(function (r) {
    s.inflight = false;
    const error = r.body.error;
    if (r.status === 200) {
      s.seq = r.body.seq;
      s.unacked = null;
      if (s.pending === p) s.pending = null;
      s.delay = FIRST_RETRY_MS;
      S.exam.lastSaved = Date.now();
    } else if (r.status === 409 && error === "conflict") {
      s.seq = r.body.seq;
      s.answer = r.body.answer;
      s.unacked = s.pending = s.draft = null;
      notice(r.body.message);
      S.hooks.redraw(slot);
    } else if (r.status === 409 && error === "paused") {
      S.exam.state = "paused";
      S.hooks.paused();
    } else if (r.status === 409 && error === "ended") {
      s.unacked = s.pending = null;
      S.hooks.ended();
    } else if (r.status === 400) {
      s.unacked = s.pending = null;
      notice("第 " + (slot + 1) + " 题的答案格式不正确，未保存");
    } else if (r.status === 401) {
      location.replace("/");
      return;
    } else {
      retryLater(slot, p);
    }
    if (!S.exam) return; /* ended */
    persistPending();
    networkBack();
    S.hooks.changed();
    if (!S.exam.done && !s.retry) pump(slot);
  }).catch(function () {
    s.inflight = false;
    retryLater(slot, p);
    networkDown();
  });
}

/* The server may or may not have kept p: send it again, same key, first. */
function retryLater(slot, p) {
  const s = S.exam.slots[slot];
  s.unacked = p;
  persistPending();
  s.retry = setTimeout(function () { s.retry = null; if (S.exam) pump(slot); }, s.delay);
  s.delay = Math.min(s.delay * 2, MAX_RETRY_MS);
}

/* Sends every save waiting for its retry now (the browser is back online,
 * or the exam resumed). */
export function sendWaiting() {
  if (!S.exam || S.exam.done) return;
  S.exam.slots.forEach(function (s, slot) {
    clearTimeout(s.retry);
    s.retry = null;
    s.delay = FIRST_RETRY_MS;
    pump(slot);
  });
}

window.addEventListener("online", sendWaiting);

/* The network failed: the page says so, unless it shows a notice already. */
export function networkDown() {
  if (!S.exam || S.exam.done) return;
  S.exam.offline = true;
  if (!$("notice").textContent) notice(NETWORK_NOTICE);
  updateSaving();
}

/* The server answered: once nothing waits for it any more, every notice
 * about the network goes. */
export function networkBack() {
  if (!S.exam || S.exam.done) return;
  S.exam.offline = false;
  if (!sending() && !S.exam.flagQueue.length && $("notice").textContent.startsWith(NETWORK_WORD)) notice("");
  updateSaving();
}

/* The header's word on saving: never 已保存 while anything is unsaved. */
export function updateSaving() {
  if (!S.exam) return;
  const busy = unsaved();
  const invalid = [];
  S.exam.slots.forEach(function (s, slot) { if (s.invalid) invalid.push(slot + 1); });
  const box = $("saving");
  box.className = "saving " + (invalid.length ? "invalid" : S.exam.offline ? "offline" : busy ? "busy" : "saved");
  box.textContent = invalid.length ? "第 " + invalid.join("、") + " 题答案无效，未保存"
    : S.exam.offline ? (busy ? "网络中断，正在重试…" : "网络中断，正在重新连接…")
    : busy ? "正在保存…"
    : S.exam.lastSaved ? "已保存" : "";
}

/* Whether a response still waits for the network (an invalid input does
 * not: there is nothing to send). */
function sending() {
  return S.exam.slots.some(function (s) { return s.draft || s.pending || s.unacked; });
}

/* Sends every draft now; resolves once every answer is acknowledged, or
 * after ms. */
export function flush(ms) {
  const until = performance.now() + ms;
  flushNow(false);
  return new Promise(function (resolve) {
    (function check() {
      if (!sending() || performance.now() > until) resolve(!sending());
      else setTimeout(check, 200);
    })();
  });
}
