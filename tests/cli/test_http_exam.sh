# A sitting through the JSON API of the real server (curl): the waiting room,
# every question type answered and graded, idempotent saves and stale pages,
# saves from many clients at once (group commit), a restart mid-sitting, the
# proctor's actions, the deadline, and results as the review policy allows.

. "$ROOT/tests/cli/http_fixture.sh"

# A copy of the example certification with a short clock and full review.
quick_cert() {
    sed -e 's/code = "DEMO-CS"/code = "QUICK"/' -e "s/duration = \"30m\"/duration = \"$1\"/" \
        -e 's/review = "score"/review = "full"/' -e 's/  pass = 60,/  grace = "1s",\n  pass = 60,/' \
        scripts/demo.lua >scripts/quick.lua
}

start_attempt() { # JAR NUMBER CODE: logs in and starts; ID is the attempt
    login_candidate "$1" "$2" "$3"
    req POST /api/attempts '{}'
    expect_status 200
    ID=$(jq 'b["attempt"]')
}

t_waiting_room_refuses_a_start_before_the_window() {
    open_now s1 DEMO-CS 3600
    serve_start
    login_candidate a C001 "$CODE1"
    req GET /api/me
    expect_status 200
    [ "$(jq '[b["attempt"], b["sitting"]["state"], b["candidate"]["name"], b["sitting"]["title"]]')" = \
      '[null, "open", "张三", "客户服务基础认证（示例）"]' ] || fail "me: $BODY"
    [ "$(jq 'b["sitting"]["opens_at"] - b["server_now"] > 3500000')" = true ] || fail "opens_at: $BODY"
    req POST /api/attempts '{}'
    expect_status 409
    [ "$(jq 'b["message"]')" = "考试尚未开始，请在等候页面稍候" ] || fail "refusal: $BODY"
    serve_stop
}

t_every_question_type_answered_graded_and_reviewed() {
    quick_cert 30m
    open_now s1 QUICK
    add_proctor
    serve_start
    start_attempt a C001 "$CODE1"
    "$KAOSHI" attempt show "$ID" --keys --json | python3 "$ROOT/tests/cli/keys_to_answers.py" >answers.txt
    [ "$(wc -l <answers.txt)" = 8 ] || fail "keys: $(cat answers.txt)"
    while read -r q response; do
        req PUT "/api/attempts/$ID/answers/$((q - 1))" "{\"response\":$response,\"key\":\"k$q\",\"base\":0}"
        expect_status 200
    done <answers.txt
    req PUT "/api/attempts/$ID/flags/3" '{"flagged":true}'
    expect_status 200
    req GET "/api/attempts/$ID"
    [ "$(jq 'sum(1 for q in b["questions"] if q["answer"] is not None)')" = 8 ] || fail "answers: $BODY"
    [ "$(jq '[q["flagged"] for q in b["questions"]].index(True)')" = 3 ] || fail "flag: $BODY"
    req GET "/api/attempts/$ID/result"
    expect_status 409
    req POST "/api/attempts/$ID/submit" '{}'
    expect_status 200
    [ "$(jq '[b["state"], b["finish_reason"], b["already"]]')" = '["finished", "submitted", false]' ] ||
        fail "submit: $BODY"
    # a second submit (another tab, a double click) changes nothing
    req POST "/api/attempts/$ID/submit" '{}'
    expect_status 200
    [ "$(jq '[b["finish_reason"], b["already"]]')" = '["submitted", true]' ] || fail "again: $BODY"
    req GET "/api/attempts/$ID/result"
    [ "$(jq '[b["graded"], b["published"], b["review"]]')" = '[false, false, "full"]' ] ||
        fail "before grading: $BODY"
    login_proctor p
    req POST /api/sittings/s1/grade '{}'
    expect_status 200
    [ "$(jq 'b["graded"]')" = 1 ] || fail "grade: $BODY"
    # graded but not published: the candidate sees nothing of the result,
    # only the receipt of the submission
    as a
    req GET "/api/attempts/$ID/result"
    expect_status 200
    [ "$(jq 'sorted(b.keys())')" = '["finish_reason", "graded", "id", "published", "receipt", "review", "server_now"]' ] ||
        fail "result before publishing: $BODY"
    as p
    req POST /api/sittings/s1/publish '{}'
    expect_status 409
    [ "$(jq 'b["message"]')" = "sitting 's1' is open; close it before publishing its results" ] ||
        fail "publish while open: $BODY"
    req POST /api/sittings/s1/close '{}'
    expect_status 200
    req POST /api/sittings/s1/publish '{}'
    expect_status 409
    [ "$(jq 'b["message"]')" = "1 attempts of sitting 's1' still wait for a person's marks (see 'kaoshi marking s1')" ] ||
        fail "publish with an essay unmarked: $BODY"
    req POST "/api/proctor/attempts/$ID/marks" '{"question":8,"fraction":0}'
    expect_status 200
    req POST /api/sittings/s1/publish '{}'
    expect_status 200
    [ "$(jq '[b["published"], b["sitting"]["name"]]')" = '[1, "s1"]' ] || fail "publish: $BODY"
    as a
    req GET "/api/attempts/$ID/result"
    [ "$(jq '[b["published"], b["score"], b["max_score"], b["passed"]]')" = '[true, 85.0, 100.0, true]' ] ||
        fail "published result: $BODY"
    python3 - <<'PY' || fail "full review after publishing: $BODY"
import json
b = json.load(open(".body"))
qs = b["questions"]
assert len(qs) == 8
assert all("explanation" in q["key"] and "id" not in q["key"] for q in qs), qs[0]
assert sum(1 for q in qs if q["marks"].get("fraction") == 1) == 7
PY
    serve_stop
}

