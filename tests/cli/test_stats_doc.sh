# The statistics reference (docs/statistics.md) and the statistics core
# cannot drift: every function `kaoshi stats` knows has its section there
# and every section a function; every ks_stats_* function of
# include/kaoshi/stats.h is named; every status the code can return is
# documented with its text, and no other; every example run shown there
# gives exactly the output shown.

doc="$ROOT/docs/statistics.md"

# The function names `kaoshi stats --list` prints.
functions() {
    run stats --list
    [ "$RC" = 0 ] && [ -n "$OUT" ] || fail "kaoshi stats --list failed or printed nothing"
    echo "$OUT"
}

# The function names of the section headings: "## 1. `cv` — ...",
# "### 3.1 `xmr_limits` — ...".
section_names() {
    grep -E '^#{2,4} [0-9]+(\.[0-9]+)*\.? `[a-z0-9_]+`' "$doc" |
        sed -E 's/^#+ [0-9.]+ `([a-z0-9_]+)`.*/\1/'
}

# The status names the code can return: KS_STAT_E_* constants of the header
# and the engine, and the strings ks_stats_status_name returns.
status_names() {
    { grep -ohE 'KS_STAT_E_[A-Z_]+' "$ROOT/include/kaoshi/stats.h" "$ROOT"/engine/stats/*.c |
          sed 's/^KS_STAT_//'
      grep -ohE '"E_[A-Z_]+"' "$ROOT"/engine/stats/*.c | tr -d '"'; } | sort -u
}

t_every_function_has_a_section() {
    names=$(functions)
    [ "$(echo $names | wc -w)" -ge 20 ] || fail "expected at least 20 functions, found: $names"
    sections=$(section_names)
    for name in $names; do
        echo "$sections" | grep -qx "$name" ||
            fail "'$name' is a function of kaoshi stats but has no section in docs/statistics.md"
    done
}

t_every_section_is_a_function() {
    names=$(functions)
    sections=$(section_names)
    [ -n "$sections" ] || fail "found no function sections in docs/statistics.md"
    for name in $sections; do
        echo "$names" | grep -qx "$name" ||
            fail "docs/statistics.md has a section for '$name', which kaoshi stats does not know"
    done
    dups=$(echo "$sections" | sort | uniq -d)
    [ -z "$dups" ] || fail "docs/statistics.md has more than one section for: $dups"
}

t_every_c_function_is_named() {
    header="$ROOT/include/kaoshi/stats.h"
    cfuns=$(grep -oE '\bks_stats_[a-z0-9_]+\(' "$header" | tr -d '(' | sort -u)
    [ "$(echo $cfuns | wc -w)" -ge 30 ] || fail "expected at least 30 C functions, found: $cfuns"
    for f in $cfuns; do
        grep -qE "\b$f([^a-z0-9_]|\$)" "$doc" ||
            fail "$f is declared in include/kaoshi/stats.h but not named in docs/statistics.md"
    done
    # Each function of kaoshi stats is ks_stats_NAME in C.
    for name in $(functions); do
        echo "$cfuns" | grep -qx "ks_stats_$name" ||
            fail "kaoshi stats $name has no C function ks_stats_$name in include/kaoshi/stats.h"
        grep -qF "\`ks_stats_$name(" "$doc" ||
            fail "docs/statistics.md does not give the C call \`ks_stats_$name(...)\`"
    done
}

t_every_status_is_documented() {
    codes=$(status_names)
    for code in E_LENGTH_MISMATCH E_DOMAIN E_N_TOO_SMALL E_ZERO_VARIANCE E_DIV_ZERO; do
        echo "$codes" | grep -qx "$code" || fail "found no $code in the code: is the extraction broken?"
    done
    for code in $codes; do
        grep -qF "\`$code\`" "$doc" ||
            fail "the code can return $code but docs/statistics.md does not document it"
    done
    # ... and the page names no status the code does not have.
    for code in $(grep -oE '(^|[^A-Za-z0-9_])E_[A-Z_]+' "$doc" | sed -E 's/^[^E]//' | sort -u); do
        echo "$codes" | grep -qx "$code" ||
            fail "docs/statistics.md names $code, which the code does not have"
    done
}

t_every_status_text_is_documented() {
    texts=$(sed -n '/^const char \*ks_stats_status_text/,/^}/p' "$ROOT/engine/stats/stats_basic.c" |
            grep -oE 'return "[^"]*"' | sed -E 's/^return "//; s/"$//')
    [ "$(echo "$texts" | wc -l)" -ge 7 ] || fail "found too few status texts: $texts"
    while IFS= read -r text; do
        [ "$text" = "unknown status" ] && continue
        grep -qF "$text" "$doc" ||
            fail "the status text '$text' (engine/stats/stats_basic.c) is not in docs/statistics.md"
    done <<<"$texts"
}

t_examples_give_the_outputs_shown() {
    # "$ echo 'INPUT' | kaoshi stats NAME" and, on the next line, the output.
    examples=$(awk '/^\$ echo .* \| kaoshi stats [a-z0-9_]+$/ { cmd = $0; getline out; print cmd "\t" out }' "$doc")
    [ "$(echo "$examples" | grep -c .)" -ge 24 ] || fail "found too few examples in docs/statistics.md"
    shown=""
    while IFS=$'\t' read -r cmd want; do
        name=${cmd##* }
        input=${cmd#\$ echo \'}
        input=${input%\' | kaoshi stats $name}
        shown="$shown $name"
        run stats "$name" <<<"$input"
        case $want in *'"error":'*) want_rc=1 ;; *) want_rc=0 ;; esac
        [ "$RC" = "$want_rc" ] || fail "kaoshi stats $name <<< '$input' exited $RC, expected $want_rc"
        [ "$OUT" = "$want" ] || fail "kaoshi stats $name <<< '$input' printed
$OUT
where docs/statistics.md shows
$want"
    done <<<"$examples"
    for name in $(functions); do
        case " $shown " in *" $name "*) ;; *) fail "docs/statistics.md has no example run of '$name'" ;; esac
    done
}
