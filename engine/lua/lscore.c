/* The `score` module for scripts: the C scoring primitives of
 * include/kaoshi/score.h, each returning a fraction from 0 to 1 (or a
 * boolean for the pass/fail checks).
 *   score.set(key, response, noptions, rule)   rule: all_or_nothing |
 *                                              right_minus_wrong | per_option
 *   score.numeric(value, key, abs_tol, rel_tol) -> boolean
 *   score.text(response, accepted, exact)       -> boolean; normalised
 *                                              (width, case, spaces,
 *                                              punctuation) unless exact
 *   score.order(key, response, rule)           rule: all_or_nothing |
 *                                              positions | adjacent
 *   score.match(key, response, all_or_nothing)
 * Lists are Lua sequences of integers numbered from 1, as everywhere in Lua;
 * the binding converts them to the C core's 0-based numbers. Lists hold at
 * most 1000 entries, and each call charges the sandbox's instruction budget
 * one per list entry and per byte of text it reads. Binding layer. */
#include "lua/lscore.h"

#include <lauxlib.h>

#include "kaoshi/score.h"
#include "lua/sandbox.h"

#define MAX_LIST 1000

/* Reads the 1-based integer list at arg, 0-based, into a userdata buffer
 * left on the stack. */
static int *int_list(lua_State *L, int arg, size_t *n)
{
    luaL_checktype(L, arg, LUA_TTABLE);
    lua_Integer len = luaL_len(L, arg);
    luaL_argcheck(L, len >= 0 && len <= MAX_LIST, arg, "list longer than 1000");
    ks_sandbox_charge(L, (unsigned long)len);
    int *a = lua_newuserdatauv(L, ((size_t)len + 1) * sizeof *a, 0);
    for (lua_Integer i = 1; i <= len; i++) {
        lua_rawgeti(L, arg, i);
        int ok;
        lua_Integer v = lua_tointegerx(L, -1, &ok);
        lua_pop(L, 1);
        if (!ok || v < -1000000 || v > 1000000)
            luaL_argerror(L, arg, "expected a list of integers");
        a[i - 1] = (int)v - 1;
    }
    *n = (size_t)len;
    return a;
}

static int l_set(lua_State *L)
{
    static const char *const rules[] = {"all_or_nothing", "right_minus_wrong", "per_option",
                                        NULL};
    static const ks_set_rule values[] = {KS_SET_ALL_OR_NOTHING, KS_SET_RIGHT_MINUS_WRONG,
                                         KS_SET_PER_OPTION};
    size_t nkey, nresp;
    const int *key = int_list(L, 1, &nkey);
    const int *resp = int_list(L, 2, &nresp);
    lua_Integer noptions = luaL_checkinteger(L, 3);
    luaL_argcheck(L, noptions >= 1 && noptions <= MAX_LIST, 3, "must be from 1 to 1000");
    int rule = luaL_checkoption(L, 4, "right_minus_wrong", rules);
    lua_pushnumber(L, ks_score_set(key, nkey, resp, nresp, (size_t)noptions, values[rule]));
    return 1;
}

static int l_numeric(lua_State *L)
{
    double v = luaL_checknumber(L, 1), key = luaL_checknumber(L, 2);
    double abs_tol = luaL_optnumber(L, 3, 0), rel_tol = luaL_optnumber(L, 4, 0);
    luaL_argcheck(L, abs_tol >= 0, 3, "must be >= 0");
    luaL_argcheck(L, rel_tol >= 0, 4, "must be >= 0");
    lua_pushboolean(L, ks_score_numeric(v, key, abs_tol, rel_tol));
    return 1;
}

static int l_text(lua_State *L)
{
    size_t resp_len;
    const char *resp = luaL_checklstring(L, 1, &resp_len);
    unsigned long work = resp_len;
    luaL_checktype(L, 2, LUA_TTABLE);
    unsigned flags = lua_toboolean(L, 3) ? 0 : KS_TEXT_DEFAULT;
    lua_Integer n = luaL_len(L, 2);
    luaL_argcheck(L, n >= 0 && n <= MAX_LIST, 2, "list longer than 1000");
    const char **accepted = lua_newuserdatauv(L, ((size_t)n + 1) * sizeof *accepted, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, 2, i);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_argerror(L, 2, "expected a list of strings");
        size_t len;
        accepted[i - 1] = lua_tolstring(L, -1, &len); /* kept alive by table 2 */
        work += len + resp_len; /* each accepted answer is compared with the response */
        lua_pop(L, 1);
    }
    ks_sandbox_charge(L, work);
    lua_pushboolean(L, ks_score_text(resp, accepted, (size_t)n, flags));
    return 1;
}

static int l_order(lua_State *L)
{
    static const char *const rules[] = {"all_or_nothing", "positions", "adjacent", NULL};
    static const ks_order_rule values[] = {KS_ORDER_ALL_OR_NOTHING, KS_ORDER_POSITIONS,
                                           KS_ORDER_ADJACENT};
    size_t nkey, nresp;
    const int *key = int_list(L, 1, &nkey);
    const int *resp = int_list(L, 2, &nresp);
    int rule = luaL_checkoption(L, 3, "all_or_nothing", rules);
    lua_pushnumber(L, nkey == nresp ? ks_score_order(key, resp, nkey, values[rule]) : 0.0);
    return 1;
}

static int l_match(lua_State *L)
{
    size_t nkey, nresp;
    const int *key = int_list(L, 1, &nkey);
    const int *resp = int_list(L, 2, &nresp);
    int all = lua_toboolean(L, 3);
    lua_pushnumber(L, nkey == nresp ? ks_score_match(key, resp, nkey, all) : 0.0);
    return 1;
}

static const luaL_Reg score_functions[] = {
    {"set", l_set},
    {"numeric", l_numeric},
    {"text", l_text},
    {"order", l_order},
    {"match", l_match},
    {NULL, NULL},
};

int luaopen_score(lua_State *L)
{
    luaL_newlib(L, score_functions);
    return 1;
}
