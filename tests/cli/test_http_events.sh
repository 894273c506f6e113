# Pushed events (long polls) through the real server: a candidate's poll
# hears of a pause made by the CLI (another process) or the proctor API, of
# extensions, resumes and the end; a proctor's poll hears of everything in
# the sitting, notes included, which a candidate's never does; waiting polls
# hold no worker thread and are capped, and a candidate's newer poll answers
# its older one at once; an idle poll ends after
# --events-wait; a stopping server answers the waiting ones 503.

. "$ROOT/tests/cli/http_fixture.sh"

start_attempt() { # JAR NUMBER CODE: logs in and starts; ID is the attempt
    login_candidate "$1" "$2" "$3"
    req POST /api/attempts '{}'
    expect_status 200
    ID=$(jq 'b["attempt"]')
}

newest_audit_id() { sqlite3 exam.db 'SELECT max(id) FROM audit'; }

# poll NAME PATH: a long poll in the background with the jar's cookies; its
# status goes to NAME.st, its body to NAME.json, and NAME.done appears when
# it has ended. curl's --max-time only guards against a poll never answered.
declare -A POLL_PIDS
poll() {
    (curl -s -o "$1.json" -w '%{http_code}' --max-time 120 -b "$JAR" "$URL$2" >"$1.st"
     touch "$1.done") &
    POLL_PIDS[$1]=$!
}

# poll_wait NAME: waits for the poll to end; ST and BODY are its reply (and
# jq reads it).
poll_wait() {
    wait "${POLL_PIDS[$1]}"
    ST=$(cat "$1.st")
    cp "$1.json" .body
    BODY=$(cat .body)
}

# polls_ended N: waits until N polls have ended (guarded: 2 minutes).
polls_ended() {
    local i
    for i in $(seq 2400); do
        [ "$(find . -maxdepth 1 -name '*.done' | wc -l)" -ge "$1" ] && return 0
        sleep 0.05
    done
    fail "only $(find . -maxdepth 1 -name '*.done' | wc -l) polls of $1 ended"
}

# cursor: the cursor a poll without `after` gives now (CURSOR), checked
# against the audit log.
cursor() {
    req GET "$1"
    expect_status 200
    CURSOR=$(jq 'b["cursor"]')
    [ "$CURSOR" = "$(newest_audit_id)" ] || fail "cursor $CURSOR, newest audit id $(newest_audit_id)"
    [ "$(jq 'b["events"]')" = '[]' ] || fail "events without after: $BODY"
}

# expect_event JSON: the poll's reply holds exactly this one event (its id,
# time and paused_ms left out), its cursor is that event's id or newer, and
# its status is what GET /api/attempts/ID/status says now (but for the
# clock's now): that reply is then the last one.
expect_event() {
    expect_status 200
    [ "$(jq '[{k: v for k, v in e.items() if k not in ("id", "at", "paused_ms")} for e in b["events"]]')" = "[$1]" ] ||
        fail "events: $BODY"
    [ "$(jq 'b["events"][0]["id"] > '"$CURSOR"' and b["cursor"] >= b["events"][0]["id"]')" = true ] ||
        fail "ids: $BODY (after $CURSOR)"
    CURSOR=$(jq 'b["cursor"]')
    local status
    status=$(jq '{k: v for k, v in b["status"].items() if k not in ("server_now", "time_left_ms")}')
    req GET "/api/attempts/$ID/status"
    [ "$status" = "$(jq '{k: v for k, v in b.items() if k not in ("server_now", "time_left_ms")}')" ] ||
        fail "status $status, GET /status $BODY"
}

