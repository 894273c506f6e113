/* The on-screen calculator a certification may permit (scripts/SCRIPTING.md,
 * "Permitted aids"): a non-modal panel with a display line, a result line
 * and keys. "basic": digits, + − × ÷, brackets, % ± C ⌫ =; "scientific"
 * adds √ x² xʸ 1/x ln log eˣ 10ˣ sin cos tan (degrees) π n! and Ans (the
 * last result). Expressions are parsed here by recursive descent (the
 * page's Content-Security-Policy forbids eval); results are shown to 12
 * significant digits and anything undefined (÷ 0, √ of a negative) as 错误.
 * Works offline: nothing is fetched or sent; onFirstUse() is called on the
 * first calculation of the page load, so the page can count it.
 * Keyboard: digits . + - * / ^ ( ) % !, Enter or =, Backspace, Delete
 * (clear), Escape (close; the focus returns to the opener). */

const MAX_TOKENS = 200;
const DIGITS = 12;
let usedThisLoad = false;

/* A token of the expression: kind t and the text shown, s.
 *   digit "0"-"9" "."   op + − × ÷ ^   lp (   rp )   post ² ⁻¹ ! %
 *   func (sin( ...; name f)   const π Ans */
const tok = {
  digit: (d) => ({ t: "digit", s: d }),
  op: (o) => ({ t: "op", s: o }),
  lp: { t: "lp", s: "(" },
  rp: { t: "rp", s: ")" },
  post: (p) => ({ t: "post", s: p }),
  func: (f, s) => ({ t: "func", f: f, s: s }),
  pi: { t: "const", s: "π" },
  ans: { t: "const", s: "Ans" },
};

/* ---- evaluation ---------------------------------------------------------- */

function fail() { throw new Error("invalid"); }

/* x, when it is a finite number; an operation that gives anything else
 * (÷ 0, √ −1, ln 0) fails. */
function finite(x) { return Number.isFinite(x) ? x : fail(); }

/* Sums without binary noise: 0.1 + 0.2 is 0.3, and 0.3 − 0.1 − 0.2 is 0. */
function tidy(x) { return x === 0 ? 0 : Number(x.toPrecision(15)); }

function factorial(n) {
  if (!Number.isInteger(n) || n < 0 || n > 170) fail();
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/* sin, cos and tan of an angle in degrees, exact where they are 0, ±1 or
 * undefined (sin 180 is 0, not 1.2e−16; tan 90 is 错误). */
function trig(f, degrees) {
  const a = ((degrees % 360) + 360) % 360;
  if (a % 90 === 0) {
    const quarter = a / 90; /* 0, 1, 2, 3 */
    const sin = [0, 1, 0, -1][quarter], cos = [1, 0, -1, 0][quarter];
    if (f === "sin") return sin;
    if (f === "cos") return cos;
    return cos === 0 ? fail() : sin / cos;
  }
  return Math[f](a * Math.PI / 180);
}

const functions = {
  sin: (x) => trig("sin", x), cos: (x) => trig("cos", x), tan: (x) => trig("tan", x),
  sqrt: Math.sqrt, ln: Math.log, log: Math.log10, exp: Math.exp, pow10: (x) => Math.pow(10, x),
};

const postfixes = {
  "²": (x) => x * x, "⁻¹": (x) => 1 / x, "!": factorial, "%": (x) => x / 100,
};

/* Merges digit tokens into numbers ({t: "num", v}); "1.2.3" or a lone "."
 * fails. */
function lex(tokens) {
  const out = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (t.t !== "digit") out.push(t);
    else if (last && last.t === "num") last.text += t.s;
    else out.push({ t: "num", text: t.s });
  }
  for (const t of out) {
    if (t.t === "num") {
      if (!/^(\d+\.?\d*|\.\d+)$/.test(t.text)) fail();
      t.v = Number(t.text);
    }
  }
  return out;
}

