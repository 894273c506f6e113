# kaoshi report through the real binary on a real sitting: the four graded
# attempts of tests/cli/report_fixture.sh, whose every figure is known.

. "$ROOT/tests/cli/report_fixture.sh"

t_json_report_has_the_known_figures() {
    four_graded
    run report r1 --json
    expect_rc 0
    python3 - <<'PY' || fail "report --json: $OUT"
import json, math
r = json.load(open(".out"))
near = lambda a, b: abs(a - b) <= 1e-9 * max(1, abs(b))
assert r["code"] == "REP" and r["title"] == "报告测试" and r["sittings"] == ["r1"], r
assert r["attempts"] == "all", r
t = r["test"]
assert t["n"] == 4 and t["max_score"] == 40 and t["mean"] == 20 and t["median"] == 20, t
assert near(t["sd"], math.sqrt(1000 / 3)), t
assert near(t["cic"], 60) and near(t["kr20"], 0.6) and t["group_size"] == 1, t
assert near(t["error_ratio"], 100 * math.sqrt(0.4)), t
assert t["skewness"] == 0, t
slots = r["slots"]
assert [s["items"] for s in slots] == [["r-1"], ["r-2"], ["r-3"]], slots
assert [s["intended_weight"] for s in slots] == [25, 25, 50], slots
assert all(s["facility"] == 50 and s["p"] == 0.5 and s["d"] == 1 for s in slots), slots
assert slots[2]["section"] == 2 and slots[2]["section_title"] == "二、判断", slots
# r-1 against the rest of the test (30, 20, 10, 0): r = 2/√5
assert near(slots[0]["discrimination_index"], 200 / math.sqrt(5)), slots[0]
items = {i["id"]: i for i in r["items"]}
r1, r3 = items["r-1"], items["r-3"]
assert r1["key"] == [2] and r1["random_guess_score"] == 25, r1
o = r1["options"]
assert [x["count"] for x in o] == [0, 2, 2, 0], o
assert (o[1]["upper"], o[1]["middle"], o[1]["lower"]) == (1, 1, 0), o
assert (o[2]["upper"], o[2]["middle"], o[2]["lower"]) == (0, 1, 1), o
assert o[1]["mean_total"] == 35 and o[2]["mean_total"] == 5 and o[0]["mean_total"] == "nan", o
assert r1["flags"] == ["distractor_unused"], r1
assert items["r-2"]["options"][2]["text"] == "<b>5</b>", items["r-2"]
assert r3["type"] == "true_false" and r3["key"] == [1], r3
assert [(x["text"], x["count"]) for x in r3["options"]] == [("正确", 2), ("错误", 2)], r3
assert r3["random_guess_score"] == 50 and r3["omitted"]["count"] == 0, r3
assert near(r3["discriminative_efficiency"], 100) and r3["flags"] == [], r3
assert "comparison" not in r
PY
}

t_csv_report_has_one_row_per_item() {
    four_graded
    run report r1 --csv
    expect_rc 0
    # effective weights √C(x,T) = √100, √(100/3), √200 over their sum;
    # discrimination against the rest of the test: r-1 2/√5, r-2 0 (C2's and
    # C3's rests are 30 and 0 whichever way they answered r-2), r-3 1/√2;
    # point-biserial 3/√10, 1/√10, 3/√10
    expect_out "item,type,slots,n,facility,sd,random_guess_score,intended_weight,effective_weight,discrimination_index,discriminative_efficiency,p,point_biserial,d,flags
r-1,single,1,4,50.0000,57.7350,25.0000,25.0000,33.4273,89.4427,100.0000,0.5000,0.9487,1.0000,distractor_unused
r-2,single,2,4,50.0000,57.7350,33.3333,25.0000,19.2993,0.0000,0.0000,0.5000,0.3162,1.0000,weak_discrimination;low_efficiency
r-3,true_false,3,4,50.0000,57.7350,50.0000,50.0000,47.2734,70.7107,100.0000,0.5000,0.9487,1.0000,"
}

