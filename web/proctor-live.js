/* The live table of one sitting: each candidate's state with chips that say
 * what needs a look (PC.status), sortable by problem, answered count, time
 * left, last seen and the actions on each attempt (extend, pause, resume,
 * force submit, note: a dialog, never prompt() or confirm()) and on the
 * sitting (open, grade, marking, report, publish, and 结束考试 in a danger
 * style behind a dialog that asks for the sitting's name). Every action
 * says what it did in the notice line. The table is refreshed at once when
 * the server pushes an event (PC.events), and every 10 s for the last-seen
 * times (every 5 s when the server pushes nothing); below it the 事件记录,
 * newest first, and the results (PC.scores). */
"use strict";
PC.live = (function () {
  const el = KS.el;
  const SITTING_STATES = { draft: "未开放", open: "已开放", closed: "已结束" };
  const REASONS = { submitted: "本人交卷", deadline: "到时自动交卷", forced: "监考收卷", closed: "考试结束" };
  const POLL_MS = 5000, PUSHED_POLL_MS = 10000;
  /* the sitting shown: { name, live, clock, fetchedAt, log, pushed, poll, tick, stopEvents, refreshing, again } */
  let view = null;
  let order = "default"; /* or "problem" */

  function stop() {
    if (!view) return;
    clearInterval(view.poll);
    clearInterval(view.tick);
    if (view.stopEvents) view.stopEvents();
    view = null;
  }

  function pollEvery(v, ms) {
    clearInterval(v.poll);
    v.poll = setInterval(function () { refresh(v); }, ms);
  }

  function open(name) {
    stop();
    const v = view = { name: name, live: null, log: new Map(), pushed: false };
    refresh(v).then(function (ok) {
      if (view !== v) return;
      if (ok === false) { stop(); PC.go.sittings(); return; } /* no such sitting: the list, with the notice */
      v.tick = setInterval(function () { ticking(v); }, 1000);
      pollEvery(v, POLL_MS);
      v.stopEvents = PC.events.follow(name, {
        events: function (list) {
          list.forEach(function (ev) { v.log.set(ev.id, ev); });
          refreshSoon(v);
          if (list.some(PC.events.changesResults)) loadScores(v);
        },
        available: function () { if (!v.pushed) { v.pushed = true; pollEvery(v, PUSHED_POLL_MS); } },
        unavailable: function () { v.pushed = false; },
        loggedOut: function () { stop(); PC.go.login(); },
      });
      loadScores(v);
    });
  }

  function loadScores(v) {
    PC.scores.load(v.name, function () { if (view === v) renderIdle(v); });
  }

  /* A reply that comes back once the proctor has left the table is dropped:
   * it would draw the table over what they are doing now. */
  function refresh(v) {
    return KS.api("GET", "/api/sittings/" + encodeURIComponent(v.name)).then(function (r) {
      if (view !== v) return;
      if (r.status === 401) { stop(); PC.go.login(); return; }
      if (r.status !== 200) { PC.notice(r.body.message || "无法读取考场"); return false; }
      v.live = r.body;
      v.fetchedAt = performance.now();
      v.clock = KS.serverClock(v.live.server_now);
      document.getElementById("saving").textContent = "";
      renderIdle(v);
      return true;
    }).catch(function () { document.getElementById("saving").textContent = "网络中断，正在重试…"; });
  }

  /* A refresh for pushed events: a burst of them (a whole room starting)
   * asks for one more after the one in flight, never one each. */
  function refreshSoon(v) {
    if (v.refreshing) { v.again = true; return; }
    v.refreshing = true;
    refresh(v).finally(function () {
      v.refreshing = false;
      if (v.again) { v.again = false; refreshSoon(v); }
    });
  }

  /* never redraw the table under a proctor typing in it */
  function renderIdle(v) {
    const a = document.activeElement;
    if (!(a && PC.app.contains(a) && (a.tagName === "INPUT" || a.tagName === "TEXTAREA"))) render(v);
  }

  function left(v, row) {
    if (row.state !== "running") return row.time_left_ms;
    return row.time_left_ms - (performance.now() - v.fetchedAt);
  }

  function ticking(v) {
    if (!v.live) return;
    document.getElementById("clock").textContent = "服务器时间 " + KS.clockTime(v.clock.now(), v.live.sitting.tz_offset_min);
    document.querySelectorAll("[data-left]").forEach(function (cell) {
      cell.textContent = KS.duration(left(v, v.live.rows[Number(cell.dataset.left)]));
    });
  }

  /* ---- actions ---------------------------------------------------------- */

  function act(v, path, body, done) {
    KS.api("POST", path, body).then(function (r) {
      if (r.status === 200) { PC.notice(done(r.body), true); refresh(v); loadScores(v); }
      else PC.notice(r.body.message || "操作失败");
    }).catch(function () { PC.notice("网络中断，操作未完成"); });
  }

  function who(row) { return row.number + "（" + row.name + "）"; }

  function attemptAction(v, row, what, body, done) {
    act(v, "/api/proctor/attempts/" + row.id + "/" + what, body, done);
  }

  function forceSubmit(v, row) {
    PC.dialog({
      title: "为 " + who(row) + "收卷",
      body: el("p", { text: "收卷后该考生不能再作答，此操作不能撤销。" }),
      confirm: { text: "收卷", danger: true },
      onConfirm: function (close) {
        close();
        attemptAction(v, row, "submit", {}, function () { return "已为 " + who(row) + "收卷"; });
      },
    });
  }

  function note(v, row) {
    const text = el("textarea", { id: "note-text", rows: 4, maxlength: 2000 });
    const d = PC.dialog({
      title: "为 " + who(row) + "记录事件",
      body: [el("label", { for: "note-text", text: "事件记录（如离开座位、设备故障、违纪）" }), text],
      confirm: { text: "保存备注", disabled: true },
      focus: text,
      onConfirm: function (close) {
        const said = text.value.trim();
        close();
        attemptAction(v, row, "notes", { text: said }, function () { return "已为 " + who(row) + "记录备注"; });
      },
    });
    text.addEventListener("input", function () { d.confirmButton.disabled = !text.value.trim(); });
  }

  function closeSitting(v, s, running) {
    const typed = el("input", { id: "confirm-name", autocomplete: "off", spellcheck: "false" });
    const d = PC.dialog({
      title: "结束考试",
      body: [
        el("p", { text: "结束后考场关闭，仍在作答的 " + running + " 位考生将被立即收卷，考生不能再作答。此操作不能撤销。" }),
        el("label", { for: "confirm-name" }, "请输入考场名称 ", el("strong", { text: s.name }), " 以确认"),
        typed,
      ],
      confirm: { text: "结束考试", danger: true, disabled: true },
      focus: typed,
      onConfirm: function (close) {
        if (typed.value.trim() !== s.name) return;
        close();
        act(v, "/api/sittings/" + encodeURIComponent(s.name) + "/close", {}, function (b) {
          return "考试已结束，" + b.finished + " 位考生被收卷";
        });
      },
    });
    typed.addEventListener("input", function () { d.confirmButton.disabled = typed.value.trim() !== s.name; });
    typed.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && !d.confirmButton.disabled) d.confirmButton.click();
    });
  }

  function publish(v, s) {
    PC.dialog({
      title: "发布成绩",
      body: el("p", { text: "确定发布考场 " + s.name + " 的成绩？发布后成绩为最终结果，考生可按规定查看，评分不能再更改。" }),
      confirm: { text: "发布成绩" },
      onConfirm: function (close) {
        close();
        act(v, "/api/sittings/" + encodeURIComponent(s.name) + "/publish", {}, function (b) {
          return "已发布 " + b.published + " 份答卷的成绩";
        });
      },
    });
  }

  function rowActions(v, row) {
    if (!row.id || row.state === "finished")
      return el("span", { class: "muted", text: row.state === "finished" ? REASONS[row.finish_reason] || row.finish_reason : "" });
    const minutes = el("input", { type: "number", min: 1, max: 1440, value: 10, class: "minutes",
                                  "aria-label": row.number + " 延长分钟数" });
    return el("div", { class: "row-actions" },
      minutes,
      el("button", { type: "button", text: "延时", "aria-label": "为 " + row.number + " 延时", onclick: function () {
        const n = Number(minutes.value);
        attemptAction(v, row, "extend", { minutes: n }, function () { return "已为 " + who(row) + "延长 " + n + " 分钟"; });
      } }),
      row.state === "paused"
        ? el("button", { type: "button", text: "恢复", "aria-label": "恢复 " + row.number, onclick: function () {
          attemptAction(v, row, "resume", {}, function () { return "已恢复 " + who(row) + "的考试"; });
        } })
        : el("button", { type: "button", text: "暂停", "aria-label": "暂停 " + row.number, onclick: function () {
          attemptAction(v, row, "pause", {}, function () { return "已暂停 " + who(row) + "的考试"; });
        } }),
      el("button", { type: "button", text: "收卷", "aria-label": "为 " + row.number + " 收卷",
                     onclick: function () { forceSubmit(v, row); } }),
      el("button", { type: "button", text: "备注", "aria-label": "为 " + row.number + " 添加备注",
                     onclick: function () { note(v, row); } }));
  }

  /* ---- drawing ---------------------------------------------------------- */

  /* A candidate's extra time (kaoshi enroll): "延时 30 分钟", "×1.25", "×1.25 + 10 分钟". */
  function extraLabel(t) {
    if (!t || (t.factor_pct === 100 && t.extra_ms === 0)) return null;
    const parts = [];
    if (t.factor_pct !== 100) parts.push("×" + t.factor_pct / 100);
    if (t.extra_ms) parts.push((parts.length ? "+ " : "延时 ") + PC.status.minutes(t.extra_ms) + " 分钟");
    return el("span", { class: "extra-time small", title: "额外考试时间", text: parts.join(" ") });
  }

  function seen(live, ms) {
    if (!ms) return "—";
    const ago = Math.max(0, Math.round((live.server_now - ms) / 1000));
    return ago < 60 ? ago + " 秒前" : Math.round(ago / 60) + " 分钟前";
  }

  /* The state as a chip (green only for a running attempt with nothing
   * wrong), then the row's chips. */
  function stateCell(row, live) {
    const chips = PC.status.chips(row, live).filter(function (c) { return c.kind !== "paused"; });
    const troubled = chips.some(function (c) { return c.kind !== "extended"; });
    const cls = row.state === "running" && !troubled ? "ok" : row.state;
    return el("td", { class: "state" },
      el("span", { class: "chip state-name " + cls, text: PC.status.STATES[row.state] || row.state }),
      chips.map(function (c) { return el("span", { class: "chip " + c.kind, text: c.text }); }));
  }

  function liveRow(v, row, i) {
    const live = v.live, active = row.id && row.state !== "finished";
    return el("tr", { class: row.state, "data-number": row.number },
      el("th", { scope: "row", class: "who" }, el("span", { class: "number", text: row.number }), " ",
        el("span", { class: "name", text: row.name }), extraLabel(row.extra_time)),
      stateCell(row, live),
      el("td", active ? { "data-left": i, class: "num left" } : { class: "num", text: "—" }),
      el("td", { class: "num", text: row.id ? row.answered + " / " + row.questions : "—" }),
      el("td", { class: "num", text: seen(live, row.last_seen) }),
      el("td", {}, rowActions(v, row)));
  }

  function sortControl(v) {
    function choice(value, text) {
      return el("button", { type: "button", text: text, "aria-pressed": String(order === value), onclick: function () {
        order = value;
        render(v);
      } });
    }
    return el("div", { class: "sort", role: "group", "aria-label": "排序" },
      el("span", { class: "muted small", text: "排序：" }), choice("default", "默认"), choice("problem", "按问题"));
  }

  function eventLog(v) {
    const s = v.live.sitting;
    const entries = v.pushed ? Array.from(v.log.values()) : v.live.notes.map(function (n) {
      /* without pushed events, the notes the live table carries */
      return { id: 0, at: n.at, actor: n.author, action: "attempt.note", attempt: n.attempt,
               candidate: (v.live.rows.find(function (r) { return r.id === n.attempt; }) || {}).number, detail: { text: n.text } };
    });
    const lines = entries.map(function (ev) { return { ev: ev, text: PC.events.describe(ev, v.live.rows) }; })
      .filter(function (x) { return x.text; })
      .sort(function (a, b) { return b.ev.at - a.ev.at || b.ev.id - a.ev.id; });
    return [el("h2", { text: "事件记录" }),
      lines.length ? el("ol", { class: "events" }, lines.map(function (x) {
        return el("li", { "data-action": x.ev.action },
          el("time", { class: "small", text: KS.time(x.ev.at, s.tz_offset_min).slice(0, 10) + " " + KS.clockTime(x.ev.at, s.tz_offset_min) }),
          " ", x.text);
      })) : el("p", { class: "muted", text: "暂无记录" })];
  }

  function sittingActions(v, s, running) {
    const base = "/api/sittings/" + encodeURIComponent(s.name);
    return el("div", { class: "actions sitting-actions" },
      el("button", { type: "button", text: "返回考场列表", onclick: PC.go.sittings }),
      s.state === "draft" ? el("button", { type: "button", text: "开放考场（冻结试题）", onclick: function () {
        act(v, base + "/open", {}, function () { return "考场已开放，试题已冻结"; });
      } }) : null,
      s.state !== "draft" ? el("button", { type: "button", text: "评分", onclick: function () {
        act(v, base + "/grade", {}, function (b) {
          return "已评分 " + b.graded + " 份答卷" + (b.version > 1 || b.flagged || b.cleared
            ? "（第 " + b.version + " 版：" + b.changed + " 份成绩变化，" + b.flagged + " 张证书待复核，" + b.cleared + " 张证书解除标记）" : "");
        });
      } }) : null,
      s.state !== "draft" ? el("button", { type: "button", text: "阅卷", onclick: function () { PC.go.marking(s.name); } }) : null,
      PC.reportLink(s, "action"),
      s.state === "closed" ? el("button", { type: "button", text: "发布成绩", onclick: function () { publish(v, s); } }) : null,
      s.state === "open" ? el("button", { type: "button", class: "danger end-sitting", text: "结束考试",
                                          onclick: function () { closeSitting(v, s, running); } }) : null);
  }

  /* The table in a box that scrolls on a phone (the candidate column stays),
   * a region the keyboard reaches. */
  function liveTable(v) {
    const live = v.live;
    const heads = [["考生"], ["状态"], ["剩余时间", 1], ["已答", 1], ["最后活动", 1], ["操作"]];
    return el("div", { class: "table-wrap live-wrap", tabindex: 0, role: "region", "aria-label": "考生状态" },
      el("table", { class: "data live" },
        el("thead", {}, el("tr", {}, heads.map(function (h) {
          return el("th", { scope: "col", class: h[1] ? "num" : null, text: h[0] });
        }))),
        el("tbody", {}, PC.status.sorted(live.rows, live, order).map(function (x) { return liveRow(v, x.row, x.i); }))));
  }

  function render(v) {
    const live = v.live, s = live.sitting;
    const focused = PC.app.contains(document.activeElement) && PC.keyOf(document.activeElement);
    const counts = { not_started: 0, running: 0, paused: 0, finished: 0 };
    live.rows.forEach(function (r) { counts[r.state]++; });
    const problems = live.rows.filter(function (r) { return PC.status.rank(r, live) !== Infinity; }).length;
    PC.show([
      el("h1", { text: s.title + " · " + s.name }),
      el("p", { class: "muted", text: (SITTING_STATES[s.state] || s.state) + " · " + KS.time(s.opens_at, s.tz_offset_min) + " 至 " +
        KS.time(s.closes_at, s.tz_offset_min) + " · 未开始 " + counts.not_started + " · 作答中 " + counts.running +
        " · 已暂停 " + counts.paused + " · 已交卷 " + counts.finished + " · 需要关注 " + problems }),
      sittingActions(v, s, counts.running + counts.paused),
      sortControl(v),
      liveTable(v),
      eventLog(v),
      PC.scores.panel(s, function () { loadScores(v); }),
    ]);
    ticking(v);
    PC.refocus(focused);
  }

  return { open: open, stop: stop };
})();
