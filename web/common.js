/* Shared by the pages: calls to the JSON API (with the session's CSRF token
 * on every state-changing request), building elements (text is always set as
 * text, never as HTML), modal dialogs, and showing times and durations. The
 * server's clock is the only clock: pages only display times it sent. */
"use strict";
const KS = (function () {
  let csrf = "";

  /* Resolves to {status, body}; rejects only when the server is unreachable.
   * opts.keepalive lets the request outlive the page (pagehide), when the
   * body is within the browser's 64 KiB keepalive budget. */
  function api(method, path, body, opts) {
    const json = method === "GET" ? undefined : JSON.stringify(body || {});
    const headers = { "Accept": "application/json" };
    if (method !== "GET") {
      headers["Content-Type"] = "application/json";
      if (csrf) headers["X-CSRF-Token"] = csrf;
    }
    return fetch(path, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      cache: "no-store",
      keepalive: !!(opts && opts.keepalive && json && json.length < 60000),
      body: json,
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (json && json.csrf) csrf = json.csrf;
        return { status: res.status, body: json || {} };
      });
    });
  }

  /* el("p", {class: "x", onclick: f}, "text", child, ...) */
  function el(tag, props) {
    const node = document.createElement(tag);
    for (const key in props || {}) {
      const value = props[key];
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (let i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(node, c); });
    else node.appendChild(typeof child === "string" || typeof child === "number"
      ? document.createTextNode(String(child)) : child);
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* "HH:MM:SS" or "H:MM:SS" for a duration in milliseconds. */
  function duration(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    return (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(s % 60);
  }

  /* A time (ms UTC) in the sitting's zone: "2027-07-18 09:00". */
  function time(ms, offsetMin) {
    const d = new Date(ms + (offsetMin || 0) * 60000);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) +
      " " + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
  }

  /* A time of day (ms UTC) in the sitting's zone: "09:00:05". */
  function clockTime(ms, offsetMin) {
    const d = new Date(ms + (offsetMin || 0) * 60000);
    return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
  }

  /* The server's clock, as last reported: now() is its time now. */
  function serverClock(serverNow) {
    const base = performance.now();
    return { now: function () { return serverNow + (performance.now() - base); } };
  }

  /* A random key for an idempotent save. */
  function randomKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return pad16(b); }).join("");
  }
  function pad16(b) { return (b < 16 ? "0" : "") + b.toString(16); }

  /* A modal dialog over the page: opts.title, opts.body (nodes), opts.actions
   * (buttons), opts.role ("dialog" or "alertdialog"), opts.onEscape (Esc
   * calls it; without it Esc does nothing, for a dialog the candidate may
   * not dismiss). While it is open everything else on the page is inert
   * (no focus, no clicks, hidden from screen readers) and Tab cycles inside
   * it; close() removes it and gives the focus back to where it was. The
   * focus goes to opts.focus, else the first action. One at a time: a new
   * modal replaces the open one. */
  let openModal = null;
  function modal(opts) {
    if (openModal) openModal.close(false);
    const titleId = "modal-title-" + randomKey().slice(0, 8);
    const box = el("div", { class: "dialog", role: opts.role || "dialog", "aria-modal": "true",
                            "aria-labelledby": titleId },
      el("h2", { id: titleId, text: opts.title }),
      el("div", { class: "dialog-body" }, opts.body),
      el("div", { class: "actions" }, opts.actions || []));
    const overlay = el("div", { class: "overlay" }, box);
    const behind = Array.from(document.body.children).filter(function (n) { return !n.inert; });
    const returnTo = document.activeElement;
    behind.forEach(function (n) { n.inert = true; });
    document.body.appendChild(overlay);
    function focusable() {
      return Array.from(box.querySelectorAll("button, [href], input, select, textarea, [tabindex]"))
        .filter(function (n) { return !n.disabled && n.tabIndex >= 0 && n.getClientRects().length; });
    }
    function onKey(ev) {
      if (ev.key === "Escape" && opts.onEscape) { ev.preventDefault(); opts.onEscape(); return; }
      if (ev.key !== "Tab") return;
      const f = focusable();
      if (!f.length) { ev.preventDefault(); return; }
      const first = f[0], last = f[f.length - 1];
      if (ev.shiftKey && document.activeElement === first) { ev.preventDefault(); last.focus(); }
      else if (!ev.shiftKey && document.activeElement === last) { ev.preventDefault(); first.focus(); }
    }
    overlay.addEventListener("keydown", onKey);
    const handle = {
      node: box,
      close: function (restore) {
        if (openModal !== handle) return;
        openModal = null;
        overlay.remove();
        behind.forEach(function (n) { n.inert = false; });
        if (restore !== false && returnTo && returnTo.isConnected) returnTo.focus();
      },
    };
    openModal = handle;
    const target = opts.focus || focusable()[0];
    if (target) target.focus();
    else { box.tabIndex = -1; box.focus(); }
    return handle;
  }

  return { api: api, el: el, append: append, clear: clear, duration: duration, time: time, clockTime: clockTime,
           serverClock: serverClock, randomKey: randomKey, modal: modal };
})();
