#!/usr/bin/env python3
"""Simulated candidates for the chaos suites (tests/cli/test_chaos_*.sh).

  chaos_candidates.py run --url-file URL --codes CODES.csv --out DIR [options]
      One thread per candidate of CODES.csv (number,name,access_code as
      `kaoshi enroll` prints it): it logs in, starts its attempt, then saves
      answers, each with its own idempotency key, and retries a save (same
      key, same response) until it is acknowledged with 200. Before every
      connection it reads the server's address from the file URL, so it
      follows a server restarted on another port. Once the file STOP (--stop)
      exists, each candidate finishes the save in hand, asks the status route
      (same deadline as at the start, running, time left) and saves once
      more, which the first reply must acknowledge.
      Writes, in DIR:
        acks.jsonl   one line per acknowledged save (written as it comes):
                     {"number", "attempt", "slot", "key", "seq", "response"}
        stats.json   counters, rewritten as they change: acks, by status, ...
        result.json  at the end: per candidate, the attempt, its deadline
                     when first seen and at the end, the final checks
      Exits 0 when every candidate went through, 1 otherwise (the failures
      are printed to stderr).
      --strict: every reply must be 200, or 503 "unavailable" with a message
      for a save; a refused connection or any other status is a failure
      (the server must not crash or misreply), and after a save's first 503
      the status route must answer 200. Without it (kill storms), a
      failed connection or a 503 is retried, any other status is a failure.
      --size N: pad the text of text and blank answers by N bytes.
      --ceiling S: give up after S seconds (a hung test), 90 by default.

  chaos_candidates.py verify --db DB --out DIR
      Every acknowledged save of DIR/acks.jsonl is in DB with its seq, slot,
      attempt, key and response; a key acknowledged twice has one seq and a
      seq belongs to one key; no key is stored twice; each attempt's deadline
      in DB is the one its candidate saw at the start (DIR/result.json);
      PRAGMA integrity_check is ok. Prints the figures to stderr; exits 0
      when nothing is lost and all holds, 1 otherwise.

Only the standard library: http.client and threads.
"""
import argparse
import csv
import http.client
import json
import os
import random
import sqlite3
import sys
import threading
import time
import urllib.parse


class Shared:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.acks = open(os.path.join(args.out, "acks.jsonl"), "a", encoding="utf-8")
        self.counts = {"acks": 0, "retried_acks": 0, "saves_503": 0, "conn_errors": 0,
                       "statuses": {}}
        self.failures = []
        self.t_end = time.monotonic() + args.ceiling
        self.stats_dirty = False

    def ack(self, record, retried):
        with self.lock:
            self.acks.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.acks.flush()
            self.counts["acks"] += 1
            self.counts["retried_acks"] += retried
            self.stats_dirty = True

    def count(self, what, status=None):
        with self.lock:
            if status is not None:
                key = str(status)
                self.counts["statuses"][key] = self.counts["statuses"].get(key, 0) + 1
            if what:
                self.counts[what] += 1
            self.stats_dirty = True

    def fail(self, message):
        with self.lock:
            self.failures.append(message)

    def write_stats(self):
        with self.lock:
            if not self.stats_dirty:
                return
            data = json.dumps(self.counts)
            self.stats_dirty = False
        path = os.path.join(self.args.out, "stats.json")
        with open(path + ".tmp", "w") as f:
            f.write(data)
        os.replace(path + ".tmp", path)

    def stopping(self):
        return os.path.exists(self.args.stop)

    def timed_out(self):
        return time.monotonic() > self.t_end


class GiveUp(Exception):
    pass


