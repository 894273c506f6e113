# Calculated questions: the `stats` and `chart` modules as scripts see them,
# generators declared and checked, the calculated type in preview and in a
# whole sitting, and the generators of scripts/lib/ccom_generators.lua (same
# seed, same question; keys agree with `kaoshi stats` on the data; no
# degenerate data; realistic data and answerable questions over 200 seeds)
# through tests/cli/calc/, a certification that puts every generator on
# every form.

use_calc() { # installs the CALC-TEST certification into the scratch tree
    cp "$ROOT/tests/cli/calc/calc.lua" scripts/
    cp "$ROOT/tests/cli/calc/calc.yaml" banks/
}

script_error() { # LUA: runs LUA as a script; its error message is the result
    printf '%s\n' "$1" >scripts/t.lua
    run check scripts/t.lua
    expect_rc 1
}

t_stats_returns_the_contract_outputs() {
    script_error 'local r = stats.cv{x = {1, 2, 3}}
error(string.format("%s %s %s %s", math.type(r.n), r.n, r.cv, r.cv_percent), 0)'
    expect_err "scripts/t.lua: integer 3 0.5 50.0"
    script_error 'local r = stats.control_rules{x = {61, 62, 50}, center = 50, sigma = 5}
error(table.concat(r.signals.rule3, ",") .. " " .. table.concat(r.pattern_points.rule3, ",")
      .. " " .. #r.signals.rule1, 0)'
    expect_err "scripts/t.lua: 1 0,1 0"
}

t_stats_nan_and_infinity_are_numbers() {
    script_error 'local r = stats.moving_average{x = {4, 8, 9}, k = 3}
local e = stats.erlang_c{calls = 2880, interval_s = 1800, aht_s = 300, agents = 480, target_s = 20}
error(string.format("%s %s %s %s", r.next, math.type(r.mae), r.mae ~= r.mae,
                    e.asa_s == math.huge), 0)'
    expect_err "scripts/t.lua: 7.0 float true true"
}

t_stats_contract_error_is_nil_and_a_message() {
    script_error 'local r, why = stats.cv{x = {1}}
error(tostring(r) .. " | " .. why, 0)'
    expect_err "scripts/t.lua: nil | E_N_TOO_SMALL: cv: too few observations for the statistic"
    script_error 'local r, why = stats.ttest_paired{a = {1, 2}, b = {1, 2, 3}}
error(tostring(r) .. " | " .. why, 0)'
    expect_err "scripts/t.lua: nil | E_LENGTH_MISMATCH: ttest_paired: paired arrays differ in length"
}

t_stats_misuse_raises_an_error() {
    script_error 'return stats.cv{y = {1, 2}}'
    expect_err "scripts/t.lua:1: stats.cv: unknown input 'y' (inputs: x, ddof)"
    script_error 'return stats.cv{}'
    expect_err "scripts/t.lua:1: stats.cv: missing input 'x'"
    script_error 'return stats.cv{1, 2, 3}'
    expect_err "scripts/t.lua:1: stats.cv: expected a table of named inputs like { x = {...} }, not a list"
    script_error 'return stats.cv(3)'
    expect_err "scripts/t.lua:1: stats.cv: expected a table of named inputs like { x = {...} } (got number)"
    script_error 'return stats.cv{x = {"a"}}'
    expect_err "scripts/t.lua:1: stats.cv: input 'x' must be an array of numbers"
    script_error 'return stats.kr20{matrix = {{{1}}}}'
    expect_err "scripts/t.lua:1: stats.kr20: inputs are numbers, lists of numbers or lists of lists of numbers"
    script_error 'local x = {} for i = 1, 200001 do x[i] = i end return stats.cv{x = x}'
    expect_err "scripts/t.lua:1: stats.cv: the inputs hold more than 200000 values"
    script_error 'return stats.median{x = {1}}'
    expect_err "scripts/t.lua:1: attempt to call a nil value (field 'median')"
}

t_stats_work_is_charged_to_the_budget() {
    script_error 'local x = {} for i = 1, 200000 do x[i] = i % 7 end
for _ = 1, 1000 do stats.cv{x = x} end'
    expect_err_has "instruction limit exceeded (50000000)"
}

t_chart_returns_svg() {
    script_error 'local c = chart.control{values = {250, 262, 248, 301}, center = 265, sigma = 10,
                             flagged = {4}, title = "<AHT>", labels = {"一", "二", "三", "四"}}
local s = chart.scatter{x = {1, 2, 3}, y = {2, 4, 5}}
error(string.format("%s %s %s %s %s", c:sub(1, 39), select(2, c:gsub("class=\"point\"", "")),
                    select(2, c:gsub("class=\"flagged\"", "")), c:find("&lt;AHT&gt;", 1, true) ~= nil,
                    select(2, s:gsub("class=\"fit\"", ""))), 0)'
    expect_err 'scripts/t.lua: <svg xmlns="http://www.w3.org/2000/svg" 4 1 true 1'
}

