/* Unit tests for the errors of engine/lua/sandbox.c: which file and line a
 * failed call names (the error's own position, or the innermost script
 * frame's: for memory errors, yields outside a coroutine, C stack overflows,
 * values that are not strings, limits struck in load()ed text, hooks the
 * engine's own Lua calls), what error() decides itself, repeated prefixes
 * collapsed, long messages cut, and where a script defines a function. */
#include "unit.h"

#include "sandbox_unit.h"

/* Loads text as chunk NAME, runs it and leaves its one result on the stack. */
static void push_chunk_result(ks_sandbox *sb, const char *name, const char *text)
{
    ks_error err;
    CHECK_INT(ks_sandbox_load(sb, name, text, strlen(text), &err), KS_OK);
    CHECK_INT(ks_sandbox_call(sb, 0, 1, NULL, &err), KS_OK);
}

static void memory_errors_name_the_line(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, DISTANT_DEADLINE);
    const char *want = "test() failed: scripts/t.lua:2: memory limit exceeded (64 MiB)";
    EXPECT_ERROR(sb, "local t = {}\nfor i = 1, 1e9 do t[i] = ('x'):rep(1000) .. i end", want);
    CHECK(strstr(ks_sandbox_traceback(sb), "scripts/t.lua:2: in main chunk") != NULL);
    EXPECT_ALIVE(sb);
    EXPECT_ERROR(sb, "local function grow()\n  return ('x'):rep(1e9)\nend\nreturn grow()", want);
    EXPECT_ERROR(sb, "\nreturn coroutine.wrap(function() return ('x'):rep(1e9) end)()", want);
    EXPECT_ALIVE(sb);
    /* caught, it is an ordinary error */
    EXPECT(sb, "return select(2, pcall(string.rep, 'x', 1e9))", "not enough memory");
    ks_sandbox_free(sb);
}

static void c_stack_overflows_name_the_line(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, 0);
    EXPECT_ERROR(sb, "local function f(n) return f(n + 1) + 1 end\nreturn f(1)",
                 "test() failed: scripts/t.lua:1: stack overflow");
    EXPECT_ALIVE(sb);
    EXPECT_ERROR(sb, "local t = setmetatable({}, {__index = function(t, k) return t[k] end})\n"
                     "return t.x",
                 "test() failed: scripts/t.lua:1: C stack overflow");
    EXPECT_ALIVE(sb);
    EXPECT_ERROR(sb, "\nlocal function f(s) return (s:gsub('.', f)) end\nreturn f('ab')",
                 "test() failed: scripts/t.lua:2: C stack overflow");
    EXPECT_ALIVE(sb);
    EXPECT_ERROR(sb, "local t = setmetatable({}, {__tostring = function(t)\n"
                     "  return tostring(t)\nend})\nreturn tostring(t)",
                 "test() failed: scripts/t.lua:2: C stack overflow");
    EXPECT_ALIVE(sb);
    ks_sandbox_free(sb);
}

static void yields_outside_a_coroutine_name_the_line(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, 0);
    EXPECT_ERROR(sb, "local x = 1\ncoroutine.yield(x)",
                 "test() failed: scripts/t.lua:2: attempt to yield from outside a coroutine");
    CHECK(strstr(ks_sandbox_traceback(sb), "scripts/t.lua:2: in main chunk") != NULL);
    EXPECT_ERROR(sb, "local function f()\n  pcall(coroutine.yield)\nend\nf()",
                 "test() failed: scripts/t.lua:2: attempt to yield from outside a coroutine");
    EXPECT_ERROR(sb, "table.sort({3, 2, 1}, function(a, b)\n  coroutine.yield()\nend)",
                 "test() failed: scripts/t.lua:2: attempt to yield across a C-call boundary");
    EXPECT_ALIVE(sb);
    /* the call's own coroutine is the script's running one; its own
     * coroutines yield as usual */
    EXPECT(sb, "local co, main = coroutine.running()\nreturn type(co) .. tostring(main)",
           "threadfalse");
    EXPECT(sb, "local f = coroutine.wrap(function() coroutine.yield(1) return 2 end)\n"
               "return f() + f()",
           "3");
    ks_sandbox_free(sb);
}

