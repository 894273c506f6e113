# kaoshi check: what an author sees for good and broken scripts and banks,
# and scripts that misbehave (runaways, bombs, escapes) failing cleanly; every
# hook of every item exercised on 20 seeds (tests/cli/kw_fixture.sh); lone
# banks checked against the built-in types.

. "$ROOT/tests/cli/kw_fixture.sh"

t_demo_checks_clean() {
    run check scripts/demo.lua
    expect_rc 0
    expect_out "ok scripts/demo.lua: DEMO-CS 客户服务基础认证（示例）, 19 items, 8 questions, 100 points, 30 minutes"
    expect_err "warning: item 'demo-3-001' (type 'essay'): score() of the key not checked: graded by a person
warning: item 'demo-3-002' (type 'essay'): score() of the key not checked: graded by a person"
}

t_lone_bank_checks_clean() {
    run check banks/demo.yaml
    expect_rc 0
    expect_out "ok banks/demo.yaml: bank demo, 19 items"
    expect_err "warning: banks/demo.yaml:204:16: item 'demo-2-007': generator 'cv': checked only with a certification
warning: banks/demo.yaml:213:16: item 'demo-2-008': generator 'erlang_agents': checked only with a certification
warning: banks/demo.yaml:222:16: item 'demo-2-009': generator 'xmr': checked only with a certification"
}

t_absolute_paths_are_taken_as_they_are() {
    run check "$PWD/banks/demo.yaml"
    expect_rc 0
    expect_out "ok $PWD/banks/demo.yaml: bank demo, 19 items"
    run check "$PWD/scripts/demo.lua"
    expect_rc 0
    expect_out "ok scripts/demo.lua: DEMO-CS 客户服务基础认证（示例）, 19 items, 8 questions, 100 points, 30 minutes"
    mkdir elsewhere
    run check "$PWD/elsewhere/../scripts/demo.lua"
    expect_rc 0
    expect_out "ok scripts/demo.lua: DEMO-CS 客户服务基础认证（示例）, 19 items, 8 questions, 100 points, 30 minutes"
    cp scripts/demo.lua elsewhere/
    run check --root scripts "$PWD/elsewhere/demo.lua"
    expect_rc 1
    expect_err "kaoshi check: $PWD/elsewhere/demo.lua is not under the root $PWD/scripts (scripts find their modules and banks from the root; use --root)"
}

t_empty_mapping_or_list_is_not_a_bank() { # clang's UBSan once stopped both
    echo '{}' >banks/empty.yaml
    run check banks/empty.yaml
    expect_rc 1
    expect_err "banks/empty.yaml:1:1: field 'bank': expected a bank name (lowercase letters, digits, '_' and '-'), found nothing
banks/empty.yaml:1:1: field 'items': expected a sequence of items, found nothing"
    echo '[]' >banks/empty.yaml
    run check banks/empty.yaml
    expect_rc 1
    expect_err "banks/empty.yaml:1:1: top level: expected a mapping with the fields bank, title and items, found a sequence"
}

t_wrong_answer_number_points_at_the_value() {
    sed -i '0,/answer: 2/s//answer: 9/' banks/demo.yaml
    run check scripts/demo.lua
    expect_rc 1
    expect_err "banks/demo.yaml:17:13: item 'demo-1-001': field 'answer': expected an option number from 1 to 4, found 9"
}

t_unknown_item_field_is_an_error() {
    sed -i 's/    stem: 接听客户来电时/    stemm: 接听客户来电时/' banks/demo.yaml
    run check scripts/demo.lua
    expect_rc 1
    expect_err "banks/demo.yaml:11:5: item 'demo-1-001': unknown field 'stemm'; expected one of: angoff, answer, chapter, difficulty, explanation, group, id, options, points, stem, tags, topic, type"
}

t_missing_field_points_at_the_item() {
    sed -i '/^    answer: true$/d' banks/demo.yaml
    run check scripts/demo.lua
    expect_rc 1
    expect_err_has "item 'demo-1-005': field 'answer': missing, expected true or false"
}

t_yaml_syntax_error_has_line_and_column() {
    printf 'bank: demo\nitems:\n  - id: [unclosed\n' >banks/demo.yaml
    run check banks/demo.yaml
    expect_rc 1
    expect_err_has "banks/demo.yaml:"
    expect_err_has "YAML syntax error"
}

