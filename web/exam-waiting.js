/* The waiting room: the sitting, its times, the candidate's own duration
 * (extra time included) and the deadline a start now would get (the
 * window's close when it comes first), the number of questions, the pass
 * rule and the permitted aids, a countdown to the opening by the server's
 * clock, and 开始考试 once the window is open. */
import { $, S, el, every, minutes, show, stopTimers } from "./exam-page.js";
import { startExam } from "./exam-run.js";
import { aidsFacts } from "./exam-aids.js";
import { passRule } from "./exam-result.js";

/* The deadline a start now gets, and whether the window's close sets it. */
function deadlineFact(s, deadline) {
  if (deadline === null || deadline === undefined) return "—";
  const early = S.me.server_now < s.opens_at, start = early ? s.opens_at : S.me.server_now;
  return KS.time(deadline, s.tz_offset_min) +
    (deadline < start + S.me.candidate.duration_ms ? "（受考场关闭时间限制）"
      : early ? "（开考时即开始作答）" : "（现在开始作答）");
}

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
  const deadline = el("dd", { id: "deadline", text: deadlineFact(s, S.me.candidate.deadline_if_started) });
  show(el("section", { class: "card waiting" },
    el("h1", { text: s.title }),
    el("dl", { class: "facts" },
      el("dt", { text: "考场" }), el("dd", { text: s.name }),
      el("dt", { text: "开考时间" }), el("dd", { text: KS.time(s.opens_at, s.tz_offset_min) }),
      el("dt", { text: "考场关闭时间" }), el("dd", { text: KS.time(s.closes_at, s.tz_offset_min) }),
      el("dt", { text: "考试时长" }), el("dd", { text: minutes(S.me.candidate.duration_ms) +
        (S.me.candidate.duration_ms > s.duration_ms ? "（含额外时间 " + minutes(S.me.candidate.duration_ms - s.duration_ms) + "）" : "") }),
      el("dt", { text: "最晚交卷时间" }), deadline,
      typeof s.questions === "number" ? [el("dt", { text: "题目数量" }), el("dd", { text: "共 " + s.questions + " 题" })] : null,
      s.pass_mark !== undefined && s.section_minimums ? [el("dt", { text: "及格标准" }), el("dd", { text: passRule(s) })] : null,
      aidsFacts(s.aids)),
    el("ul", { class: "rules" },
      el("li", { text: "计时以服务器时间为准；每道题作答后自动保存。" }),
      el("li", { text: "可标记题目稍后检查；交卷前可逐题查看作答状态并返回修改。" }),
      el("li", { text: "时间到时系统自动交卷。" })),
    status, message, start));
  tick();
  every(250, tick);
  every(15000, function () {
    KS.api("GET", "/api/me").then(function (r) {
      if (r.status !== 200) return;
      S.me = r.body;
      if (S.me.attempt) S.reload();
      else {
        clock.now = KS.serverClock(S.me.server_now).now;
        deadline.textContent = deadlineFact(s, S.me.candidate.deadline_if_started);
      }
    }).catch(function () {});
  });
}
