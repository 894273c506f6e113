/* Number answers on the candidate page: the number a candidate typed,
 * read with the server's rules (full-width digits and signs, separators,
 * a trailing %), and the text input that saves it; and debounced(), the
 * delay between typing and sending that every typed answer uses. */
const el = KS.el;

export function debounced(f, ms) {
  let t = null;
  const run = function () { clearTimeout(t); t = null; f(); };
  return { later: function () { clearTimeout(t); t = setTimeout(run, ms); }, now: run };
}

/* Full-width forms folded as the server folds them when it compares text
 * (U+FF01..U+FF5E to ASCII, the ideographic space to a space). */
export function foldWidth(text) {
  return text.replace(/[\uFF01-\uFF5E]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
             .replace(/\u3000/g, " ");
}

/* The number a candidate typed, or NaN: full-width digits and signs,
 * spaces, thousands separators (1,200 or 1，200, in groups of three) and
 * a trailing % are allowed; "80%" is 80, as the unit says. */
export function parseNumber(raw) {
  let t = foldWidth(raw).replace(/\s+/g, "").replace(/[\u2212\u2012\u2013]/g, "-").replace(/，/g, ",");
  t = t.replace(/%$/, "");
  if (/,/.test(t)) {
    if (!/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(t)) return NaN;
    t = t.replace(/,/g, "");
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return NaN;
  const v = Number(t);
  return Number.isFinite(v) ? v : NaN;
}

/* A number input: each valid keystroke is a draft at once (localStorage),
 * the network save is debounced; an input that is not a number shows an
 * error and marks the answer unsaved. Emptying the input withdraws the
 * answer ({}: unanswered), when there is one to withdraw. */
export function numberInput(value, unit, save) {
  const input = el("input", { type: "text", inputmode: "decimal", class: "number", "aria-label": "答案",
                              value: save.invalidText || (value === undefined ? "" : value) });
  const hint = el("span", { class: "error small", id: "hint-" + KS.randomKey().slice(0, 8) });
  input.setAttribute("aria-describedby", hint.id);
  let given = value !== undefined; /* whether the server may hold a number */
  function current() {
    const text = input.value.trim();
    return text === "" ? null : parseNumber(text);
  }
  function typed() {
    const v = current();
    if (Number.isNaN(v)) { save.invalid(input.value); return; }
    save.invalid(false);
    hint.textContent = "";
    input.removeAttribute("aria-invalid");
    if (v !== null) { given = true; save.draft({ value: v }); }
    else if (given) save.draft({});
  }
  const send = debounced(function () {
    const v = current();
    if (v === null) {
      hint.textContent = "";
      if (given) save({});
      given = false;
      return;
    }
    if (Number.isNaN(v)) {
      hint.textContent = "请输入数字（如 80 或 12.5），本题答案未保存";
      input.setAttribute("aria-invalid", "true");
      save.invalid(input.value);
      return;
    }
    save({ value: v });
  }, 700);
  input.addEventListener("input", function () { typed(); send.later(); });
  input.addEventListener("change", send.now);
  if (save.invalidText) send.now();
  return el("div", { class: "answer-line" }, input, unit ? el("span", { text: " " + unit }) : null, hint);
}