t_chart_misuse_raises_an_error() {
    script_error 'return chart.control{values = {1, 2}, colour = "red"}'
    expect_err "scripts/t.lua:1: chart.control: unknown key 'colour'; expected one of: center, flagged, labels, lcl, sigma, title, ucl, values, x_label, y_label"
    script_error 'return chart.control{values = {1, 2}, flagged = {3}}'
    expect_err "scripts/t.lua:1: chart.control: 'flagged' must list point numbers from 1 to 2"
    script_error 'return chart.control{values = {1, 2}, ucl = {5}}'
    expect_err "scripts/t.lua:1: chart.control: 'ucl' must be one number or a list of 2 (one per point)"
    script_error 'return chart.control{values = {}}'
    expect_err "scripts/t.lua:1: chart.control: a control chart needs 1 to 1000 points (got 0)"
    script_error 'return chart.scatter{x = {1, 2}, y = {1}}'
    expect_err "scripts/t.lua:1: chart.scatter: 'x' and 'y' must be lists of numbers of the same length"
}

t_undeclared_generator_fails_check_at_its_field() {
    sed -i 's/^    generator: cv$/    generator: cvv/' banks/demo.yaml
    run check scripts/demo.lua
    expect_rc 1
    expect_err "banks/demo.yaml:204:16: item 'demo-2-007': field 'generator': expected one of the certification's generators: cv, erlang_agents, erlang_sl, linear_trend, mape, moving_average, occupancy, p_chart, pearson, sample_size, seasonal_index, ses, shrinkage, ttest_paired, ttest_student, ttest_welch, xmr, zscores, found \"cvv\""
}

t_calculated_items_need_declared_generators() {
    sed -i '/generators = require/d' scripts/demo.lua
    run check scripts/demo.lua
    expect_rc 1
    expect_err_has "banks/demo.yaml:204:16: item 'demo-2-007': field 'generator': expected a generator of the certification, but its declaration has no 'generators', found \"cv\""
}

t_generators_declaration_is_checked() {
    sed -i 's/generators = require "ccom_generators",/generators = 5,/' scripts/demo.lua
    run check scripts/demo.lua
    expect_rc 1
    expect_err "scripts/demo.lua:14: certification: 'generators' must be a table of generator functions, like require \"ccom_generators\" (got 5)"
    sed -i 's/generators = 5,/generators = { cv = true },/' scripts/demo.lua
    run check scripts/demo.lua
    expect_err "scripts/demo.lua:14: certification: generators: 'cv' must be a function(rng, params) (got true)"
}

t_trial_run_catches_bad_params_and_placeholders() {
    sed -i 's/    params: { n: 20 }/    params: { n: 2 }/' banks/demo.yaml
    run check scripts/demo.lua
    expect_rc 1
    expect_err "banks/demo.yaml:223:13: item 'demo-2-009': field 'params': expected what the generator accepts (a trial run failed: xmr: param 'n' must be an integer from 12 to 40 (got 2)), found a mapping"
    sed -i 's/    params: { n: 2 }/    params: { n: 20 }/; s/（CL = {center} 秒/（CL = {centre} 秒/' banks/demo.yaml
    run check scripts/demo.lua
    expect_rc 1
    expect_err_has "banks/demo.yaml:221:11: item 'demo-2-009': field 'stem': expected only placeholders the generator's data fills (generator 'xmr' (item 'demo-2-009'): its data has no text or number for the stem's {centre}), found "
}

t_generator_results_are_checked() {
    cat >scripts/g.lua <<'LUA'
return certification {
  code = "GEN-TEST", title = "生成器", banks = { "g" }, duration = "10m",
  generators = {
    no_key = function(rng) return { data = {}, explanation = "步骤" } end,
    bad_points = function(rng)
      return { data = {}, answer = "points", npoints = 3, key = { 4 }, explanation = "步骤" }
    end,
  },
  sections = { { title = "一", from = {}, pick = 1, points = 1 } },
}
LUA
    printf 'bank: g\nitems:\n  - id: a\n    type: calculated\n    stem: 计算\n    generator: no_key\n  - id: b\n    type: calculated\n    stem: 找点\n    generator: bad_points\n' >banks/g.yaml
    run check scripts/g.lua
    expect_rc 1
    expect_err "banks/g.yaml:6:16: item 'a': field 'generator': expected a generator with a valid result (generator 'no_key' (item 'a'): 'key' must be a finite number (got nil)), found \"no_key\"
banks/g.yaml:10:16: item 'b': field 'generator': expected a generator with a valid result (generator 'bad_points' (item 'b'): 'key' must list distinct point numbers from 1 to 3), found \"bad_points\""
}

