# Shared set-up for CLI tests that need an open sitting of the example
# certification: sitting s1 on 2027-07-18 (window 09:00-12:00 +08:00) with
# candidates C001 and C002; start_c001 starts C001's attempt at 09:05;
# submit_c001 opens s1, and C001 answers every question right (keys.json
# holds the keys) and submits at 09:20; question_with WIDGET sets Q to the
# number of its first question whose view is of that widget (choice, text,
# ...), so a test answers it in its shape.

export KAOSHI_DB=exam.db
WINDOW_DATE=2027-07-18          # DEMO-CS window 09:00-12:00 +08:00
T0=2027-07-18T09:05:00+08:00

open_demo() { # creates and opens sitting s1, enrolls C001 and C002
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert DEMO-CS --date $WINDOW_DATE
    expect_rc 0
    run sitting open s1
    expect_rc 0
    printf 'number,name\nC001,张三\nC002,"李, 四"\n' >roster.csv
    run enroll s1 roster.csv
    expect_rc 0
    CODE1=$(sed -n 's/^C001,张三,//p' .out)
    CODE2=$(sed -n 's/^C002,"李, 四",//p' .out)
    [ ${#CODE1} = 10 ] || fail "no access code for C001 in: $OUT"
}

start_c001() {
    KAOSHI_NOW=$T0 run attempt start s1 C001 --code "$CODE1" --json
    expect_rc 0
    ATTEMPT=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
}

submit_c001() { # the essay is question 8
    open_demo
    start_c001
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --keys --json
    cp .out keys.json
    python3 "$ROOT/tests/cli/keys_to_answers.py" <keys.json >answers.txt
    while read -r q response; do
        KAOSHI_NOW=2027-07-18T09:10:00+08:00 run attempt answer "$ATTEMPT" "$q" "$response"
        expect_rc 0
    done <answers.txt
    KAOSHI_NOW=2027-07-18T09:20:00+08:00 run attempt submit "$ATTEMPT"
    expect_rc 0
}

question_with() {
    KAOSHI_NOW=$T0 run attempt show "$ATTEMPT" --json
    expect_rc 0
    Q=$(python3 -c 'import json,sys; print(next(q["question"] for q in json.load(open(".out"))["questions"] if q["view"]["widget"] == sys.argv[1]))' "$1")
    [ -n "$Q" ] || fail "no $1 question on attempt $ATTEMPT"
}
