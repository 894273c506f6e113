/* Unit tests for engine/lua/sandbox.c and engine/lua/pattern.c: what a
 * script can and cannot reach, the memory, instruction and time limits,
 * require, and the pattern functions compared with the stock Lua string
 * library on the same inputs. Where errors are placed and how their text is
 * tidied is in test_sandbox_errors.c. */
#include "unit.h"

#include <limits.h>
#include <lualib.h>
#include <time.h>

#include "sandbox_unit.h"

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}


/* ---- what scripts can reach ------------------------------------------------ */

static void unsafe_functions_are_absent(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, 0);
    static const char *const absent[] = {
        "io", "os", "debug", "package", "dofile", "loadfile", "collectgarbage", "print", "warn",
    };
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        char text[64], want[128];
        snprintf(text, sizeof text, "return %s", absent[i]);
        snprintf(want, sizeof want, "test() failed: scripts/t.lua:1: undeclared global '%s'",
                 absent[i]);
        EXPECT_ERROR(sb, text, want);
        snprintf(text, sizeof text, "return rawget(_G, '%s')", absent[i]);
        EXPECT(sb, text, "nil");
    }
    EXPECT(sb, "return tostring(string.dump) .. tostring(math.random) .. "
               "tostring(math.randomseed) .. tostring(('').dump)",
           "nilnilnilnil");
    EXPECT(sb, "return type(string.format) .. type(table.concat) .. type(math.floor) .. "
               "type(utf8.char) .. type(coroutine.wrap) .. type(pcall) .. type(require) .. "
               "type(load) .. _VERSION",
           "functionfunctionfunctionfunctionfunctionfunctionfunctionfunctionLua 5.4");
    ks_sandbox_free(sb);
}

struct dump_buffer {
    char data[4096];
    size_t len;
};

static int dump_writer(lua_State *L, const void *p, size_t n, void *ud)
{
    (void)L;
    struct dump_buffer *b = ud;
    if (b->len + n > sizeof b->data)
        return 1;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

static void bytecode_is_refused(void)
{
    struct dump_buffer code = {.len = 0};
    lua_State *stock = luaL_newstate();
    CHECK_INT(luaL_loadstring(stock, "return 1"), LUA_OK);
    CHECK_INT(lua_dump(stock, dump_writer, &code, 0), 0);
    lua_close(stock);
    CHECK(code.len > 4 && code.data[0] == '\x1b');

    ks_sandbox *sb = new_sandbox(0, 0, 0);
    lua_State *L = ks_sandbox_lua(sb);
    ks_error err;
    CHECK_INT(ks_sandbox_load(sb, "scripts/b.lua", code.data, code.len, &err), KS_ESCRIPT);
    CHECK_STR(err.message, "scripts/b.lua: attempt to load a binary chunk (mode is 't')");
    CHECK_INT(lua_gettop(L), 0);
    lua_pushlstring(L, code.data, code.len);
    CHECK_STR(run_args(sb, "local f, msg = load(...) return tostring(f) .. ': ' .. msg", 1, &err),
              "nil: attempt to load a binary chunk (mode is 't')");
    lua_pushlstring(L, code.data, code.len);
    CHECK_STR(run_args(sb, "return select(2, load(..., 'x', 'b'))", 1, &err),
              "attempt to load a binary chunk (mode is 't')");
    EXPECT_ALIVE(sb);
    ks_sandbox_free(sb);
}

static void load_uses_the_callers_environment(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, 0);
    EXPECT(sb, "return load('return string.upper(\"a\")')()", "A");
    EXPECT(sb, "return select(2, pcall(load('return io')))", "(load):1: undeclared global 'io'");
    EXPECT(sb, "return select(2, pcall(load('x = 1', 'snippet')))",
           "snippet:1: assignment to undeclared global 'x' (use local)");
    EXPECT(sb, "return select(2, pcall(load('error(\"boom\")', '@spoof.lua')))", "spoof.lua:1: boom");
    EXPECT(sb, "string.shout = function(s) return s .. '!' end\n"
               "return load('return string.shout(\"hi\")')()",
           "hi!");
    EXPECT(sb, "return load('return a + 1', 'c', 't', {a = 5})()", "6");
    EXPECT(sb, "return select(2, load('return 1 +'))", "(load):1: unexpected symbol near <eof>");
    EXPECT_ERROR(sb, "return load(function() return nil end)",
                 "test() failed: scripts/t.lua:1: bad argument #1 to 'load' "
                 "(string expected, got function)");
    ks_sandbox_free(sb);
}

static void setmetatable_refuses_gc(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, 0);
    EXPECT_ERROR(sb, "local mt = {}\nmt.__gc = function() end\nsetmetatable({}, mt)",
                 "test() failed: scripts/t.lua:3: __gc metamethods are not allowed");
    EXPECT_ERROR(sb, "setmetatable({}, {__gc = false})",
                 "test() failed: scripts/t.lua:1: __gc metamethods are not allowed");
    EXPECT(sb, "return getmetatable(setmetatable({}, {__index = {a = 1}})).__index.a", "1");
    EXPECT(sb, "return setmetatable({}, {__index = function(t, k) return k .. '!' end}).hey",
           "hey!");
    EXPECT(sb, "local t = setmetatable({}, {__metatable = 'locked'})\n"
               "return select(2, pcall(setmetatable, t, {}))",
           "cannot change a protected metatable");
    EXPECT_ALIVE(sb);
    ks_sandbox_free(sb);
}

