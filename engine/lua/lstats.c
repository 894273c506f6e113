/* The `stats` module for scripts: every function of the statistics contract
 * (docs/statistics.md) by its name, with a table of named inputs,
 * through the same function table as `kaoshi stats`
 * (include/kaoshi/stats_json.h):
 *   local r, why = stats.cv{ x = { 312, 298, 305 } }  -- r.cv_percent, r.sd ...
 * Outputs keep the contract's names and values: indices are 0-based, counts
 * are integers, NaN and infinities are numbers (r.mae ~= r.mae for NaN). A
 * contract error returns nil, "E_ZERO_VARIANCE: cv: ..."; misuse (inputs
 * that are not a table of named inputs, an unknown or missing input, a value
 * of the wrong type, more than MAX_NUMBERS values) raises an error. Each
 * call charges work proportional to its inputs (and for Erlang C to the
 * agents evaluated) to the sandbox's instruction budget. Binding layer: lua.h, jansson, engine/lua/ljson.c and
 * engine/lua/sandbox.c. */
#include "lua/lstats.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kaoshi/stats_json.h"
#include "lua/ljson.h"
#include "lua/sandbox.h"

#define MAX_NUMBERS 200000
#define WORK_BASE 200
#define WORK_PER_NUMBER 20
#define WORK_PER_AGENT 20

/* The number of values in the table at idx, which sits `level` tables deep
 * in the inputs (0: the inputs, 1: a list or matrix, 2: a matrix row).
 * Raises for anything nested deeper than a matrix, or past MAX_NUMBERS. */
static size_t count_values(lua_State *L, int idx, int level, const char *name)
{
    size_t n = 0;
    luaL_checkstack(L, 4, NULL);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -1) != LUA_TTABLE)
            n++;
        else if (level < 2)
            n += count_values(L, lua_gettop(L), level + 1, name);
        else
            luaL_error(L, "stats.%s: inputs are numbers, lists of numbers or lists of lists "
                          "of numbers", name);
        lua_pop(L, 1);
        if (n > MAX_NUMBERS)
            luaL_error(L, "stats.%s: the inputs hold more than %d values", name, MAX_NUMBERS);
    }
    return n;
}

/* Replaces the strings "nan", "inf" and "-inf" in the table at idx and its
 * sub-tables with the numbers they spell: the JSON form writes them as
 * strings, and no output of the contract is a string. */
static void restore_numbers(lua_State *L, int idx)
{
    luaL_checkstack(L, 4, NULL);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            restore_numbers(L, lua_gettop(L));
        } else if (lua_type(L, -1) == LUA_TSTRING) {
            const char *s = lua_tostring(L, -1);
            int nan = strcmp(s, "nan") == 0, inf = strcmp(s, "inf") == 0;
            int minus_inf = strcmp(s, "-inf") == 0;
            if (nan || inf || minus_inf) {
                lua_pushvalue(L, -2);
                lua_pushnumber(L, nan ? (double)NAN : inf ? HUGE_VAL : -HUGE_VAL);
                lua_rawset(L, idx); /* an existing key: allowed while traversing */
            }
        }
        lua_pop(L, 1);
    }
}

/* Pushes the outputs (a JSON object, argument 1 as a light userdata) as a
 * table; run protected so the caller can free the JSON if Lua runs out of
 * memory. */
static int push_outputs(lua_State *L)
{
    const json_t *out = lua_touserdata(L, 1);
    ks_ljson_push(L, out);
    restore_numbers(L, lua_gettop(L));
    return 1;
}

/* Erlang C runs its recursion once per agent, so its work is not in the size
 * of its inputs: the agents it evaluated, from the inputs (erlang_c) or the
 * result (erlang_agents_required); 0 for every other function. */
static unsigned long agents_evaluated(const json_t *input, const json_t *out)
{
    if (!json_object_get(out, "traffic_erlangs"))
        return 0;
    const json_t *n = json_object_get(out, "agents");
    if (!n)
        n = json_object_get(input, "agents");
    double agents = json_number_value(n);
    return agents > 0 ? (unsigned long)agents : 0;
}

/* stats.NAME(inputs): NAME is upvalue 1. */
static int l_call(lua_State *L)
{
    const char *name = lua_tostring(L, lua_upvalueindex(1));
    if (!lua_istable(L, 1))
        return luaL_error(L, "stats.%s: expected a table of named inputs like { x = {...} } "
                             "(got %s)", name, luaL_typename(L, 1));
    lua_settop(L, 1);
    size_t values = count_values(L, 1, 0, name);
    ks_sandbox_charge(L, WORK_BASE + WORK_PER_NUMBER * (unsigned long)values);

    char why[128] = "";
    lua_pushnil(L);
    int empty = !lua_next(L, 1); /* {} would become a JSON array */
    if (!empty)
        lua_pop(L, 2);
    json_t *input = empty ? json_object() : ks_ljson_to_json(L, 1, why, sizeof why);
    if (!input)
        return luaL_error(L, "stats.%s: the inputs cannot be read: %s", name, why);
    if (!json_is_object(input)) {
        json_decref(input);
        return luaL_error(L, "stats.%s: expected a table of named inputs like { x = {...} }, "
                             "not a list", name);
    }

    json_t *out;
    ks_stat_status st;
    ks_error err;
    ks_status rc = ks_stats_json_call(name, input, &out, &st, &err);
    /* charged once the JSON is released: a charge past the budget raises */
    unsigned long agents = !rc && st == KS_STAT_OK ? agents_evaluated(input, out) : 0;
    json_decref(input);
    if (rc) {
        /* the messages of input problems already start with "NAME: " */
        size_t n = strlen(name);
        if (strncmp(err.message, name, n) == 0 && err.message[n] == ':')
            return luaL_error(L, "stats.%s", err.message);
        return luaL_error(L, "stats.%s: %s", name, err.message);
    }
    if (st != KS_STAT_OK) {
        char text[400];
        snprintf(text, sizeof text, "%s: %s", json_string_value(json_object_get(out, "error")),
                 json_string_value(json_object_get(out, "message")));
        json_decref(out);
        lua_pushnil(L);
        lua_pushstring(L, text);
        return 2;
    }
    lua_pushcfunction(L, push_outputs);
    lua_pushlightuserdata(L, out);
    int prc = lua_pcall(L, 1, 1, 0);
    json_decref(out);
    if (prc != LUA_OK)
        return lua_error(L);
    ks_sandbox_charge(L, WORK_PER_AGENT * agents);
    return 1;
}

int luaopen_stats(lua_State *L)
{
    lua_newtable(L);
    for (size_t i = 0; ks_stats_json_name(i); i++) {
        lua_pushstring(L, ks_stats_json_name(i));
        lua_pushcclosure(L, l_call, 1);
        lua_setfield(L, -2, ks_stats_json_name(i));
    }
    return 1;
}
