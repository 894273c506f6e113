/* The public verification page. /verify shows a form for a certificate
 * number; /verify/NUMBER shows what GET /api/verify/NUMBER answers: 有效 with
 * what the certificate states, 已撤销 with the reason and date, 无效 or 未找到.
 * Everything the server sends is set as text, never as HTML. */
"use strict";
(function () {
  const el = KS.el;
  const PREFIX = "/verify/";
  const form = document.getElementById("lookup");
  const input = document.getElementById("number");
  const message = document.getElementById("message");
  const verdict = document.getElementById("verdict");

  function numberInPath() {
    if (!location.pathname.startsWith(PREFIX)) return "";
    try { return decodeURIComponent(location.pathname.slice(PREFIX.length)); } catch (e) { return ""; }
  }

  /* A definition list of the rows [label, value] that have a value. */
  function facts(rows) {
    return el("dl", { class: "facts" }, rows.filter(function (r) {
      return r[1] !== undefined && r[1] !== null && r[1] !== "";
    }).map(function (r) { return [el("dt", { text: r[0] }), el("dd", { text: String(r[1]) })]; }));
  }

  function score(b) {
    return typeof b.score === "number" ? b.score + " / " + b.max_score + " 分" : null;
  }

  function card(cls, title, children) {
    return el("div", { class: "card verdict " + cls }, el("h2", { text: title }), children);
  }

  function render(number, r) {
    const b = r.body;
    if (r.status !== 200) return card("bad", "暂时无法验证", el("p", { text: b.message || "请稍后再试" }));
    switch (b.status) {
    case "valid":
      return card("ok", "有效", [
        el("p", { text: "此证书由本系统签发，签名核对无误，未被撤销。证书所载内容如下：" }),
        facts([["证书编号", b.number], ["姓名", b.name], ["证书", (b.series || "") + b.title],
               ["认证岗位", b.role], ["认证代码", b.code], ["考试成绩", score(b)],
               ["发证日期", b.date], ["发证机构", b.issuer], ["签名指纹", b.fingerprint]]),
      ]);
    case "revoked":
      return card("bad", "已撤销", [
        el("p", { text: "此证书已被发证机构撤销，不再有效。" }),
        facts([["证书编号", b.number], ["撤销原因", b.reason], ["撤销日期", b.revoked_on]]),
      ]);
    case "invalid":
      return card("bad", "无效", [
        el("p", { text: "编号为 " + number + " 的证书记录未通过签名核对，可能已被篡改。请联系发证机构。" }),
      ]);
    default:
      return card("bad", "未找到", [
        el("p", { text: "没有编号为 " + number + " 的证书。请核对编号后重试。" }),
      ]);
    }
  }

  function show(number) {
    KS.clear(verdict);
    message.textContent = "";
    input.value = number;
    if (!number) return;
    document.title = number + " · 证书验证";
    verdict.appendChild(el("p", { class: "muted", text: "正在验证…" }));
    KS.api("GET", "/api/verify/" + encodeURIComponent(number)).then(function (r) {
      KS.clear(verdict).appendChild(render(number, r));
    }).catch(function () {
      KS.clear(verdict);
      message.textContent = "无法连接服务器，请检查网络后重试";
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    const number = input.value.trim().toUpperCase();
    if (!number) {
      message.textContent = "请填写证书编号";
      return;
    }
    history.pushState(null, "", PREFIX + encodeURIComponent(number));
    show(number);
  });
  window.addEventListener("popstate", function () { show(numberInPath()); });

  show(numberInPath());
  if (!numberInPath()) input.focus();
})();