t_preview_shows_data_picture_key_and_explanation() {
    use_calc
    run preview CALC-TEST --seed 7
    expect_rc 0
    expect_out_has "2. [calculated] xmr-signals
   下图是某班组连续 20 天的日均 AHT单值控制图（CL = 269.20，σ = 6.58）。请按 6-8-1-3-5 判异准则找出所有触发点。触发点是某条准则在该点成立的点，逐条判定：准则1：该点在 3σ 控制限以外；准则3：该点本身在 2σ 以外，且它与前 2 点中至少共 2 点在同一侧 2σ 以外；准则5：该点本身在 1σ 以外，且它与前 4 点中至少共 4 点在同一侧 1σ 以外；准则6：该点与前 5 点连续递增或连续递减（共 6 点）；准则8：该点与前 7 点都在中心线同一侧（共 8 点）。模式延续时后面的点也是触发点；构成模式的前面各点本身不满足上述条件的不选。
   table:
     点 | AHT（秒）
     1 | 273"
    expect_out_has "     20 | 262
   chart: SVG, 4.7 KB
   label: \"计算题\"
   npoints: 20
   widget: \"points\""
    expect_out_has "   key.answer: [12]
   key.answer_chart: SVG, 4.8 KB"
    expect_out_has "   key.explanation:
     单值-移动极差（X-MR）控制图：
     ① 中心线 CL = x̄ = Σx ÷ n = 5384.00 ÷ 20 = 269.20"
    expect_out_has "     · 准则5：连续 5 点中有 4 点落在中心线同一侧的 1σ 以外 —— 在第 12 点处触发（构成该模式的点：第 9、10、11、12 点）"
    case $OUT in *"<svg"*) fail "the text preview prints a raw SVG" ;; esac
    run preview CALC-TEST --seed 7 --json
    python3 - <<'PY' || fail "preview --json: $OUT"
import json
q = json.load(open(".out"))["questions"][1]
chart = next(p["chart"] for p in q["parts"] if "chart" in p)
assert chart.startswith("<svg ") and q["key"]["answer_chart"].startswith("<svg "), q
assert q["key"]["answer"] == [12] and q["key"]["data"]["x"][0] == 273, q["key"]
PY
}

t_same_seed_same_question() {
    use_calc
    run preview CALC-TEST --seed 11 --json
    first=$OUT
    run preview CALC-TEST --seed 11 --json
    [ "$OUT" = "$first" ] || fail "seed 11 drew two different forms"
    run preview CALC-TEST --seed 12 --json
    [ "$OUT" != "$first" ] || fail "seeds 11 and 12 drew the same numbers"
}

t_keys_agree_with_the_core_on_the_data() {
    use_calc
    for seed in 1 2 3 4 5 6; do
        run preview CALC-TEST --seed $seed --json
        expect_rc 0
        python3 "$ROOT/tests/cli/calc/check_keys.py" <.out >problems.txt ||
            fail "seed $seed: $(cat problems.txt)"
    done
}

t_generated_data_is_usable_and_realistic_across_many_seeds() {
    use_calc # no degenerate data; scales, occupancy, correlations as check_content.py says
    : >forms.jsonl
    for seed in $(seq 1 200); do
        run preview CALC-TEST --seed $seed --json
        [ "$RC" = 0 ] || fail "seed $seed: $ERR"
        python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)))' <.out >>forms.jsonl
    done
    python3 "$ROOT/tests/cli/calc/check_content.py" <forms.jsonl >problems.txt ||
        fail "$(cat problems.txt)"
}

