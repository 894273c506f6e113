# Script failures name the file and line, through the real binary: at load
# ('kaoshi check'), and in hooks the lifecycle calls later (present() by
# 'kaoshi preview', score() by 'kaoshi grade', generators when a form is
# drawn); C stack overflows, yields outside a coroutine, nested coroutines'
# repeated prefixes, and hook results no JSON can hold.

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
        return { stem = item.stem }
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
# works the first time, for the trial run of loading, and misbehaves after.
generator_cert() {
    printf 'bank: g\ntitle: g\nitems:\n  - id: g-1\n    type: calculated\n    chapter: 1\n    stem: "n is {n}"\n    generator: %s\n' \
        "$1" >banks/g.yaml
    cat >scripts/lib/probe_generators.lua <<'EOF'
local calls = 0
local M = {}
function M.nest(rng, params)
  calls = calls + 1
  if calls > 1 then
    local function f(s) return (s:gsub(".", f)) end
    f("ab")
  end
  return { data = { n = 1 }, key = 1, explanation = "n" }
end
function M.nul(rng, params)
  calls = calls + 1
  return { data = { n = calls > 1 and "a\0b" or "a" }, key = 1, explanation = "n" }
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

t_memory_bomb_at_load_names_the_line() {
    script_error 'local t = {}
for i = 1, 1e9 do t[i] = ("x"):rep(1000) .. i end'
    expect_err "scripts/t.lua:2: memory limit exceeded (64 MiB)"
}

t_present_failing_in_preview_names_the_line() {
    probe_cert 'local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(1000) .. i end' ''
    run check scripts/t.lua
    expect_rc 0
    run preview T --seed 1
    expect_rc 1
    expect_err "kaoshi: present() failed: scripts/t.lua:11: memory limit exceeded (64 MiB)"
}

t_score_failing_in_grade_names_the_line() {
    probe_cert '' 'error({ reason = "no score" })'
    export KAOSHI_DB=exam.db
    KAOSHI_NOW=2027-07-01T00:00:00Z run sitting create s1 --cert T --date 2027-07-18
    expect_rc 0
    run sitting open s1
    expect_rc 0
    printf 'number,name\nC001,张三\n' >roster.csv
    run enroll s1 roster.csv
    code=$(sed -n 's/^C001,张三,//p' .out)
    KAOSHI_NOW=2027-07-18T09:05:00+08:00 run attempt start s1 C001 --code "$code" --json
    expect_rc 0
    attempt=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["attempt"])' <.out)
    KAOSHI_NOW=2027-07-18T09:06:00+08:00 run attempt answer "$attempt" 1 '{"value": 1}'
    expect_rc 0
    KAOSHI_NOW=2027-07-18T09:07:00+08:00 run attempt submit "$attempt"
    expect_rc 0
    KAOSHI_NOW=2027-07-18T12:30:00+08:00 run grade s1
    expect_rc 1
    expect_err "kaoshi: grading failed: scripts/t.lua:15: (error object is a table value)"
}

t_generator_failing_when_a_form_is_drawn_names_the_line() {
    generator_cert nest
    run check scripts/g.lua
    expect_rc 0
    run preview G --seed 1
    expect_rc 1
    expect_err "kaoshi: drawing a form failed: scripts/lib/probe_generators.lua:6: C stack overflow"
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
    expect_rc 0
    run preview G --seed 1
    expect_rc 1
    expect_err "kaoshi: scripts/lib/probe_generators.lua:11: generator 'nul' of question 1 (item 'g-1', type 'calculated'): its data cannot be stored: a string holds a NUL byte"
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