# `kaoshi attempt show` and GET /api/attempts/{id} give one view of the
# questions (one lifecycle function builds both): the same views and saved
# answers, numbered from 1 on the command line, without the page's fields.
t_the_cli_and_the_api_show_the_same_questions() {
    open_now s1 DEMO-CS
    serve_start
    start_attempt a C001 "$CODE1"
    slot_with text
    text=$SLOT
    # a second question every demo form holds (a form may draw no true/false
    # or no single-choice question): the first single- or multiple-choice one
    req GET "/api/attempts/$ID"
    other=$(jq "next(q['slot'] for q in b['questions'] if q['view']['widget'] in ('choice', 'choices'))")
    answer=$(jq "(lambda v: {v['widget']: v['options'][0]['id'] if v['widget'] == 'choice' else [v['options'][0]['id']]})(b['questions'][$other]['view'])")
    req PUT "/api/attempts/$ID/answers/$text" '{"response":{"text":"1"}}'
    expect_status 200
    req PUT "/api/attempts/$ID/answers/$other" "{\"response\":$answer}"
    expect_status 200
    req PUT "/api/attempts/$ID/flags/1" '{"flagged":true}'
    expect_status 200
    req GET "/api/attempts/$ID"
    expect_status 200
    cp .body api.json
    run attempt show "$ID" --json
    expect_rc 0
    python3 - "$text" "$other" "$answer" <<'PY' || fail "the views differ: $(cat api.json) $OUT"
import json, sys
text, other, answer = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
api = json.load(open("api.json"))["questions"]
cli = json.load(open(".out"))["questions"]
assert len(api) == len(cli) == 8, (len(api), len(cli))
for a, c in zip(api, cli):
    assert c["question"] == a["slot"] + 1, c
    assert c["view"] == a["view"], (c["view"], a["view"])
    assert c.get("answer") == a["answer"], (c, a)
    assert set(c) == {"question", "view"} | ({"answer"} if a["answer"] else set()), c
    assert set(a) == {"slot", "section", "points", "view", "answer", "seq", "flagged"}, a
assert {a["slot"]: a["answer"] for a in api if a["answer"]} == {text: {"text": "1"},
                                                               other: answer}
assert [a["flagged"] for a in api] == [False, True] + [False] * 6
PY
    serve_stop
}

