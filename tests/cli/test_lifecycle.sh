# A whole sitting of the example certification through the real binary:
# create, open (freeze), enroll, start, answer, submit, grade, results; the
# server's clock is fixed with KAOSHI_NOW. Opening exercises every hook first
# (certification KW of tests/cli/kw_fixture.sh): a failing one keeps the
# sitting a draft, and modules hooks require while they run are frozen.

. "$ROOT/tests/cli/sitting_fixture.sh"
. "$ROOT/tests/cli/kw_fixture.sh"

t_whole_sitting_grades_every_question_type() {
    open_demo
    start_c001
    expect_out_has '"questions":8'
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --keys --json
    expect_rc 0
    python3 "$ROOT/tests/cli/keys_to_answers.py" <.out >answers.txt
    while read -r q response; do
        KAOSHI_NOW=2027-07-18T09:10:00+08:00 run attempt answer "$ATTEMPT" "$q" "$response"
        expect_rc 0
    done <answers.txt
    KAOSHI_NOW=2027-07-18T09:20:00+08:00 run attempt submit "$ATTEMPT"
    expect_rc 0
    expect_out "submitted attempt $ATTEMPT"
    KAOSHI_NOW=2027-07-18T12:30:00+08:00 run grade s1
    expect_out "graded 1 finished attempts in s1"
    run results s1 --json
    expect_rc 0
    # every automatically scored question is right; the essay waits for a person
    python3 - <<'PY' || fail "results: $OUT"
import json
rows = json.load(open(".out"))
assert len(rows) == 1, rows
r = rows[0]
assert r["candidate"] == "C001" and r["outcome"] == "pending", r
assert abs(r["score"] - 85) < 1e-9 and r["max_score"] == 100, r
items = r["detail"]["items"]
assert sum(1 for i in items if i.get("fraction") == 1) == 7, items
PY
    # grading again gives the same result
    run results s1 --csv
    before=$OUT
    KAOSHI_NOW=2027-07-18T12:31:00+08:00 run grade s1
    run results s1 --csv
    expect_out "$before"
    expect_out_has 'C001,张三,1,finished,85.00,100.00,85.00,pending'
}

t_form_is_reproducible_from_its_seed() {
    open_demo
    start_c001
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --keys --json
    seed=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["seed"])' <.out)
    ids=$(python3 -c 'import json,sys; print([q["key"]["id"] for q in json.load(sys.stdin)["questions"]])' <.out)
    run preview DEMO-CS --seed "$seed" --json
    expect_rc 0
    again=$(python3 -c 'import json,sys; print([q["key"]["id"] for q in json.load(sys.stdin)["questions"]])' <.out)
    [ "$ids" = "$again" ] || fail "preview of seed $seed drew $again, the attempt has $ids"
}

t_candidate_view_has_no_keys() {
    open_demo
    start_c001
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --json
    expect_rc 0
    case $OUT in *'"answer"'*|*'"answers"'*|*explanation*|*rubric*|*'"key"'*)
        fail "the candidate's view leaks a key: $OUT" ;;
    esac
}

t_wrong_access_code_is_refused() {
    open_demo
    KAOSHI_NOW=$T0 run attempt start s1 C001 --code WRONGCODE1
    expect_rc 1
    expect_err "kaoshi: wrong access code for candidate C001"
}

t_start_before_the_window_is_refused() {
    open_demo
    KAOSHI_NOW=2027-07-18T08:59:00+08:00 run attempt start s1 C001 --code "$CODE1"
    expect_rc 1
    expect_err "kaoshi: sitting 's1' opens at 2027-07-18T09:00:00+08:00"
}

t_answer_after_deadline_is_refused_and_attempt_finished_at_deadline() {
    open_demo
    start_c001
    question_with text
    # 30 minutes from 09:05 is 09:35; 30 s grace
    KAOSHI_NOW=2027-07-18T09:35:29+08:00 run attempt answer "$ATTEMPT" "$Q" '{"text":"1"}'
    expect_rc 0
    KAOSHI_NOW=2027-07-18T09:35:31+08:00 run attempt answer "$ATTEMPT" "$Q" '{"text":"2"}'
    expect_rc 1
    expect_err "kaoshi: attempt $ATTEMPT ended at 2027-07-18T09:35:00+08:00 (deadline); the answer was not saved"
    KAOSHI_NOW=2027-07-18T09:40:00+08:00 run attempt show "$ATTEMPT" --json
    expect_out_has '"finish_reason":"deadline"'
    expect_out_has '"text":"1"'
}

