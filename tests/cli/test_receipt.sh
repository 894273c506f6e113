# What the candidate is told before and after an attempt, through the real
# server on a fixed clock (KAOSHI_NOW): the waiting room's number of
# questions, pass rule and the deadline a start now would get (the window's
# close bounds it, extra time moves it); the receipt code drawn at every kind
# of finish, the same on the candidate's result, in `kaoshi attempt show` and
# in the proctor's results, and given by migration 9 to attempts finished
# before it; and the result's pass mark, attempts used and earliest retake,
# as the retake policy says, never before the result is shown.

. "$ROOT/tests/cli/http_fixture.sh"
. "$ROOT/tests/cli/sitting_fixture.sh"

ms() { # ISO TIME: milliseconds since the epoch
    python3 -c 'import sys; from datetime import datetime; print(int(datetime.fromisoformat(sys.argv[1]).timestamp() * 1000))' "$1"
}

serve_at() { # TIME: kaoshi serve with its clock fixed at TIME
    KAOSHI_NOW=$1 serve_start
}

me_of() { # JAR NUMBER CODE EXPR: EXPR on C's GET /api/me
    login_candidate "$1" "$2" "$3"
    req GET /api/me
    expect_status 200
    jq "$4"
}

t_the_waiting_room_tells_the_questions_the_pass_rule_and_the_deadline_a_start_gets() {
    open_demo
    run accommodate s1 C002 +10m
    expect_rc 0
    serve_at 2027-07-18T08:00:00+08:00
    login_candidate a C001 "$CODE1"
    req GET /api/me
    [ "$(jq '[b["sitting"]["questions"], b["sitting"]["pass_mark"], b["sitting"]["section_minimums"]]')" = \
      '[8, 60.0, []]' ] || fail "declared: $BODY"
    # before the opening: the deadline of a start at the opening
    [ "$(jq 'b["candidate"]["deadline_if_started"]')" = "$(ms 2027-07-18T09:30:00+08:00)" ] ||
        fail "before the opening: $BODY"
    serve_stop
    serve_at 2027-07-18T09:05:00+08:00
    [ "$(me_of a C001 "$CODE1" 'b["candidate"]["deadline_if_started"]')" = \
      "$(ms 2027-07-18T09:35:00+08:00)" ] || fail "at 09:05: $BODY"
    serve_stop
    # ten minutes before the close: the close is the deadline, later by the
    # candidate's extra time
    serve_at 2027-07-18T11:50:00+08:00
    [ "$(me_of a C001 "$CODE1" 'b["candidate"]["deadline_if_started"]')" = \
      "$(ms 2027-07-18T12:00:00+08:00)" ] || fail "at 11:50: $BODY"
    [ "$(me_of b C002 "$CODE2" '[b["candidate"]["deadline_if_started"], b["candidate"]["duration_ms"]]')" = \
      "[$(ms 2027-07-18T12:10:00+08:00), 2400000]" ] || fail "C002 at 11:50: $BODY"
    serve_stop
    serve_at 2027-07-18T12:00:00+08:00
    [ "$(me_of a C001 "$CODE1" 'b["candidate"]["deadline_if_started"]')" = null ] ||
        fail "after the close: $BODY"
    serve_stop
}

t_the_pass_rule_in_the_waiting_room_follows_the_declaration() {
    sed -e 's/code = "DEMO-CS"/code = "RULED"/' -e 's/  pass = 60, .*/  pass = function(r) return r.percent >= 70, "不足七成" end,/' \
        -e 's/pick = 1, points = 15 }/pick = 1, points = 15, min = "50%" }/' \
        -e 's/pick = 3, points = 15 }/pick = 3, points = 15, min = 12 }/' scripts/demo.lua >scripts/ruled.lua
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create r1 --cert RULED --date 2027-07-18
    expect_rc 0
    printf 'number,name\nC001,张三\n' >roster.csv
    run enroll r1 roster.csv
    code=$(sed -n 's/^C001,张三,//p' .out)
    serve_at 2027-07-18T08:00:00+08:00
    # a draft: nothing is frozen yet
    SITTING=r1 login_candidate a C001 "$code"
    req GET /api/me
    [ "$(jq '[b["sitting"]["questions"], b["sitting"]["pass_mark"], b["sitting"]["section_minimums"]]')" = \
      '[null, null, null]' ] || fail "draft: $BODY"
    serve_stop
    run sitting open r1
    expect_rc 0
    serve_at 2027-07-18T08:00:00+08:00
    SITTING=r1 login_candidate a C001 "$code"
    req GET /api/me
    [ "$(jq '[b["sitting"]["pass_mark"], b["sitting"]["section_minimums"]]')" = \
      '[null, [{"title": "二、服务指标与流程", "min": "12 分"}, {"title": "三、案例分析", "min": "50%"}]]' ] ||
        fail "pass() and minimums: $BODY"
    serve_stop
}

