# kaoshi coverage: every section's pool by type and the disjoint forms it
# supports; a failure when a pool cannot serve every allowed attempt.

t_demo_coverage_is_enough_for_its_attempts() {
    run coverage scripts/demo.lua
    expect_rc 0
    expect_out "DEMO-CS 客户服务基础认证（示例） (2 attempts allowed)
   1. 一、服务基础: 8 items (single 3, multiple 2, true_false 3), draws 4, 2 disjoint forms
   2. 二、服务指标与流程: 6 items (fill 1, numeric 2, ordering 2, matching 1), draws 3, 2 disjoint forms
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
assert [s["items"] for s in r["sections"]] == [8, 6, 2], r
assert r["sections"][0]["types"] == {"single": 3, "multiple": 2, "true_false": 3}, r
PY
}