t_declaration_error_names_script_and_field() {
    sed -i 's/pick = 4/pick = "4"/' scripts/demo.lua
    run check scripts/demo.lua
    expect_rc 1
    expect_err "scripts/demo.lua:16: certification: section 1: 'pick' must be a positive integer (got \"4\")"
}

t_unknown_declaration_key_is_an_error() {
    sed -i 's/  title = /  titel = /' scripts/demo.lua
    run check scripts/demo.lua
    expect_rc 1
    expect_err_has "scripts/demo.lua:6: certification: unknown key 'titel'; expected one of: "
}

t_pool_too_small_is_reported() {
    sed -i 's/pick = 1, points = 15/pick = 3, points = 5/' scripts/demo.lua
    run check scripts/demo.lua
    expect_rc 1
    expect_err "scripts/demo.lua:18: section 3 (三、案例分析): draws 3 questions but only 2 items match (chapter 3)"
}

t_small_pool_for_retakes_is_a_warning() {
    sed -i 's/attempts = 2,/attempts = 3,/' scripts/demo.lua
    run check scripts/demo.lua
    expect_rc 0
    expect_err_has "warning: scripts/demo.lua:16: section 1 (一、服务基础): 8 items match (chapter 1), fewer than the 3 × 4 needed for 3 attempts without repeating a question"
}

t_script_must_return_a_certification() {
    printf 'return { code = "X" }\n' >scripts/other.lua
    run check scripts/other.lua
    expect_rc 1
    expect_err "scripts/other.lua: the script must end with 'return certification { ... }' (it returned table)"
}

t_runaway_loop_is_stopped() {
    printf 'local x = 0\nwhile true do x = x + 1 end\n' >scripts/loop.lua
    run check scripts/loop.lua
    expect_rc 1
    expect_err "scripts/loop.lua:2: instruction limit exceeded (50000000)"
}

t_loop_inside_pcall_is_stopped() {
    printf 'while true do pcall(function() while true do end end) end\n' >scripts/loop.lua
    run check scripts/loop.lua
    expect_rc 1
    expect_err_has "instruction limit exceeded (50000000)"
}

t_memory_bomb_is_stopped() {
    printf 'local t = {}\nfor i = 1, 1e9 do t[i] = ("x"):rep(1000) .. i end\n' >scripts/bomb.lua
    run check scripts/bomb.lua
    expect_rc 1
    expect_err "scripts/bomb.lua:2: memory limit exceeded (64 MiB)"
}

t_pattern_bomb_is_stopped() {
    printf "return string.find(('a'):rep(50), ('a-'):rep(6)..'b')\n" >scripts/pat.lua
    run check scripts/pat.lua
    expect_rc 1
    expect_err "scripts/pat.lua:1: instruction limit exceeded (50000000)"
}

t_no_os_io_or_debug() {
    for lib in os io debug package; do
        printf 'return %s.version\n' "$lib" >scripts/esc.lua
        run check scripts/esc.lua
        expect_rc 1
        expect_err "scripts/esc.lua:1: undeclared global '$lib'"
    done
}

t_no_bytecode() {
    printf 'return load("\\27Lua")\n' >scripts/bc.lua
    printf 'local f, e = load(string.char(27) .. "Lua")\nerror(e)\n' >scripts/bc.lua
    run check scripts/bc.lua
    expect_rc 1
    expect_err_has "scripts/bc.lua:2:"
}

t_item_no_section_draws_is_a_warning() {
    # the last essay moves to a chapter no section draws from
    tac banks/demo.yaml | sed '0,/^    chapter: 3$/s//    chapter: 4/' | tac >banks/moved.yaml
    mv banks/moved.yaml banks/demo.yaml
    run check scripts/demo.lua
    expect_rc 0
    expect_err_has "warning: banks/demo.yaml:186:5: item 'demo-3-002' matches no section's draw rules, so no form will ever hold it"
}

t_an_id_that_looks_like_a_number_is_text() { # found by fuzz_bank
    sed -i '0,/  - id: demo-1-001/s//  - id: 2/' banks/demo.yaml
    run check scripts/demo.lua
    expect_rc 0
    for seed in 1 2 3 4 5 6 7 8; do
        run preview DEMO-CS --seed "$seed"
        expect_rc 0
    done
}

