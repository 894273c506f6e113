/* The script sandbox: see engine/lua/sandbox.h. The model is Redis's
 * script_lua.c: a counting allocator, a count hook (luaMaskCountHook) and a
 * chosen list of standard libraries. Binding layer: lua.h, lauxlib.h,
 * lualib.h, kaoshi/error.h, lua/pattern.h. */
#include "lua/sandbox.h"

#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lua/pattern.h"

#define DEFAULT_MEMORY ((size_t)64 << 20)
#define DEFAULT_INSTRUCTIONS 50000000ul
#define DEFAULT_SECONDS 10.0
#define HOOK_EVERY 1000                 /* instructions between count hooks */
#define HANDLER_SLACK ((size_t)256 << 10) /* room the message handler may use */
#define BIG_ALLOCATION ((size_t)64 << 10) /* allocations that check the deadline */

enum stop { RUNNING, OUT_OF_INSTRUCTIONS, OUT_OF_TIME };

struct ks_sandbox {
    lua_State *L;
    ks_sandbox_limits limits;
    size_t used;           /* live bytes of the state */
    int capped;            /* memory cap enforced (inside load or call) */
    int in_handler;        /* the message handler is running */
    int depth;             /* nesting of ks_sandbox_call */
    unsigned long spent;   /* instructions charged in this call */
    double deadline;       /* monotonic seconds */
    enum stop stop;        /* sticky until the outermost call ends */
    char stop_msg[256];    /* the first limit error raised, with its position */
    ks_sandbox_loader loader;
    void *loader_ud;
    char traceback[4096];
};

/* Registry keys (their addresses). */
static const char TEMPLATE_KEY; /* names every environment starts from */
static const char SCOPE_MT_KEY; /* metatable of an environment's names */
static const char LOADED_KEY;   /* module name -> value, for require */
static const char LOADING_KEY;  /* module name -> true while it runs */
static const char GUARD_MT_KEY; /* metatable of require's loading guard */

static ks_sandbox *sandbox_of(lua_State *L)
{
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void format_bytes(size_t n, char *buf, size_t cap)
{
    if (n % ((size_t)1 << 20) == 0)
        snprintf(buf, cap, "%zu MiB", n >> 20);
    else if (n % 1024 == 0)
        snprintf(buf, cap, "%zu KiB", n >> 10);
    else
        snprintf(buf, cap, "%zu bytes", n);
}

static void memory_text(const ks_sandbox *sb, char *buf, size_t cap)
{
    char size[32];
    format_bytes(sb->limits.memory_bytes, size, sizeof size);
    snprintf(buf, cap, "memory limit exceeded (%s)", size);
}

static void stop_text(const ks_sandbox *sb, char *buf, size_t cap)
{
    if (sb->stop == OUT_OF_TIME)
        snprintf(buf, cap, "time limit exceeded (%g s)", sb->limits.seconds);
    else
        snprintf(buf, cap, "instruction limit exceeded (%lu)", sb->limits.instructions);
}

/* ---- limits ----------------------------------------------------------------- */

static void count_hook(lua_State *L, lua_Debug *ar);
static void mark_hooks_off(lua_State *co);

/* Adds work to the call's count; sets sb->stop once the budget is spent or
 * the deadline has passed. */
static void account(ks_sandbox *sb, unsigned long work)
{
    if (sb->stop)
        return;
    if (work > sb->limits.instructions - sb->spent) {
        sb->spent = sb->limits.instructions;
        sb->stop = OUT_OF_INSTRUCTIONS;
    } else {
        sb->spent += work;
        if (now() > sb->deadline)
            sb->stop = OUT_OF_TIME;
    }
}

/* Pushes "FILE:LINE: " for the nearest Lua code at stack level `level` or
 * above (a C function such as pcall may sit in between), or "". */
static void push_where(lua_State *L, int level)
{
    lua_Debug ar;
    for (; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0) {
            lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
            return;
        }
    }
    lua_pushliteral(L, "");
}

