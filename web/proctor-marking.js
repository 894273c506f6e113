/* Marking, blind: the essay answers of a sitting waiting for a mark, each
 * under its anonymous label (答卷, ...; the server sends no
 * candidate number or name), with stem, rubric and the answer's text, the
 * points to give and an optional comment. */
"use strict";
PC.marking = (function () {
  const el = KS.el;

  function responseText(w) {
    return w.response && typeof w.response.text === "string" ? w.response.text : JSON.stringify(w.response);
  }

  function item(name, w) {
    const label = "答卷 " + w.label + " 第 " + w.question + " 题";
    const points = el("input", { type: "number", min: 0, max: w.points, step: "any", class: "minutes",
                                 placeholder: "得分", "aria-label": label + " 得分" });
    const comment = el("input", { type: "text", maxlength: 2000, placeholder: "评语（可选）", "aria-label": label + " 评语" });
    function save() {
      const value = Number(points.value);
      if (points.value === "" || !(value >= 0 && value <= w.points)) { PC.notice("得分须在 0 到 " + w.points + " 之间"); return; }
      KS.api("POST", "/api/proctor/attempts/" + w.attempt + "/marks",
             { question: w.question, fraction: value / w.points, comment: comment.value.trim() }).then(function (m) {
        if (m.status === 200) { PC.notice("已保存" + label + "的评分：" + value + " 分", true); open(name); }
        else PC.notice(m.body.message || "保存失败");
      }).catch(function () { PC.notice("网络中断，评分未保存"); });
    }
    return el("li", { class: "card", "data-label": w.label },
      el("h2", { class: "answer-label", text: label }),
      el("p", { class: "muted", text: "满分 " + w.points + " 分" }),
      el("p", { class: "stem", text: w.stem || "" }),
      w.rubric ? el("p", { class: "muted", text: "评分标准：" + w.rubric }) : null,
      el("p", { class: "response", text: "考生答案：" + responseText(w) }),
      el("div", { class: "row-actions" }, points, comment,
        el("button", { type: "button", class: "primary", text: "保存评分", "aria-label": "保存评分：" + label, onclick: save })));
  }

  function open(name) {
    KS.api("GET", "/api/sittings/" + encodeURIComponent(name) + "/marking").then(function (r) {
      if (r.status === 401) { PC.go.login(); return; }
      if (r.status !== 200) { PC.notice(r.body.message || "无法读取待阅答卷"); return; }
      const back = el("button", { type: "button", text: "返回考场", onclick: function () { PC.go.sitting(name); } });
      PC.show([el("h1", { text: "阅卷 · " + name }),
        el("p", { class: "muted", text: "匿名阅卷：答卷以编号显示，不显示考生号和姓名。" }),
        el("div", { class: "actions" }, back),
        r.body.waiting.length ? el("ol", { class: "marking" }, r.body.waiting.map(function (w) { return item(name, w); }))
          : el("p", { class: "muted", text: "没有待阅的答卷。" })]);
    }).catch(function () { PC.notice("无法连接服务器"); });
  }

  return { open: open };
})();
