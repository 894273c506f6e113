/* The script sandbox: see engine/lua/sandbox.h. The model is Redis's
 * script_lua.c: a counting allocator, a count hook (luaMaskCountHook) and a
 * chosen list of standard libraries. This file has the limits, the
 * environments, the positions and texts of errors, and the public API; the
 * functions and libraries scripts get are in engine/lua/sandbox_libs.c.
 * Binding layer: lua.h, lauxlib.h, kaoshi/error.h, lua/embedded.h (the
 * engine's own Lua files, which positions never name). */
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lua/embedded.h"
#include "lua/sandbox_impl.h"

#define DEFAULT_MEMORY ((size_t)64 << 20)
#define DEFAULT_INSTRUCTIONS 50000000ul
#define DEFAULT_SECONDS 10.0
#define HOOK_EVERY 1000                 /* instructions between count hooks */
#define REPORT_SLACK ((size_t)256 << 10) /* room an error report may use */
#define BIG_ALLOCATION ((size_t)64 << 10) /* allocations that check the deadline */
#define MESSAGE_CAP 512                 /* bytes of a script's error message */
#define LONGEST_CYCLE 8                 /* prefixes in a repeated group */
#define WHERE_SIZE (LUA_IDSIZE + 32)    /* "FILE:LINE: " */

/* Registry keys (their addresses). */
const char SANDBOX_TEMPLATE_KEY; /* names every environment starts from */
static const char SCOPE_MT_KEY;  /* metatable of an environment's names */
static const char IDLE_THREAD_KEY; /* a call's coroutine, kept for the next call */

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

/* ---- positions ------------------------------------------------------------------ */

/* Whether a function's source is a script's file: compiled from a file
 * ("@FILE"; load() names its chunks "=NAME"), and not the engine's own Lua
 * (engine/lua/author.lua, types.lua: an author can do nothing about a line
 * there). */
static int script_source(const char *source)
{
    if (source[0] != '@')
        return 0;
    for (const ks_embedded_file *f = ks_embedded_lua; f->name; f++)
        if (strcmp(f->chunkname, source) == 0)
            return 0;
    return 1;
}

/* Writes "FILE:LINE: " of the innermost script frame of thread L at stack
 * level `level` or above (C functions and the engine's Lua may sit above it)
 * to buf, or "" when there is none. L may be a coroutine that died of an
 * error: Lua leaves its stack as the error found it. */
static void script_where(lua_State *L, int level, char *buf, size_t cap)
{
    lua_Debug ar;
    buf[0] = '\0';
    for (; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0 && script_source(ar.source)) {
            snprintf(buf, cap, "%s:%d: ", ar.short_src, ar.currentline);
            return;
        }
    }
}

int ks_sandbox_defined_at(lua_State *L, int idx, char *buf, size_t cap)
{
    lua_Debug ar;
    buf[0] = '\0';
    if (lua_type(L, idx) != LUA_TFUNCTION)
        return 0;
    lua_pushvalue(L, idx);
    lua_getinfo(L, ">S", &ar);
    if (!script_source(ar.source))
        return 0;
    snprintf(buf, cap, "%s:%d", ar.short_src, ar.linedefined);
    return 1;
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

/* Raises the limit error with the position of the innermost script frame at
 * stack level `level` or above (0: in the count hook, 1: in a C function).
 * The hook of this thread and of the call's coroutine then fires at every
 * instruction, so the error comes back at once however often a script
 * catches it. */
static int raise_stop(lua_State *L, ks_sandbox *sb, int level)
{
    char text[128], where[WHERE_SIZE];
    stop_text(sb, text, sizeof text);
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    lua_sethook(sb->call_thread, count_hook, LUA_MASKCOUNT, 1);
    if (L != sb->L && level == 0)
        mark_hooks_off(L);
    script_where(L, level, where, sizeof where);
    lua_pushfstring(L, "%s%s", where, text);
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
        size_t cap = sb->limits.memory_bytes + (sb->reporting ? REPORT_SLACK : 0);
        if (grow > cap || sb->used > cap - grow)
            return NULL;
        if (grow >= BIG_ALLOCATION && sb->depth > 0 && !sb->reporting) {
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

/* Pushes a copy of the table at idx (sharing its metatable), with the
 * tables it holds copied too (a namespace such as `kaoshi` holds library
 * tables): no environment shares a table with another. */
static void push_copy(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 4, "library tables nested too deep");
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            push_copy(L, -1);
            lua_remove(L, -2);
        }
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

/* __index of an environment's names: (names, key). A library table is
 * copied into the names the first time the environment reads it (most
 * chunks use few of them, and an environment is made for every run of a
 * chunk); any other name is undeclared. */
static int undeclared_read(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SANDBOX_TEMPLATE_KEY);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) != LUA_TTABLE)
        return luaL_error(L, "undeclared global '%s'", key_text(L, 2));
    push_copy(L, -1);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, 1);
    return 1;
}

