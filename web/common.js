/* Shared by the pages: calls to the JSON API (with the session's CSRF token
 * on every state-changing request), building elements (text is always set as
 * text, never as HTML), and showing times and durations. The server's clock
 * is the only clock: pages only display times it sent. */
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

  return { api: api, el: el, append: append, clear: clear, duration: duration, time: time, clockTime: clockTime,
           serverClock: serverClock, randomKey: randomKey };
})();
