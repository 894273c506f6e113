# The author's reference (scripts/SCRIPTING.md) and the author API cannot
# drift: every declaration key, draw rule, built-in type and field, what a
# generator may return, and every function scripts can call (each `stats`
# function included) must be documented there.

doc="$ROOT/scripts/SCRIPTING.md"

documented() { # NAME...: each must appear as `name`, `name(`, `x.name(` or `x:name(`
    for name in "$@"; do
        grep -qE "(\`|[.:])$name(\`|\(|\?| =)" "$doc" ||
            fail "'$name' is part of the author API but not in scripts/SCRIPTING.md"
    done
}

keys_of() { # TABLE-NAME FILE: the keys of `local NAME = { a = true, ... }`
    awk -v t="local $1 = {" 'index($0, t) == 1 {p = 1} p {print} p && /}/ {exit}' "$2" |
        grep -o '[a-z_]* = true' | sed 's/ = true//'
}

t_declaration_keys_are_documented() {
    lua="$ROOT/engine/lua/author.lua"
    documented $(keys_of cert_keys "$lua") $(keys_of section_keys "$lua") \
        $(keys_of from_keys "$lua") $(keys_of type_keys "$lua")
    [ -n "$(keys_of cert_keys "$lua")" ] || fail "found no declaration keys to check"
}

t_builtin_types_and_fields_are_documented() {
    types="$ROOT/engine/lua/types.lua"
    names=$(grep -o 'define_builtin("[a-z_]*"' "$types" | sed 's/.*("//; s/"//')
    [ "$(echo $names | wc -w)" = 9 ] || fail "expected 9 built-in types, found: $names"
    documented $names
    documented $(grep -o 'fields = {[^}]*}' "$types" | grep -o '[a-z_]* =' | sed 's/ =//' |
                 grep -v '^fields$' | sort -u)
}

t_script_functions_are_documented() {
    for f in lscore.c lrng.c lchart.c cert.c; do
        names=$(sed -n '/luaL_Reg [a-z_]*\[\] = {/,/};/p' "$ROOT/engine/lua/$f" |
                grep -o '{"[a-z_]*"' | sed 's/{"//; s/"//')
        [ -n "$names" ] || fail "no functions found in $f"
        documented $names
    done
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
