/* fuzz_pattern: differential fuzzing of Kaoshi's step-counted Lua pattern
 * matcher (engine/lua/pattern.c, as the sandbox installs it in string)
 * against stock Lua 5.4's string.find, match, gmatch and gsub. The same
 * driver chunk runs in a sandbox (ks_sandbox_new) and in a plain lua_State
 * with the standard libraries; it calls one function under pcall and
 * serialises the results or the error message. Where both finish the two
 * serialisations must be identical (abort on a difference). The sandbox
 * runs first with an instruction budget: when the budget (or its deadline)
 * stops it the input is skipped, which also bounds the stock run, whose
 * backtracking takes about as many steps.
 *
 * Input: a 5-byte header, then the pattern, the replacement and the subject.
 *   byte 0: bits 0-1 the function (find, match, gmatch, gsub); bit 2 find's
 *           plain flag; bit 3 pass init; bits 4-5 gsub's replacement (string,
 *           table, function, number); bit 6 pass gsub's max_n
 *   byte 1: init (signed);  byte 2: max_n (signed)
 *   byte 3: pattern length; byte 4: replacement length (each cut to what is
 *           left); the rest is the subject.
 * FUZZ_PATTERN_SKIP=TEXT skips patterns holding TEXT (a reported difference). */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "lua/sandbox.h"

/* Arguments: op, s, p, init, plain, rkind, rtext, maxn. Returns one string. */
static const char driver[] =
    "local op, s, p, init, plain, rkind, rtext, maxn = ...\n"
    "local find, match, gmatch, gsub = string.find, string.match, string.gmatch, string.gsub\n"
    "local function ser(ok, ...)\n"
    "  local r = { tostring(ok) }\n"
    "  for i = 1, select('#', ...) do\n"
    "    local v = select(i, ...)\n"
    "    if type(v) == 'string' then r[#r + 1] = 's' .. #v .. ':' .. v\n"
    "    else r[#r + 1] = type(v) .. ':' .. tostring(v) end\n"
    "  end\n"
    "  return table.concat(r, '|')\n"
    "end\n"
    "local function gm()\n"
    "  local out = {}\n"
    "  local it = gmatch(s, p, init)\n"
    "  while #out < 1000 do\n"
    "    local r = ser(true, it())\n"
    "    out[#out + 1] = r\n"
    "    if r == 'true|nil:nil' then break end\n"
    "  end\n"
    "  return table.concat(out, ';')\n"
    "end\n"
    "local repl\n"
    "if rkind == 0 then repl = rtext\n"
    "elseif rkind == 1 then\n"
    "  repl = { [rtext] = false }\n"
    "  for i = 1, #rtext do local c = rtext:sub(i, i) repl[c] = c:upper() .. '!' end\n"
    "  repl['1'] = 1.5\n"
    "  repl['t'] = {}\n"
    "elseif rkind == 2 then\n"
    "  repl = function(...)\n"
    "    local n, a = select('#', ...), ...\n"
    "    if math.type(a) == 'integer' then return a * 2 end\n"
    "    if #a % 7 == 6 then return {} end\n"
    "    if #a % 3 == 2 then return false end\n"
    "    if #a % 5 == 4 then return nil end\n"
    "    return '<' .. n .. a .. rtext .. '>'\n"
    "  end\n"
    "else repl = 42 end\n"
    "if op == 0 then return ser(pcall(find, s, p, init, plain))\n"
    "elseif op == 1 then return ser(pcall(match, s, p, init))\n"
    "elseif op == 2 then return ser(pcall(gm))\n"
    "else return ser(pcall(gsub, s, p, repl, maxn)) end\n";

static ks_sandbox *sb;
/* FUZZ_PATTERN_SKIP=TEXT skips patterns that hold TEXT, to fuzz on past a
 * difference already reported. */
static const char *skip;
static int sandbox_driver = LUA_NOREF;
static lua_State *stock;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    skip = getenv("FUZZ_PATTERN_SKIP");
    if (skip && !*skip)
        skip = NULL;
    ks_error err;
    ks_sandbox_limits limits = {.memory_bytes = 256u << 20, .instructions = 4000000,
                                .seconds = 5};
    if (!(sb = ks_sandbox_new(&limits, &err)))
        fuzz_fail("ks_sandbox_new: %s", err.message);
    if (ks_sandbox_load(sb, "fuzz/driver.lua", driver, sizeof driver - 1, &err))
        fuzz_fail("the driver does not load in the sandbox: %s", err.message);
    sandbox_driver = luaL_ref(ks_sandbox_lua(sb), LUA_REGISTRYINDEX);
    stock = luaL_newstate();
    luaL_openlibs(stock);
    if (luaL_loadbuffer(stock, driver, sizeof driver - 1, "@fuzz/driver.lua") != LUA_OK)
        fuzz_fail("the driver does not load: %s", lua_tostring(stock, -1));
    lua_setglobal(stock, "driver");
    return 0;
}

