# A candidate's review never mixes two versions of a sitting's files: once a
# published sitting is amended, the result graded with the version before is
# not shown ("graded": false) until the sitting is graded again; then the
# review shows the marks the amended version gives.

. "$ROOT/tests/cli/http_fixture.sh"
. "$ROOT/tests/cli/amend_fixture.sh"

t_a_result_waits_for_its_regrade_after_an_amendment() {
    sed -e 's/code = "DEMO-CS"/code = "ANS"/' -e 's/review = "score"/review = "answers"/' \
        scripts/demo.lua >scripts/ANS.lua
    open_now s1 ANS
    add_proctor
    serve_start --threads 1
    # C001 answers question 1 right, and nothing else
    login_candidate a C001 "$CODE1"
    req POST /api/attempts '{}'
    expect_status 200
    ID=$(jq 'b["attempt"]')
    run attempt show "$ID" --keys --json
    cp .out keys.json
    read -r _ response < <(python3 "$ROOT/tests/cli/keys_to_answers.py" <keys.json)
    req PUT "/api/attempts/$ID/answers/0" "{\"response\":$response}"
    expect_status 200
    req POST "/api/attempts/$ID/submit" '{}'
    expect_status 200
    # published: the review shows question 1 right
    login_proctor p
    for action in close publish; do
        req POST "/api/sittings/s1/$action" '{}'
        expect_status 200
    done
    as a
    req GET "/api/attempts/$ID/result"
    expect_status 200
    [ "$(jq '[b["graded"], b["score"], b["questions"][0]["marks"]["fraction"] == 1]')" = "[true, 10.0, true]" ] ||
        fail "the published result: $BODY"
    # the amendment: question 1's key corrected
    change_key "$(item_of 1)"
    run sitting amend s1 --reason '更正第一题'
    expect_rc 0
    # graded with version 1, the sitting now at version 2: nothing of it shows
    req GET "/api/attempts/$ID/result"
    expect_status 200
    [ "$(jq '[b["published"], b["graded"], sorted(k for k in ("score", "passed", "sections", "questions", "reason") if k in b)]')" = \
      '[true, false, []]' ] || fail "the result before its regrade: $BODY"
    # graded again with version 2: question 1 with its new mark
    as p
    req POST /api/sittings/s1/grade '{}'
    expect_status 200
    [ "$(jq '[b["version"], b["changed"]]')" = "[2, 1]" ] || fail "grade: $BODY"
    as a
    req GET "/api/attempts/$ID/result"
    expect_status 200
    [ "$(jq '[b["graded"], b["score"], b["questions"][0]["marks"]["fraction"] == 0]')" = "[true, 0.0, true]" ] ||
        fail "the regraded result: $BODY"
    serve_stop
}
