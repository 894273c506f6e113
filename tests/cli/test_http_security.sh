# The web server's security rules, one test each, through the real binary and
# curl: security headers, session cookies, CSRF, cross-site requests, login
# rate limiting, object ids checked against the session, nothing secret in a
# candidate's replies, request size and connection limits.

. "$ROOT/tests/cli/http_fixture.sh"

setup() { # sitting s1 open now, proctor alice, the server running
    open_now s1 DEMO-CS
    add_proctor
    serve_start "$@"
}

header_of() { # NAME: the value of a response header of the last request
    sed -n "s/^$1: //Ip" <<<"$HDRS" | head -1
}

t_security_headers_on_every_response() {
    setup
    for path in / /exam /proctor /static/exam.js /static/app.css /api/me /api/nothing; do
        req GET "$path"
        [ "$(header_of Content-Security-Policy)" = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'" ] ||
            fail "$path: Content-Security-Policy is '$(header_of Content-Security-Policy)'"
        [ "$(header_of X-Content-Type-Options)" = nosniff ] || fail "$path: no nosniff"
        [ "$(header_of X-Frame-Options)" = DENY ] || fail "$path: may be framed"
        [ "$(header_of Referrer-Policy)" = no-referrer ] || fail "$path: Referrer-Policy"
        [ "$(header_of Cache-Control)" = no-store ] || fail "$path: may be cached"
    done
    req GET /static/exam.js
    [ "$(header_of Content-Type)" = "text/javascript; charset=utf-8" ] || fail "exam.js type"
    # the pages carry no inline script or style for the policy to allow
    for page in / /exam /proctor; do
        req GET "$page"
        grep -qiE '<script>|<script [^>]*>[^<]|style=|<style| on[a-z]+=' .body &&
            fail "$page has inline script or style"
    done
    serve_stop
}

t_session_cookie_is_httponly_strict_and_rotated() {
    setup
    login_candidate a C001 "$CODE1"
    cookie=$(header_of Set-Cookie)
    case $cookie in
    ks_session=*'; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200') ;;
    *) fail "Set-Cookie: $cookie" ;;
    esac
    first=$(awk '$6 == "ks_session" {print $7}' a)
    # the database keeps a hash of the token, never the token
    [ "$(sqlite3 exam.db "SELECT count(*) FROM sessions WHERE token_hash = '$first'")" = 0 ] ||
        fail "the session token is stored in clear"
    cp a old
    login_candidate a C001 "$CODE1"
    second=$(awk '$6 == "ks_session" {print $7}' a)
    [ -n "$first" ] && [ "$first" != "$second" ] || fail "the session was not rotated at login"
    as old
    req GET /api/session
    expect_status 401
    as a
    req GET /api/session
    expect_status 200
    req POST /api/logout '{}'
    expect_status 200
    req GET /api/session
    expect_status 401
    serve_stop
}

t_state_changing_requests_need_the_csrf_token() {
    setup
    login_candidate a C001 "$CODE1"
    req POST /api/attempts '{}'
    expect_status 200
    id=$(jq 'b["attempt"]')
    ID=$id
    slot_with text
    token=$(csrf_of a)
    rm a.csrf
    req PUT "/api/attempts/$id/answers/$SLOT" '{"response":{"text":"1"}}'
    expect_status 403
    expect_out_json_error csrf
    req PUT "/api/attempts/$id/answers/$SLOT" '{"response":{"text":"1"}}' 'X-CSRF-Token: forged'
    expect_status 403
    req POST /api/logout '{}'
    expect_status 403
    echo "$token" >a.csrf
    req PUT "/api/attempts/$id/answers/$SLOT" '{"response":{"text":"1"}}'
    expect_status 200
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM answers')" = 1 ] || fail "a forged save was stored"
    serve_stop
}

expect_out_json_error() {
    [ "$(jq 'b["error"]')" = "$1" ] || fail "error was $(jq 'b.get("error")'), expected $1"
}

t_cross_site_requests_are_refused() {
    setup
    as a
    body="{\"sitting\":\"s1\",\"number\":\"C001\",\"code\":\"$CODE1\"}"
    ST=$(curl -s -o .body -w '%{http_code}' -H 'Content-Type: text/plain' --data-binary "$body" \
         "$URL/api/login")
    expect_status 415
    req POST /api/login "$body" 'Origin: http://evil.example'
    expect_status 403
    expect_out_json_error origin
    req POST /api/login "$body" 'Sec-Fetch-Site: cross-site'
    expect_status 403
    req POST /api/login "$body" "Origin: $URL" 'Sec-Fetch-Site: same-origin'
    expect_status 200
    serve_stop
}

