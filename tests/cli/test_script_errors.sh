# Script failures name the file and line, through the real binary: at load
# ('kaoshi check'), in the hooks check runs on 20 seeds before a sitting may
# open (present(), score(), generators), and when a form is drawn or shown
# ('kaoshi preview'); C stack overflows, yields outside a coroutine, nested
# coroutines' repeated prefixes, and hook results no JSON can hold.

script_error() { # LUA: runs LUA as scripts/t.lua through 'kaoshi check'
    printf '%s\n' "$1" >scripts/t.lua
    run check scripts/t.lua
    expect_rc 1
}

# probe_cert PRESENT SCORE: certification T (scripts/t.lua) with one item of
# the type 'probe', whose present() runs the Lua line PRESENT at line 11 and
# whose score() runs SCORE at line 15.
probe_cert() {
    printf 'bank: t\ntitle: probe\nitems:\n  - id: t-1\n    type: probe\n    chapter: 1\n    stem: hello\n' \
        >banks/t.yaml
    cat >scripts/t.lua <<EOF
return certification {
  code = "T",
  title = "probe",
  banks = { "t" },
  duration = "30m",
  window = { opens = "09:00", closes = "12:00" },
  question_types = {
    probe = {
      fields = { stem = "text" },
      present = function(item, data)
        $1
        return { stem = item.stem, widget = "number" }
      end,
      score = function(item, response)
        $2
        return 1
      end,
    },
  },
  sections = { { title = "s", from = { chapter = 1 }, pick = 1, points = 1 } },
}
EOF
}

# generator_cert NAME: certification G (scripts/g.lua) with one calculated
# item of generator NAME of scripts/lib/probe_generators.lua. Each generator
# works on about half of the draws and misbehaves on the others (module
# state cannot count calls: every form starts from the script as loaded).
generator_cert() {
    printf 'bank: g\ntitle: g\nitems:\n  - id: g-1\n    type: calculated\n    chapter: 1\n    stem: "n is {n}"\n    generator: %s\n' \
        "$1" >banks/g.yaml
    cat >scripts/lib/probe_generators.lua <<'EOF'
local M = {}
function M.nest(rng, params)
  if rng:int(1, 2) == 1 then
    local function f(s) return (s:gsub(".", f)) end
    f("ab")
  end
  return { data = { n = 1 }, key = 1, explanation = "n" }
end
function M.nul(rng, params)
  local bad = rng:int(1, 2) == 2
  return { data = { n = bad and "a\0b" or "a" }, key = 1, explanation = "n" }
end
return M
EOF
    cat >scripts/g.lua <<'EOF'
return certification {
  code = "G",
  title = "g",
  banks = { "g" },
  duration = "30m",
  generators = require "probe_generators",
  sections = { { title = "s", from = { chapter = 1 }, pick = 1, points = 1 } },
}
EOF
}

# preview_failing CODE: runs preview of seeds 1..20 until one fails (each
# misbehaving generator fails on about half of them); its output is the last.
preview_failing() {
    local seed
    for seed in $(seq 20); do
        run preview "$1" --seed "$seed"
        [ "$RC" != 0 ] && return 0
    done
    fail "preview of $1 never failed on seeds 1..20"
}

t_memory_bomb_at_load_names_the_line() {
    script_error 'local t = {}
for i = 1, 1e9 do t[i] = ("x"):rep(1000) .. i end'
    expect_err "scripts/t.lua:2: memory limit exceeded (64 MiB)"
}

t_present_failing_is_caught_by_check_and_names_the_line() {
    probe_cert 'local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(1000) .. i end' ''
    run check scripts/t.lua
    expect_rc 1
    expect_err "scripts/t.lua:11: present() of item 't-1' (seed 1; seeds after 1 not run: a limit was reached): memory limit exceeded (64 MiB)"
    run preview T --seed 1
    expect_rc 1
    expect_err "kaoshi: present() failed: scripts/t.lua:11: memory limit exceeded (64 MiB)"
}

# score() is run on the key and on sample responses before any candidate
# answers: a failing one stops check and keeps the sitting from opening
t_score_failing_is_caught_before_the_sitting_opens() {
    probe_cert '' 'error({ reason = "no score" })'
    run check scripts/t.lua
    expect_rc 1
    expect_err_has "scripts/t.lua:15: score() of item 't-1' (seed 1; 20 of 20 seeds): (error object is a table value) (response {\"value\":0})"
    export KAOSHI_DB=exam.db
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert T --date 2027-07-18
    expect_rc 0
    run sitting open s1
    expect_rc 1
    expect_err "kaoshi: scripts/t.lua:15: score() of item 't-1' (seed 1; 20 of 20 seeds): (error object is a table value) (response {\"value\":0})"
}