# ---- every hook exercised on 20 seeds ----------------------------------------

t_sound_hooks_check_clean() {
    use_kw
    run check scripts/kw.lua
    expect_rc 0
    expect_out "ok scripts/kw.lua: KW 关键词, 2 items, 2 questions, 100 points, 30 minutes"
    expect_err ""
}

t_a_typo_in_score_names_file_line_hook_item_and_seed() {
    use_kw
    sed -i 's/local given = response.blanks\[1\]/local given = normalize(response.blanks[1])/' scripts/kw.lua
    run check scripts/kw.lua
    expect_rc 1
    expect_out ""
    expect_err "scripts/kw.lua:15: score() of item 'kw-1' (seed 1; 20 of 20 seeds): undeclared global 'normalize' (response {\"blanks\":[\"放弃率\"]})"
}

t_a_typo_in_present_names_file_line_hook_item_and_seed() {
    use_kw
    sed -i 's/blanks = 1 }/blanks = #item.word }/' scripts/kw.lua
    run check scripts/kw.lua
    expect_rc 1
    expect_err "scripts/kw.lua:12: present() of item 'kw-1' (seed 1; 20 of 20 seeds): attempt to get length of a nil value (field 'word')"
}

t_a_generator_failing_on_one_seed_in_twenty_is_found() {
    use_kw
    sed -i 's/^  local n = rng:int(1, 20)$/&\n  if n == 7 then error("no question for n = 7") end/' \
        scripts/lib/kw_generators.lua
    run check scripts/kw.lua
    expect_rc 1
    expect_err "scripts/lib/kw_generators.lua:4: generator 'double' of item 'kw-2' (seed 12; 1 of 20 seeds): no question for n = 7"
    # more seeds, more failures, each problem still said once
    run check scripts/kw.lua --seeds 100
    expect_rc 1
    expect_err "scripts/lib/kw_generators.lua:4: generator 'double' of item 'kw-2' (seed 12; 5 of 100 seeds): no question for n = 7"
}

t_a_module_required_inside_score_is_loaded_by_check() {
    use_kw
    sed -i 's/local given = response.blanks\[1\]/local given = require("kw_text").trim(response.blanks[1])/' scripts/kw.lua
    run check scripts/kw.lua
    expect_rc 1
    expect_err "scripts/kw.lua:15: score() of item 'kw-1' (seed 1; 20 of 20 seeds): cannot load module 'kw_text': scripts/lib/kw_text.lua: cannot read: No such file or directory (response {\"blanks\":[\"放弃率\"]})"
    printf 'return { trim = function(s) return (s:gsub("^%%s+", ""):gsub("%%s+$", "")) end }\n' \
        >scripts/lib/kw_text.lua
    run check scripts/kw.lua
    expect_rc 0
    expect_err ""
}

t_solve_that_misses_full_marks_is_a_problem() {
    use_kw
    sed -i 's/{ blanks = { item.words\[1\] } }/{ blanks = { item.words[1] .. "。" } }/' scripts/kw.lua
    run check scripts/kw.lua
    expect_rc 1
    expect_err "scripts/kw.lua:19: solve() of item 'kw-1' (seed 1; 20 of 20 seeds): its response {\"blanks\":[\"放弃率。\"]} scores 0, not full marks (1)"
}

t_a_solve_response_that_misfits_the_widget_is_a_problem() {
    use_kw
    sed -i 's/{ blanks = { item.words\[1\] } }/{ blank = item.words[1] }/' scripts/kw.lua
    run check scripts/kw.lua
    expect_rc 1
    expect_err_has "solve() of item 'kw-1' (seed 1; 20 of 20 seeds): its response {\"blank\":\"放弃率\"} does not fit the question's widget: "
}

t_a_type_without_solve_is_a_note() {
    use_kw
    sed -i '/^      solve = function(item)$/,/^      end,$/d' scripts/kw.lua
    run check scripts/kw.lua
    expect_rc 0
    expect_err "warning: item 'kw-1' (type 'keyword'): score() of the key not checked: its type has no solve() and widget 'blanks' has too many responses to search"
}

