/* The proctor console: its own login, the sittings, and a live table of one
 * sitting (not started / running / paused / finished, answered count, time
 * left, last seen, extra time) with the actions on each attempt (extend,
 * pause, resume, force submit, note) and on the sitting (open, close, grade,
 * publish), a marking panel for the essay answers waiting for a person, and a
 * link to each opened sitting's analytics report (a page of the server's);
 * below the table, the sitting's results (with the reason a fail is given and
 * the certificate's state), the versions of its frozen files, the results an
 * amendment changed (before -> after) and the certificates it flagged,
 * fetched on opening the sitting, after an action and on request. Every
 * action is audited by the server under the proctor's name. /proctor?sitting=
 * NAME opens that sitting's live table (the report's way back). */
"use strict";
(function () {
  const el = KS.el;
  const $ = function (id) { return document.getElementById(id); };
  const app = $("app");
  const STATES = { not_started: "未开始", running: "作答中", paused: "已暂停", finished: "已交卷" };
  const REASONS = { submitted: "本人交卷", deadline: "到时自动交卷", forced: "监考收卷", closed: "考试结束" };
  const SITTING_STATES = { draft: "未开放", open: "已开放", closed: "已结束" };
  const OUTCOMES = { running: "作答中", ungraded: "未评分", pending: "待阅卷", pass: "通过", fail: "未通过" };
  const CERTIFICATES = { valid: "有效", flagged: "待复核", revoked: "已撤销" };
  let live = null, clock = null, poll = null, tick = null, current = null, scores = null;

  function notice(text) { $("notice").textContent = text; $("notice").hidden = !text; }
  function show(children) { KS.append(KS.clear(app), children); }

  function boot() {
    $("logout").addEventListener("click", function () {
      KS.api("POST", "/api/logout").finally(function () { location.replace("/proctor"); });
    });
    KS.api("GET", "/api/session").then(function (r) {
      if (r.status === 200 && r.body.kind === "proctor") loggedIn(r.body.subject);
      else login();
    }).catch(function () { show(el("p", { class: "error", text: "无法连接服务器" })); });
  }

  function login() {
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
    show(form);
    name.focus();
  }

  function loggedIn(who) {
    $("who").textContent = "监考台 · " + who;
    $("logout").hidden = false;
    const wanted = new URLSearchParams(location.search).get("sitting");
    if (wanted) {
      history.replaceState(null, "", "/proctor");
      open(wanted);
    } else {
      sittings();
    }
  }

  /* The analytics report of an opened sitting: a page of its own. */
  function reportLink(s, cls) {
    if (s.state === "draft") return null;
    return el("a", { class: cls, href: "/proctor/sittings/" + encodeURIComponent(s.name) + "/report",
                     text: "分析报告", "aria-label": s.name + " 分析报告" });
  }

  function sittings() {
    stop();
    current = null;
    KS.api("GET", "/api/sittings").then(function (r) {
      if (r.status === 401) { login(); return; }
      const list = r.body.sittings || [];
      show(el("section", {}, el("h1", { text: "考场" }),
        list.length ? el("ul", { class: "sittings" }, list.map(function (s) {
          return el("li", {}, el("button", { type: "button", class: "link", onclick: function () { open(s.name); } },
            s.name + " · " + s.title + " · " + (SITTING_STATES[s.state] || s.state) + " · " +
            KS.time(s.opens_at, s.tz_offset_min) + " 至 " + KS.time(s.closes_at, s.tz_offset_min)),
            reportLink(s, "report-link"));
        })) : el("p", { class: "muted", text: "还没有考场；用 kaoshi sitting create 创建。" })));
    });
  }

  function stop() {
    clearInterval(poll);
    clearInterval(tick);
    poll = tick = null;
  }

  function open(name) {
    current = name;
    scores = null;
    stop();
    refresh().then(function (ok) {
      if (current !== name) return; /* another view since */
      if (ok === false) { sittings(); return; } /* no such sitting: the list, with the notice */
      poll = setInterval(refresh, 5000);
      tick = setInterval(ticking, 1000);
      loadScores();
    });
  }

  /* never rebuild the page under a proctor who is typing in it */
  function renderIdle() {
    const typing = document.activeElement && document.activeElement.tagName === "INPUT";
    if (!typing) render();
  }

  /* The sitting's results and amendments (a heavier read than the live
   * table, so not polled). */
  function loadScores() {
    const name = current, base = "/api/sittings/" + encodeURIComponent(name);
    return Promise.all([KS.api("GET", base + "/results"), KS.api("GET", base + "/amendments")]).then(function (rs) {
      if (current !== name) return; /* another view since: never drawn over it */
      if (rs[0].status !== 200 || rs[1].status !== 200) { notice(rs[0].body.message || rs[1].body.message || "无法读取成绩"); return; }
      scores = { results: rs[0].body.results, amendments: rs[1].body };
      if (live) renderIdle();
    }).catch(function () { $("saving").textContent = "网络中断，正在重试…"; });
  }

  /* A reply that comes back once the proctor has left the table (the
   * marking panel, the list) is dropped: it would draw the table over them. */
  function refresh() {
    const name = current;
    return KS.api("GET", "/api/sittings/" + encodeURIComponent(name)).then(function (r) {
      if (current !== name) return;
      if (r.status === 401) { stop(); login(); return; }
      if (r.status !== 200) { notice(r.body.message || "无法读取考场"); return false; }
      live = r.body;
      live.fetchedAt = performance.now();
      clock = KS.serverClock(live.server_now);
      $("saving").textContent = "";
      renderIdle();
      return true;
    }).catch(function () { $("saving").textContent = "网络中断，正在重试…"; });
  }

  function left(row) {
    if (row.state !== "running") return row.time_left_ms;
    return row.time_left_ms - (performance.now() - live.fetchedAt);
  }

  function ticking() {
    if (!live) return;
    $("clock").textContent = "服务器时间 " + KS.clockTime(clock.now(), live.sitting.tz_offset_min);
    document.querySelectorAll("[data-left]").forEach(function (cell) {
      const row = live.rows[Number(cell.dataset.left)];
      cell.textContent = KS.duration(left(row));
    });
  }

  function act(path, body, done) {
    KS.api("POST", path, body).then(function (r) {
      if (r.status === 200) { notice(""); if (done) done(r.body); refresh(); loadScores(); }
      else notice(r.body.message || "操作失败");
    }).catch(function () { notice("网络中断，操作未完成"); });
  }

  function attemptAction(id, what, body) {
    act("/api/proctor/attempts/" + id + "/" + what, body);
  }

  /* A candidate's extra time (kaoshi enroll): "延时 30 分钟", "×1.25", "×1.25 + 10 分钟". */
  function extraLabel(t) {
    if (!t || (t.factor_pct === 100 && t.extra_ms === 0)) return null;
    const parts = [];
    if (t.factor_pct !== 100) parts.push("×" + t.factor_pct / 100);
    if (t.extra_ms) parts.push((parts.length ? "+ " : "延时 ") + Math.round(t.extra_ms / 6000) / 10 + " 分钟");
    return el("span", { class: "extra-time small", title: "额外考试时间", text: parts.join(" ") });
  }

  function seen(ms) {
    if (!ms) return "—";
    const ago = Math.max(0, Math.round((clock.now() - ms) / 1000));
    return ago < 60 ? ago + " 秒前" : Math.round(ago / 60) + " 分钟前";
  }

  function rowActions(row) {
    if (!row.id || row.state === "finished") return el("span", { class: "muted", text: row.state === "finished" ? REASONS[row.finish_reason] || row.finish_reason : "" });
    const minutes = el("input", { type: "number", min: 1, max: 1440, value: 10, class: "minutes",
                                  "aria-label": row.number + " 延长分钟数" });
    return el("div", { class: "row-actions" },
      minutes,
      el("button", { type: "button", text: "延时", "aria-label": "为 " + row.number + " 延时",
                     onclick: function () { attemptAction(row.id, "extend", { minutes: Number(minutes.value) }); } }),
      row.state === "paused"
        ? el("button", { type: "button", text: "继续", "aria-label": "恢复 " + row.number, onclick: function () { attemptAction(row.id, "resume"); } })
        : el("button", { type: "button", text: "暂停", "aria-label": "暂停 " + row.number, onclick: function () { attemptAction(row.id, "pause"); } }),
      el("button", { type: "button", text: "收卷", "aria-label": "为 " + row.number + " 收卷", onclick: function () {
        if (confirm("确定为 " + row.name + "（" + row.number + "）收卷？收卷后考生不能再作答。")) attemptAction(row.id, "submit");
      } }),
      el("button", { type: "button", text: "备注", "aria-label": "为 " + row.number + " 添加备注", onclick: function () {
        const text = prompt("为 " + row.name + "（" + row.number + "）记录事件：");
        if (text && text.trim()) attemptAction(row.id, "notes", { text: text.trim() });
      } }));
  }

  function score(x) { return String(Math.round(x * 100) / 100); }

  function side(r) {
    return score(r.score) + " / " + score(r.max_score) + "（" + score(r.percent) + "%，" + (OUTCOMES[r.outcome] || r.outcome) + "）";
  }

  function certificate(c) {
    return c ? c.number + " " + (CERTIFICATES[c.state] || c.state) : "—";
  }

  /* Why a certificate is flagged, in words: its result as now graded. */
  function dataTable(cls, heads, rows) {
    return el("div", { class: "table-wrap" }, el("table", { class: "data " + cls },
      el("thead", {}, el("tr", {}, heads.map(function (h) { return el("th", { scope: "col", text: h }); }))),
      el("tbody", {}, rows)));
  }

  /* The results, the versions, what amendments changed and the flagged
   * certificates. */
  function scoresPanel(s) {
    if (!scores || s.state === "draft") return null;
    const a = scores.amendments;
    const cell = function (text) { return el("td", { text: text }); };
    return [
      el("h2", { text: "成绩" }),
      el("div", { class: "actions" }, el("button", { type: "button", text: "刷新成绩", onclick: loadScores })),
      scores.results.length ? dataTable("results", ["考生号", "姓名", "次数", "得分", "结果", "说明", "证书"], scores.results.map(function (r) {
        return el("tr", { class: r.outcome, "data-number": r.candidate },
          cell(r.candidate), cell(r.name), cell(r.attempt),
          cell(r.score === undefined ? "—" : score(r.score) + " / " + score(r.max_score) + "（" + score(r.percent) + "%）"),
          cell(OUTCOMES[r.outcome] || r.outcome), cell(r.reason || ""), cell(certificate(r.certificate)));
      })) : el("p", { class: "muted", text: "还没有答卷" }),
      el("h2", { text: "试题版本" }),
      el("ol", { class: "versions" }, a.versions.map(function (v) {
        return el("li", { "data-version": v.version, text: "第 " + v.version + " 版 · " + KS.time(v.at, s.tz_offset_min) + " · " +
          (v.actor || "—") + " · " + (v.reason || "开放考场时冻结") + " · sha256 " + v.sources_hash.slice(0, 12) });
      })),
      a.version > 1 ? [el("h2", { text: "更正后的成绩变化" }),
        a.changes.length ? dataTable("changes", ["版本", "考生号", "姓名", "次数", "更正前", "更正后", "证书"], a.changes.map(function (c) {
          return el("tr", { "data-number": c.candidate },
            cell("第 " + c.version + " 版"), cell(c.candidate), cell(c.name), cell(c.attempt),
            cell(side(c.before)), cell(side(c.after)), cell(certificate(c.certificate)));
        })) : el("p", { class: "muted", text: "更正没有改变任何成绩" })] : null,
      a.flagged.length ? [el("h2", { text: "待复核的证书" }),
        el("ul", { class: "flagged" }, a.flagged.map(function (f) {
          return el("li", { text: f.number + " · " + f.candidate + " " + f.name + " · " + KS.time(f.flagged_at, s.tz_offset_min) +
            " 标记 · " + f.reason });
        })),
        el("p", { class: "muted", text: "标记不会撤销证书；如需撤销，请用 kaoshi certificate revoke。" })] : null,
    ];
  }

  function render() {
    const s = live.sitting;
    const focused = document.activeElement && document.activeElement.getAttribute("aria-label");
    const counts = { not_started: 0, running: 0, paused: 0, finished: 0 };
    live.rows.forEach(function (r) { counts[r.state]++; });
    const sittingActions = el("div", { class: "actions" },
      el("button", { type: "button", text: "返回考场列表", onclick: sittings }),
      s.state === "draft" ? el("button", { type: "button", text: "开放考场（冻结试题）", onclick: function () {
        act("/api/sittings/" + encodeURIComponent(s.name) + "/open");
      } }) : null,
      s.state === "open" ? el("button", { type: "button", text: "结束考试", onclick: function () {
        if (confirm("确定结束考场 " + s.name + "？所有仍在作答的考生将被收卷。")) act("/api/sittings/" + encodeURIComponent(s.name) + "/close");
      } }) : null,
      s.state !== "draft" ? el("button", { type: "button", text: "评分", onclick: function () {
        act("/api/sittings/" + encodeURIComponent(s.name) + "/grade", {}, function (b) {
          notice("已评分 " + b.graded + " 份答卷" + (b.version > 1 || b.flagged || b.cleared
            ? "（第 " + b.version + " 版：" + b.changed + " 份成绩变化，" + b.flagged + " 张证书待复核，" + b.cleared + " 张证书解除标记）" : ""));
        });
      } }) : null,
      s.state !== "draft" ? el("button", { type: "button", text: "阅卷", onclick: function () { marking(s.name); } }) : null,
      reportLink(s, "action"),
      s.state === "closed" ? el("button", { type: "button", text: "发布成绩", onclick: function () {
        if (confirm("确定发布考场 " + s.name + " 的成绩？发布后成绩为最终结果，考生可按规定查看。"))
          act("/api/sittings/" + encodeURIComponent(s.name) + "/publish", {}, function (b) { notice("已发布 " + b.published + " 份答卷的成绩"); });
      } }) : null);
    show([
      el("h1", { text: s.title + " · " + s.name }),
      el("p", { class: "muted", text: (SITTING_STATES[s.state] || s.state) + " · " + KS.time(s.opens_at, s.tz_offset_min) + " 至 " +
        KS.time(s.closes_at, s.tz_offset_min) + " · 未开始 " + counts.not_started + " · 作答中 " + counts.running +
        " · 已暂停 " + counts.paused + " · 已交卷 " + counts.finished }),
      sittingActions,
      el("div", { class: "table-wrap" }, el("table", { class: "data live" },
        el("thead", {}, el("tr", {}, ["考生号", "姓名", "状态", "已答", "剩余时间", "最后活动", "操作"].map(function (h) {
          return el("th", { scope: "col", text: h });
        }))),
        el("tbody", {}, live.rows.map(function (row, i) {
          return el("tr", { class: row.state, "data-number": row.number },
            el("td", { text: row.number }), el("td", {}, row.name, extraLabel(row.extra_time)),
            el("td", { class: "state", text: STATES[row.state] || row.state }),
            el("td", { text: row.id ? row.answered + " / " + row.questions : "—" }),
            el("td", row.id && row.state !== "finished" ? { "data-left": i, class: "left" } : { text: "—" }),
            el("td", { text: seen(row.last_seen) }),
            el("td", {}, rowActions(row)));
        })))),
      el("h2", { text: "事件记录" }),
      live.notes.length ? el("ul", { class: "notes" }, live.notes.map(function (n) {
        const row = live.rows.find(function (r) { return r.id === n.attempt; });
        return el("li", { text: KS.time(n.at, s.tz_offset_min) + " " + n.author + " · " +
          (row ? row.number + " " + row.name : "答卷 " + n.attempt) + "：" + n.text });
      })) : el("p", { class: "muted", text: "暂无记录" }),
      scoresPanel(s),
    ]);
    ticking();
    if (focused) {
      const again = app.querySelector('[aria-label="' + CSS.escape(focused) + '"]');
      if (again) again.focus();
    }
  }

  /* The essay answers waiting for a mark: stem, rubric and the candidate's
   * text, with the points to give and an optional comment. */
  function marking(name) {
    stop();
    current = null; /* the table's replies still on their way are dropped */
    KS.api("GET", "/api/sittings/" + encodeURIComponent(name) + "/marking").then(function (r) {
      if (r.status === 401) { login(); return; }
      if (r.status !== 200) { notice(r.body.message || "无法读取待阅答卷"); return; }
      const back = el("button", { type: "button", text: "返回考场", onclick: function () { open(name); } });
      show([el("h1", { text: "阅卷 · " + name }), el("div", { class: "actions" }, back),
        r.body.waiting.length ? el("ol", { class: "marking" }, r.body.waiting.map(function (w) {
          const label = "答卷 " + w.attempt + " 第 " + w.question + " 题";
          const points = el("input", { type: "number", min: 0, max: w.points, step: "any", class: "minutes",
                                       placeholder: "得分", "aria-label": label + " 得分" });
          const comment = el("input", { type: "text", maxlength: 2000, placeholder: "评语（可选）",
                                        "aria-label": label + " 评语" });
          return el("li", { class: "card" },
            el("p", { class: "muted", text: label + " · 考生 " + w.candidate + " · 满分 " + w.points }),
            el("p", { class: "stem", text: w.stem || "" }),
            w.rubric ? el("p", { class: "muted", text: "评分标准：" + w.rubric }) : null,
            el("p", { text: "考生答案：" + (w.response && typeof w.response.text === "string" ? w.response.text : JSON.stringify(w.response)) }),
            el("div", { class: "row-actions" }, points, comment,
              el("button", { type: "button", text: "保存评分", "aria-label": "保存 " + label, onclick: function () {
                const value = Number(points.value);
                if (points.value === "" || !(value >= 0 && value <= w.points)) { notice("得分须在 0 到 " + w.points + " 之间"); return; }
                KS.api("POST", "/api/proctor/attempts/" + w.attempt + "/marks",
                       { question: w.question, fraction: value / w.points, comment: comment.value.trim() }).then(function (m) {
                  if (m.status === 200) { notice("已保存 " + label + " 的评分"); marking(name); }
                  else notice(m.body.message || "保存失败");
                }).catch(function () { notice("网络中断，评分未保存"); });
              } })));
        })) : el("p", { class: "muted", text: "没有待阅的答卷。" })]);
    });
  }

  boot();
})();