static void string_metatable_is_hidden(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, 0);
    EXPECT(sb, "return getmetatable('')", "false");
    EXPECT_ERROR(sb, "return getmetatable('').__index",
                 "test() failed: scripts/t.lua:1: attempt to index a boolean value");
    EXPECT(sb, "return ('abc'):upper() .. ('x'):rep(3) .. ('%d'):format(5) .. #('abc'):sub(2)",
           "ABCxxx52");
    EXPECT(sb, "return ('10') + 1", "11");
    /* the per-environment string table is not what methods use */
    EXPECT(sb, "string.upper = nil\nreturn ('a'):upper()", "A");
    ks_sandbox_free(sb);
}

static void libraries_are_copied_per_environment(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, 0);
    EXPECT(sb, "string.upper = function() return 'hacked' end\n"
               "string.extra = 1\ntable.insert = nil\nmath.pi = 3\n"
               "return ('a'):upper() .. string.upper('b')",
           "Ahacked");
    EXPECT(sb, "return string.upper('b') .. tostring(string.extra) .. ('c'):upper() .. "
               "tostring(table.insert ~= nil) .. math.floor(math.pi * 100)",
           "BnilCtrue314");
    ks_sandbox_free(sb);
}

static void undeclared_globals_are_errors(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, 0);
    EXPECT_ERROR(sb, "local a = 1\nreturn a + x",
                 "test() failed: scripts/t.lua:2: undeclared global 'x'");
    EXPECT_ERROR(sb, "\n\ny = 2",
                 "test() failed: scripts/t.lua:3: assignment to undeclared global 'y' (use local)");
    EXPECT_ERROR(sb, "function helper() end",
                 "test() failed: scripts/t.lua:1: assignment to undeclared global 'helper' "
                 "(use local)");
    EXPECT_ERROR(sb, "string = nil",
                 "test() failed: scripts/t.lua:1: assignment to read-only global 'string'");
    EXPECT_ERROR(sb, "return _G.nope", "test() failed: scripts/t.lua:1: undeclared global 'nope'");
    EXPECT_ERROR(sb, "_ENV[1] = true",
                 "test() failed: scripts/t.lua:1: assignment to undeclared global '1' (use local)");
    EXPECT_ERROR(sb, "setmetatable(_ENV, nil)",
                 "test() failed: scripts/t.lua:1: cannot change a protected metatable");
    EXPECT(sb, "return getmetatable(_ENV)", "false");
    EXPECT(sb, "return tostring(_G == _ENV) .. type(rawget(_G, 'string'))", "truenil");
    EXPECT(sb, "local _ENV = {x = 1}\nreturn x", "1");
    EXPECT_ALIVE(sb);
    ks_sandbox_free(sb);
}

/* ---- limits ------------------------------------------------------------------ */

static void infinite_loop_hits_the_instruction_limit(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, DISTANT_DEADLINE);
    EXPECT_ERROR(sb, "local n = 0\nwhile true do n = n + 1 end",
                 "test() failed: scripts/t.lua:2: instruction limit exceeded (50000000)");
    CHECK_INT(ks_sandbox_spent(sb), 50000000);
    CHECK(strstr(ks_sandbox_traceback(sb), "stack traceback:\n") ==
          ks_sandbox_traceback(sb));
    CHECK(strstr(ks_sandbox_traceback(sb), "scripts/t.lua:2: in main chunk") != NULL);
    EXPECT_ALIVE(sb);
    ks_sandbox_free(sb);
}

static int recorded;

static int record(lua_State *L)
{
    (void)L;
    recorded++;
    return 0;
}

static void caught_limit_errors_fire_again(void)
{
    ks_sandbox *sb = new_sandbox(0, 1000000, 0);
    const char *want = "test() failed: scripts/t.lua:1: instruction limit exceeded (1000000)";
    lua_pushcfunction(ks_sandbox_lua(sb), record);
    ks_sandbox_set_global(sb, "record");
    /* the error fires again at the next instruction, before record() runs */
    recorded = 0;
    EXPECT_ERROR(sb, "pcall(function() while true do end end) record()", want);
    CHECK_INT(recorded, 0);
    EXPECT(sb, "record() return 'ok'", "ok");
    CHECK_INT(recorded, 1);
    EXPECT_ERROR(sb, "while true do pcall(function() while true do end end) end", want);
    EXPECT_ERROR(sb, "pcall(function() while true do end end) return 'swallowed'", want);
    EXPECT_ERROR(sb, "while true do xpcall(function() while true do end end, "
                     "function() while true do end end) end",
                 want);
    EXPECT_ERROR(sb, "while true do pcall(string.rep, 'x', 10) end", want);
    EXPECT_ALIVE(sb);
    ks_sandbox_free(sb);
}

/* A coroutine ended by the hook's limit error runs with hooks off; its
 * pending __close handlers must never run (they would loop unbounded). */