t_concurrent_starts_create_one_attempt() {
    open_demo
    for i in 1 2 3 4 5 6; do
        KAOSHI_NOW=$T0 "$KAOSHI" attempt start s1 C001 --code "$CODE1" >start.$i 2>&1 &
    done
    wait
    started=$(grep -l '^started attempt' start.* | wc -l)
    resumed=$(grep -l '^resumed attempt' start.* | wc -l)
    [ "$started" = 1 ] && [ "$resumed" = 5 ] || fail "started $started, resumed $resumed: $(cat start.*)"
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM attempts')" = 1 ] || fail "more than one attempt stored"
}

t_retakes_use_fresh_items_and_stop_at_the_limit() {
    open_demo
    start_c001
    KAOSHI_NOW=$T0 run attempt submit "$ATTEMPT"
    KAOSHI_NOW=$T0 run attempt start s1 C001 --code "$CODE1"
    expect_rc 1
    expect_err "kaoshi: candidate C001 may not start another attempt: 上一次考试尚未评分，评分后方可补考"
    KAOSHI_NOW=$T0 run grade s1
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --keys --json
    first=$(python3 -c 'import json,sys; print(" ".join(q["key"]["id"] for q in json.load(sys.stdin)["questions"]))' <.out)
    KAOSHI_NOW=$T0 run attempt start s1 C001 --code "$CODE1" --json
    expect_rc 0
    expect_out_has '"number":2'
    second_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
    KAOSHI_NOW=$T0 run attempt show "$second_id" --keys --json
    second=$(python3 -c 'import json,sys; print(" ".join(q["key"]["id"] for q in json.load(sys.stdin)["questions"]))' <.out)
    for id in $second; do
        case " $first " in *" $id "*) fail "retake repeats $id" ;; esac
    done
    KAOSHI_NOW=$T0 run attempt submit "$second_id"
    KAOSHI_NOW=$T0 run grade s1
    KAOSHI_NOW=$T0 run attempt start s1 C001 --code "$CODE1"
    expect_rc 1
    expect_err "kaoshi: candidate C001 may not start another attempt: 已用完全部 2 次考试机会"
}

t_frozen_sitting_ignores_later_edits() {
    open_demo
    # an author edits the bank after the sitting opened: the sitting keeps
    # the frozen copy, so the attempt still draws and grades from it
    sed -i 's/^bank: demo$/bank: renamed/' banks/demo.yaml
    start_c001
    KAOSHI_NOW=$T0 run attempt submit "$ATTEMPT"
    KAOSHI_NOW=$T0 run grade s1
    expect_rc 0
    expect_out "graded 1 finished attempts in s1"
}

t_enroll_is_all_or_nothing() {
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert DEMO-CS --date $WINDOW_DATE
    printf 'C001,张三\nC002\n' >bad.csv
    run enroll s1 bad.csv
    expect_rc 1
    expect_err "kaoshi: bad.csv:2: expected two fields, number,name; found one"
    printf 'C001,张三\nC001,王五\n' >dup.csv
    run enroll s1 dup.csv
    expect_rc 1
    expect_err "kaoshi: dup.csv:2: candidate C001 is listed twice (first at line 1)"
    printf 'C001,张三\nC002,\xff\xfe\n' >latin1.csv
    run enroll s1 latin1.csv
    expect_rc 1
    expect_err "kaoshi: latin1.csv:2: candidate C002: the name must be 1 to 200 bytes of UTF-8 text; nobody was enrolled"
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM enrollments')" = 0 ] || fail "partial enrollment"
}