/* The value of the tokens, ans standing for Ans; throws on a malformed or
 * undefined expression. Grammar, loosest first (a missing ")" at the end
 * is closed; a number, constant, "(" or function right after a value
 * multiplies it: 2π, 3(1+2)):
 *   expr    = term { (+ | −) term }
 *   term    = unary { (× | ÷) unary | unary }
 *   unary   = (− | +) unary | power
 *   power   = postfix [ ^ unary ]            right-associative: 2^3^2 = 2^9
 *   postfix = primary { ² | ⁻¹ | ! | % }
 *   primary = number | π | Ans | ( expr ) | func expr ) */
function evaluate(tokens, ans) {
  const ts = lex(tokens);
  let i = 0;
  const peek = () => ts[i];
  const isOp = (t, ...ops) => t && t.t === "op" && ops.includes(t.s);
  const startsOperand = (t) => t && (t.t === "num" || t.t === "const" || t.t === "lp" || t.t === "func");

  function expr() {
    let v = term();
    while (isOp(peek(), "+", "−")) {
      const op = ts[i++].s, r = term();
      v = finite(tidy(op === "+" ? v + r : v - r));
    }
    return v;
  }
  function term() {
    let v = unary();
    for (;;) {
      if (isOp(peek(), "×", "÷")) {
        const op = ts[i++].s, r = unary();
        v = finite(op === "×" ? v * r : v / r);
      } else if (startsOperand(peek())) {
        v = finite(v * unary());
      } else {
        return v;
      }
    }
  }
  function unary() {
    if (isOp(peek(), "−", "+")) {
      const op = ts[i++].s, v = unary();
      return op === "−" ? -v : v;
    }
    return power();
  }
  function power() {
    const base = postfix();
    if (!isOp(peek(), "^")) return base;
    i++;
    return finite(Math.pow(base, unary()));
  }
  function postfix() {
    let v = primary();
    while (peek() && peek().t === "post") v = finite(postfixes[ts[i++].s](v));
    return v;
  }
  function primary() {
    const t = ts[i++];
    if (!t) fail();
    if (t.t === "num") return t.v;
    if (t.t === "const") return t.s === "π" ? Math.PI : ans;
    if (t.t !== "lp" && t.t !== "func") fail();
    const v = expr();
    if (peek() && peek().t === "rp") i++;
    else if (peek()) fail();
    return t.t === "lp" ? v : finite(functions[t.f](v));
  }

  const v = expr();
  if (i < ts.length) fail();
  return v;
}

/* x to 12 significant digits, as people write it: 0.3, 120, −2.5,
 * 1.5e20, 3e−9. */
function formatNumber(x) {
  const p = Number(x.toPrecision(DIGITS));
  if (p === 0) return "0";
  const a = Math.abs(p);
  let text;
  if (a >= 1e12 || a < 1e-6) {
    const [mantissa, exponent] = p.toExponential(DIGITS - 1).split("e");
    text = mantissa.replace(/\.?0+$/, "") + "e" + Number(exponent);
  } else {
    text = String(p);
  }
  return text.replace(/-/g, "−");
}

/* The result of the expression tokens as shown: a number, or 错误 (never a
 * throw). */
function calculate(tokens, ans) {
  try {
    return { ok: true, value: evaluate(tokens, ans) };
  } catch (e) {
    return { ok: false };
  }
}

/* ---- the panel ------------------------------------------------------------ */

/* Each key: the text on it, its name for screen readers, what it does. */
function keyOf(text, label, action) { return { text: text, label: label, action: action }; }