static void stopped_coroutines_are_never_closed(void)
{
    ks_sandbox *sb = new_sandbox(0, 1000000, 0);
    lua_State *L = ks_sandbox_lua(sb);
    ks_error err;
    const char *want = "test() failed: scripts/t.lua:1: instruction limit exceeded (1000000)";
    EXPECT_ERROR(sb, "coroutine.wrap(function() local x <close> = setmetatable({}, "
                     "{__close = function() while true do end end}) while true do end end)()",
                 want);
    EXPECT_ERROR(sb, "do local x <close> = setmetatable({}, {__close = function() "
                     "while true do end end}) while true do end end",
                 want);
    const char *text = "local co\n"
                       "return {\n"
                       "  kill = function()\n"
                       "    co = coroutine.create(function()\n"
                       "      local x <close> = setmetatable({}, {__close = function() while true do end end})\n"
                       "      while true do end\n"
                       "    end)\n"
                       "    coroutine.resume(co)\n"
                       "  end,\n"
                       "  close = function() return select(2, coroutine.close(co)) end,\n"
                       "}";
    CHECK_INT(ks_sandbox_load(sb, "scripts/c.lua", text, strlen(text), &err), KS_OK);
    CHECK_INT(ks_sandbox_call(sb, 0, 1, NULL, &err), KS_OK);
    lua_getfield(L, -1, "kill");
    CHECK_INT(ks_sandbox_call(sb, 0, 0, "kill()", &err), KS_ESCRIPT);
    CHECK_STR(err.message, "kill() failed: scripts/c.lua:6: instruction limit exceeded (1000000)");
    lua_getfield(L, -1, "close");
    CHECK_INT(ks_sandbox_call(sb, 0, 1, "close()", &err), KS_OK);
    CHECK_STR(lua_tostring(L, -1), "cannot close a coroutine stopped by a limit");
    lua_settop(L, 0);
    /* other coroutines close as usual */
    EXPECT(sb, "local closed = 0\n"
               "local co = coroutine.create(function() local x <close> = setmetatable({}, "
               "{__close = function() closed = closed + 1 end}) coroutine.yield() end)\n"
               "coroutine.resume(co)\n"
               "return tostring(coroutine.close(co)) .. closed",
           "true1");
    EXPECT(sb, "local f = coroutine.wrap(function(a, b) local c = coroutine.yield(a + b) "
               "return c * 2 end)\nreturn f(1, 2) .. ',' .. f(10)",
           "3,20");
    EXPECT(sb, "local f = coroutine.wrap(function() error('x') end)\nreturn select(2, pcall(f))",
           "scripts/t.lua:1: x");
    EXPECT(sb, "local f = coroutine.wrap(function() end) f()\nreturn select(2, pcall(f))",
           "cannot resume dead coroutine");
    ks_sandbox_free(sb);
}

static ks_sandbox *nested_sb;
static char nested_error[sizeof(ks_error)];

/* nested(f): calls f through ks_sandbox_call from inside a call (on the
 * sandbox's own state: a script runs in a coroutine of it). */
static int nested_call(lua_State *L)
{
    lua_State *host = ks_sandbox_lua(nested_sb);
    ks_error err;
    lua_settop(L, 1);
    lua_xmove(L, host, 1);
    if (ks_sandbox_call(nested_sb, 0, 1, "inner()", &err) != KS_OK) {
        snprintf(nested_error, sizeof nested_error, "%s", err.message);
        lua_pushnil(L);
    } else {
        lua_xmove(host, L, 1);
    }
    return 1;
}

static void nested_calls_share_the_budget(void)
{
    nested_sb = new_sandbox(0, 1000000, 0);
    lua_pushcfunction(ks_sandbox_lua(nested_sb), nested_call);
    ks_sandbox_set_global(nested_sb, "nested");
    /* the inner call fails, and the limit stays hit for the outer one */
    EXPECT_ERROR(nested_sb, "for i = 1, 600000 do end\n"
                            "local r = nested(function() for i = 1, 600000 do end return 1 end)\n"
                            "return r",
                 "test() failed: scripts/t.lua:2: instruction limit exceeded (1000000)");
    CHECK_STR(nested_error, "inner() failed: scripts/t.lua:2: instruction limit exceeded (1000000)");
    EXPECT(nested_sb, "return nested(function() return 'inner ok' end)", "inner ok");
    ks_sandbox_free(nested_sb);
}

static void coroutines_share_the_budget(void)
{
    ks_sandbox *sb = new_sandbox(0, 1000000, 0);
    const char *want = "test() failed: scripts/t.lua:1: instruction limit exceeded (1000000)";
    EXPECT_ERROR(sb, "local co = coroutine.wrap(function() while true do end end) co()", want);
    EXPECT_ERROR(sb, "local ok = coroutine.resume(coroutine.create(function() "
                     "while true do end end)) return tostring(ok)",
                 want);
    EXPECT_ERROR(sb, "coroutine.wrap(function() coroutine.wrap(function() while true do end "
                     "end)() end)()",
                 want);
    /* ten coroutines of 200,000 instructions each */
    EXPECT_ERROR(sb, "for i = 1, 10 do coroutine.wrap(function() for j = 1, 200000 do end end)() end",
                 want);
    EXPECT(sb, "coroutine.wrap(function() for j = 1, 200000 do end end)() return 'one'", "one");
    /* the budget starts afresh with each call */
    EXPECT(sb, "for j = 1, 700000 do end return 'first'", "first");
    EXPECT(sb, "for j = 1, 700000 do end return 'second'", "second");
    ks_sandbox_free(sb);
}