t_generator_failing_on_some_draws_names_the_line_and_seed() {
    generator_cert nest
    run check scripts/g.lua
    expect_rc 1
    expect_err "scripts/lib/probe_generators.lua:4: generator 'nest' of item 'g-1' (seed 2; 7 of 20 seeds): C stack overflow"
    preview_failing G
    expect_rc 1
    expect_err "kaoshi: drawing a form failed: scripts/lib/probe_generators.lua:4: C stack overflow"
}

t_c_stack_overflow_names_the_line() {
    script_error 'local function f(s) return (s:gsub(".", f)) end
return f("ab")'
    expect_err "scripts/t.lua:1: C stack overflow"
    script_error 'local t = setmetatable({}, {__tostring = function(t)
  return tostring(t)
end})
return tostring(t)'
    expect_err "scripts/t.lua:2: C stack overflow"
}

t_yield_outside_a_coroutine_names_the_line() {
    script_error 'local x = 1
coroutine.yield(x)'
    expect_err "scripts/t.lua:2: attempt to yield from outside a coroutine"
}

t_nested_coroutines_repeat_their_prefix_once() {
    script_error 'local function nest(n)
  if n == 0 then error("deep") end
  return coroutine.wrap(function() return nest(n - 1) end)()
end
return nest(60)'
    expect_err "scripts/t.lua:3: (repeated 60 times) scripts/t.lua:2: deep"
}

t_long_messages_are_cut() {
    script_error 'error(("x"):rep(100000), 0)'
    want=$(printf 'x%.0s' $(seq 509))
    expect_err "scripts/t.lua: $want…"
}

t_a_view_that_cannot_be_stored_names_present() {
    probe_cert 'if item then return { stem = item.stem, f = function() end } end' ''
    run preview T --seed 1
    expect_rc 1
    expect_err "kaoshi: scripts/t.lua:10: present() of question 1 (item 't-1', type 'probe'): its view cannot be stored: a function has no JSON form"
}

t_data_that_cannot_be_stored_names_the_generator() {
    generator_cert nul
    run check scripts/g.lua
    expect_rc 1
    expect_err "scripts/lib/probe_generators.lua:9: generator 'nul' of item 'g-1' (seed 1; 13 of 20 seeds): its data cannot be stored: a string holds a NUL byte"
    preview_failing G
    expect_rc 1
    expect_err "kaoshi: scripts/lib/probe_generators.lua:9: generator 'nul' of question 1 (item 'g-1', type 'calculated'): its data cannot be stored: a string holds a NUL byte"
}

# A view is turned into JSON after present() returned, outside the sandbox's
# limits: 40 tables each holding the next twice stand for 2^40 values, which
# once took the converter minutes and gigabytes; it keeps its own bounds.
t_a_view_too_large_to_store_fails_at_once() {
    probe_cert 'local t = {} for _ = 1, 40 do t = { a = t, b = t } end if item then return { stem = item.stem, x = t } end' ''
    run preview T --seed 1
    expect_rc 1
    expect_err "kaoshi: scripts/t.lua:10: present() of question 1 (item 't-1', type 'probe'): its view cannot be stored: it holds more than 1000000 values"
    probe_cert 'local s = ("x"):rep(1000000) local t = {} for i = 1, 40 do t[i] = s end if item then return { stem = item.stem, x = t } end' ''
    run preview T --seed 1
    expect_rc 1
    expect_err "kaoshi: scripts/t.lua:10: present() of question 1 (item 't-1', type 'probe'): its view cannot be stored: it holds more than 32 MiB of text"
}

# Declaration errors: `return certification { ... }` is a tail call, so Lua
# knows no line; the line is found in the script's text, at the key the check
# blames (engine/base/declscan.c).

# decl_cert LINES: certification T (scripts/t.lua, bank t) whose lines from
# line 6 on are LINES.
decl_cert() {
    printf 'bank: t\ntitle: t\nitems:\n  - id: t-1\n    type: true_false\n    chapter: 1\n    stem: s\n    answer: true\n' \
        >banks/t.yaml
    cat >scripts/t.lua <<EOF
-- a comment that mentions certification { titel = 1 } and "strings"
return certification {
  code = "T", title = "t",
  banks = { "t" },
  duration = "30m",
$1
}
EOF
}