static void error_keeps_what_error_made(void)
{
    ks_sandbox *sb = new_sandbox(0, 1000000, 0);
    /* strings: error()'s level decides, 0 for none */
    EXPECT_ERROR(sb, "error('plain', 0)", "test() failed: plain");
    EXPECT_ERROR(sb, "local function f() error('up', 2) end\n\nf()",
                 "test() failed: scripts/t.lua:3: up");
    EXPECT_ERROR(sb, "local function f() error('after a tail call', 2) end\nreturn f()",
                 "test() failed: after a tail call");
    /* other values get the innermost script frame's */
    EXPECT_ERROR(sb, "\nerror({code = 1})",
                 "test() failed: scripts/t.lua:2: (error object is a table value)");
    EXPECT_ERROR(sb, "error(setmetatable({}, {__tostring = function() return 'custom' end}))",
                 "test() failed: scripts/t.lua:1: custom");
    EXPECT_ERROR(sb, "error(setmetatable({}, {__tostring = function() error('bad') end}))",
                 "test() failed: scripts/t.lua:1: (error object is a table value)");
    EXPECT_ERROR(sb, "error(setmetatable({}, {__tostring = function() return {} end}))",
                 "test() failed: scripts/t.lua:1: (error object is a table value)");
    EXPECT_ERROR(sb, "error()", "test() failed: scripts/t.lua:1: (error object is a nil value)");
    EXPECT_ERROR(sb, "error(42)", "test() failed: scripts/t.lua:1: 42");
    EXPECT_ERROR(sb, "error(setmetatable({}, {__tostring = function() while true do end end}))",
                 "test() failed: scripts/t.lua:1: instruction limit exceeded (1000000)");
    EXPECT_ALIVE(sb);
    ks_sandbox_free(sb);
}

/* Hooks the engine's own Lua calls later (engine/lua/author.lua is one of
 * the embedded files): their errors name the script's line, never the
 * engine's; a failure of the engine's Lua alone names none. */
static void hooks_called_by_the_engine_name_the_script(void)
{
    ks_sandbox *sb = new_sandbox(0, 1000000, DISTANT_DEADLINE);
    lua_State *L = ks_sandbox_lua(sb);
    ks_error err;
    push_chunk_result(sb, "engine/lua/author.lua",
                      "return {\n"
                      "  call = function(hook) local v = hook() return v end,\n"
                      "  check = function(hook) local v = hook() error(v) end,\n"
                      "  loop = function() while true do end end,\n"
                      "}");
    push_chunk_result(sb, "scripts/h.lua",
                      "return {\n"
                      "  bomb = function() return ('x'):rep(1e9) end,\n"
                      "  gsub = function() local function f(s) return (s:gsub('.', f)) end\n"
                      "    return f('ab') end,\n"
                      "  spin = function() local n = 0 while true do n = n + 1 end end,\n"
                      "  value = function() return {} end,\n"
                      "}");
    static const struct {
        const char *engine, *hook, *want;
    } cases[] = {
        {"call", "bomb", "present() failed: scripts/h.lua:2: memory limit exceeded (64 MiB)"},
        {"call", "gsub", "present() failed: scripts/h.lua:3: C stack overflow"},
        {"call", "spin", "present() failed: scripts/h.lua:5: instruction limit exceeded (1000000)"},
        {"check", "value", "present() failed: (error object is a table value)"},
        {"loop", "value", "present() failed: instruction limit exceeded (1000000)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lua_getfield(L, 1, cases[i].engine);
        lua_getfield(L, 2, cases[i].hook);
        CHECK_INT(ks_sandbox_call(sb, 1, 1, "present()", &err), KS_ESCRIPT);
        CHECK_STR(err.message, cases[i].want);
        CHECK_INT(lua_gettop(L), 2);
    }
    lua_settop(L, 0);
    /* a limit struck in load()ed text names the script line that ran it */
    EXPECT_ERROR(sb, "local f = load('while true do end')\n\nf()",
                 "test() failed: scripts/t.lua:3: instruction limit exceeded (1000000)");
    /* load()ed text keeps the positions Lua gives its errors */
    EXPECT_ERROR(sb, "load('local t\\nreturn t.x', 'snippet')()",
                 "test() failed: snippet:2: attempt to index a nil value (local 't')");
    ks_sandbox_free(sb);
}

static void repeated_prefixes_are_collapsed(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, 0);
    /* each coroutine.wrap adds the position of its call */
    EXPECT_ERROR(sb, "local function nest(n)\n"
                     "  if n == 0 then error('deep') end\n"
                     "  return coroutine.wrap(function() return nest(n - 1) end)()\n"
                     "end\n"
                     "return nest(60)",
                 "test() failed: scripts/t.lua:3: (repeated 60 times) scripts/t.lua:2: deep");
    EXPECT_ERROR(sb, "local a, b\n"
                     "function a(n)\n"
                     "  if n == 0 then error('deep', 0) end\n"
                     "  return coroutine.wrap(b)(n - 1)\n"
                     "end\n"
                     "function b(n) return coroutine.wrap(a)(n - 1) end\n"
                     "return a(40)",
                 "test() failed: scripts/t.lua:4: scripts/t.lua:6: (repeated 20 times) deep");
    /* nested until the C stack runs out: how deep depends on Lua's build */
    ks_error err;
    CHECK(run(sb, "local function nest() return coroutine.wrap(nest)() end\nreturn nest()",
              &err) == NULL);
    const char *head = "test() failed: scripts/t.lua:1: (repeated ";
    const char *tail = " times) C stack overflow";
    size_t len = strlen(err.message);
    CHECK(strncmp(err.message, head, strlen(head)) == 0);
    CHECK(len > strlen(tail) && strcmp(err.message + len - strlen(tail), tail) == 0);
    CHECK(len < 80);
    /* different prefixes, and a script's own "a: a:", stay as they are */
    EXPECT_ERROR(sb, "local ok, e = pcall(error, 'x: inner')\nerror(e)",
                 "test() failed: scripts/t.lua:2: x: inner");
    EXPECT_ERROR(sb, "error('section 1: section 1: section 1: bad', 0)",
                 "test() failed: section 1: (repeated 3 times) bad");
    EXPECT_ALIVE(sb);
    ks_sandbox_free(sb);
}

