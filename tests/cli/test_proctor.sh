# Proctor accounts and the proctor's actions on one attempt through the real
# binary: extend, pause and resume (paused time pushes the deadline back),
# force-submit, incident notes; each in the audit log with who and when.

. "$ROOT/tests/cli/sitting_fixture.sh"

at() { # TIME ARGS...: runs kaoshi at 2027-07-18T<TIME>+08:00
    local t=$1
    shift
    KAOSHI_NOW=2027-07-18T$t+08:00 run "$@"
}

sql() { sqlite3 exam.db "$1"; }

t_proctor_add_stores_only_an_argon2id_hash() {
    run proctor add alice <<<'correct horse battery'
    expect_rc 0
    expect_out "added proctor alice"
    [ "$(sql "SELECT substr(password_hash, 1, 9) FROM proctors WHERE name = 'alice'")" = '$argon2id' ] ||
        fail "the stored password is not an argon2id hash"
    [ "$(sql "SELECT count(*) FROM proctors WHERE password_hash LIKE '%horse%'")" = 0 ] ||
        fail "the password is stored in clear"
    run proctor add alice <<<'another password'
    expect_rc 1
    expect_err "kaoshi: a proctor named 'alice' already exists"
    run proctor add bob <<<'short'
    expect_rc 1
    expect_err "kaoshi: the password must be 8 to 1024 bytes long"
    run proctor add 'bob smith' <<<'long enough'
    expect_rc 1
    expect_err "kaoshi: proctor name 'bob smith': expected 1 to 64 letters, digits, '-', '_' or '.'"
    run proctor add
    expect_rc 2
    run proctor list --json
    expect_rc 0
    expect_out_has '"name": "alice"'
    [ "$(sql "SELECT actor || ' ' || action FROM audit WHERE action = 'proctor.add'")" = "cli proctor.add" ] ||
        fail "adding a proctor is not audited"
}

t_extend_pushes_the_deadline_back() {
    open_demo
    start_c001
    question_with text
    at 09:10:00 proctor extend "$ATTEMPT" 10m
    expect_rc 0
    expect_out "gave 10m more to attempt $ATTEMPT; deadline 2027-07-18T09:45:00+08:00"
    # the old deadline plus grace has passed; the new one has not
    at 09:44:00 attempt answer "$ATTEMPT" "$Q" '{"text":"1"}'
    expect_rc 0
    at 09:46:00 attempt answer "$ATTEMPT" "$Q" '{"text":"2"}'
    expect_rc 1
    expect_err "kaoshi: attempt $ATTEMPT ended at 2027-07-18T09:45:00+08:00 (deadline); the answer was not saved"
    [ "$(sql "SELECT extra_ms FROM attempts WHERE id = $ATTEMPT")" = 600000 ] ||
        fail "extra_ms is not 10 minutes"
    at 09:50:00 proctor extend "$ATTEMPT" 5m
    expect_rc 1
    expect_err "kaoshi: attempt $ATTEMPT already ended at 2027-07-18T09:45:00+08:00 (deadline)"
}

t_extend_checks_its_duration() {
    open_demo
    start_c001
    at 09:10:00 proctor extend "$ATTEMPT" soon
    expect_rc 2
    expect_err "kaoshi proctor extend: DURATION: expected a duration such as 10m or 1h30m, found 'soon'
Try 'kaoshi proctor extend --help'."
    at 09:10:00 proctor extend "$ATTEMPT" 25h
    expect_rc 1
    expect_err "kaoshi: an extension must be from 1 second to 24 hours"
    at 09:10:00 proctor extend 99 5m
    expect_rc 1
    expect_err "kaoshi: no attempt 99"
}

