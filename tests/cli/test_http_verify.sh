# Public verification of certificates through the real server (curl): the
# JSON route and the page for valid, revoked, altered and unknown
# certificates, a name that tries to be HTML, the limit on lookups per
# address, a server without a key; the candidate's PDF download once results
# are published, refused for another candidate's attempt.

. "$ROOT/tests/cli/http_fixture.sh"
. "$ROOT/tests/cli/certificate_fixture.sh"

EVIL='<script>alert("x")</script>'

pass_candidate() { # NUMBER CODE: starts, answers right, submits; sets ATTEMPT
    run attempt start s1 "$1" --code "$2" --json
    expect_rc 0
    ATTEMPT=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
    answer_right "$ATTEMPT"
    run attempt submit "$ATTEMPT"
    expect_rc 0
}

# Sitting s1 of the example certification with the CCOM certificate table,
# open now: C001 (张三) and C004 (named $EVIL) pass with 85 of 100, C002
# submits nothing and fails. The sitting is closed and graded, certificates
# are issued with sign.key: NUMBER is C001's, NUMBER4 C004's; A1, A2 are the
# attempts of C001 and C002. The results are not published.
certify() {
    declare_certificate "$CCOM_CERTIFICATE"
    open_now s1 DEMO-CS
    printf 'number,name\nC004,"%s"\n' "${EVIL//\"/\"\"}" >more.csv
    run enroll s1 more.csv
    expect_rc 0
    local code4
    code4=$(tail -1 .out | sed 's/.*,//')
    pass_candidate C001 "$CODE1"
    A1=$ATTEMPT
    pass_candidate C004 "$code4"
    run attempt start s1 C002 --code "$CODE2" --json
    A2=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
    run attempt submit "$A2"
    run sitting close s1
    expect_rc 0
    run grade s1
    expect_rc 0
    run keys init --key sign.key
    run certificate issue s1 --key sign.key
    expect_rc 0
    NUMBER=$(sed -n 's/^issued \([^ ]*\) C001 张三$/\1/p' .out)
    NUMBER4=$(sed -n 's/^issued \([^ ]*\) C004 .*/\1/p' .out)
    [ -n "$NUMBER" ] && [ -n "$NUMBER4" ] || fail "certificates not issued: $OUT"
}

# The stored certificate's date and the fingerprint of its signature.
date_of() {
    sqlite3 exam.db "SELECT payload FROM certificates WHERE number = '$1'" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["date"])'
}
fingerprint_of() {
    python3 -c 'import base64,hashlib,sys
h = hashlib.blake2b(base64.b64decode(sys.argv[1]), digest_size=8).hexdigest()
print("-".join(h[i:i + 4] for i in range(0, 16, 4)))' \
        "$(sqlite3 exam.db "SELECT signature FROM certificates WHERE number = '$1'")"
}

sorted_body() { jq 'json.dumps(b, sort_keys=True, ensure_ascii=False)'; }

expect_header() { # "Name: value" exactly, among the last reply's headers
    grep -qxF "$1" <<<"$HDRS" || fail "no header '$1' in:
$HDRS"
}

download() { # PATH FILE: GET with the jar's cookies into FILE; sets ST and HDRS
    ST=$(curl -s -o "$2" -D .headers -w '%{http_code}' -b "$JAR" "$URL$1")
    HDRS=$(tr -d '\r' <.headers)
}

t_a_valid_certificate_states_what_it_says() {
    certify
    serve_start --key sign.key
    req GET "/api/verify/$NUMBER"
    expect_status 200
    [ "$(sorted_body)" = "{\"code\": \"DEMO-CS\", \"date\": \"$(date_of "$NUMBER")\", \"fingerprint\": \"$(fingerprint_of "$NUMBER")\", \"issuer\": \"中国电子商会呼叫中心与客户关系管理专业委员会（CNCCA）\", \"max_score\": 100.0, \"name\": \"张三\", \"number\": \"$NUMBER\", \"role\": \"排班管理岗\", \"score\": 85.0, \"series\": \"第一期\", \"status\": \"valid\", \"title\": \"《CCOM 标准关键岗位认证证书》\", \"valid\": true}" ] ||
        fail "valid: $BODY"
    case $BODY in *C001*) fail "the candidate's number is disclosed: $BODY" ;; esac
    expect_header "Content-Type: application/json; charset=utf-8"
    expect_header "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    # the page: the same embedded page for /verify and every number
    req GET /verify
    expect_status 200
    cp .body page.html
    grep -qF '<script src="/static/verify.js" defer></script>' page.html || fail "the page: $BODY"
    req GET "/verify/$NUMBER"
    expect_status 200
    expect_header "Content-Type: text/html; charset=utf-8"
    expect_header "X-Frame-Options: DENY"
    cmp -s .body page.html || fail "/verify/$NUMBER is not the verification page"
    req GET /static/verify.js
    expect_status 200
    grep -qF '"/api/verify/"' .body || fail "verify.js: $BODY"
    serve_stop
}