/* Raises the limit error with the position of stack level `level` (0: in
 * the count hook, 1: in a C function). The hook of this thread and of the
 * main one then fires at every instruction, so the error comes back at once
 * however often a script catches it. */
static int raise_stop(lua_State *L, ks_sandbox *sb, int level)
{
    char text[128];
    stop_text(sb, text, sizeof text);
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    if (L != sb->L) {
        lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, 1);
        if (level == 0)
            mark_hooks_off(L);
    }
    push_where(L, level);
    lua_pushstring(L, text);
    lua_concat(L, 2);
    if (!sb->stop_msg[0])
        snprintf(sb->stop_msg, sizeof sb->stop_msg, "%s", lua_tostring(L, -1));
    return lua_error(L);
}

/* Every HOOK_EVERY instructions of every thread (new threads inherit the
 * hook); every instruction once a limit is hit. Idle between calls. */
static void count_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    ks_sandbox *sb = sandbox_of(L);
    int count = lua_gethookcount(L);
    if (sb->depth > 0) {
        account(sb, (unsigned long)count);
        if (sb->stop)
            raise_stop(L, sb, 0);
    }
    if (count != HOOK_EVERY) /* left at 1 by an earlier call's limit error */
        lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
}

void ks_sandbox_charge(lua_State *L, unsigned long work)
{
    ks_sandbox *sb = sandbox_of(L);
    if (sb->depth == 0)
        return;
    account(sb, work);
    if (sb->stop)
        raise_stop(L, sb, 1);
}

/* Counts live bytes and refuses growth past the cap (Lua then collects
 * garbage and retries before it raises a memory error). Big allocations also
 * check the deadline, so loops of large string operations stop promptly. */
static void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    ks_sandbox *sb = ud;
    if (!ptr)
        osize = 0; /* osize then encodes the kind of object */
    if (nsize == 0) {
        free(ptr);
        sb->used -= osize;
        return NULL;
    }
    if (nsize > osize && sb->capped) {
        size_t grow = nsize - osize;
        size_t cap = sb->limits.memory_bytes + (sb->in_handler ? HANDLER_SLACK : 0);
        if (grow > cap || sb->used > cap - grow)
            return NULL;
        if (grow >= BIG_ALLOCATION && sb->depth > 0 && !sb->in_handler) {
            if (!sb->stop && now() > sb->deadline)
                sb->stop = OUT_OF_TIME;
            if (sb->stop)
                return NULL;
        }
    }
    void *p = realloc(ptr, nsize);
    if (p)
        sb->used = sb->used - osize + nsize;
    return p;
}

/* ---- environments ------------------------------------------------------------- */

/* Pushes a shallow copy of the table at idx (sharing its metatable). */
static void push_copy(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    if (lua_getmetatable(L, idx))
        lua_setmetatable(L, -2);
}

/* Pushes a printable form of the key at idx, for error messages. */
static const char *key_text(lua_State *L, int idx)
{
    int t = lua_type(L, idx);
    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
        lua_pushvalue(L, idx);
        return lua_tostring(L, -1);
    }
    return lua_pushfstring(L, "(a %s key)", luaL_typename(L, idx));
}

/* __index of an environment's names: (names, key). */
static int undeclared_read(lua_State *L)
{
    return luaL_error(L, "undeclared global '%s'", key_text(L, 2));
}

/* __newindex of an environment: (env, key, value). */
static int refuse_assignment(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index"); /* the environment's names */
    lua_pushvalue(L, 2);
    int standard = lua_rawget(L, -2) != LUA_TNIL;
    const char *key = key_text(L, 2);
    if (standard)
        return luaL_error(L, "assignment to read-only global '%s'", key);
    return luaL_error(L, "assignment to undeclared global '%s' (use local)", key);
}

static int sandbox_load(lua_State *L);

