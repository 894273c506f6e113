/* The result page of a finished attempt: the submission's receipt (time,
 * questions answered, receipt code) at once; then, as the certification's
 * review policy allows, the score and verdict with why a result fails, the
 * pass rule, the sections (numbers right-aligned), after a fail the
 * attempts left and the earliest retake (or why there is none), the
 * answers with markers' scores and comments, a result waiting for its
 * regrade after an amendment, and the certificate's PDF once issued. */
import { S, el, every, fmt, show, stopTimers } from "./exam-page.js";
import { describe } from "./exam-widgets.js";

const REASONS = {
  submitted: "您已交卷。", deadline: "考试时间到，系统已自动交卷。",
  forced: "监考老师已收卷。", closed: "本场考试已结束，系统已收卷。",
};

export function showResult(id, reason) {
  stopTimers();
  KS.api("GET", "/api/attempts/" + id + "/result").then(function (r) {
    const res = r.body, parts = [el("h1", { text: "已交卷" }),
                                 el("p", { class: "big", text: REASONS[reason || res.finish_reason] || "考试已结束。" })];
    if (r.status === 200 && res.receipt) parts.push(receipt(res.receipt));
    if (r.status !== 200) parts.push(el("p", { class: "error", text: res.message || "暂时无法查看成绩" }));
    else if (!res.published) {
      parts.push(el("p", { text: "成绩尚未公布，请稍后刷新本页查看。" }),
                 el("button", { type: "button", text: "刷新", onclick: function () { showResult(id, reason); } }));
      every(30000, function () { showResult(id, reason); });
    } else if (res.review === "none") {
      parts.push(el("p", { text: "成绩将另行通知。" }));
    } else if (!res.graded) { /* published, then amended: waiting for the regrade */
      parts.push(el("p", { text: "成绩复核中，请稍后刷新本页查看。" }),
                 el("button", { type: "button", text: "刷新", onclick: function () { showResult(id, reason); } }));
      every(30000, function () { showResult(id, reason); });
    } else {
      const verdict = res.passed ? "通过" : "未通过";
      parts.push(el("div", { class: "card score" },
        el("h2", { text: "成绩" }),
        el("p", { class: "big", text: "得分 " + fmt(res.score) + " / " + fmt(res.max_score) + "（" + fmt(res.percent) + "%）" }),
        el("p", { class: res.passed ? "pass" : "fail", text: "结果：" + verdict }),
        res.reason ? el("p", { class: "reason", text: (res.passed ? "说明：" : "未通过原因：") + res.reason }) : null,
        res.section_minimums ? el("p", { text: "及格标准：" + passRule(res) }) : null,
        el("div", { class: "table-wrap" }, el("table", { class: "data" },
          el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "部分" }), el("th", { scope: "col", class: "num", text: "得分" }),
                                       el("th", { scope: "col", class: "num", text: "满分" }))),
          el("tbody", {}, (res.sections || []).map(function (s) {
            return el("tr", {}, el("td", { text: s.title }), el("td", { class: "num", text: fmt(s.score) }),
                      el("td", { class: "num", text: fmt(s.max_score) }));
          }))))));
      if (!res.passed && res.attempts) parts.push(nextStep(res));
      if (res.questions) parts.push(el("h2", { text: "答题详情" }), el("ol", { class: "review" }, res.questions.map(function (q) {
        return el("li", {},
          el("p", { class: "stem", text: q.view.stem || "" }),
          el("p", {}, "您的答案：", describe(q.view, q.answer)),
          el("p", { class: "muted", text: "得分 " + fmt(q.marks.points) + " / " + fmt(q.marks.max_points) +
            (q.marks.by_person ? (q.marks.overridden ? " · 阅卷老师已人工调整本题得分" : " · 由阅卷老师评分") : "") }),
          q.marks.comment ? el("p", { class: "comment", text: "阅卷评语：" + q.marks.comment }) : null,
          q.key && q.key.explanation ? el("p", { class: "explain", text: "解析：" + q.key.explanation }) : null);
      })));
    }
    if (res.published && res.certificate) parts.push(certificateLink(res.certificate));
    show(el("section", { class: "card" }, parts));
  }).catch(function () { show(el("p", { class: "error", text: "无法连接服务器，请刷新页面重试" })); });
}

/* The attempt's certificate, once issued: its number and the PDF. */
function certificateLink(cert) {
  return el("div", { class: "card certificate" },
    el("p", { text: "您的证书已签发，证书编号 " + cert.number + "。" }),
    el("a", { class: "button", href: cert.pdf, download: cert.number + ".pdf", text: "下载证书 (PDF)" }));
}

/* The pass rule in words: the pass mark (or the script's rule) and the
 * sections' minimums; obj is a result or the waiting room's sitting. */
export function passRule(obj) {
  const mark = typeof obj.pass_mark === "number" ? "总分达到 " + fmt(obj.pass_mark) + "%" : "以考试规则为准";
  const mins = (obj.section_minimums || []).map(function (m) { return "“" + m.title + "”不低于 " + m.min; });
  return mark + (mins.length ? "；且" + mins.join("，") : "");
}

/* The receipt of the submission: when, how much was answered, its code. */
function receipt(rc) {
  const tz = S.me ? S.me.sitting.tz_offset_min : 0;
  return el("div", { class: "card receipt" },
    el("h2", { text: "交卷回执" }),
    el("dl", { class: "facts" },
      el("dt", { text: "交卷时间" }), el("dd", { text: KS.time(rc.finished_at, tz) }),
      el("dt", { text: "已答题目" }), el("dd", { text: rc.answered + " / " + rc.questions + " 题" }),
      el("dt", { text: "回执编号" }), el("dd", { class: "code", text: rc.code })),
    el("p", { class: "muted small", text: "请记下回执编号；对交卷有疑问时，考务人员可凭此核对。" }));
}

/* After a fail: the attempts used and left, and when the next may start. */
function nextStep(res) {
  const a = res.attempts, t = res.retake;
  const when = t.at === null ? "不能再次参加考试" + (t.reason ? "：" + t.reason : "。")
    : t.at <= res.server_now ? "现在即可再次参加考试，请联系考务安排。"
    : "最早可于 " + KS.time(t.at, S.me ? S.me.sitting.tz_offset_min : 0) + " 起再次参加考试。";
  return el("div", { class: "card next-step" },
    el("h2", { text: "下一步" }),
    el("p", { text: "已参加 " + a.used + " 次，共可参加 " + a.allowed + " 次，剩余 " + Math.max(0, a.allowed - a.used) + " 次。" }),
    el("p", { class: "retake", text: when }));
}
