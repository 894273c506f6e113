/* The widgets of the candidate page, one per view vocabulary word
 * (choice, choices, truth, blanks, number, order, match, text, points):
 * each draws its controls for a question, says whether a response counts
 * as answered and puts a response in words for the result page. Built-in
 * and author-defined question types present the same views. */
import { debounced, numberInput } from "./exam-number.js";
import { asList, parts, unsupported } from "./exam-parts.js";

const el = KS.el;

/* Whether a answers question q, as its widget counts it; for a widget the
 * page does not know, any answer at all. */
export function answered(q, a) {
  if (!a) return false;
  const w = widget(q.view);
  return w ? w.answered(a) : Object.keys(a).length > 0;
}

/* The view's parts, then its widget's controls showing answer a; a widget
 * the page does not know, or a view it cannot show, gets a message. */
export function questionBody(q, a, save) {
  const w = widget(q.view);
  try {
    return parts(q.view).concat(w ? w.render(q, a, save) : unsupported());
  } catch (e) {
    return unsupported();
  }
}

function choiceList(name, type, options, isChecked, onchange) {
  return el("fieldset", { class: "choices" }, el("legend", { class: "sr", text: "选项" }),
    options.map(function (o, i) {
      const id = name + "-" + i;
      return el("div", { class: "choice" },
        el("input", { type: type, id: id, name: name, value: o.value, checked: isChecked(o.value),
                      onchange: onchange }),
        el("label", { for: id }, el("span", { class: "mark", text: o.mark }), o.text));
    }));
}

function letters(i) { return String.fromCharCode(65 + i); }

/* A view's options as choiceList() takes them, marked A, B, C, … */
function lettered(options) {
  return options.map(function (o, i) { return { value: o.id, mark: letters(i), text: o.text }; });
}

/* The values of the boxes checked in a choiceList(), as numbers. */
function checkedValues(box) {
  return Array.from(box.querySelectorAll("input:checked")).map(function (i) { return Number(i.value); });
}

/* The text of the entry with id among a view's {id, text} entries. */
function textOf(entries, id) {
  const found = asList(entries).find(function (o) { return o && o.id === id; });
  return found ? String(found.text) : String(id);
}

function blankLabel(view, i) {
  const label = asList(view.labels)[i];
  return typeof label === "string" && label !== "" ? label : "第 " + (i + 1) + " 空";
}

/* The list of an order widget: each item with 上移 and 下移 buttons; a move
 * saves the new order and keeps the focus on the moved item's button. */
function orderList(items, order, save) {
  const byId = {};
  items.forEach(function (it) { byId[it.id] = it.text; });
  const ol = el("ol", { class: "ordering" });
  function draw(focusId, dir) {
    KS.clear(ol);
    order.forEach(function (id, i) {
      const up = el("button", { type: "button", text: "上移", "aria-label": "上移：" + byId[id], disabled: i === 0,
                                onclick: function () { move(i, -1); } });
      const down = el("button", { type: "button", text: "下移", "aria-label": "下移：" + byId[id],
                                  disabled: i === order.length - 1, onclick: function () { move(i, 1); } });
      ol.appendChild(el("li", {}, el("span", { class: "item", text: byId[id] }), up, down));
      if (id === focusId) (dir < 0 ? (i === 0 ? down : up) : (i === order.length - 1 ? up : down)).focus();
    });
  }
  function move(i, d) {
    const j = i + d, id = order[i];
    order[i] = order[j];
    order[j] = id;
    draw(id, d);
    save({ order: order.slice() });
  }
  draw();
  return ol;
}

/* Every widget of a view (view.widget): render(q, a, save) builds its
 * controls showing answer a (or none) and calls save(response) with each
 * new answer; answered(a) says whether a response counts as answered;
 * describe(view, a) puts an answered response in words for the result. */
