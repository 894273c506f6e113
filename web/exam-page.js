/* The candidate page's shared state and its small tools: the reply of
 * /api/me, the running exam, the page's repeating timers, the notice line,
 * and showing a view in <main>. Every module of the exam page imports it. */
export const el = KS.el;
export const $ = function (id) { return document.getElementById(id); };

/* me: the reply of /api/me; exam: the running exam (null outside one);
 * hooks: what the exam's view does when saving changes a question
 * (set by exam-run.js); reload(): reads /api/me again and shows what it
 * says (set by exam.js). */
export const S = { me: null, exam: null, hooks: null, reload: null };

let timers = [];
export function every(ms, f) { timers.push(setInterval(f, ms)); }
export function stopTimers() { timers.forEach(clearInterval); timers = []; }

export function notice(text) {
  const n = $("notice");
  n.textContent = text;
  n.hidden = !text;
}

/* Shows children as the page's view; the focus goes to <main> unless
 * focus is false (the caller moves it). */
export function show(children, focus) {
  const app = $("app");
  KS.append(KS.clear(app), children);
  if (focus !== false) app.focus();
}

export function fmt(x) { return typeof x === "number" ? String(Math.round(x * 100) / 100) : "—"; }

/* A duration in minutes, to a tenth: "30 分钟", "37.5 分钟". */
export function minutes(ms) { return Math.round(ms / 6000) / 10 + " 分钟"; }

/* The page's one modal dialog (KS.modal: the page behind is inert, Tab
 * stays inside); onEscape, when given, is what Esc does. */
let openDialog = null;
export function dialog(title, body, actions, onEscape) {
  openDialog = KS.modal({ title: title, body: body, actions: actions, onEscape: onEscape });
}
export function closeDialog() {
  if (openDialog) openDialog.close();
  openDialog = null;
}
