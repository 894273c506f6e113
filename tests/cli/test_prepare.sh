# Forms drawn ahead (kaoshi sitting prepare, and at open): every enrolled
# candidate's first form is drawn and stored before the window; a start
# takes it (the same seed and form a draw at the start gives, as preview
# shows), a start after an amendment or with a changed history draws anew,
# retakes and candidates enrolled later draw at the start.

. "$ROOT/tests/cli/sitting_fixture.sh"

# Sitting s1 of DEMO-CS with C001-C003 enrolled before it opens.
enroll_then_open() {
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert DEMO-CS --date $WINDOW_DATE
    expect_rc 0
    printf 'number,name\nC001,张三\nC002,李四\nC003,王五\n' >roster.csv
    run enroll s1 roster.csv
    expect_rc 0
    CODE1=$(sed -n 's/^C001,张三,//p' .out)
    KAOSHI_NOW=2027-07-17T20:00:00+08:00 run sitting open s1
    expect_rc 0
}

# "SEED FORM" of the candidate's stored form, empty when there is none.
drawn_of() {
    sqlite3 exam.db "SELECT d.seed || ' ' || d.form FROM drawn_forms d JOIN candidates c
                     ON c.id = d.candidate_id WHERE c.number = '$1'"
}

t_open_draws_every_enrolled_candidates_form_ahead() {
    enroll_then_open
    expect_out_has "sitting s1: drew 3 forms ahead (0 drawn before, 0 candidates started, 0 may not start)"
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM drawn_forms')" = 3 ] || fail "not 3 forms stored"
    KAOSHI_NOW=2027-07-17T21:00:00+08:00 run sitting prepare s1
    expect_rc 0
    expect_out "sitting s1: drew 0 forms ahead (3 drawn before, 0 candidates started, 0 may not start)"
}

t_a_start_takes_the_form_drawn_ahead_which_its_seed_draws_again() {
    enroll_then_open
    stored=$(drawn_of C001)
    seed=${stored%% *}
    start_c001
    form=$(sqlite3 exam.db "SELECT seed || ' ' || form FROM attempts WHERE id = $ATTEMPT")
    [ "$form" = "$stored" ] || fail "the attempt's form is not the one drawn ahead"
    [ -z "$(drawn_of C001)" ] || fail "the form drawn ahead is still stored after the start"
    # the seed draws the same questions in preview (what a candidate gets)
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --keys --json
    ids=$(python3 -c 'import json,sys; print([q["key"]["id"] for q in json.load(sys.stdin)["questions"]])' <.out)
    run preview DEMO-CS --seed "$seed" --json
    expect_rc 0
    again=$(python3 -c 'import json,sys; print([q["key"]["id"] for q in json.load(sys.stdin)["questions"]])' <.out)
    [ "$ids" = "$again" ] || fail "preview of seed $seed drew $again, the attempt has $ids"
    KAOSHI_NOW=$T0 run sitting prepare s1
    expect_out "sitting s1: drew 0 forms ahead (2 drawn before, 1 candidate started, 0 may not start)"
}

t_a_form_drawn_from_another_version_is_drawn_anew_at_the_start() {
    enroll_then_open
    stored=$(drawn_of C001)
    sqlite3 exam.db "UPDATE drawn_forms SET version = 0, seed = 12345"
    start_c001
    seed=$(sqlite3 exam.db "SELECT seed FROM attempts WHERE id = $ATTEMPT")
    [ "$seed" != 12345 ] || fail "a form drawn from another version was used"
    # prepare draws again the forms of the old version
    KAOSHI_NOW=$T0 run sitting prepare s1
    expect_out "sitting s1: drew 2 forms ahead (0 drawn before, 1 candidate started, 0 may not start)"
}

t_a_changed_history_draws_anew_at_the_start() {
    enroll_then_open
    # the stored form was drawn for another history (an attempt since, say)
    sqlite3 exam.db "UPDATE drawn_forms SET history = '[{\"number\":1}]', seed = 12345"
    start_c001
    seed=$(sqlite3 exam.db "SELECT seed FROM attempts WHERE id = $ATTEMPT")
    [ "$seed" != 12345 ] || fail "a form drawn for another history was used"
    [ -z "$(drawn_of C001)" ] || fail "the stale form is still stored after the start"
}

t_late_enrolments_are_prepared_by_prepare() {
    enroll_then_open
    printf 'number,name\nC004,赵六\n' >late.csv
    run enroll s1 late.csv
    expect_rc 0
    [ -z "$(drawn_of C004)" ] || fail "enrolling drew a form"
    KAOSHI_NOW=2027-07-17T21:00:00+08:00 run sitting prepare s1
    expect_rc 0
    expect_out "sitting s1: drew 1 form ahead (3 drawn before, 0 candidates started, 0 may not start)"
    [ -n "$(drawn_of C004)" ] || fail "prepare drew no form for C004"
}

