/* The running exam's question navigator: a button per question, grouped by
 * section, that shows answered (filled, with a check mark), unanswered,
 * flagged (a flag badge), unsaved and current apart by more than colour and
 * says each in its accessible name; one tab stop (a roving tabindex: the
 * arrow keys move between the buttons, Home and End to the first and last,
 * Enter and Space open the question); on phones a drawer that the header's
 * 题目列表 button opens, so that the question comes first; and the
 * header's count 已答 n/N · 标记 k at every width. */
import { $, S, el } from "./exam-page.js";
import { slotUnsaved } from "./exam-save.js";
import { answered } from "./exam-widgets.js";

/* The page is a phone's when the navigator is a drawer (app.css agrees). */
const DRAWER_QUERY = "(max-width: 700px)";

let rover = 0; /* the slot whose button is the navigator's tab stop */
let open = null; /* opens a slot's question: go() of exam-run.js */

/* Whether a slot counts as answered: the server has its answer. */
export function slotAnswered(slot) {
  const s = S.exam.slots[slot];
  return answered(S.exam.questions[slot], s.answer) && !slotUnsaved(s);
}

/* A slot's state in words: 未保存, 已作答 or 未作答. */
export function slotState(slot) {
  return slotUnsaved(S.exam.slots[slot]) ? "未保存" : slotAnswered(slot) ? "已作答" : "未作答";
}

/* The navigator for S.exam, empty: updateNavigator() fills in the states.
 * onOpen(slot) shows a question. */
export function navigator(onOpen) {
  open = onOpen;
  rover = S.exam.current;
  const nav = el("nav", { class: "navigator", "aria-labelledby": "nav-title", id: "nav",
                          onkeydown: onKey },
    el("h2", { id: "nav-title", class: "nav-title", text: "题目列表" }),
    el("p", { class: "sr", id: "nav-help", text: "用方向键在题目间移动，回车打开题目。" }));
  S.exam.sections.forEach(function (sec, i) {
    const buttons = [];
    for (let n = sec.first; n < sec.first + sec.count; n++) {
      const slot = n - 1;
      buttons.push(el("button", { type: "button", class: "q", "data-slot": slot, text: n,
                                  "aria-describedby": "nav-help",
                                  onclick: function () { openSlot(slot); } }));
    }
    nav.appendChild(el("div", { class: "section", role: "group", "aria-labelledby": "nav-sec-" + i },
      el("h3", { id: "nav-sec-" + i, text: sec.title }), el("div", { class: "grid" }, buttons)));
  });
  nav.appendChild(el("p", { class: "legend small", "aria-hidden": "true" },
    el("span", { class: "key answered", text: "✓" }), " 已作答 ",
    el("span", { class: "key", text: "" }), " 未作答 ",
    el("span", { class: "key flagged", text: "" }), " 已标记"));
  return nav;
}

/* Puts the header's 题目列表 button (which opens and closes the drawer on
 * phones; hidden at other widths, where the navigator is always shown) and
 * the count 已答 n/N · 标记 k before the clock. */
export function placeHeader() {
  clearHeader();
  $("clock").before(
    el("button", { type: "button", id: "nav-toggle", class: "quiet nav-toggle", "aria-controls": "nav",
                   "aria-expanded": "false", text: "题目列表", onclick: function () { setDrawer(!drawerOpen()); } }),
    el("div", { id: "progress", class: "progress" }));
}

/* The exam is over: the header's button and count go. */
export function clearHeader() {
  ["nav-toggle", "progress"].forEach(function (id) { if ($(id)) $(id).remove(); });
}

function drawerOpen() { return $("nav").classList.contains("open"); }

/* Opens or closes the drawer: opening moves the focus to the current
 * question's button, closing (by the button or Esc) back to the button. */
function setDrawer(want, focusToggle) {
  const nav = $("nav"), toggle = $("nav-toggle");
  nav.classList.toggle("open", want);
  toggle.setAttribute("aria-expanded", want ? "true" : "false");
  if (want) buttonOf(rover).focus();
  else if (focusToggle) toggle.focus();
}

function isDrawer() { return window.matchMedia(DRAWER_QUERY).matches; }

function openSlot(slot) {
  rover = slot;
  if (isDrawer() && drawerOpen()) setDrawer(false);
  open(slot);
}

function buttons() { return Array.from($("nav").querySelectorAll("button.q")); }
function buttonOf(slot) { return $("nav").querySelector('button.q[data-slot="' + slot + '"]'); }

/* The arrow keys move along the buttons; up and down by a row of the
 * button's own section (as many as fit side by side). */
function onKey(ev) {
  if (ev.key === "Escape" && isDrawer() && drawerOpen()) { ev.preventDefault(); setDrawer(false, true); return; }
  const b = ev.target.closest("button.q");
  if (!b) return;
  const all = buttons(), at = all.indexOf(b);
  const row = Array.from(b.parentNode.children).filter(function (o) { return o.offsetTop === b.offsetTop; }).length;
  const to = { ArrowRight: at + 1, ArrowLeft: at - 1, ArrowDown: at + row, ArrowUp: at - row,
               Home: 0, End: all.length - 1 }[ev.key];
  if (to === undefined) return;
  ev.preventDefault();
  moveRover(Math.max(0, Math.min(all.length - 1, to)));
  buttonOf(rover).focus();
}

function moveRover(slot) {
  rover = slot;
  buttons().forEach(function (b) { b.tabIndex = Number(b.dataset.slot) === rover ? 0 : -1; });
}

/* Shows every question's state, the current one, and the header's count;
 * the tab stop follows the current question. */
export function updateNavigator() {
  const exam = S.exam;
  if (!exam || !$("nav")) return;
  let done = 0, flagged = 0;
  buttons().forEach(function (b) {
    const slot = Number(b.dataset.slot), s = exam.slots[slot];
    const waiting = slotUnsaved(s), yes = slotAnswered(slot);
    done += yes ? 1 : 0;
    flagged += s.flagged ? 1 : 0;
    b.className = "q" + (yes ? " answered" : "") + (s.flagged ? " flagged" : "") +
                  (waiting ? " unsaved" : "") + (slot === exam.current ? " current" : "");
    b.setAttribute("aria-label", "第 " + (slot + 1) + " 题，" + slotState(slot) + (s.flagged ? "，已标记" : ""));
    if (slot === exam.current) b.setAttribute("aria-current", "step");
    else b.removeAttribute("aria-current");
    b.title = waiting ? "未保存" : "";
  });
  moveRover($("nav").contains(document.activeElement) ? rover : exam.current);
  $("progress").textContent = "已答 " + done + "/" + exam.questions.length + " · 标记 " + flagged;
}
