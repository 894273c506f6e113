# Amendments seen through the server: an attempt running while the sitting
# is amended keeps its form, saves its answers, shows the amended questions
# (the worker reloads the new version) and submits; the console's grade
# regrades with the new version, and its JSON API shows the versions, the
# results that changed and the certificate flagged.

. "$ROOT/tests/cli/http_fixture.sh"
. "$ROOT/tests/cli/certificate_fixture.sh"
. "$ROOT/tests/cli/amend_fixture.sh"

start_attempt() { # start_attempt JAR NUMBER CODE: logs in and starts; ID is the attempt
    login_candidate "$1" "$2" "$3"
    req POST /api/attempts '{}'
    expect_status 200
    ID=$(jq 'b["attempt"]')
}

t_a_running_attempt_continues_across_an_amendment() {
    declare_certificate '{ title = "《客户服务基础认证证书》", issuer = "示例认证中心" }'
    open_now s1 DEMO-CS
    add_proctor
    run keys init --key sign.key
    serve_start --threads 1 --key sign.key
    # C001 answers every question right but the essay (85 of 100) and submits
    start_attempt a C001 "$CODE1"
    FIRST=$ID
    run attempt show "$FIRST" --keys --json
    cp .out keys.json
    python3 "$ROOT/tests/cli/keys_to_answers.py" <keys.json >answers.txt
    while read -r q response; do
        case $response in *'"text"'*) continue ;; esac
        req PUT "/api/attempts/$FIRST/answers/$((q - 1))" "{\"response\":$response}"
        expect_status 200
    done <answers.txt
    req POST "/api/attempts/$FIRST/submit" '{}'
    expect_status 200
    # C002 is mid-exam: one answer saved, the questions shown (the worker has
    # version 1 loaded)
    start_attempt b C002 "$CODE2"
    RUNNING=$ID
    req PUT "/api/attempts/$RUNNING/answers/7" '{"response":{"text":"先道歉。"}}'
    expect_status 200
    req GET "/api/attempts/$RUNNING"
    expect_status 200
    stem=$(jq 'b["questions"][0]["view"]["stem"]')
    login_proctor p
    req POST /api/sittings/s1/grade '{}'
    expect_status 200
    [ "$(jq '[b["graded"], b["version"], b["changed"], b["flagged"], b["cleared"]]')" = "[1, 1, 0, 0, 0]" ] ||
        fail "grade: $BODY"
    run certificate issue s1 --key sign.key
    NUMBER=$(sed -n 's/^issued \(DEMO-CS-[0-9]*-000001\) C001 张三$/\1/p' .out)
    [ -n "$NUMBER" ] || fail "certificate issue: $OUT"
    # the amendment: three of C001's keys corrected, the stem of C002's first
    # question reworded
    change_key "$(item_of 1)" "$(item_of 2)" "$(item_of 3)"
    run attempt show "$RUNNING" --keys --json
    python3 - "$(python3 -c 'import json; print(json.load(open(".out"))["questions"][0]["key"]["id"])')" <<'PY'
import re, sys
text = open("banks/demo.yaml").read()
start = text.index("  - id: %s\n" % sys.argv[1])
at = text.index("    stem: ", start) + len("    stem: ")
open("banks/demo.yaml", "w").write(text[:at] + "（已更正）" + text[at:])
PY
    run sitting amend s1 --reason '更正答案与题干'
    expect_rc 0
    expect_out_has "amended sitting s1: version 2"
    # the running attempt: its questions as amended, answers saved, submitted
    as b
    req GET "/api/attempts/$RUNNING"
    expect_status 200
    [ "$(jq 'b["questions"][0]["view"]["stem"]')" = "（已更正）$stem" ] ||
        fail "the running attempt does not show the amended stem: $BODY"
    [ "$(jq 'b["questions"][7]["answer"]')" = '{"text": "先道歉。"}' ] || fail "the saved answer: $BODY"
    req PUT "/api/attempts/$RUNNING/answers/7" '{"response":{"text":"先道歉，再跟进。"}}'
    expect_status 200
    req POST "/api/attempts/$RUNNING/submit" '{}'
    expect_status 200
    # a new attempt draws from the amended banks
    start_attempt c C003 "$CODE3"
    req GET "/api/attempts/$ID"
    expect_status 200
    # the console regrades with version 2: C001 falls to 55, a fail
    as p
    req POST /api/sittings/s1/grade '{}'
    expect_status 200
    [ "$(jq '[b["graded"], b["version"], b["changed"], b["flagged"], b["cleared"]]')" = "[2, 2, 1, 1, 0]" ] ||
        fail "regrade: $BODY"
    req GET /api/sittings/s1/amendments
    expect_status 200
    python3 - "$FIRST" "$NUMBER" <<'PY' || fail "amendments: $BODY"
import json, sys
b = json.load(open(".body"))
assert b["version"] == 2, b
assert [(v["version"], v["actor"], v["reason"]) for v in b["versions"]] == [(1, "cli", ""), (2, "cli", "更正答案与题干")], b
assert all(len(v["sources_hash"]) == 64 and isinstance(v["at"], int) for v in b["versions"]), b
[c] = b["changes"]
assert (c["candidate"], c["name"], c["id"], c["attempt"], c["version"]) == ("C001", "张三", int(sys.argv[1]), 1, 2), c
assert c["before"] == {"score": 85.0, "max_score": 100.0, "percent": 85.0, "outcome": "pass"}, c
assert c["after"] == {"score": 55.0, "max_score": 100.0, "percent": 55.0, "outcome": "fail"}, c
reason = "第 2 版（更正答案与题干）重新评分后为 55.0%，不再通过"
assert c["certificate"] == {"number": sys.argv[2], "state": "flagged", "reason": reason}, c
[f] = b["flagged"]
assert (f["number"], f["candidate"], f["id"], f["reason"]) == (sys.argv[2], "C001", int(sys.argv[1]), reason), f
PY
    req GET /api/sittings/s1/results
    expect_status 200
    python3 - <<'PY' || fail "results: $BODY"
import json
rows = json.load(open(".body"))["results"]
assert [(r["candidate"], r["state"], r["outcome"]) for r in rows] == \
    [("C001", "finished", "fail"), ("C002", "finished", "pending"), ("C003", "running", "running")], rows
assert rows[0]["version"] == 2 and rows[0]["score"] == 55.0 and "detail" not in rows[0], rows
assert rows[0]["certificate"]["state"] == "flagged" and "certificate" not in rows[1], rows
PY
    # a flag never revokes: anyone still finds the certificate valid
    req GET "/api/verify/$NUMBER"
    expect_status 200
    [ "$(jq 'b["status"]')" = valid ] || fail "verify: $BODY"
    # proctors only
    as b
    req GET /api/sittings/s1/amendments
    expect_status 401
    req GET /api/sittings/s1/results
    expect_status 401
    as p
    req GET /api/sittings/nosuch/amendments
    expect_status 404
    req GET /api/sittings/nosuch/results
    expect_status 404
    serve_stop
}
