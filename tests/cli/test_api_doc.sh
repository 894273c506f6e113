# The author's reference (scripts/SCRIPTING.md) and the author API cannot
# drift: every declaration key, draw rule, built-in type and field, what a
# generator may return, and every function scripts can call (each `stats`
# function included) must be documented there. The globals are checked both
# ways against the sandbox itself, as a script finds them (probe_sandbox):
# each global a script can read is in the table of "What scripts can use",
# each global that table lists can be read, and each function of the
# engine's tables (`score.set`, `kaoshi.duration_ms`, `stats.cv`, ...) is
# named in the reference, which names none that is not there.

doc="$ROOT/scripts/SCRIPTING.md"

documented() { # NAME...: each must appear as `name`, `name(`, `x.name(` or `x:name(`
    for name in "$@"; do
        grep -qE "(\`|[.:])$name(\`|\(|\?| =)" "$doc" ||
            fail "'$name' is part of the author API but not in scripts/SCRIPTING.md"
    done
}

keys_of() { # TABLE-NAME FILE...: the keys of `local NAME = { a = true, ... }`
    local name=$1
    shift
    awk -v t="local $name = {" 'index($0, t) == 1 {p = 1} p {print} p && /}/ {exit}' "$@" |
        grep -o '[a-z_]* = true' | sed 's/ = true//'
}

# Every name a global could have: Lua 5.4's own globals (the sandbox keeps
# some of them), each identifier of the engine's Lua and each string literal
# of its C (where the sandbox and its bindings name what they add), and each
# name in a code span of the reference.
candidate_names() {
    echo _G _VERSION assert collectgarbage coroutine debug dofile error getmetatable io \
         ipairs load loadfile math next os package pairs pcall print rawequal rawget rawlen \
         rawset require select setmetatable string table tonumber tostring type utf8 warn \
         xpcall | tr ' ' '\n'
    grep -ohE '\b[A-Za-z_][A-Za-z0-9_]*\b' "$ROOT"/engine/lua/*.lua
    grep -ohE '"[A-Za-z_][A-Za-z0-9_]*"' "$ROOT"/engine/lua/*.[ch] | tr -d '"'
    grep -o '`[^`]*`' "$doc" | grep -ohE '\b[A-Za-z_][A-Za-z0-9_]*\b'
}

# Runs a certification script that reads each candidate name in its own
# environment (an undeclared one raises an error) and, for the tables that
# are not Lua's libraries, lists their fields two levels deep. Sets SANDBOX
# to what it found, one per line: `pairs`, `score`, `score.set`, ...
probe_sandbox() {
    printf 'bank: probe\nitems:\n  - id: probe-1\n    type: true_false\n    stem: probe\n    answer: true\n' \
        >banks/probe.yaml
    {
        echo 'local candidates = {'
        candidate_names | sort -u | sed 's/.*/  "&",/'
        cat <<'LUA'
}
local lua_tables = { _G = true, string = true, table = true, math = true, utf8 = true,
                     coroutine = true }
local found = {}
local function fields(prefix, t, depth)
  for k, v in pairs(t) do
    if type(k) == "string" then
      found[#found + 1] = prefix .. "." .. k
      if type(v) == "table" and depth < 2 then fields(prefix .. "." .. k, v, depth + 1) end
    end
  end
end
for _, name in ipairs(candidates) do
  local ok, v = pcall(function() return _G[name] end)
  if ok then
    found[#found + 1] = name
    if type(v) == "table" and not lua_tables[name] then fields(name, v, 1) end
  end
end
table.sort(found)
return certification {
  code = "PROBE", title = table.concat(found, " "), banks = { "probe" }, duration = "30m",
  sections = { { title = "probe", from = {}, pick = 1, points = 1 } },
}
LUA
    } >scripts/probe.lua
    run preview scripts/probe.lua --seed 1 --json
    expect_rc 0
    SANDBOX=$(python3 -c 'import json; print("\n".join(json.load(open(".out"))["title"].split()))')
    case $SANDBOX in *pairs*) ;; *) fail "the probe found no globals: $OUT $ERR" ;; esac
}

# The globals the table of "## What scripts can use" lists: the code spans of
# its first column, one per line.
documented_globals() {
    python3 - "$doc" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
section = text.split("\n## What scripts can use\n", 1)[1].split("\n## ", 1)[0]
rows = re.search(r"^\| global \|.*\n\|[- |]*\n((?:\|.*\n)+)", section, re.M)
for row in rows.group(1).splitlines() if rows else []:
    for name in re.findall(r"`([^`]*)`", row.split("|")[1]):
        print(name)
PY
}

