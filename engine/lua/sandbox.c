/* The script sandbox: see engine/lua/sandbox.h. The model is Redis's
 * script_lua.c: a counting allocator, a count hook (luaMaskCountHook) and a
 * chosen list of standard libraries. This file has the limits, the
 * environments and the public API; the functions and libraries scripts get
 * are in engine/lua/sandbox_libs.c. Binding layer: lua.h, lauxlib.h,
 * kaoshi/error.h. */
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lua/sandbox_impl.h"

#define DEFAULT_MEMORY ((size_t)64 << 20)
#define DEFAULT_INSTRUCTIONS 50000000ul
#define DEFAULT_SECONDS 10.0
#define HOOK_EVERY 1000                 /* instructions between count hooks */
#define HANDLER_SLACK ((size_t)256 << 10) /* room the message handler may use */
#define BIG_ALLOCATION ((size_t)64 << 10) /* allocations that check the deadline */

/* Registry keys (their addresses). */
const char SANDBOX_TEMPLATE_KEY; /* names every environment starts from */
static const char SCOPE_MT_KEY;  /* metatable of an environment's names */

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

void sandbox_memory_text(const ks_sandbox *sb, char *buf, size_t cap)
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

/* Pushes a fresh environment: an empty table whose reads fall back to its
 * own copy of the template (library tables copied one level deep) and end in
 * "undeclared global", and whose assignments are refused. */
static void push_env(lua_State *L)
{
    lua_newtable(L); /* env */
    lua_newtable(L); /* env names */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SANDBOX_TEMPLATE_KEY);
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

int sandbox_load_chunk(lua_State *L, const char *chunkname, const char *text, size_t len)
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

/* Builds the template, require's registry tables and the metatable of an
 * environment's names; run protected. */
static int open_sandbox(lua_State *L)
{
    sandbox_open_libs(L);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, undeclared_read);
    lua_setfield(L, -2, "__index");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &SCOPE_MT_KEY);
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
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SANDBOX_TEMPLATE_KEY);
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
    int status = sandbox_load_chunk(L, a->chunkname, a->text, a->len);
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
        sandbox_memory_text(sb, msg, sizeof msg);
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
        sandbox_memory_text(sb, text, sizeof text);
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

unsigned long ks_sandbox_spent(const ks_sandbox *sb) { return sb->spent; }
