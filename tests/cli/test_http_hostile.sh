# Requests and connection patterns meant to stall the server, at its default
# settings: bodies over the limit (declared, of unknown length, stalled), a thousand
# half-open connections from one address, numbers in paths spelled twice, a
# client address claimed in X-Forwarded-For. Every bound in time here is a
# generous ceiling that only a stalled server can miss; what each test proves
# is in what was or was not sent before the reply.

. "$ROOT/tests/cli/http_fixture.sh"

# hostile SCRIPT: runs the Python SCRIPT with the server's host and port
hostile() {
    python3 - "${URL#http://}" "$@"
}

# reply_before_body HEADER STATUS ERROR: a PUT with HEADER and no body byte at
# all gets STATUS with ERROR: only a reply made before the body can come
reply_before_body() {
    hostile "$@" <<'PY' || fail "no early $2 to $1"
import socket, sys
host, port = sys.argv[1].split(":")
header, status, error = sys.argv[2:5]
s = socket.create_connection((host, int(port)))
s.sendall(b"PUT /api/attempts/1/answers/1 HTTP/1.1\r\nHost: x\r\n"
          b"Content-Type: application/json\r\n" + header.encode() + b"\r\n\r\n")
s.settimeout(20)
reply = s.recv(4096)
assert reply.startswith(b"HTTP/1.1 " + status.encode()), reply
assert b'"error":"' + error.encode() + b'"' in reply, reply
PY
}

t_a_declared_length_over_the_limit_is_refused_before_the_body() {
    open_now s1 DEMO-CS
    serve_start
    reply_before_body "Content-Length: 1000000000000" 413 too_large
    serve_stop
}

t_a_body_of_unknown_length_is_refused_before_it_streams() {
    open_now s1 DEMO-CS
    serve_start
    reply_before_body "Transfer-Encoding: chunked" 411 length_required
    serve_stop
}