/* __newindex of an environment: (env, key, value). */
static int refuse_assignment(lua_State *L)
{
    lua_getmetatable(L, 1);
    int names = lua_gettop(L) + 1;
    lua_getfield(L, -1, "__index"); /* the environment's names */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SANDBOX_TEMPLATE_KEY);
    lua_pushvalue(L, 2);
    int standard = lua_rawget(L, names) != LUA_TNIL;
    lua_pushvalue(L, 2);
    standard |= lua_rawget(L, names + 1) != LUA_TNIL;
    const char *key = key_text(L, 2);
    if (standard)
        return luaL_error(L, "assignment to read-only global '%s'", key);
    return luaL_error(L, "assignment to undeclared global '%s' (use local)", key);
}

/* Pushes a fresh environment: an empty table whose reads fall back to its
 * own copy of the template (library tables copied, with the tables they hold,
 * when first read) and end in "undeclared global", and whose assignments are
 * refused. */
static void push_env(lua_State *L)
{
    lua_newtable(L); /* env */
    lua_newtable(L); /* env names */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SANDBOX_TEMPLATE_KEY);
    lua_pushnil(L);
    while (lua_next(L, -2)) { /* env names template key value */
        if (lua_type(L, -1) == LUA_TTABLE) { /* copied when first read */
            lua_pop(L, 1);
            continue;
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

void sandbox_renew(lua_State *L)
{
    push_env(L);
    lua_setupvalue(L, -2, 1);
}

/* Builds the template, require's registry tables and the metatable of an
 * environment's names, and notes the stock error(); run protected. */
static int open_sandbox(lua_State *L)
{
    sandbox_open_libs(L);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, undeclared_read);
    lua_setfield(L, -2, "__index");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &SCOPE_MT_KEY);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SANDBOX_TEMPLATE_KEY);
    lua_getfield(L, -1, "error");
    sandbox_of(L)->stock_error = lua_tocfunction(L, -1);
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

/* ---- error texts ------------------------------------------------------------------- */

/* The text a message is cut to, with room for the "…" that ends a cut one. */
struct capped_text {
    char buf[MESSAGE_CAP + 1];
    size_t len;
    int cut;
};

