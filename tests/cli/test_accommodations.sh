# Accommodations through the real binary and the HTTP API, on a fixed
# clock: the extra_time column of the enrolment file (its grammar, its
# errors with file:line:column, all or none), the longer deadline of every
# attempt of the candidate, retakes included, the window's close moved back
# as far, proctors' extensions on top, 'kaoshi accommodate' for attempts
# started later (a running attempt keeps, and shows, the time it started
# with), and what proctors and the candidate see.

. "$ROOT/tests/cli/sitting_fixture.sh"
. "$ROOT/tests/cli/http_fixture.sh"

# sitting s1 of DEMO-CS (30 minutes, window 09:00-12:00 +08:00) with C001 at
# x1.5, C002 without extra time and C003 at x1.25+10m; CODE1..CODE3
open_accommodated() {
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert DEMO-CS --date $WINDOW_DATE
    expect_rc 0
    run sitting open s1
    expect_rc 0
    printf 'number,name,extra_time\nC001,张三,x1.5\nC002,"李, 四",\nC003,王五,125%%+10m\n' >roster.csv
    run enroll s1 roster.csv
    expect_rc 0
    CODE1=$(sed -n 's/^C001,张三,\([^,]*\),.*/\1/p' .out)
    CODE2=$(sed -n 's/^C002,"李, 四",\([^,]*\),.*/\1/p' .out)
    CODE3=$(sed -n 's/^C003,王五,\([^,]*\),.*/\1/p' .out)
}

start_as() { # NUMBER CODE TIME: starts (or resumes) the candidate's attempt; ATTEMPT
    KAOSHI_NOW=$3 run attempt start s1 "$1" --code "$2" --json
    expect_rc 0
    ATTEMPT=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
}

live_extra_times() { # EXPECTED: the console's rows as alice sees them, [number, extra_time]
    login_proctor p
    req GET /api/sittings/s1
    expect_status 200
    [ "$(jq '[(r["number"], r["extra_time"]) for r in b["rows"]]')" = "$1" ] ||
        fail "live rows: $BODY"
}

deadline_of() { # ATTEMPT: its deadline as stored, in the sitting's zone
    sqlite3 exam.db "SELECT strftime('%Y-%m-%dT%H:%M:%S+08:00', deadline_at / 1000 + 8 * 3600, 'unixepoch') FROM attempts WHERE id = $1"
}

