/* The functions scripts get instead of the stock ones (load, setmetatable,
 * xpcall, require, coroutine.close and wrap, string.rep, table.move and sort,
 * and the step-counted pattern functions of engine/lua/pattern.c) and the
 * table of the standard libraries as scripts see them, from which the
 * sandbox builds every environment's template: see engine/lua/sandbox.h.
 * Binding layer: lua.h, lauxlib.h, lualib.h, lua/pattern.h. */
#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>
#include <string.h>

#include "lua/pattern.h"
#include "lua/sandbox_impl.h"

/* Registry keys of require (their addresses). */
static const char LOADED_KEY;   /* module name -> value, for require */
static const char LOADING_KEY;  /* module name -> true while it runs */
static const char GUARD_MT_KEY; /* metatable of require's loading guard */
static const char COMPILED_KEY; /* module name -> its main function, to run again */

/* ---- functions scripts get instead of the stock ones ------------------------- */

/* Runs the stock C function kept as upvalue 1 on the same arguments. */
static int call_stock(lua_State *L)
{
    return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

/* load(text [, chunkname [, mode [, env]]]): text only; the environment
 * defaults to the caller's (upvalue 1); chunk names never read [string ...]. */
int sandbox_load(lua_State *L)
{
    luaL_argexpected(L, lua_type(L, 1) == LUA_TSTRING, 1, "string");
    size_t len;
    const char *text = lua_tolstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, "(load)");
    if (name[0] == '=' || name[0] == '@')
        name++;
    luaL_optstring(L, 3, "t");
    int env = lua_isnone(L, 4) ? lua_upvalueindex(1) : 4;
    lua_pushfstring(L, "=%s", name);
    if (luaL_loadbufferx(L, text, len, lua_tostring(L, -1), "t") != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushvalue(L, env);
    lua_setupvalue(L, -2, 1);
    return 1;
}

/* setmetatable refusing __gc: finalizers run with hooks off, at any time. */
static int sandbox_setmetatable(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "__gc metamethods are not allowed");
        lua_pop(L, 1);
    }
    return call_stock(L);
}

/* The message handler xpcall gets: a limit error raised by the count hook
 * arrives while Lua has hooks switched off, so the script's handler (upvalue
 * 1) would run unbounded; once a limit is hit it gets the error untouched. */
static int guarded_handler(lua_State *L)
{
    if (sandbox_of(L)->stop != RUNNING)
        return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int sandbox_xpcall(lua_State *L)
{
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guarded_handler, 1);
    lua_replace(L, 2);
    return call_stock(L);
}

/* coroutine.close, except for a coroutine whose hooks are off. */
static int sandbox_close(lua_State *L)
{
    lua_State *co = lua_tothread(L, 1);
    if (co && hooks_off(co)) {
        luaL_pushfail(L);
        lua_pushliteral(L, "cannot close a coroutine stopped by a limit");
        return 2;
    }
    return call_stock(L);
}

/* The function coroutine.wrap returns: upvalues the coroutine and the stock
 * coroutine.resume. Unlike the stock one it leaves a failed coroutine
 * unclosed (as Lua 5.4.0-5.4.2 did), and passes on a memory error as the
 * memory limit's, with the caller's position. */
static int wrap_call(lua_State *L)
{
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_rotate(L, 1, 2);
    lua_call(L, n + 1, LUA_MULTRET);
    if (lua_toboolean(L, 1))
        return lua_gettop(L) - 1;
    lua_settop(L, 2);
    if (lua_status(lua_tothread(L, lua_upvalueindex(1))) == LUA_ERRMEM) {
        char msg[64];
        sandbox_memory_text(sandbox_of(L), msg, sizeof msg);
        return luaL_error(L, "%s", msg);
    }
    if (lua_type(L, 2) == LUA_TSTRING) {
        luaL_where(L, 1);
        lua_insert(L, 2);
        lua_concat(L, 2);
    }
    return lua_error(L);
}