t_a_receipt_is_drawn_at_every_kind_of_finish() {
    open_demo
    printf 'number,name\nC003,王五\nC004,赵六\n' >more.csv
    run enroll s1 more.csv
    code3=$(sed -n 's/^C003,王五,//p' .out)
    code4=$(sed -n 's/^C004,赵六,//p' .out)
    start_c001
    for c in "C002 $CODE2" "C003 $code3"; do
        set -- $c
        KAOSHI_NOW=$T0 run attempt start s1 "$1" --code "$2"
        expect_rc 0
    done
    question_with text
    KAOSHI_NOW=2027-07-18T09:10:00+08:00 run attempt answer "$ATTEMPT" "$Q" '{"text":"答"}'
    expect_rc 0
    # a withdrawn answer (the empty response) is not counted as answered
    other=$(( Q == 1 ? 2 : 1 ))
    KAOSHI_NOW=2027-07-18T09:11:00+08:00 run attempt answer "$ATTEMPT" "$other" '{}'
    expect_rc 0
    [ "$(sqlite3 exam.db "SELECT receipt FROM attempts WHERE id = $ATTEMPT")" = "" ] ||
        fail "a running attempt has a receipt"
    KAOSHI_NOW=2027-07-18T09:20:00+08:00 run attempt submit "$ATTEMPT"
    expect_rc 0
    c2=$(sqlite3 exam.db "SELECT a.id FROM attempts a JOIN candidates c ON c.id = a.candidate_id WHERE c.number = 'C002'")
    KAOSHI_NOW=2027-07-18T09:21:00+08:00 run proctor submit "$c2"
    expect_rc 0
    KAOSHI_NOW=2027-07-18T09:45:00+08:00 run attempt start s1 C004 --code "$code4"
    expect_rc 0
    # C003's deadline (09:35) has passed; closing finishes C004's attempt
    KAOSHI_NOW=2027-07-18T10:00:00+08:00 run sitting close s1
    expect_rc 0
    [ "$(sqlite3 exam.db "SELECT group_concat(finish_reason || ':' || (receipt GLOB '[0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F]'), ' ') FROM (SELECT * FROM attempts ORDER BY id)")" = \
      "submitted:1 forced:1 deadline:1 closed:1" ] ||
        fail "receipts: $(sqlite3 exam.db 'SELECT id, finish_reason, receipt FROM attempts')"
    [ "$(sqlite3 exam.db 'SELECT count(DISTINCT receipt) FROM attempts')" = 4 ] || fail "receipts repeat"
    receipt=$(sqlite3 exam.db "SELECT receipt FROM attempts WHERE id = $ATTEMPT")
    finished=$(sqlite3 exam.db "SELECT finished_at FROM attempts WHERE id = $ATTEMPT")
    run attempt show "$ATTEMPT" --json
    expect_out_has "\"receipt\":\"$receipt\""
    run results s1 --json
    [ "$(python3 -c 'import json,sys; print(" ".join(r["receipt"] for r in json.load(sys.stdin)))' <.out)" = \
      "$(sqlite3 exam.db 'SELECT group_concat(receipt, " ") FROM (SELECT receipt FROM attempts ORDER BY id)')" ] ||
        fail "results: $OUT"
    serve_at 2027-07-18T10:05:00+08:00
    login_candidate a C001 "$CODE1"
    req GET "/api/attempts/$ATTEMPT/result"
    expect_status 200
    [ "$(jq 'b["receipt"]')" = "{\"code\": \"$receipt\", \"finished_at\": $finished, \"answered\": 1, \"questions\": 8}" ] ||
        fail "result: $BODY"
    serve_stop
}

