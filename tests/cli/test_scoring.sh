# Every built-in question type scores a right answer 1 and a wrong one 0
# through the real binary, with keys at the edges (the last option, the
# first, reversed orders), in a certification that puts every item on the form.
. "$ROOT/tests/cli/sitting_fixture.sh"

write_edge_certification() {
    cat >scripts/edge.lua <<'LUA'
return certification {
  code = "EDGE", title = "边界", banks = { "edge" }, duration = "10m",
  window = { opens = "09:00", closes = "12:00" },
  sections = { { title = "全部", from = {}, pick = 8, points = 1 } },
}
LUA
    cat >banks/edge.yaml <<'YAML'
bank: edge
items:
  - { id: s-last, type: single, stem: 选最后一项, options: [a, b, c, d], answer: 4 }
  - { id: m-last, type: multiple, stem: 选二和四, options: [a, b, c, d], answer: [2, 4] }
  - { id: m-all, type: multiple, stem: 全选, options: [a, b, c], answer: [1, 2, 3], rule: all_or_nothing }
  - { id: tf, type: true_false, stem: 错, answer: false }
  - { id: fill, type: fill, stem: 填空, answers: [[服务水平, 服务水准], 放弃率] }
  - { id: num, type: numeric, stem: 数, answer: 12.5, tolerance: 0.1 }
  - { id: ord, type: ordering, stem: 排序, items: [一, 二, 三, 四], rule: adjacent }
  - { id: match, type: matching, stem: 配对, pairs: [[a, 甲], [b, 乙], [c, 丙]] }
YAML
}

start_edge() {
    write_edge_certification
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create e1 --cert EDGE --date $WINDOW_DATE
    expect_rc 0
    run sitting open e1
    expect_rc 0
    printf 'C001,张三\n' >roster.csv
    run enroll e1 roster.csv
    CODE=$(sed -n 's/^C001,张三,//p' .out)
    KAOSHI_NOW=$T0 run attempt start e1 C001 --code "$CODE" --json
    expect_rc 0
    ATTEMPT=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
}

grade_and_fractions() { # prints "id fraction" per question
    KAOSHI_NOW=$T0 run attempt submit "$ATTEMPT"
    KAOSHI_NOW=$T0 run grade e1
    run results e1 --json
    python3 -c '
import json
for i in json.load(open(".out"))[0]["detail"]["items"]:
    print(i["id"], "%g" % i["fraction"])' | sort
}

t_right_answers_score_one() {
    start_edge
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --keys --json
    python3 "$ROOT/tests/cli/keys_to_answers.py" <.out >answers.txt
    while read -r q response; do
        KAOSHI_NOW=$T0 run attempt answer "$ATTEMPT" "$q" "$response"
        expect_rc 0
    done <answers.txt
    got=$(grade_and_fractions)
    [ "$got" = "fill 1
m-all 1
m-last 1
match 1
num 1
ord 1
s-last 1
tf 1" ] || fail "right answers scored: $got"
}

t_wrong_answers_score_zero_or_partial() {
    start_edge
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --keys --json
    python3 - >answers.txt <<'PY'
import json
# wrong answers, as bank numbers; the page names choices by place
wrong = {
    "s-last": ("choice", 1), "m-last": ("choices", [1, 3]), "m-all": ("choices", [1, 2]),
    "ord": ("order", [4, 3, 2, 1]), "match": ("matches", [2, 1, 3]),
}
plain = {"tf": {"value": True}, "fill": {"blanks": ["服务 水平", "错"]}, "num": {"value": 12.7}}
for q in json.load(open(".out"))["questions"]:
    key = q["key"]
    if key["id"] in plain:
        r = plain[key["id"]]
    else:
        field, banks = wrong[key["id"]]
        place = lambda k: key["shown"].index(k) + 1
        r = {field: place(banks) if isinstance(banks, int) else [place(k) for k in banks]}
    print(q["question"], json.dumps(r, ensure_ascii=False))
PY
    while read -r q response; do
        KAOSHI_NOW=$T0 run attempt answer "$ATTEMPT" "$q" "$response"
    done <answers.txt
    got=$(grade_and_fractions)
    # fill: the first blank matches once spaces are ignored; matching: one of
    # three pairs right; right_minus_wrong floors at 0
    [ "$got" = "fill 0.5
m-all 0
m-last 0
match 0.333333
num 0
ord 0
s-last 0
tf 0" ] || fail "wrong answers scored: $got"
}

# Matching saved partially: an unpaired left entry is null; the response is
# accepted and each right pair earns its share (per_pair), while a list of
# the wrong length or an unknown id is still refused.
t_partial_matching_scores_per_pair() {
    start_edge
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --keys --json
    python3 - >partial.txt <<'PY'
import json
for q in json.load(open(".out"))["questions"]:
    key = q["key"]
    if key["id"] == "match":
        place = lambda k: key["shown"].index(k) + 1
        print(q["question"], json.dumps({"matches": [place(1), None, place(3)]}))
PY
    read -r q response <partial.txt
    KAOSHI_NOW=$T0 run attempt answer "$ATTEMPT" "$q" '{"matches": [1, 2]}'
    [ "$RC" -ne 0 ] || fail "a matching answer of the wrong length was accepted"
    KAOSHI_NOW=$T0 run attempt answer "$ATTEMPT" "$q" '{"matches": [null, 9, null]}'
    [ "$RC" -ne 0 ] || fail "a matching answer with an unknown id was accepted"
    KAOSHI_NOW=$T0 run attempt answer "$ATTEMPT" "$q" "$response"
    expect_rc 0
    got=$(grade_and_fractions | grep '^match ')
    [ "$got" = "match 0.666667" ] || fail "2 of 3 pairs scored: $got"
}
