# Failures below the web server reach the client as errors and leak nothing:
# a database that fails under a running server (here a table renamed away
# behind its back) gives 503 with the database's message, and the server
# still stops cleanly with no sanitizer report.

. "$ROOT/tests/cli/http_fixture.sh"

t_a_failing_database_is_503_and_leaks_nothing() {
    open_now s1 DEMO-CS
    serve_start
    login_candidate a C001 "$CODE1"
    req GET /api/me
    expect_status 200
    sqlite3 exam.db 'ALTER TABLE attempts RENAME TO attempts_gone'
    req GET /api/me
    expect_status 503
    [ "$(jq 'b["error"]')" = unavailable ] || fail "error: $BODY"
    case $(jq 'b["message"]') in *"no such table: attempts"*) ;; *) fail "message: $BODY" ;; esac
    sqlite3 exam.db 'ALTER TABLE attempts_gone RENAME TO attempts'
    req GET /api/me
    expect_status 200
    serve_stop
}