t_attempts_finished_before_migration_9_get_a_receipt() {
    submit_c001
    sqlite3 exam.db 'ALTER TABLE attempts DROP COLUMN receipt; DROP TABLE drawn_forms; DROP TABLE attempt_views; PRAGMA user_version = 8;'
    run attempt show "$ATTEMPT" --json
    expect_rc 0
    [ "$(sqlite3 exam.db 'PRAGMA user_version')" = 10 ] || fail "not migrated"
    receipt=$(sqlite3 exam.db "SELECT receipt FROM attempts WHERE id = $ATTEMPT")
    [ ${#receipt} = 8 ] || fail "receipt after the migration: '$receipt'"
    expect_out_has "\"receipt\":\"$receipt\""
}

# C001 of s1 fails (nothing answered) at 09:20 on 2027-07-18 and the results
# are published; RESULT_ID is the attempt.
failed_and_published() {
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert "$1" --date 2027-07-18
    expect_rc 0
    run sitting open s1
    printf 'number,name\nC001,张三\n' >roster.csv
    run enroll s1 roster.csv
    CODE1=$(sed -n 's/^C001,张三,//p' .out)
    KAOSHI_NOW=2027-07-18T09:05:00+08:00 run attempt start s1 C001 --code "$CODE1" --json
    expect_rc 0
    RESULT_ID=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
    KAOSHI_NOW=2027-07-18T09:20:00+08:00 run attempt submit "$RESULT_ID"
    KAOSHI_NOW=2027-07-18T12:30:00+08:00 run sitting close s1
    KAOSHI_NOW=2027-07-18T12:30:00+08:00 run results s1 --publish
    expect_rc 0
}

result_at() { # TIME EXPR: EXPR on C001's result, the server's clock at TIME
    serve_at "$1"
    login_candidate a C001 "$CODE1"
    req GET "/api/attempts/$RESULT_ID/result"
    expect_status 200
    jq "$2"
    serve_stop
}

t_a_failed_result_tells_the_pass_mark_the_attempts_and_the_earliest_retake() {
    sed -e 's/code = "DEMO-CS"/code = "RETAKE"/' -e 's/  attempts = 2, .*/  attempts = 2,\n  retake_wait = "7d",/' \
        scripts/demo.lua >scripts/retake.lua
    failed_and_published RETAKE
    [ "$(result_at 2027-07-18T12:40:00+08:00 '[b["passed"], b["pass_mark"], b["attempts"], b["retake"]]')" = \
      "[false, 60.0, {\"used\": 1, \"allowed\": 2}, {\"at\": $(ms 2027-07-25T09:20:00+08:00), \"reason\": null}]" ] ||
        fail "a week's wait: $BODY"
    # once the wait is over, now
    [ "$(result_at 2027-08-01T10:00:00+08:00 'b["retake"]["at"] == b["server_now"]')" = true ] ||
        fail "after the wait: $BODY"
}

t_no_retake_says_why() {
    sed -e 's/code = "DEMO-CS"/code = "ONCE"/' -e 's/  attempts = 2, .*/  attempts = 1,/' \
        scripts/demo.lua >scripts/once.lua
    failed_and_published ONCE
    [ "$(result_at 2027-07-18T12:40:00+08:00 '[b["attempts"], b["retake"]]')" = \
      '[{"used": 1, "allowed": 1}, {"at": null, "reason": "已用完全部 1 次考试机会"}]' ] ||
        fail "attempts used up: $BODY"
}

t_the_scripts_retake_rule_is_asked_at_the_earliest_time() {
    # retake() refuses before August: the wait ends in July, so no retake yet
    august=$(ms 2027-08-01T00:00:00+08:00)
    sed -e 's/code = "DEMO-CS"/code = "RULE"/' \
        -e "s/  attempts = 2, .*/  attempts = 2,\n  retake_wait = \"1d\",\n  retake = function(h, now) if now < $august then return false, \"八月起方可补考\" end return true end,/" \
        -e 's/  pass = 60, .*/  pass = function(r) return r.percent >= 60, "未达六成" end,/' \
        scripts/demo.lua >scripts/rule.lua
    run check scripts/rule.lua
    failed_and_published RULE
    [ "$(result_at 2027-07-18T12:40:00+08:00 '[b["pass_mark"], b["retake"]]')" = \
      '[null, {"at": null, "reason": "八月起方可补考"}]' ] || fail "retake(): $BODY"
    [ "$(result_at 2027-08-02T10:00:00+08:00 'b["retake"]["at"] == b["server_now"]')" = true ] ||
        fail "retake() allows it in August: $BODY"
}

t_nothing_of_the_policy_shows_before_the_result_does() {
    sed -e 's/code = "DEMO-CS"/code = "HIDDEN"/' -e 's/review = "score"/review = "none"/' \
        scripts/demo.lua >scripts/hidden.lua
    failed_and_published HIDDEN
    [ "$(result_at 2027-07-18T12:40:00+08:00 '[k for k in ("pass_mark", "attempts", "retake", "passed") if k in b]')" = '[]' ] ||
        fail "review none: $BODY"
}
