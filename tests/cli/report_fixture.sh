# Shared by the report tests (tests/cli/test_report.sh, test_http_report.sh):
# a three-question certification REP (two single-choice slots of 10 points,
# a true/false slot of 20, options in bank order) and its sitting r1 on
# 2027-07-18, answered by four candidates so that every figure of the report
# is known: scores 40, 30, 10, 0.
#
#   C1  r-1 right (2)  r-2 right (2)  r-3 true   40
#   C2  r-1 right (2)  r-2 wrong (1)  r-3 true   30
#   C3  r-1 wrong (3)  r-2 right (2)  r-3 false  10
#   C4  r-1 wrong (3)  r-2 wrong (3)  r-3 false   0
#
# Mean and median 20; V(T) = 1000/3 and Σ V(x_i) = 100/3 + 100/3 + 400/3, so
# CIC = 100·3/2·(1 − 200/(1000/3)) = 60, and KR-20 = 3/2·(1 − 0.75/1.25) =
# 0.6. Every facility is 50; the 27 % groups are one attempt each (C1, C4).
#   rep_cert [SHUFFLE_OPTIONS]   writes scripts/rep.lua and banks/rep.yaml
#   open_rep [SHUFFLE_OPTIONS]   sitting r1, opened, C1..C4 enrolled (codes.csv)
#   answer C CHOICE1 CHOICE2 TF  one whole attempt of C, submitted
#   four_graded                  r1 with the four attempts above, graded

. "$ROOT/tests/cli/sitting_fixture.sh"

rep_cert() { # [SHUFFLE_OPTIONS]: false unless given
    cat >scripts/rep.lua <<LUA
return certification {
  code = "REP",
  title = "报告测试",
  banks = { "rep" },
  duration = "30m",
  window = { opens = "09:00", closes = "12:00" },
  pass = 50,
  shuffle_options = ${1:-false},
  sections = {
    { title = "一、单选", from = { chapter = 1 }, pick = 2, points = 10, shuffle = false },
    { title = "二、判断", from = { chapter = 2 }, pick = 1, points = 20 },
  },
}
LUA
    cat >banks/rep.yaml <<'YAML'
bank: rep
items:
  - id: r-1
    type: single
    chapter: 1
    stem: 一加一等于几？
    options: ["1", "2", "3", "4"]
    answer: 2
  - id: r-2
    type: single
    chapter: 1
    stem: 二加二等于几？
    options: ["3", "4", "<b>5</b>"]
    answer: 2
  - id: r-3
    type: true_false
    chapter: 2
    stem: 地球绕太阳运行。
    answer: true
YAML
}

# sitting r1 of REP, opened, with C1..C4 enrolled (their codes in codes.csv);
# [SHUFFLE_OPTIONS] as for rep_cert
open_rep() {
    rep_cert "$@"
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create r1 --cert REP --date $WINDOW_DATE
    expect_rc 0
    run sitting open r1
    expect_rc 0
    printf 'C1,甲\nC2,乙\nC3,丙\nC4,丁\n' >roster.csv
    run enroll r1 roster.csv
    expect_rc 0
    cp .out codes.csv
}

# answer CANDIDATE CHOICE1 CHOICE2 TRUE_OR_FALSE: one whole attempt, submitted
answer() {
    local code id
    code=$(sed -n "s/^$1,[^,]*,//p" codes.csv)
    KAOSHI_NOW=$T0 run attempt start r1 "$1" --code "$code" --json
    expect_rc 0
    id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
    KAOSHI_NOW=$T0 run attempt answer "$id" 1 "{\"choice\":$2}"
    KAOSHI_NOW=$T0 run attempt answer "$id" 2 "{\"choice\":$3}"
    KAOSHI_NOW=$T0 run attempt answer "$id" 3 "{\"value\":$4}"
    expect_rc 0
    KAOSHI_NOW=$T0 run attempt submit "$id"
    expect_rc 0
}

four_graded() {
    open_rep
    answer C1 2 2 true
    answer C2 2 1 true
    answer C3 3 2 false
    answer C4 3 3 false
    KAOSHI_NOW=2027-07-18T12:30:00+08:00 run grade r1
    expect_out "graded 4 finished attempts in r1"
}