class Candidate(threading.Thread):
    def __init__(self, shared, number, code):
        super().__init__(daemon=True)
        self.sh = shared
        self.number = number
        self.code = code
        self.conn = None
        self.cookie = None
        self.csrf = None
        self.attempt = None
        self.nslots = 0
        self.views = []
        self.deadline = None
        self.result = {"number": number, "ok": False}
        self.rng = random.Random(hash(number))

    # ---- transport ----------------------------------------------------------

    def connect(self):
        with open(self.sh.args.url_file) as f:
            url = urllib.parse.urlsplit(f.read().strip())
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=15)

    def request(self, method, path, body=None):
        """(status, parsed body) or (None, None) when the connection failed."""
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        if self.cookie:
            headers["Cookie"] = "ks_session=" + self.cookie
        try:
            if self.conn is None:
                self.connect()
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
            raw = resp.read()
            cookie = resp.getheader("Set-Cookie")
            if cookie and cookie.startswith("ks_session="):
                self.cookie = cookie.split(";", 1)[0].split("=", 1)[1]
            if resp.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
        except (OSError, http.client.HTTPException, ValueError):
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            self.sh.count("conn_errors")
            if self.sh.args.strict:
                raise GiveUp(f"{method} {path}: the connection failed (did the server crash?)")
            return None, None
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return resp.status, parsed

    def pause(self):
        if self.sh.timed_out():
            raise GiveUp("gave up: the ceiling passed")
        time.sleep(0.02 + self.rng.random() * 0.05)

    def until_ok(self, method, path, body=None):
        """Retries a request through restarts until it is answered 200."""
        while True:
            status, reply = self.request(method, path, body)
            if status == 200:
                return reply
            if status is not None:
                self.sh.count(None, status)
                if status != 503:
                    raise GiveUp(f"{method} {path}: HTTP {status} {reply}")
                if self.sh.args.strict:
                    raise GiveUp(f"{method} {path}: HTTP 503 {reply} (only saves may be refused)")
            self.pause()

    # ---- a candidate's sitting ------------------------------------------------

    def login(self):
        reply = self.until_ok("POST", "/api/login", {"sitting": self.sh.args.sitting,
                                                      "number": self.number,
                                                      "code": self.code})
        self.csrf = reply["csrf"]

    def clock(self):
        return self.until_ok("GET", f"/api/attempts/{self.attempt}/status")

    def response(self, view, k):
        """Answer k to a question with this view: a response its widget takes,
        with the text of text and blank answers padded by --size (up to the
        view's max_chars)."""
        text = f"{self.number} answer {k}" + "x" * self.sh.args.size
        if view.get("max_chars"):
            text = text[: view["max_chars"]]
        ids = [o["id"] for o in view.get("options") or view.get("items") or view.get("right") or []]
        widget = view["widget"]
        if widget == "choice":
            return {"choice": ids[k % len(ids)]}
        if widget == "choices":
            return {"choices": ids[: 1 + k % len(ids)]}
        if widget == "truth":
            return {"value": k % 2 == 0}
        if widget == "blanks":
            return {"blanks": [text] * view["blanks"]}
        if widget == "number":
            return {"value": k}
        if widget == "order":
            return {"order": ids[k % len(ids):] + ids[: k % len(ids)]}
        if widget == "match":
            return {"matches": [ids[(k + i) % len(ids)] for i in range(len(view["left"]))]}
        if widget == "points":
            return {"points": [1 + k % view["npoints"]]}
        return {"text": text}

    def save(self, k, final=False):
        """Saves answer k, retrying with its key until it is acknowledged."""
        slot = k % self.nslots
        key = f"{self.number}-{k}"
        response = self.response(self.views[slot], k)
        path = f"/api/attempts/{self.attempt}/answers/{slot}"
        for tries in range(1 << 30):
            status, reply = self.request("PUT", path, {"response": response, "key": key})
            if status == 200:
                if reply.get("slot") != slot or not isinstance(reply.get("seq"), int):
                    raise GiveUp(f"save {key}: a reply without its seq and slot: {reply}")
                self.sh.ack({"number": self.number, "attempt": self.attempt, "slot": slot,
                             "key": key, "seq": reply["seq"], "response": response},
                            tries > 0)
                return
            if final and (status is not None or tries >= 2):
                # (a kept-alive connection the server closed may fail once)
                raise GiveUp(f"save {key} after the storm: HTTP {status} {reply}")
            if status is not None:
                self.sh.count("saves_503" if status == 503 else None, status)
                if status != 503:
                    raise GiveUp(f"save {key}: HTTP {status} {reply}")
                if not (isinstance(reply, dict) and reply.get("error") == "unavailable"
                        and reply.get("message")):
                    raise GiveUp(f"save {key}: 503 without error 'unavailable' and a "
                                 f"message: {reply}")
                if self.sh.args.strict and tries == 0:
                    self.clock()  # a refused save leaves the server answering the rest
            self.pause()

    def run(self):
        try:
            self.login()
            self.attempt = self.until_ok("POST", "/api/attempts", {})["attempt"]
            exam = self.until_ok("GET", f"/api/attempts/{self.attempt}")
            self.nslots = len(exam["questions"])
            self.views = [q["view"] for q in exam["questions"]]
            self.deadline = exam["deadline"]
            self.result.update(attempt=self.attempt, deadline_first=self.deadline)
            k = 0
            while not self.sh.stopping():
                self.save(k)
                k += 1
                if self.sh.timed_out():
                    raise GiveUp("gave up: the ceiling passed before the stop file")
                time.sleep(self.rng.random() * self.sh.args.think)
            # after the storm: the clock carries on, and a save goes through
            status = self.clock()
            self.result.update(deadline_last=status["deadline"], state=status["state"],
                               time_left_ms=status["time_left_ms"], saves=k)
            if status["deadline"] != self.deadline:
                raise GiveUp(f"the deadline moved from {self.deadline} to {status['deadline']}")
            if status["state"] != "running" or not status["time_left_ms"] > 0:
                raise GiveUp(f"the attempt does not carry on: {status}")
            self.save(k, final=True)
            self.result["ok"] = True
        except GiveUp as e:
            self.sh.fail(f"{self.number}: {e}")
        except Exception as e:  # a bug in this script or a malformed reply
            self.sh.fail(f"{self.number}: {type(e).__name__}: {e}")
        finally:
            if self.conn is not None:
                self.conn.close()