t_the_extra_time_column_is_read_shown_and_audited() {
    open_accommodated
    expect_out "number,name,access_code,extra_time
C001,张三,$CODE1,x1.5
C002,\"李, 四\",$CODE2,
C003,王五,$CODE3,x1.25+10m"
    expect_err "enrolled 3 candidates in s1 (2 with extra time); keep the access codes: they are not stored and cannot be shown again"
    [ "$(sqlite3 exam.db "SELECT detail FROM audit WHERE action = 'enroll' ORDER BY id")" = \
'{"candidate":"C001","extra_ms":0,"factor_pct":150}
{"candidate":"C002","extra_ms":0,"factor_pct":100}
{"candidate":"C003","extra_ms":600000,"factor_pct":125}' ] ||
        fail "audit: $(sqlite3 exam.db "SELECT * FROM audit WHERE action = 'enroll'")"
    # every spelling of the grammar
    printf 'number,name,extra_time\nD1,a,30m\nD2,b,+1h30m\nD3,c,X2\nD4,d,×1.05\nD5,e,none\nD6,f," x1.5+45s "\n' >more.csv
    run enroll s1 more.csv
    expect_rc 0
    expect_out_has "D1,a,"
    [ "$(cut -d, -f1,4 .out | tail -6 | tr '\n' ' ')" = "D1,30m D2,1h30m D3,x2 D4,x1.05 D5, D6,x1.5+45s " ] ||
        fail "spellings: $OUT"
    KAOSHI_NOW=$T0 run proctor status s1
    expect_rc 0
    expect_out_has "C001         张三             not_started  -        -                          -        x1.5"
    expect_out_has "C002         李, 四           not_started  -        -                          -        -"
    expect_out_has "C003         王五             not_started  -        -                          -        x1.25+10m"
}

t_bad_extra_time_cells_say_where_and_nobody_is_enrolled() {
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert DEMO-CS --date $WINDOW_DATE
    bad() { # CELL EXPECTED_MESSAGE: the cell on line 3 after the name "李, 四"
        printf 'number,name,extra_time\nC001,张三,30m\nC002,"李, 四",%s\n' "$1" >bad.csv
        run enroll s1 bad.csv
        expect_rc 1
        expect_err "kaoshi: bad.csv:3:13: extra_time: $2"
    }
    grammar="expected extra time like 30m or 1h30m, a factor like x1.25 or 125%, or both like x1.25+10m"
    bad 30 "$grammar, found '30'"
    bad abc "$grammar, found 'abc'"
    bad x1.255 "$grammar, found 'x1.255'"
    bad 10m+x1.5 "$grammar, found '10m+x1.5'"
    bad x1.5+ "$grammar, found 'x1.5+'"
    bad -30m "$grammar, found '-30m'"
    bad x0.8 "expected a factor from x1 to x4, found 'x0.8'"
    bad 450% "expected a factor from x1 to x4, found '450%'"
    bad 25h "expected at most 24h of extra time, found '25h'"
    printf 'number,name,extra_time\nC001,张三\n' >short.csv
    run enroll s1 short.csv
    expect_rc 1
    expect_err "kaoshi: short.csv:2: expected three fields, number,name,extra_time; found two"
    printf 'C001,张三,30m\n' >headless.csv
    run enroll s1 headless.csv
    expect_rc 1
    expect_err "kaoshi: headless.csv:1: expected two fields, number,name; found more (a column of extra time needs the header line number,name,extra_time)"
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM enrollments')" = 0 ] || fail "partial enrollment"
}

t_every_attempt_gets_the_extra_time_retakes_included() {
    open_accommodated
    start_as C001 "$CODE1" $T0
    expect_out_has '"deadline":"2027-07-18T09:50:00+08:00"'
    first=$ATTEMPT
    # past the plain deadline and its grace the attempt still takes answers
    KAOSHI_NOW=2027-07-18T09:45:00+08:00 run attempt answer "$first" 8 '{"text": "答"}'
    expect_rc 0
    KAOSHI_NOW=2027-07-18T09:46:00+08:00 run attempt submit "$first"
    expect_rc 0
    # a retake waits for the first attempt's result: it fails
    KAOSHI_NOW=2027-07-18T09:50:00+08:00 run mark "$first" 8 0
    expect_out_has "fail"
    start_as C001 "$CODE1" 2027-07-18T10:00:00+08:00
    expect_out_has '"number":2'
    expect_out_has '"deadline":"2027-07-18T10:45:00+08:00"'
    [ "$ATTEMPT" != "$first" ] || fail "no retake"
    # without extra time: 30 minutes
    start_as C002 "$CODE2" $T0
    expect_out_has '"deadline":"2027-07-18T09:35:00+08:00"'
}

t_the_close_moves_back_as_far_as_the_extra_time() {
    open_accommodated
    # 30m x 1.25 + 10m = 47m30s: the 17m30s added push the 12:00 close back
    start_as C003 "$CODE3" 2027-07-18T11:50:00+08:00
    expect_out_has '"deadline":"2027-07-18T12:17:30+08:00"'
    start_as C002 "$CODE2" 2027-07-18T11:50:00+08:00
    expect_out_has '"deadline":"2027-07-18T12:00:00+08:00"'
    KAOSHI_NOW=2027-07-18T12:10:00+08:00 run proctor status s1
    expect_out_has "C003         王五             running      1        2027-07-18T12:17:30+08:00  0:07:30  x1.25+10m"
    expect_out_has "C002         李, 四           finished     2        2027-07-18T12:00:00+08:00  0:00:00  -"
}

t_extensions_and_pauses_keep_the_extra_time() {
    open_accommodated
    start_as C001 "$CODE1" $T0
    KAOSHI_NOW=2027-07-18T09:10:00+08:00 run proctor extend "$ATTEMPT" 10m
    expect_rc 0
    expect_out "gave 10m more to attempt $ATTEMPT; deadline 2027-07-18T10:00:00+08:00"
    KAOSHI_NOW=2027-07-18T09:20:00+08:00 run proctor pause "$ATTEMPT"
    KAOSHI_NOW=2027-07-18T09:25:00+08:00 run proctor resume "$ATTEMPT"
    expect_rc 0
    expect_out "resumed attempt $ATTEMPT; deadline 2027-07-18T10:05:00+08:00"
    [ "$(deadline_of "$ATTEMPT")" = 2027-07-18T10:05:00+08:00 ] || fail "stored: $(deadline_of "$ATTEMPT")"
}

t_accommodate_changes_the_attempts_started_afterwards() {
    open_accommodated
    start_as C002 "$CODE2" $T0
    running=$ATTEMPT
    KAOSHI_NOW=2027-07-18T09:06:00+08:00 run accommodate s1 C002 x1.5+5m
    expect_rc 0
    expect_out "extra time of C002 in s1: x1.5+5m (was none); attempts started from now on get it"
    [ "$(deadline_of "$running")" = 2027-07-18T09:35:00+08:00 ] || fail "the running attempt changed"
    KAOSHI_NOW=2027-07-18T09:07:00+08:00 run attempt submit "$running"
    KAOSHI_NOW=2027-07-18T09:08:00+08:00 run grade s1
    start_as C002 "$CODE2" 2027-07-18T09:10:00+08:00
    expect_out_has '"deadline":"2027-07-18T10:00:00+08:00"'
    run accommodate s1 C001 none
    expect_out "extra time of C001 in s1: none (was x1.5); attempts started from now on get it"
    [ "$(sqlite3 exam.db "SELECT actor || ' ' || detail FROM audit WHERE action = 'enroll.accommodate' ORDER BY id")" = \
'cli {"before":{"extra_ms":0,"factor_pct":100},"candidate":"C002","extra_ms":300000,"factor_pct":150}
cli {"before":{"extra_ms":0,"factor_pct":150},"candidate":"C001","extra_ms":0,"factor_pct":100}' ] ||
        fail "audit: $(sqlite3 exam.db "SELECT * FROM audit WHERE action = 'enroll.accommodate'")"
    run accommodate s1 C001 2h30
    expect_rc 2
    expect_err "kaoshi accommodate: EXTRA_TIME: expected extra time like 30m or 1h30m, a factor like x1.25 or 125%, or both like x1.25+10m, found '2h30'
Try 'kaoshi accommodate --help'."
    run accommodate s1 C009 30m
    expect_rc 1
    expect_err "kaoshi: candidate C009 is not enrolled in this sitting"
    run accommodate s1 C001
    expect_rc 2
    expect_err_has "kaoshi accommodate: expected SITTING CANDIDATE EXTRA_TIME"
    KAOSHI_NOW=2027-07-18T12:10:00+08:00 run sitting close s1
    run accommodate s1 C001 30m
    expect_rc 1
    expect_err "kaoshi: sitting 's1' is closed"
}

t_an_attempt_shows_the_extra_time_it_started_with() {
    open_accommodated
    start_as C001 "$CODE1" $T0
    first=$ATTEMPT
    start_as C002 "$CODE2" $T0
    second=$ATTEMPT
    # changed while C001 (x1.5, 15m more) and C002 (none) run, and for C003
    # before starting: the running attempts keep the time they started with
    for change in "C001 x2" "C002 20m" "C003 x1.5"; do
        # shellcheck disable=SC2086
        KAOSHI_NOW=2027-07-18T09:06:00+08:00 run accommodate s1 $change
        expect_rc 0
    done
    KAOSHI_NOW=2027-07-18T09:10:00+08:00 run proctor status s1
    expect_rc 0
    expect_out_has "C001         张三             running      $first        2027-07-18T09:50:00+08:00  0:40:00  15m"
    expect_out_has "C002         李, 四           running      $second        2027-07-18T09:35:00+08:00  0:25:00  -"
    expect_out_has "C003         王五             not_started  -        -                          -        x1.5"
    KAOSHI_NOW=2027-07-18T09:10:00+08:00 run proctor status s1 --json
    [ "$(python3 -c 'import json; print([r["extra_time"] for r in json.load(open(".out"))])')" = \
      "['15m', 'none', 'x1.5']" ] || fail "status --json: $OUT"
    add_proctor
    KAOSHI_NOW=2027-07-18T09:10:00+08:00 serve_start
    live_extra_times '[["C001", {"extra_ms": 900000, "factor_pct": 100}], ["C002", {"extra_ms": 0, "factor_pct": 100}], ["C003", {"extra_ms": 0, "factor_pct": 150}]]'
    serve_stop
    # C002's retake, started with 20m more, shows it as written
    KAOSHI_NOW=2027-07-18T09:11:00+08:00 run attempt submit "$second"
    KAOSHI_NOW=2027-07-18T09:11:00+08:00 run grade s1
    start_as C002 "$CODE2" 2027-07-18T09:12:00+08:00
    expect_out_has '"deadline":"2027-07-18T10:02:00+08:00"'
    KAOSHI_NOW=2027-07-18T09:12:00+08:00 run proctor status s1
    expect_out_has "C002         李, 四           running      $ATTEMPT        2027-07-18T10:02:00+08:00  0:50:00  20m"
}

t_the_api_gives_the_longer_deadline_to_every_attempt() {
    open_accommodated
    add_proctor
    KAOSHI_NOW=$T0 serve_start
    login_candidate a C001 "$CODE1"
    req GET /api/me
    expect_status 200
    [ "$(jq '[b["candidate"]["duration_ms"], b["candidate"]["extra_time"], b["sitting"]["duration_ms"]]')" = \
      '[2700000, {"extra_ms": 0, "factor_pct": 150}, 1800000]' ] || fail "me: $BODY"
    req POST /api/attempts '{}'
    expect_status 200
    ID=$(jq 'b["attempt"]')
    deadline=$(($(date -d 2027-07-18T09:50:00+08:00 +%s) * 1000))
    req GET "/api/attempts/$ID"
    [ "$(jq '[b["deadline"], b["time_left_ms"]]')" = "[$deadline, 2700000]" ] || fail "attempt: $BODY"
    req POST "/api/attempts/$ID/submit" '{}'
    expect_status 200
    # the retake, once the first attempt is graded (it fails)
    KAOSHI_NOW=$T0 run grade s1
    expect_rc 0
    req POST /api/attempts '{}'
    expect_status 200
    RETAKE=$(jq 'b["attempt"]')
    [ "$RETAKE" != "$ID" ] || fail "no retake: $BODY"
    req GET "/api/attempts/$RETAKE/status"
    [ "$(jq '[b["deadline"], b["time_left_ms"]]')" = "[$deadline, 2700000]" ] || fail "retake: $BODY"
    live_extra_times '[["C001", {"extra_ms": 0, "factor_pct": 150}], ["C002", {"extra_ms": 0, "factor_pct": 100}], ["C003", {"extra_ms": 600000, "factor_pct": 125}]]'
    serve_stop
}
