# kaoshi simulate through the real binary: usage errors and exit codes, the
# author's file:line when a script fails, a report that a seed replays, able
# and weak candidates, retake policies (a waiting period waited out, a
# refusal reported), a kept database that `kaoshi results` reads, and the
# JSON report of a small fixed case of the example certification.

usage_is() { # EXPECTED-MESSAGE ARGS...: a usage error (exit 2) with that message
    local want=$1
    shift
    run simulate "$@"
    expect_rc 2
    expect_err "kaoshi simulate: $want
Try 'kaoshi simulate --help'."
}

t_usage_errors() {
    usage_is "expected one certification code or script" --candidates 5
    usage_is "expected one certification code or script" DEMO-CS CCOM-WFMP --candidates 5
    usage_is "--candidates N is required" DEMO-CS
    usage_is "--candidates: expected a whole number from 1 to 100000, found '0'" \
        DEMO-CS --candidates 0
    usage_is "--candidates: expected a whole number from 1 to 100000, found '100001'" \
        DEMO-CS --candidates 100001
    usage_is "option '--candidates' needs a value" DEMO-CS --candidates
    usage_is "--seed: expected a whole number, found '-1'" DEMO-CS --candidates 5 --seed -1
    usage_is "--ability: expected MEAN,SD in logits (e.g. 0,1; SD >= 0, both within 20), found '1'" \
        DEMO-CS --candidates 5 --ability 1
    usage_is "--ability: expected MEAN,SD in logits (e.g. 0,1; SD >= 0, both within 20), found '0,-1'" \
        DEMO-CS --candidates 5 --ability 0,-1
    usage_is "--pace: expected seconds above 0 and at most 3600, found '0'" \
        DEMO-CS --candidates 5 --pace 0
    usage_is "unknown option '--bogus'" DEMO-CS --candidates 5 --bogus
    touch taken.db
    usage_is "--db: taken.db already exists; give a new file (a simulation writes a database of its own)" \
        DEMO-CS --candidates 5 --db taken.db
}

t_help() {
    run simulate --help
    expect_rc 0
    expect_out_has "usage: kaoshi simulate CODE|SCRIPT --candidates N [--seed S] [--ability MEAN,SD]"
    expect_out_has "b = difficulty - 3"
}

t_a_script_error_names_the_file_and_line() {
    printf 'local broken = nil\nreturn certification { code = broken.code }\n' >scripts/bad.lua
    run simulate scripts/bad.lua --candidates 3
    expect_rc 1
    expect_err "scripts/bad.lua:2: attempt to index a nil value (local 'broken')"
    run simulate NOPE --candidates 3
    expect_rc 1
    expect_err "no certification with code 'NOPE' under ./scripts (or it fails 'kaoshi check')"
}

# BOOM: the example with its essays of a type whose present() fails: the
# sitting the simulation opens is refused, with the place, and no temporary
# database is left behind.
t_a_failing_hook_names_the_place_and_leaves_nothing() {
    sed -e 's/code = "DEMO-CS"/code = "BOOM"/' \
        -e 's/^  sections = {/  question_types = { essay2 = { fields = { stem = "text", rubric = "text?", max_chars = "integer?" },\n    present = function(item) error("no view for " .. item.id) end, manual = true } },\n  sections = {/' \
        scripts/demo.lua >scripts/boom.lua
    sed -i 's/type: essay$/type: essay2/' banks/demo.yaml
    run check scripts/boom.lua
    expect_rc 1
    expect_err_has "scripts/boom.lua:16: present() of item 'demo-3-001' (seed 1; 20 of 20 seeds): no view for demo-3-001"
    mkdir tmp
    TMPDIR=$PWD/tmp run simulate BOOM --candidates 3
    expect_rc 1
    expect_err_has "scripts/boom.lua:16: present() of item 'demo-3-00"
    [ -z "$(ls -A tmp)" ] || fail "the temporary database was left behind: $(ls -A tmp)"
}

t_a_seed_replays_the_report() {
    run simulate DEMO-CS --candidates 30 --seed 11
    expect_rc 0
    first=$OUT
    run simulate DEMO-CS --candidates 30 --seed 11
    expect_out "$first"
    run simulate DEMO-CS --candidates 30 --seed 12
    [ "$OUT" != "$first" ] || fail "seeds 11 and 12 gave the same report"
}

t_able_candidates_all_pass_the_first_time() {
    run simulate DEMO-CS --candidates 8 --ability 20,0 --pace 1
    expect_rc 0
    expect_out_has "attempts: 8
pass rate: 100.0% on the first attempt; cumulative by attempt: 100.0%
  attempt 1: 8 sat, 8 passed (100.0%), mean score 100.0%, 0 ran out of time"
    expect_out_has "retakes: 0 (0 with an item seen before, 0 repeated items)"
    expect_out_has "essays: 8 answers need a person's mark"
}