t_enroll_reads_a_spreadsheet_file_with_a_byte_order_mark() {
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert DEMO-CS --date $WINDOW_DATE
    printf '\xef\xbb\xbfnumber,name,extra_time\nC001,张三,30m\nC002,李四,\n' >bom.csv
    run enroll s1 bom.csv
    expect_rc 0
    [ "$(sqlite3 exam.db 'SELECT c.number, e.extra_ms FROM enrollments e JOIN candidates c
                          ON c.id = e.candidate_id ORDER BY 1')" = "C001|1800000
C002|0" ] || fail "the header was not recognised: $(sqlite3 exam.db 'SELECT number FROM candidates')"
}

t_open_refuses_a_broken_certification() {
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert DEMO-CS --date $WINDOW_DATE
    sed -i '0,/answer: 2/s//answer: 9/' banks/demo.yaml
    run sitting open s1
    expect_rc 1
    expect_err_has "banks/demo.yaml:"
    expect_err_has "field 'answer': expected an option number from 1 to 4, found 9"
    run sitting show s1 --json
    expect_out_has '"state": "draft"'
}

# ---- open exercises every hook first -------------------------------------------

create_kw() { # sitting s1 of certification KW, a draft
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert KW --date $WINDOW_DATE
    expect_rc 0
}

refuses_to_open() { # MESSAGE: 'sitting open s1' fails with it; s1 stays a draft, nothing frozen
    run sitting open s1
    expect_rc 1
    expect_err "kaoshi: $1"
    run sitting show s1 --json
    expect_out_has '"state": "draft"'
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM sources')" = 0 ] || fail "files were frozen"
}

t_open_refuses_a_score_that_fails() {
    use_kw
    sed -i 's/local given = response.blanks\[1\]/local given = normalize(response.blanks[1])/' scripts/kw.lua
    create_kw
    refuses_to_open "scripts/kw.lua:15: score() of item 'kw-1' (seed 1; 20 of 20 seeds): undeclared global 'normalize' (response {\"blanks\":[\"放弃率\"]})"
}

t_open_refuses_a_present_that_fails() {
    use_kw
    sed -i 's/blanks = 1 }/blanks = #item.word }/' scripts/kw.lua
    create_kw
    refuses_to_open "scripts/kw.lua:12: present() of item 'kw-1' (seed 1; 20 of 20 seeds): attempt to get length of a nil value (field 'word')"
}

t_open_refuses_a_generator_failing_on_one_seed_in_twenty() {
    use_kw
    sed -i 's/^  local n = rng:int(1, 20)$/&\n  if n == 7 then error("no question for n = 7") end/' \
        scripts/lib/kw_generators.lua
    create_kw
    refuses_to_open "scripts/lib/kw_generators.lua:4: generator 'double' of item 'kw-2' (seed 12; 1 of 20 seeds): no question for n = 7"
}

t_open_refuses_a_solve_without_full_marks() {
    use_kw
    sed -i 's/{ blanks = { item.words\[1\] } }/{ blanks = { item.words[1] .. "。" } }/' scripts/kw.lua
    create_kw
    refuses_to_open "scripts/kw.lua:19: solve() of item 'kw-1' (seed 1; 20 of 20 seeds): its response {\"blanks\":[\"放弃率。\"]} scores 0, not full marks (1)"
}

t_open_lists_every_problem() {
    use_kw
    sed -i 's/blanks = 1 }/blanks = #item.word }/' scripts/kw.lua
    sed -i 's/^  local n = rng:int(1, 20)$/&\n  if n == 7 then error("no question for n = 7") end/' \
        scripts/lib/kw_generators.lua
    create_kw
    refuses_to_open "scripts/kw.lua:12: present() of item 'kw-1' (seed 1; 20 of 20 seeds): attempt to get length of a nil value (field 'word')
scripts/lib/kw_generators.lua:4: generator 'double' of item 'kw-2' (seed 12; 1 of 20 seeds): no question for n = 7"
}

t_open_freezes_a_module_score_requires_at_run_time() {
    use_kw
    printf 'return { trim = function(s) return (s:gsub("^%%s+", ""):gsub("%%s+$", "")) end }\n' \
        >scripts/lib/kw_text.lua
    sed -i 's/local given = response.blanks\[1\]/local given = require("kw_text").trim(response.blanks[1])/' scripts/kw.lua
    create_kw
    run sitting open s1
    expect_rc 0
    [ "$(sqlite3 exam.db 'SELECT path FROM sources ORDER BY path' | tr '\n' ' ')" = \
      "banks/kw.yaml scripts/kw.lua scripts/lib/kw_generators.lua scripts/lib/kw_text.lua " ] ||
        fail "frozen: $(sqlite3 exam.db 'SELECT path FROM sources')"
    rm scripts/lib/kw_text.lua # the sitting needs only its frozen copy
    printf 'number,name\nC001,张三\n' >roster.csv
    run enroll s1 roster.csv
    code=$(sed -n 's/^C001,张三,//p' .out)
    KAOSHI_NOW=$T0 run attempt start s1 C001 --code "$code" --json
    expect_rc 0
    attempt=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
    KAOSHI_NOW=$T0 run attempt show "$attempt" --keys --json
    python3 - <<'PY' >answers.txt || fail "keys: $OUT"
import json
for q in json.load(open(".out"))["questions"]:
    key = q["key"]
    r = {"blanks": ["  " + key["words"][0] + " "]} if key["type"] == "keyword" else {"value": key["answer"]}
    print(q["question"], json.dumps(r, ensure_ascii=False))
PY
    while read -r q response; do
        KAOSHI_NOW=$T0 run attempt answer "$attempt" "$q" "$response"
        expect_rc 0
    done <answers.txt
    KAOSHI_NOW=$T0 run attempt submit "$attempt"
    KAOSHI_NOW=2027-07-18T12:30:00+08:00 run grade s1
    expect_rc 0
    expect_out "graded 1 finished attempts in s1"
    run results s1 --csv
    expect_out_has 'C001,张三,1,finished,100.00,100.00,100.00,pass'
}