/* Pushes a fresh environment: an empty table whose reads fall back to its
 * own copy of the template (library tables copied one level deep) and end in
 * "undeclared global", and whose assignments are refused. */
static void push_env(lua_State *L)
{
    lua_newtable(L); /* env */
    lua_newtable(L); /* env names */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &TEMPLATE_KEY);
    lua_pushnil(L);
    while (lua_next(L, -2)) { /* env names template key value */
        if (lua_type(L, -1) == LUA_TTABLE) {
            push_copy(L, -1);
            lua_remove(L, -2);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -5);
    }
    lua_pop(L, 1);
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, "_G");
    lua_pushvalue(L, -2);
    lua_pushcclosure(L, sandbox_load, 1);
    lua_setfield(L, -2, "load");
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SCOPE_MT_KEY);
    lua_setmetatable(L, -2);
    lua_createtable(L, 0, 3); /* env names mt */
    lua_insert(L, -2);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, refuse_assignment);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

/* Compiles text (never bytecode) as chunk "@chunkname" in a fresh
 * environment. Pushes the function and returns LUA_OK, or pushes a message
 * that starts with the chunk name and returns the status. */
static int load_chunk(lua_State *L, const char *chunkname, const char *text, size_t len)
{
    lua_pushfstring(L, "@%s", chunkname);
    int status = luaL_loadbufferx(L, text, len, lua_tostring(L, -1), "t");
    lua_remove(L, -2);
    if (status == LUA_OK) {
        push_env(L);
        lua_setupvalue(L, -2, 1);
    } else if (status == LUA_ERRSYNTAX) {
        const char *msg = lua_tostring(L, -1);
        size_t n = strlen(chunkname);
        if (strncmp(msg, chunkname, n) != 0 || msg[n] != ':') {
            lua_pushfstring(L, "%s: %s", chunkname, msg);
            lua_remove(L, -2);
        }
    }
    return status;
}

/* ---- functions scripts get instead of the stock ones ------------------------- */

/* Runs the stock C function kept as upvalue 1 on the same arguments. */
static int call_stock(lua_State *L)
{
    return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

/* load(text [, chunkname [, mode [, env]]]): text only; the environment
 * defaults to the caller's (upvalue 1); chunk names never read [string ...]. */
static int sandbox_load(lua_State *L)
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

/* Lua switches hooks off while a hook runs and restores them at the next
 * pcall, so a coroutine that the count hook's limit error ended keeps them
 * off: Lua code must never run in it again, and the only way it could is a
 * __close handler run by closing it. raise_stop marks such coroutines in
 * their extra space; they are never closed. */
static void mark_hooks_off(lua_State *co) { *(unsigned char *)lua_getextraspace(co) = 1; }

static int hooks_off(lua_State *co)
{
    int status = lua_status(co);
    return *(unsigned char *)lua_getextraspace(co) && status != LUA_OK && status != LUA_YIELD;
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
 * unclosed (as Lua 5.4.0-5.4.2 did). */
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
    if (lua_type(L, 2) == LUA_TSTRING &&
        lua_status(lua_tothread(L, lua_upvalueindex(1))) != LUA_ERRMEM) {
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
    lua_rawgetp(L, LUA_REGISTRYINDEX, &TEMPLATE_KEY);
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
    const char *text, *chunkname;
    size_t text_len;
    ks_error err;
    ks_error_clear(&err);
    if (sb->loader(sb->loader_ud, name, &text, &text_len, &chunkname, &err) != KS_OK)
        return luaL_error(L, "cannot load module '%s': %s", name, err.message);
    int status = load_chunk(L, chunkname, text, text_len); /* 4 */
    if (status == LUA_ERRMEM) {
        char msg[64];
        memory_text(sb, msg, sizeof msg);
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

/* Builds the template and the registry tables; run protected. */
static int open_sandbox(lua_State *L)
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

    lua_rawsetp(L, LUA_REGISTRYINDEX, &TEMPLATE_KEY);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, undeclared_read);
    lua_setfield(L, -2, "__index");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &SCOPE_MT_KEY);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &LOADED_KEY);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &LOADING_KEY);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, end_loading);
    lua_setfield(L, -2, "__close");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &GUARD_MT_KEY);
    return 0;
}