t_seeds_sets_how_many_and_zero_turns_the_exercise_off() {
    use_kw
    sed -i 's/local given = response.blanks\[1\]/local given = normalize(response.blanks[1])/' scripts/kw.lua
    run check scripts/kw.lua --seeds 1
    expect_rc 1
    expect_err "scripts/kw.lua:15: score() of item 'kw-1' (seed 1): undeclared global 'normalize' (response {\"blanks\":[\"放弃率\"]})"
    run check scripts/kw.lua --seeds 0
    expect_rc 0
    expect_out "ok scripts/kw.lua: KW 关键词, 2 items, 2 questions, 100 points, 30 minutes"
    run check scripts/kw.lua --seeds 1001
    expect_rc 2
    expect_err "kaoshi check: --seeds: expected a whole number from 0 to 1000, found '1001'
Try 'kaoshi check --help'."
}

t_json_holds_every_certification_and_bank() {
    use_kw
    sed -i 's/local given = response.blanks\[1\]/local given = normalize(response.blanks[1])/' scripts/kw.lua
    run check scripts/kw.lua scripts/demo.lua banks/demo.yaml --json
    expect_rc 1
    expect_err ""
    python3 - <<'PY' || fail "check --json: $OUT"
import json
doc = json.load(open(".out"))
assert doc["ok"] is False and doc["seeds"] == 20, doc
kw, demo = doc["certifications"]
assert kw["path"] == "scripts/kw.lua" and kw["ok"] is False and kw["code"] == "KW", kw
assert kw["problems"] == ["scripts/kw.lua:15: score() of item 'kw-1' (seed 1; 20 of 20 seeds): "
                          "undeclared global 'normalize' (response {\"blanks\":[\"放弃率\"]})"], kw
assert kw["warnings"] == [] and kw["notes"] == [], kw
assert demo["ok"] is True and demo["code"] == "DEMO-CS" and demo["items"] == 19, demo
assert demo["questions"] == 8 and demo["points"] == 100 and demo["minutes"] == 30, demo
assert demo["problems"] == [] and len(demo["notes"]) == 2, demo
bank, = doc["banks"]
assert bank["path"] == "banks/demo.yaml" and bank["ok"] is True and bank["bank"] == "demo", bank
assert bank["items"] == 19 and len(bank["notes"]) == 3 and bank["problems"] == [], bank
PY
}

# ---- lone banks ----------------------------------------------------------------

t_a_lone_bank_is_checked_against_the_built_in_types() {
    printf 'bank: x\nitems:\n  - id: x-1\n    type: single\n    stem: 选一个\n    options: [甲, 乙]\n    answer: 7\n' \
        >banks/x.yaml
    run check banks/x.yaml
    expect_rc 1
    expect_out ""
    expect_err "banks/x.yaml:7:13: item 'x-1': field 'answer': expected an option number from 1 to 2, found 7"
}

t_a_lone_bank_says_what_needs_a_certification() {
    use_kw
    run check banks/kw.yaml
    expect_rc 0
    expect_out "ok banks/kw.yaml: bank kw, 2 items"
    expect_err "warning: banks/kw.yaml:5:11: item 'kw-1': needs a certification that declares question type 'keyword'
warning: banks/kw.yaml:13:16: item 'kw-2': generator 'double': checked only with a certification"
    # what can be checked without the certification still is
    printf '    tolerance: -1\n' >>banks/kw.yaml
    run check banks/kw.yaml
    expect_rc 1
    expect_err "banks/kw.yaml:14:16: item 'kw-2': field 'tolerance': expected a number >= 0, found -1
warning: banks/kw.yaml:5:11: item 'kw-1': needs a certification that declares question type 'keyword'
warning: banks/kw.yaml:13:16: item 'kw-2': generator 'double': checked only with a certification"
}

# a score() outside 0..1 is named at the line that defines it
t_score_out_of_range_names_its_definition() {
    use_kw
    sed -i 's/return given == item.words\[1\] and 1 or 0/return given == item.words[1] and 2 or 0/' scripts/kw.lua
    run check scripts/kw.lua
    expect_rc 1
    expect_err "scripts/kw.lua:14: score() of item 'kw-1' (seed 1; 20 of 20 seeds): question type 'keyword': score() must return a number from 0 to 1 (got 2 for item 'kw-1') (response {\"blanks\":[\"放弃率\"]})"
}