t_saves_are_idempotent_and_a_stale_page_never_overwrites() {
    open_now s1 DEMO-CS
    serve_start
    start_attempt a C001 "$CODE1"
    slot_with text
    req PUT "/api/attempts/$ID/answers/$SLOT" '{"response":{"text":"1"},"key":"first","base":0}'
    expect_status 200
    seq=$(jq 'b["seq"]')
    # the same save retried (its reply was lost): acknowledged once
    req PUT "/api/attempts/$ID/answers/$SLOT" '{"response":{"text":"1"},"key":"first","base":0}'
    expect_status 200
    [ "$(jq 'b["seq"]')" = "$seq" ] || fail "a retried save got a new seq: $BODY"
    # another tab saves a newer answer
    req PUT "/api/attempts/$ID/answers/$SLOT" "{\"response\":{\"text\":\"2\"},\"key\":\"tab2\",\"base\":$seq}"
    expect_status 200
    # the stale first tab, still on base $seq's predecessor, is refused and told
    req PUT "/api/attempts/$ID/answers/$SLOT" '{"response":{"text":"3"},"key":"stale","base":0}'
    expect_status 409
    [ "$(jq '[b["error"], b["answer"]]')" = '["conflict", {"text": "2"}]' ] || fail "conflict: $BODY"
    [ "$(sqlite3 exam.db "SELECT count(*) FROM answers WHERE attempt_id = $ID")" = 2 ] ||
        fail "saves stored: $(sqlite3 exam.db 'SELECT * FROM answers')"
    req GET "/api/attempts/$ID"
    [ "$(jq "b['questions'][$SLOT]['answer']")" = '{"text": "2"}' ] || fail "latest: $BODY"
    serve_stop
}

t_concurrent_saves_are_each_acknowledged_after_commit() {
    open_now s1 DEMO-CS
    serve_start --threads 4
    start_attempt a C001 "$CODE1"
    id1=$ID
    start_attempt b C002 "$CODE2"
    id2=$ID
    # 60 saves from two candidates at once, 20 in flight at a time
    for i in $(seq 1 60); do
        jar=a id=$id1
        [ $((i % 2)) = 0 ] && jar=b id=$id2
        echo "$jar $id $i"
    done | xargs -P 20 -n 3 sh -c 'curl -s -o "ack.$2" -w "%{http_code}" -X PUT -b "$0" \
        -H "Content-Type: application/json" -H "X-CSRF-Token: $(cat "$0.csrf")" \
        --data-binary "{\"response\":{\"text\":\"save $2\"},\"key\":\"c$2\"}" \
        "'"$URL"'/api/attempts/$1/answers/7" >"code.$2"'
    for i in $(seq 1 60); do
        [ "$(cat "code.$i")" = 200 ] || fail "save $i: HTTP $(cat "code.$i") $(cat "ack.$i")"
        seq=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seq"])' "ack.$i")
        [ "$(sqlite3 exam.db "SELECT response FROM answers WHERE seq = $seq")" = "{\"text\":\"save $i\"}" ] ||
            fail "save $i acknowledged as $seq, which holds something else"
    done
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM answers')" = 60 ] || fail "not 60 saves"
    serve_stop
}