/* An error outside any protected call is a bug in Kaoshi: say what it was
 * before Lua aborts. */
static int panic(lua_State *L)
{
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "kaoshi: unprotected Lua error: %s\n", msg ? msg : "(not a string)");
    return 0;
}

/* ---- public API ----------------------------------------------------------------- */

ks_sandbox *ks_sandbox_new(const ks_sandbox_limits *limits, ks_error *err)
{
    ks_sandbox *sb = calloc(1, sizeof *sb);
    if (!sb) {
        ks_error_set(err, KS_EINTERNAL, "out of memory");
        return NULL;
    }
    if (limits)
        sb->limits = *limits;
    if (!sb->limits.memory_bytes)
        sb->limits.memory_bytes = DEFAULT_MEMORY;
    if (!sb->limits.instructions)
        sb->limits.instructions = DEFAULT_INSTRUCTIONS;
    if (!(sb->limits.seconds > 0))
        sb->limits.seconds = DEFAULT_SECONDS;
    sb->L = lua_newstate(sandbox_alloc, sb);
    if (!sb->L) {
        free(sb);
        ks_error_set(err, KS_EINTERNAL, "out of memory");
        return NULL;
    }
    lua_atpanic(sb->L, panic);
    memset(lua_getextraspace(sb->L), 0, LUA_EXTRASPACE); /* copied into new threads */
    sb->capped = 1;
    lua_pushcfunction(sb->L, open_sandbox);
    int status = lua_pcall(sb->L, 0, 0, 0);
    sb->capped = 0;
    if (status != LUA_OK) {
        char size[32];
        format_bytes(sb->limits.memory_bytes, size, sizeof size);
        if (status == LUA_ERRMEM)
            ks_error_set(err, KS_EINTERNAL, "the memory limit (%s) is too small for the "
                         "standard libraries", size);
        else
            ks_error_set(err, KS_EINTERNAL, "cannot open the sandbox: %s",
                         lua_tostring(sb->L, -1));
        ks_sandbox_free(sb);
        return NULL;
    }
    lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
    return sb;
}

void ks_sandbox_free(ks_sandbox *sb)
{
    if (!sb)
        return;
    lua_close(sb->L);
    free(sb);
}

lua_State *ks_sandbox_lua(ks_sandbox *sb) { return sb->L; }

void ks_sandbox_set_loader(ks_sandbox *sb, ks_sandbox_loader fn, void *ud)
{
    sb->loader = fn;
    sb->loader_ud = ud;
}

void ks_sandbox_set_global(ks_sandbox *sb, const char *name)
{
    lua_State *L = sb->L;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &TEMPLATE_KEY);
    lua_insert(L, -2);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

struct load_args {
    const char *chunkname, *text;
    size_t len;
};

/* (args) -> status, function or message; run protected. */
static int load_protected(lua_State *L)
{
    const struct load_args *a = lua_touserdata(L, 1);
    int status = load_chunk(L, a->chunkname, a->text, a->len);
    lua_pushinteger(L, status);
    lua_insert(L, -2);
    return 2;
}