function basicKeys(input) {
  const digit = (d) => keyOf(d, d, () => input.token(tok.digit(d)));
  return [
    keyOf("C", "清除", input.clear), keyOf("⌫", "退格", input.backspace),
    keyOf("(", "左括号", () => input.token(tok.lp)), keyOf(")", "右括号", () => input.token(tok.rp)),
    digit("7"), digit("8"), digit("9"), keyOf("÷", "除", () => input.token(tok.op("÷"))),
    digit("4"), digit("5"), digit("6"), keyOf("×", "乘", () => input.token(tok.op("×"))),
    digit("1"), digit("2"), digit("3"), keyOf("−", "减", () => input.token(tok.op("−"))),
    keyOf("±", "正负号", input.negate), digit("0"), keyOf(".", "小数点", () => input.token(tok.digit("."))),
    keyOf("+", "加", () => input.token(tok.op("+"))),
    keyOf("%", "百分号", () => input.token(tok.post("%"))), keyOf("=", "等于", input.equals),
  ];
}

function scientificKeys(input) {
  const func = (f, s) => () => input.token(tok.func(f, s));
  return [
    keyOf("√", "平方根", func("sqrt", "√(")), keyOf("x²", "平方", () => input.token(tok.post("²"))),
    keyOf("xʸ", "乘方", () => input.token(tok.op("^"))), keyOf("1/x", "倒数", () => input.token(tok.post("⁻¹"))),
    keyOf("n!", "阶乘", () => input.token(tok.post("!"))),
    keyOf("ln", "自然对数", func("ln", "ln(")), keyOf("log", "常用对数", func("log", "log(")),
    keyOf("eˣ", "e 的乘方", func("exp", "e^(")), keyOf("10ˣ", "10 的乘方", func("pow10", "10^(")),
    keyOf("π", "圆周率", () => input.token(tok.pi)),
    keyOf("sin", "正弦（角度）", func("sin", "sin(")), keyOf("cos", "余弦（角度）", func("cos", "cos(")),
    keyOf("tan", "正切（角度）", func("tan", "tan(")), keyOf("Ans", "上次结果", () => input.token(tok.ans)),
  ];
}

/* Where the last operand of tokens begins: the run of digits and
 * constants at the end, or the "(" or function that the closing ")" at the
 * end matches; tokens.length when the end is no operand. */
function lastOperand(tokens) {
  let start = tokens.length;
  if (start && tokens[start - 1].t === "rp") {
    for (let depth = 0; start > 0; ) {
      const t = tokens[--start];
      if (t.t === "rp") depth++;
      else if ((t.t === "lp" || t.t === "func") && --depth === 0) return start;
    }
    return 0;
  }
  while (start > 0 && (tokens[start - 1].t === "digit" || tokens[start - 1].t === "const")) start--;
  return start;
}

/* What typed characters do; Enter, =, Backspace, Delete and Escape are
 * handled apart. */
const typed = {
  "+": () => tok.op("+"), "-": () => tok.op("−"), "*": () => tok.op("×"), "/": () => tok.op("÷"),
  "^": () => tok.op("^"), "(": () => tok.lp, ")": () => tok.rp, "%": () => tok.post("%"),
  "!": () => tok.post("!"), ".": () => tok.digit("."),
};

/* createCalculator({kind: "basic"|"scientific", onFirstUse, onClose}) →
 * {element, open(opener), close(), isOpen()}. element is the panel (hidden
 * until open()); open() shows it and takes the focus, close() (the close
 * button, Escape) hides it, gives the focus back to opener and calls
 * onClose. */