t_weak_candidates_use_all_three_attempts_without_repeats() {
    run simulate CCOM-WFMP --candidates 4 --ability=-20,0 --pace 1 --json
    expect_rc 0
    python3 - <<'PY' || fail "simulate --json: $OUT"
import json
r = json.load(open(".out"))
assert r["attempts"] == 12, r["attempts"]
assert [(a["number"], a["attempts"], a["passed"], a["with_repeats"]) for a in r["by_attempt"]] == \
    [(1, 4, 0, 0), (2, 4, 0, 0), (3, 4, 0, 0)], r["by_attempt"]
assert r["retakes"] == {"attempts_allowed": 3, "disjoint_forms": 3, "fresh_through": 3,
                        "repeated_items": 0, "retakes": 8, "with_repeats": 0}, r["retakes"]
assert r["pass_rate"] == {"first": 0.0, "final": 0.0}, r["pass_rate"]
assert r["sittings"] == ["simulation-1", "simulation-2", "simulation-3"], r["sittings"]
PY
}

# The database goes to a temporary directory and is removed, never to
# $KAOSHI_DB; --db keeps it for 'kaoshi results'.
t_the_database_is_temporary_unless_kept() {
    mkdir tmp
    KAOSHI_DB=exam.db TMPDIR=$PWD/tmp run simulate DEMO-CS --candidates 4 --ability=-20,0
    expect_rc 0
    [ -z "$(ls -A tmp)" ] || fail "the temporary database was left behind: $(ls -A tmp)"
    [ ! -e exam.db ] || fail "simulate wrote into \$KAOSHI_DB"
    run simulate DEMO-CS --candidates 4 --ability=-20,0 --db kept.db
    expect_rc 0
    expect_out_has "database: kept.db, sittings simulation-1, simulation-2 (e.g. kaoshi results simulation-1 --db kept.db)"
    run results simulation-1 --db kept.db --csv
    expect_rc 0
    [ "$(grep -c '^S000[1-4],模拟考生 [1-4],1,finished,.*,fail,总分 [0-9.]*%，低于及格线 60%$' .out)" = 4 ] ||
        fail "results of simulation-1: $OUT"
    run results simulation-2 --db kept.db --csv
    [ "$(grep -c '^S000[1-4],模拟考生 [1-4],2,finished,.*,fail,总分 [0-9.]*%，低于及格线 60%$' .out)" = 4 ] ||
        fail "results of simulation-2: $OUT"
    run sitting list --db kept.db
    expect_out_has "simulation-1         DEMO-CS      closed"
}

# RETAKE: three attempts a week apart at least; the simulation waits.
t_a_waiting_period_is_waited_out() {
    sed -e 's/code = "DEMO-CS"/code = "RETAKE"/' \
        -e 's/  attempts = 2, .*/  attempts = 3,\n  retake_wait = "7d",/' scripts/demo.lua >scripts/retake.lua
    run simulate RETAKE --candidates 3 --ability=-20,0 --db w.db
    expect_rc 0
    expect_out_has "attempts: 9"
    python3 - <<'PY' || fail "retakes started before the waiting period was over"
import sqlite3
db = sqlite3.connect("w.db")
rows = db.execute("SELECT candidate_id, number, started_at, finished_at FROM attempts"
                  " ORDER BY candidate_id, number").fetchall()
assert len(rows) == 9, rows
for before, after in zip(rows, rows[1:]):
    if before[0] == after[0]:
        assert after[2] - before[3] >= 7 * 86400000, (before, after)
PY
}

# PICKY: no retake after a score below 20 %.
t_a_refusal_by_the_policy_is_reported() {
    sed -e 's/code = "DEMO-CS"/code = "PICKY"/' \
        -e 's/  attempts = 2, .*/  attempts = 2,\n  retake = function(history) if history[#history].percent < 20 then return false, "成绩过低，不得补考" end return true end,/' \
        scripts/demo.lua >scripts/picky.lua
    run simulate PICKY --candidates 4 --ability=-20,0 --pace 1
    expect_rc 0
    expect_out_has "attempts: 4"
    expect_out_has "refused another attempt by the policy: 成绩过低，不得补考: 4"
}

# An author's own question type: the model cannot answer it, and says so.
t_own_question_types_stay_unanswered() {
    sed -e 's/code = "DEMO-CS"/code = "OWN"/' \
        -e 's/^  sections = {/  question_types = { essay2 = { fields = { stem = "text", rubric = "text?", max_chars = "integer?" },\n    present = function(item) return { stem = item.stem, widget = "text" } end, manual = true } },\n  sections = {/' \
        scripts/demo.lua >scripts/own.lua
    sed -i 's/type: essay$/type: essay2/' banks/demo.yaml
    run simulate OWN --candidates 3 --ability 20,0 --pace 1
    expect_rc 0
    expect_out_has "left unanswered (question types the model does not know): essay2: 3"
    expect_out_has "mean score 85.0%"
}

