/* The state of a row of the live table in words: its state and the chips
 * that say what needs the proctor's eye (离线, 从未连接, 已到时, < 5 分钟,
 * 已暂停) or what the attempt was given (+N 分钟), and the order "by
 * problem" puts the rows in. Everything is judged at the server's time of
 * the reply (live.server_now), never by the browser's clock. */
"use strict";
PC.status = (function () {
  const STATES = { not_started: "未开始", running: "作答中", paused: "已暂停", finished: "已交卷" };
  const OFFLINE_MS = 30 * 1000, LOW_MS = 5 * 60 * 1000;
  /* how urgent each chip is: the order "by problem" sorts on */
  const RANK = { paused: 0, late: 1, offline: 1, low: 2, never: 3 };

  function minutes(ms) { return Math.round(ms / 6000) / 10; }

  /* The chips of row, [{kind, text}], as of live (its server_now and sitting). */
  function chips(row, live) {
    const now = live.server_now, s = live.sitting, out = [];
    if (row.state === "paused") out.push({ kind: "paused", text: "已暂停" });
    if (row.state === "running") {
      if (row.time_left_ms <= 0) out.push({ kind: "late", text: "已到时" });
      else if (row.time_left_ms < LOW_MS) out.push({ kind: "low", text: "< 5 分钟" });
      if (!row.last_seen || now - row.last_seen > OFFLINE_MS) out.push({ kind: "offline", text: "离线" });
    }
    if (row.state === "not_started" && !row.logged_in && s.state === "open" && now >= s.opens_at && now < s.closes_at)
      out.push({ kind: "never", text: "从未连接" });
    if ((row.state === "running" || row.state === "paused") && row.extended_ms > 0)
      out.push({ kind: "extended", text: "+" + minutes(row.extended_ms) + " 分钟" });
    return out;
  }

  /* Whether the row needs a look (a chip other than +N 分钟). */
  function rank(row, live) {
    return chips(row, live).reduce(function (best, c) {
      return c.kind in RANK ? Math.min(best, RANK[c.kind]) : best;
    }, Infinity);
  }

  /* The rows in the order asked: "problem" puts those that need a look
   * first (paused, past the deadline or offline, under 5 minutes left,
   * never connected), each group in the server's order. */
  function sorted(rows, live, order) {
    const indexed = rows.map(function (row, i) { return { row: row, i: i, rank: order === "problem" ? rank(row, live) : 0 }; });
    indexed.sort(function (a, b) { return a.rank - b.rank || a.i - b.i; });
    return indexed;
  }

  return { STATES: STATES, chips: chips, rank: rank, sorted: sorted, minutes: minutes };
})();