static void append(struct capped_text *t, const char *s, size_t n)
{
    size_t room = MESSAGE_CAP - t->len;
    if (n > room) {
        n = room;
        t->cut = 1;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
}

/* Length of the prefix "TEXT: " at s (TEXT without a line break), or 0. */
static size_t prefix_len(const char *s, const char *end)
{
    for (const char *p = s; p + 1 < end && *p != '\n'; p++)
        if (p[0] == ':' && p[1] == ' ')
            return (size_t)(p + 2 - s);
    return 0;
}

/* Length of the group of one to LONGEST_CYCLE prefixes at s that the same
 * group follows at once, or 0. */
static size_t repeated_group(const char *s, const char *end)
{
    size_t len = 0;
    for (int n = 0; n < LONGEST_CYCLE; n++) {
        size_t next = prefix_len(s + len, end);
        if (!next)
            return 0;
        len += next;
        if ((size_t)(end - s) >= 2 * len && memcmp(s, s + len, len) == 0)
            return len;
    }
    return 0;
}

/* Appends msg to t with each run of repeated prefixes ("a: b: a: b: a: b:
 * msg", left by coroutines or handlers that add their position to an error
 * they pass on) written once followed by "(repeated N times) ". */
static void append_collapsed(struct capped_text *t, const char *msg, size_t len)
{
    const char *p = msg, *end = msg + len;
    size_t step;
    while (!t->cut && (step = prefix_len(p, end)) > 0) {
        size_t group = repeated_group(p, end);
        if (!group) {
            append(t, p, step);
            p += step;
            continue;
        }
        size_t times = 2;
        while ((size_t)(end - p) >= (times + 1) * group &&
               memcmp(p, p + times * group, group) == 0)
            times++;
        char note[48];
        int n = snprintf(note, sizeof note, "(repeated %zu times) ", times);
        append(t, p, group);
        append(t, note, (size_t)n);
        p += times * group;
    }
    append(t, p, (size_t)(end - p));
}

/* Sets err (KS_ESCRIPT) to "WHAT failed: WHERE MSG" (without "WHAT failed: "
 * when WHAT is NULL), with MSG's repeated prefixes collapsed and the text
 * after "failed: " cut to MESSAGE_CAP bytes, ending in "…", at a character
 * boundary. */
static ks_status script_error(ks_error *err, const char *what, const char *where,
                              const char *msg, size_t len)
{
    struct capped_text t = {.len = 0, .cut = 0};
    append(&t, where, strlen(where));
    append_collapsed(&t, msg, len);
    if (t.cut) {
        static const char ellipsis[] = "…";
        t.len = MESSAGE_CAP - (sizeof ellipsis - 1);
        while (t.len > 0 && ((unsigned char)t.buf[t.len] & 0xC0) == 0x80)
            t.len--; /* not inside a character */
        memcpy(t.buf + t.len, ellipsis, sizeof ellipsis - 1);
        t.len += sizeof ellipsis - 1;
    }
    t.buf[t.len] = '\0';
    if (what)
        return ks_error_set(err, KS_ESCRIPT, "%s failed: %s", what, t.buf);
    return ks_error_set(err, KS_ESCRIPT, "%s", t.buf);
}

/* Whether s starts with a position, "SOURCE:LINE:". */
static int has_position(const char *s, size_t len)
{
    const char *colon = memchr(s, ':', len), *end = s + len;
    if (!colon || colon == s || memchr(s, '\n', (size_t)(colon - s)))
        return 0;
    const char *p = colon + 1;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p > colon + 1 && p < end && *p == ':';
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

/* Whether the coroutine co died in error() itself, which gave a string
 * message the position its level asked for: none for level 0. */
static int died_in_error(const ks_sandbox *sb, lua_State *co)
{
    lua_Debug ar;
    if (!lua_getstack(co, 0, &ar) || !lua_checkstack(co, 1))
        return 0;
    lua_getinfo(co, "f", &ar);
    int in_error = lua_tocfunction(co, -1) == sb->stock_error;
    lua_pop(co, 1);
    return in_error;
}

struct failure {
    lua_State *co; /* the call's coroutine, dead or suspended */
    int error_value; /* co died of an error value (on its top) */
};

/* (failure) -> the error value's text (nil without one), co's traceback;
 * run protected. */
static int describe_failure(lua_State *L)
{
    const struct failure *f = lua_touserdata(L, 1);
    lua_pushnil(L);
    if (f->error_value) {
        lua_xmove(f->co, L, 1);
        push_error_text(L, -1);
    }
    luaL_traceback(L, f->co, NULL, 0);
    return 2;
}

/* Sets err and the traceback from the call that ended in coroutine co with
 * the given status (LUA_OK when it swallowed a limit error). An error that
 * does not say where it was gets the position of co's innermost script
 * frame. The report may use REPORT_SLACK bytes past the memory cap, so an
 * error met near the cap is still reported as itself. */
static void call_error(ks_sandbox *sb, lua_State *co, int status, const char *what,
                       ks_error *err)
{
    lua_State *L = sb->L;
    int error_value = sb->stop == RUNNING && (status == LUA_ERRRUN || status == LUA_ERRERR);
    struct failure f = {co, error_value};
    int placed = error_value && lua_type(co, -1) == LUA_TSTRING && died_in_error(sb, co);
    char where[WHERE_SIZE], text[128];
    script_where(co, 0, where, sizeof where);
    sb->reporting = 1;
    sb->traceback[0] = '\0';
    int described = status != LUA_OK;
    if (described) {
        lua_pushcfunction(L, describe_failure);
        lua_pushlightuserdata(L, &f);
        described = lua_pcall(L, 1, 2, 0) == LUA_OK;
        if (described)
            snprintf(sb->traceback, sizeof sb->traceback, "%s", lua_tostring(L, -1));
    }
    const char *msg = text;
    size_t len;
    if (sb->stop != RUNNING) { /* also when describing the error struck a limit */
        stop_text(sb, text, sizeof text);
        msg = sb->stop_msg[0] ? sb->stop_msg : text;
        len = strlen(msg);
        where[0] = '\0'; /* a limit error has the position it was raised at */
    } else if (status == LUA_ERRMEM || !described) { /* describing needs memory too */
        sandbox_memory_text(sb, text, sizeof text);
        len = strlen(text);
    } else if (status == LUA_YIELD) {
        msg = "attempt to yield from outside a coroutine";
        len = strlen(msg);
    } else {
        msg = lua_tolstring(L, -2, &len);
        if (placed || has_position(msg, len))
            where[0] = '\0';
    }
    script_error(err, what, where, msg, len);
    sb->reporting = 0;
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
        size_t n;
        const char *msg = lua_tolstring(L, -1, &n);
        if (msg)
            script_error(err, NULL, "", msg, n);
        else
            ks_error_set(err, KS_ESCRIPT, "cannot load the script");
    }
    lua_settop(L, top);
    return KS_ESCRIPT;
}

/* (function) -> the function in a fresh environment; run protected. */
static int renew_protected(lua_State *L)
{
    sandbox_renew(L);
    return 1;
}

int ks_sandbox_keep_code(ks_sandbox *sb) { return luaL_ref(sb->L, LUA_REGISTRYINDEX); }

ks_status ks_sandbox_load_kept(ks_sandbox *sb, int ref, ks_error *err)
{
    lua_State *L = sb->L;
    lua_pushcfunction(L, renew_protected);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    int capped = sb->capped;
    sb->capped = 1;
    int status = lua_pcall(L, 1, 1, 0);
    sb->capped = capped;
    if (status == LUA_OK)
        return KS_OK;
    lua_pop(L, 1);
    char msg[64];
    sandbox_memory_text(sb, msg, sizeof msg);
    return ks_error_set(err, KS_ESCRIPT, "%s", msg);
}

void ks_sandbox_forget_modules(ks_sandbox *sb) { sandbox_forget_modules(sb->L); }

/* Pushes a coroutine to run a call in: the one the last call that succeeded
 * left idle, or a new one. */
static lua_State *push_call_thread(lua_State *L)
{
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &IDLE_THREAD_KEY) == LUA_TTHREAD) {
        lua_pushnil(L);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &IDLE_THREAD_KEY);
        return lua_tothread(L, -1);
    }
    lua_pop(L, 1);
    return lua_newthread(L);
}

