# kaoshi check: what an author sees for good and broken scripts and banks,
# and scripts that misbehave (runaways, bombs, escapes) failing cleanly.

t_demo_checks_clean() {
    run check scripts/demo.lua
    expect_rc 0
    expect_out "ok scripts/demo.lua: DEMO-CS 客户服务基础认证（示例）, 19 items, 8 questions, 100 points, 30 minutes"
}

t_lone_bank_checks_clean() {
    run check banks/demo.yaml
    expect_rc 0
    expect_out "ok banks/demo.yaml: bank demo, 19 items"
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
    expect_err "banks/demo.yaml:11:5: item 'demo-1-001': unknown field 'stemm'; expected one of: answer, chapter, difficulty, explanation, id, options, stem, tags, topic, type"
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
    expect_err "scripts/demo.lua: certification: section 1: 'pick' must be a positive integer (got \"4\")"
}

t_unknown_declaration_key_is_an_error() {
    sed -i 's/  title = /  titel = /' scripts/demo.lua
    run check scripts/demo.lua
    expect_rc 1
    expect_err_has "scripts/demo.lua: certification: unknown key 'titel'; expected one of: "
}

t_pool_too_small_is_reported() {
    sed -i 's/pick = 1, points = 15/pick = 3, points = 5/' scripts/demo.lua
    run check scripts/demo.lua
    expect_rc 1
    expect_err "scripts/demo.lua: section 3 (三、案例分析): draws 3 questions but only 2 items match (chapter 3)"
}

t_small_pool_for_retakes_is_a_warning() {
    sed -i 's/attempts = 2,/attempts = 3,/' scripts/demo.lua
    run check scripts/demo.lua
    expect_rc 0
    expect_err_has "warning: scripts/demo.lua: section 1 (一、服务基础): 8 items match (chapter 1), fewer than the 3 × 4 needed for 3 attempts without repeating a question"
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
