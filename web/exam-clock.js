/* The running exam's clock on the candidate page: the time left by the
 * server's clock (setClock with each status the server sends), the
 * header's countdown and the button that hides it (remembered in
 * localStorage), announcements at 15, 5 and 1 minutes left as a banner that
 * is also an assertive live region (announce(), which exam-events.js uses
 * too), a large final countdown in the last minute, and the call to submit
 * when the time is up. */
import { $, S, el, every } from "./exam-page.js";

const WARN_AT_MIN = [15, 5, 1];
/* a warning already given is armed again only when the time left grows
 * this far past it (an extension), never by a resync's small correction */
const REARM_MS = 30000;
const FINAL_MS = 60000;
const BANNER_MS = 60000;   /* how long an announcement stays on screen */
const HIDE_KEY = "ks-hide-timer";

let armed = {};            /* minutes -> whether that warning is still to give */
let bannerTimer = null;

export function setClock(status) {
  S.exam.left = status.time_left_ms;
  S.exam.leftAt = performance.now();
  S.exam.state = status.state;
}

export function timeLeft() {
  const exam = S.exam;
  return exam.state === "running" ? exam.left - (performance.now() - exam.leftAt) : exam.left;
}

/* Starts the clock of S.exam (setClock has run): says the time left once
 * when under 15 minutes, then ticks; onTimeUp runs when the time is up. */
export function startClock(onTimeUp) {
  placeControls();
  const left = timeLeft();
  armed = {};
  WARN_AT_MIN.forEach(function (m) { armed[m] = left > m * 60000; });
  if (left < WARN_AT_MIN[0] * 60000) announce("还剩 " + spoken(left) + finalWords(left));
  tick(onTimeUp);
  every(250, function () { tick(onTimeUp); });
}

/* The exam is over: the clock, its button, the banner and the countdown go. */
export function stopClock() {
  $("clock").textContent = "";
  const toggle = $("clock-toggle");
  if (toggle) toggle.remove();
  clearTimeout(bannerTimer);
  if ($("time-alert")) $("time-alert").textContent = "";
  if ($("countdown")) $("countdown").hidden = true;
}

/* Shows text in the banner, which screen readers announce at once, for a
 * minute or until the next announcement. */
export function announce(text) {
  const banner = $("time-alert");
  banner.textContent = text;
  clearTimeout(bannerTimer);
  bannerTimer = setTimeout(function () { banner.textContent = ""; }, BANNER_MS);
}

/* The banner, the final countdown (both lines of the sticky header) and
 * the header's hide-timer button, made once per page. The live region
 * exists before anything is announced in it, so that screen readers notice
 * changes. */
function placeControls() {
  if (!$("time-alert")) {
    $("clock").parentNode.append(el("p", { id: "time-alert", class: "time-alert", role: "alert" }),
                                 el("p", { id: "countdown", class: "countdown", hidden: true }));
  }
  if (!$("clock-toggle")) {
    $("clock").after(el("button", { type: "button", id: "clock-toggle", class: "quiet",
                                    "aria-controls": "clock", onclick: toggleHidden }));
  }
  showHidden(hiddenByChoice());
}

function hiddenByChoice() {
  try { return localStorage.getItem(HIDE_KEY) === "1"; } catch (e) { return false; }
}

function toggleHidden() {
  const hide = !hiddenByChoice();
  try {
    if (hide) localStorage.setItem(HIDE_KEY, "1");
    else localStorage.removeItem(HIDE_KEY);
  } catch (e) { /* private mode: for this page only */ }
  showHidden(hide);
}

function showHidden(hide) {
  $("clock").hidden = hide;
  const toggle = $("clock-toggle");
  toggle.textContent = hide ? "显示计时" : "隐藏计时";
  toggle.setAttribute("aria-pressed", hide ? "true" : "false");
}

/* "4 分 30 秒", "45 秒" */
function spoken(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return s >= 60 ? Math.floor(s / 60) + " 分" + (s % 60 ? " " + (s % 60) + " 秒" : "钟") : s + " 秒";
}

function finalWords(ms) { return ms <= FINAL_MS ? "，时间到将自动交卷" : ""; }

function tick(onTimeUp) {
  const exam = S.exam;
  if (!exam) return;
  const left = timeLeft();
  const c = $("clock");
  c.textContent = (exam.state === "paused" ? "已暂停 · " : "剩余 ") + KS.duration(left);
  c.classList.toggle("low", left < 5 * 60000);
  warn(left);
  const countdown = $("countdown");
  countdown.hidden = left > FINAL_MS;
  if (!countdown.hidden) countdown.textContent = "还剩 " + spoken(left) + finalWords(left);
  if (left <= 0 && exam.state === "running" && !exam.ending) onTimeUp();
}

/* Each warning once as its time is reached; the smallest one reached wins
 * when several are (a page that slept). */
function warn(left) {
  WARN_AT_MIN.forEach(function (m) {
    if (left > m * 60000 + REARM_MS) armed[m] = true;
    else if (left <= m * 60000 && armed[m]) {
      armed[m] = false;
      announce("还剩 " + m + " 分钟" + finalWords(m * 60000));
    }
  });
}