static void memory_bombs_hit_the_memory_limit(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, DISTANT_DEADLINE);
    const char *want = "test() failed: scripts/t.lua:1: memory limit exceeded (64 MiB)";
    EXPECT_ERROR(sb, "return ('x'):rep(1e9)", want);
    EXPECT_ALIVE(sb);
    EXPECT_ERROR(sb, "local s = 'x' while true do s = s .. s end", want);
    EXPECT_ALIVE(sb);
    EXPECT_ERROR(sb, "local t = {} for i = 1, 1e9 do t[i] = i end", want);
    EXPECT_ALIVE(sb);
    EXPECT(sb, "return select(2, pcall(string.rep, 'x', 1e9))", "not enough memory");
    ks_sandbox_free(sb);

    sb = new_sandbox((size_t)8 << 20, 0, DISTANT_DEADLINE);
    EXPECT_ERROR(sb, "return ('x'):rep(9 * 1024 * 1024)",
                 "test() failed: scripts/t.lua:1: memory limit exceeded (8 MiB)");
    EXPECT(sb, "return #('x'):rep(3 * 1024 * 1024)", "3145728");
    EXPECT_ERROR(sb, "local t = {} for i = 1, 1e9 do t['k' .. i] = i end",
                 "test() failed: scripts/t.lua:1: memory limit exceeded (8 MiB)");
    EXPECT_ALIVE(sb);
    ks_sandbox_free(sb);

    ks_sandbox_limits tiny = {1024, 0, 0};
    ks_error err;
    CHECK(ks_sandbox_new(&tiny, &err) == NULL);
    CHECK_STR(err.message, "the memory limit (1 KiB) is too small for the standard libraries");
}

static void pattern_bombs_hit_the_instruction_limit(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, DISTANT_DEADLINE);
    const char *want = "test() failed: scripts/t.lua:1: instruction limit exceeded (50000000)";
    EXPECT_ERROR(sb, "string.find(('a'):rep(50), ('a-'):rep(6) .. 'b')", want);
    CHECK_INT(ks_sandbox_spent(sb), 50000000);
    /* The matcher charges its steps as it goes, so a bomb stops where the
     * budget runs out instead of running to its end: of 100 blocks that each
     * cost what one alone spends (and end in one match, which calls record),
     * only as many are matched as the budget pays for. */
    lua_pushcfunction(ks_sandbox_lua(sb), record);
    ks_sandbox_set_global(sb, "record");
    EXPECT(sb, "string.gsub(('a'):rep(20) .. 'cb', ('a-'):rep(6) .. 'b', record) return 'one'",
           "one");
    unsigned long block = ks_sandbox_spent(sb);
    CHECK(block > 1000000);
    recorded = 0;
    EXPECT_ERROR(sb, "string.gsub((('a'):rep(20) .. 'cb'):rep(100), ('a-'):rep(6) .. 'b', record)",
                 want);
    CHECK_INT(recorded, 50000000 / block);
    EXPECT_ERROR(sb, "local s = (('a'):rep(50)):match(('a-'):rep(6) .. 'b') return s", want);
    EXPECT_ERROR(sb, "local s = (('a'):rep(40)):gsub(('a*'):rep(6) .. 'b', '') return s", want);
    EXPECT_ERROR(sb, "for m in (('a'):rep(50)):gmatch(('a-'):rep(6) .. 'b') do end", want);
    EXPECT_ERROR(sb, "while true do pcall(string.find, ('a'):rep(50), ('a-'):rep(6) .. 'b') end",
                 want);
    EXPECT(sb, "return select(2, pcall(string.find, ('a'):rep(300), ('a?'):rep(300) .. 'b'))",
           "pattern too complex");
    EXPECT_ALIVE(sb);
    ks_sandbox_free(sb);
}

static void unbounded_c_loops_are_charged(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, DISTANT_DEADLINE);
    const char *want = "test() failed: scripts/t.lua:1: instruction limit exceeded (50000000)";
    EXPECT_ERROR(sb, "table.move({}, 1, math.maxinteger - 1, 2)", want);
    EXPECT(sb, "return #string.rep('', 1e15) .. #(''):rep(1e15, '')", "00");
    EXPECT_ERROR(sb, "local t = {} for i = 1, 1e6 do t[i] = i end\n"
                     "for k = 1, 1e6 do table.sort(t) end",
                 "test() failed: scripts/t.lua:2: instruction limit exceeded (50000000)");
    CHECK_INT(ks_sandbox_spent(sb), 50000000);
    /* fewer than the 1000 VM instructions the count hook charges at a time:
     * what is spent is the sort's 100 · 7 and the move's 3 */
    EXPECT(sb, "local t = {} for i = 1, 100 do t[i] = -i end table.sort(t) "
               "return t[1] .. table.concat(table.move({1, 2, 3}, 1, 3, 2), ',')",
           "-1001,1,2,3");
    CHECK_INT(ks_sandbox_spent(sb), 703);
    ks_sandbox_free(sb);
}

