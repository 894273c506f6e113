# Overrides and markers' comments over HTTP: a proctor overrides an
# automatic score (a reason is required) or clears it, with the CSRF token as
# every action needs; the marking view lists what a person set; once the
# results are published the candidate sees, when the review policy shows
# answers, that a person set the score and the marker's comment, and with
# review "score" only the score (and why a result fails).

. "$ROOT/tests/cli/http_fixture.sh"

# Certification CODE: the example with review policy REVIEW.
review_cert() {
    sed -e "s/code = \"DEMO-CS\"/code = \"$1\"/" -e "s/review = \"score\"/review = \"$2\"/" \
        scripts/demo.lua >"scripts/$1.lua"
}

t_a_proctor_overrides_and_clears_over_http() {
    review_cert ANS answers
    essay_submitted ANS
    marks="/api/proctor/attempts/$ID/marks"
    req POST "$marks" '{"question":1,"fraction":1,"override":true}'
    expect_status 400
    [ "$(jq 'b["message"]')" = "an override needs a comment: why the automatic score is replaced" ] ||
        fail "no comment: $BODY"
    req POST "$marks" '{"question":1,"fraction":1,"override":true,"comment":""}'
    expect_status 400
    req POST "$marks" '{"question":1,"fraction":1.5,"override":true,"comment":"x"}'
    expect_status 400
    [ "$(jq 'b["message"]')" = "fraction: expected a number from 0 to 1" ] || fail "1.5: $BODY"
    req POST "$marks" '{"question":9,"fraction":1,"override":true,"comment":"x"}'
    expect_status 400
    [ "$(jq 'b["message"]')" = "question 9 does not exist; this form has 8" ] || fail "9: $BODY"
    req POST "$marks" '{"question":8,"fraction":1,"override":true,"comment":"x"}'
    expect_status 400
    req POST "$marks" '{"question":1,"fraction":1,"override":"yes","comment":"x"}'
    expect_status 400
    [ "$(jq 'b["message"]')" = "override: expected true or false" ] || fail "override: $BODY"
    # without the CSRF token, or as the candidate: refused
    csrf=$(cat p.csrf)
    rm p.csrf
    req POST "$marks" '{"question":1,"fraction":1,"override":true,"comment":"x"}'
    expect_status 403
    req DELETE "$marks/1" '{}'
    expect_status 403
    echo "$csrf" >p.csrf
    as a
    req DELETE "$marks/1" '{}'
    expect_status 401
    as p
    req POST "$marks" '{"question":1,"fraction":1,"override":true,"comment":"题目有误，全体给分"}'
    expect_status 200
    [ "$(jq '[b["attempt"], b["score"], b["passed"]]')" = "[$ID, 10.0, null]" ] || fail "override: $BODY"
    req POST "$marks" '{"question":2,"fraction":1,"override":true,"comment":"误判"}'
    expect_status 200
    req DELETE "$marks/2" '{"comment":"撤销"}'
    expect_status 200
    [ "$(jq '[b["score"], b["passed"]]')" = "[10.0, null]" ] || fail "clear: $BODY"
    req DELETE "$marks/2" '{}'
    expect_status 404
    [ "$(jq 'b["message"]')" = "question 2 of attempt $ID has no mark" ] || fail "no mark: $BODY"
    req DELETE "$marks/0" '{}'
    expect_status 404
    req POST "$marks" '{"question":8,"fraction":0.5,"comment":"要点不全"}'
    expect_status 200
    req GET /api/sittings/s1/marking
    expect_status 200
    [ "$(jq '[(m["question"], m["fraction"], m["override"], m["auto_fraction"], m["grader"], m["comment"]) for m in b["marked"]]')" = \
      '[[1, 1.0, true, 0.0, "alice", "题目有误，全体给分"], [8, 0.5, false, null, "alice", "要点不全"]]' ] ||
        fail "marked: $BODY"
    [ "$(jq 'b["waiting"]')" = "[]" ] || fail "waiting: $BODY"
    [ "$(sqlite3 exam.db "SELECT action || ' ' || actor FROM audit WHERE action LIKE 'mark.%' ORDER BY id")" = \
      "mark.override proctor:alice
mark.override proctor:alice
mark.clear proctor:alice" ] || fail "audit: $(sqlite3 exam.db "SELECT * FROM audit WHERE action LIKE 'mark.%'")"
    req POST /api/sittings/s1/publish '{}'
    expect_status 200
    req POST "$marks" '{"question":3,"fraction":1,"override":true,"comment":"x"}'
    expect_status 409
    req DELETE "$marks/1" '{}'
    expect_status 409
    [ "$(jq 'b["message"]')" = "$(sqlite3 exam.db "SELECT 'the results of sitting ''s1'' were published at ' || strftime('%Y-%m-%dT%H:%M:%SZ', published_at / 1000, 'unixepoch') || '; marks can no longer change' FROM publications")" ] ||
        fail "published: $BODY"
    # the candidate's review: who set the score, and the marker's comment
    as a
    req GET "/api/attempts/$ID/result"
    expect_status 200
    python3 - <<'PY' || fail "review answers: $BODY"
import json
b = json.load(open(".body"))
assert b["review"] == "answers" and b["score"] == 17.5 and b["passed"] is False, b
assert isinstance(b["reason"], str) and b["reason"], b
q = {x["slot"]: x["marks"] for x in b["questions"]}
assert q[0]["by_person"] is True and q[0]["comment"] == "题目有误，全体给分", q[0]
assert q[0]["overridden"] is True and q[0]["fraction"] == 1, q[0]
assert q[7]["by_person"] is True and q[7]["comment"] == "要点不全", q[7]
assert all("by_person" not in q[s] and "comment" not in q[s] for s in range(1, 7)), q
assert all("key" not in x for x in b["questions"]), b
PY
    serve_stop
}

t_review_score_shows_no_comment() {
    essay_submitted DEMO-CS
    req POST "/api/proctor/attempts/$ID/marks" '{"question":1,"fraction":1,"override":true,"comment":"机密评语"}'
    expect_status 200
    req POST "/api/proctor/attempts/$ID/marks" '{"question":8,"fraction":0.5,"comment":"另一条评语"}'
    expect_status 200
    req POST /api/sittings/s1/publish '{}'
    expect_status 200
    as a
    req GET "/api/attempts/$ID/result"
    expect_status 200
    [ "$(jq '[b["review"], b["score"], b["passed"], "questions" in b, isinstance(b["reason"], str)]')" = \
      '["score", 17.5, false, false, true]' ] || fail "review score: $BODY"
    case $BODY in *评语*) fail "a comment reached the candidate: $BODY" ;; esac
    serve_stop
}