t_text_report_lists_test_figures_and_items() {
    four_graded
    run report r1
    expect_rc 0
    expect_out_has "REP 报告测试, sitting r1 (all graded attempts)"
    expect_out_has "attempts            4"
    expect_out_has "mean                20.00 (50.00%)"
    expect_out_has "CIC                 60.00%"
    expect_out_has "KR-20               0.6000"
    expect_out_has "r-1              single     1            4   50.00  57.74  25.00  25.00  33.43   89.44  100.00 0.500  0.949  1.000 distractor_unused"
}

t_html_report_is_a_page_with_the_histogram() {
    four_graded
    run report r1 --html report.html
    expect_rc 0
    expect_out "wrote the report of 4 attempts to report.html"
    grep -q '<svg xmlns="http://www.w3.org/2000/svg" class="histogram"' report.html ||
        fail "no histogram in report.html"
    grep -q '<svg xmlns="http://www.w3.org/2000/svg" class="scatter-plot"' report.html ||
        fail "no scatter plot in report.html"
    grep -q '<td class="text">&lt;b&gt;5&lt;/b&gt;</td>' report.html ||
        fail "an option's text is not escaped"
    ! grep -q -e '<script' -e 'style="' -e '<b>5' report.html ||
        fail "report.html holds a script, a style attribute or unescaped text"
    grep -q '<tr><th>作答数</th><td>4</td></tr>' report.html || fail "no attempt count"
}

t_only_graded_attempts_count() {
    open_rep
    answer C1 2 2 true
    answer C2 2 1 true
    code=$(sed -n 's/^C3,[^,]*,//p' codes.csv)
    KAOSHI_NOW=$T0 run attempt start r1 C3 --code "$code" # still running
    run report r1 --json
    expect_rc 0
    expect_out_has '"n": 0'
    KAOSHI_NOW=2027-07-18T09:30:00+08:00 run grade r1
    expect_out "graded 2 finished attempts in r1"
    run report r1 --json --attempts first
    expect_out_has '"attempts": "first"'
    python3 -c 'import json; t = json.load(open(".out"))["test"]; assert t["n"] == 2 and t["mean"] == 35, t' ||
        fail "expected the two graded attempts: $OUT"
}

t_compare_two_sittings() {
    four_graded
    run report r1 --compare r1 --json
    expect_rc 0
    # the same scores on both sides: t = 0, p = 1
    python3 - <<'PY' || fail "comparison: $OUT"
import json
c = json.load(open(".out"))["comparison"]
assert c["test"] == "welch" and c["a"] == "r1" and c["b"] == "r1", c
assert c["n1"] == 4 and c["n2"] == 4 and c["mean1"] == 50 and c["t"] == 0, c
assert c["p_two_sided"] == 1 and c["significant"] is False, c
PY
    run report r1 --compare-retakes
    expect_rc 0
    expect_out_has "comparison (Welch's t-test of scores in percent): A = 首次作答, B = 补考
no test: too few observations for the statistic"
}

t_usage_errors() {
    run report
    expect_rc 2
    expect_err "kaoshi report: expected one or more sitting names
Try 'kaoshi report --help'."
    run report r1 --attempts some
    expect_rc 2
    expect_err "kaoshi report: --attempts: expected first or all, found 'some'
Try 'kaoshi report --help'."
    run report r1 --json --csv
    expect_rc 2
    expect_err "kaoshi report: choose one of --json, --csv and --html
Try 'kaoshi report --help'."
    run report r1 --compare r2 --compare-retakes
    expect_rc 2
    expect_err "kaoshi report: choose one of --compare and --compare-retakes
Try 'kaoshi report --help'."
    run report r1 --compare-retakes --attempts first
    expect_rc 2
    expect_err "kaoshi report: --compare-retakes compares first attempts with retakes, so it needs --attempts all
Try 'kaoshi report --help'."
    run report --help
    expect_rc 0
    expect_out_has "usage: kaoshi report SITTING [SITTING...] [--json | --csv | --html FILE]"
}