t_a_stalled_body_is_dropped_by_the_timeout() {
    open_now s1 DEMO-CS
    serve_start --timeout 1
    hostile <<'PY' || fail "the stalled connection was kept"
import socket, sys
host, port = sys.argv[1].split(":")
s = socket.create_connection((host, int(port)))
s.sendall(b"PUT /api/attempts/1/answers/1 HTTP/1.1\r\nHost: x\r\n"
          b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
s.settimeout(30)
assert s.recv(4096) == b"", "a reply to an incomplete body"
PY
    serve_stop
}

t_half_open_connections_from_one_address_starve_no_one() {
    open_now s1 DEMO-CS
    serve_start
    hostile <<'PY' || fail "another client was starved"
import resource, socket, sys, time
host, port = sys.argv[1].split(":")
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
held = []
for i in range(1100):  # slowloris: each sends half a request and waits
    try:
        c = socket.create_connection((host, int(port)), timeout=5)
        c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        held.append(c)
    except OSError:
        pass  # refused or reset beyond the per-address limit
# a client on another address is served at once
other = socket.create_connection((host, int(port)), timeout=5, source_address=("127.0.0.2", 0))
other.sendall(b"GET /api/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
other.settimeout(5)
reply = other.recv(100)
assert reply.startswith(b"HTTP/1.1 401"), reply
for c in held:
    c.close()
PY
    serve_stop
}

t_numbers_in_paths_have_one_spelling() {
    open_now s1 DEMO-CS
    serve_start
    login_candidate a C001 "$CODE1"
    req POST /api/attempts '{}'
    id=$(jq 'b["attempt"]')
    for path in "/api/attempts/0$id" "/api/attempts/+$id" "/api/attempts/%2B$id" \
                "/api/attempts/$id.0" "/api/attempts/%20$id"; do
        req GET "$path"
        [ "$ST" = 404 ] || fail "GET $path: $ST $BODY"
    done
    for slot in 01 +1 -1 1e0 100001; do
        req PUT "/api/attempts/$id/answers/$slot" '{"response":{"choice":1}}'
        [ "$ST $BODY" = '404 {"error":"not_found","message":"没有这道题"}' ] ||
            fail "PUT answers/$slot: $ST $BODY"
        req PUT "/api/attempts/$id/flags/$slot" '{"flagged":true}'
        [ "$ST" = 404 ] || fail "PUT flags/$slot: $ST $BODY"
    done
    req PUT "/api/attempts/$id/flags/0" '{"flagged":true}'
    expect_status 200
    serve_stop
}

# fail_logins N FORWARDED: N failed logins of unknown candidates, each claiming
# to come from FORWARDED; sets ST to the status of the last
fail_logins() {
    local i
    for i in $(seq "$1"); do
        req POST /api/login "{\"sitting\":\"s1\",\"number\":\"X$i\",\"code\":\"WRONGCODE2\"}" \
            "X-Forwarded-For: $2"
    done
}

t_forwarded_addresses_count_only_from_the_trusted_proxy() {
    open_now s1 DEMO-CS
    serve_start --trust-proxy 127.0.0.1
    as a
    fail_logins 50 "203.0.113.9, 10.0.0.1"
    fail_logins 1 10.0.0.1
    expect_status 429
    fail_logins 1 "10.0.0.1, 10.0.0.2"
    expect_status 401
    # a proxy that adds a header line of its own: its line, the last, counts
    req POST /api/login '{"sitting":"s1","number":"X1","code":"WRONGCODE2"}' \
        "X-Forwarded-For: 10.0.0.1" "X-Forwarded-For: 10.0.0.3"
    expect_status 401
    req POST /api/login '{"sitting":"s1","number":"X1","code":"WRONGCODE2"}' \
        "X-Forwarded-For: 10.0.0.3" "X-Forwarded-For: 10.0.0.1"
    expect_status 429
    serve_stop
    # from a peer that is not the trusted proxy the header proves nothing
    serve_start --trust-proxy 127.0.0.9
    fail_logins 50 10.0.0.1
    fail_logins 1 10.0.0.2
    expect_status 429
    serve_stop
    run serve --trust-proxy proxy.example
    expect_rc 2
    expect_err_has "kaoshi serve: --trust-proxy: expected an IPv4 or IPv6 address, found 'proxy.example'"
}

t_a_base_ahead_of_the_stored_saves_is_a_conflict() {
    open_now s1 DEMO-CS
    serve_start
    login_candidate a C001 "$CODE1"
    req POST /api/attempts '{}'
    id=$(jq 'b["attempt"]')
    ID=$id
    slot_with text
    req PUT "/api/attempts/$id/answers/$SLOT" '{"response":{"text":"1"},"base":999999}'
    expect_status 409
    [ "$(jq 'b["error"]') $(jq 'b["seq"]')" = "conflict 0" ] || fail "base ahead: $BODY"
    req PUT "/api/attempts/$id/answers/$SLOT" '{"response":{"text":"1"},"base":0}'
    expect_status 200
    req PUT "/api/attempts/$id/answers/$SLOT" '{"response":{"text":"2"},"base":2}'
    expect_status 409
    [ "$(jq 'b["seq"]') $(jq 'b["answer"]')" = '1 {"text": "1"}' ] || fail "base 2 of 1: $BODY"
    req PUT "/api/attempts/$id/answers/$SLOT" '{"response":{"text":"2"},"base":1}'
    expect_status 200
    serve_stop
}

# A script that runs until its budget stops it holds one worker: the others
# go on serving. Every hook a form uses runs when the sitting opens, so the
# runaway is the retake policy, which runs on a candidate's own history: a
# candidate of a hostile certification asks for a retake while a candidate
# of another sitting keeps being served.
t_a_runaway_script_holds_one_worker_only() {
    sed -e 's/code = "DEMO-CS"/code = "LOOP"/' \
        -e 's/^  sections = {/  retake = function(history) local n = 0 while history do n = n + 1 end end,\n  sections = {/' \
        scripts/demo.lua >scripts/loop.lua
    open_now hostile LOOP
    HOSTILE_CODE=$CODE1
    open_now s1 DEMO-CS
    serve_start --threads 2
    SITTING=hostile login_candidate h C001 "$HOSTILE_CODE"
    req POST /api/attempts '{}'
    expect_status 200
    hid=$(jq 'b["attempt"]')
    req POST "/api/attempts/$hid/submit" '{}'
    expect_status 200
    run grade hostile
    expect_rc 0
    login_candidate a C001 "$CODE1"
    as h
    curl -s -o hostile.body -w '%{http_code}' -b h -X POST -H 'Content-Type: application/json' \
        -H "X-CSRF-Token: $(cat h.csrf)" --data-binary '{}' "$URL/api/attempts" >hostile.status &
    hostile=$!
    as a
    served=0
    for i in $(seq 200); do
        kill -0 "$hostile" 2>/dev/null || break
        req GET /api/me
        expect_status 200
        kill -0 "$hostile" 2>/dev/null && served=$((served + 1))
    done
    wait "$hostile"
    # several, so that one request slipped in before the script reached its
    # worker cannot pass for the others being served
    [ "$served" -ge 3 ] || fail "only $served other requests were served while the script ran"
    [ "$(cat hostile.status)" = 422 ] || fail "hostile: $(cat hostile.status) $(cat hostile.body)"
    serve_stop
    detail=$(sqlite3 exam.db "SELECT detail FROM audit WHERE action = 'script_error'")
    case $detail in
    *"scripts/loop.lua:"*"instruction limit exceeded"*) ;;
    *) fail "audit: $detail" ;;
    esac
    echo "  ($served requests served while the script ran)" >&2
}