t_login_is_rate_limited() {
    setup
    as a
    for i in 1 2 3 4 5; do
        req POST /api/login '{"sitting":"s1","number":"C001","code":"WRONGCODE2"}'
        expect_status 401
    done
    [ "$(jq 'b["message"]')" = "考场、考生号或准入码不正确" ] || fail "message: $BODY"
    # now even the right code must wait
    req POST /api/login "{\"sitting\":\"s1\",\"number\":\"C001\",\"code\":\"$CODE1\"}"
    expect_status 429
    retry=$(header_of Retry-After)
    [ "$retry" -gt 200 ] && [ "$retry" -le 300 ] || fail "Retry-After: '$retry'"
    # an unknown candidate is refused with the same words
    req POST /api/login '{"sitting":"s1","number":"C999","code":"WRONGCODE2"}'
    expect_status 401
    [ "$(jq 'b["message"]')" = "考场、考生号或准入码不正确" ] || fail "unknown candidate: $BODY"
    # another account is not held up by C001's failures
    login_candidate b C002 "$CODE2"
    for i in 1 2 3 4 5; do
        req POST /api/proctor/login '{"name":"alice","password":"wrong password"}'
        expect_status 401
    done
    req POST /api/proctor/login "{\"name\":\"alice\",\"password\":\"$PROCTOR_PW\"}"
    expect_status 429
    serve_stop
}

t_candidate_reaches_only_their_own_attempt() {
    setup
    login_candidate a C001 "$CODE1"
    req POST /api/attempts '{}'
    mine=$(jq 'b["attempt"]')
    login_candidate b C002 "$CODE2"
    req POST /api/attempts '{}'
    theirs=$(jq 'b["attempt"]')
    as a
    for path in "/api/attempts/$theirs" "/api/attempts/$theirs/status" \
                "/api/attempts/$theirs/result" /api/attempts/999 /api/attempts/x; do
        req GET "$path"
        expect_status 404
    done
    req PUT "/api/attempts/$theirs/answers/0" '{"response":{"choice":1}}'
    expect_status 404
    req PUT "/api/attempts/$theirs/flags/0" '{"flagged":true}'
    expect_status 404
    req POST "/api/attempts/$theirs/submit" '{}'
    expect_status 404
    [ "$(sqlite3 exam.db "SELECT count(*) FROM answers WHERE attempt_id = $theirs")" = 0 ] ||
        fail "C001 saved an answer into C002's attempt"
    [ "$(sqlite3 exam.db "SELECT state FROM attempts WHERE id = $theirs")" = 0 ] ||
        fail "C001 submitted C002's attempt"
    req GET "/api/attempts/$mine"
    expect_status 200
    # a candidate's session opens no proctor route, and no session opens any
    for path in /api/sittings /api/sittings/s1; do
        req GET "$path"
        expect_status 401
    done
    req POST "/api/proctor/attempts/$theirs/extend" '{"minutes":5}'
    expect_status 401
    as nobody
    req GET "/api/attempts/$mine"
    expect_status 401
    serve_stop
}

t_candidate_replies_hold_no_key_or_explanation() {
    setup
    login_candidate a C001 "$CODE1"
    req POST /api/attempts '{}'
    id=$(jq 'b["attempt"]')
    req GET "/api/attempts/$id"
    expect_status 200
    python3 - <<'PY' || fail "the candidate's view leaks: $BODY"
import json
b = json.load(open(".body"))
assert len(b["questions"]) == 8
def walk(v):
    if isinstance(v, dict):
        for k, x in v.items():
            assert k not in ("answers", "explanation", "rubric", "key", "pairs", "seed",
                             "tolerance", "id") or k == "id" and isinstance(x, int), k
            walk(x)
    elif isinstance(v, list):
        for x in v: walk(x)
    elif isinstance(v, str):
        assert not v.startswith("demo-"), v   # no bank item ids
for q in b["questions"]:
    assert q["answer"] is None
    walk(q["view"])
PY
    # another candidate's data is nowhere in C001's replies
    req GET /api/me
    case $BODY in *李四*|*C002*) fail "another candidate's data: $BODY" ;; esac
    serve_stop
}