t_a_revoked_certificate_says_why_and_when() {
    certify
    KAOSHI_NOW=2030-01-02T23:30:00Z run certificate revoke "$NUMBER" --reason "考试违规：替考"
    expect_rc 0
    serve_start --key sign.key
    req GET "/api/verify/$NUMBER"
    expect_status 200
    [ "$(sorted_body)" = "{\"number\": \"$NUMBER\", \"reason\": \"考试违规：替考\", \"revoked_on\": \"2030-01-02\", \"status\": \"revoked\", \"valid\": false}" ] ||
        fail "revoked: $BODY"
    serve_stop
}

t_an_altered_row_is_invalid_and_an_unknown_number_unknown() {
    certify
    sqlite3 exam.db "UPDATE certificates SET payload = replace(payload, '张三', '张五') WHERE number = '$NUMBER'"
    serve_start --key sign.key
    req GET "/api/verify/$NUMBER"
    expect_status 200
    [ "$(sorted_body)" = "{\"number\": \"$NUMBER\", \"status\": \"invalid\", \"valid\": false}" ] ||
        fail "altered: $BODY"
    req GET /api/verify/DEMO-CS-2027-999999
    expect_status 200
    [ "$(sorted_body)" = '{"number": "DEMO-CS-2027-999999", "status": "unknown", "valid": false}' ] ||
        fail "unknown: $BODY"
    req GET "/api/verify/$(printf 'A%.0s' $(seq 129))"
    [ "$(sorted_body)" = '{"status": "unknown", "valid": false}' ] || fail "too long: $BODY"
    # the other certificate still verifies
    req GET "/api/verify/$NUMBER4"
    [ "$(jq 'b["status"]')" = valid ] || fail "C004: $BODY"
    serve_stop
}

t_html_in_a_name_or_number_is_never_markup() {
    certify
    serve_start --key sign.key
    req GET "/api/verify/$NUMBER4"
    expect_status 200
    [ "$(jq 'b["name"]')" = "$EVIL" ] || fail "the name changed: $BODY"
    expect_header "Content-Type: application/json; charset=utf-8"
    req GET /verify
    cp .body page.html
    req GET "/verify/$NUMBER4"
    expect_status 200
    cmp -s .body page.html || fail "the page for $NUMBER4 differs from /verify"
    ! grep -qF 'alert("x")' .body || fail "the name reached the page: $BODY"
    # a number that is markup: the page does not echo it, the JSON is JSON
    req GET "/verify/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
    expect_status 200
    cmp -s .body page.html || fail "the page echoes the number"
    req GET "/api/verify/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
    expect_status 200
    [ "$(jq 'b["number"]')" = "<img src=x onerror=alert(1)>" ] || fail "number: $BODY"
    expect_header "X-Content-Type-Options: nosniff"
    serve_stop
}

t_lookups_are_limited_per_address() {
    certify
    serve_start --key sign.key
    local i
    for i in $(seq 60); do
        req GET "/api/verify/DEMO-CS-2027-$(printf %06d "$i")"
        [ "$ST" = 200 ] || { fail "lookup $i: $ST $BODY"; break; }
    done
    req GET "/api/verify/$NUMBER"
    expect_status 429
    [ "$(jq '[b["error"], b["retry_after"] > 0]')" = '["too_many", true]' ] || fail "429: $BODY"
    grep -q '^Retry-After: [0-9]' <<<"$HDRS" || fail "no Retry-After: $HDRS"
    [ "$(jq 'b["message"]')" = "查询过于频繁，请 $(jq 'b["retry_after"]') 秒后再试" ] || fail "message: $BODY"
    # the page and a candidate's login are not lookups
    req GET "/verify/$NUMBER"
    expect_status 200
    login_candidate a C001 "$CODE1"
    serve_stop
}

