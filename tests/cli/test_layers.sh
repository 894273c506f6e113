# tools/check-layers (make check-layers) on a copy of the tree: the real tree
# passes, and each kind of violation fails with the file, the line and the
# rule it breaks.

copy_tree() {
    mkdir tree
    cp -r "$ROOT/engine" "$ROOT/include" tree/
}

check() {
    python3 "$ROOT/tools/check-layers" tree >.out 2>.err
    RC=$?
    OUT=$(cat .out)
    ERR=$(cat .err)
}

t_the_tree_keeps_its_layers() {
    copy_tree
    check
    expect_rc 0
    expect_out_has "check-layers: 8 layers"
}

t_a_lower_layer_including_a_higher_one_fails() {
    copy_tree
    sed -i '0,/^#include "kaoshi\/clock.h"/s//&\n#include "exam\/exam_impl.h"/' tree/engine/base/clock.c
    line=$(grep -n 'exam/exam_impl.h' tree/engine/base/clock.c | cut -d: -f1)
    check
    expect_rc 1
    expect_err "engine/base/clock.c:$line: includes \"exam/exam_impl.h\" (exam), but base may use only nothing below it
check-layers: 1 problem(s)"
}

t_a_public_header_of_a_higher_layer_fails() {
    copy_tree
    printf '#include "kaoshi/exam.h"\n' >>tree/engine/store/store.c
    line=$(wc -l <tree/engine/store/store.c)
    check
    expect_rc 1
    expect_err "engine/store/store.c:$line: includes \"kaoshi/exam.h\" (exam), but store may use only base
check-layers: 1 problem(s)"
}

t_only_the_lua_layer_includes_lua() {
    copy_tree
    printf '#include <lua.h>\n' >>tree/engine/exam/exam_view.c
    line=$(wc -l <tree/engine/exam/exam_view.c)
    check
    expect_rc 1
    expect_err "engine/exam/exam_view.c:$line: includes <lua.h>; only engine/lua/ may include Lua's headers
check-layers: 1 problem(s)"
}

t_sources_outside_a_layer_and_unlisted_headers_fail() {
    copy_tree
    printf 'int x;\n' >tree/engine/loose.c
    printf '#ifndef X\n#define X\n#endif\n' >tree/include/kaoshi/orphan.h
    check
    expect_rc 1
    expect_err "engine/loose.c: a source file outside every layer's folder
include/kaoshi/orphan.h: no layer implements this header (list it in engine/layers)
check-layers: 2 problem(s)"
}

t_angle_brackets_do_not_get_around_the_rule() {
    copy_tree
    printf '#include <kaoshi/exam.h>\n#include <lua5.4/lua.h>\n' >>tree/engine/base/text.c
    line=$(wc -l <tree/engine/base/text.c)
    check
    expect_rc 1
    expect_err "engine/base/text.c:$((line - 1)): includes \"kaoshi/exam.h\" (exam), but base may use only nothing below it
engine/base/text.c:$line: includes <lua5.4/lua.h>; only engine/lua/ may include Lua's headers
check-layers: 2 problem(s)"
}