t_every_global_of_the_sandbox_is_documented() {
    probe_sandbox
    local listed
    listed=$(documented_globals)
    [ -n "$listed" ] || fail "found no table of globals under '## What scripts can use'"
    for name in $(grep -v '\.' <<<"$SANDBOX"); do
        grep -qxF "$name" <<<"$listed" ||
            fail "global '$name' is in the sandbox but not in the table of '## What scripts can use'"
    done
}

t_every_documented_global_is_in_the_sandbox() {
    probe_sandbox
    for name in $(documented_globals); do
        grep -qxF "$name" <<<"$SANDBOX" ||
            fail "'$name' is in the table of '## What scripts can use' but scripts cannot read it"
    done
}

# A field a.b (or a.b.c) of the engine's tables must be named as `a.b` (or
# `b.c`, as when kaoshi.score is also the global score) in the reference.
t_every_function_of_the_engine_tables_is_documented() {
    probe_sandbox
    for name in $(grep '\.' <<<"$SANDBOX"); do
        local tail
        tail=$(awk -F. '{print $(NF - 1) "." $NF}' <<<"$name")
        grep -qE "(^|[^A-Za-z0-9_])${tail//./\\.}([^A-Za-z0-9_]|$)" "$doc" ||
            fail "'$name' can be called from scripts but scripts/SCRIPTING.md does not name it"
    done
}

# Every `a.b` of the reference where a is one of the engine's tables (or
# one of their tables) is a field that is there.
t_every_documented_function_is_in_the_sandbox() {
    probe_sandbox
    SANDBOX=$SANDBOX python3 - "$doc" >.missing 2>&1 <<'PY' || fail "$(cat .missing)"
import os, re, sys
fields = {}
for name in os.environ["SANDBOX"].split():
    parts = name.split(".")
    for a, b in zip(parts, parts[1:]):
        fields.setdefault(a, set()).add(b)
if not fields:
    sys.exit("the probe found no table of functions")
text = open(sys.argv[1], encoding="utf-8").read()
missing = set()
for chain in re.findall(r"(?<![A-Za-z0-9_./])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+", text):
    parts = chain.split(".")
    for a, b in zip(parts, parts[1:]):
        if a in fields and not b.isupper() and b not in fields[a]:  # NAME: a placeholder
            missing.add(f"'{a}.{b}' is in scripts/SCRIPTING.md but not in the sandbox")
print("\n".join(sorted(missing)))
sys.exit(1 if missing else 0)
PY
}

t_declaration_keys_are_documented() {
    lua=("$ROOT"/engine/lua/*.lua) # author.lua and the modules it is split into
    documented $(keys_of cert_keys "${lua[@]}") $(keys_of section_keys "${lua[@]}") \
        $(keys_of from_keys "${lua[@]}") $(keys_of type_keys "${lua[@]}")
    [ -n "$(keys_of cert_keys "${lua[@]}")" ] || fail "found no declaration keys to check"
}

t_builtin_types_and_fields_are_documented() {
    types="$ROOT/engine/lua/types.lua"
    names=$(grep -o 'define_builtin("[a-z_]*"' "$types" | sed 's/.*("//; s/"//')
    [ "$(echo $names | wc -w)" = 9 ] || fail "expected 9 built-in types, found: $names"
    documented $names
    documented $(grep -o 'fields = {[^}]*}' "$types" | grep -o '[a-z_]* =' | sed 's/ =//' |
                 grep -v '^fields$' | sort -u)
}

# The methods of the rng object hooks receive (not a global, so not probed).
t_rng_methods_are_documented() {
    names=$(sed -n '/luaL_Reg [a-z_]*\[\] = {/,/};/p' "$ROOT/engine/lua/lrng.c" |
            grep -o '{"[a-z_]*"' | sed 's/{"//; s/"//')
    [ -n "$names" ] || fail "no functions found in lrng.c"
    documented $names
}

t_stats_functions_are_documented() {
    run stats --list
    [ -n "$OUT" ] || fail "kaoshi stats --list printed nothing"
    for name in $OUT; do
        grep -qF "\`stats.$name\`" "$doc" ||
            fail "'stats.$name' is callable from scripts but not in scripts/SCRIPTING.md"
    done
}

t_generator_results_are_documented() {
    keys=$(keys_of result_keys "$ROOT/engine/lua/types.lua")
    [ -n "$keys" ] || fail "found no generator result keys to check"
    documented $keys
}
