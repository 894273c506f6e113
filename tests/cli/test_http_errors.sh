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

# an own question type whose present() puts a NUL byte in the view: a script
# error (422, audited with the item and the reason), never 500
t_a_view_no_page_can_show_is_the_scripts_error() {
    sed -e 's/code = "DEMO-CS"/code = "NUL"/' \
        -e 's/^  sections = {/  question_types = { essay2 = { fields = { stem = "text", rubric = "text?", max_chars = "integer?" },\n    present = function(item) return { stem = "a\\0b" } end, manual = true } },\n  sections = {/' \
        scripts/demo.lua >scripts/nul.lua
    sed -i 's/type: essay$/type: essay2/' banks/demo.yaml
    open_now s1 NUL
    serve_start
    login_candidate a C001 "$CODE1"
    req POST /api/attempts '{}'
    expect_status 200
    id=$(jq 'b["attempt"]')
    req GET "/api/attempts/$id"
    [ "$ST $BODY" = '422 {"error":"script","message":"考试脚本出错，已记录，请联系监考老师"}' ] ||
        fail "GET attempt: $ST $BODY"
    serve_stop
    detail=$(sqlite3 exam.db "SELECT detail FROM audit WHERE action = 'script_error'")
    case $detail in
    *"present() of question "*" (item 'demo-3-"*"', type 'essay2'): its view cannot be stored: a string holds a NUL byte"*) ;;
    *) fail "audit: $detail" ;;
    esac
    run attempt show "$id"
    expect_rc 1
    expect_err_has "', type 'essay2'): its view cannot be stored: a string holds a NUL byte"
}
