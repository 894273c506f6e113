# CLI basics: the command table, usage errors and exit codes.

t_version() {
    run version
    expect_rc 0
    expect_out "kaoshi 0.1.0"
}

t_unknown_command_is_usage_error() {
    run frobnicate
    expect_rc 2
    expect_err "kaoshi: unknown command 'frobnicate'
Try 'kaoshi --help'."
}

t_help_lists_commands() {
    run --help
    expect_rc 0
    expect_out_has "version"
}

# ---- kaoshi preview: what a question type's reveal leaves out, and numbers ----

# RV: a question type of its own whose reveal() gives a key without the
# item's id, and a numeric item whose answer is 6.3 (a double that %.17g
# writes 6.2999999999999998).
write_reveal_cert() {
    cat >scripts/rv.lua <<'LUA'
return certification {
  code = "RV",
  title = "Reveal",
  banks = { "rv" },
  duration = "30m",
  question_types = {
    yes_no = {
      fields = { stem = "text", answer = "boolean" },
      present = function(item) return { stem = item.stem, widget = "truth" } end,
      score = function(item, response) return response.value == item.answer and 1 or 0 end,
      reveal = function(item) return { answer = item.answer } end,
    },
  },
  sections = {
    { title = "A", from = { type = "yes_no" }, pick = 1, points = 6.3 },
    { title = "B", from = { type = "numeric" }, pick = 1, points = 0.1 },
  },
}
LUA
    cat >banks/rv.yaml <<'YAML'
bank: rv
items:
  - id: rv-1
    type: yes_no
    stem: Is it so?
    answer: true
  - id: rv-2
    type: numeric
    stem: How much?
    answer: 6.3
    tolerance: 0.30000000000000004
YAML
}

t_preview_names_the_item_when_reveal_leaves_out_its_id() {
    write_reveal_cert
    run preview RV --seed 1
    expect_rc 0
    expect_err ""
    grep -qxF "1. [yes_no] rv-1" .out || fail "no line '1. [yes_no] rv-1' in: $OUT"
    grep -qxF "2. [numeric] rv-2" .out || fail "no line '2. [numeric] rv-2' in: $OUT"
    case $OUT in *"(null)"*) fail "preview printed (null): $OUT" ;; esac
}

t_preview_prints_numbers_as_the_page_shows_them() {
    write_reveal_cert
    run preview RV --seed 1
    expect_rc 0
    grep -qxF "== A (1 × 6.3 points)" .out || fail "section A: $OUT"
    grep -qxF "   key.answer: 6.3" .out || fail "key.answer: $OUT"
    grep -qxF "   key.tolerance: 0.30000000000000004" .out || fail "key.tolerance: $OUT"
    run preview RV --seed 1 --json
    expect_rc 0
    grep -qxF '        "answer": 6.3,' .out || fail "--json answer: $OUT"
    grep -qxF '        "tolerance": 0.30000000000000004,' .out || fail "--json tolerance: $OUT"
    case $OUT in *6.2999999999999998*) fail "a real with 17 digits: $OUT" ;; esac
}

t_preview_seed_may_be_abbreviated() {
    write_reveal_cert
    run preview RV --se 1
    expect_rc 0
    expect_out_has "RV Reveal: seed 1, 2 questions, 6.4 points, 30 minutes"
}

# ---- --now: the rehearsal clock -------------------------------------------------

. "$ROOT/tests/cli/sitting_fixture.sh"

t_help_documents_now_and_KAOSHI_NOW() {
    run --help
    expect_rc 0
    expect_out_has "  --now TIME    run on a clock fixed at TIME, to rehearse a sitting's window,
                deadlines and retake waits: ISO 8601 with its zone, e.g.
                2027-07-18T09:05+08:00, or milliseconds since 1970 (default:
                \$KAOSHI_NOW, same formats; else the system's clock)."
}

t_now_fixes_the_clock_of_a_command() {
    open_demo
    run attempt start s1 C001 --code "$CODE1" --now 2027-07-18T08:59:00+08:00
    expect_rc 1
    expect_err "kaoshi: sitting 's1' opens at 2027-07-18T09:00:00+08:00"
    # epoch milliseconds: 2027-07-18T09:05:00+08:00
    run attempt start s1 C001 --code "$CODE1" --now 1815872700000
    expect_rc 0
    expect_out "started attempt 1 (attempt 1 at DEMO-CS), 8 questions, deadline 2027-07-18T09:35:00+08:00"
    run attempt answer 1 1 '{"choice":1}' --now 2027-07-18T09:35:31+08:00
    expect_rc 1
    expect_err "kaoshi: attempt 1 ended at 2027-07-18T09:35:00+08:00 (deadline); the answer was not saved"
}

t_now_wins_over_KAOSHI_NOW() {
    open_demo
    KAOSHI_NOW=2027-07-18T08:59:00+08:00 run attempt start s1 C001 --code "$CODE1" \
        --now 2027-07-18T09:05:00+08:00
    expect_rc 0
    expect_out "started attempt 1 (attempt 1 at DEMO-CS), 8 questions, deadline 2027-07-18T09:35:00+08:00"
    KAOSHI_NOW=2027-07-18T09:10:00+08:00 run proctor pause 1 --now 2027-07-18T09:15:00+08:00
    expect_rc 0
    expect_out "paused attempt 1 with 20:00 left"
}

t_a_bad_now_is_a_usage_error() {
    run sitting list --now tomorrow
    expect_rc 2
    expect_err "kaoshi sitting list: --now: expected an ISO 8601 time with its zone (e.g. 2027-07-18T09:05+08:00) or epoch milliseconds, found 'tomorrow'
Try 'kaoshi sitting list --help'."
    run sitting list --now ""
    expect_rc 2
    expect_err_has "--now: expected an ISO 8601 time with its zone"
    KAOSHI_NOW=2027-07-18 run sitting list
    expect_rc 2
    expect_err "kaoshi sitting list: KAOSHI_NOW: expected an ISO 8601 time with its zone (e.g. 2027-07-18T09:05+08:00) or epoch milliseconds, found '2027-07-18'
Try 'kaoshi sitting list --help'."
}
