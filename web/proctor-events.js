/* The sitting's audit events, pushed: a long poll of GET
 * /api/sittings/{name}/events that starts from the first event (after=0,
 * which brings the whole log at once) and then waits for the next ones; and
 * each event in words for the 事件记录 (who extended whose time by how much,
 * pauses, resumes, notes, submissions). A server without the route (404)
 * is reported once, and the console falls back to polling. */
"use strict";
PC.events = (function () {
  const RETRY_MS = 5000;

  /* Follows sitting name's events: on.events(list) for each batch (oldest
   * first), on.available() after each reply, on.unavailable() when the
   * server has no such route, on.loggedOut(). Returns stop(), which also
   * cancels the poll in flight (it would hold a connection for its wait). */
  function follow(name, on) {
    let stopped = false, cursor = 0, controller = null, timer = null;
    const path = "/api/sittings/" + encodeURIComponent(name) + "/events?after=";
    function later(ms) { if (!stopped) timer = setTimeout(poll, ms); }
    function poll() {
      controller = new AbortController();
      fetch(path + cursor, { credentials: "same-origin", cache: "no-store", signal: controller.signal,
                             headers: { "Accept": "application/json" } }).then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (body) {
          if (stopped) return;
          if (res.status === 404) { on.unavailable(); return; }
          if (res.status === 401) { on.loggedOut(); return; }
          if (res.status !== 200) { later(RETRY_MS); return; }
          on.available();
          if (body.events && body.events.length) on.events(body.events);
          if (body.cursor > cursor) cursor = body.cursor;
          later(body.retry_ms || 0);
        });
      }).catch(function () { later(RETRY_MS); });
    }
    poll();
    return function stop() {
      stopped = true;
      clearTimeout(timer);
      if (controller) controller.abort();
    };
  }

  /* Who did it, for the log: a proctor's name, else the kind of actor. */
  function actor(ev) {
    const a = ev.actor || "";
    if (a.startsWith("proctor:")) return a.slice(8);
    if (a.startsWith("candidate:")) return "考生";
    return a === "cli" ? "命令行" : "系统";
  }

  const FINISHED = { submitted: "交卷", deadline: "到时自动交卷", closed: "因考试结束被收卷" };

  /* ev in words, with the candidate named as rows have them; null for an
   * event the log does not show (marks: marking is blind; grading). */
  function describe(ev, rows) {
    const d = ev.detail || {}, who = actor(ev);
    const number = ev.candidate || d.candidate;
    const row = number && rows.find(function (r) { return r.number === number; });
    const cand = number ? number + (row ? "（" + row.name + "）" : "") : "考生";
    switch (ev.action) {
    case "attempt.start": return cand + "开始作答";
    case "attempt.finish":
      return d.reason === "forced" ? who + " 为 " + cand + "收卷" : cand + (FINISHED[d.reason] || "交卷");
    case "attempt.extend": return who + " 为 " + cand + "延长 " + PC.status.minutes(d.extra_ms || 0) + " 分钟";
    case "attempt.pause": return who + " 暂停了 " + cand + "的考试";
    case "attempt.resume":
      return who + " 恢复了 " + cand + "的考试" + (d.paused_ms ? "（暂停了 " + KS.duration(d.paused_ms) + "）" : "");
    case "attempt.note": return who + " 为 " + cand + "记录：" + d.text;
    case "enroll.accommodate": return who + " 调整了 " + cand + "的额外时间";
    case "sitting.open": return who + " 开放考场";
    case "sitting.close": return who + " 结束考试";
    case "sitting.amend": return who + " 更正试题" + (d.reason ? "：" + d.reason : "");
    case "sitting.publish": return who + " 发布成绩";
    default: return null;
    }
  }

  /* Whether ev may change the results shown below the table. */
  function changesResults(ev) {
    return ev.action === "attempt.finish" || ev.action.startsWith("sitting.") || ev.action === "results.regrade";
  }

  return { follow: follow, describe: describe, changesResults: changesResults };
})();