t_pause_stops_the_clock_and_resume_moves_the_deadline() {
    open_demo
    start_c001
    question_with text
    at 09:10:00 proctor pause "$ATTEMPT"
    expect_rc 0
    expect_out "paused attempt $ATTEMPT with 25:00 left"
    at 09:11:00 attempt answer "$ATTEMPT" "$Q" '{"text":"1"}'
    expect_rc 1
    expect_err "kaoshi: attempt $ATTEMPT is paused by a proctor; the answer was not saved"
    at 09:11:00 attempt submit "$ATTEMPT"
    expect_rc 1
    expect_err "kaoshi: attempt $ATTEMPT is paused by a proctor"
    at 09:12:00 proctor pause "$ATTEMPT"
    expect_rc 1
    expect_err "kaoshi: attempt $ATTEMPT is already paused"
    # long past the original deadline (09:35 + 30 s grace): still running
    at 10:00:00 grade s1
    expect_out "graded 0 finished attempts in s1"
    at 10:00:00 proctor resume "$ATTEMPT"
    expect_rc 0
    expect_out "resumed attempt $ATTEMPT; deadline 2027-07-18T10:25:00+08:00"
    at 10:01:00 attempt answer "$ATTEMPT" "$Q" '{"text":"1"}'
    expect_rc 0
    at 10:02:00 proctor resume "$ATTEMPT"
    expect_rc 1
    expect_err "kaoshi: attempt $ATTEMPT is not paused"
    [ "$(sql "SELECT (ended_at - started_at) / 60000 FROM pauses WHERE attempt_id = $ATTEMPT")" = 50 ] ||
        fail "the pause interval is not 50 minutes: $(sql 'SELECT * FROM pauses')"
    [ "$(sql "SELECT action FROM audit WHERE attempt_id = $ATTEMPT AND action LIKE 'attempt.%' ORDER BY id" | tr '\n' ' ')" = "attempt.start attempt.pause attempt.resume " ] ||
        fail "audit: $(sql 'SELECT action FROM audit')"
}

t_force_submit_works_while_paused() {
    open_demo
    start_c001
    at 09:10:00 proctor pause "$ATTEMPT"
    at 09:15:00 proctor submit "$ATTEMPT"
    expect_rc 0
    expect_out "force-submitted attempt $ATTEMPT"
    [ "$(sql "SELECT finish_reason, ended_at > 0 FROM pauses JOIN attempts ON id = attempt_id")" = "forced|1" ] ||
        fail "after a forced submit: $(sql 'SELECT * FROM pauses')"
    at 09:16:00 proctor submit "$ATTEMPT"
    expect_rc 1
    expect_err "kaoshi: attempt $ATTEMPT already ended at 2027-07-18T09:15:00+08:00 (forced)"
}

t_closing_the_sitting_ends_a_pause() {
    open_demo
    start_c001
    at 09:10:00 proctor pause "$ATTEMPT"
    at 12:30:00 sitting close s1
    expect_out "closed sitting s1; 1 running attempts finished"
    [ "$(sql "SELECT count(*) FROM pauses WHERE ended_at = 0")" = 0 ] ||
        fail "a pause is still open after the sitting closed"
}

t_notes_are_kept_with_their_author() {
    open_demo
    start_c001
    run proctor add alice <<<'a long password'
    at 09:12:00 proctor note "$ATTEMPT" '考生请求更换座位' --as alice
    expect_rc 0
    expect_out "noted on attempt $ATTEMPT"
    at 09:13:00 proctor note "$ATTEMPT" 'network outage'
    expect_rc 0
    run proctor notes s1
    expect_rc 0
    expect_out "2027-07-18T09:12:00+08:00 proctor:alice attempt $ATTEMPT: 考生请求更换座位
2027-07-18T09:13:00+08:00 cli attempt $ATTEMPT: network outage"
    at 09:14:00 proctor note "$ATTEMPT" 'x' --as mallory
    expect_rc 1
    expect_err "kaoshi: no proctor named 'mallory'"
    at 09:14:00 proctor note "$ATTEMPT" ''
    expect_rc 1
    expect_err "kaoshi: a note must be 1 to 2000 bytes of UTF-8 text"
    [ "$(sql "SELECT actor FROM audit WHERE action = 'attempt.note' ORDER BY id" | tr '\n' ' ')" = "proctor:alice cli " ] ||
        fail "notes are not audited with their author"
}

t_actions_are_audited_with_the_proctor() {
    open_demo
    start_c001
    run proctor add alice <<<'a long password'
    at 09:10:00 proctor extend "$ATTEMPT" 90s --as alice
    expect_out "gave 90s more to attempt $ATTEMPT; deadline 2027-07-18T09:36:30+08:00"
    got=$(sql "SELECT at, actor, detail FROM audit WHERE action = 'attempt.extend'")
    want="1815873000000|proctor:alice|{\"deadline\":1815874590000,\"extra_ms\":90000}"
    [ "$got" = "$want" ] || fail "audit entry: $got, expected $want"
}

t_unknown_subcommand_is_a_usage_error() {
    run proctor fly
    expect_rc 2
    expect_err "kaoshi proctor: unknown subcommand 'fly'; expected add, list, status, extend, pause, resume, submit, note or notes
Try 'kaoshi proctor --help'."
    run proctor pause
    expect_rc 2
    expect_err "kaoshi proctor pause: expected ATTEMPT
Try 'kaoshi proctor pause --help'."
}
