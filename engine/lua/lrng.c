/* The scripts' `rng` object: see engine/lua/lrng.h. Methods:
 *   rng:int(lo, hi)        an integer in [lo, hi]
 *   rng:uniform()          a number in [0, 1)
 *   rng:normal(mean, sd)   a normal deviate
 *   rng:sample(n, k)       k distinct numbers of 1..n in random order
 *   rng:permutation(n)     1..n in random order
 * n is at most 1,000,000; sample and permutation charge the sandbox's
 * instruction budget in proportion to n and k. */
#include "lua/lrng.h"

#include <lauxlib.h>
#include <stdlib.h>

#include "kaoshi/draw.h"
#include "kaoshi/rng.h"
#include "lua/sandbox.h"

#define RNG_META "kaoshi.rng"
#define MAX_DRAW 1000000

static ks_rng *check_rng(lua_State *L) { return luaL_checkudata(L, 1, RNG_META); }

static int rng_int(lua_State *L)
{
    ks_rng *r = check_rng(L);
    lua_Integer lo = luaL_checkinteger(L, 2), hi = luaL_checkinteger(L, 3);
    luaL_argcheck(L, lo <= hi, 3, "must be >= lo");
    lua_pushinteger(L, (lua_Integer)ks_rng_range(r, lo, hi));
    return 1;
}

static int rng_uniform(lua_State *L)
{
    lua_pushnumber(L, ks_rng_uniform(check_rng(L)));
    return 1;
}

static int rng_normal(lua_State *L)
{
    ks_rng *r = check_rng(L);
    double mean = luaL_optnumber(L, 2, 0), sd = luaL_optnumber(L, 3, 1);
    luaL_argcheck(L, sd >= 0, 3, "sd must be >= 0");
    lua_pushnumber(L, ks_rng_normal(r, mean, sd));
    return 1;
}

/* Pushes k distinct 1-based indices of 1..n drawn with ks_draw_sample. */
static int push_sample(lua_State *L, ks_rng *r, lua_Integer n, lua_Integer k)
{
    luaL_argcheck(L, n >= 0 && n <= MAX_DRAW, 2, "n must be from 0 to 1000000");
    luaL_argcheck(L, k >= 0 && k <= n, 3, "k must be from 0 to n");
    ks_sandbox_charge(L, (unsigned long)(n + k)); /* the draw is linear in n and k */
    size_t *out = lua_newuserdatauv(L, ((size_t)k + 1) * sizeof *out, 0);
    if (ks_draw_sample(r, (size_t)n, (size_t)k, out) != 0)
        return luaL_error(L, "not enough memory");
    lua_createtable(L, (int)k, 0);
    for (lua_Integer i = 0; i < k; i++) {
        lua_pushinteger(L, (lua_Integer)out[i] + 1);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

static int rng_sample(lua_State *L)
{
    ks_rng *r = check_rng(L);
    return push_sample(L, r, luaL_checkinteger(L, 2), luaL_checkinteger(L, 3));
}

static int rng_permutation(lua_State *L)
{
    ks_rng *r = check_rng(L);
    lua_Integer n = luaL_checkinteger(L, 2);
    return push_sample(L, r, n, n);
}

static const luaL_Reg rng_methods[] = {
    {"int", rng_int},
    {"uniform", rng_uniform},
    {"normal", rng_normal},
    {"sample", rng_sample},
    {"permutation", rng_permutation},
    {NULL, NULL},
};

void ks_lrng_push(lua_State *L, uint64_t seed)
{
    ks_rng *r = lua_newuserdatauv(L, sizeof *r, 0);
    ks_rng_seed(r, seed);
    if (luaL_newmetatable(L, RNG_META)) {
        luaL_newlib(L, rng_methods);
        lua_setfield(L, -2, "__index");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
}
