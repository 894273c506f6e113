# Question types an author defines work like built-in ones outside the
# browser too (tests/browser/widgets.test.mjs takes them in Chromium): the
# CLI shows and saves them, the analysis derives options, key and random
# guess score from their views, and two certifications may each declare a
# type of the same name. The certification is the browser suite's fixture,
# tests/fixtures/widgets (FOOD-SAFE: own types `hazard`, a choice, and
# `keywords`, labelled blanks).

food() { cp -r "$ROOT/tests/fixtures/widgets/scripts/." scripts/ && cp "$ROOT"/tests/fixtures/widgets/banks/*.yaml banks/; }

t_report_reads_options_key_and_guess_from_the_view() {
    food
    run simulate FOOD-SAFE --candidates 40 --seed 3 --db sim.db
    expect_rc 0
    run report simulation-1 --db sim.db --json
    expect_rc 0
    python3 - <<'PY' || fail "report: $(head -c 2000 .out)"
import json
items = {i["id"]: i for i in json.load(open(".out"))["items"]}
hazard = items["food-2-001"]
assert hazard["type"] == "hazard", hazard["type"]
assert hazard["random_guess_score"] == 25.0, hazard["random_guess_score"]
texts = [(o["text"], o["key"]) for o in hazard["options"]]
assert sorted(texts) == sorted([("解冻后的肉类再次冷冻保存", True), ("加工生肉后洗手消毒", False),
                                ("原料按先进先出的原则使用", False), ("熟食在 2 小时内放入冰箱冷藏", False)]), texts
assert sum(o["count"] for o in hazard["options"]) == 40, hazard["options"]
keywords = items["food-2-002"]
assert keywords["options"] == [] and keywords["random_guess_score"] == "nan", keywords
PY
}

t_attempt_show_and_answer_an_own_type() {
    food
    run sitting create f1 --cert FOOD-SAFE --opens 2027-01-04T09:00:00+08:00 --closes 2027-01-04T12:00:00+08:00
    expect_rc 0
    run sitting open f1
    expect_rc 0
    printf 'number,name\nC001,张三\n' >roster.csv
    run enroll f1 roster.csv
    code=$(sed -n 's/^C001,张三,//p' .out)
    export KAOSHI_NOW=2027-01-04T09:10:00+08:00
    run attempt start f1 C001 --code "$code"
    expect_rc 0
    run attempt show 1 --json
    expect_rc 0
    slot=$(python3 -c 'import json; print(next(q["question"] for q in json.load(open(".out"))["questions"] if q["view"]["type"] == "keywords"))')
    python3 - "$slot" <<'PY' || fail "view: $(cat .out)"
import json, sys
q = next(q for q in json.load(open(".out"))["questions"] if q["question"] == int(sys.argv[1]))
v = q["view"]
assert v["label"] == "关键词题" and v["widget"] == "blanks", v
assert v["labels"] == ["关键词 %d" % (i + 1) for i in range(v["blanks"])], v
PY
    run attempt answer 1 "$slot" '{"blank": ["洗手"]}'
    expect_rc 1
    expect_err "kaoshi: the answer to question $slot: unknown field 'blank'; expected only 'blanks'"
    run attempt answer 1 "$slot" '{"blanks": ["洗手"]}'
    expect_rc 1
    expect_err_has "kaoshi: the answer to question $slot: field 'blanks': expected a list of "
}

t_two_certifications_may_declare_the_same_type_name() {
    food
    sed -e 's/code = "FOOD-SAFE"/code = "FOOD-TWO"/' scripts/food.lua >scripts/food2.lua
    run check
    expect_rc 0
    expect_out_has "ok scripts/food.lua: FOOD-SAFE"
    expect_out_has "ok scripts/food2.lua: FOOD-TWO"
}

t_a_type_may_not_take_a_built_in_name() {
    food
    sed -i 's/^    hazard = {/    single = {/' scripts/food.lua
    run check scripts/food.lua
    expect_rc 1
    expect_err_has "certification: question type 'single' is built in; choose another name"
}

# own_type PRESENT SCORE: certification OWN (scripts/own.lua, bank own) with
# one item of the type 'pick' (fields stem and n) whose present() returns
# the Lua expression PRESENT and score() SCORE; no solve().
own_type() {
    printf 'bank: own\ntitle: own\nitems:\n  - id: own-1\n    type: pick\n    chapter: 1\n    stem: s\n    n: 3\n' >banks/own.yaml
    cat >scripts/own.lua <<LUA
return certification {
  code = "OWN", title = "own", banks = { "own" }, duration = "30m",
  question_types = {
    pick = {
      fields = { stem = "text", n = "integer" },
      present = function(item) return $1 end,
      score = function(item, response) return $2 end,
    },
  },
  sections = { { title = "s", from = { chapter = 1 }, pick = 1, points = 1 } },
}
LUA
}

t_without_solve_the_key_is_found_by_trying_every_response() {
    own_type '{ stem = item.stem, widget = "match", left = { "a", "b", "c" },
                right = { { id = 1, text = "x" }, { id = 2, text = "y" }, { id = 3, text = "z" } } }' \
             'response.matches[1] == 3 and response.matches[2] == 1 and response.matches[3] == 2 and 1 or 0'
    run check scripts/own.lua
    expect_rc 0
    expect_err ""
    own_type '{ stem = item.stem, widget = "truth" }' '0'
    run check scripts/own.lua
    expect_rc 1
    expect_err "solve() of item 'own-1' (seed 1; 20 of 20 seeds): no response scores full marks: score() gave none of the 2 responses of its 'truth' view 1 (a type without solve() is checked by trying them all)"
    own_type '{ stem = item.stem, widget = "choices", options = (function() local o = {} for i = 1, 9 do o[i] = { id = i, text = "o" .. i } end return o end)() }' '0'
    run check scripts/own.lua
    expect_rc 0
    expect_err "warning: item 'own-1' (type 'pick'): score() of the key not checked: its type has no solve() and widget 'choices' has too many responses to search"
}

t_a_view_of_too_many_options_is_the_scripts_error() {
    own_type '{ stem = item.stem, widget = "choice", options = (function() local o = {} for i = 1, 1001 do o[i] = { id = i, text = "o" } end return o end)() }' '0'
    run check scripts/own.lua
    expect_rc 1
    expect_err "scripts/own.lua:6: present() of item 'own-1' (seed 1; 20 of 20 seeds): the view's 'options' must be a list of 1 to 1000 { id = N, text = \"...\" }"
}