t_each_proctor_action_reaches_a_waiting_poll() {
    open_now s1 DEMO-CS
    add_proctor
    serve_start
    login_proctor p
    start_attempt a C001 "$CODE1"
    cursor "/api/attempts/$ID/events"
    [ "$(jq 'b["status"]["state"]')" = running ] || fail "status: $BODY"
    # by the CLI, another process
    poll pause1 "/api/attempts/$ID/events?after=$CURSOR"
    run proctor pause "$ID"
    expect_rc 0
    poll_wait pause1
    expect_event '{"action": "pause"}'
    [ "$(jq 'b["state"]')" = paused ] || fail "status after the pause: $BODY"
    # by the proctor API
    poll extend "/api/attempts/$ID/events?after=$CURSOR"
    as p
    req POST "/api/proctor/attempts/$ID/extend" '{"minutes":5}'
    expect_status 200
    deadline=$(jq 'b["deadline"]')
    as a
    poll_wait extend
    expect_event "{\"action\": \"extend\", \"extra_ms\": 300000, \"deadline\": $deadline}"
    poll resume "/api/attempts/$ID/events?after=$CURSOR"
    as p
    req POST "/api/proctor/attempts/$ID/resume" '{}'
    expect_status 200
    as a
    poll_wait resume
    [ "$(jq 'type(b["events"][0]["paused_ms"]) is int and b["events"][0]["paused_ms"] >= 0')" = true ] ||
        fail "paused_ms: $BODY"
    expect_event '{"action": "resume"}'
    [ "$(jq 'b["state"]')" = running ] || fail "status after the resume: $BODY"
    poll pause2 "/api/attempts/$ID/events?after=$CURSOR"
    as p
    req POST "/api/proctor/attempts/$ID/pause" '{}'
    expect_status 200
    as a
    poll_wait pause2
    expect_event '{"action": "pause"}'
    poll forced "/api/attempts/$ID/events?after=$CURSOR"
    as p
    req POST "/api/proctor/attempts/$ID/submit" '{}'
    expect_status 200
    as a
    poll_wait forced
    expect_event '{"action": "finish", "reason": "forced"}'
    [ "$(jq '[b["state"], b["finish_reason"]]')" = '["finished", "forced"]' ] || fail "status: $BODY"
    poll closed "/api/attempts/$ID/events?after=$CURSOR"
    as p
    req POST /api/sittings/s1/close '{}'
    expect_status 200
    as a
    poll_wait closed
    expect_event '{"action": "finish", "reason": "closed"}'
    serve_stop
}

t_a_poll_after_missed_events_gets_them_at_once_oldest_first() {
    open_now s1 DEMO-CS
    add_proctor
    serve_start
    start_attempt a C001 "$CODE1"
    cursor "/api/attempts/$ID/events"
    run proctor pause "$ID"
    run proctor resume "$ID"
    run proctor extend "$ID" 10m
    req GET "/api/attempts/$ID/events?after=$CURSOR"
    expect_status 200
    [ "$(jq '[e["action"] for e in b["events"]]')" = '["pause", "resume", "extend"]' ] ||
        fail "events: $BODY"
    [ "$(jq 'b["cursor"]')" = "$(newest_audit_id)" ] || fail "cursor: $BODY"
    serve_stop
}

t_a_poll_without_after_answers_at_once_and_a_bad_after_is_refused() {
    open_now s1 DEMO-CS
    add_proctor
    serve_start
    start_attempt a C001 "$CODE1"
    cursor "/api/attempts/$ID/events"
    [ "$(jq 'sorted(b.keys())')" = '["cursor", "events", "status"]' ] || fail "keys: $BODY"
    cursor "/api/attempts/$ID/events?after="
    login_proctor p
    cursor /api/sittings/s1/events
    [ "$(jq 'sorted(b.keys())')" = '["cursor", "events"]' ] || fail "keys: $BODY"
    for bad in -1 01 1.5 x '1%20' 99999999999999999999; do
        for path in "/api/attempts/$ID/events" /api/sittings/s1/events; do
            [ "$path" = /api/sittings/s1/events ] && as p || as a
            req GET "$path?after=$bad"
            expect_status 400
            [ "$BODY" = '{"error":"invalid","message":"after 须为不带符号、不以 0 开头的整数"}' ] ||
                fail "after=$bad: $BODY"
        done
    done
    # another candidate's attempt is refused exactly as its status is
    login_candidate b C002 "$CODE2"
    req GET "/api/attempts/$ID/status"
    refusal="$ST $BODY"
    req GET "/api/attempts/$ID/events?after=0"
    [ "$ST $BODY" = "$refusal" ] || fail "another's attempt: $ST $BODY, the status: $refusal"
    [ "$ST" = 404 ] || fail "another's attempt: $ST"
    # and a proctor's route wants a proctor, a candidate's a candidate
    req GET /api/sittings/s1/events
    expect_status 401
    as p
    req GET "/api/attempts/$ID/events"
    expect_status 401
    req GET /api/sittings/nosuch/events
    expect_status 404
    serve_stop
}

