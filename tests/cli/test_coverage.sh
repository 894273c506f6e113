# kaoshi coverage: every section's pool by type and the disjoint forms it
# supports; a failure when a pool cannot serve every allowed attempt; with
# --forms, the difficulty of the forms the first seeds draw and their
# balance; with --angoff, each form's Angoff score.

t_demo_coverage_is_enough_for_its_attempts() {
    run coverage scripts/demo.lua
    expect_rc 0
    expect_out "DEMO-CS 客户服务基础认证（示例） (2 attempts allowed)
   1. 一、服务基础: 8 items (single 3, multiple 2, true_false 3), draws 4, 2 disjoint forms
   2. 二、服务指标与流程: 9 items (fill 1, numeric 2, ordering 2, matching 1, calculated 3), draws 3, 3 disjoint forms
   3. 三、案例分析: 2 items (essay 2), draws 1, 2 disjoint forms
  => 2 disjoint forms for 2 attempts: ok"
}

t_too_few_forms_fails() {
    sed -i 's/attempts = 2,/attempts = 3,/' scripts/demo.lua
    run coverage DEMO-CS
    expect_rc 1
    expect_out_has "   3. 三、案例分析: 2 items (essay 2), draws 1, 2 disjoint forms  <- too few"
    expect_out_has "  => 2 disjoint forms for 3 attempts: NOT ENOUGH"
}

t_json_report() {
    run coverage DEMO-CS --json
    expect_rc 0
    python3 - <<'PY' || fail "coverage --json: $OUT"
import json
r = json.load(open(".out"))[0]
assert r["code"] == "DEMO-CS" and r["forms"] == 2 and r["ok"] is True, r
assert [s["items"] for s in r["sections"]] == [8, 9, 2], r
assert r["sections"][0]["types"] == {"single": 3, "multiple": 2, "true_false": 3}, r
PY
}

t_ccom_roles_check_clean_without_warnings() {
    run check scripts/ccom/wfmp.lua scripts/ccom/qap.lua scripts/ccom/tmp.lua \
        scripts/ccom/cmp.lua scripts/ccom/pmp.lua scripts/ccom/dap.lua scripts/ccom/omp.lua
    expect_rc 0
    expect_err ""
    [ "$(grep -c '^ok scripts/ccom/.*, 100 points, 90 minutes$' .out)" = 7 ] ||
        fail "not seven 100-point, 90-minute role exams: $OUT"
}

t_ccom_roles_have_three_disjoint_forms() {
    run coverage CCOM-WFMP CCOM-QAP CCOM-TMP CCOM-CMP CCOM-PMP CCOM-DAP CCOM-OMP --json
    expect_rc 0
    python3 - <<'PY' || fail "coverage: $OUT"
import json, re
syllabus = open("scripts/lib/ccom_syllabus.lua").read()
report = json.load(open(".out"))
assert len(report) == 7, [r["code"] for r in report]
for r in report:
    assert r["ok"] and r["forms"] >= 3 and r["attempts"] == 3, (r["code"], r["forms"])
    for s in r["sections"]:
        # every section is one syllabus bullet, drawn from items of that topic
        topic = re.search(r'topic "([^"]*)"', s["rule"]).group(1)
        assert '"' + topic + '"' in syllabus, topic
        assert s["items"] >= 3 * s["pick"], (r["code"], topic)
PY
}

