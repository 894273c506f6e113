# Retakes across sittings through the real binary and the HTTP API: the
# attempt count and the items already seen carry from one sitting of a
# certification to the next, the declared waiting period is enforced with
# the reason in Chinese, and the limit holds on every route.

. "$ROOT/tests/cli/lib.sh"
export KAOSHI_DB=exam.db

# RETAKE: the example certification with two attempts and a 7-day wait.
retake_cert() {
    sed -e 's/code = "DEMO-CS"/code = "RETAKE"/' \
        -e 's/  attempts = 2, .*/  attempts = 2,\n  retake_wait = "7d",/' scripts/demo.lua >scripts/retake.lua
}

# sitting NAME on DATE (window 09:00-12:00 +08:00) with C001 enrolled; CODE is
# the access code
sitting_on() {
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create "$1" --cert RETAKE --date "$2"
    expect_rc 0
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting open "$1"
    expect_rc 0
    printf 'C001,张三\n' >roster.csv
    run enroll "$1" roster.csv
    expect_rc 0
    CODE=$(sed -n 's/^C001,张三,//p' .out)
}

ids_of() { # ATTEMPT AT: the item ids on the attempt's form
    KAOSHI_NOW=$2 run attempt show "$1" --keys --json
    python3 -c 'import json,sys; print(" ".join(q["key"]["id"] for q in json.load(sys.stdin)["questions"]))' <.out
}

t_a_retake_in_a_later_sitting_after_the_wait() {
    retake_cert
    sitting_on s1 2027-07-18
    KAOSHI_NOW=2027-07-18T09:05:00+08:00 run attempt start s1 C001 --code "$CODE" --json
    expect_rc 0
    first_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
    first=$(ids_of "$first_id" 2027-07-18T09:05:00+08:00)
    # no answers: the attempt fails
    KAOSHI_NOW=2027-07-18T09:20:00+08:00 run attempt submit "$first_id"
    expect_rc 0
    KAOSHI_NOW=2027-07-18T12:30:00+08:00 run grade s1
    run results s1 --csv
    expect_out_has "C001,张三,1,finished,0.00,100.00,0.00,fail"

    # a sitting two days later is too early
    sitting_on s2 2027-07-20
    KAOSHI_NOW=2027-07-20T09:05:00+08:00 run attempt start s2 C001 --code "$CODE"
    expect_rc 1
    expect_err "kaoshi: candidate C001 may not start another attempt: 距上次考试结束须满 7 天方可补考，还需等待 5 天 15 分钟"

    # a week later the retake starts, as attempt 2, with no item seen before
    sitting_on s3 2027-07-26
    code3=$CODE
    KAOSHI_NOW=2027-07-26T09:05:00+08:00 run attempt start s3 C001 --code "$code3" --json
    expect_rc 0
    expect_out_has '"number":2'
    second_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
    second=$(ids_of "$second_id" 2027-07-26T09:05:00+08:00)
    [ -n "$second" ] || fail "no items on the retake"
    for id in $second; do
        case " $first " in *" $id "*) fail "the retake repeats $id (first form: $first)" ;; esac
    done
    KAOSHI_NOW=2027-07-26T09:20:00+08:00 run attempt submit "$second_id"
    KAOSHI_NOW=2027-07-26T12:30:00+08:00 run grade s3
    run results s3 --csv
    expect_out_has "C001,张三,2,finished,0.00,100.00,0.00,fail"

    # a third attempt is refused on every route, in any sitting
    sitting_on s4 2027-08-20
    KAOSHI_NOW=2027-08-20T09:05:00+08:00 run attempt start s4 C001 --code "$CODE"
    expect_rc 1
    expect_err "kaoshi: candidate C001 may not start another attempt: 已用完全部 2 次考试机会"
    KAOSHI_NOW=2027-07-26T09:30:00+08:00 run attempt start s3 C001 --code "$code3"
    expect_rc 1
    expect_err "kaoshi: candidate C001 may not start another attempt: 已用完全部 2 次考试机会"
    KAOSHI_NOW=2027-08-20T09:05:00+08:00 "$KAOSHI" serve --port 0 >serve.out 2>serve.err &
    pid=$!
    for i in $(seq 100); do
        url=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' serve.out)
        [ -n "$url" ] && break
        sleep 0.1
    done
    curl -s -c jar -o login.json -H 'Content-Type: application/json' \
        --data-binary "{\"sitting\":\"s4\",\"number\":\"C001\",\"code\":\"$CODE\"}" "$url/api/login"
    csrf=$(python3 -c 'import json; print(json.load(open("login.json"))["csrf"])')
    status=$(curl -s -b jar -o start.json -w '%{http_code}' -H 'Content-Type: application/json' \
        -H "X-CSRF-Token: $csrf" --data-binary '{}' "$url/api/attempts")
    [ "$status" = 409 ] || fail "HTTP start: $status $(cat start.json)"
    [ "$(python3 -c 'import json; b = json.load(open("start.json")); print(b["error"], b["message"])')" = \
      "not_allowed 已用完全部 2 次考试机会" ] || fail "HTTP refusal: $(cat start.json)"
    kill -TERM "$pid"
    wait "$pid" || fail "the server exited $?: $(cat serve.err)"
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM attempts')" = 2 ] || fail "a third attempt was stored"
}

t_retake_wait_is_checked() {
    sed -e 's/  attempts = 2, .*/  attempts = 2,\n  retake_wait = "7 days",/' scripts/demo.lua >scripts/demo.lua.new
    mv scripts/demo.lua.new scripts/demo.lua
    run check scripts/demo.lua
    expect_rc 1
    expect_err_has "'retake_wait' must be a duration such as \"7d\", \"36h\" or \"1d12h\" (got \"7 days\")"
}