export function createCalculator(opts) {
  const scientific = opts.kind === "scientific";
  const el = (tag, props, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    node.append(...children);
    return node;
  };
  let tokens = [], ans = 0, shown = false, opener = null;

  const exprLine = el("div", { class: "calc-expr", "aria-label": "算式" });
  const resultLine = el("output", { class: "calc-result", "aria-live": "polite", "aria-label": "结果" });
  const screen = el("div", { class: "calc-screen", tabindex: "0", role: "group",
                             "aria-label": "算式与结果，可直接用键盘输入" }, exprLine, resultLine);

  function render() { exprLine.textContent = tokens.map((t) => t.s).join("") || "0"; }

  /* After a result, a digit, constant or function starts a new expression;
   * an operator continues from the result (Ans). */
  function continuing(t) {
    if (!shown) return;
    shown = false;
    tokens = t.t === "op" || t.t === "post" ? [tok.ans] : [];
    resultLine.textContent = "";
  }

  const input = {
    token(t) {
      continuing(t);
      if (tokens.length < MAX_TOKENS) tokens.push(t);
      render();
    },
    clear() {
      tokens = [];
      shown = false;
      resultLine.textContent = "";
      render();
    },
    backspace() {
      if (shown) return input.clear();
      tokens.pop();
      render();
    },
    /* ± changes the sign of the last operand: the number being typed, a
     * constant or a bracket (or adds − to start one). */
    negate() {
      continuing(tok.op("−"));
      const start = lastOperand(tokens);
      const sign = tokens[start - 1], preceding = tokens[start - 2];
      const negated = sign && sign.s === "−" &&
        (!preceding || preceding.t === "op" || preceding.t === "lp" || preceding.t === "func");
      if (negated) tokens.splice(start - 1, 1);
      else tokens.splice(start, 0, tok.op("−"));
      render();
    },
    equals() {
      if (!tokens.length) return;
      if (!usedThisLoad) {
        usedThisLoad = true;
        if (opts.onFirstUse) opts.onFirstUse();
      }
      const r = calculate(tokens, ans);
      exprLine.textContent = tokens.map((t) => t.s).join("") + " =";
      resultLine.textContent = r.ok ? formatNumber(r.value) : "错误";
      if (r.ok) ans = r.value;
      shown = true;
    },
  };

  const keyButton = (k) => {
    const b = el("button", { type: "button", class: "calc-key", "aria-label": k.label, text: k.text });
    if (k.text === "=") b.classList.add("calc-equals");
    /* a click keeps the focus where it is, so Enter goes on meaning = */
    b.addEventListener("mousedown", (ev) => ev.preventDefault());
    b.addEventListener("click", k.action);
    return b;
  };
  const pads = [];
  if (scientific) pads.push(el("div", { class: "calc-keys calc-sci" }, ...scientificKeys(input).map(keyButton)));
  pads.push(el("div", { class: "calc-keys calc-basic" }, ...basicKeys(input).map(keyButton)));

  const close = el("button", { type: "button", class: "calc-close", "aria-label": "关闭计算器", text: "×" });
  const panel = el("section", { class: "calculator", role: "dialog", "aria-label": "计算器" },
    el("div", { class: "calc-head" },
      el("span", { class: "calc-title", text: scientific ? "计算器（科学型）" : "计算器" }), close),
    screen, ...pads);
  panel.hidden = true;

  const handle = {
    element: panel,
    isOpen: () => !panel.hidden,
    open(from) {
      opener = from || document.activeElement;
      panel.hidden = false;
      screen.focus();
    },
    close() {
      if (panel.hidden) return;
      panel.hidden = true;
      if (opener && opener.isConnected) opener.focus();
      if (opts.onClose) opts.onClose();
    },
  };
  close.addEventListener("click", handle.close);

  panel.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.altKey || ev.metaKey) return;
    const onKey = ev.target instanceof HTMLButtonElement;
    let act = null;
    if (ev.key === "Escape") act = handle.close;
    else if (ev.key === "Enter" && !onKey) act = input.equals; /* on a key, Enter presses it */
    else if (ev.key === "=") act = input.equals;
    else if (ev.key === "Backspace") act = input.backspace;
    else if (ev.key === "Delete") act = input.clear;
    else if (/^[0-9]$/.test(ev.key)) act = () => input.token(tok.digit(ev.key));
    else if (typed[ev.key]) act = () => input.token(typed[ev.key]());
    if (!act) return;
    ev.preventDefault();
    ev.stopPropagation();
    act();
  });
  render();
  return handle;
}
