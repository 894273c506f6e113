/* What the proctor console's scripts share (the PC namespace): the page's
 * main area and its notice line (errors, and the confirmation of an action
 * done), the views each script registers in PC.go (login, sittings, one
 * sitting, marking), the link to a sitting's report, and dialogs over the
 * page (KS.modal: focus kept inside,
 * Esc cancels, the focus back on the button that opened it afterwards, or on
 * the same button drawn again if the page was redrawn meanwhile). */
"use strict";
const PC = (function () {
  const el = KS.el;
  const app = document.getElementById("app");

  /* An error or warning (ok false), or the confirmation of what was done. */
  function notice(text, ok) {
    const line = document.getElementById("notice");
    line.textContent = text;
    line.hidden = !text;
    line.classList.toggle("ok", !!ok);
  }

  function show(children) { KS.append(KS.clear(app), children); }

  /* What identifies a control across redraws: its accessible name. */
  function keyOf(node) {
    return node && (node.getAttribute("aria-label") || node.id || node.textContent.trim());
  }

  /* Focuses the control of the page whose key is key, if there is one. */
  function refocus(key) {
    if (!key) return;
    const again = Array.from(app.querySelectorAll("button, input, select, a")).find(function (n) {
      return keyOf(n) === key;
    });
    if (again) again.focus();
  }

  /* A dialog: opts.title, opts.body (nodes), opts.confirm {text, danger,
   * disabled} and opts.onConfirm(close), opts.focus (a node of the body).
   * Cancel and Esc close it. Returns { close, confirmButton }. */
  function dialog(opts) {
    const opener = document.activeElement, openerKey = keyOf(opener);
    const confirmButton = el("button", { type: "button", class: opts.confirm.danger ? "danger" : "primary",
                                         text: opts.confirm.text, disabled: !!opts.confirm.disabled,
                                         onclick: function () { opts.onConfirm(close); } });
    const cancel = el("button", { type: "button", text: "取消", onclick: function () { close(); } });
    const handle = KS.modal({ title: opts.title, body: opts.body, actions: [cancel, confirmButton],
                              onEscape: function () { close(); }, focus: opts.focus || cancel });
    function close() {
      handle.close();
      if (!(opener && opener.isConnected)) refocus(openerKey);
    }
    return { close: close, confirmButton: confirmButton };
  }

  /* The analytics report of an opened sitting: a page of the server's. */
  function reportLink(s, cls) {
    if (s.state === "draft") return null;
    return el("a", { class: cls, href: "/proctor/sittings/" + encodeURIComponent(s.name) + "/report",
                     text: "分析报告", "aria-label": s.name + " 分析报告" });
  }

  return { el: el, app: app, notice: notice, show: show, keyOf: keyOf, refocus: refocus, dialog: dialog,
           reportLink: reportLink, go: {} };
})();
