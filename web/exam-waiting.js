/* The waiting room: the sitting, its times and the candidate's own
 * duration (extra time included), a countdown to the opening by the
 * server's clock, and 开始考试 once the window is open. */
import { $, S, el, every, minutes, show, stopTimers } from "./exam-page.js";
import { startExam } from "./exam-run.js";

export function waitingRoom() {
  stopTimers();
  const s = S.me.sitting;
  const clock = KS.serverClock(S.me.server_now);
  const status = el("p", { class: "big", "aria-live": "polite" });
  const message = el("p", { class: "error", role: "alert" });
  const start = el("button", { class: "primary", type: "button", disabled: true,
                               text: "开始考试", onclick: begin });
  function tick() {
    const now = clock.now();
    const open = s.state === "open" && now >= s.opens_at && now < s.closes_at;
    start.disabled = !open;
    if (s.state === "draft") status.textContent = "考试尚未开放，请稍候。";
    else if (s.state === "closed" || now >= s.closes_at) status.textContent = "本场考试已结束。";
    else if (now < s.opens_at) status.textContent = "距开考还有 " + KS.duration(s.opens_at - now);
    else status.textContent = "考试已开始，请点击“开始考试”。";
    $("clock").textContent = "";
  }
  function begin() {
    start.disabled = true;
    KS.api("POST", "/api/attempts").then(function (r) {
      if (r.status === 200) startExam(r.body.attempt);
      else { message.textContent = r.body.message || "暂时不能开始考试"; tick(); }
    }).catch(function () { message.textContent = "无法连接服务器，请重试"; start.disabled = false; });
  }
  show(el("section", { class: "card waiting" },
    el("h1", { text: s.title }),
    el("dl", { class: "facts" },
      el("dt", { text: "考场" }), el("dd", { text: s.name }),
      el("dt", { text: "开考时间" }), el("dd", { text: KS.time(s.opens_at, s.tz_offset_min) }),
      el("dt", { text: "截止时间" }), el("dd", { text: KS.time(s.closes_at, s.tz_offset_min) }),
      el("dt", { text: "考试时长" }), el("dd", { text: minutes(S.me.candidate.duration_ms) +
        (S.me.candidate.duration_ms > s.duration_ms ? "（含额外时间 " + minutes(S.me.candidate.duration_ms - s.duration_ms) + "）" : "") })),
    el("ul", { class: "rules" },
      el("li", { text: "计时以服务器时间为准；每道题作答后自动保存。" }),
      el("li", { text: "可标记题目稍后检查；交卷前会列出未答和已标记的题目。" }),
      el("li", { text: "时间到时系统自动交卷。" })),
    status, message, start));
  tick();
  every(250, tick);
  every(15000, function () {
    KS.api("GET", "/api/me").then(function (r) {
      if (r.status !== 200) return;
      S.me = r.body;
      if (S.me.attempt) S.reload();
      else { clock.now = KS.serverClock(S.me.server_now).now; }
    }).catch(function () {});
  });
}
