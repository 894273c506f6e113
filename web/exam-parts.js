/* The static material of a question's view after its stem: paragraphs,
 * tables and charts (SVG shown as an image), all set as text. */
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
    if (typeof p.chart === "string") {
      return el("img", { class: "chart", alt: "题目图表",
                         src: "data:image/svg+xml;charset=utf-8," + encodeURIComponent(p.chart) });
    }
    return null;
  });
}

/* A table: a list of rows (the first is the header), or
 * {header|columns: [...], rows: [[...]]}. */
export function dataTable(t) {
  const header = Array.isArray(t) ? t[0] : t.header || t.columns;
  const rows = Array.isArray(t) ? t.slice(1) : t.rows || [];
  return el("div", { class: "table-wrap" }, el("table", { class: "data" },
    header ? el("thead", {}, el("tr", {}, header.map(function (h) { return el("th", { text: h }); }))) : null,
    el("tbody", {}, rows.map(function (r) {
      return el("tr", {}, [].concat(r).map(function (c) { return el("td", { text: c }); }));
    }))));
}