t_the_proctor_stream_has_notes_a_candidate_stream_only_its_own_attempt() {
    open_now s1 DEMO-CS
    add_proctor
    serve_start --events-wait 1
    start_attempt b C002 "$CODE2"
    OTHER=$ID
    start_attempt a C001 "$CODE1"
    cursor "/api/attempts/$ID/events"
    login_proctor p
    req POST "/api/proctor/attempts/$ID/notes" '{"text":"考生离开座位"}'
    expect_status 200
    req POST "/api/proctor/attempts/$OTHER/pause" '{}'
    expect_status 200
    # neither the note nor another attempt's pause: the wait ends with none
    as a
    req GET "/api/attempts/$ID/events?after=$CURSOR"
    expect_status 200
    [ "$(jq '[b["events"], b["cursor"]]')" = "[[], $(newest_audit_id)]" ] || fail "idle: $BODY"
    as p
    req POST "/api/proctor/attempts/$ID/pause" '{}'
    expect_status 200
    as a
    req GET "/api/attempts/$ID/events?after=$CURSOR"
    expect_status 200
    [ "$(jq '[(e["action"], e["id"]) for e in b["events"]]')" = "[[\"pause\", $(newest_audit_id)]]" ] ||
        fail "candidate: $BODY"
    as p
    req GET "/api/sittings/s1/events?after=$CURSOR"
    expect_status 200
    [ "$(jq '[{k: v for k, v in e.items() if k not in ("id", "at")} for e in b["events"]]')" = \
      "[{\"actor\": \"proctor:alice\", \"action\": \"attempt.note\", \"attempt\": $ID, \"candidate\": \"C001\", \"detail\": {\"text\": \"考生离开座位\"}}, {\"actor\": \"proctor:alice\", \"action\": \"attempt.pause\", \"attempt\": $OTHER, \"candidate\": \"C002\", \"detail\": {\"left_ms\": $(jq 'b["events"][1]["detail"]["left_ms"]')}}, {\"actor\": \"proctor:alice\", \"action\": \"attempt.pause\", \"attempt\": $ID, \"candidate\": \"C001\", \"detail\": {\"left_ms\": $(jq 'b["events"][2]["detail"]["left_ms"]')}}]" ] ||
        fail "proctor: $BODY"
    [ "$(jq '[e["id"] for e in b["events"]] == sorted(e["id"] for e in b["events"]) and b["cursor"] == b["events"][-1]["id"]')" = true ] ||
        fail "order: $BODY"
    # the sitting's own entries have no attempt
    CURSOR=$(jq 'b["cursor"]')
    poll closing "/api/sittings/s1/events?after=$CURSOR"
    req POST /api/sittings/s1/close '{}'
    expect_status 200
    poll_wait closing
    expect_status 200
    [ "$(jq '[(e["action"], e["attempt"], e["candidate"], e["detail"]) for e in b["events"]][-1]')" = \
      '["sitting.close", null, null, {}]' ] || fail "close: $BODY"
    serve_stop
}

t_an_idle_poll_ends_after_the_wait_with_no_events() {
    open_now s1 DEMO-CS
    add_proctor
    serve_start --events-wait 1
    start_attempt a C001 "$CODE1"
    cursor "/api/attempts/$ID/events"
    req GET "/api/attempts/$ID/events?after=$CURSOR"
    expect_status 200
    [ "$(jq '[b["cursor"], b["events"], b["status"]["state"]]')" = "[$CURSOR, [], \"running\"]" ] ||
        fail "candidate: $BODY"
    login_proctor p
    req GET "/api/sittings/s1/events?after=$CURSOR"
    expect_status 200
    [ "$(jq '[b["cursor"], b["events"]]')" = "[$(newest_audit_id), []]" ] || fail "proctor: $BODY"
    serve_stop
}

