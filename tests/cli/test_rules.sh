# The declarative pass rule through the real binary: section minimums in
# percent and in points, items with points of their own (in the maximum, in
# preview and check, in item analysis), and the reason a failed result keeps
# (results.detail, as `kaoshi results --json` shows it), for the pass mark,
# the minimums and a pass function.

export KAOSHI_DB=exam.db

# RULES: 基础 (two true/false items, 10 points each, at least 50%) and 投诉处理
# (r-c1 worth 30 of its own and r-c2 worth 10, at least 12 points); every
# pool is as large as its pick, so every form holds every item. PASS is the
# pass rule.
rules_cert() {
    cat >scripts/rules.lua <<EOF
return certification {
  code = "RULES",
  title = "通过规则",
  banks = { "rules" },
  duration = "30m",
  pass = ${1:-50},
  sections = {
    { title = "基础", from = { chapter = 1 }, pick = 2, points = 10, min = "50%" },
    { title = "投诉处理", from = { chapter = 2 }, pick = 2, points = 10, min = 12 },
  },
}
EOF
    cat >banks/rules.yaml <<'EOF'
bank: rules
items:
  - { id: r-b1, type: true_false, chapter: 1, stem: 甲, answer: true }
  - { id: r-b2, type: true_false, chapter: 1, stem: 乙, answer: true }
  - { id: r-c1, type: true_false, chapter: 2, stem: 丙, answer: true, points: 30 }
  - { id: r-c2, type: true_false, chapter: 2, stem: 丁, answer: true }
EOF
}

# A sitting of RULES with C001 and C002 (codes CODE1, CODE2).
open_rules() {
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert RULES \
        --opens 2027-07-18T09:00+08:00 --closes 2027-07-18T12:00+08:00
    expect_rc 0
    run sitting open s1
    expect_rc 0
    printf 'number,name\nC001,张三\nC002,李四\n' >roster.csv
    run enroll s1 roster.csv
    expect_rc 0
    CODE1=$(sed -n 's/^C001,张三,//p' .out)
    CODE2=$(sed -n 's/^C002,李四,//p' .out)
}

# sit NUMBER CODE RIGHT...: the candidate starts, answers the items named
# right and gets the others wrong, and submits.
sit() {
    local number=$1 code=$2
    shift 2
    KAOSHI_NOW=2027-07-18T09:05:00+08:00 run attempt start s1 "$number" --code "$code" --json
    expect_rc 0
    local attempt
    attempt=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
    KAOSHI_NOW=2027-07-18T09:06:00+08:00 run attempt show "$attempt" --keys --json
    python3 - "$@" >answers.txt <<'PY'
import json, sys
for q in json.load(open(".out"))["questions"]:
    print(q["question"], json.dumps({"value": q["key"]["id"] in sys.argv[1:]}))
PY
    while read -r question response; do
        KAOSHI_NOW=2027-07-18T09:07:00+08:00 run attempt answer "$attempt" "$question" "$response"
        expect_rc 0
    done <answers.txt
    KAOSHI_NOW=2027-07-18T09:10:00+08:00 run attempt submit "$attempt"
    expect_rc 0
}

# The stored results of s1, graded, as JSON in results.json.
graded_results() {
    KAOSHI_NOW=2027-07-18T12:30:00+08:00 run grade s1
    expect_rc 0
    run results s1 --json
    expect_rc 0
    cp .out results.json
}

t_a_section_under_its_minimum_fails_with_the_reason() {
    rules_cert 50
    open_rules
    # C001: 10 of 20 in 基础 (50%), r-c1's 30 in 投诉处理: 40 of 60, passed
    sit C001 "$CODE1" r-b1 r-c1
    # C002: 基础 in full, only r-c2's 10 in 投诉处理: 30 of 60 (50%) meets
    # the pass mark, but 10 points is under 投诉处理's 12
    sit C002 "$CODE2" r-b1 r-b2 r-c2
    graded_results
    python3 - <<'PY' || fail "results: $(cat results.json)"
import json
rows = {r["candidate"]: r for r in json.load(open("results.json"))}
one, two = rows["C001"], rows["C002"]
assert one["outcome"] == "pass" and one["detail"]["passed"] is True, one
assert "reason" not in one["detail"], one
assert two["outcome"] == "fail" and two["percent"] == 50.0, two
d = two["detail"]
assert d["passed"] is False and d["max_score"] == 60, d
assert d["reason"] == "第 2 部分「投诉处理」得分 10 分，低于 12 分", d["reason"]
assert [(s["title"], s["score"], s["max_score"], s["percent"], s["min"]) for s in d["sections"]] == \
    [("基础", 20, 20, 100.0, "50%"), ("投诉处理", 10, 40, 25.0, "12 分")], d["sections"]
assert {i["id"]: i["max_points"] for i in d["items"]} == \
    {"r-b1": 10, "r-b2": 10, "r-c1": 30, "r-c2": 10}, d["items"]
PY
    run results s1 --csv
    expect_out_has "C002,李四,1,finished,30.00,60.00,50.00,fail"
}

t_the_pass_mark_and_a_percentage_minimum_are_both_named() {
    rules_cert 70
    open_rules
    # 基础 0%, 投诉处理 30 points: 30 of 60
    sit C001 "$CODE1" r-c1
    graded_results
    python3 - <<'PY' || fail "results: $(cat results.json)"
import json
d = json.load(open("results.json"))[0]["detail"]
assert d["reason"] == "总分 50%，低于及格线 70%；第 1 部分「基础」得分 0%，低于 50%", d["reason"]
PY
}

