/* Below a sitting's live table: its results (with the reason a fail is
 * given and the certificate's state), the versions of its frozen files, the
 * results an amendment changed (before -> after) and the certificates it
 * flagged. A heavier read than the live table, so fetched on opening the
 * sitting, after an action or an event that may change them, and on
 * request; numbers right-aligned. */
"use strict";
PC.scores = (function () {
  const el = KS.el;
  const OUTCOMES = { running: "作答中", ungraded: "未评分", pending: "待阅卷", pass: "通过", fail: "未通过" };
  const CERTIFICATES = { valid: "有效", flagged: "待复核", revoked: "已撤销" };
  let loaded = null; /* { name, results, amendments } */

  /* Fetches sitting name's results and amendments, then calls drawn(). */
  function load(name, drawn) {
    const base = "/api/sittings/" + encodeURIComponent(name);
    return Promise.all([KS.api("GET", base + "/results"), KS.api("GET", base + "/amendments")]).then(function (rs) {
      if (rs[0].status !== 200 || rs[1].status !== 200) { PC.notice(rs[0].body.message || rs[1].body.message || "无法读取成绩"); return; }
      loaded = { name: name, results: rs[0].body.results, amendments: rs[1].body };
      drawn();
    }).catch(function () { document.getElementById("saving").textContent = "网络中断，正在重试…"; });
  }

  function score(x) { return String(Math.round(x * 100) / 100); }

  function side(r) {
    return score(r.score) + " / " + score(r.max_score) + "（" + score(r.percent) + "%，" + (OUTCOMES[r.outcome] || r.outcome) + "）";
  }

  function certificate(c) { return c ? c.number + " " + (CERTIFICATES[c.state] || c.state) : "—"; }

  /* heads: [text, numeric?]; rows: tr nodes whose numeric cells have class num;
   * in a box that scrolls on a phone, which the keyboard reaches as a region
   * named label. */
  function dataTable(label, cls, heads, rows) {
    return el("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": label },
      el("table", { class: "data " + cls },
        el("thead", {}, el("tr", {}, heads.map(function (h) {
          return el("th", { scope: "col", class: h[1] ? "num" : null, text: h[0] });
        }))),
        el("tbody", {}, rows)));
  }
  function cell(text) { return el("td", { text: text }); }
  function num(text) { return el("td", { class: "num", text: text }); }

  /* The panel for sitting s (null until loaded, or for a draft). */
  function panel(s, reload) {
    if (!loaded || loaded.name !== s.name || s.state === "draft") return null;
    const a = loaded.amendments;
    return [
      el("h2", { text: "成绩" }),
      el("div", { class: "actions" }, el("button", { type: "button", text: "刷新成绩", onclick: reload })),
      loaded.results.length ? dataTable("成绩", "results", [["考生号"], ["姓名"], ["次数", 1], ["得分", 1], ["结果"], ["说明"], ["证书"]],
        loaded.results.map(function (r) {
          return el("tr", { class: r.outcome, "data-number": r.candidate },
            cell(r.candidate), cell(r.name), num(r.attempt),
            num(r.score === undefined ? "—" : score(r.score) + " / " + score(r.max_score) + "（" + score(r.percent) + "%）"),
            cell(OUTCOMES[r.outcome] || r.outcome), el("td", { class: "reason", text: r.reason || "" }),
            cell(certificate(r.certificate)));
        })) : el("p", { class: "muted", text: "还没有答卷" }),
      el("h2", { text: "试题版本" }),
      el("ol", { class: "versions" }, a.versions.map(function (v) {
        return el("li", { "data-version": v.version, text: "第 " + v.version + " 版 · " + KS.time(v.at, s.tz_offset_min) + " · " +
          (v.actor || "—") + " · " + (v.reason || "开放考场时冻结") + " · sha256 " + v.sources_hash.slice(0, 12) });
      })),
      a.version > 1 ? [el("h2", { text: "更正后的成绩变化" }),
        a.changes.length ? dataTable("更正后的成绩变化", "changes", [["版本"], ["考生号"], ["姓名"], ["次数", 1], ["更正前", 1], ["更正后", 1], ["证书"]],
          a.changes.map(function (c) {
            return el("tr", { "data-number": c.candidate },
              cell("第 " + c.version + " 版"), cell(c.candidate), cell(c.name), num(c.attempt),
              num(side(c.before)), num(side(c.after)), cell(certificate(c.certificate)));
          })) : el("p", { class: "muted", text: "更正没有改变任何成绩" })] : null,
      a.flagged.length ? [el("h2", { text: "待复核的证书" }),
        el("ul", { class: "flagged" }, a.flagged.map(function (f) {
          return el("li", { text: f.number + " · " + f.candidate + " " + f.name + " · " + KS.time(f.flagged_at, s.tz_offset_min) +
            " 标记 · " + f.reason });
        })),
        el("p", { class: "muted", text: "标记不会撤销证书；如需撤销，请用 kaoshi certificate revoke。" })] : null,
    ];
  }

  return { load: load, panel: panel };
})();