static void deadline_stops_slow_c_work(void)
{
    ks_sandbox *sb = new_sandbox(0, ULONG_MAX, 0.2);
    /* The strings come from the host, so however late a loaded machine runs
     * the script, the deadline can only pass in the loop of line 2, which
     * nothing but the deadline ends. */
    static char mib[1 << 20];
    memset(mib, 'x', sizeof mib);
    lua_State *L = ks_sandbox_lua(sb);
    lua_pushlstring(L, mib, sizeof mib);
    lua_pushlstring(L, mib, sizeof mib);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ks_error err;
    CHECK(run_args(sb, "local a, b = ...\nwhile true do local _ = a == b end", 2, &err) == NULL);
    CHECK_STR(err.message, "test() failed: scripts/t.lua:2: time limit exceeded (0.2 s)");
    CHECK(seconds_since(&t0) >= 0.2);
    EXPECT_ALIVE(sb);
    ks_sandbox_free(sb);
}

/* ---- require -------------------------------------------------------------------- */

static const char *const test_modules[][2] = {
    {"ccom", "local M = {}\nfunction M.hi() return 'hi ' .. string.upper('x') end\nreturn M"},
    {"ccom.util", "return {n = ...}"},
    {"nothing", "local x = 1"},
    {"syntax", "local x =\n"},
    {"fails", "\nlocal y = nope"},
    {"loop", "return require 'loop'"},
    {"spin", "while true do end"},
};
static int loader_calls;
static char loader_chunkname[64];

static ks_status test_loader(void *ud, const char *name, const char **text, size_t *len,
                             const char **chunkname, ks_error *err)
{
    CHECK(ud == &loader_calls);
    loader_calls++;
    snprintf(loader_chunkname, sizeof loader_chunkname, "scripts/lib/%s.lua", name);
    for (size_t i = 0; i < sizeof test_modules / sizeof test_modules[0]; i++) {
        if (strcmp(test_modules[i][0], name) == 0) {
            *text = test_modules[i][1];
            *len = strlen(*text);
            *chunkname = loader_chunkname;
            return KS_OK;
        }
    }
    return ks_error_set(err, KS_ENOTFOUND, "no file %s", loader_chunkname);
}

static void require_loads_modules_once(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, 0);
    EXPECT_ERROR(sb, "require 'ccom'",
                 "test() failed: scripts/t.lua:1: cannot load module 'ccom': no module loader");
    ks_sandbox_set_loader(sb, test_loader, &loader_calls);
    loader_calls = 0;
    EXPECT(sb, "local c = require 'ccom'\nreturn c.hi()", "hi X");
    CHECK_INT(loader_calls, 1);
    EXPECT(sb, "string.upper = nil\nreturn tostring(rawequal(require 'ccom', require('ccom'))) .. "
               "require('ccom').hi()",
           "truehi X");
    CHECK_INT(loader_calls, 1);
    EXPECT(sb, "return require('ccom.util').n", "ccom.util");
    EXPECT(sb, "return require 'nothing'", "true");
    EXPECT_ERROR(sb, "require 'nope'",
                 "test() failed: scripts/t.lua:1: cannot load module 'nope': "
                 "no file scripts/lib/nope.lua");
    static const char *const bad_names[] = {"Bad", "../x", "a/b", "", ".a", "a.", "a..b", "a-b"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        char text[64], want[200];
        snprintf(text, sizeof text, "require '%s'", bad_names[i]);
        snprintf(want, sizeof want, "test() failed: scripts/t.lua:1: invalid module name '%s' "
                 "(use a-z, 0-9 and '_', with '.' between parts)", bad_names[i]);
        EXPECT_ERROR(sb, text, want);
    }
    EXPECT_ERROR(sb, "require 'syntax'",
                 "test() failed: scripts/lib/syntax.lua:2: unexpected symbol near <eof>");
    EXPECT_ERROR(sb, "require 'fails'",
                 "test() failed: scripts/lib/fails.lua:2: undeclared global 'nope'");
    /* a failed module is not cached and not mistaken for a cycle */
    EXPECT(sb, "pcall(require, 'fails')\nreturn select(2, pcall(require, 'fails'))",
           "scripts/lib/fails.lua:2: undeclared global 'nope'");
    EXPECT_ERROR(sb, "require 'loop'",
                 "test() failed: scripts/lib/loop.lua:1: module 'loop' requires itself "
                 "(through a cycle of require)");
    EXPECT_ERROR(sb, "require 'loop'",
                 "test() failed: scripts/lib/loop.lua:1: module 'loop' requires itself "
                 "(through a cycle of require)");
    EXPECT_ALIVE(sb);
    ks_sandbox_free(sb);

    /* a module a limit stopped is not left loading (nothing closes its guard) */
    sb = new_sandbox(0, 1000000, 0);
    ks_sandbox_set_loader(sb, test_loader, &loader_calls);
    for (int i = 0; i < 2; i++)
        EXPECT_ERROR(sb, "require 'spin'",
                     "test() failed: scripts/lib/spin.lua:1: instruction limit exceeded (1000000)");
    ks_sandbox_free(sb);
}