t_a_pass_function_gives_the_reason() {
    rules_cert 'function(r) if r.sections[2].score < 40 then return false, "投诉处理须全对" end return true end'
    open_rules
    sit C001 "$CODE1" r-b1 r-b2 r-c1
    sit C002 "$CODE2" r-b1 r-b2 r-c1 r-c2
    graded_results
    python3 - <<'PY' || fail "results: $(cat results.json)"
import json
rows = {r["candidate"]: r["detail"] for r in json.load(open("results.json"))}
assert rows["C001"]["passed"] is False and rows["C001"]["reason"] == "投诉处理须全对", rows["C001"]
assert rows["C002"]["passed"] is True and "reason" not in rows["C002"], rows["C002"]
PY
}

t_check_runs_the_pass_function_on_whole_forms() {
    rules_cert 'function(r) if r.percent > 60 then return "yes" end return false end'
    run check scripts/rules.lua
    expect_rc 1
    expect_err 'scripts/rules.lua:6: seed 1 (20 of 20 seeds), every question scored 70%: grading failed: pass() must return true or false (got "yes")'
    # a minimum reaches pass() as a number too
    rules_cert 'function(r) assert(r.sections[1].min_percent == 50 and r.sections[2].min_points == 12 and r.sections[1].min == "50%" and r.sections[2].min_percent == nil) return true end'
    run check scripts/rules.lua
    expect_rc 0
}

t_items_with_points_of_their_own_change_the_maximum() {
    rules_cert 50
    # r-c3, worth the section's 10, may stand in for r-c1 (30)
    echo '  - { id: r-c3, type: true_false, chapter: 2, stem: 戊, answer: true }' >>banks/rules.yaml
    run check scripts/rules.lua --seeds 1
    expect_rc 0
    expect_out "ok scripts/rules.lua: RULES 通过规则, 5 items, 4 questions, 40–60 points, 30 minutes"
    for seed in 1 2 3 4 5 6 7 8; do
        run preview RULES --seed $seed
        case $OUT in
        *"r-c1 (30 points)"*) expect_out_has ": seed $seed, 4 questions, 60 points, 30 minutes" ;;
        *) expect_out_has ": seed $seed, 4 questions, 40 points, 30 minutes" ;;
        esac
    done
}

t_check_warns_when_some_forms_cannot_meet_a_minimum_in_points() {
    rules_cert 50
    # with r-c3 (10) drawn instead of r-c1 (30), section 2 gives only 20
    echo '  - { id: r-c3, type: true_false, chapter: 2, stem: 戊, answer: true }' >>banks/rules.yaml
    sed -i 's/min = 12 }/min = 25 }/' scripts/rules.lua
    run check scripts/rules.lua --seeds 1
    expect_rc 0
    expect_err "warning: scripts/rules.lua:9: section 2 (投诉处理): 'min' is 25 points but some forms give the section only 20: a candidate with such a form can never meet it"
}

t_a_bad_minimum_is_named_at_its_line() {
    rules_cert 50
    sed -i 's/min = "50%"/min = "50 %"/' scripts/rules.lua
    run check scripts/rules.lua
    expect_rc 1
    expect_err "scripts/rules.lua:8: certification: section 1: 'min' must be a share of the section's points such as \"50%\" (above 0%, at most 100%) or a positive number of points such as 12 (got \"50 %\")"
    rules_cert 50
    sed -i 's/min = 12 }/min = 41 }/' scripts/rules.lua
    run check scripts/rules.lua
    expect_rc 1
    expect_err "scripts/rules.lua:9: section 2 (投诉处理): 'min' is 41 points but the section gives at most 40"
}

t_section_points_must_be_a_sane_number() {
    rules_cert 50
    sed -i 's/pick = 2, points = 10, min = 12/pick = 2, points = 1e308, min = 12/' scripts/rules.lua
    run check scripts/rules.lua
    expect_rc 1
    expect_err "scripts/rules.lua:9: certification: section 2: 'points' must be a positive number per question, at most 1000 (got 1e+308)"
}

t_bad_points_are_named_in_the_bank() {
    rules_cert 50
    sed -i 's/points: 30 }/points: -30 }/' banks/rules.yaml
    run check banks/rules.yaml
    expect_rc 1
    expect_err "banks/rules.yaml:5:78: item 'r-c1': field 'points': expected a positive number of points, at most 1000, found -30"
}

t_item_analysis_counts_an_item_at_its_sections_points() {
    rules_cert 50
    open_rules
    sit C001 "$CODE1" r-b1 r-c1
    sit C002 "$CODE2" r-b1 r-b2 r-c2
    graded_results
    # r-c1 (30 of its own) counts at 投诉处理's 10: right once in two attempts
    KAOSHI_NOW=2027-07-18T12:40:00+08:00 run report s1 --json
    expect_rc 0
    python3 - <<'PY' || fail "report: $OUT"
import json
r = json.load(open(".out"))
assert r["test"]["n"] == 2 and r["test"]["max_score"] == 40, r["test"]
items = {i["id"]: (i["points"], i["mean"]) for i in r["items"]}
assert items["r-c1"] == (10, 5) and items["r-b1"] == (10, 10), items
PY
}
