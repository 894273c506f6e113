# The analytics report over HTTP (docs/api.md): GET /api/sittings/{name}/report
# and .../report.csv give what `kaoshi report` gives for the same sitting,
# /proctor/sittings/{name}/report the page under the server's security
# policy; only proctors get them, errors are those of the other proctor
# routes, and a report is made without holding up other requests.

. "$ROOT/tests/cli/report_fixture.sh"
. "$ROOT/tests/cli/http_fixture.sh"

# r1 graded (tests/cli/report_fixture.sh) and d1, a draft; the server runs
# with OPTIONS and proctor alice is logged in with jar p
graded_and_served() {
    four_graded
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create d1 --cert REP --date $WINDOW_DATE
    expect_rc 0
    add_proctor
    serve_start "$@"
    login_proctor p
}

has_header() { # "Name: value", exactly (the name's case aside)
    grep -qixF "$1" <<<"$HDRS" || fail "no header '$1' in:
$HDRS"
}

body_has() {
    grep -qF -- "$1" .body || fail "the body lacks '$1': $(head -c 600 .body)"
}

expect_error() { # STATUS CODE MESSAGE: the JSON error of the last request
    expect_status "$1"
    [ "$(jq '[b["error"], b["message"]]')" = "[\"$2\", \"$3\"]" ] || fail "error: $BODY"
}

t_json_and_csv_are_those_of_kaoshi_report() {
    graded_and_served
    local queries=("" "?attempts=first" "?compare=r1" "?compare=retakes"
                   "?attempts=first&compare=r1" "?compare=retakes&attempts=all")
    local options=("" "--attempts first" "--compare r1" "--compare-retakes"
                   "--attempts first --compare r1" "--compare-retakes --attempts all")
    for i in "${!queries[@]}"; do
        # shellcheck disable=SC2086 # the options are words
        run report r1 --json ${options[$i]}
        expect_rc 0
        cp .out cli.json
        req GET "/api/sittings/r1/report${queries[$i]}"
        expect_status 200
        has_header "Content-Type: application/json; charset=utf-8"
        python3 -c 'import json, sys; sys.exit(json.load(open(".body")) != json.load(open("cli.json")))' ||
            fail "report${queries[$i]}: $BODY
differs from kaoshi report r1 --json ${options[$i]}: $(cat cli.json)"
    done
    req GET /api/sittings/r1/report
    [ "$(jq '[b["test"]["n"], b["test"]["mean"], b["attempts"], "comparison" in b]')" = '[4, 20.0, "all", false]' ] ||
        fail "the figures: $BODY"
    req GET "/api/sittings/r1/report?compare=retakes"
    [ "$(jq '[b["comparison"]["a"], b["comparison"]["b"]]')" = '["首次作答", "补考"]' ] ||
        fail "the comparison: $BODY"

    run report r1 --csv
    cp .out cli.csv
    req GET /api/sittings/r1/report.csv
    expect_status 200
    cmp -s .body cli.csv || fail "report.csv: $BODY
differs from kaoshi report r1 --csv: $(cat cli.csv)"
    has_header "Content-Type: text/csv; charset=utf-8"
    has_header 'Content-Disposition: attachment; filename="report-r1.csv"'
    run report r1 --csv --attempts first
    cp .out cli.csv
    req GET "/api/sittings/r1/report.csv?attempts=first"
    expect_status 200
    cmp -s .body cli.csv || fail "report.csv?attempts=first: $BODY"
    has_header 'Content-Disposition: attachment; filename="report-r1-first.csv"'
    serve_stop
}

t_the_page_is_the_report_under_the_security_policy() {
    graded_and_served
    req GET /proctor/sittings/r1/report
    expect_status 200
    has_header "Content-Type: text/html; charset=utf-8"
    has_header "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    has_header "X-Content-Type-Options: nosniff"
    has_header "X-Frame-Options: DENY"
    has_header "Referrer-Policy: no-referrer"
    has_header "Cache-Control: no-store"
    body_has '<link rel="stylesheet" href="/static/report.css">'
    body_has '<nav class="report-links"><a href="/proctor?sitting=r1">← 返回监考台</a><a href="/api/sittings/r1/report.csv">下载 CSV</a></nav>'
    body_has '<svg xmlns="http://www.w3.org/2000/svg" class="histogram"'
    body_has '<svg xmlns="http://www.w3.org/2000/svg" class="scatter-plot"'
    body_has '<tr><th>作答数</th><td>4</td></tr>'
    body_has '<td class="text">&lt;b&gt;5&lt;/b&gt;</td>'
    body_has '一加一等于几？'
    ! grep -q -e '<script' -e '<style' -e 'style="' -e ' on[a-z]*="' -e '<b>5' .body ||
        fail "the page holds a script, a style, an event handler or unescaped text"
    req GET "/proctor/sittings/r1/report?attempts=first&compare=r1"
    expect_status 200
    body_has '统计范围：每位考生的首次作答（不含补考）'
    body_has '<h2>两组比较（Welch t 检验，按得分率）</h2>'
    body_has '<a href="/api/sittings/r1/report.csv?attempts=first">下载 CSV</a>'
    # its style sheet, for anyone (it holds nothing of a sitting)
    as nobody
    req GET /static/report.css
    expect_status 200
    has_header "Content-Type: text/css; charset=utf-8"
    body_has '.analytics-report{'
    serve_stop
}