t_a_server_without_a_key_cannot_verify() {
    certify
    unset KAOSHI_KEY
    serve_start
    grep -qF "kaoshi serve: no signing key at kaoshi.key; certificates cannot be verified or downloaded here (see --key and --public-key)" serve.err ||
        fail "no note: $(cat serve.err)"
    req GET "/api/verify/$NUMBER"
    expect_status 503
    [ "$(jq 'b["message"]')" = "本服务器未配置证书验证" ] || fail "503: $BODY"
    serve_stop
    run serve --port 0 --key missing.key
    expect_rc 1
    expect_err_has "missing.key: No such file or directory"
    run serve --port 0 --key sign.key --url 'ftp://x'
    expect_rc 2
    expect_err_has "--url: 'ftp://x' is not the base of a verification address"
    # the public key alone is enough
    run keys show --key sign.key --json
    serve_start --public-key "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])' <.out)"
    req GET "/api/verify/$NUMBER"
    [ "$(jq 'b["status"]')" = valid ] || fail "with --public-key: $BODY"
    serve_stop
}

t_the_candidate_downloads_the_pdf_once_published() {
    certify
    serve_start --key sign.key --url https://kaoshi.example.org
    login_candidate a C001 "$CODE1"
    req GET "/api/attempts/$A1/result"
    expect_status 200
    [ "$(jq '"certificate" in b')" = false ] || fail "a certificate before publishing: $BODY"
    download "/api/attempts/$A1/certificate.pdf" cert.pdf
    [ "$ST" = 404 ] || fail "a download before publishing: $ST"
    run results s1 --publish
    expect_rc 0
    req GET "/api/attempts/$A1/result"
    [ "$(jq 'b["certificate"]')" = "{\"number\": \"$NUMBER\", \"pdf\": \"/api/attempts/$A1/certificate.pdf\"}" ] ||
        fail "result: $BODY"
    download "/api/attempts/$A1/certificate.pdf" cert.pdf
    [ "$ST" = 200 ] || fail "download: $ST $(cat cert.pdf)"
    expect_header "Content-Type: application/pdf"
    expect_header "Content-Disposition: attachment; filename=\"$NUMBER.pdf\""
    expect_header "Cache-Control: no-store"
    pdftotext -layout cert.pdf .text
    for s in 张三 排班管理岗 "证书编号：$NUMBER" "验证：https://kaoshi.example.org/verify/$NUMBER" 扫码验证; do
        grep -qF "$s" .text || fail "the PDF lacks '$s': $(cat .text)"
    done
    # the CLI renders the same bytes; so do several downloads at once (on
    # several worker threads)
    run certificate pdf "$NUMBER" --key sign.key --url https://kaoshi.example.org -o cli.pdf
    cmp -s cert.pdf cli.pdf || fail "the download differs from 'kaoshi certificate pdf'"
    local i pids=()
    for i in 1 2 3 4 5 6; do
        curl -s -o "at-once-$i.pdf" -b a "$URL/api/attempts/$A1/certificate.pdf" &
        pids+=($!)
    done
    wait "${pids[@]}"
    for i in 1 2 3 4 5 6; do
        cmp -s cert.pdf "at-once-$i.pdf" || fail "download $i of 6 at once differs"
    done
    # another candidate: C001's attempt is not theirs, their own has none
    login_candidate b C002 "$CODE2"
    download "/api/attempts/$A1/certificate.pdf" other.pdf
    [ "$ST" = 404 ] || fail "C002 got C001's certificate: $ST"
    ! grep -q '%PDF' other.pdf || fail "a PDF in the 404"
    download "/api/attempts/$A2/certificate.pdf" own.pdf
    [ "$ST" = 404 ] || fail "C002's own attempt: $ST"
    [ "$(python3 -c 'import json; print(json.load(open("own.pdf"))["message"])')" = "这场考试没有证书" ] ||
        fail "404: $(cat own.pdf)"
    req GET "/api/attempts/$A2/result"
    [ "$(jq '[b["published"], "certificate" in b]')" = '[true, false]' ] || fail "C002's result: $BODY"
    # not logged in
    as nobody
    download "/api/attempts/$A1/certificate.pdf" anon.pdf
    [ "$ST" = 401 ] || fail "without a session: $ST"
    # revoked: no link, no download
    run certificate revoke "$NUMBER" --reason "成绩复核不合格"
    as a
    req GET "/api/attempts/$A1/result"
    [ "$(jq '[b["published"], "certificate" in b]')" = '[true, false]' ] ||
        fail "a revoked certificate offered: $BODY"
    download "/api/attempts/$A1/certificate.pdf" revoked.pdf
    [ "$ST" = 409 ] || fail "a revoked certificate downloaded: $ST"
    serve_stop
}
