# Manual grading through the real binary: the essay of an attempt waits for a
# person ('kaoshi marking'), 'kaoshi mark' records the mark (audited) and the
# result becomes final; grading again reproduces it from the database.

. "$ROOT/tests/cli/sitting_fixture.sh"

t_marking_lists_the_essay_with_stem_rubric_and_answer() {
    submit_c001
    # the essay is drawn at random: its stem and rubric come from the keys
    python3 - <<'PY' >essay.txt
import json
k = json.load(open("keys.json"))["questions"][7]["key"]
print(k["id"]); print(k["stem"]); print(k["rubric"])
PY
    { read -r id; read -r stem; read -r rubric; } <essay.txt
    run marking s1
    expect_rc 0
    expect_out "attempt $ATTEMPT question 8 (candidate C001, item $id, 15 points)
  stem:   $stem
  rubric: $rubric
  answer: 先认可客户情绪，再查清原因并给出跟进承诺。
1 answers wait for a mark"
    run marking s1 --json
    expect_rc 0
    python3 - "$ATTEMPT" <<'PY' || fail "marking --json: $OUT"
import json, sys
rows = json.load(open(".out"))
key = json.load(open("keys.json"))["questions"][7]["key"]
assert len(rows) == 1, rows
r = rows[0]
assert r["attempt"] == int(sys.argv[1]) and r["candidate"] == "C001", r
assert r["question"] == 8 and r["item"] == key["id"] and r["points"] == 15, r
assert r["stem"] == key["stem"] and r["rubric"] == key["rubric"], r
assert r["response"] == {"text": "先认可客户情绪，再查清原因并给出跟进承诺。"}, r
PY
}

t_a_mark_makes_the_result_final_and_is_reproduced() {
    submit_c001
    run proctor add alice <<<'correct horse battery'
    expect_rc 0
    KAOSHI_NOW=2027-07-18T12:30:00+08:00 run grade s1
    run results s1 --csv
    expect_out_has "C001,张三,1,finished,85.00,100.00,85.00,pending"
    KAOSHI_NOW=2027-07-18T13:00:00+08:00 run mark "$ATTEMPT" 8 0.8 --comment '思路完整' --as alice
    expect_rc 0
    expect_out "marked question 8 of attempt $ATTEMPT: 0.8
attempt $ATTEMPT: 97.00 of 100.00, pass"
    run results s1 --csv
    expect_out_has "C001,张三,1,finished,97.00,100.00,97.00,pass"
    before=$OUT
    run marking s1
    expect_rc 0
    expect_out "no answers in s1 wait for a mark"
    # re-grading reproduces the result from the stored answers and marks
    KAOSHI_NOW=2027-07-18T14:00:00+08:00 run grade s1
    expect_rc 0
    run results s1 --csv
    expect_out "$before"
    [ "$(sqlite3 exam.db "SELECT fraction || ' ' || grader || ' ' || comment FROM marks")" = \
      "0.8 alice 思路完整" ] || fail "stored mark: $(sqlite3 exam.db 'SELECT * FROM marks')"
    [ "$(sqlite3 exam.db "SELECT actor || ' ' || detail FROM audit WHERE action = 'answer.mark'")" = \
      'proctor:alice {"comment":"思路完整","fraction":0.80000000000000004,"grader":"alice","question":8}' ] ||
        fail "audit: $(sqlite3 exam.db "SELECT * FROM audit WHERE action = 'answer.mark'")"
    # marking again replaces the mark (85 of 100 still passes)
    run mark "$ATTEMPT" 8 0
    expect_rc 0
    expect_out "marked question 8 of attempt $ATTEMPT: 0
attempt $ATTEMPT: 85.00 of 100.00, pass"
    [ "$(sqlite3 exam.db "SELECT count(*) || ' ' || grader FROM marks")" = "1 cli" ] ||
        fail "marks: $(sqlite3 exam.db 'SELECT * FROM marks')"
}

t_only_finished_essays_take_marks() {
    open_demo
    start_c001
    run mark "$ATTEMPT" 8 1
    expect_rc 1
    expect_err "kaoshi: attempt $ATTEMPT is still running; its answers can be marked once it has ended"
    KAOSHI_NOW=2027-07-18T09:20:00+08:00 run attempt submit "$ATTEMPT"
    run mark "$ATTEMPT" 1 1
    expect_rc 1
    expect_err_has "kaoshi: question 1 of attempt $ATTEMPT (item "
    expect_err_has ") is scored automatically; only answers graded by a person take marks"
    run mark "$ATTEMPT" 9 1
    expect_rc 1
    expect_err "kaoshi: question 9 does not exist; this form has 8"
    run mark "$ATTEMPT" 8 1 --as nobody
    expect_rc 1
    expect_err "kaoshi: no proctor named 'nobody'"
    [ "$(sqlite3 exam.db 'SELECT count(*) FROM marks')" = 0 ] || fail "a refused mark was stored"
}

t_mark_usage_errors() {
    run mark 1 8 1.5
    expect_rc 2
    expect_err "kaoshi mark: FRACTION: expected a number from 0 to 1 (the share of the question's points), found '1.5'
Try 'kaoshi mark --help'."
    run mark 1 0 1
    expect_rc 2
    expect_err "kaoshi mark: QUESTION: expected a question number from 1, found '0'
Try 'kaoshi mark --help'."
    run mark x 1 1
    expect_rc 2
    expect_err_has "kaoshi mark: ATTEMPT: expected a positive whole number, found 'x'"
    run mark 1 8
    expect_rc 2
    expect_err_has "kaoshi mark: expected ATTEMPT QUESTION FRACTION"
    run marking
    expect_rc 2
    expect_err_has "kaoshi marking: expected one sitting name"
    run marking nosuch
    expect_rc 1
    expect_err "kaoshi: no sitting named 'nosuch'"
}

t_results_are_published_once_every_essay_is_marked() {
    submit_c001
    run results s1 --publish
    expect_rc 1
    expect_err "kaoshi: sitting 's1' is open; close it before publishing its results"
    KAOSHI_NOW=2027-07-18T12:10:00+08:00 run sitting close s1
    expect_rc 0
    run results s1 --publish
    expect_rc 1
    expect_err "kaoshi: 1 attempts of sitting 's1' still wait for a person's marks (see 'kaoshi marking s1')"
    run mark "$ATTEMPT" 8 1
    expect_rc 0
    KAOSHI_NOW=2027-07-18T13:00:00+08:00 run results s1 --publish
    expect_rc 0
    expect_out "published the results of 1 attempts in s1
candidate    name             attempt    score      max  percent  outcome
C001         张三             1         100.00   100.00  100.00%  pass"
    [ "$(sqlite3 exam.db "SELECT actor || ' ' || detail FROM audit WHERE action = 'sitting.publish'")" = \
      'cli {"attempts":1}' ] || fail "audit: $(sqlite3 exam.db "SELECT * FROM audit")"
    run results s1 --publish
    expect_rc 1
    expect_err "kaoshi: the results of sitting 's1' were already published at 2027-07-18T13:00:00+08:00"
    run mark "$ATTEMPT" 8 0
    expect_rc 1
    expect_err "kaoshi: the results of sitting 's1' were published at 2027-07-18T13:00:00+08:00; marks can no longer change"
    run results s1 --csv
    expect_out_has "C001,张三,1,finished,100.00,100.00,100.00,pass"
}
