# kaoshi coverage: every section's pool by type and the disjoint forms it
# supports; a failure when a pool cannot serve every allowed attempt; with
# --forms, the difficulty of the forms the first seeds draw.

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