t_unknown_key_in_the_demo_names_its_line() {
    sed -i 's/  title = /  titel = /' scripts/demo.lua
    run check scripts/demo.lua
    expect_rc 1
    expect_err "scripts/demo.lua:6: certification: unknown key 'titel'; expected one of: aids, attempts, balance, banks, certificate, code, description, duration, generators, grace, pass, question_types, retake, retake_wait, review, sections, shuffle_options, timezone, title, window"
}

t_bad_section_key_names_its_line() {
    decl_cert '  sections = {
    { title = "one", from = { chapter = 1 }, pick = 1, points = 1 },
    { title = "two",
      from = { chapter = 1 },
      pick = 1, point = 1 },
  },'
    run check scripts/t.lua
    expect_rc 1
    expect_err "scripts/t.lua:10: certification: section 2: unknown key 'point'; expected one of: from, min, pick, points, shuffle, title"
}

t_bad_draw_rule_names_its_line() {
    decl_cert '  sections = {
    { title = "one", from = { chapter = 1 }, pick = 1, points = 1 },
    { title = "two", pick = 1, points = 1, from = {
        -- chapter = 1,
        chapter = 0 } },
  },'
    run check scripts/t.lua
    expect_rc 1
    expect_err "scripts/t.lua:10: certification: section 2: from: 'chapter' must be a positive integer (got 0)"
}

t_bad_window_time_names_its_line() {
    decl_cert '  window = { opens = "09:00",
              closes = "9:30" },
  sections = { { title = "one", from = { chapter = 1 }, pick = 1, points = 1 } },'
    run check scripts/t.lua
    expect_rc 1
    expect_err "scripts/t.lua:7: certification: window: 'closes' must be a time of day \"HH:MM\" (got \"9:30\")"
}

t_bad_question_type_names_its_line() {
    decl_cert '  sections = { { title = "one", from = { chapter = 1 }, pick = 1, points = 1 } },
  question_types = {
    yes_no = {
      fields = { stem = "text" },
      present = "not a function",
    },
  },'
    run check scripts/t.lua
    expect_rc 1
    expect_err "scripts/t.lua:10: question type 'yes_no': 'present' must be a function"
    decl_cert '  sections = { { title = "one", from = { chapter = 1 }, pick = 1, points = 1 } },
  question_types = {
    single = { fields = {}, present = function() end, score = function() end },
  },'
    run check scripts/t.lua
    expect_rc 1
    expect_err "scripts/t.lua:8: certification: question type 'single' is built in; choose another name"
}

t_declaration_built_by_code_names_the_call() {
    cat >scripts/t.lua <<'EOF'
local decl = { code = "T", title = "t", banks = { "t" }, duration = "30m", sections = {} }
for i = 1, 2 do
  decl.sections[i] = { title = "s", from = { chapter = i - 1 }, pick = 1, points = 1 }
end
return certification(decl)
EOF
    run check scripts/t.lua
    expect_rc 1
    expect_err "scripts/t.lua:5: certification: section 1: from: 'chapter' must be a positive integer (got 0)"
}

# Only a call in the script itself is read: a table handed to a library's
# certification may be changed before it is checked. An error Lua placed (a
# call that is not a tail call) keeps its place, and a failure the script
# caught leaves no line to a later error.
t_declaration_errors_elsewhere_keep_their_message() {
    cat >scripts/lib/wrap.lua <<'EOF'
local M = {}
function M.certification(t) t.titel = t.title return certification(t) end
return M
EOF
    printf 'return require("wrap").certification {\n  code = "T",\n  title = "t",\n}\n' \
        >scripts/t.lua
    run check scripts/t.lua
    expect_rc 1
    expect_err_has "scripts/t.lua: certification: unknown key 'titel'; expected one of: "
    printf 'local c = certification {\n  code = "T",\n  titel = 1,\n}\nreturn c\n' >scripts/t.lua
    run check scripts/t.lua
    expect_rc 1
    expect_err_has "scripts/t.lua:1: certification: unknown key 'titel'; expected one of: "
    printf 'pcall(certification, { titel = 1 })\nerror("mine", 0)\n' >scripts/t.lua
    run check scripts/t.lua
    expect_rc 1
    expect_err "scripts/t.lua: mine"
}