t_only_a_proctor_gets_a_report() {
    graded_and_served
    code=$(sed -n 's/^C1,[^,]*,//p' codes.csv)
    SITTING=r1 login_candidate c C1 "$code"
    for jar in nobody c; do
        as $jar
        for path in /api/sittings/r1/report /api/sittings/r1/report.csv; do
            req GET "$path"
            expect_error 401 login "请先登录"
        done
        # the page sends the browser to the console's login
        req GET /proctor/sittings/r1/report
        expect_status 303
        has_header "Location: /proctor"
        ! grep -q '作答数' .body || fail "a report without a proctor's session"
    done
    as p
    req POST /api/sittings/r1/report '{}'
    expect_status 405
    serve_stop
}

t_errors_are_those_of_the_other_proctor_routes() {
    graded_and_served
    req GET /api/sittings/nosuch/report
    expect_error 404 not_found "no sitting named 'nosuch'"
    req GET /api/sittings/nosuch/report.csv
    expect_error 404 not_found "no sitting named 'nosuch'"
    req GET /api/sittings/d1/report
    expect_error 409 state "sitting 'd1' has not been opened"
    req GET "/api/sittings/r1/report?compare=nosuch"
    expect_error 404 not_found "no sitting named 'nosuch'"
    req GET "/api/sittings/r1/report.csv?compare=d1"
    expect_error 409 state "sitting 'd1' has not been opened"
    for q in "attempts=some" "attempts=" "attempts" "attempts=first&attempts=first"; do
        req GET "/api/sittings/r1/report?$q"
        expect_error 400 invalid "attempts: expected first or all, once"
    done
    for q in "compare=" "compare=r1&compare=retakes"; do
        req GET "/api/sittings/r1/report.csv?$q"
        expect_error 400 invalid "compare: expected the name of another sitting or retakes, once"
    done
    req GET "/api/sittings/r1/report?attempt=first"
    expect_error 400 invalid "unknown query parameter (expected only attempts and compare)"
    req GET "/api/sittings/r1/report?attempts=first&compare=retakes"
    expect_error 400 invalid "only first attempts are analysed, so there are no retakes to compare with"

    # the page: a short page in Chinese, with the same status
    req GET "/proctor/sittings/%3Cb%3Enosuch/report"
    expect_status 404
    has_header "Content-Type: text/html; charset=utf-8"
    body_has '<p>没有找到这个考场。</p>'
    body_has "no sitting named &#39;&lt;b&gt;nosuch&#39;"
    body_has '<a href="/proctor">返回监考台</a>'
    ! grep -q '<b>' .body || fail "the name is not escaped: $BODY"
    req GET /proctor/sittings/d1/report
    expect_status 409
    body_has '<p>考场尚未开放，还没有可以分析的作答。</p>'
    req GET "/proctor/sittings/r1/report?attempts=some"
    expect_status 400
    body_has '<p>请求的参数有误。</p>'
    body_has 'attempts: expected first or all, once'
    serve_stop
}

# With one libmicrohttpd thread, a report made on it would hold up every
# other request of the server. Four reports of 2000 simulated attempts at
# once, then an answer save and a page: those must not wait for the reports,
# which the reader thread makes one after another.
t_reports_hold_up_neither_saves_nor_other_requests() {
    rep_cert
    run simulate REP --candidates 2000 --db exam.db
    expect_rc 0
    open_now s1 DEMO-CS
    add_proctor
    serve_start --threads 1
    login_proctor p
    login_candidate a C001 "$CODE1"
    req POST /api/attempts '{}'
    expect_status 200
    ID=$(jq 'b["attempt"]')
    cookie() { awk '$6 == "ks_session" { print $7 }' "$1"; }
    URL=$URL PROCTOR=$(cookie p) CANDIDATE=$(cookie a) CSRF=$(csrf_of a) ID=$ID python3 - <<'PY' ||
import http.client, os, threading, time, urllib.parse
url = urllib.parse.urlsplit(os.environ["URL"])
done = []
def request(path, cookie, method="GET", body=None, headers={}):
    c = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    c.request(method, path, body=body, headers={"Cookie": "ks_session=" + cookie, **headers})
    r = c.getresponse()
    r.read()
    c.close()
    return r.status
def report():
    status = request("/api/sittings/simulation-1/report", os.environ["PROCTOR"])
    done.append((time.monotonic(), status))
threads = [threading.Thread(target=report) for _ in range(4)]
for t in threads:
    t.start()
time.sleep(0.1)
saved = request("/api/attempts/%s/answers/7" % os.environ["ID"], os.environ["CANDIDATE"], "PUT",
                '{"response":{"text":"先安抚情绪。"}}'.encode(),
                {"Content-Type": "application/json", "X-CSRF-Token": os.environ["CSRF"]})
page = request("/static/app.css", os.environ["CANDIDATE"])
others = time.monotonic()
for t in threads:
    t.join()
assert saved == 200 and page == 200, (saved, page)
assert [s for _, s in done] == [200] * 4, done
later = sum(1 for at, _ in done if at > others)
assert later >= 3, "only %d of 4 reports were made after the save and the page: did those wait?" % later
PY
        fail "the reports held up other requests"
    [ "$(sqlite3 exam.db "SELECT count(*) FROM answers WHERE attempt_id = $ID")" = 1 ] || fail "the save was not kept"
    serve_stop
}
