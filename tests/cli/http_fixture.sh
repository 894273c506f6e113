# Shared set-up for the HTTP tests (tests/cli/test_http_*.sh): a sitting
# open now on the real clock, a server the test starts on a free loopback
# port and stops, and curl helpers.
#   open_now NAME CERT [OPENS_IN_S]   creates and opens sitting NAME (window
#                                     from now + OPENS_IN_S to two hours on),
#                                     enrolls C001..C003; CODE1..CODE3
#   add_proctor                       adds proctor alice (password PROCTOR_PW)
#   serve_start [OPTIONS...]          starts kaoshi serve; URL is its address
#   serve_stop                        SIGTERM; the server must exit 0, clean
#   serve_kill                        SIGKILL (a crash)
#   as JAR                            later requests use cookie jar JAR
#   req METHOD PATH [BODY [HEADER...]] one request with the jar's cookies and
#                                     CSRF token; sets ST (status), BODY, HDRS
#   login_candidate JAR NUMBER CODE   logs in and keeps the CSRF token
#   login_proctor JAR                 logs alice in
#   jq EXPR                           evaluates a Python expression on the
#                                     last BODY parsed as `b`
#   expect_status N                   the last status was N
#   slot_with WIDGET                  SLOT: the first question of attempt ID
#                                     (0-based) whose view is of that widget
#   essay_submitted CERT              open_now s1 CERT, add_proctor, serve_start;
#                                     C001 (jar a) answers only the essay and
#                                     submits (attempt ID); alice (jar p) closes s1

export KAOSHI_DB=exam.db
PROCTOR_PW='correct horse battery'

utc() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }

open_now() {
    local opens_in=${3:-0}
    run sitting create "$1" --cert "$2" --opens "$(utc "@$(($(date +%s) + opens_in - 60))")" \
        --closes "$(utc '+2 hours')"
    expect_rc 0
    run sitting open "$1"
    expect_rc 0
    printf 'number,name\nC001,张三\nC002,李四\nC003,王五\n' >roster.csv
    run enroll "$1" roster.csv
    expect_rc 0
    CODE1=$(sed -n 's/^C001,张三,//p' .out)
    CODE2=$(sed -n 's/^C002,李四,//p' .out)
    CODE3=$(sed -n 's/^C003,王五,//p' .out)
}

add_proctor() {
    run proctor add alice <<<"$PROCTOR_PW"
    expect_rc 0
}

serve_start() {
    "$KAOSHI" serve --port 0 "$@" >serve.out 2>serve.err &
    SERVER_PID=$!
    trap serve_kill EXIT
    local i
    for i in $(seq 100); do
        URL=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' serve.out)
        [ -n "$URL" ] && return 0
        sleep 0.1
    done
    fail "the server did not start: $(cat serve.err)"
    return 1
}

# our_child PID: PID is still a child of this shell. Suites run in parallel
# and PIDs are reused, so a PID whose process has ended may now name another
# suite's server: never signal one without this check.
our_child() {
    [ "$(awk '{print $4}' "/proc/$1/stat" 2>/dev/null)" = "$BASHPID" ]
}

serve_stop() {
    [ -n "${SERVER_PID:-}" ] || return 0
    if ! our_child "$SERVER_PID"; then
        fail "the server had died before the test stopped it: $(tail -30 serve.err)"
        SERVER_PID=
        trap - EXIT
        return 1
    fi
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID"
    local rc=$?
    SERVER_PID=
    trap - EXIT
    [ "$rc" = 0 ] || fail "the server exited $rc after SIGTERM: $(cat serve.err)"
    if grep -q 'Sanitizer' serve.err; then fail "sanitizer report: $(cat serve.err)"; fi
}

serve_kill() {
    [ -n "${SERVER_PID:-}" ] || return 0
    our_child "$SERVER_PID" && kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=
    trap - EXIT
}

JAR=jar.default
as() { JAR=$1; }

csrf_of() { cat "$1.csrf" 2>/dev/null; }

req() {
    local method=$1 path=$2 body=${3-} args=()
    shift 3 2>/dev/null || shift $#
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
    [ -n "$(csrf_of "$JAR")" ] && args+=(-H "X-CSRF-Token: $(csrf_of "$JAR")")
    for h in "$@"; do args+=(-H "$h"); done
    ST=$(curl -s -o .body -D .headers -w '%{http_code}' -X "$method" -b "$JAR" -c "$JAR" \
         "${args[@]}" "$URL$path")
    BODY=$(cat .body)
    HDRS=$(tr -d '\r' <.headers)
}

jq() {
    python3 -c 'import json,sys
b = json.load(open(".body"))
v = eval(sys.argv[1])
print(json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)' "$1"
}

expect_status() {
    [ "$ST" = "$1" ] || fail "HTTP status $ST, expected $1; body: $BODY"
}

login_candidate() {
    as "$1"
    req POST /api/login "{\"sitting\":\"${SITTING:-s1}\",\"number\":\"$2\",\"code\":\"$3\"}"
    expect_status 200
    jq 'b["csrf"]' >"$1.csrf"
}

login_proctor() {
    as "$1"
    req POST /api/proctor/login "{\"name\":\"alice\",\"password\":\"$PROCTOR_PW\"}"
    expect_status 200
    jq 'b["csrf"]' >"$1.csrf"
}

slot_with() {
    req GET "/api/attempts/$ID"
    expect_status 200
    SLOT=$(jq "next(q['slot'] for q in b['questions'] if q['view']['widget'] == '$1')")
}

essay_submitted() {
    open_now s1 "$1"
    add_proctor
    serve_start
    login_candidate a C001 "$CODE1"
    req POST /api/attempts '{}'
    ID=$(jq 'b["attempt"]')
    req PUT "/api/attempts/$ID/answers/7" '{"response":{"text":"答案"}}'
    expect_status 200
    req POST "/api/attempts/$ID/submit" '{}'
    expect_status 200
    login_proctor p
    req POST /api/sittings/s1/close '{}'
    expect_status 200
}