ks_status ks_sandbox_load(ks_sandbox *sb, const char *chunkname, const char *text, size_t len,
                          ks_error *err)
{
    lua_State *L = sb->L;
    int top = lua_gettop(L);
    struct load_args a = {chunkname, text, len};
    int capped = sb->capped;
    lua_pushcfunction(L, load_protected);
    lua_pushlightuserdata(L, &a);
    sb->capped = 1;
    int status = lua_pcall(L, 1, 2, 0);
    sb->capped = capped;
    if (status == LUA_OK)
        status = (int)lua_tointeger(L, -2);
    if (status == LUA_OK) {
        lua_remove(L, -2);
        return KS_OK;
    }
    if (status == LUA_ERRMEM) {
        char msg[64];
        memory_text(sb, msg, sizeof msg);
        ks_error_set(err, KS_ESCRIPT, "%s: %s", chunkname, msg);
    } else {
        const char *msg = lua_tostring(L, -1);
        ks_error_set(err, KS_ESCRIPT, "%s", msg ? msg : "cannot load the script");
    }
    lua_settop(L, top);
    return KS_ESCRIPT;
}

/* Pushes a string for the error value at idx: strings and numbers as they
 * are, else the result of a __tostring that works, else its type. */
static void push_error_text(lua_State *L, int idx)
{
    int t = lua_type(L, idx);
    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
        lua_pushvalue(L, idx);
        lua_tostring(L, -1);
        return;
    }
    if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
        lua_pushvalue(L, idx);
        if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING)
            return;
        lua_pop(L, 1);
    }
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, idx));
}

/* The message handler of ks_sandbox_call: the error as text plus a stack
 * traceback. It may use HANDLER_SLACK bytes past the memory cap, so an error
 * met near the cap is still reported as itself. */
static int message_handler(lua_State *L)
{
    sandbox_of(L)->in_handler = 1;
    push_error_text(L, 1);
    luaL_traceback(L, L, lua_tostring(L, -1), 1);
    return 1;
}

static void start_limits(ks_sandbox *sb)
{
    sb->spent = 0;
    sb->stop = RUNNING;
    sb->stop_msg[0] = '\0';
    sb->deadline = now() + sb->limits.seconds;
    lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
}

/* Sets err from a failed call whose error value (if any) is on top. */
static void call_error(ks_sandbox *sb, int status, int stopped, const char *what, ks_error *err)
{
    lua_State *L = sb->L;
    char text[256];
    const char *msg = status == LUA_OK ? NULL : lua_tostring(L, -1);
    const char *tb = msg ? strstr(msg, "\nstack traceback:\n") : NULL;
    snprintf(sb->traceback, sizeof sb->traceback, "%s", tb ? tb + 1 : "");
    int len = tb ? (int)(tb - msg) : -1;
    if (stopped) {
        msg = sb->stop_msg;
        if (!msg[0]) {
            stop_text(sb, text, sizeof text);
            msg = text;
        }
        len = -1;
    } else if (status == LUA_ERRMEM) {
        memory_text(sb, text, sizeof text);
        msg = text;
    } else if (!msg) {
        msg = "(error object is not a string)";
    }
    if (len < 0)
        len = (int)strlen(msg);
    if (what)
        ks_error_set(err, KS_ESCRIPT, "%s failed: %.*s", what, len, msg);
    else
        ks_error_set(err, KS_ESCRIPT, "%.*s", len, msg);
}

ks_status ks_sandbox_call(ks_sandbox *sb, int nargs, int nresults, const char *what,
                          ks_error *err)
{
    lua_State *L = sb->L;
    int base = lua_gettop(L) - nargs; /* the function */
    lua_pushcfunction(L, message_handler);
    lua_insert(L, base);
    if (sb->depth++ == 0)
        start_limits(sb);
    int capped = sb->capped;
    sb->capped = 1;
    int status = lua_pcall(L, nargs, nresults, base);
    sb->capped = capped;
    sb->in_handler = 0;
    int stopped = sb->stop != RUNNING;
    lua_remove(L, base);
    if (status == LUA_OK && !stopped) {
        sb->depth--;
        return KS_OK;
    }
    call_error(sb, status, stopped, what, err);
    lua_settop(L, base - 1);
    if (--sb->depth == 0) {
        sb->stop = RUNNING;
        lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
    }
    return KS_ESCRIPT;
}

const char *ks_sandbox_traceback(const ks_sandbox *sb) { return sb->traceback; }
