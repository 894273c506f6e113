# The free text people write into the record (incident notes, markers'
# comments and override reasons) must be UTF-8: anything else is refused
# where it enters, exits 1 and writes nothing, so that the audit log, the API
# and the candidate's review can always carry it. A candidate's name stored
# that is not UTF-8 stops the proctor's table with an error rather than
# leaving the candidate out.

. "$ROOT/tests/cli/sitting_fixture.sh"
. "$ROOT/tests/cli/http_fixture.sh"

T1=2027-07-18T09:30:00+08:00

count() { sqlite3 exam.db "$1"; }

t_a_note_that_is_not_utf8_is_refused() {
    open_demo
    start_c001
    KAOSHI_NOW=$T1 run proctor note "$ATTEMPT" $'\xe8\x80 broken'
    expect_rc 1
    expect_err "kaoshi: a note must be 1 to 2000 bytes of UTF-8 text"
    [ "$(count 'SELECT count(*) FROM notes')/$(count "SELECT count(*) FROM audit WHERE action = 'attempt.note'")" = 0/0 ] ||
        fail "something was written"
    KAOSHI_NOW=$T1 run proctor note "$ATTEMPT" '考生请求更换座位'
    expect_rc 0
}

t_a_comment_that_is_not_utf8_is_refused() {
    submit_c001
    mark_err="kaoshi: the comment must be at most 2000 bytes of UTF-8 text"
    KAOSHI_NOW=$T1 run mark "$ATTEMPT" 8 0.5 --comment $'\xff'
    expect_rc 1
    expect_err "$mark_err"
    KAOSHI_NOW=$T1 run mark "$ATTEMPT" 1 0 --override --comment $'\xc3\x28 误判'
    expect_rc 1
    expect_err "$mark_err"
    [ "$(count 'SELECT count(*) FROM marks')/$(count "SELECT count(*) FROM audit WHERE action IN ('answer.mark', 'mark.override')")" = 0/0 ] ||
        fail "something was written"
    KAOSHI_NOW=$T1 run mark "$ATTEMPT" 8 0.5 --comment '要点齐全'
    expect_rc 0
    KAOSHI_NOW=$T1 run mark "$ATTEMPT" 8 --clear --comment $'\xf0\x9f'
    expect_rc 1
    expect_err "$mark_err"
    [ "$(count 'SELECT comment FROM marks')/$(count "SELECT count(*) FROM audit WHERE action = 'mark.clear'")" = 要点齐全/0 ] ||
        fail "the clear was written"
}

t_a_stored_name_that_is_not_utf8_is_never_left_out() {
    open_demo
    sqlite3 exam.db "UPDATE candidates SET name = CAST(X'E5BCA0FF' AS TEXT) WHERE number = 'C002'"
    KAOSHI_NOW=$T0 run proctor status s1
    expect_rc 3
    expect_err "kaoshi: a candidate's number or name in this sitting is not UTF-8 text"
    add_proctor
    KAOSHI_NOW=$T0 serve_start
    login_proctor p
    req GET /api/sittings/s1
    expect_status 500
    [ "$(jq 'b["error"]')" = internal ] || fail "live: $BODY"
    serve_stop
}
