# Amending a sitting through the real binary: a key corrected after the exam
# is frozen as version 2 ('kaoshi sitting amend', audited), 'kaoshi grade'
# regrades with it, 'kaoshi results --changes' lists exactly the candidates
# whose result changed, and a certificate that no longer passes is flagged
# (never revoked) and cleared when it passes again. Every refusal says why,
# exits 1 and writes nothing.

. "$ROOT/tests/cli/sitting_fixture.sh"
. "$ROOT/tests/cli/certificate_fixture.sh"
. "$ROOT/tests/cli/kw_fixture.sh"
. "$ROOT/tests/cli/amend_fixture.sh"

T1=2027-07-20T10:00:00+08:00
T2=2027-07-21T10:00:00+08:00
REASON='更正三道题的答案'

with_options() { # the first item of C001's form with options (single or multiple)
    python3 -c 'import json; print(next(q["key"]["id"] for q in json.load(open("keys.json"))["questions"] if q["key"]["type"] in ("single", "multiple")))'
}

hash_of_sitting() {
    run sitting show s1 --json
    python3 -c 'import json; print(json.load(open(".out"))["sources_hash"])'
}

# C001 answers every question right but the essay (85 of 100, a final pass);
# C002 answers only the essay, marked 1 (15 of 100, a fail); C001 gets
# certificate DEMO-CS-2027-000001. FIX: three items of C001's first section.
sit_grade_issue() {
    declare_certificate '{ title = "《客户服务基础认证证书》", issuer = "示例认证中心" }'
    open_demo
    start_c001
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --keys --json
    cp .out keys.json
    KAOSHI_NOW=$T0 answer_right "$ATTEMPT"
    KAOSHI_NOW=$T0 run attempt submit "$ATTEMPT"
    KAOSHI_NOW=$T0 run attempt start s1 C002 --code "$CODE2" --json
    ATTEMPT2=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
    KAOSHI_NOW=$T0 run attempt answer "$ATTEMPT2" "$ESSAY" '{"text": "先道歉，再跟进。"}'
    expect_rc 0
    KAOSHI_NOW=$T0 run attempt submit "$ATTEMPT2"
    KAOSHI_NOW=$T0 run mark "$ATTEMPT2" "$ESSAY" 1
    expect_rc 0
    KAOSHI_NOW=$T0 run grade s1
    expect_out "graded 2 finished attempts in s1"
    run keys init --key sign.key
    KAOSHI_NOW=$T0 run certificate issue s1 --key sign.key
    expect_out "issued DEMO-CS-2027-000001 C001 张三
1 certificate issued"
    FIX="$(item_of 1) $(item_of 2) $(item_of 3)"
    H1=$(hash_of_sitting)
}