static int sandbox_wrap(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *co = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SANDBOX_TEMPLATE_KEY);
    lua_getfield(L, -1, LUA_COLIBNAME);
    lua_getfield(L, -1, "resume");
    lua_replace(L, -3);
    lua_pop(L, 1);
    lua_pushcclosure(L, wrap_call, 2);
    return 1;
}

/* Module names: segments of [a-z0-9_] separated by single dots. */
static int valid_module_name(const char *s, size_t len)
{
    if (len == 0 || s[0] == '.' || s[len - 1] == '.')
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        int word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (c == '.' ? s[i + 1] == '.' : !word)
            return 0;
    }
    return 1;
}

/* __close of require's guard {name}: the module is no longer loading. */
static int end_loading(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &LOADING_KEY);
    lua_rawgeti(L, 1, 1);
    lua_pushnil(L);
    lua_rawset(L, -3);
    return 0;
}

void sandbox_forget_loading(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &LOADING_KEY);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_rawset(L, -4);
    }
    lua_pop(L, 1);
}

/* Pushes module NAME's main function with a fresh environment: the one that
 * ran before, renewed, else compiled from the loader's text (and kept).
 * Returns the status of sandbox_load_chunk (message pushed). */
static int load_module(lua_State *L, ks_sandbox *sb, const char *name)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &COMPILED_KEY);
    if (lua_getfield(L, -1, name) == LUA_TFUNCTION) {
        lua_remove(L, -2);
        sandbox_renew(L);
        return LUA_OK;
    }
    lua_pop(L, 2);
    const char *text, *chunkname;
    size_t text_len;
    ks_error err;
    ks_error_clear(&err);
    if (sb->loader(sb->loader_ud, name, &text, &text_len, &chunkname, &err) != KS_OK)
        return luaL_error(L, "cannot load module '%s': %s", name, err.message);
    int status = sandbox_load_chunk(L, chunkname, text, text_len);
    if (status == LUA_OK) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &COMPILED_KEY);
        lua_pushvalue(L, -2);
        lua_setfield(L, -2, name);
        lua_pop(L, 1);
    }
    return status;
}

void sandbox_forget_modules(lua_State *L)
{
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &LOADED_KEY);
}

static int sandbox_require(lua_State *L)
{
    ks_sandbox *sb = sandbox_of(L);
    size_t len;
    const char *name = luaL_checklstring(L, 1, &len);
    if (!valid_module_name(name, len))
        return luaL_error(L, "invalid module name '%s' (use a-z, 0-9 and '_', "
                             "with '.' between parts)", name);
    lua_settop(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &LOADED_KEY);  /* 2 */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &LOADING_KEY); /* 3 */
    if (lua_getfield(L, 2, name) != LUA_TNIL)
        return 1;
    if (lua_getfield(L, 3, name) != LUA_TNIL)
        return luaL_error(L, "module '%s' requires itself (through a cycle of require)", name);
    lua_settop(L, 3);
    if (!sb->loader)
        return luaL_error(L, "cannot load module '%s': no module loader", name);
    int status = load_module(L, sb, name); /* 4 */
    if (status == LUA_ERRMEM) {
        char msg[64];
        sandbox_memory_text(sb, msg, sizeof msg);
        return luaL_error(L, "%s", msg);
    }
    if (status != LUA_OK)
        return lua_error(L);
    lua_pushboolean(L, 1);
    lua_setfield(L, 3, name);
    lua_createtable(L, 1, 0); /* 5: the guard */
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &GUARD_MT_KEY);
    lua_setmetatable(L, -2);
    lua_toclose(L, 5);
    lua_pushvalue(L, 4);
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, 2, name);
    return 1;
}

/* The stock string.rep loops n times even when the result is empty. */
static int sandbox_rep(lua_State *L)
{
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (l == 0 && lsep == 0) {
        lua_pushliteral(L, "");
        return 1;
    }
    return call_stock(L);
}

/* table.move(a1, f, e, t [, a2]) loops e - f + 1 times whatever the table. */
static int sandbox_move(lua_State *L)
{
    lua_Integer f = lua_tointeger(L, 2), e = lua_tointeger(L, 3);
    if (e >= f) {
        lua_Unsigned span = (lua_Unsigned)e - (lua_Unsigned)f;
        ks_sandbox_charge(L, span < ULONG_MAX ? (unsigned long)span + 1 : ULONG_MAX);
    }
    return call_stock(L);
}

