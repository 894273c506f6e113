# Failures below the web server reach the client as errors and leak nothing:
# a database that fails under a running server (here a table renamed away
# behind its back) gives 503 with the database's message, and the server
# still stops cleanly with no sanitizer report.

. "$ROOT/tests/cli/http_fixture.sh"

t_a_failing_database_is_503_and_leaks_nothing() {
    open_now s1 DEMO-CS
    serve_start
    login_candidate a C001 "$CODE1"
    req GET /api/me
    expect_status 200
    sqlite3 exam.db 'ALTER TABLE attempts RENAME TO attempts_gone'
    req GET /api/me
    expect_status 503
    [ "$(jq 'b["error"]')" = unavailable ] || fail "error: $BODY"
    case $(jq 'b["message"]') in *"no such table: attempts"*) ;; *) fail "message: $BODY" ;; esac
    sqlite3 exam.db 'ALTER TABLE attempts_gone RENAME TO attempts'
    req GET /api/me
    expect_status 200
    serve_stop
}

# an own question type whose present() puts a NUL byte in the view: caught
# when the sitting opens (every hook runs on 20 seeds), so no candidate ever
# meets it; the sitting stays a draft
t_a_view_no_page_can_show_stops_the_sitting_opening() {
    sed -e 's/code = "DEMO-CS"/code = "NUL"/' \
        -e 's/^  sections = {/  question_types = { essay2 = { fields = { stem = "text", rubric = "text?", max_chars = "integer?" },\n    present = function(item) return { stem = "a\\0b", widget = "text" } end, manual = true } },\n  sections = {/' \
        scripts/demo.lua >scripts/nul.lua
    sed -i 's/type: essay$/type: essay2/' banks/demo.yaml
    run sitting create s1 --cert NUL --date 2027-07-18
    expect_rc 0
    run sitting open s1
    expect_rc 1
    expect_err_has "scripts/nul.lua:16: present() of item 'demo-3-001' (seed 1; 20 of 20 seeds): its view cannot be stored: a string holds a NUL byte"
    [ "$(sqlite3 exam.db "SELECT state FROM sittings WHERE name = 's1'")" = 0 ] ||
        fail "the sitting opened"
}

# started CERT: sitting s1 of CERT open now, served, C001 logged in as jar a
# with an attempt started; ID is the attempt.
started() {
    open_now s1 "$1"
    serve_start
    login_candidate a C001 "$CODE1"
    req POST /api/attempts '{}'
    expect_status 200
    ID=$(jq 'b["attempt"]')
}

# A save to a slot past the form's end is 404 not_found, as docs/api.md says
# (the exam layer refuses it as bad input, like a malformed answer, which
# stays 400); so is a flag there.
t_an_answer_past_the_forms_end_is_404() {
    started DEMO-CS
    req GET "/api/attempts/$ID"
    [ "$(jq 'len(b["questions"])')" = 8 ] || fail "questions: $BODY"
    for slot in 8 9 100000; do
        req PUT "/api/attempts/$ID/answers/$slot" '{"response":{"choice":1}}'
        [ "$ST $BODY" = '404 {"error":"not_found","message":"没有这道题"}' ] ||
            fail "PUT answers/$slot: $ST $BODY"
        req PUT "/api/attempts/$ID/flags/$slot" '{"flagged":true}'
        [ "$ST $BODY" = '404 {"error":"not_found","message":"没有这道题"}' ] ||
            fail "PUT flags/$slot: $ST $BODY"
    done
    req PUT "/api/attempts/$ID/answers/7" "{\"response\":{\"text\":\"$(head -c 70000 /dev/zero | tr '\0' x)\"}}"
    [ "$ST $(jq '[b["error"], b["message"]]')" = '400 ["invalid", "答案格式不正确"]' ] ||
        fail "an answer over 64 KiB: $ST $BODY"
    serve_stop
}

# An answer that does not fit its question's widget is refused (never stored
# and scored 0), and the reply names the field for the API client.
t_an_answer_of_the_wrong_shape_is_400_naming_the_field() {
    # chapter 1 drawn from its single-choice items: a choice on every form
    sed -e 's/code = "DEMO-CS"/code = "SHAPE"/' \
        -e 's/from = { chapter = 1 }, pick = 4/from = { chapter = 1, type = "single" }, pick = 3/' \
        scripts/demo.lua >scripts/shape.lua
    started SHAPE
    slot_with choice
    req PUT "/api/attempts/$ID/answers/$SLOT" '{"response":{"choise":1}}'
    [ "$ST $BODY" = "400 {\"error\":\"invalid\",\"message\":\"答案格式不正确\",\"detail\":\"the answer to question $((SLOT + 1)): unknown field 'choise'; expected only 'choice'\"}" ] ||
        fail "wrong field: $ST $BODY"
    req PUT "/api/attempts/$ID/answers/$SLOT" '{"response":{"choice":9}}'
    [ "$ST $(jq 'b["detail"]')" = "400 the answer to question $((SLOT + 1)): field 'choice': expected an option id, 1 to 4" ] ||
        fail "no such option: $ST $BODY"
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM answers')" = 0 ] || fail "a misfit was stored"
    req PUT "/api/attempts/$ID/answers/$SLOT" '{"response":{"choice":4}}'
    expect_status 200
    serve_stop
}

# Numbers in replies are the shortest text that reads back as the same
# double: a section worth 6.3 points is "points":6.3, not 6.2999999999999998.
t_replies_write_numbers_as_the_page_shows_them() {
    sed -e 's/code = "DEMO-CS"/code = "PTS"/' \
        -e 's/pick = 4, points = 10 }/pick = 4, points = 6.3 }/' scripts/demo.lua >scripts/pts.lua
    started PTS
    req GET "/api/attempts/$ID"
    expect_status 200
    case $BODY in
    *'"first":1,'*'"points":6.3,'*) ;;
    *) fail "section 1's points: $BODY" ;;
    esac
    case $BODY in *6.2999999999999998*) fail "a real with 17 digits: $BODY" ;; esac
    serve_stop
}