/* Writes "test() failed: ", n copies of s and tail to buf; returns buf. */
static const char *failed_with(char *buf, int n, const char *s, const char *tail)
{
    strcpy(buf, "test() failed: ");
    for (int i = 0; i < n; i++)
        strcat(buf, s);
    return strcat(buf, tail);
}

static void long_messages_are_cut(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, 0);
    char want[700];
    /* 512 bytes after "failed: ", the last three of them "…" */
    EXPECT_ERROR(sb, "error(('x'):rep(100000), 0)", failed_with(want, 509, "x", "…"));
    EXPECT_ERROR(sb, "error(('x'):rep(512), 0)", failed_with(want, 512, "x", ""));
    /* never inside a character: 254 two-byte ones, then "…" */
    EXPECT_ERROR(sb, "error(('é'):rep(1000), 0)", failed_with(want, 254, "é", "…"));
    ks_sandbox_free(sb);
}

static void chunk_names_appear_in_messages(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, 0);
    lua_State *L = ks_sandbox_lua(sb);
    ks_error err;
    const char *bad = "local a = 1\nlocal = 2";
    CHECK_INT(ks_sandbox_load(sb, "scripts/x.lua", bad, strlen(bad), &err), KS_ESCRIPT);
    CHECK_STR(err.message, "scripts/x.lua:2: <name> expected near '='");
    CHECK_INT(lua_gettop(L), 0);

    const char *text = "local t\n\nreturn t.x";
    CHECK_INT(ks_sandbox_load(sb, "scripts/x.lua", text, strlen(text), &err), KS_OK);
    CHECK_INT(ks_sandbox_call(sb, 0, 1, "grade()", &err), KS_ESCRIPT);
    CHECK_STR(err.message,
              "grade() failed: scripts/x.lua:3: attempt to index a nil value (local 't')");
    CHECK(strstr(ks_sandbox_traceback(sb), "scripts/x.lua:3: in main chunk") != NULL);
    CHECK(strstr(ks_sandbox_traceback(sb), "[string") == NULL);
    CHECK_INT(ks_sandbox_load(sb, "scripts/x.lua", text, strlen(text), &err), KS_OK);
    CHECK_INT(ks_sandbox_call(sb, 0, 1, NULL, &err), KS_ESCRIPT);
    CHECK_STR(err.message, "scripts/x.lua:3: attempt to index a nil value (local 't')");
    CHECK_INT(lua_gettop(L), 0);
    ks_sandbox_free(sb);
}

static void defined_at_names_script_functions(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, 0);
    lua_State *L = ks_sandbox_lua(sb);
    char at[96];
    push_chunk_result(sb, "scripts/d.lua",
                      "return {\n"
                      "  hook = function() end,\n"
                      "  loaded = load('return function() end')(),\n"
                      "  c = string.upper,\n"
                      "  n = 1,\n"
                      "}");
    push_chunk_result(sb, "engine/lua/types.lua", "return function() end");
    lua_getfield(L, 1, "hook");
    CHECK_INT(ks_sandbox_defined_at(L, -1, at, sizeof at), 1);
    CHECK_STR(at, "scripts/d.lua:2");
    static const char *const not_scripts[] = {"loaded", "c", "n"};
    for (size_t i = 0; i < sizeof not_scripts / sizeof not_scripts[0]; i++) {
        lua_getfield(L, 1, not_scripts[i]);
        CHECK_INT(ks_sandbox_defined_at(L, -1, at, sizeof at), 0);
        CHECK_STR(at, "");
    }
    CHECK_INT(ks_sandbox_defined_at(L, 2, at, sizeof at), 0);
    CHECK_INT(lua_gettop(L), 6);
    lua_settop(L, 0);
    ks_sandbox_free(sb);
}

UNIT_MAIN(T(memory_errors_name_the_line), T(c_stack_overflows_name_the_line),
          T(yields_outside_a_coroutine_name_the_line), T(error_keeps_what_error_made),
          T(hooks_called_by_the_engine_name_the_script), T(repeated_prefixes_are_collapsed),
          T(long_messages_are_cut), T(chunk_names_appear_in_messages),
          T(defined_at_names_script_functions))
