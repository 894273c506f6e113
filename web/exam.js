/* The candidate's exam page: the waiting room before the window opens, the
 * exam (sections and a question navigator with answered and flagged state,
 * each question shown by the widget its view names, the same for built-in
 * and author-defined question types, with the view's paragraphs, tables and
 * charts; a countdown from the server's clock, each answer saved the moment
 * it is given and retried with the same idempotency key until the server
 * acknowledges it, submit with a summary, automatic submission at the
 * deadline) and the result page as the review policy allows (with why a
 * result fails, and markers' scores and comments beside the answers; a
 * result waiting for its regrade after an amendment says so), with the
 * certificate's PDF once one is issued. The waiting room shows the
 * candidate's own duration, extra time included. Bank text is only ever set
 * as text. */
"use strict";
(function () {
  const el = KS.el;
  const $ = function (id) { return document.getElementById(id); };
  const app = $("app");
  const REASONS = {
    submitted: "您已交卷。", deadline: "考试时间到，系统已自动交卷。",
    forced: "监考老师已收卷。", closed: "本场考试已结束，系统已收卷。",
  };

  let me = null;     /* the reply of /api/me */
  let exam = null;   /* the running exam */
  let timers = [];

  function every(ms, f) { timers.push(setInterval(f, ms)); }
  function stopTimers() { timers.forEach(clearInterval); timers = []; }

  function notice(text) {
    const n = $("notice");
    n.textContent = text;
    n.hidden = !text;
  }

  function show(children, focus) {
    KS.append(KS.clear(app), children);
    if (focus !== false) app.focus();
  }

  function dialog(title, body, actions) {
    $("overlay-title").textContent = title;
    KS.append(KS.clear($("overlay-body")), body);
    KS.clear($("overlay-actions"));
    actions.forEach(function (a) { $("overlay-actions").appendChild(a); });
    $("overlay").hidden = false;
    const first = $("overlay-actions").querySelector("button");
    if (first) first.focus();
  }
  function closeDialog() { $("overlay").hidden = true; }

  /* ---- start ----------------------------------------------------------------- */

  function boot() {
    $("logout").addEventListener("click", function () {
      if (exam && unsaved() && !confirm("仍有答案未保存，确定退出？")) return;
      KS.api("POST", "/api/logout").finally(function () { location.replace("/"); });
    });
    window.addEventListener("beforeunload", function (ev) {
      if (exam && unsaved()) { ev.preventDefault(); ev.returnValue = ""; }
    });
    /* the page may be closed or frozen next: send what waits now */
    window.addEventListener("pagehide", function () { flushNow(true); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flushNow(true);
    });
    KS.api("GET", "/api/session").then(function (r) {
      if (r.status !== 200 || r.body.kind !== "candidate") { location.replace("/"); return; }
      loadMe();
    }).catch(function () { show(el("p", { class: "error", text: "无法连接服务器，请刷新页面重试" })); });
  }

  function loadMe() {
    return KS.api("GET", "/api/me").then(function (r) {
      if (r.status === 401) { location.replace("/"); return; }
      me = r.body;
      $("who").textContent = me.candidate.name + " · " + me.candidate.number;
      if (!me.attempt) waitingRoom();
      else if (me.attempt.state === "finished") showResult(me.attempt.id, me.attempt.finish_reason);
      else startExam(me.attempt.id);
    });
  }

  /* ---- waiting room ----------------------------------------------------------- */

  function waitingRoom() {
    stopTimers();
    const s = me.sitting;
    const clock = KS.serverClock(me.server_now);
    const status = el("p", { class: "big", "aria-live": "polite" });
    const message = el("p", { class: "error", role: "alert" });
    const start = el("button", { class: "primary", type: "button", disabled: true,
                                 text: "开始考试", onclick: begin });
    function tick() {
      const now = clock.now();
      const open = s.state === "open" && now >= s.opens_at && now < s.closes_at;
      start.disabled = !open;
      if (s.state === "draft") status.textContent = "考试尚未开放，请稍候。";
      else if (s.state === "closed" || now >= s.closes_at) status.textContent = "本场考试已结束。";
      else if (now < s.opens_at) status.textContent = "距开考还有 " + KS.duration(s.opens_at - now);
      else status.textContent = "考试已开始，请点击“开始考试”。";
      $("clock").textContent = "";
    }
    function begin() {
      start.disabled = true;
      KS.api("POST", "/api/attempts").then(function (r) {
        if (r.status === 200) startExam(r.body.attempt);
        else { message.textContent = r.body.message || "暂时不能开始考试"; tick(); }
      }).catch(function () { message.textContent = "无法连接服务器，请重试"; start.disabled = false; });
    }
    show(el("section", { class: "card waiting" },
      el("h1", { text: s.title }),
      el("dl", { class: "facts" },
        el("dt", { text: "考场" }), el("dd", { text: s.name }),
        el("dt", { text: "开考时间" }), el("dd", { text: KS.time(s.opens_at, s.tz_offset_min) }),
        el("dt", { text: "截止时间" }), el("dd", { text: KS.time(s.closes_at, s.tz_offset_min) }),
        el("dt", { text: "考试时长" }), el("dd", { text: minutes(me.candidate.duration_ms) +
          (me.candidate.duration_ms > s.duration_ms ? "（含额外时间 " + minutes(me.candidate.duration_ms - s.duration_ms) + "）" : "") })),
      el("ul", { class: "rules" },
        el("li", { text: "计时以服务器时间为准；每道题作答后自动保存。" }),
        el("li", { text: "可标记题目稍后检查；交卷前会列出未答和已标记的题目。" }),
        el("li", { text: "时间到时系统自动交卷。" })),
      status, message, start));
    tick();
    every(250, tick);
    every(15000, function () {
      KS.api("GET", "/api/me").then(function (r) {
        if (r.status !== 200) return;
        me = r.body;
        if (me.attempt) loadMe();
        else { clock.now = KS.serverClock(me.server_now).now; }
      }).catch(function () {});
    });
  }

  /* ---- the exam ---------------------------------------------------------------- */

  function storeKey(id) { return "ks-pending-" + id; }

  function startExam(id) {
    stopTimers();
    KS.api("GET", "/api/attempts/" + id).then(function (r) {
      if (r.status !== 200) { show(el("p", { class: "error", text: r.body.message || "无法加载试卷" })); return; }
      const a = r.body;
      if (a.state === "finished") { showResult(id, a.finish_reason); return; }
      exam = { id: id, title: a.title, sections: a.sections, questions: a.questions,
               current: 0, slots: [], state: a.state, offline: false, lastSaved: null,
               ending: false };
      a.questions.forEach(function (q) {
        exam.slots[q.slot] = { answer: q.answer, seq: q.seq, flagged: q.flagged,
                               pending: null, unacked: null, draft: null, invalid: false,
                               inflight: false, delay: 1000 };
      });
      restorePending();
      setClock(a);
      layout();
      every(250, tickClock);
      every(10000, pollStatus);
      exam.slots.forEach(function (s, slot) { pump(slot); });
    }).catch(function () { show(el("p", { class: "error", text: "无法连接服务器，请刷新页面重试" })); });
  }

  function setClock(status) {
    exam.left = status.time_left_ms;
    exam.leftAt = performance.now();
    exam.state = status.state;
  }

  function timeLeft() {
    return exam.state === "running" ? exam.left - (performance.now() - exam.leftAt) : exam.left;
  }

  function tickClock() {
    if (!exam) return;
    const left = timeLeft();
    const c = $("clock");
    c.textContent = (exam.state === "paused" ? "已暂停 · " : "剩余 ") + KS.duration(left);
    c.classList.toggle("low", left < 5 * 60000);
    if (left <= 0 && exam.state === "running" && !exam.ending) timeUp();
  }

  function pollStatus() {
    KS.api("GET", "/api/attempts/" + exam.id + "/status").then(function (r) {
      if (!exam || r.status !== 200) return;
      const was = exam.state;
      setClock(r.body);
      if (r.body.state === "finished") finished(r.body.finish_reason);
      else if (r.body.state === "paused" && was !== "paused") showPaused();
      else if (r.body.state === "running" && was === "paused") {
        closeDialog();
        exam.slots.forEach(function (s, slot) { pump(slot); });
      }
    }).catch(function () { exam.offline = true; updateSaving(); });
  }

  function showPaused() {
    dialog("考试已暂停", el("p", { text: "监考老师暂停了您的考试，计时已停止。请听从监考老师的指示，恢复后即可继续作答。" }), []);
  }

  /* ---- saving ------------------------------------------------------------------- */

  /* Whether slot s holds anything the server has not acknowledged: a typed
   * draft, a save waiting or on its way, or an input that is not valid. */
  function slotUnsaved(s) {
    return !!(s.draft || s.pending || s.unacked || s.invalid);
  }

  function unsaved() {
    return exam.slots.some(slotUnsaved);
  }

  /* Keeps every unsaved response in localStorage, with the seq it is based
   * on, so that a reload or a closed tab loses nothing. Called on every
   * keystroke: it must stay cheap. */
  function persistPending() {
    const keep = {};
    exam.slots.forEach(function (s, slot) {
      if (s.draft || s.pending || s.unacked)
        keep[slot] = { draft: s.draft, pending: s.pending, unacked: s.unacked, seq: s.seq };
    });
    try { localStorage.setItem(storeKey(exam.id), JSON.stringify(keep)); } catch (e) { /* private mode */ }
  }

  /* Responses not acknowledged before a reload are shown and sent again.
   * Saves already sent keep their keys: the server keeps each once, and
   * refuses one that a newer save (from another page) has overtaken. A
   * response never sent is dropped when the server's save is newer than the
   * one it was typed over. */
  function restorePending() {
    let kept = {}, dropped = [];
    try { kept = JSON.parse(localStorage.getItem(storeKey(exam.id)) || "{}"); } catch (e) { kept = {}; }
    Object.keys(kept).forEach(function (slot) {
      const s = exam.slots[slot], k = kept[slot];
      if (!s || !k) return;
      const local = k.draft ? { response: k.draft, key: KS.randomKey() } : k.pending;
      if (!k.unacked && !local) return;
      if (!k.unacked && s.seq !== k.seq) { dropped.push(Number(slot) + 1); return; }
      s.seq = k.seq;
      s.unacked = k.unacked || null;
      s.pending = local || null;
      s.answer = (local || k.unacked).response;
    });
    if (dropped.length) exam.restoreNotice = "第 " + dropped.join("、") + " 题在其他页面已有更新的答案，已采用服务器上的答案。";
    persistPending();
  }

  /* A response typed but not yet sent (the network save is debounced): kept
   * in localStorage at once, and counted as unsaved. */
  function draftAnswer(slot, response) {
    const s = exam.slots[slot], q = exam.questions[slot];
    const before = slotUnsaved(s) + "/" + answered(q, s.answer);
    s.answer = response;
    s.draft = response;
    s.invalid = false;
    persistPending();
    /* the navigator is redrawn only when this question's marks change */
    if (slotUnsaved(s) + "/" + answered(q, s.answer) !== before) updateNav();
    updateSaving();
  }

  /* An input of slot that cannot be saved as it stands (e.g. not a number):
   * the server keeps its older answer, and the page says so. s.invalid holds
   * the text as typed, shown again when the question is shown again. */
  function markInvalid(slot, text) {
    const s = exam.slots[slot];
    if (s.invalid === text) return;
    s.invalid = text;
    updateNav();
    updateSaving();
  }

  function setAnswer(slot, response) {
    const s = exam.slots[slot];
    s.answer = response;
    s.draft = null;
    s.invalid = false;
    s.pending = { response: response, key: KS.randomKey() };
    persistPending();
    updateNav();
    updateSaving();
    pump(slot);
  }

  /* On pagehide or a hidden tab: every draft becomes a save, and each save
   * not already on its way goes out at once, with keepalive so that it
   * outlives the page (keepalive). What still fails is in localStorage for
   * the reload. */
  function flushNow(keepalive) {
    if (!exam || exam.done) return;
    exam.slots.forEach(function (s, slot) {
      if (s.draft) { s.pending = { response: s.draft, key: KS.randomKey() }; s.draft = null; }
    });
    persistPending();
    exam.slots.forEach(function (s, slot) { pump(slot, keepalive); });
  }

  function pump(slot, keepalive) {
    const s = exam.slots[slot];
    const p = s.unacked || s.pending;
    if (!p || s.inflight || exam.state === "paused" || exam.done) return;
    s.inflight = true;
    /* on its way: kept (with its key) as unacknowledged, so that a reload
     * sends it again rather than taking the server's save for another page's */
    s.unacked = p;
    if (s.pending === p) s.pending = null;
    persistPending();
    updateSaving();
    KS.api("PUT", "/api/attempts/" + exam.id + "/answers/" + slot,
           { response: p.response, key: p.key, base: s.seq }, { keepalive: !!keepalive }).then(function (r) {
      s.inflight = false;
      const error = r.body.error;
      if (r.status === 200) {
        s.seq = r.body.seq;
        s.unacked = null;
        if (s.pending === p) s.pending = null;
        s.delay = 1000;
        exam.offline = false;
        exam.lastSaved = Date.now();
      } else if (r.status === 409 && error === "conflict") {
        s.seq = r.body.seq;
        s.answer = r.body.answer;
        s.unacked = s.pending = s.draft = null;
        notice(r.body.message);
        if (exam.current === slot) renderQuestion();
      } else if (r.status === 409 && error === "paused") {
        exam.state = "paused";
        showPaused();
      } else if (r.status === 409 && error === "ended") {
        s.unacked = s.pending = null;
        finished();
      } else if (r.status === 400) {
        s.unacked = s.pending = null;
        notice("第 " + (slot + 1) + " 题的答案格式不正确，未保存");
      } else if (r.status === 401) {
        location.replace("/");
        return;
      } else {
        retryLater(slot, p);
      }
      persistPending();
      updateSaving();
      updateNav();
      if (!exam.done) pump(slot);
    }).catch(function () {
      s.inflight = false;
      retryLater(slot, p);
      updateSaving();
    });
  }

  /* The server may or may not have kept p: send it again, same key, first. */
  function retryLater(slot, p) {
    const s = exam.slots[slot];
    s.unacked = p;
    exam.offline = true;
    persistPending();
    setTimeout(function () { if (exam) pump(slot); }, s.delay);
    s.delay = Math.min(s.delay * 2, 10000);
  }

  /* The header's word on saving: never 已保存 while anything is unsaved. */
  function updateSaving() {
    if (!exam) return;
    const busy = unsaved();
    const invalid = [];
    exam.slots.forEach(function (s, slot) { if (s.invalid) invalid.push(slot + 1); });
    const box = $("saving");
    box.className = "saving " + (invalid.length ? "invalid" : exam.offline && busy ? "offline" : busy ? "busy" : "saved");
    box.textContent = invalid.length ? "第 " + invalid.join("、") + " 题答案无效，未保存"
      : exam.offline && busy ? "网络中断，正在重试…"
      : busy ? "正在保存…"
      : exam.lastSaved ? "已保存" : "";
  }

  /* Whether a response still waits for the network (an invalid input does
   * not: there is nothing to send). */
  function sending() {
    return exam.slots.some(function (s) { return s.draft || s.pending || s.unacked; });
  }

  /* Sends every draft now; resolves once every answer is acknowledged, or
   * after ms. */
  function flush(ms) {
    const until = performance.now() + ms;
    flushNow(false);
    return new Promise(function (resolve) {
      (function check() {
        if (!sending() || performance.now() > until) resolve(!sending());
        else setTimeout(check, 200);
      })();
    });
  }

  /* ---- answered or not ------------------------------------------------------ */

  /* Whether a answers question q, as its widget counts it; for a widget the
   * page does not know, any answer at all. */
  function answered(q, a) {
    if (!a) return false;
    const w = widget(q.view);
    return w ? w.answered(a) : Object.keys(a).length > 0;
  }

  /* ---- layout --------------------------------------------------------------- */

  function layout() {
    notice(exam.restoreNotice || "");
    const nav = el("nav", { class: "navigator", "aria-label": "题目导航", id: "nav" });
    const pane = el("section", { class: "question", id: "pane", "aria-live": "polite" });
    const bottom = el("div", { class: "pager" },
      el("button", { type: "button", id: "prev", text: "上一题", onclick: function () { go(exam.current - 1); } }),
      el("button", { type: "button", id: "flag", onclick: toggleFlag }),
      el("button", { type: "button", id: "next", text: "下一题", onclick: function () { go(exam.current + 1); } }),
      el("button", { type: "button", class: "primary", id: "submit", text: "交卷", onclick: confirmSubmit }));
    show([el("h1", { class: "title", text: exam.title }),
          el("div", { class: "exam" }, nav, el("div", { class: "main" }, pane, bottom))], false);
    updateNav();
    renderQuestion();
    updateSaving();
  }

  function go(i) {
    if (i < 0 || i >= exam.questions.length) return;
    exam.current = i;
    renderQuestion();
    updateNav();
    const h = $("pane").querySelector("h2");
    if (h) h.focus();
  }

  function updateNav() {
    const nav = $("nav");
    if (!nav || !exam) return;
    KS.clear(nav);
    exam.sections.forEach(function (sec) {
      const buttons = [];
      for (let n = sec.first; n < sec.first + sec.count; n++) {
        const slot = n - 1, q = exam.questions[slot], s = exam.slots[slot];
        const done = answered(q, s.answer), waiting = slotUnsaved(s);
        buttons.push(el("button", {
          type: "button",
          class: "q" + (done ? " answered" : "") + (s.flagged ? " flagged" : "") +
                 (waiting ? " unsaved" : "") + (slot === exam.current ? " current" : ""),
          "aria-current": slot === exam.current ? "step" : null,
          title: waiting ? "未保存" : null,
          "aria-label": "第 " + n + " 题，" + (done ? "已作答" : "未作答") + (waiting ? "，未保存" : "") +
                        (s.flagged ? "，已标记" : ""),
          text: n,
          onclick: function () { go(slot); },
        }));
      }
      nav.appendChild(el("div", { class: "section" }, el("h3", { text: sec.title }),
                         el("div", { class: "grid" }, buttons)));
    });
    const total = exam.questions.length;
    const done = exam.questions.filter(function (q) { return answered(q, exam.slots[q.slot].answer); }).length;
    nav.appendChild(el("p", { class: "muted small", text: "已答 " + done + " / " + total + " 题" }));
    const flag = $("flag");
    if (flag) {
      const f = exam.slots[exam.current].flagged;
      flag.textContent = f ? "取消标记" : "标记待查";
      flag.setAttribute("aria-pressed", f ? "true" : "false");
    }
    $("prev").disabled = exam.current === 0;
    $("next").disabled = exam.current === total - 1;
  }

  function toggleFlag() {
    const slot = exam.current, s = exam.slots[slot];
    const want = !s.flagged;
    s.flagged = want;
    updateNav();
    KS.api("PUT", "/api/attempts/" + exam.id + "/flags/" + slot, { flagged: want }).then(function (r) {
      if (r.status !== 200) { s.flagged = !want; updateNav(); }
    }).catch(function () { s.flagged = !want; updateNav(); notice("网络中断，标记未保存"); });
  }

  /* ---- questions -------------------------------------------------------------- */

  function renderQuestion() {
    const q = exam.questions[exam.current], s = exam.slots[exam.current];
    const pane = KS.clear($("pane"));
    const sec = exam.sections[q.section - 1];
    pane.appendChild(el("p", { class: "muted small", text: sec ? sec.title : "" }));
    pane.appendChild(el("h2", { tabindex: "-1" },
      "第 " + (q.slot + 1) + " 题", el("span", { class: "muted", text: " · " + (q.view.label || "题目") + " · " + q.points + " 分" })));
    pane.appendChild(el("p", { class: "stem", text: q.view.stem || "" }));
    const save = function (response) { setAnswer(q.slot, response); };
    /* typed, not yet sent: into localStorage at once */
    save.draft = function (response) { draftAnswer(q.slot, response); };
    save.invalid = function (text) { markInvalid(q.slot, text || false); };
    save.invalidText = s.invalid || null;
    KS.append(pane, questionBody(q, s.answer || null, save));
  }

  /* The view's parts, then its widget's controls showing answer a; a widget
   * the page does not know, or a view it cannot show, gets a message. */
  function questionBody(q, a, save) {
    const w = widget(q.view);
    try {
      return parts(q.view).concat(w ? w.render(q, a, save) : unsupported());
    } catch (e) {
      return unsupported();
    }
  }

  function unsupported() {
    return el("p", { class: "error", text: "此题暂不支持在线作答，请联系监考老师。" });
  }

  function asList(x) { return Array.isArray(x) ? x : []; }

  /* The static material after the stem: paragraphs, tables and charts. */
  function parts(view) {
    return asList(view.parts).map(function (p) {
      if (!p || typeof p !== "object") return null;
      if (typeof p.text === "string") return el("p", { class: "part", text: p.text });
      if (p.table) return dataTable(p.table);
      if (typeof p.chart === "string") {
        return el("img", { class: "chart", alt: "题目图表",
                           src: "data:image/svg+xml;charset=utf-8," + encodeURIComponent(p.chart) });
      }
      return null;
    });
  }

  /* A table: a list of rows (the first is the header), or
   * {header|columns: [...], rows: [[...]]}. */
  function dataTable(t) {
    const header = Array.isArray(t) ? t[0] : t.header || t.columns;
    const rows = Array.isArray(t) ? t.slice(1) : t.rows || [];
    return el("div", { class: "table-wrap" }, el("table", { class: "data" },
      header ? el("thead", {}, el("tr", {}, header.map(function (h) { return el("th", { text: h }); }))) : null,
      el("tbody", {}, rows.map(function (r) {
        return el("tr", {}, [].concat(r).map(function (c) { return el("td", { text: c }); }));
      }))));
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

  function debounced(f, ms) {
    let t = null;
    const run = function () { clearTimeout(t); t = null; f(); };
    return { later: function () { clearTimeout(t); t = setTimeout(run, ms); }, now: run };
  }

  /* Full-width forms folded as the server folds them when it compares text
   * (U+FF01..U+FF5E to ASCII, the ideographic space to a space). */
  function foldWidth(text) {
    return text.replace(/[\uFF01-\uFF5E]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
               .replace(/\u3000/g, " ");
  }

  /* The number a candidate typed, or NaN: full-width digits and signs,
   * spaces, thousands separators (1,200 or 1，200, in groups of three) and
   * a trailing % are allowed; "80%" is 80, as the unit says. */
  function parseNumber(raw) {
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
   * error and marks the answer unsaved. An empty input saves nothing. */
  function numberInput(value, unit, save) {
    const input = el("input", { type: "text", inputmode: "decimal", class: "number", "aria-label": "答案",
                                value: save.invalidText || (value === undefined ? "" : value) });
    const hint = el("span", { class: "error small", id: "hint-" + KS.randomKey().slice(0, 8) });
    input.setAttribute("aria-describedby", hint.id);
    function current() {
      const text = input.value.trim();
      return text === "" ? null : parseNumber(text);
    }
    function typed() {
      const v = current();
      if (v === null) { save.invalid(false); return; }
      if (Number.isNaN(v)) { save.invalid(input.value); return; }
      save.invalid(false);
      hint.textContent = "";
      input.removeAttribute("aria-invalid");
      save.draft({ value: v });
    }
    const send = debounced(function () {
      const v = current();
      if (v === null) { hint.textContent = ""; return; }
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

  /* The name of blank i: the view's label for it, else "第 i 空". */
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
  function widget(view) {
    return Object.prototype.hasOwnProperty.call(WIDGETS, view.widget) ? WIDGETS[view.widget] : null;
  }

  /* ---- submitting --------------------------------------------------------------- */

  function listOf(slots) {
    return slots.length ? slots.map(function (s) { return s + 1; }).join("、") : "无";
  }

  function confirmSubmit() {
    const blank = [], flagged = [];
    exam.questions.forEach(function (q) {
      if (!answered(q, exam.slots[q.slot].answer)) blank.push(q.slot);
      if (exam.slots[q.slot].flagged) flagged.push(q.slot);
    });
    const total = exam.questions.length;
    const invalid = [];
    exam.slots.forEach(function (s, slot) { if (s.invalid) invalid.push(slot); });
    dialog("确认交卷", [
      invalid.length ? el("p", { class: "warn", text: "答案无效、未保存 " + invalid.length + " 题：" + listOf(invalid) +
                                 "（交卷时按上次保存的答案计分）" }) : null,
      el("p", { text: "共 " + total + " 题，已答 " + (total - blank.length) + " 题。" }),
      el("p", { class: blank.length ? "warn" : "", text: "未答 " + blank.length + " 题：" + listOf(blank) }),
      el("p", { class: flagged.length ? "warn" : "", text: "标记待查 " + flagged.length + " 题：" + listOf(flagged) }),
      el("p", { class: "muted", text: "交卷后不能再修改答案。" }),
    ], [
      el("button", { type: "button", text: "返回检查", onclick: closeDialog }),
      el("button", { type: "button", class: "primary", text: "确认交卷", onclick: function () { submit(false); } }),
    ]);
  }

  function submit(auto) {
    exam.ending = true;
    dialog(auto ? "时间到" : "正在交卷", el("p", { text: auto ? "考试时间到，正在保存答案并交卷…" : "正在保存答案并交卷…" }), []);
    flush(auto ? 20000 : 15000).then(function () {
      return KS.api("POST", "/api/attempts/" + exam.id + "/submit");
    }).then(function (r) {
      if (r.status === 200) finished(r.body.finish_reason);
      else if (r.status === 409 && r.body.error === "paused") { exam.ending = false; showPaused(); }
      else { exam.ending = false; closeDialog(); notice(r.body.message || "交卷失败，请重试"); }
    }).catch(function () {
      exam.ending = false;
      closeDialog();
      notice("网络中断，交卷未成功，请检查网络后再次交卷");
    });
  }

  function timeUp() { submit(true); }

  function finished(reason) {
    if (!exam || exam.done) return;
    exam.done = true;
    const id = exam.id;
    try { localStorage.removeItem(storeKey(id)); } catch (e) { /* private mode */ }
    stopTimers();
    closeDialog();
    exam = null;
    $("clock").textContent = "";
    $("saving").textContent = "";
    showResult(id, reason);
  }

  /* ---- the result ------------------------------------------------------------------ */

  /* An answer in words, as the view's widget puts it. */
  function describe(view, answer) {
    const w = widget(view);
    if (!answer || (w && !w.answered(answer))) return "未作答";
    return w ? w.describe(view, answer) : JSON.stringify(answer);
  }

  function showResult(id, reason) {
    stopTimers();
    KS.api("GET", "/api/attempts/" + id + "/result").then(function (r) {
      const res = r.body, parts = [el("h1", { text: "已交卷" }),
                                   el("p", { class: "big", text: REASONS[reason || res.finish_reason] || "考试已结束。" })];
      if (r.status !== 200) parts.push(el("p", { class: "error", text: res.message || "暂时无法查看成绩" }));
      else if (!res.published) {
        parts.push(el("p", { text: "成绩尚未公布，请稍后刷新本页查看。" }),
                   el("button", { type: "button", text: "刷新", onclick: function () { showResult(id, reason); } }));
        every(30000, function () { showResult(id, reason); });
      } else if (res.review === "none") {
        parts.push(el("p", { text: "成绩将另行通知。" }));
      } else if (!res.graded) { /* published, then amended: waiting for the regrade */
        parts.push(el("p", { text: "成绩复核中，请稍后刷新本页查看。" }),
                   el("button", { type: "button", text: "刷新", onclick: function () { showResult(id, reason); } }));
        every(30000, function () { showResult(id, reason); });
      } else {
        const verdict = res.passed ? "通过" : "未通过";
        parts.push(el("div", { class: "card score" },
          el("p", { class: "big", text: "得分 " + fmt(res.score) + " / " + fmt(res.max_score) + "（" + fmt(res.percent) + "%）" }),
          el("p", { class: res.passed ? "pass" : "fail", text: "结果：" + verdict }),
          res.reason ? el("p", { class: "reason", text: (res.passed ? "说明：" : "未通过原因：") + res.reason }) : null,
          el("table", { class: "data" }, el("thead", {}, el("tr", {}, el("th", { text: "部分" }), el("th", { text: "得分" }))),
            el("tbody", {}, (res.sections || []).map(function (s) {
              return el("tr", {}, el("td", { text: s.title }), el("td", { text: fmt(s.score) + " / " + fmt(s.max_score) }));
            })))));
        if (res.questions) parts.push(el("ol", { class: "review" }, res.questions.map(function (q) {
          return el("li", {},
            el("p", { class: "stem", text: q.view.stem || "" }),
            el("p", {}, "您的答案：", describe(q.view, q.answer)),
            el("p", { class: "muted", text: "得分 " + fmt(q.marks.points) + " / " + fmt(q.marks.max_points) +
              (q.marks.by_person ? (q.marks.overridden ? " · 阅卷老师已人工调整本题得分" : " · 由阅卷老师评分") : "") }),
            q.marks.comment ? el("p", { class: "comment", text: "阅卷评语：" + q.marks.comment }) : null,
            q.key && q.key.explanation ? el("p", { class: "explain", text: "解析：" + q.key.explanation }) : null);
        })));
      }
      if (res.published && res.certificate) parts.push(certificateLink(res.certificate));
      show(el("section", { class: "card" }, parts));
    }).catch(function () { show(el("p", { class: "error", text: "无法连接服务器，请刷新页面重试" })); });
  }

  /* The attempt's certificate, once issued: its number and the PDF. */
  function certificateLink(cert) {
    return el("div", { class: "card certificate" },
      el("p", { text: "您的证书已签发，证书编号 " + cert.number + "。" }),
      el("a", { class: "button", href: cert.pdf, download: cert.number + ".pdf", text: "下载证书 (PDF)" }));
  }

  function fmt(x) { return typeof x === "number" ? String(Math.round(x * 100) / 100) : "—"; }

  /* A duration in minutes, to a tenth: "30 分钟", "37.5 分钟". */
  function minutes(ms) { return Math.round(ms / 6000) / 10 + " 分钟"; }

  boot();
})();