# Starts pressed at once go through the writer's group commit: every press
# is answered after its commit, each candidate gets one attempt however many
# times they press (the later presses resume it), and the audit log names
# the candidate who started.
t_simultaneous_starts_each_make_one_attempt() {
    open_now s1 DEMO-CS
    run sitting prepare s1
    serve_start --threads 4 --prepare-ahead 0
    login_candidate a C001 "$CODE1"
    login_candidate b C002 "$CODE2"
    login_candidate c C003 "$CODE3"
    for i in $(seq 1 12); do
        echo "$(printf 'a\nb\nc' | sed -n "$((i % 3 + 1))p") $i"
    done | xargs -P 12 -n 2 sh -c 'curl -s -o "start.$1" -w "%{http_code}" -X POST -b "$0" \
        -H "Content-Type: application/json" -H "X-CSRF-Token: $(cat "$0.csrf")" \
        --data-binary "{}" "'"$URL"'/api/attempts" >"code.$1"'
    for i in $(seq 1 12); do
        [ "$(cat "code.$i")" = 200 ] || fail "start $i: HTTP $(cat "code.$i") $(cat "start.$i")"
    done
    [ "$(sqlite3 exam.db 'SELECT count(*), count(DISTINCT candidate_id) FROM attempts')" = "3|3" ] ||
        fail "attempts: $(sqlite3 exam.db 'SELECT id, candidate_id FROM attempts')"
    [ "$(cat start.* | python3 -c 'import json, sys
starts = [json.loads(l) for l in sys.stdin.read().replace("}{", "}\n{").splitlines()]
print(len({s["attempt"] for s in starts}), sum(not s["resumed"] for s in starts))')" = "3 3" ] ||
        fail "replies: $(cat start.*)"
    [ "$(sqlite3 exam.db "SELECT group_concat(actor, ' ') FROM (SELECT actor FROM audit
                          WHERE action = 'attempt.start' ORDER BY actor)")" = \
      "candidate:C001 candidate:C002 candidate:C003" ] || fail "audit: $(sqlite3 exam.db 'SELECT actor, action FROM audit')"
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM drawn_forms')" = 0 ] || fail "forms drawn ahead left"
    serve_stop
}

t_a_restart_keeps_answers_sessions_and_time_left() {
    open_now s1 DEMO-CS
    serve_start
    start_attempt a C001 "$CODE1"
    slot_with text
    req PUT "/api/attempts/$ID/answers/$SLOT" '{"response":{"text":"3"},"key":"before"}'
    expect_status 200
    req GET "/api/attempts/$ID/status"
    deadline=$(jq 'b["deadline"]')
    serve_kill
    serve_start
    # the same cookie goes on working; the answer and the deadline are kept
    req GET "/api/attempts/$ID"
    expect_status 200
    [ "$(jq "[b['state'], b['deadline'], b['questions'][$SLOT]['answer']]")" = \
      "[\"running\", $deadline, {\"text\": \"3\"}]" ] || fail "after the restart: $BODY"
    [ "$(jq '0 < b["time_left_ms"] <= 30 * 60000')" = true ] || fail "time left: $BODY"
    req PUT "/api/attempts/$ID/answers/$SLOT" '{"response":{"text":"4"},"key":"after"}'
    expect_status 200
    serve_stop
}

t_proctor_actions_reach_the_candidate_and_the_audit_log() {
    open_now s1 DEMO-CS
    add_proctor
    serve_start
    start_attempt a C001 "$CODE1"
    req GET "/api/attempts/$ID/status"
    deadline=$(jq 'b["deadline"]')
    login_proctor p
    req POST "/api/proctor/attempts/$ID/extend" '{"minutes":7}'
    expect_status 200
    [ "$(jq 'b["deadline"]')" = $((deadline + 420000)) ] || fail "extend: $BODY"
    req POST "/api/proctor/attempts/$ID/pause" '{}'
    expect_status 200
    as a
    req GET "/api/attempts/$ID/status"
    [ "$(jq '[b["state"], b["deadline"]]')" = "[\"paused\", $((deadline + 420000))]" ] ||
        fail "the candidate does not see the pause: $BODY"
    req PUT "/api/attempts/$ID/answers/0" '{"response":{"choice":1}}'
    expect_status 409
    [ "$(jq 'b["error"]')" = paused ] || fail "save while paused: $BODY"
    req POST "/api/attempts/$ID/submit" '{}'
    expect_status 409
    as p
    req POST "/api/proctor/attempts/$ID/resume" '{}'
    expect_status 200
    req POST "/api/proctor/attempts/$ID/notes" '{"text":"考生身体不适，暂停 1 分钟"}'
    expect_status 200
    req GET /api/sittings/s1
    expect_status 200
    [ "$(jq '[(r["number"], r["state"]) for r in b["rows"]]')" = \
      '[["C001", "running"], ["C002", "not_started"], ["C003", "not_started"]]' ] || fail "live: $BODY"
    [ "$(jq 'b["notes"][0]["text"] + " " + b["notes"][0]["author"]')" = "考生身体不适，暂停 1 分钟 proctor:alice" ] ||
        fail "notes: $BODY"
    req POST "/api/proctor/attempts/$ID/submit" '{}'
    expect_status 200
    as a
    req GET "/api/attempts/$ID/status"
    [ "$(jq '[b["state"], b["finish_reason"]]')" = '["finished", "forced"]' ] || fail "forced: $BODY"
    [ "$(sqlite3 exam.db "SELECT group_concat(actor || ' ' || action, ', ') FROM audit WHERE attempt_id = $ID")" = \
      "candidate:C001 attempt.start, proctor:alice attempt.extend, proctor:alice attempt.pause, proctor:alice attempt.resume, proctor:alice attempt.note, proctor:alice attempt.finish" ] ||
        fail "audit: $(sqlite3 exam.db 'SELECT actor, action FROM audit')"
    as p
    req POST "/api/proctor/attempts/$ID/extend" '{"minutes":7}'
    expect_status 409
    req POST "/api/proctor/attempts/$ID/extend" '{"minutes":0}'
    expect_status 400
    serve_stop
}

t_the_server_finishes_an_attempt_at_its_deadline() {
    quick_cert 3s
    open_now s1 QUICK
    serve_start
    start_attempt a C001 "$CODE1"
    slot_with text
    req PUT "/api/attempts/$ID/answers/$SLOT" '{"response":{"text":"1"}}'
    expect_status 200
    # nobody submits: the server's sweep finishes it after deadline + grace (1 s)
    for i in $(seq 50); do
        req GET "/api/attempts/$ID/status"
        [ "$(jq 'b["state"]')" = finished ] && break
        sleep 0.2
    done
    [ "$(jq '[b["state"], b["finish_reason"], b["time_left_ms"]]')" = '["finished", "deadline", 0]' ] ||
        fail "at the deadline: $BODY"
    req PUT "/api/attempts/$ID/answers/1" '{"response":{"choice":1}}'
    expect_status 409
    [ "$(jq 'b["error"]')" = ended ] || fail "late save: $BODY"
    [ "$(sqlite3 exam.db "SELECT finished_at = deadline_at, actor FROM attempts JOIN audit ON attempt_id = attempts.id WHERE action = 'attempt.finish'")" = "1|server" ] ||
        fail "finish: $(sqlite3 exam.db 'SELECT * FROM attempts')"
    serve_stop
}

t_a_submit_in_the_grace_is_recorded_at_the_deadline() {
    quick_cert 2s
    sed -i 's/grace = "1s"/grace = "20s"/' scripts/quick.lua
    open_now s1 QUICK
    serve_start
    start_attempt a C001 "$CODE1"
    slot_with text
    sleep 2.5
    req PUT "/api/attempts/$ID/answers/$SLOT" '{"response":{"text":"1"}}'
    expect_status 200
    req POST "/api/attempts/$ID/submit" '{}'
    expect_status 200
    [ "$(jq '[b["finish_reason"], b["deadline"] == b["server_now"] or b["time_left_ms"] == 0]')" = \
      '["deadline", true]' ] || fail "submit in the grace: $BODY"
    [ "$(sqlite3 exam.db 'SELECT finished_at = deadline_at FROM attempts')" = 1 ] ||
        fail "not finished at the deadline"
    serve_stop
}