# A path parameter ({id}, {name}, {number}, {slot}) that is not UTF-8 text
# (invalid bytes, an overlong form, a control character) is answered 400
# invalid on every route, before the session is looked at; text that names
# nothing is still a 404. A NUL cannot be sent: %00 is not decoded.
t_path_parameters_must_be_text() {
    run keys init --key sign.key
    expect_rc 0
    setup --key sign.key
    local bad='{"error":"invalid","message":"网址中含有无效的字符"}'
    login_proctor p
    for path in /api/sittings/%FF /api/sittings/%FF/report /api/sittings/%FF/report.csv \
                /api/sittings/%FF/marking /api/sittings/a%01b /api/sittings/a%7Fb \
                /api/sittings/%C2%85 /api/sittings/%C0%AF /proctor/sittings/%FF/report \
                /api/verify/%FF /api/verify/C%0A1 /verify/%FF /static/%FF; do
        req GET "$path"
        [ "$ST $BODY" = "400 $bad" ] || fail "GET $path: $ST $BODY"
    done
    for path in /api/sittings/%FF/open /api/sittings/%ED%A0%80/close /api/proctor/attempts/%FF/pause; do
        req POST "$path" '{}'
        [ "$ST $BODY" = "400 $bad" ] || fail "POST $path: $ST $BODY"
    done
    as nobody
    req GET /api/sittings/%FF/report
    [ "$ST $BODY" = "400 $bad" ] || fail "without a session: $ST $BODY"
    login_candidate a C001 "$CODE1"
    req POST /api/attempts '{}'
    id=$(jq 'b["attempt"]')
    req GET /api/attempts/%FF
    [ "$ST $BODY" = "400 $bad" ] || fail "GET /api/attempts/%FF: $ST $BODY"
    req PUT "/api/attempts/$id/answers/%1B" '{"response":{"choice":1}}'
    [ "$ST $BODY" = "400 $bad" ] || fail "PUT answers/%1B: $ST $BODY"
    # text that names nothing
    as p
    req GET /api/sittings/%E8%80%83%E5%9C%BA
    [ "$ST $BODY" = '404 {"error":"not_found","message":"no sitting named '"'"'考场'"'"'"}' ] ||
        fail "an unknown sitting: $ST $BODY"
    req GET /api/verify/%E8%80%83
    [ "$ST $BODY" = '200 {"valid":false,"status":"unknown","number":"考"}' ] ||
        fail "an unknown certificate: $ST $BODY"
    # a NUL cannot be in a C string: %00 stays as it is, and cuts nothing short
    req GET /api/sittings/s1%00
    [ "$ST $BODY" = '404 {"error":"not_found","message":"no sitting named '"'"'s1%00'"'"'"}' ] ||
        fail "s1%00: $ST $BODY"
    req GET /api/sittings/%E8%80%83%2500%20x
    [ "$ST $BODY" = '404 {"error":"not_found","message":"no sitting named '"'"'考%00 x'"'"'"}' ] ||
        fail "a decoded %25: $ST $BODY"
    serve_stop
}

t_request_size_is_limited() {
    setup
    login_candidate a C001 "$CODE1"
    req POST /api/attempts '{}'
    id=$(jq 'b["attempt"]')
    big=$(python3 -c 'print("{\"response\":{\"text\":\"" + "x" * 200000 + "\"}}")')
    printf '%s' "$big" >big.json
    ST=$(curl -s -o .body -w '%{http_code}' -X PUT -b a -H 'Content-Type: application/json' \
         -H "X-CSRF-Token: $(csrf_of a)" --data-binary @big.json "$URL/api/attempts/$id/answers/7")
    expect_status 413
    # an answer just over the engine's limit is refused as input
    python3 -c 'print("{\"response\":{\"text\":\"" + "x" * 70000 + "\"}}")' >big.json
    ST=$(curl -s -o .body -w '%{http_code}' -X PUT -b a -H 'Content-Type: application/json' \
         -H "X-CSRF-Token: $(csrf_of a)" --data-binary @big.json "$URL/api/attempts/$id/answers/7")
    expect_status 400
    req GET /api/nothing
    expect_status 404
    req DELETE /api/me
    expect_status 405
    req POST /api/login '[1, 2]'
    expect_status 400
    serve_stop
}

t_connections_are_limited() {
    open_now s1 DEMO-CS
    serve_start --threads 1 --max-connections 2
    # a third connection waits unserved while two are open, then is served
    python3 - "$URL" <<'PY' || fail "the connection limit was not enforced"
import socket, sys, time
host, port = sys.argv[1][len("http://"):].split(":")
idle = [socket.create_connection((host, int(port))) for _ in range(2)]
time.sleep(0.3)
third = socket.create_connection((host, int(port)))
third.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
third.settimeout(1.5)
try:
    third.recv(100)
    sys.exit("served beyond the limit")
except socket.timeout:
    pass
for s in idle: s.close()
third.settimeout(10)
assert third.recv(100).startswith(b"HTTP/1.1 200"), "not served after the others left"
PY
    serve_stop
    # from one address beyond --per-ip: closed at once
    serve_start --per-ip 2
    python3 - "$URL" <<'PY' || fail "the per-address limit was not enforced"
import socket, sys, time
host, port = sys.argv[1][len("http://"):].split(":")
idle = [socket.create_connection((host, int(port))) for _ in range(2)]
time.sleep(0.3)
third = socket.create_connection((host, int(port)))
third.settimeout(5)
try:
    third.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    got = third.recv(100)
except (ConnectionResetError, BrokenPipeError):
    got = b""
assert got == b"", got
PY
    serve_stop
}