t_json_report_of_a_small_demo_case() {
    run simulate scripts/demo.lua --candidates 5 --seed 3 --json
    expect_rc 0
    python3 - <<'PY' || fail "simulate --json: $OUT"
import json
r = json.load(open(".out"))
want = {
    "attempts": 6, "candidates": 5, "seed": 3, "database": None, "essays_marked": 6,
    "sittings": ["simulation-1", "simulation-2"], "refused": {}, "unanswered": {},
    "exam": {"attempts_allowed": 2, "code": "DEMO-CS", "duration_min": 30.0,
             "max_score": 100.0, "pass_mark": 60.0, "questions": 8,
             "title": "客户服务基础认证（示例）"},
    "model": {"ability_mean": 0.0, "ability_sd": 1.0, "learning_gain": 0.25, "pace_s": 60.0},
    "by_attempt": [
        {"number": 1, "attempts": 5, "passed": 4, "pass_rate": 80.0,
         "cumulative_pass_rate": 80.0, "mean_score": 65.0, "ran_out": 0, "with_repeats": 0},
        {"number": 2, "attempts": 1, "passed": 1, "pass_rate": 100.0,
         "cumulative_pass_rate": 100.0, "mean_score": 100.0, "ran_out": 0, "with_repeats": 0}],
    "pass_rate": {"first": 80.0, "final": 100.0},
    "scores": {
        "first": {"n": 5, "mean": 65.0, "sd": 13.2, "p10": 54.0, "p25": 60.0, "median": 60.0,
                  "p75": 70.0, "p90": 79.0},
        "all": {"n": 6, "mean": 70.8, "sd": 18.6, "p10": 55.0, "p25": 60.0, "median": 65.0,
                "p75": 81.3, "p90": 92.5}},
    "time": {"allowed_min": 30.0, "used_median_min": 15.7, "used_p90_min": 19.9,
             "needed_median_min": 15.7, "needed_p90_min": 19.9, "ran_out": 0,
             "ran_out_rate": 0.0},
    "exposure": {"pool": 19, "drawn": 18, "drawn_rate": 94.7, "max_rate": 83.3,
                 "mean_rate": 42.1, "never_drawn": ["demo-2-009"]},
    "retakes": {"attempts_allowed": 2, "disjoint_forms": 2, "fresh_through": 2,
                "repeated_items": 0, "retakes": 1, "with_repeats": 0},
}
assert r == want, {k: (r.get(k), v) for k, v in want.items() if r.get(k) != v} or set(r) - set(want)
PY
}

t_own_question_types_are_answered_like_built_in_ones() {
    # true_false items as an own type: one with solve(), one found by trying
    # every response of its truth widget
    sed -e 's/code = "DEMO-CS"/code = "OWN"/' \
        -e 's/^  sections = {/  question_types = {\n    tf2 = { label = "是非题", fields = { stem = "text", answer = "boolean" },\n      present = function(item) return { stem = item.stem, widget = "truth" } end,\n      score = function(item, r) return r.value == item.answer and 1 or 0 end } },\n  sections = {/' \
        scripts/demo.lua >scripts/own.lua
    sed -i 's/type: true_false$/type: tf2/' banks/demo.yaml
    run check scripts/own.lua
    expect_rc 0
    run simulate OWN --candidates 8 --ability 20,0 --pace 1
    expect_rc 0
    expect_out_has "pass rate: 100.0% on the first attempt"
    case $OUT in *"left unanswered"*) fail "own type left unanswered: $OUT" ;; esac
    run simulate OWN --candidates 8 --ability -20,0 --pace 1
    expect_rc 0
    expect_out_has "pass rate: 0.0% on the first attempt"
}

# Every CCOM role gives weak candidates three attempts without a repeated
# item or group: chapter 3 draws only difficulty 3+, forms are balanced,
# and sections share groups across chapters, yet each retake stays fresh.
t_every_ccom_role_keeps_retakes_fresh() {
    for role in CMP DAP OMP PMP QAP TMP WFMP; do
        run simulate "CCOM-$role" --candidates 12 --ability=-20,0 --pace 1 --json
        expect_rc 0
        python3 - "$role" <<'PY' || fail "CCOM-$role: $(head -c 3000 .out)"
import json, sys
r = json.load(open(".out"))
assert [(a["number"], a["attempts"], a["with_repeats"]) for a in r["by_attempt"]] == \
    [(1, 12, 0), (2, 12, 0), (3, 12, 0)], (sys.argv[1], r["by_attempt"])
assert r["retakes"]["repeated_items"] == 0, r["retakes"]
PY
    done
}