/* Moves the results of the call that ended in co (nres of them) to L,
 * adjusted to nresults; 0 when L has no room for them. */
static int move_results(lua_State *L, lua_State *co, int nres, int nresults)
{
    if (nresults != LUA_MULTRET) {
        if (!lua_checkstack(co, nresults))
            return 0;
        lua_settop(co, nresults);
        nres = nresults;
    }
    if (!lua_checkstack(L, nres))
        return 0;
    lua_xmove(co, L, nres);
    return 1;
}

static void start_limits(ks_sandbox *sb)
{
    sb->spent = 0;
    sb->stop = RUNNING;
    sb->stop_msg[0] = '\0';
    sb->deadline = now() + sb->limits.seconds;
    lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
    sandbox_forget_loading(sb->L);
}

/* The call runs in a coroutine so that, when it fails, its stack is still
 * there to say where: Lua unwinds a protected call's stack before anyone can
 * look, and calls no message handler for memory errors. */
ks_status ks_sandbox_call(ks_sandbox *sb, int nargs, int nresults, const char *what,
                          ks_error *err)
{
    lua_State *L = sb->L;
    int base = lua_gettop(L) - nargs; /* the function */
    int capped = sb->capped;
    sb->capped = 0; /* the host's own bookkeeping, even inside a call */
    lua_State *co = push_call_thread(L);
    lua_insert(L, base); /* the coroutine, then the function and arguments */
    if (!lua_checkstack(co, nargs + 1)) {
        lua_settop(L, base - 1);
        sb->capped = capped;
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    lua_xmove(L, co, nargs + 1);
    if (sb->depth++ == 0)
        start_limits(sb);
    lua_State *outer = sb->call_thread;
    sb->call_thread = co;
    sb->capped = 1;
    int nres = 0;
    int status = lua_resume(co, L, nargs, &nres);
    int ok = status == LUA_OK && sb->stop == RUNNING;
    if (ok && !move_results(L, co, nres, nresults)) {
        ok = 0;
        script_error(err, what, "", "too many results", strlen("too many results"));
        sb->traceback[0] = '\0';
    } else if (!ok) {
        call_error(sb, co, status, what, err);
        /* what lua_pcall would have done: close its pending to-be-closed
         * variables, unless a limit left its hooks off */
        if (status != LUA_OK && !hooks_off(co))
            lua_resetthread(co);
    }
    sb->capped = 0;
    sb->call_thread = outer;
    if (ok) {
        lua_pushvalue(L, base);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &IDLE_THREAD_KEY);
        lua_remove(L, base);
        sb->depth--;
    } else {
        lua_settop(L, base - 1);
        if (--sb->depth == 0) {
            sb->stop = RUNNING;
            lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
        }
    }
    sb->capped = capped;
    return ok ? KS_OK : KS_ESCRIPT;
}

const char *ks_sandbox_traceback(const ks_sandbox *sb) { return sb->traceback; }

unsigned long ks_sandbox_spent(const ks_sandbox *sb) { return sb->spent; }
