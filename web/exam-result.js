/* The result page of a finished attempt, as the certification's review
 * policy allows: the score and verdict with why a result fails, the
 * sections, the answers with markers' scores and comments, a result waiting
 * for its regrade after an amendment, and the certificate's PDF once
 * issued. */
import { el, every, fmt, show, stopTimers } from "./exam-page.js";
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
        el("p", { class: "big", text: "得分 " + fmt(res.score) + " / " + fmt(res.max_score) + "（" + fmt(res.percent) + "%）" }),
        el("p", { class: res.passed ? "pass" : "fail", text: "结果：" + verdict }),
        res.reason ? el("p", { class: "reason", text: (res.passed ? "说明：" : "未通过原因：") + res.reason }) : null,
        el("table", { class: "data" }, el("thead", {}, el("tr", {}, el("th", { text: "部分" }), el("th", { text: "得分" }))),
          el("tbody", {}, (res.sections || []).map(function (s) {
            return el("tr", {}, el("td", { text: s.title }), el("td", { text: fmt(s.score) + " / " + fmt(s.max_score) }));
          })))));
      if (res.questions) parts.push(el("ol", { class: "review" }, res.questions.map(function (q) {
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
