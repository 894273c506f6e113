# Manual grading over HTTP: the proctor console's list of essay answers
# waiting for a mark and the route that marks one.

. "$ROOT/tests/cli/http_fixture.sh"

t_a_proctor_marks_an_essay_over_http() {
    open_now s1 DEMO-CS
    add_proctor
    serve_start
    login_candidate a C001 "$CODE1"
    req POST /api/attempts '{}'
    expect_status 200
    ID=$(jq 'b["attempt"]')
    req PUT "/api/attempts/$ID/answers/7" '{"response":{"text":"先安抚情绪，再跟进解决。"}}'
    expect_status 200
    login_candidate b C002 "$CODE2"
    req POST /api/attempts '{}'
    expect_status 200
    RUNNING=$(jq 'b["attempt"]')
    as a
    req POST "/api/attempts/$ID/submit" '{}'
    expect_status 200
    login_proctor p
    req GET /api/sittings/s1/marking
    expect_status 200
    # blind: an anonymous label, never the candidate's number or name
    [ "$(jq '[(w["attempt"], w["question"], w["points"], w["response"]) for w in b["waiting"]]')" = \
      "[[$ID, 8, 15, {\"text\": \"先安抚情绪，再跟进解决。\"}]]" ] || fail "marking: $BODY"
    [ "$(jq '[sorted(w.keys()) for w in b["waiting"]]')" = \
      '[["attempt", "item", "label", "points", "question", "response", "rubric", "stem"]]' ] ||
        fail "the fields of a waiting answer: $BODY"
    ! grep -q -e C001 -e 张 .body || fail "the marking list names the candidate: $BODY"
    label=$(jq 'b["waiting"][0]["label"]')
    case $label in A-1 | A-2) ;; *) fail "label: $label" ;; esac
    # the command line names the candidate beside the same label
    run marking s1 --json
    [ "$(python3 -c 'import json; print([(r["label"], r["candidate"]) for r in json.load(open(".out"))])')" = \
      "[('$label', 'C001')]" ] || fail "kaoshi marking --json: $OUT"
    [ "$(jq 'b["waiting"][0]["stem"] != "" and b["waiting"][0]["rubric"] != ""')" = true ] ||
        fail "stem and rubric: $BODY"
    req POST "/api/proctor/attempts/$ID/marks" '{"question":1,"fraction":1}'
    expect_status 400
    req POST "/api/proctor/attempts/$ID/marks" '{"question":8,"fraction":1.5}'
    expect_status 400
    [ "$(jq 'b["message"]')" = "fraction: expected a number from 0 to 1" ] || fail "1.5: $BODY"
    req POST "/api/proctor/attempts/$RUNNING/marks" '{"question":8,"fraction":1}'
    expect_status 409
    req POST "/api/proctor/attempts/$ID/marks" '{"question":8,"fraction":0.5,"comment":"要点不全"}'
    expect_status 200
    [ "$(jq '[b["attempt"], b["score"], b["max_score"], b["passed"]]')" = "[$ID, 7.5, 100.0, false]" ] ||
        fail "mark: $BODY"
    req GET /api/sittings/s1/marking
    [ "$(jq 'b["waiting"]')" = "[]" ] || fail "after the mark: $BODY"
    [ "$(sqlite3 exam.db "SELECT grader || ' ' || comment FROM marks WHERE attempt_id = $ID")" = "alice 要点不全" ] ||
        fail "stored: $(sqlite3 exam.db 'SELECT * FROM marks')"
    [ "$(sqlite3 exam.db "SELECT actor FROM audit WHERE action = 'answer.mark'")" = "proctor:alice" ] ||
        fail "audit: $(sqlite3 exam.db "SELECT * FROM audit WHERE action = 'answer.mark'")"
    as a
    req GET /api/sittings/s1/marking
    expect_status 401
    serve_stop
}

# C001 answers only the essay and submits; the proctor closes the sitting,
# marks it full and publishes. ID is the attempt; the jar is left at p.
publish_essay_only() {
    essay_submitted "$1"
    req POST "/api/proctor/attempts/$ID/marks" '{"question":8,"fraction":1}'
    expect_status 200
    req POST /api/sittings/s1/publish '{}'
    expect_status 200
    req POST /api/sittings/s1/publish '{}'
    expect_status 409
}

t_review_score_shows_the_score_without_the_questions() {
    publish_essay_only DEMO-CS
    as a
    req GET "/api/attempts/$ID/result"
    expect_status 200
    [ "$(jq '[b["review"], b["published"], b["score"], b["max_score"], b["passed"], "questions" in b]')" = \
      '["score", true, 15.0, 100.0, false, false]' ] || fail "review score: $BODY"
    serve_stop
}

t_review_none_shows_only_that_it_was_graded() {
    sed -e 's/code = "DEMO-CS"/code = "NONE"/' -e 's/review = "score"/review = "none"/' \
        scripts/demo.lua >scripts/none.lua
    publish_essay_only NONE
    as a
    req GET "/api/attempts/$ID/result"
    expect_status 200
    # besides the submission's receipt (test_receipt.sh)
    [ "$(jq '{k: v for k, v in b.items() if k not in ("receipt", "server_now")}')" = \
      "{\"id\": $ID, \"finish_reason\": \"submitted\", \"review\": \"none\", \"published\": true, \"graded\": true}" ] ||
        fail "review none: $BODY"
    serve_stop
}