/* ---- globals, recovery ------------------------------------------------------------- */

static int host_answer(lua_State *L)
{
    lua_pushinteger(L, 42);
    return 1;
}

static void host_globals_are_read_only(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, 0);
    lua_State *L = ks_sandbox_lua(sb);
    lua_newtable(L);
    lua_pushcfunction(L, host_answer);
    lua_setfield(L, -2, "answer");
    ks_sandbox_set_global(sb, "kaoshi");
    lua_pushinteger(L, 7);
    ks_sandbox_set_global(sb, "seven");
    lua_pushcfunction(L, host_answer);
    ks_sandbox_set_global(sb, "print");
    CHECK_INT(lua_gettop(L), 0);
    EXPECT(sb, "kaoshi.extra = 1\nkaoshi.answer = nil\nreturn seven + print()", "49");
    EXPECT(sb, "return tostring(kaoshi.extra) .. kaoshi.answer()", "nil42");
    EXPECT_ERROR(sb, "seven = 8", "test() failed: scripts/t.lua:1: assignment to read-only "
                                  "global 'seven'");
    ks_sandbox_free(sb);
}

static void the_state_survives_every_failure(void)
{
    ks_sandbox *sb = new_sandbox(0, 1000000, 0);
    lua_State *L = ks_sandbox_lua(sb);
    ks_error err;
    const char *text = "return {\n"
                       "  good = function(a) return a * 2 end,\n"
                       "  loop = function() while true do end end,\n"
                       "  oom = function() return ('x'):rep(1e9) end,\n"
                       "  fail = function() error('no') end,\n"
                       "}";
    CHECK_INT(ks_sandbox_load(sb, "scripts/s.lua", text, strlen(text), &err), KS_OK);
    CHECK_INT(ks_sandbox_call(sb, 0, 1, NULL, &err), KS_OK);
    static const char *const bad[] = {"loop", "oom", "fail", "loop"};
    static const char *const want[] = {
        "loop() failed: scripts/s.lua:3: instruction limit exceeded (1000000)",
        "oom() failed: scripts/s.lua:4: memory limit exceeded (64 MiB)",
        "fail() failed: scripts/s.lua:5: no",
        "loop() failed: scripts/s.lua:3: instruction limit exceeded (1000000)",
    };
    for (int i = 0; i < 4; i++) {
        char what[16];
        snprintf(what, sizeof what, "%s()", bad[i]);
        lua_getfield(L, 1, bad[i]);
        CHECK_INT(ks_sandbox_call(sb, 0, 1, what, &err), KS_ESCRIPT);
        CHECK_STR(err.message, want[i]);
        CHECK_INT(lua_gettop(L), 1);
        lua_getfield(L, 1, "good");
        lua_pushinteger(L, i);
        CHECK_INT(ks_sandbox_call(sb, 1, 1, "good()", &err), KS_OK);
        CHECK_INT(lua_tointeger(L, -1), 2 * i);
        lua_pop(L, 1);
    }
    /* host code between calls is never stopped by a limit */
    lua_getfield(L, 1, "good");
    lua_pushinteger(L, 5);
    lua_call(L, 1, 1);
    CHECK_INT(lua_tointeger(L, -1), 10);
    lua_settop(L, 0);
    ks_sandbox_free(sb);
}

/* A call that fails closes its to-be-closed variables, as lua_pcall does. */
static void failed_calls_close_their_variables(void)
{
    ks_sandbox *sb = new_sandbox(0, 0, DISTANT_DEADLINE);
    lua_State *L = ks_sandbox_lua(sb);
    ks_error err;
    const char *text = "local closed = 0\n"
                       "local function guard()\n"
                       "  return setmetatable({}, {__close = function() closed = closed + 1 end})\n"
                       "end\n"
                       "return {\n"
                       "  fail = function() local g <close> = guard() error('no') end,\n"
                       "  bomb = function() local g <close> = guard() return ('x'):rep(1e9) end,\n"
                       "  yield = function() local g <close> = guard() coroutine.yield() end,\n"
                       "  closed = function() return closed end,\n"
                       "}";
    CHECK_INT(ks_sandbox_load(sb, "scripts/c.lua", text, strlen(text), &err), KS_OK);
    CHECK_INT(ks_sandbox_call(sb, 0, 1, NULL, &err), KS_OK);
    static const char *const failing[] = {"fail", "bomb", "yield"};
    for (size_t i = 0; i < sizeof failing / sizeof failing[0]; i++) {
        lua_getfield(L, 1, failing[i]);
        CHECK_INT(ks_sandbox_call(sb, 0, 0, failing[i], &err), KS_ESCRIPT);
    }
    lua_getfield(L, 1, "closed");
    CHECK_INT(ks_sandbox_call(sb, 0, 1, "closed", &err), KS_OK);
    CHECK_INT(lua_tointeger(L, -1), 3);
    lua_settop(L, 0);
    ks_sandbox_free(sb);
}

/* ---- patterns against the stock string library --------------------------------------- */

/* Runs the same Lua program in the sandbox and in a stock state; it returns
 * one line per (function, subject, pattern) with the serialized results or
 * error. Fixed cases cover each feature of §6.4.1; random ones mix them. */