def cmd_run(args):
    os.makedirs(args.out, exist_ok=True)
    with open(args.codes, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f)]
    if args.count:
        rows = rows[:args.count]
    shared = Shared(args)
    threads = [Candidate(shared, r["number"], r["access_code"]) for r in rows]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads) and time.monotonic() < shared.t_end + 20:
        shared.write_stats()
        time.sleep(0.05)
    shared.stats_dirty = True
    shared.write_stats()
    hung = [t.number for t in threads if t.is_alive()]
    if hung:
        shared.fail(f"candidates still hung after the ceiling: {hung[:10]}")
    with open(os.path.join(args.out, "result.json"), "w") as f:
        json.dump({"counts": shared.counts, "candidates": [t.result for t in threads],
                   "failures": shared.failures}, f, ensure_ascii=False)
    ok = sum(1 for t in threads if t.result["ok"])
    c = shared.counts
    print(f"candidates: {len(threads)}, went through: {ok}, acknowledged saves: {c['acks']} "
          f"({c['retried_acks']} after a retry), saves refused with 503: {c['saves_503']}, "
          f"failed connections: {c['conn_errors']}", file=sys.stderr)
    for msg in shared.failures[:20]:
        print("  " + msg, file=sys.stderr)
    return 0 if ok == len(threads) and not shared.failures else 1


def cmd_verify(args):
    acks = []
    with open(os.path.join(args.out, "acks.jsonl"), encoding="utf-8") as f:
        for line in f:
            acks.append(json.loads(line))
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    rows = {seq: (attempt, slot, json.loads(resp), key) for seq, attempt, slot, resp, key in
            db.execute("SELECT seq, attempt_id, slot, response, client_key FROM answers")}
    problems = []
    lost = 0
    seq_of_key = {}
    key_of_seq = {}
    for a in acks:
        want = (a["attempt"], a["slot"], a["response"], a["key"])
        got = rows.get(a["seq"])
        if got != want:
            lost += 1
            if len(problems) < 10:
                problems.append(f"save {a['key']} acknowledged as seq {a['seq']}: the database "
                                f"has {got!r:.200}")
        first = seq_of_key.setdefault((a["attempt"], a["key"]), a["seq"])
        if first != a["seq"]:
            problems.append(f"key {a['key']} acknowledged twice with seqs {first} and {a['seq']}")
        owner = key_of_seq.setdefault(a["seq"], a["key"])
        if owner != a["key"] and len(problems) < 20:
            problems.append(f"seq {a['seq']} acknowledged for keys {owner} and {a['key']}")
    dupes = db.execute("SELECT count(*) FROM (SELECT 1 FROM answers WHERE client_key IS NOT NULL"
                       " GROUP BY attempt_id, client_key HAVING count(*) > 1)").fetchone()[0]
    if dupes:
        problems.append(f"{dupes} keys stored more than once")
    with open(os.path.join(args.out, "result.json"), encoding="utf-8") as f:
        candidates = json.load(f)["candidates"]
    deadlines = dict(db.execute("SELECT id, deadline_at FROM attempts"))
    for c in candidates:
        if "attempt" in c and deadlines.get(c["attempt"]) != c["deadline_first"]:
            problems.append(f"{c['number']}: attempt {c['attempt']} has deadline "
                            f"{deadlines.get(c['attempt'])} in the database, "
                            f"{c['deadline_first']} when it started")
    integrity = db.execute("PRAGMA integrity_check").fetchall()
    if integrity != [("ok",)]:
        problems.append(f"PRAGMA integrity_check: {integrity[:5]}")
    db.close()
    print(f"acknowledged saves: {len(acks)} ({len(seq_of_key)} keys), in the database: "
          f"{len(rows)} answers, lost: {lost}, integrity_check: "
          f"{integrity[0][0] if integrity else '?'}", file=sys.stderr)
    for p in problems:
        print("  " + p, file=sys.stderr)
    return 0 if not problems and lost == 0 else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--url-file", required=True)
    r.add_argument("--codes", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--stop", required=True)
    r.add_argument("--sitting", default="s1")
    r.add_argument("--count", type=int, default=0)
    r.add_argument("--size", type=int, default=0)
    r.add_argument("--think", type=float, default=0.02, help="seconds between saves, at most")
    r.add_argument("--ceiling", type=float, default=90)
    r.add_argument("--strict", action="store_true")
    v = sub.add_parser("verify")
    v.add_argument("--db", required=True)
    v.add_argument("--out", required=True)
    args = p.parse_args()
    sys.exit(cmd_run(args) if args.cmd == "run" else cmd_verify(args))


if __name__ == "__main__":
    main()