# Finding a certification by code reads each script's `code = "..."` and
# runs only the script that declares that code; a script whose code is not a
# literal runs only when no script declares it. Scripts that loop, fail or
# would claim the code by computing it must not stand in the way.
lookup_scripts() {
    printf 'bank: t\ntitle: t\nitems:\n  - id: t-1\n    type: true_false\n    chapter: 1\n    stem: s\n    answer: true\n' \
        >banks/t.yaml
    cat >scripts/a_loop.lua <<'EOF'
while true do end
return certification { code = "LOOP", title = "loop", banks = { "t" }, duration = "30m",
  sections = { { title = "s", from = { chapter = 1 }, pick = 1, points = 1 } } }
EOF
    printf 'error("this script must never run")\nreturn certification { code = "FAILS" }\n' \
        >scripts/a_fails.lua
    cat >scripts/b_impostor.lua <<'EOF'
return certification { code = "DEMO" .. "-CS", title = "IMPOSTOR", banks = { "t" },
  duration = "30m", sections = { { title = "s", from = { chapter = 1 }, pick = 1, points = 1 } } }
EOF
}

t_lookup_by_code_runs_only_the_script_that_declares_it() {
    lookup_scripts
    run preview DEMO-CS --seed 1
    expect_rc 0
    [ "$(head -1 .out)" = "DEMO-CS 客户服务基础认证（示例）: seed 1, 8 questions, 100 points, 30 minutes" ] ||
        fail "preview showed: $(head -1 .out)"
    KAOSHI_DB=exam.db KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert DEMO-CS \
        --date 2027-07-18
    expect_rc 0
    expect_out "created sitting s1: DEMO-CS, 2027-07-18T09:00:00+08:00 to 2027-07-18T12:00:00+08:00 (draft; 'kaoshi sitting open s1' freezes it)"
    expect_err ""
}

t_lookup_by_code_runs_computed_codes_last() {
    lookup_scripts
    cat >scripts/b_shadow.lua <<'EOF'
-- declares OTHER, but would be SHADOW-CS if it ran: it never does
local declare = certification
local function certification(t) t.code = "SHADOW-CS" return declare(t) end
return certification { code = "OTHER", title = "shadow", banks = { "t" }, duration = "30m",
  sections = { { title = "s", from = { chapter = 1 }, pick = 1, points = 1 } } }
EOF
    run check scripts/b_shadow.lua
    expect_rc 0
    run preview SHADOW-CS --seed 1
    expect_rc 1
    expect_err "no certification with code 'SHADOW-CS' under ./scripts (or it fails 'kaoshi check')"
    sed -i 's/"IMPOSTOR"/"computed"/; s/"DEMO" .. "-CS"/"CALC" .. "-1"/' scripts/b_impostor.lua
    run preview CALC-1 --seed 1
    expect_rc 0
    [ "$(head -1 .out)" = "CALC-1 computed: seed 1, 1 questions, 1 points, 30 minutes" ] ||
        fail "preview showed: $(head -1 .out)"
}

# what certification{} returns is a read-only view: the engine keeps the
# declaration it checked, so no change after the checks reaches it
t_the_declaration_cannot_be_changed_after_its_checks() {
    sed -e 's/^return certification {/local c = certification {/' scripts/demo.lua >scripts/x.lua
    printf 'c.review = nil\nreturn c\n' >>scripts/x.lua
    run check scripts/x.lua
    expect_rc 1
    expect_err "scripts/x.lua:22: certification: the declaration cannot be changed after certification{} checked it (assigning 'review')"
    sed -i 's/^c.review = nil$/setmetatable(c, {})/' scripts/x.lua
    run check scripts/x.lua
    expect_rc 1
    expect_err "scripts/x.lua:22: cannot change a protected metatable"
    sed -i 's/^setmetatable(c, {})$/local s = c.sections; s[1].pick = 0/' scripts/x.lua
    run check scripts/x.lua
    expect_rc 0
    expect_out_has "8 questions, 100 points"
}

# a lookup by code names the error of the script that declares that code
t_a_lookup_by_code_reports_the_failing_scripts_own_error() {
    sed -i 's/  title = /  titel = /' scripts/demo.lua
    run preview DEMO-CS --seed 1
    expect_rc 1
    expect_err_has "scripts/demo.lua:6: certification: unknown key 'titel'; expected one of: "
    case $ERR in *"no certification with code"*) fail "the script's own error was hidden: $ERR" ;; esac
}