typedef struct args {
    int op, plain, has_init, rkind, has_maxn;
    lua_Integer init, maxn;
    const char *s, *p, *r;
    size_t ls, lp, lr;
} args;

static void push_args(lua_State *L, const args *a)
{
    lua_pushinteger(L, a->op);
    lua_pushlstring(L, a->s, a->ls);
    lua_pushlstring(L, a->p, a->lp);
    if (a->has_init)
        lua_pushinteger(L, a->init);
    else
        lua_pushnil(L);
    lua_pushboolean(L, a->plain);
    lua_pushinteger(L, a->rkind);
    lua_pushlstring(L, a->r, a->lr);
    if (a->has_maxn)
        lua_pushinteger(L, a->maxn);
    else
        lua_pushnil(L);
}

static const char *const op_names[] = {"find", "match", "gmatch", "gsub"};

static void print_quoted(const char *what, const char *s, size_t n)
{
    fprintf(stderr, "  %s (%zu bytes): \"", what, n);
    for (size_t i = 0; i < n && i < 2000; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            fputc(c, stderr);
        else
            fprintf(stderr, "\\%03o", c);
    }
    fputs(n > 2000 ? "\"...\n" : "\"\n", stderr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5)
        return 0;
    args a = {0};
    a.op = data[0] & 3;
    a.plain = (data[0] >> 2) & 1;
    a.has_init = (data[0] >> 3) & 1;
    a.rkind = (data[0] >> 4) & 3;
    a.has_maxn = (data[0] >> 6) & 1;
    a.init = (int8_t)data[1];
    a.maxn = (int8_t)data[2];
    size_t rest = size - 5;
    const char *at = (const char *)data + 5;
    a.lp = data[3] < rest ? data[3] : rest;
    a.p = at;
    at += a.lp;
    rest -= a.lp;
    a.lr = data[4] < rest ? data[4] : rest;
    a.r = at;
    at += a.lr;
    rest -= a.lr;
    a.s = at;
    a.ls = rest;
    if (skip && memmem(a.p, a.lp, skip, strlen(skip)))
        return 0;

    /* ours first, within the budget */
    lua_State *L = ks_sandbox_lua(sb);
    lua_rawgeti(L, LUA_REGISTRYINDEX, sandbox_driver);
    push_args(L, &a);
    ks_error err;
    if (ks_sandbox_call(sb, 8, 1, NULL, &err)) {
        lua_gc(L, LUA_GCCOLLECT);
        if (!strstr(err.message, "instruction limit exceeded") &&
            !strstr(err.message, "time limit") && !strstr(err.message, "memory limit"))
            fuzz_fail("the sandbox's driver failed outside any limit: %s", err.message);
        return 0;
    }
    size_t lours;
    const char *ours = lua_tolstring(L, -1, &lours);
    if (!ours)
        fuzz_fail("the sandbox's driver returned no string");

    lua_getglobal(stock, "driver");
    push_args(stock, &a);
    if (lua_pcall(stock, 8, 1, 0) != LUA_OK)
        fuzz_fail("the stock driver failed: %s", lua_tostring(stock, -1));
    size_t ltheirs;
    const char *theirs = lua_tolstring(stock, -1, &ltheirs);
    if (lours != ltheirs || memcmp(ours, theirs, lours) != 0) {
        fprintf(stderr, "fuzz: string.%s differs from stock Lua 5.4\n", op_names[a.op]);
        print_quoted("pattern", a.p, a.lp);
        print_quoted("subject", a.s, a.ls);
        print_quoted("replacement", a.r, a.lr);
        fprintf(stderr, "  init %s%lld, plain %d, replacement kind %d, max_n %s%lld\n",
                a.has_init ? "" : "(none) ", (long long)a.init, a.plain, a.rkind,
                a.has_maxn ? "" : "(none) ", (long long)a.maxn);
        print_quoted("stock ", theirs, ltheirs);
        print_quoted("kaoshi", ours, lours);
        fuzz_fail("pattern results differ");
    }
    lua_pop(L, 1);
    lua_pop(stock, 1);
    /* what the input allocated is garbage now: collecting it keeps mallocs
     * and frees level, so libFuzzer's leak check stays quiet and cheap */
    lua_gc(L, LUA_GCCOLLECT);
    lua_gc(stock, LUA_GCCOLLECT);
    return 0;
}