static const char *const pattern_program =
    "local out = {}\n"
    "local function ser(ok, ...)\n"
    "  local r = {tostring(ok)}\n"
    "  for i = 1, select('#', ...) do local v = select(i, ...) r[#r + 1] = type(v) .. ':' .. tostring(v) end\n"
    "  return table.concat(r, '|')\n"
    "end\n"
    "local function gm(s, p, init)\n"
    "  local r = {}\n"
    "  for a, b in string.gmatch(s, p, init) do\n"
    "    r[#r + 1] = tostring(a) .. ',' .. tostring(b)\n"
    "    if #r > 100 then break end\n"
    "  end\n"
    "  return table.concat(r, ';')\n"
    "end\n"
    "local repl = {a = 'A', hello = 1, x = false, ['1'] = 'one', b = 2.5}\n"
    "local function fn(...)\n"
    "  if select('#', ...) > 1 then return nil end\n"
    "  local v = ... if v == 'b' then return false end\n"
    "  return '<' .. tostring(v) .. '>'\n"
    "end\n"
    "local function case(s, p)\n"
    "  local k = string.format('%q %q ', s, p)\n"
    "  out[#out + 1] = k .. 'find ' .. ser(pcall(string.find, s, p))\n"
    "  out[#out + 1] = k .. 'find2 ' .. ser(pcall(string.find, s, p, 2))\n"
    "  out[#out + 1] = k .. 'find-2 ' .. ser(pcall(string.find, s, p, -2))\n"
    "  out[#out + 1] = k .. 'find99 ' .. ser(pcall(string.find, s, p, 99))\n"
    "  out[#out + 1] = k .. 'findplain ' .. ser(pcall(string.find, s, p, 1, true))\n"
    "  out[#out + 1] = k .. 'match ' .. ser(pcall(string.match, s, p))\n"
    "  out[#out + 1] = k .. 'match3 ' .. ser(pcall(string.match, s, p, 3))\n"
    "  out[#out + 1] = k .. 'gmatch ' .. ser(pcall(gm, s, p))\n"
    "  out[#out + 1] = k .. 'gmatch2 ' .. ser(pcall(gm, s, p, 2))\n"
    "  out[#out + 1] = k .. 'gsub ' .. ser(pcall(string.gsub, s, p, '[%0]'))\n"
    "  out[#out + 1] = k .. 'gsub1 ' .. ser(pcall(string.gsub, s, p, '%1-%%'))\n"
    "  out[#out + 1] = k .. 'gsub2 ' .. ser(pcall(string.gsub, s, p, '%2'))\n"
    "  out[#out + 1] = k .. 'gsubt ' .. ser(pcall(string.gsub, s, p, repl))\n"
    "  out[#out + 1] = k .. 'gsubf ' .. ser(pcall(string.gsub, s, p, fn))\n"
    "  out[#out + 1] = k .. 'gsubn ' .. ser(pcall(string.gsub, s, p, 7, 1))\n"
    "  out[#out + 1] = k .. 'gsubm ' .. ser(pcall(s.gsub, s, p, '%0%0', -1))\n"
    "  out[#out + 1] = k .. 'method ' .. ser(pcall(s.find, s, p))\n"
    "end\n"
    "local subjects = {'', 'a', 'b', 'abc', 'hello world', '  x = 10, y = 20  ', 'aaa',\n"
    "  '((a)(b))', 'THE (quick) fox', 'a.b.c', 'x\\0y\\0z', '[]^$%-', 'f(a,b)=[c]',\n"
    "  '\\206\\177\\206\\178', '123abc456', '\\t\\n 99 bottles', 'hello hello', 'a+b-c*d?'}\n"
    "local patterns = {'a', '.', '%a+', '%d+', '%s*', '%w+', '(%a+)', '(%d)(%d)', '()',\n"
    "  '()a()', '^a', 'a$', '^$', '$', '^', '%b()', '%b[]', '%bxy', '%f[%w]%w+', '%f[%W]',\n"
    "  '%f[%a]', '%f[^%z]', '%f[%z]', '[%a_][%w_]*', '[^%s]+', '[a-c]+', '[]]', '[^]]+',\n"
    "  '[%]]', 'x*', 'x-', 'a?b', 'a-b', '.-', '.*', '(a*(.)%w(%s*))', '(%w+)=(%w+)', '%p',\n"
    "  '%P+', '%c', '%C+', '%u', '%l+', '%x+', '%X', '%g+', '%G', '%S+', '%D', '(.)%1',\n"
    "  '((.)%2)', '(l)%1', '%.', '%%', '[%.%%]', '[a%-z]', '[-a]', '[a-]', '%z', '\\0',\n"
    "  '[\\0-\\31]', '(%a)(%a)(%a)', '^(%s*)(.-)(%s*)$', '.-(%d+)', '(h)(e)(l)(l)(o)',\n"
    "  '(()', '%', '[a', '[%', '[]', '[^]', '%b', '%bx', '%1', '(a)%2', ')', '(a', '%f', '%fa',\n"
    "  'a)', '%0', '(a)%0', '()()()', '(()a)', '[%a-z]', '[a-%z]', '%q', '%A%Q', '+', '*a',\n"
    "  'a**', '-', '?', '.+$', '^.-$', '(h)(.-)(o)', '[+-]', '[%+%-]', '%-', '%+', 'hello',\n"
    "  'l+', '(l+)(.*)%1', '%s%s+', '%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w',\n"
    "  string.rep('(a)', 33), '[\\206][\\177-\\178]', '[!-%%]', '[^!-%%]+', '[a-%%]'}\n"
    "for _, s in ipairs(subjects) do for _, p in ipairs(patterns) do case(s, p) end end\n"
    "local seed = 12345\n"
    "local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n + 1 end\n"
    "local tokens = {'a', 'b', '.', '%a', '%d', '%s', '[ab]', '[^a]', '[%d%s]', '%w', '(', ')',\n"
    "  '()', '*', '+', '-', '?', '^', '$', '%b()', '%f[%a]', '%f[^a]', '%1', '%2', '%', '[',\n"
    "  ']', ' ', '1', '%A', '[a-c]'}\n"
    "local chars = {'a', 'b', ' ', '(', ')', '1', '2', 'c'}\n"
    "for i = 1, 1200 do\n"
    "  local p, s = {}, {}\n"
    "  for j = 1, rnd(6) do p[j] = tokens[rnd(#tokens)] end\n"
    "  for j = 1, rnd(11) - 1 do s[j] = chars[rnd(#chars)] end\n"
    "  case(table.concat(s), table.concat(p))\n"
    "end\n"
    "return table.concat(out, '\\n')\n";

