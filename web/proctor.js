/* The proctor console's entry: its own login, the list of sittings (each
 * opened sitting with a link to its analytics report, a page of the
 * server's), and the views of PC.go the other scripts open: one sitting's
 * live table (proctor-live.js), blind marking (proctor-marking.js).
 * /proctor?sitting=NAME opens that sitting's live table (the report's way
 * back). Every action is audited by the server under the proctor's name. */
"use strict";
(function () {
  const el = KS.el;
  const SITTING_STATES = { draft: "未开放", open: "已开放", closed: "已结束" };

  function boot() {
    document.getElementById("logout").addEventListener("click", function () {
      KS.api("POST", "/api/logout").finally(function () { location.replace("/proctor"); });
    });
    KS.api("GET", "/api/session").then(function (r) {
      if (r.status === 200 && r.body.kind === "proctor") loggedIn(r.body.subject);
      else login();
    }).catch(function () { PC.show(el("p", { class: "error", text: "无法连接服务器" })); });
  }

  function login() {
    PC.live.stop();
    const name = el("input", { id: "name", autocomplete: "username", required: true });
    const password = el("input", { id: "password", type: "password", autocomplete: "current-password", required: true });
    const message = el("p", { class: "error", role: "alert" });
    const form = el("form", { class: "card narrow", onsubmit: function (ev) {
      ev.preventDefault();
      KS.api("POST", "/api/proctor/login", { name: name.value.trim(), password: password.value }).then(function (r) {
        if (r.status === 200) loggedIn(r.body.subject);
        else message.textContent = r.body.message || "登录失败";
      }).catch(function () { message.textContent = "无法连接服务器"; });
    } },
      el("h1", { text: "监考老师登录" }),
      el("label", { for: "name", text: "账号" }), name,
      el("label", { for: "password", text: "密码" }), password,
      message, el("button", { type: "submit", class: "primary", text: "登录" }));
    PC.show(form);
    name.focus();
  }

  function loggedIn(who) {
    document.getElementById("who").textContent = "监考台 · " + who;
    document.getElementById("logout").hidden = false;
    const wanted = new URLSearchParams(location.search).get("sitting");
    if (wanted) {
      history.replaceState(null, "", "/proctor");
      PC.live.open(wanted);
    } else {
      sittings();
    }
  }

  function sittings() {
    PC.live.stop();
    KS.api("GET", "/api/sittings").then(function (r) {
      if (r.status === 401) { login(); return; }
      const list = r.body.sittings || [];
      PC.show(el("section", {}, el("h1", { text: "考场" }),
        list.length ? el("ul", { class: "sittings" }, list.map(function (s) {
          return el("li", {}, el("button", { type: "button", class: "link", onclick: function () { PC.live.open(s.name); } },
            s.name + " · " + s.title + " · " + (SITTING_STATES[s.state] || s.state) + " · " +
            KS.time(s.opens_at, s.tz_offset_min) + " 至 " + KS.time(s.closes_at, s.tz_offset_min)),
            PC.reportLink(s, "report-link"));
        })) : el("p", { class: "muted", text: "还没有考场；用 kaoshi sitting create 创建。" })));
    });
  }

  PC.go.login = login;
  PC.go.sittings = sittings;
  PC.go.sitting = function (name) { PC.live.open(name); };
  PC.go.marking = function (name) { PC.live.stop(); PC.marking.open(name); };
  boot();
})();