t_sitting_grades_calculated_answers() {
    use_calc
    export KAOSHI_DB=exam.db
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create c1 --cert CALC-TEST \
        --opens 2027-07-18T09:00+08:00 --closes 2027-07-18T12:00+08:00
    run sitting open c1
    printf 'number,name\nC001,张三\nC002,李四\n' >roster.csv
    run enroll c1 roster.csv
    expect_rc 0
    for c in C001 C002; do
        code=$(sed -n "s/^$c,[^,]*,//p" .out)
        KAOSHI_NOW=2027-07-18T09:05:00+08:00 "$KAOSHI" attempt start c1 $c --code "$code" >/dev/null ||
            fail "$c could not start"
    done
    KAOSHI_NOW=2027-07-18T09:06:00+08:00 run attempt show 1 --json
    case $OUT in *'"answer"'*|*explanation*|*answer_chart*|*'"key"'*|*'"data"'*)
        fail "the candidate's view leaks a key: $OUT" ;;
    esac
    KAOSHI_NOW=2027-07-18T09:06:00+08:00 run attempt show 1 --keys --json
    python3 "$ROOT/tests/cli/keys_to_answers.py" <.out >right.txt
    KAOSHI_NOW=2027-07-18T09:06:00+08:00 run attempt show 2 --keys --json
    python3 - <<'PY' >wrong.txt
import json
# points beyond the chart or too many of them once stopped the grading of the
# whole sitting (score.set refused them): now they are refused when saved
hostile = [[1000001], [0], list(range(1, 1002))]
for q in json.load(open(".out"))["questions"]:
    k = q["key"]
    if k["response"] == "points" and hostile:
        print(q["question"], json.dumps({"points": hostile.pop()}, separators=(",", ":")),
              k["npoints"])
        continue
    if k["response"] == "points":  # two points that break no rule
        r = {"points": [p for p in range(1, k["npoints"] + 1) if p not in k["answer"]][:2]}
    else:  # far outside any tolerance
        r = {"value": k["answer"] + 5 + abs(k["answer"])}
    print(q["question"], json.dumps(r, separators=(",", ":")), "ok")
PY
    for a in 1 2; do
        file=right.txt
        [ $a = 2 ] && file=wrong.txt
        while read -r q response refused; do
            KAOSHI_NOW=2027-07-18T09:10:00+08:00 run attempt answer $a "$q" "$response"
            if [ "${refused:-ok}" = ok ]; then
                expect_rc 0
            else
                expect_rc 1
                expect_err "kaoshi: the answer to question $q: field 'points': expected a list of distinct point numbers from 1 to $refused"
            fi
        done <$file
        KAOSHI_NOW=2027-07-18T09:20:00+08:00 run attempt submit $a
    done
    KAOSHI_NOW=2027-07-18T12:30:00+08:00 run grade c1
    run results c1 --csv
    expect_out_has "C001,张三,1,finished,34.00,34.00,100.00,pass"
    expect_out_has "C002,李四,1,finished,0.00,34.00,0.00,fail"
}

t_erlang_beyond_its_bounds_fails_at_once() {
    # once a load of 10^15 Erlangs looped in C, past every limit of the sandbox
    script_error 'return assert(stats.erlang_agents_required{calls = 1e9, interval_s = 1,
    aht_s = 1e6, target_sl = 0.99, target_s = 1})'
    expect_err "scripts/t.lua:1: E_DOMAIN: erlang_agents_required: a parameter is outside its allowed range"
    run stats erlang_agents_required <<<'{"calls":1e9,"interval_s":1,"aht_s":1e6,"target_sl":0.99,"target_s":1}'
    expect_rc 1
    expect_out '{"error":"E_DOMAIN","message":"erlang_agents_required: a parameter is outside its allowed range"}'
    # the largest calls allowed are charged by the agents they evaluate
    script_error 'for _ = 1, 100000 do
  stats.erlang_c{calls = 1e5, interval_s = 1, aht_s = 1, agents = 2e5, target_s = 1}
end'
    expect_err_has "instruction limit exceeded (50000000)"
}

t_score_work_is_charged_to_the_budget() {
    # 1000 comparisons of 60 KB texts a call: once free, now charged
    script_error 'local r = string.rep("答", 20000) local acc = {} for i = 1, 1000 do acc[i] = r end
for _ = 1, 1000 do score.text(r, acc, false) end'
    expect_err_has "instruction limit exceeded (50000000)"
}

t_a_forecast_horizon_is_bounded() { # once 10^8 allocated gigabytes, charged nothing
    script_error 'return assert(stats.linear_trend{x = {1, 2, 4}, horizon = 100000000})'
    expect_err "scripts/t.lua:1: E_DOMAIN: linear_trend: a parameter is outside its allowed range"
    run stats linear_trend <<<'{"x":[1,2,4],"horizon":10001}'
    expect_rc 1
    expect_out '{"error":"E_DOMAIN","message":"linear_trend: a parameter is outside its allowed range"}'
    run stats linear_trend <<<'{"x":[1,2,4],"horizon":10000}'
    expect_rc 0
}