/* A copy of the string on top of L (which may hold zero bytes). */
static char *copy_top(lua_State *L, size_t *len)
{
    const char *s = lua_tolstring(L, -1, len);
    char *copy = malloc(*len + 1);
    memcpy(copy, s, *len + 1);
    return copy;
}

static char *stock_results(size_t *len)
{
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    char *copy = NULL;
    if (luaL_loadbuffer(L, pattern_program, strlen(pattern_program), "@scripts/p.lua") == LUA_OK &&
        lua_pcall(L, 0, 1, 0) == LUA_OK)
        copy = copy_top(L, len);
    else
        fprintf(stderr, "  stock run failed: %s\n", lua_tostring(L, -1));
    lua_close(L);
    return copy;
}

/* Compares two outputs line by line; prints the first differences and
 * returns how many lines differ; *lines gets the number of lines. */
static int compare_lines(const char *w, size_t wlen, const char *g, size_t glen, int *lines)
{
    const char *wend = w + wlen, *gend = g + glen;
    int differ = 0;
    *lines = 0;
    while (w < wend || g < gend) {
        const char *wn = memchr(w, '\n', (size_t)(wend - w)), *gn = memchr(g, '\n', (size_t)(gend - g));
        size_t wl = (size_t)((wn ? wn : wend) - w), gl = (size_t)((gn ? gn : gend) - g);
        if ((wl != gl || memcmp(w, g, wl) != 0) && differ++ < 10)
            fprintf(stderr, "  stock:   %.*s\n  sandbox: %.*s\n", (int)wl, w, (int)gl, g);
        (*lines)++;
        w = wn ? wn + 1 : wend;
        g = gn ? gn + 1 : gend;
    }
    return differ;
}

static void patterns_match_the_stock_library(void)
{
    size_t wlen = 0, glen = 0;
    char *want = stock_results(&wlen);
    CHECK(want != NULL);
    ks_sandbox *sb = new_sandbox(0, 500000000, DISTANT_DEADLINE);
    lua_State *L = ks_sandbox_lua(sb);
    ks_error err;
    CHECK_INT(ks_sandbox_load(sb, "scripts/p.lua", pattern_program, strlen(pattern_program), &err),
              KS_OK);
    int ok = ks_sandbox_call(sb, 0, 1, "patterns", &err) == KS_OK;
    if (!ok)
        fprintf(stderr, "  %s\n", err.message);
    CHECK(ok);
    if (want && ok) {
        char *got = copy_top(L, &glen);
        int lines;
        CHECK_INT(compare_lines(want, wlen, got, glen, &lines), 0);
        CHECK(lines > 50000);
        free(got);
    }
    lua_settop(L, 0);
    free(want);
    ks_sandbox_free(sb);
}

UNIT_MAIN(T(unsafe_functions_are_absent), T(bytecode_is_refused),
          T(load_uses_the_callers_environment), T(setmetatable_refuses_gc),
          T(string_metatable_is_hidden), T(libraries_are_copied_per_environment),
          T(undeclared_globals_are_errors), T(infinite_loop_hits_the_instruction_limit),
          T(caught_limit_errors_fire_again), T(coroutines_share_the_budget),
          T(stopped_coroutines_are_never_closed), T(nested_calls_share_the_budget),
          T(memory_bombs_hit_the_memory_limit), T(pattern_bombs_hit_the_instruction_limit),
          T(unbounded_c_loops_are_charged), T(deadline_stops_slow_c_work),
          T(require_loads_modules_once), T(host_globals_are_read_only),
          T(the_state_survives_every_failure), T(failed_calls_close_their_variables),
          T(patterns_match_the_stock_library))