t_prepare_refuses_a_draft_and_a_closed_sitting() {
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert DEMO-CS --date $WINDOW_DATE
    run sitting prepare s1
    expect_rc 1
    expect_err "kaoshi: sitting 's1' has not been opened"
    run sitting open s1
    run sitting close s1
    run sitting prepare s1
    expect_rc 1
    expect_err "kaoshi: sitting 's1' is closed"
    run sitting prepare nope
    expect_rc 1
    expect_err "kaoshi: no sitting named 'nope'"
}

# The server draws ahead, by itself, the forms of candidates enrolled after
# the opening, from --prepare-ahead before the window.
t_serve_draws_ahead_the_forms_of_later_enrolments() {
    . "$ROOT/tests/cli/http_fixture.sh"
    open_now s1 DEMO-CS 600 # opens in 10 minutes; C001-C003 enrolled after the opening
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM drawn_forms')" = 0 ] || fail "forms drawn at enrolment"
    serve_start --prepare-ahead 1h
    for _ in $(seq 240); do
        [ "$(sqlite3 exam.db 'SELECT count(*) FROM drawn_forms')" = 3 ] && break
        sleep 0.5
    done
    serve_stop
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM drawn_forms')" = 3 ] || fail "the server drew no forms ahead: $(cat serve.err)"
    grep -q '^kaoshi serve: sitting s1: drew 3 forms ahead$' serve.err || fail "serve.err: $(cat serve.err)"
}

t_a_bad_prepare_ahead_is_a_usage_error() {
    run serve --prepare-ahead soon
    expect_rc 2
    expect_err_has "--prepare-ahead: expected a duration such as 1h, 30m or 0 (never), found 'soon'"
}

# A start from a form drawn ahead keeps its questions as presented: showing
# the attempt uses them (with the answers saved since) while the sitting
# stays at that version, and presents afresh after an amendment.
t_the_view_drawn_ahead_is_what_the_attempt_shows() {
    enroll_then_open
    start_c001
    [ "$(sqlite3 exam.db "SELECT count(*) FROM attempt_views WHERE attempt_id = $ATTEMPT")" = 1 ] ||
        fail "no view kept for attempt $ATTEMPT"
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --keys --json
    read -r q response < <(python3 "$ROOT/tests/cli/keys_to_answers.py" <.out)
    KAOSHI_NOW=$T0 run attempt answer "$ATTEMPT" "$q" "$response"
    expect_rc 0
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --json
    expect_rc 0
    cp .out kept.json
    python3 -c 'import json, sys; q = json.load(open("kept.json"))["questions"][int(sys.argv[1]) - 1]; assert q["answer"] == json.loads(sys.argv[2]), q' "$q" "$response" ||
        fail "the saved answer is not shown: $(cat kept.json)"
    # the view kept is used while the version stands ...
    sqlite3 exam.db "UPDATE attempt_views SET view = json_set(view, '\$[0].view.stem', 'KEPT-VIEW')"
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --json
    expect_out_has KEPT-VIEW
    # ... and is the view presenting gives
    sqlite3 exam.db "UPDATE attempt_views SET version = 0"
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --json
    expect_rc 0
    cmp -s .out kept.json || fail "the kept view differs from the presented one:
$(diff kept.json .out | head -5)"
}

# The page's fetch of a form drawn ahead, before any answer, sends the view
# kept as text: the same text, byte for byte, that presenting the questions
# afresh gives.
t_the_page_gets_the_view_drawn_ahead_as_presented() {
    . "$ROOT/tests/cli/http_fixture.sh"
    open_now s1 DEMO-CS
    run sitting prepare s1
    expect_out_has "drew 3 forms ahead"
    serve_start --prepare-ahead 0
    login_candidate a C001 "$CODE1"
    req POST /api/attempts '{}'
    expect_status 200
    ID=$(jq 'b["attempt"]')
    questions() { python3 -c 'import sys; t = open(".body").read(); print(t[t.index("\"questions\":"):])'; }
    req GET "/api/attempts/$ID"
    expect_status 200
    questions >kept.txt
    sqlite3 exam.db "UPDATE attempt_views SET version = 0"
    req GET "/api/attempts/$ID"
    expect_status 200
    questions >presented.txt
    cmp -s kept.txt presented.txt || fail "the kept view differs from the presented one:
$(diff kept.txt presented.txt | head -5)"
    sqlite3 exam.db "UPDATE attempt_views SET version = (SELECT version FROM sittings),
                     view = json_set(view, '\$[0].view.stem', 'KEPT-VIEW')"
    req GET "/api/attempts/$ID"
    [ "$(jq 'b["questions"][0]["view"]["stem"]')" = KEPT-VIEW ] || fail "the kept view was not sent: $BODY"
    [ "$(jq '[b["state"], len(b["sections"]) > 0, b["title"]]')" = '["running", true, "客户服务基础认证（示例）"]' ] ||
        fail "attempt: $BODY"
    serve_stop
}
