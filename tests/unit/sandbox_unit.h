/* Helpers shared by the sandbox's unit tests (test_sandbox.c,
 * test_sandbox_errors.c): a sandbox with given limits, and running a script
 * text as scripts/t.lua with its result or error checked. Include after
 * unit.h. */
#ifndef KAOSHI_TEST_SANDBOX_UNIT_H
#define KAOSHI_TEST_SANDBOX_UNIT_H

#include <lauxlib.h>
#include <stdlib.h>

#include "lua/sandbox.h"

static char result[8192];

/* The value at idx as text, without calling metamethods. */
static inline const char *value_text(lua_State *L, int idx)
{
    switch (lua_type(L, idx)) {
    case LUA_TSTRING:
    case LUA_TNUMBER:
        lua_pushvalue(L, idx);
        snprintf(result, sizeof result, "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
        return result;
    case LUA_TBOOLEAN: return lua_toboolean(L, idx) ? "true" : "false";
    default: return luaL_typename(L, idx);
    }
}

/* Loads text as scripts/t.lua, calls it as "test()" with the nargs values on
 * top of the stack as arguments, and returns its first result as text, or
 * NULL with err set. Checks that the stack is left as it was. */
static inline const char *run_args(ks_sandbox *sb, const char *text, int nargs, ks_error *err)
{
    lua_State *L = ks_sandbox_lua(sb);
    int top = lua_gettop(L) - nargs;
    if (ks_sandbox_load(sb, "scripts/t.lua", text, strlen(text), err) != KS_OK) {
        lua_settop(L, top);
        return NULL;
    }
    lua_insert(L, top + 1);
    const char *r = NULL;
    if (ks_sandbox_call(sb, nargs, 1, "test()", err) == KS_OK) {
        r = value_text(L, -1);
        lua_pop(L, 1);
    }
    CHECK_INT(lua_gettop(L), top);
    return r;
}

static inline const char *run(ks_sandbox *sb, const char *text, ks_error *err)
{
    return run_args(sb, text, 0, err);
}

#define EXPECT(sb, text, want)                                             \
    do {                                                                   \
        ks_error e_;                                                       \
        const char *r_ = run(sb, text, &e_);                               \
        if (!r_)                                                           \
            fprintf(stderr, "  %s:%d: error: %s\n", __FILE__, __LINE__,    \
                    e_.message);                                           \
        CHECK_STR(r_, want);                                               \
    } while (0)

#define EXPECT_ERROR(sb, text, want)                                       \
    do {                                                                   \
        ks_error e_;                                                       \
        const char *r_ = run(sb, text, &e_);                               \
        CHECK(r_ == NULL);                                                 \
        if (!r_) {                                                         \
            CHECK_INT(e_.code, KS_ESCRIPT);                                \
            CHECK_STR(e_.message, want);                                   \
        }                                                                  \
    } while (0)

/* A good call after a bad one still works. */
#define EXPECT_ALIVE(sb)                                                   \
    EXPECT(sb, "local t = {} for i = 1, 10 do t[i] = i end\n"              \
               "return #t .. string.format('%d', 7) .. ('ab'):upper()",    \
           "107AB")

static inline ks_sandbox *new_sandbox(size_t memory, unsigned long instructions, double seconds)
{
    ks_sandbox_limits limits = {memory, instructions, seconds};
    ks_error err;
    ks_sandbox *sb = ks_sandbox_new(&limits, &err);
    if (!sb) {
        fprintf(stderr, "  ks_sandbox_new: %s\n", err.message);
        abort();
    }
    return sb;
}

/* A deadline no load on the machine reaches (the scripts that run into a
 * limit here take under a second each): with it, only the instruction budget
 * or the memory cap can stop them, so their errors say which limit did. */
#define DISTANT_DEADLINE 60.0

#endif