/* table.sort does n log n comparisons inside one call. */
static int sandbox_sort(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TTABLE) {
        unsigned long n = (unsigned long)lua_rawlen(L, 1), log = 1;
        while ((n >> log) != 0)
            log++;
        ks_sandbox_charge(L, n * log);
    }
    return call_stock(L);
}

/* ---- the libraries scripts get ---------------------------------------------------- */

static const char *const base_removed[] = {
    "collectgarbage", "dofile", "load", "loadfile", "print", "warn", "_G", NULL,
};
static const luaL_Reg base_replaced[] = {
    {"setmetatable", sandbox_setmetatable},
    {"xpcall", sandbox_xpcall},
    {"require", sandbox_require},
    {NULL, NULL},
};
static const char *const string_removed[] = {"dump", NULL};
static const luaL_Reg string_replaced[] = {
    {"find", ks_pattern_find},
    {"match", ks_pattern_match},
    {"gmatch", ks_pattern_gmatch},
    {"gsub", ks_pattern_gsub},
    {"rep", sandbox_rep},
    {NULL, NULL},
};
static const luaL_Reg table_replaced[] = {
    {"move", sandbox_move},
    {"sort", sandbox_sort},
    {NULL, NULL},
};
static const char *const math_removed[] = {"random", "randomseed", NULL};
static const luaL_Reg coroutine_replaced[] = {
    {"close", sandbox_close},
    {"wrap", sandbox_wrap},
    {NULL, NULL},
};

/* A standard library as scripts see it. Each replacement gets the stock
 * function of that name (or nil) as upvalue 1. The base library's functions
 * become globals; the others are tables. */
static const struct sandbox_lib {
    const char *name;
    lua_CFunction open;
    const char *const *removed;
    const luaL_Reg *replaced;
} sandbox_libs[] = {
    {LUA_GNAME, luaopen_base, base_removed, base_replaced},
    {LUA_STRLIBNAME, luaopen_string, string_removed, string_replaced},
    {LUA_TABLIBNAME, luaopen_table, NULL, table_replaced},
    {LUA_MATHLIBNAME, luaopen_math, math_removed, NULL},
    {LUA_UTF8LIBNAME, luaopen_utf8, NULL, NULL},
    {LUA_COLIBNAME, luaopen_coroutine, NULL, coroutine_replaced},
};

/* Opens lib, edits it as the entry says and stores it in the template at
 * index `template` (the base library's functions one by one). */
static void open_lib(lua_State *L, int template, const struct sandbox_lib *lib)
{
    luaL_requiref(L, lib->name, lib->open, 0);
    for (const char *const *r = lib->removed; r && *r; r++) {
        lua_pushnil(L);
        lua_setfield(L, -2, *r);
    }
    for (const luaL_Reg *r = lib->replaced; r && r->name; r++) {
        lua_getfield(L, -1, r->name);
        lua_pushcclosure(L, r->func, 1);
        lua_setfield(L, -2, r->name);
    }
    if (strcmp(lib->name, LUA_GNAME) != 0) {
        lua_setfield(L, template, lib->name);
        return;
    }
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_settable(L, template);
    }
    lua_pop(L, 1);
}

void sandbox_open_libs(lua_State *L)
{
    lua_newtable(L);
    int template = lua_gettop(L);
    for (size_t i = 0; i < sizeof sandbox_libs / sizeof sandbox_libs[0]; i++)
        open_lib(L, template, &sandbox_libs[i]);

    /* Strings index the edited string library directly (no script holds that
     * table: each environment gets a copy), and hide their metatable. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_getfield(L, template, LUA_STRLIBNAME);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);

    lua_rawsetp(L, LUA_REGISTRYINDEX, &SANDBOX_TEMPLATE_KEY);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &LOADED_KEY);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &LOADING_KEY);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &COMPILED_KEY);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, end_loading);
    lua_setfield(L, -2, "__close");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &GUARD_MT_KEY);
}