t_waiting_polls_hold_no_thread_and_past_the_cap_are_answered_at_once() {
    open_now s1 DEMO-CS
    add_proctor
    # one worker thread; 64 connections, so at most 32 polls wait
    serve_start --threads 1 --max-connections 64
    start_attempt a C001 "$CODE1"
    slot_with text
    cursor "/api/attempts/$ID/events"
    login_proctor p
    for i in $(seq 40); do
        poll "p$i" "/api/sittings/s1/events?after=$CURSOR"
    done
    # the 8 past the cap end at once; then 32 wait
    polls_ended 8
    # and the thread still serves a save and a status
    as a
    req PUT "/api/attempts/$ID/answers/$SLOT" '{"response":{"text":"1"}}'
    expect_status 200
    req GET "/api/attempts/$ID/status"
    expect_status 200
    # one pause ends every waiting poll
    run proctor pause "$ID"
    expect_rc 0
    refused=0 paused=0
    for i in $(seq 40); do
        poll_wait "p$i"
        expect_status 200
        case $(jq '[b["events"], b["cursor"], b.get("retry_ms")]') in
        "[[], $CURSOR, 2000]") refused=$((refused + 1)) ;;
        *) [ "$(jq '[e["action"] for e in b["events"]]')" = '["attempt.pause"]' ] &&
               paused=$((paused + 1)) ;;
        esac
    done
    [ "$refused $paused" = "8 32" ] || fail "refused $refused and paused $paused, expected 8 and 32"
    serve_stop
}

t_a_newer_poll_of_the_same_attempt_answers_the_older_at_once() {
    open_now s1 DEMO-CS
    add_proctor
    serve_start
    start_attempt a C001 "$CODE1"
    cursor "/api/attempts/$ID/events"
    # two polls of one attempt (a reload, a second tab): whichever came
    # first ends at once and may come again in 2 s; the other waits
    poll one "/api/attempts/$ID/events?after=$CURSOR"
    poll two "/api/attempts/$ID/events?after=$CURSOR"
    polls_ended 1
    older=one newer=two
    [ -e two.done ] && older=two newer=one
    poll_wait $older
    expect_status 200
    [ "$(jq '[b["cursor"], b["events"], b.get("retry_ms")]')" = "[$CURSOR, [], 2000]" ] ||
        fail "the older poll: $BODY"
    [ -e $newer.done ] && fail "the newer poll ended with the older"
    run proctor pause "$ID"
    expect_rc 0
    poll_wait $newer
    expect_status 200
    [ "$(jq '[e["action"] for e in b["events"]]')" = '["pause"]' ] || fail "the newer poll: $BODY"
    serve_stop
}

t_a_stopping_server_answers_waiting_polls_503() {
    open_now s1 DEMO-CS
    add_proctor
    # 10 connections: at most 5 polls wait
    serve_start --max-connections 10
    start_attempt a C001 "$CODE1"
    cursor "/api/attempts/$ID/events"
    poll candidate "/api/attempts/$ID/events?after=$CURSOR"
    login_proctor p
    for i in $(seq 5); do
        poll "p$i" "/api/sittings/s1/events?after=$CURSOR"
    done
    polls_ended 1 # past the cap: the other 5 wait
    serve_stop
    stopped=0
    for name in candidate p1 p2 p3 p4 p5; do
        poll_wait "$name"
        [ "$ST $BODY" = '503 {"error":"unavailable","message":"服务器正在停止，请稍后重试"}' ] &&
            stopped=$((stopped + 1))
    done
    [ "$stopped" = 5 ] || fail "$stopped polls of 5 were answered 503"
}

t_events_wait_is_checked() {
    run serve --events-wait 0
    expect_rc 2
    expect_err_has "kaoshi serve: --events-wait: expected a whole number from 1 to 25, found '0'"
    run serve --events-wait 26
    expect_rc 2
    expect_err_has "kaoshi serve: --events-wait: expected a whole number from 1 to 25, found '26'"
    run serve --help
    expect_out_has "--events-wait S"
}
