# Chaos: a kill -9 storm. 100 simulated candidates (tests/cli/chaos_candidates.py,
# one Python process, a thread each) log in, start their attempts and save
# answers with idempotency keys over HTTP, retrying through restarts, while
# the server is killed with SIGKILL at random moments (each time after a
# random number of acknowledged saves since it started) and started again on
# the same database, on a new port the candidates read from a file. After
# the storm every acknowledged save must be in the database with its seq and
# response, the database must be intact, and every candidate carries on:
# the same deadline, time left, a save that succeeds.
. "$ROOT/tests/cli/http_fixture.sh"

CHAOS=$ROOT/tests/cli/chaos_candidates.py
KILLS=${CHAOS_KILLS:-24}
CANDIDATES=${CHAOS_CANDIDATES:-100}

# enroll_many N: enrolls K001..KN in sitting s1; their codes in codes.csv
enroll_many() {
    { echo number,name; for i in $(seq -w 1 "$1"); do echo "K$i,考生$i"; done; } >many.csv
    "$KAOSHI" enroll s1 many.csv >codes.csv 2>.err || fail "enroll: $(cat .err)"
}

# life N: starts server life N on a free port and publishes its address in url
life() {
    "$KAOSHI" serve --port 0 --per-ip 0 >"serve.out.$1" 2>"serve.err.$1" &
    SERVER_PID=$!
    local until=$((SECONDS + 20))
    while [ $SECONDS -lt $until ]; do
        URL=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "serve.out.$1" 2>/dev/null)
        if [ -n "$URL" ]; then
            echo "$URL" >url.tmp && mv url.tmp url
            return 0
        fi
        our_child "$SERVER_PID" || break
        sleep 0.05
    done
    fail "server life $1 did not start: $(cat "serve.err.$1")"
    return 1
}

# stop_life N: SIGTERM; the server must exit 0
stop_life() {
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID"
    local rc=$?
    SERVER_PID=
    [ "$rc" = 0 ] || fail "server life $1 exited $rc after SIGTERM: $(cat "serve.err.$1")"
}

acks() { [ -e out/acks.jsonl ] && wc -l <out/acks.jsonl || echo 0; }

cleanup() {
    [ -n "${SERVER_PID:-}" ] && our_child "$SERVER_PID" && kill -KILL "$SERVER_PID"
    [ -n "${DRIVER_PID:-}" ] && our_child "$DRIVER_PID" && kill -KILL "$DRIVER_PID"
    wait 2>/dev/null
}

t_kill_9_storm_loses_no_acknowledged_save_and_candidates_carry_on() {
    local t0=$SECONDS
    open_now s1 DEMO-CS
    enroll_many "$CANDIDATES"
    [ "$(($(wc -l <codes.csv) - 1))" = "$CANDIDATES" ] || { fail "no codes: $(cat codes.csv)"; return; }
    trap cleanup EXIT
    mkdir out
    life 0 || return
    python3 "$CHAOS" run --url-file url --codes codes.csv --out out --stop stop \
        --ceiling 120 2>driver.err &
    DRIVER_PID=$!
    # the storm: each life ends with kill -9 once it has acknowledged a random
    # number of saves since it started (so that kills land while saves are in
    # flight) and a random few milliseconds more; a life that acknowledges
    # nothing in 30 s fails the test, and so does a storm over 150 s
    local kills=0 n before target until
    for n in $(seq 1 "$KILLS"); do
        before=$(acks)
        target=$((before + 1 + RANDOM % 150))
        until=$((SECONDS + 30))
        while [ "$(acks)" -lt "$target" ] && [ $SECONDS -lt $until ]; do
            our_child "$DRIVER_PID" || break
            sleep 0.05
        done
        if [ "$(acks)" -le "$before" ]; then
            fail "server life $((n - 1)) acknowledged no save: $(cat driver.err "serve.err.$((n - 1))")"
            return
        fi
        if ! our_child "$SERVER_PID"; then
            fail "server life $((n - 1)) died before its kill: $(cat "serve.err.$((n - 1))")"
            return
        fi
        [ $((SECONDS - t0)) -lt 150 ] || { fail "the storm is still going after 150 s"; return; }
        sleep "0.0$((RANDOM % 10))"
        our_child "$SERVER_PID" && kill -KILL "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null
        kills=$((kills + 1))
        life "$n" || return
    done
    local storm_acks
    storm_acks=$(acks)
    # after the storm: the candidates check their clocks and save once more
    touch stop
    wait "$DRIVER_PID"
    local driver_rc=$?
    DRIVER_PID=
    [ "$driver_rc" = 0 ] || fail "the candidates did not all go through: $(cat driver.err)"
    stop_life "$kills"
    trap - EXIT
    grep -l 'Sanitizer\|runtime error' serve.err.* >/dev/null 2>&1 &&
        fail "sanitizer report: $(cat serve.err.*)"
    python3 "$CHAOS" verify --db exam.db --out out 2>verify.err || fail "$(cat verify.err)"
    [ "$(sqlite3 exam.db 'PRAGMA integrity_check')" = ok ] || fail "database damaged"
    [ "$kills" -ge 20 ] || fail "only $kills kills"
    local attempts
    attempts=$(sqlite3 exam.db "SELECT count(*), count(DISTINCT candidate_id), sum(state = 0) FROM attempts")
    [ "$attempts" = "$CANDIDATES|$CANDIDATES|$CANDIDATES" ] ||
        fail "attempts (all, candidates, running): $attempts; expected one running per candidate"
    echo "  (kill -9 storm: $kills kills, $CANDIDATES candidates, $storm_acks saves acknowledged" \
         "during the storm, $(acks) in all; $(cat verify.err | head -1); $((SECONDS - t0)) s)" >&2
    cat driver.err >&2
}