t_unknown_draft_and_mixed_sittings_are_refused() {
    rep_cert
    run report nosuch
    expect_rc 1
    expect_err "kaoshi: no sitting named 'nosuch'"
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create draft1 --cert REP --date $WINDOW_DATE
    run report draft1
    expect_rc 1
    expect_err "kaoshi: sitting 'draft1' has not been opened"
    four_graded
    run report r1 nosuch --csv
    expect_rc 1
    expect_err "kaoshi: no sitting named 'nosuch'"
    expect_out ""
    open_demo
    run report r1 s1
    expect_rc 1
    expect_err "kaoshi: sitting 's1' is of DEMO-CS, not REP; report certifications separately"
    run report r1 r1
    expect_rc 1
    expect_err "kaoshi: sitting 'r1' is named twice"
}

# answer_bank CANDIDATE OPTION: answers question 1 (r-1, options shuffled)
# with the bank's option OPTION, wherever the form shows it
answer_bank() {
    local code id place
    code=$(sed -n "s/^$1,[^,]*,//p" codes.csv)
    KAOSHI_NOW=$T0 run attempt start r1 "$1" --code "$code" --json
    id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
    KAOSHI_NOW=$T0 run attempt show "$id" --keys --json
    place=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["questions"][0]["key"]["shown"].index('"$2"') + 1)' <.out)
    KAOSHI_NOW=$T0 run attempt answer "$id" 1 "{\"choice\":$place}"
    expect_rc 0
    KAOSHI_NOW=$T0 run attempt submit "$id"
}

t_options_are_counted_in_the_banks_numbering() {
    open_rep true
    answer_bank C1 2
    answer_bank C2 4
    answer_bank C3 4
    answer_bank C4 1
    KAOSHI_NOW=2027-07-18T12:30:00+08:00 run grade r1
    run report r1 --json
    python3 - <<'PY' || fail "options: $OUT"
import json, sqlite3
orders = [json.loads(f)["slots"][0]["data"]["order"]
          for (f,) in sqlite3.connect("exam.db").execute("SELECT form FROM attempts")]
assert orders != [[1, 2, 3, 4]] * 4, orders  # shuffled (all four in bank order: 1 in 24^4)
r1 = next(i for i in json.load(open(".out"))["items"] if i["id"] == "r-1")
assert [o["count"] for o in r1["options"]] == [1, 1, 0, 2], r1["options"]
assert r1["options"][1]["key"] and r1["options"][1]["upper"] == 1, r1["options"]
assert r1["omitted"]["count"] == 0, r1
PY
}

t_answers_waiting_for_a_mark_are_left_out() {
    open_demo # DEMO-CS: every built-in question type, an essay among them
    start_c001
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --keys --json
    python3 "$ROOT/tests/cli/keys_to_answers.py" <.out >answers.txt
    while read -r q response; do
        KAOSHI_NOW=$T0 run attempt answer "$ATTEMPT" "$q" "$response"
    done <answers.txt
    KAOSHI_NOW=$T0 run attempt submit "$ATTEMPT"
    KAOSHI_NOW=2027-07-18T12:30:00+08:00 run grade s1
    run report s1 --json
    expect_rc 0
    python3 -c 'import json; assert json.load(open(".out"))["test"]["n"] == 0' ||
        fail "an attempt waiting for a mark was analysed: $OUT"
    essay=$(sed -n 's/^\([0-9]*\) {"text".*/\1/p' answers.txt)
    KAOSHI_NOW=2027-07-18T12:40:00+08:00 run mark "$ATTEMPT" "$essay" 1
    expect_rc 0
    run report s1 --json
    python3 - <<'PY' || fail "the marked attempt: $OUT"
import json
r = json.load(open(".out"))
assert r["test"]["n"] == 1 and r["test"]["mean"] == 100, r["test"]
# every question right: the keys of the choice items were chosen
for i in r["items"]:
    assert i["facility"] == 100, i
    assert all(o["count"] == (1 if o["key"] else 0) for o in i["options"]), i
assert sum(1 for i in r["items"] if i["options"]) >= 2, r["items"]
PY
}

t_an_html_file_that_cannot_be_written_is_an_error() {
    four_graded
    # /dev/full accepts the open and fails the flush at close
    run report r1 --html /dev/full
    expect_rc 1
    expect_err "kaoshi: cannot write /dev/full: No space left on device"
    run report r1 --html no/such/dir/report.html
    expect_rc 1
    expect_err "kaoshi: cannot write no/such/dir/report.html: No such file or directory"
}
