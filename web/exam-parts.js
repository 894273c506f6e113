/* The static material of a question's view after its stem: paragraphs,
 * tables (number columns right-aligned) and charts (SVG shown as an image,
 * enlarged in a dialog on a tap or click: a phone shrinks it), all set as
 * text. */
import { closeDialog, dialog } from "./exam-page.js";

const el = KS.el;

export function unsupported() {
  return el("p", { class: "error", text: "此题暂不支持在线作答，请联系监考老师。" });
}

export function asList(x) { return Array.isArray(x) ? x : []; }

/* The static material after the stem: paragraphs, tables and charts. */
export function parts(view) {
  return asList(view.parts).map(function (p) {
    if (!p || typeof p !== "object") return null;
    if (typeof p.text === "string") return el("p", { class: "part", text: p.text });
    if (p.table) return dataTable(p.table);
    if (typeof p.chart === "string") return chart(p.chart);
    return null;
  });
}

/* A chart as an image in a button that shows it full size. */
function chart(svg) {
  const src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
  return el("button", { type: "button", class: "chart-zoom", "aria-label": "题目图表（点击放大）",
                        onclick: function () {
                          dialog("题目图表", el("div", { class: "chart-full" },
                                                el("img", { alt: "题目图表（放大）", src: src })),
                                 [el("button", { type: "button", text: "关闭", onclick: closeDialog })], closeDialog);
                        } },
    el("img", { class: "chart", alt: "", src: src }));
}

/* Whether a table cell reads as a number: "1,200", "-3.5", "80%", "¥12". */
function numeric(c) {
  return /^[-+−]?[¥$]?\d[\d,]*(\.\d+)?\s*%?$/.test(String(c).trim());
}

/* A table: a list of rows (the first is the header), or
 * {header|columns: [...], rows: [[...]]}. */
export function dataTable(t) {
  const header = Array.isArray(t) ? t[0] : t.header || t.columns;
  const rows = (Array.isArray(t) ? t.slice(1) : t.rows || []).map(function (r) { return [].concat(r); });
  /* a column whose every cell is a number is right-aligned, header too */
  const num = function (i) {
    return rows.length > 0 && rows.every(function (r) { return r[i] !== undefined && numeric(r[i]); });
  };
  return el("div", { class: "table-wrap" }, el("table", { class: "data" },
    header ? el("thead", {}, el("tr", {}, header.map(function (h, i) {
      return el("th", { scope: "col", class: num(i) ? "num" : null, text: h });
    }))) : null,
    el("tbody", {}, rows.map(function (r) {
      return el("tr", {}, r.map(function (c, i) { return el("td", { class: num(i) ? "num" : null, text: c }); }));
    }))));
}