t_forms_difficulty_is_reported_over_seeds() {
    run coverage DEMO-CS --forms 50
    expect_rc 0
    expect_out_has "  => 2 disjoint forms for 2 attempts: ok
  => difficulty of the forms of seeds 1-50 (items' 1-5 labels): mean 2.28, sd 0.16, from 2.00 to 2.62"
    # the same figures from the forms preview draws with the same seeds
    run coverage DEMO-CS --forms 8 --json
    expect_rc 0
    cp .out coverage.json
    for seed in $(seq 8); do
        run preview DEMO-CS --seed "$seed" --json
        expect_rc 0
        cp .out "form$seed.json"
    done
    python3 - <<'PY' || fail "coverage --forms 8 --json: $(cat coverage.json)"
import json, statistics
d = json.load(open("coverage.json"))[0]["difficulty"]
means = []
for seed in range(1, 9):
    labels = [q["key"]["difficulty"] for q in json.load(open(f"form{seed}.json"))["questions"]
              if q["key"].get("difficulty")]
    means.append(sum(labels) / len(labels))
want = {"forms": 8, "mean": statistics.mean(means), "sd": statistics.pstdev(means),
        "min": min(means), "max": max(means)}
assert d["forms"] == 8 and all(abs(d[k] - want[k]) < 1e-9 for k in want), (d, want)
PY
}

t_forms_must_be_a_count() {
    run coverage DEMO-CS --forms 0
    expect_rc 2
    expect_err_has "kaoshi coverage: --forms: expected a whole number from 1 to 10000, found '0'"
    run coverage DEMO-CS --forms 10001
    expect_rc 2
    expect_err_has "found '10001'"
}

# BAL: 6 of 20 true/false items of difficulty 1-5 (item i: i % 5 + 1; the
# hardest form of 6 holds the four 5s and two 4s: 4.67), rated
# 0.95 down to 0.55 by difficulty, all but the one named by $2; balance $1.
balance_cert() {
    cat >scripts/bal.lua <<EOF2
return certification {
  code = "BAL", title = "均衡", banks = { "bal" }, duration = "30m", pass = 70,
  sections = { { title = "一", from = {}, pick = 6, points = 5 } },
  ${1:+balance = $1,}
}
EOF2
    python3 - "${2:-}" >banks/bal.yaml <<'PY'
import sys
print("bank: bal\nitems:")
for i in range(1, 21):
    d = i % 5 + 1
    rating = "" if f"q{i}" == sys.argv[1] else f", angoff: {0.95 - 0.1 * (d - 1):.2f}"
    print(f"  - {{ id: q{i}, type: true_false, stem: 第{i}题, answer: true, difficulty: {d}{rating} }}")
PY
}

# Each form's Angoff score from the forms preview draws, as coverage --json
# must give it (checked by the caller).
angoff_of_previews() {
    for seed in $(seq "$1"); do
        run preview BAL --seed "$seed" --json
        expect_rc 0
        cp .out "form$seed.json"
    done
    python3 - "$1" <<'PY'
import json, sys
for seed in range(1, int(sys.argv[1]) + 1):
    keys = [q["key"] for q in json.load(open(f"form{seed}.json"))["questions"]]
    print(round(100 * sum(k["angoff"] for k in keys) / len(keys), 6))
PY
}

t_angoff_lists_every_forms_score_against_the_pass_mark() {
    balance_cert
    run coverage BAL --angoff --forms 8
    expect_rc 1
    expect_out_has "  => difficulty of the forms of seeds 1-8 (items' 1-5 labels): mean 2.96, sd 0.49, from 2.33 to 3.67
  => Angoff score (% of the points a borderline candidate is expected to earn) of the forms of seeds 1-8:
     seed   1:  81.7! seed   2:  76.7! seed   3:  78.3! seed   4:  81.7! seed   5:  68.3  seed   6:  68.3
     seed   7:  73.3! seed   8:  75.0!
     mean 75.4, sd 4.9, from 68.3 to 81.7; target 70 ± 3: 6 outside (marked !)"
    run coverage BAL --angoff --forms 8 --json
    cp .out coverage.json
    angoff_of_previews 8 >want.txt
    python3 - <<'PY' || fail "coverage --angoff --json: $(cat coverage.json)"
import json
a = json.load(open("coverage.json"))[0]["angoff"]
want = [float(x) for x in open("want.txt").read().split()]
assert len(a["scores"]) == 8 and all(abs(x - y) < 1e-4 for x, y in zip(a["scores"], want)), (a, want)
assert a["outside"] == 6 and a["unrated_forms"] == 0 and a["target"] == {"target": 70, "within": 3}, a
PY
}

t_a_balance_brings_every_form_within_its_targets() {
    balance_cert "{ difficulty = { 3.5, 0.2 }, angoff = { 70, 2 } }"
    run coverage BAL --forms 200 --angoff
    expect_rc 0
    expect_out_has "  => balance (difficulty 3.5 ± 0.2, angoff 70 ± 2): 200 of 200 forms within"
    expect_out_has "target 70 ± 2: 0 outside (marked !)"
    run check scripts/bal.lua
    expect_rc 0
    [ "$(grep -c warning .err)" = 0 ] || fail "check warns: $(cat .err)"
}

t_an_unreachable_balance_is_reported() {
    balance_cert "{ difficulty = { 4.8, 0.1 } }"
    run coverage BAL --forms 10
    expect_rc 1
    expect_out_has "  => difficulty of the forms of seeds 1-10 (items' 1-5 labels): mean 4.67, sd 0.00, from 4.67 to 4.67
  => balance (difficulty 4.8 ± 0.1): 0 of 10 forms within, outside: seeds 1, 2, 3, 4, 5, 6, 7, 8, 9, 10  <- NOT BALANCED"
    run check scripts/bal.lua
    expect_rc 0
    expect_err_has "warning: scripts/bal.lua: seed 1 (20 of 20 seeds): the form lies outside the balance the certification declares; the pools lack items to bring it within (kaoshi coverage BAL --forms 200 --angoff shows each form)"
}

t_unrated_items_fail_angoff() {
    balance_cert "" q7
    run coverage BAL --angoff
    expect_rc 1
    expect_out_has "forms hold items without an angoff rating (-): no score  <- UNRATED"
    balance_cert "{ angoff = { 70, 3 } }" q7
    run check scripts/bal.lua
    expect_rc 1
    expect_err_has "banks/bal.yaml:9:5: item 'q7': field 'angoff' is missing: the certification balances its forms by angoff, so every item a section can draw needs a rating (a probability from 0.01 to 1)"
    run preview BAL --seed 1
    expect_rc 1
    expect_err_has "banks/bal.yaml:9:5: item 'q7': field 'angoff' is missing"
}

# Every CCOM form of seeds 1-1000: no two items of a group, mean difficulty
# within 3.0 ± 0.1 and an Angoff score within 70 ± 2 (the balance the
# roles declare), every item rated.
t_ccom_forms_are_balanced_and_keep_groups_apart_over_1000_seeds() {
    run coverage CCOM-WFMP CCOM-QAP CCOM-TMP CCOM-CMP CCOM-PMP CCOM-DAP CCOM-OMP --forms 1000 \
        --angoff --json
    expect_rc 0
    python3 - <<'PY' || fail "coverage --forms 1000 --angoff: $(head -c 2000 .out)"
import json
report = json.load(open(".out"))
assert len(report) == 7
for r in report:
    d, a, code = r["difficulty"], r["angoff"], r["code"]
    assert d["forms"] == 1000 and r["group_clashes"] == 0, (code, d, r["group_clashes"])
    assert 2.9 - 1e-9 <= d["min"] and d["max"] <= 3.1 + 1e-9, (code, d)
    assert a["unrated_forms"] == 0 and a["outside"] == 0 and r["balance"]["outside"] == 0, code
    assert all(68 - 1e-9 <= x <= 72 + 1e-9 for x in a["scores"]), (code, a["min"], a["max"])
    assert a["target"] == {"target": 70, "within": 2}, (code, a["target"])
PY
}