t_a_corrected_key_regrades_and_flags_the_certificate() {
    sit_grade_issue
    # shellcheck disable=SC2086
    change_key $FIX
    KAOSHI_NOW=$T1 run sitting amend s1 --reason "$REASON"
    expect_rc 0
    H2=$(hash_of_sitting)
    [ "$H2" != "$H1" ] || fail "the hash did not change"
    expect_out "amended sitting s1: version 2, sources frozen (sha256 $H2)
changed banks/demo.yaml
'kaoshi grade s1' regrades its finished attempts with version 2"
    # the amendment is in the audit log, with who, why, both hashes and the file
    run sitting log s1
    expect_rc 0
    expect_out_has "2027-07-20T10:00:00+08:00 cli sitting.amend {\"added\":[],\"changed\":[\"banks/demo.yaml\"],\"reason\":\"$REASON\",\"removed\":[],\"sources_hash\":\"$H2\",\"sources_hash_before\":\"$H1\",\"version\":2}"
    run sitting show s1
    expect_out_has "version 2     2027-07-20T10:00:00+08:00 by cli, sha256 $H2: $REASON"
    expect_out_has "sources_hash  $H2"
    run sitting show s1 --json
    python3 - "$H1" "$H2" <<'PY' || fail "sitting show --json: $OUT"
import json, sys
s = json.load(open(".out"))
assert s["version"] == 2 and s["sources_hash"] == sys.argv[2], s
v1, v2 = s["versions"]
assert (v1["version"], v1["actor"], v1["reason"], v1["sources_hash"]) == (1, "cli", "", sys.argv[1]), v1
assert v2 == {"version": 2, "at": "2027-07-20T10:00:00+08:00", "actor": "cli",
              "reason": "更正三道题的答案", "sources_hash": sys.argv[2]}, v2
PY
    run sitting log s1 --json
    python3 - <<'PY' || fail "sitting log --json: $OUT"
import json
log = json.load(open(".out"))
[amend] = [e for e in log if e["action"] == "sitting.amend"]
assert amend["actor"] == "cli" and amend["at"] == "2027-07-20T10:00:00+08:00", amend
assert amend["detail"]["changed"] == ["banks/demo.yaml"] and amend["detail"]["version"] == 2, amend
assert "attempt" not in amend and all("attempt" in e for e in log if e["action"] == "attempt.grade"), log
PY
    # results stay as graded until 'grade' regrades with version 2
    run results s1 --changes
    expect_out "version 2, 2027-07-20T10:00:00+08:00 by cli: $REASON
  no result changed
0 results changed"
    KAOSHI_NOW=$T1 run grade s1
    expect_rc 0
    expect_out "graded 2 finished attempts in s1
with version 2: 1 result changed, 1 certificate flagged, 0 flags cleared (see 'kaoshi results s1 --changes')"
    # exactly C001 changed (C002 did not answer the corrected questions)
    run results s1 --changes
    expect_rc 0
    expect_out "version 2, 2027-07-20T10:00:00+08:00 by cli: $REASON
  C001         张三             1       85.00/100.00 → 55.00/100.00  pass → fail  certificate DEMO-CS-2027-000001 flagged
1 result changed"
    run results s1 --changes --json
    python3 - <<'PY' || fail "results --changes --json: $OUT"
import json
d = json.load(open(".out"))
assert d["version"] == 2 and [v["version"] for v in d["versions"]] == [1, 2], d
assert d["versions"][1]["reason"] == "更正三道题的答案" and d["versions"][1]["actor"] == "cli", d
[c] = d["changes"]
assert (c["candidate"], c["attempt"], c["version"], c["at"]) == ("C001", 1, 2, "2027-07-20T10:00:00+08:00"), c
assert c["before"] == {"score": 85.0, "max_score": 100.0, "percent": 85.0, "outcome": "pass"}, c
assert c["after"] == {"score": 55.0, "max_score": 100.0, "percent": 55.0, "outcome": "fail"}, c
reason = "第 2 版（更正三道题的答案）重新评分后为 55.0%，不再通过"
assert c["certificate"] == {"number": "DEMO-CS-2027-000001", "state": "flagged", "reason": reason}, c
[f] = d["flagged"]
assert (f["number"], f["candidate"], f["reason"], f["flagged_at"]) == ("DEMO-CS-2027-000001", "C001", reason, "2027-07-20T10:00:00+08:00"), f
PY
    # the results show the flag (after the reason a fail is given, if any);
    # the certificate stays valid (never revoked)
    run results s1 --json
    reason=$(python3 -c 'import json; print(json.load(open(".out"))[0].get("reason", ""))')
    run results s1
    [ "$(grep '^C001' .out)" = "C001         张三             1          55.00   100.00   55.00%  fail  ${reason:+$reason; }certificate DEMO-CS-2027-000001 flagged" ] ||
        fail "results: $OUT"
    run certificate list s1
    expect_rc 0
    expect_out "DEMO-CS-2027-000001  C001         张三             flagged: 第 2 版（$REASON）重新评分后为 55.0%，不再通过
1 certificate, 1 flagged, 0 revoked"
    run certificate show DEMO-CS-2027-000001
    expect_rc 0
    expect_err "note: DEMO-CS-2027-000001 is flagged (it stays valid unless revoked): 第 2 版（$REASON）重新评分后为 55.0%，不再通过"
    run certificate verify DEMO-CS-2027-000001 --key sign.key
    expect_rc 0
    run sitting log s1
    expect_out_has "2027-07-20T10:00:00+08:00 cli certificate.flag attempt $ATTEMPT {\"number\":\"DEMO-CS-2027-000001\",\"reason\":\"第 2 版（$REASON）重新评分后为 55.0%，不再通过\"}"
    expect_out_has "2027-07-20T10:00:00+08:00 cli attempt.grade attempt $ATTEMPT {\"max_score\":100.0,\"passed\":0,\"score\":55.0,\"version\":2}"
    [ "$(sqlite3 exam.db 'SELECT version FROM results ORDER BY attempt_id')" = "2
2" ] || fail "results not graded with version 2"
    # grading again with the same version changes nothing more
    KAOSHI_NOW=$T1 run grade s1
    expect_out "graded 2 finished attempts in s1
with version 2: 0 results changed, 0 certificates flagged, 0 flags cleared (see 'kaoshi results s1 --changes')"
    # the key put back: version 3 restores the pass and clears the flag
    cp "$ROOT/banks/demo.yaml" banks/demo.yaml
    KAOSHI_NOW=$T2 run sitting amend s1 --reason '恢复原答案'
    expect_rc 0
    KAOSHI_NOW=$T2 run grade s1
    expect_out "graded 2 finished attempts in s1
with version 3: 1 result changed, 0 certificates flagged, 1 flag cleared (see 'kaoshi results s1 --changes')"
    run results s1 --changes
    expect_out "version 2, 2027-07-20T10:00:00+08:00 by cli: $REASON
  C001         张三             1       85.00/100.00 → 55.00/100.00  pass → fail
version 3, 2027-07-21T10:00:00+08:00 by cli: 恢复原答案
  C001         张三             1       55.00/100.00 → 85.00/100.00  fail → pass
2 results changed"
    run certificate list s1
    expect_out "DEMO-CS-2027-000001  C001         张三             valid
1 certificate, 0 flagged, 0 revoked"
    run sitting log s1
    expect_out_has "2027-07-21T10:00:00+08:00 cli certificate.unflag attempt $ATTEMPT {\"number\":\"DEMO-CS-2027-000001\",\"reason\":\"第 2 版（$REASON）重新评分后为 55.0%，不再通过\"}"
}

t_results_show_the_reason_the_grading_gives() {
    sit_grade_issue
    # shown only when the grading detail has a top-level reason
    sqlite3 exam.db "UPDATE results SET detail = json_remove(detail, '\$.reason') WHERE attempt_id = $ATTEMPT;
        UPDATE results SET detail = json_set(detail, '\$.reason', '第三部分「投诉处理」得分 42%，低于 50%') WHERE attempt_id = $ATTEMPT2"
    run results s1
    expect_rc 0
    expect_out "candidate    name             attempt    score      max  percent  outcome
C001         张三             1          85.00   100.00   85.00%  pass
C002         李, 四           1          15.00   100.00   15.00%  fail  第三部分「投诉处理」得分 42%，低于 50%"
    run results s1 --json
    python3 - <<'PY' || fail "results --json: $OUT"
import json
a, b = json.load(open(".out"))
assert "reason" not in a and b["reason"] == "第三部分「投诉处理」得分 42%，低于 50%", (a, b)
assert a["certificate"] == {"number": "DEMO-CS-2027-000001", "state": "valid", "reason": ""}, a
assert "certificate" not in b and a["version"] == b["version"] == 1, (a, b)
PY
    # the CSV ends with the reason
    run results s1 --csv
    expect_out 'candidate,name,attempt,state,score,max_score,percent,outcome,reason
C001,张三,1,finished,85.00,100.00,85.00,pass,
C002,"李, 四",1,finished,15.00,100.00,15.00,fail,第三部分「投诉处理」得分 42%，低于 50%'
}

t_a_revoked_certificate_is_never_flagged() {
    sit_grade_issue
    run certificate revoke DEMO-CS-2027-000001 --reason '作弊'
    expect_rc 0
    # shellcheck disable=SC2086
    change_key $FIX
    KAOSHI_NOW=$T1 run sitting amend s1 --reason "$REASON"
    KAOSHI_NOW=$T1 run grade s1
    expect_out "graded 2 finished attempts in s1
with version 2: 1 result changed, 0 certificates flagged, 0 flags cleared (see 'kaoshi results s1 --changes')"
    run certificate list s1
    expect_out "DEMO-CS-2027-000001  C001         张三             revoked: 作弊
1 certificate, 0 flagged, 1 revoked"
}

t_running_and_new_attempts_take_the_amendment() {
    open_demo
    start_c001
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --keys --json
    cp .out keys.json
    first=$(item_of 1)
    # correct the stem of C001's first question; drop every chapter-1 item
    # C001 did not draw, so that a new attempt can only draw C001's
    python3 - "$first" <<'PY'
import json, re, sys
keys = json.load(open("keys.json"))["questions"]
drawn = {q["key"]["id"] for q in keys}
text = open("banks/demo.yaml").read()
blocks = re.split(r"(?m)^(?=  - id: )", text)
kept = []
for b in blocks:
    m = re.match(r"  - id: (\S+)\n", b)
    if m and m.group(1).startswith("demo-1-") and m.group(1) not in drawn:
        continue
    if m and m.group(1) == sys.argv[1]:
        b = re.sub(r"(?m)^(    stem: )(.*)$", r"\1（已更正）\2", b, count=1)
    kept.append(b)
open("banks/demo.yaml", "w").write("".join(kept))
PY
    KAOSHI_NOW=$T0 run sitting amend s1 --reason '更正题干'
    expect_rc 0
    # the running attempt keeps its form, shows the corrected stem, saves and submits
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --json
    expect_out_has '（已更正）'
    question_with text # every form holds an essay, not always a single choice
    KAOSHI_NOW=2027-07-18T09:06:00+08:00 run attempt answer "$ATTEMPT" "$Q" '{"text": "先道歉。"}'
    expect_rc 0
    KAOSHI_NOW=2027-07-18T09:07:00+08:00 run attempt submit "$ATTEMPT"
    expect_rc 0
    # a new attempt draws from the amended banks: chapter 1 is C001's four items
    KAOSHI_NOW=$T0 run attempt start s1 C002 --code "$CODE2" --json
    expect_rc 0
    python3 - <<'PY' || fail "C002's chapter 1 is not C001's: $(sqlite3 exam.db 'SELECT form FROM attempts')"
import json, sqlite3
db = sqlite3.connect("exam.db")
forms = [json.loads(f) for (f,) in db.execute("SELECT form FROM attempts ORDER BY id")]
ch1 = [sorted(s["id"] for s in f["slots"] if s["id"].startswith("demo-1-")) for f in forms]
assert ch1[0] == ch1[1], ch1
PY
}

t_drawn_questions_keep_their_points_with_a_warning() {
    open_and_start
    first=$(item_of 1)
    # section 2 is worth 20 a question now, and C001's first question 7
    sed -i 's/pick = 3, points = 15 }/pick = 3, points = 20 }/' scripts/demo.lua
    sed -i "s/^  - id: $first\$/&\n    points: 7/" banks/demo.yaml
    KAOSHI_NOW=$T0 run sitting amend s1 --reason '调整分值'
    expect_rc 0
    warning="4 drawn questions keep the points their forms were drawn with (item '$first': 10 → 7; section 2: 15 → 20); attempts started from now on get the new points"
    expect_err "warning: $warning"
    python3 - "$warning" <<'PY2' || fail "the audit detail lacks the warning: $(sqlite3 exam.db "SELECT detail FROM audit WHERE action = 'sitting.amend'")"
import json, sqlite3, sys
[(detail,)] = sqlite3.connect("exam.db").execute("SELECT detail FROM audit WHERE action = 'sitting.amend'")
assert json.loads(detail)["warnings"] == [sys.argv[1]], detail
PY2
    # C001's form keeps the points its page showed; C002's new form has the new ones
    [ "$(sqlite3 exam.db "SELECT group_concat(s.value ->> 'points', ' ') FROM attempts, json_each(form, '\$.slots') AS s WHERE attempts.id = $ATTEMPT")" = \
      "10 10 10 10 15 15 15 15" ] || fail "C001's points changed"
    KAOSHI_NOW=$T0 run attempt start s1 C002 --code "$CODE2" --json
    expect_rc 0
    python3 - "$first" <<'PY2' || fail "C002's form: $(sqlite3 exam.db 'SELECT form FROM attempts WHERE id = 2')"
import json, sqlite3, sys
[(form,)] = sqlite3.connect("exam.db").execute("SELECT form FROM attempts WHERE id = 2")
slots = json.loads(form)["slots"]
assert [s["points"] for s in slots if s["section"] == 2] == [20, 20, 20], slots
assert all(s["points"] == 7 for s in slots if s["id"] == sys.argv[1]), slots
PY2
    # a later amendment warns again of C001's form (C002's has the new points)
    sed -i 's/title = "客户服务基础认证（示例）"/title = "客户服务基础认证（示例二）"/' scripts/demo.lua
    KAOSHI_NOW=$T0 run sitting amend s1 --reason '更正标题'
    expect_rc 0
    expect_err "warning: 4 drawn questions keep the points their forms were drawn with (item '$first': 10 → 7; section 2: 15 → 20); attempts started from now on get the new points"
}

t_the_timing_stays_as_frozen_at_open_with_a_warning() {
    open_and_start
    sed -i 's/duration = "30m"/duration = "45m"/; s/closes = "12:00"/closes = "13:00"/' scripts/demo.lua
    KAOSHI_NOW=$T0 run sitting amend s1 --reason '延长考试时间'
    expect_rc 0
    expect_err "warning: sitting 's1' keeps the timing frozen at open; the amendment's changes to it do not apply (duration 30 → 45 minutes, daily window 09:00-12:00 +08:00 → 09:00-13:00 +08:00)"
    run sitting show s1
    expect_out_has "duration      30 minutes (+30 s grace)"
    expect_out_has "closes_at     2027-07-18T12:00:00+08:00"
    sqlite3 exam.db "SELECT detail FROM audit WHERE action = 'sitting.amend'" | grep -q '"warnings":\["sitting '"'s1'"' keeps the timing frozen at open' ||
        fail "the audit detail lacks the warning"
}

t_a_proctor_amends_as_themself() {
    open_and_start
    run proctor add alice <<<'correct horse battery'
    change_key "$(item_of 1)"
    KAOSHI_NOW=$T1 run sitting amend s1 --reason "$REASON" --as nobody
    expect_rc 1
    expect_err "kaoshi: no proctor named 'nobody'"
    nothing_written
    KAOSHI_NOW=$T1 run sitting amend s1 --reason "$REASON" --as alice
    expect_rc 0
    [ "$(sqlite3 exam.db "SELECT actor FROM audit WHERE action = 'sitting.amend'; SELECT actor FROM sitting_versions WHERE version = 2")" = "proctor:alice
proctor:alice" ] || fail "the amendment is not alice's: $(sqlite3 exam.db 'SELECT * FROM sitting_versions')"
    run results s1 --changes
    expect_out_has "version 2, 2027-07-20T10:00:00+08:00 by proctor:alice: $REASON"
}

# Published results stay correctable by an amendment, visibly: grade says
# so and the audit log records it.
t_regrading_published_results_says_so() {
    sit_grade_issue
    KAOSHI_NOW=2027-07-18T12:10:00+08:00 run sitting close s1
    KAOSHI_NOW=2027-07-18T13:00:00+08:00 run results s1 --publish
    expect_rc 0
    # grading again changes nothing: no word of published results
    KAOSHI_NOW=2027-07-18T13:10:00+08:00 run grade s1
    expect_out "graded 2 finished attempts in s1"
    # shellcheck disable=SC2086
    change_key $FIX
    KAOSHI_NOW=$T1 run sitting amend s1 --reason "$REASON"
    expect_rc 0
    KAOSHI_NOW=$T1 run grade s1
    expect_rc 0
    expect_out "graded 2 finished attempts in s1
with version 2: 1 result changed, 1 certificate flagged, 0 flags cleared (see 'kaoshi results s1 --changes')
1 published result changed: the candidates of s1 see the new result now"
    [ "$(sqlite3 exam.db "SELECT actor || ' ' || detail FROM audit WHERE action = 'results.regrade'")" = \
      'cli {"changed":1,"cleared":0,"flagged":1,"graded":2,"version":2}' ] ||
        fail "audit: $(sqlite3 exam.db "SELECT * FROM audit WHERE action = 'results.regrade'")"
    KAOSHI_NOW=$T1 run grade s1
    expect_out "graded 2 finished attempts in s1
with version 2: 0 results changed, 0 certificates flagged, 0 flags cleared (see 'kaoshi results s1 --changes')"
    [ "$(sqlite3 exam.db "SELECT count(*) FROM audit WHERE action = 'results.regrade'")" = 1 ] ||
        fail "an unchanged grading was audited as results.regrade"
}

# A mark or an override that fails a certified result flags its certificate
# too, saying so; clearing it passes the result again and clears the flag.
t_an_override_that_fails_a_certified_result_flags_it() {
    sit_grade_issue
    KAOSHI_NOW=$T1 run mark "$ATTEMPT" 1 0 --override --comment '题目作废'
    KAOSHI_NOW=$T1 run mark "$ATTEMPT" 2 0 --override --comment '题目作废'
    run certificate list s1
    expect_out_has "DEMO-CS-2027-000001  C001         张三             valid"
    KAOSHI_NOW=$T1 run mark "$ATTEMPT" 3 0 --override --comment '题目作废'
    expect_rc 0
    expect_out_has "attempt $ATTEMPT: 55.00 of 100.00, fail"
    run certificate list s1
    expect_out "DEMO-CS-2027-000001  C001         张三             flagged: 人工评分调整后为 55.0%，不再通过
1 certificate, 1 flagged, 0 revoked"
    run sitting log s1
    expect_out_has "2027-07-20T10:00:00+08:00 cli certificate.flag attempt $ATTEMPT {\"number\":\"DEMO-CS-2027-000001\",\"reason\":\"人工评分调整后为 55.0%，不再通过\"}"
    KAOSHI_NOW=$T1 run mark "$ATTEMPT" 3 --clear
    expect_rc 0
    run certificate list s1
    expect_out_has "DEMO-CS-2027-000001  C001         张三             valid"
}

# ---- refusals: exact message, exit 1, nothing written -----------------------

nothing_written() {
    [ "$(sqlite3 exam.db "SELECT version || ' ' || sources_hash FROM sittings WHERE name = 's1'")" = "1 $H1" ] ||
        fail "the sitting changed: $(sqlite3 exam.db 'SELECT * FROM sittings')"
    [ "$(sqlite3 exam.db "SELECT count(*) FROM sitting_versions; SELECT count(*) FROM sources WHERE version > 1; SELECT count(*) FROM audit WHERE action = 'sitting.amend'")" = "1
0
0" ] || fail "an amendment was written"
}

refused() { # MESSAGE: 'sitting amend s1' exits 1 with it and writes nothing
    KAOSHI_NOW=$T1 run sitting amend s1 --reason "$REASON"
    expect_rc 1
    expect_err "kaoshi: $1"
    nothing_written
}

open_and_start() {
    open_demo
    start_c001
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --keys --json
    cp .out keys.json
    H1=$(hash_of_sitting)
}

t_refuses_usage_errors() {
    run sitting amend s1
    expect_rc 2
    expect_err "kaoshi sitting amend: --reason TEXT is required
Try 'kaoshi sitting amend --help'."
    run sitting amend --reason x
    expect_rc 2
    expect_err "kaoshi sitting amend: expected one sitting name
Try 'kaoshi sitting amend --help'."
    run sitting amend nosuch --reason x
    expect_rc 1
    expect_err "kaoshi: no sitting named 'nosuch'"
    run results s1 --changes --csv
    expect_rc 2
    expect_err "kaoshi results: --changes goes with --json only
Try 'kaoshi results --help'."
    run results nosuch --changes
    expect_rc 1
    expect_err "kaoshi: no sitting named 'nosuch'"
    run sitting log nosuch
    expect_rc 1
    expect_err "kaoshi: no sitting named 'nosuch'"
}

t_an_unamended_sitting_has_no_changes() {
    open_demo
    run results s1 --changes
    expect_rc 0
    expect_out "sitting s1 has not been amended"
    run results s1 --changes --json
    python3 -c 'import json; d = json.load(open(".out")); assert d["version"] == 1 and d["changes"] == [] and d["flagged"] == [] and len(d["versions"]) == 1, d' ||
        fail "results --changes --json: $OUT"
}

t_refuses_a_reason_that_is_not_utf8() {
    open_and_start
    change_key "$(item_of 1)"
    KAOSHI_NOW=$T1 run sitting amend s1 --reason $'\xe6\x9b 更正'
    expect_rc 1
    expect_err "kaoshi: the reason must be 1 to 2000 bytes of UTF-8 text"
    nothing_written
}

t_refuses_a_reason_empty_or_too_long() {
    open_and_start
    change_key "$(item_of 1)"
    KAOSHI_NOW=$T1 run sitting amend s1 --reason ''
    expect_rc 1
    expect_err "kaoshi: the reason must be 1 to 2000 bytes of UTF-8 text"
    KAOSHI_NOW=$T1 run sitting amend s1 --reason "$(printf '%2001s' x)"
    expect_rc 1
    expect_err "kaoshi: the reason must be 1 to 2000 bytes of UTF-8 text"
    nothing_written
}

t_refuses_a_draft() {
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s2 --cert DEMO-CS --date $WINDOW_DATE
    KAOSHI_NOW=$T1 run sitting amend s2 --reason "$REASON"
    expect_rc 1
    expect_err "kaoshi: sitting 's2' is a draft: nothing is frozen yet to amend ('kaoshi sitting open s2' freezes the files as they are)"
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM sitting_versions')" = 0 ] || fail "a version was written"
}

t_refuses_unchanged_sources() {
    open_and_start
    refused "nothing to amend: the sources are unchanged"
}

t_refuses_a_drawn_item_removed_or_retyped() {
    open_and_start
    removed=$(item_of 5)
    retyped=$(with_options)
    python3 - "$removed" "$retyped" <<'PY'
import re, sys
text = open("banks/demo.yaml").read()
text = text.replace("  - id: %s\n" % sys.argv[1], "  - id: %s-new\n" % sys.argv[1], 1)
# a question with options becomes a true/false question of the same id
start = text.index("  - id: %s\n" % sys.argv[2])
end = text.find("\n  - id:", start + 1)
block = text[start:end]
was = re.search(r"(?m)^    type: (\S+)$", block).group(1)
block = re.sub(r"(?m)^    type: .*$", "    type: true_false", block, count=1)
block = re.sub(r"(?m)^    options:\n(      - .*\n)+", "", block)
block = re.sub(r"(?m)^    rule: .*\n", "", block)
block = re.sub(r"(?m)^    answer: .*$", "    answer: true", block, count=1)
text = text[:start] + block + text[end:]
open("banks/demo.yaml", "w").write(text)
open("was.txt", "w").write(was)
PY
    # one line per item, by id
    printf '%s\n' "item '$removed' (on 1 attempt's form) is missing from the amended banks" \
        "item '$retyped' (on 1 attempt's form) changes its type from $(cat was.txt) to true_false" |
        LC_ALL=C sort >problems.txt
    refused "cannot amend sitting 's1': the amendment breaks items already drawn on its forms (a corrected item keeps its id, its type, the shape of its answers and the order of its options)
$(cat problems.txt)"
}

use_and_open_kw() {
    use_kw
    open_kw
    H1=$(hash_of_sitting)
}

t_refuses_a_drawn_item_whose_answers_change_shape() {
    use_and_open_kw
    # kw-1 asks for as many blanks as it has words: two now, where its form has one
    sed -i 's/widget = "blanks", blanks = 1 }/widget = "blanks", blanks = #item.words }/; s/return { blanks = { item.words\[1\] } }/return { blanks = item.words }/' scripts/kw.lua
    sed -i 's/words: \[放弃率\]/words: [放弃率, 呼损率]/' banks/kw.yaml
    refused "cannot amend sitting 's1': the amendment breaks items already drawn on its forms (a corrected item keeps its id, its type, the shape of its answers and the order of its options)
item 'kw-1' (on 1 attempt's form) takes answers of another shape (its options, blanks or parts changed)"
}

options_of() { # ITEM: its options, one a line
    python3 - "$1" <<'PY2'
import re, sys
text = open("banks/demo.yaml").read()
start = text.index("  - id: %s\n" % sys.argv[1])
end = text.find("\n  - id:", start + 1)
block = text[start:end if end > 0 else len(text)]
print("\n".join(re.findall(r"(?m)^      - (.*)$", block)))
PY2
}

set_options() { # ITEM OPTION...: the item's options become these
    python3 - "$@" <<'PY2'
import re, sys
item, options = sys.argv[1], sys.argv[2:]
text = open("banks/demo.yaml").read()
start = text.index("  - id: %s\n" % item)
at = text.index("    options:\n", start) + len("    options:\n")
end = at
while text.startswith("      - ", end):
    end = text.index("\n", end) + 1
text = text[:at] + "".join("      - %s\n" % o for o in options) + text[end:]
open("banks/demo.yaml", "w").write(text)
PY2
}

t_refuses_options_moved_to_other_places() {
    open_and_start
    item=$(with_options)
    mapfile -t options < <(options_of "$item")
    # the first two options swap places: an answer naming the first option
    # would name the other text now
    set_options "$item" "${options[1]}" "${options[0]}" "${options[@]:2}"
    refused "cannot amend sitting 's1': the amendment breaks items already drawn on its forms (a corrected item keeps its id, its type, the shape of its answers and the order of its options)
item '$item' (on 1 attempt's form) reorders its options; answers already given name options by their place"
    # a corrected option text in its place is an amendment like any other
    set_options "$item" "${options[0]}（已更正）" "${options[@]:1}"
    KAOSHI_NOW=$T1 run sitting amend s1 --reason '更正选项文字'
    expect_rc 0
    KAOSHI_NOW=$T1 run attempt show "$ATTEMPT" --json
    expect_out_has "${options[0]}（已更正）"
    # one more option: the form keeps showing the options it was drawn with
    set_options "$item" "${options[0]}（已更正）" "${options[@]:1}" '以上都不对'
    KAOSHI_NOW=$T1 run sitting amend s1 --reason '增加选项'
    expect_rc 0
}

t_refuses_an_item_that_cannot_present_a_drawn_form() {
    open_and_start
    item=$(with_options)
    mapfile -t options < <(options_of "$item")
    # one option less: the form shows four, the bank has three
    set_options "$item" "${options[@]:0:3}"
    KAOSHI_NOW=$T1 run sitting amend s1 --reason "$REASON"
    expect_rc 1
    expect_err_has "item '$item' (on 1 attempt's form) cannot be presented with the amended certification: "
    expect_err_has "(item '$item', type '"
    nothing_written
}

# A question type of the current version that fails to prepare a question
# (as a generator that fails would) does not stop the amendment that fixes
# it: drawn forms keep their data, and only the amended certification
# presents them.
t_an_old_failing_prepare_does_not_block_its_fix() {
    use_and_open_kw
    sqlite3 exam.db "UPDATE sources SET content = CAST(replace(CAST(content AS TEXT), 'present = function(item)', 'prepare = function() error(\"坏了\") end, present = function(item)') AS BLOB) WHERE path = 'scripts/kw.lua'"
    [ "$(sqlite3 exam.db "SELECT count(*) FROM sources WHERE CAST(content AS TEXT) LIKE '%坏了%'")" = 1 ] ||
        fail "the stored question type was not broken"
    sed -i 's/stem: 接通前挂断的来电占比叫什么？/stem: 接通前客户挂断的来电占比叫什么？/' banks/kw.yaml
    KAOSHI_NOW=$T0 run sitting amend s1 --reason '修正题型'
    expect_rc 0
    expect_out_has "amended sitting s1: version 2"
}

t_refuses_a_certification_that_fails_as_open_would() {
    open_and_start
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s2 --cert DEMO-CS --date $WINDOW_DATE
    sed -i '0,/answer: 2/s//answer: 9/' banks/demo.yaml
    run sitting open s2
    expect_rc 1
    opened=$ERR
    expect_err_has "field 'answer': expected an option number from 1 to 4, found 9"
    KAOSHI_NOW=$T1 run sitting amend s1 --reason "$REASON"
    expect_rc 1
    expect_err "$opened"
    nothing_written
}

t_refuses_a_hook_that_fails_the_exercise() {
    use_kw
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert KW --date $WINDOW_DATE
    run sitting open s1
    expect_rc 0
    H1=$(hash_of_sitting)
    sed -i 's/local given = response.blanks\[1\]/local given = normalize(response.blanks[1])/' scripts/kw.lua
    refused "scripts/kw.lua:15: score() of item 'kw-1' (seed 1; 20 of 20 seeds): undeclared global 'normalize' (response {\"blanks\":[\"放弃率\"]})"
}

t_refuses_another_code() {
    open_and_start
    sed -i 's/code = "DEMO-CS"/code = "DEMO-CS2"/' scripts/demo.lua
    refused "scripts/demo.lua now declares code DEMO-CS2, but sitting 's1' is for DEMO-CS"
}

t_no_certificate_is_issued_from_a_result_of_an_older_version() {
    declare_certificate '{ title = "《客户服务基础认证证书》", issuer = "示例认证中心" }'
    open_demo
    start_c001
    KAOSHI_NOW=$T0 answer_right "$ATTEMPT"
    KAOSHI_NOW=$T0 run attempt submit "$ATTEMPT"
    KAOSHI_NOW=$T0 run grade s1
    expect_rc 0
    sed -i '0,/^    stem: /s//    stem: （已更正）/' banks/demo.yaml
    KAOSHI_NOW=$T1 run sitting amend s1 --reason '更正题干'
    expect_rc 0
    run keys init --key sign.key
    KAOSHI_NOW=$T1 run certificate issue s1 --key sign.key
    expect_rc 0
    expect_err_has "C001: attempt $ATTEMPT was graded with version 1 of the sitting, which is now at version 2 (run 'kaoshi grade s1')"
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM certificates')" = 0 ] || fail "issued from a stale result"
    KAOSHI_NOW=$T1 run grade s1
    KAOSHI_NOW=$T1 run certificate issue s1 --key sign.key
    expect_out_has "issued DEMO-CS-2027-000001 C001 张三"
}