const WIDGETS = {
  choice: {
    render: function (q, a, save) {
      return choiceList("c" + q.slot, "radio", lettered(q.view.options),
        function (v) { return a && a.choice === v; },
        function (ev) { save({ choice: Number(ev.target.value) }); });
    },
    answered: function (a) { return Number.isInteger(a.choice); },
    describe: function (view, a) { return textOf(view.options, a.choice); },
  },
  choices: {
    render: function (q, a, save) {
      const box = choiceList("c" + q.slot, "checkbox", lettered(q.view.options),
        function (v) { return a && Array.isArray(a.choices) && a.choices.indexOf(v) >= 0; },
        function () { save({ choices: checkedValues(box).sort(function (x, y) { return x - y; }) }); });
      return el("div", {}, el("p", { class: "muted small", text: "可选多项" }), box);
    },
    answered: function (a) { return Array.isArray(a.choices) && a.choices.length > 0; },
    describe: function (view, a) {
      return a.choices.map(function (c) { return textOf(view.options, c); }).join("；");
    },
  },
  truth: {
    render: function (q, a, save) {
      return choiceList("c" + q.slot, "radio",
        [{ value: "true", mark: "✓", text: "正确" }, { value: "false", mark: "✗", text: "错误" }],
        function (v) { return a && typeof a.value === "boolean" && String(a.value) === v; },
        function (ev) { save({ value: ev.target.value === "true" }); });
    },
    answered: function (a) { return typeof a.value === "boolean"; },
    describe: function (view, a) { return a.value ? "正确" : "错误"; },
  },
  blanks: {
    render: function (q, a, save) {
      const inputs = [];
      for (let i = 0; i < q.view.blanks; i++)
        inputs.push(el("input", { type: "text", "aria-label": blankLabel(q.view, i),
                                  value: a && Array.isArray(a.blanks) ? a.blanks[i] || "" : "" }));
      /* sent as typed: the server folds full-width forms when it compares,
       * except for items that ask for an exact answer */
      function values() { return { blanks: inputs.map(function (x) { return x.value; }) }; }
      const s = debounced(function () { save(values()); }, 700);
      inputs.forEach(function (x) {
        x.addEventListener("input", function () { save.draft(values()); s.later(); });
        x.addEventListener("change", s.now);
      });
      return el("div", { class: "blanks" }, inputs.map(function (x, i) {
        return el("label", { class: "blank" }, blankLabel(q.view, i) + "：", x);
      }));
    },
    answered: function (a) {
      return Array.isArray(a.blanks) && a.blanks.some(function (b) { return typeof b === "string" && b.trim() !== ""; });
    },
    /* with the view's labels when it names its blanks */
    describe: function (view, a) {
      return a.blanks.map(function (b, i) { return view.labels ? blankLabel(view, i) + "：" + b : b; }).join("；");
    },
  },
  number: {
    render: function (q, a, save) {
      return numberInput(a ? a.value : undefined, q.view.unit, save);
    },
    answered: function (a) { return typeof a.value === "number"; },
    describe: function (view, a) { return String(a.value) + (view.unit ? " " + view.unit : ""); },
  },
  order: {
    render: function (q, a, save) {
      const order = a && Array.isArray(a.order) ? a.order.slice() : q.view.items.map(function (it) { return it.id; });
      return el("div", {}, el("p", { class: "muted small", text: "用“上移”“下移”调整顺序；顺序无需调整时请点“确认顺序”。" }),
        orderList(q.view.items, order, save),
        el("button", { type: "button", text: "确认顺序", onclick: function () { save({ order: order.slice() }); } }));
    },
    answered: function (a) { return Array.isArray(a.order); },
    describe: function (view, a) {
      return a.order.map(function (c) { return textOf(view.items, c); }).join(" → ");
    },
  },
  match: {
    render: function (q, a, save) {
      const selects = q.view.left.map(function (left, i) {
        return el("select", { "aria-label": left, onchange: changed },
          el("option", { value: "", text: "请选择" }),
          q.view.right.map(function (r) {
            return el("option", { value: r.id, text: r.text,
                                  selected: a && Array.isArray(a.matches) && a.matches[i] === r.id });
          }));
      });
      /* every change is saved, a partial answer too: an unpaired entry
       * is null, and clearing a pair clears it on the server */
      function changed() {
        save({ matches: selects.map(function (s) { return s.value === "" ? null : Number(s.value); }) });
      }
      return el("div", { class: "matching" }, q.view.left.map(function (left, i) {
        return el("label", { class: "pair" }, el("span", { text: left }), selects[i]);
      }), el("p", { class: "muted small", text: "每次选择后自动保存；未配对的项不得分。" }));
    },
    answered: function (a) {
      return Array.isArray(a.matches) && a.matches.some(function (m) { return m !== null && m !== undefined; });
    },
    describe: function (view, a) {
      return a.matches.map(function (m, i) {
        return asList(view.left)[i] + " — " + (m === null || m === undefined ? "未配对" : textOf(view.right, m));
      }).join("；");
    },
  },
  text: {
    render: function (q, a, save) {
      const max = q.view.max_chars;
      const area = el("textarea", { rows: 10, "aria-label": "作答", maxlength: max || null });
      area.value = a && typeof a.text === "string" ? a.text : "";
      const count = el("p", { class: "muted small" });
      function counted() { count.textContent = "已输入 " + area.value.length + (max ? " / " + max : "") + " 字"; }
      const s = debounced(function () { save({ text: area.value }); }, 1000);
      area.addEventListener("input", function () { counted(); save.draft({ text: area.value }); s.later(); });
      area.addEventListener("change", s.now);
      counted();
      return el("div", {}, area, count);
    },
    answered: function (a) { return typeof a.text === "string" && a.text.trim() !== ""; },
    describe: function (view, a) { return a.text; },
  },
  points: {
    render: function (q, a, save) {
      const opts = [];
      for (let i = 1; i <= q.view.npoints; i++) opts.push({ value: i, mark: "", text: "第 " + i + " 点" });
      const box = choiceList("p" + q.slot, "checkbox", opts,
        function (x) { return a && Array.isArray(a.points) && a.points.indexOf(x) >= 0; },
        function () { save({ points: checkedValues(box) }); });
      return el("div", { class: "points" }, el("p", { class: "muted small", text: "选出符合题意的点（可多选）" }), box);
    },
    answered: function (a) { return Array.isArray(a.points) && a.points.length > 0; },
    describe: function (view, a) { return "第 " + a.points.join("、") + " 点"; },
  },
};

/* The widget a view names, or null when the page does not know it. */
export function widget(view) {
  return Object.prototype.hasOwnProperty.call(WIDGETS, view.widget) ? WIDGETS[view.widget] : null;
}

/* An answer in words, as the view's widget puts it. */
export function describe(view, answer) {
  const w = widget(view);
  if (!answer || (w && !w.answered(answer))) return "未作答";
  return w ? w.describe(view, answer) : JSON.stringify(answer);
}
