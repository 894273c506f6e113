/* The `chart` module for scripts: the SVG pictures of include/kaoshi/chart.h,
 * returned as text.
 *   chart.control{ values = {...},              the points, in time order
 *                  center = 250, sigma = 8,     CL and the ±1σ/±2σ/±3σ lines, or
 *                  ucl = 0.15 | {...}, lcl = 0, limits: one value, or one per point
 *                  flagged = { 3, 7 },          point numbers (1-based) to highlight
 *                  labels = { "09:00", ... },   x axis labels (default 1..n)
 *                  title = "", x_label = "", y_label = "" }
 *   chart.scatter{ x = {...}, y = {...}, line = true (the least-squares line),
 *                  title = "", x_label = "", y_label = "" }
 * Misuse (an unknown key, a value of the wrong type, data the chart cannot
 * draw) raises an error. Each call charges work proportional to its points
 * to the sandbox's instruction budget. Binding layer: lua.h, engine/chart.c
 * and engine/lua/sandbox.c. */
#include "lua/lchart.h"

#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kaoshi/chart.h"
#include "lua/sandbox.h"

#define WORK_BASE 1000
#define WORK_PER_POINT 200

static const char *const control_keys[] = {"center", "flagged", "labels", "lcl", "sigma",
                                           "title", "ucl", "values", "x_label", "y_label",
                                           NULL};
static const char *const scatter_keys[] = {"line", "title", "x", "x_label", "y", "y_label",
                                           NULL};

/* Raises unless every key of the table at 1 is one of keys. */
static void check_keys(lua_State *L, const char *fn, const char *const *keys)
{
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        size_t i = 0;
        while (keys[i] && (!k || strcmp(keys[i], k) != 0))
            i++;
        if (!keys[i]) {
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            for (i = 0; keys[i]; i++) {
                luaL_addstring(&b, i ? ", " : "");
                luaL_addstring(&b, keys[i]);
            }
            luaL_pushresult(&b);
            const char *name = luaL_tolstring(L, -2, NULL);
            luaL_error(L, "chart.%s: unknown key '%s'; expected one of: %s", fn, name,
                       lua_tostring(L, -2));
        }
    }
}

/* Field key of the table at 1 as a list of at most KS_CHART_MAX_POINTS
 * numbers, in a buffer owned by a userdata left on the stack; NULL (nothing
 * left) when the field is absent. */
static double *numbers(lua_State *L, const char *fn, const char *key, size_t *n)
{
    if (lua_getfield(L, 1, key) == LUA_TNIL) {
        lua_pop(L, 1);
        return NULL;
    }
    if (!lua_istable(L, -1))
        luaL_error(L, "chart.%s: '%s' must be a list of numbers", fn, key);
    lua_Unsigned len = lua_rawlen(L, -1);
    if (len > KS_CHART_MAX_POINTS)
        luaL_error(L, "chart.%s: '%s' has more than %d entries", fn, key, KS_CHART_MAX_POINTS);
    double *v = lua_newuserdatauv(L, ((size_t)len + 1) * sizeof *v, 0);
    for (lua_Unsigned i = 0; i < len; i++) {
        if (lua_rawgeti(L, -2, (lua_Integer)i + 1) != LUA_TNUMBER)
            luaL_error(L, "chart.%s: '%s' must be a list of numbers", fn, key);
        v[i] = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    lua_remove(L, -2);
    *n = (size_t)len;
    return v;
}

/* A limit: one number for every point, or a list of n. */
static const double *limits(lua_State *L, const char *key, size_t n)
{
    if (lua_getfield(L, 1, key) == LUA_TNUMBER) {
        double level = lua_tonumber(L, -1);
        double *v = lua_newuserdatauv(L, n * sizeof *v, 0);
        for (size_t i = 0; i < n; i++)
            v[i] = level;
        return v;
    }
    lua_pop(L, 1);
    size_t len = 0;
    const double *v = numbers(L, "control", key, &len);
    if (v && len != n)
        luaL_error(L, "chart.control: '%s' must be one number or a list of %d (one per point)",
                   key, (int)n);
    return v;
}

/* An optional string field; it stays alive in the table at 1. */
static const char *text(lua_State *L, const char *fn, const char *key)
{
    int t = lua_getfield(L, 1, key);
    const char *s = t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    if (t != LUA_TNIL && t != LUA_TSTRING)
        luaL_error(L, "chart.%s: '%s' must be a string", fn, key);
    return s;
}

static double opt_number(lua_State *L, const char *key, double dflt)
{
    int t = lua_getfield(L, 1, key);
    double v = t == LUA_TNUMBER ? lua_tonumber(L, -1) : dflt;
    lua_pop(L, 1);
    if (t != LUA_TNIL && t != LUA_TNUMBER)
        luaL_error(L, "chart.control: '%s' must be a number", key);
    return v;
}

static ks_chart_text texts(lua_State *L, const char *fn)
{
    ks_chart_text t = {text(L, fn, "title"), text(L, fn, "x_label"), text(L, fn, "y_label")};
    return t;
}

/* Pushes the SVG (argument 1, a light userdata); run protected so the caller
 * can free the text if Lua runs out of memory. */
static int push_text(lua_State *L)
{
    lua_pushstring(L, lua_touserdata(L, 1));
    return 1;
}

static int push_svg(lua_State *L, char *svg)
{
    lua_pushcfunction(L, push_text);
    lua_pushlightuserdata(L, svg);
    int rc = lua_pcall(L, 1, 1, 0);
    free(svg);
    return rc == LUA_OK ? 1 : lua_error(L);
}

static int l_control(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    luaL_checkstack(L, 20, NULL);
    check_keys(L, "control", control_keys);
    ks_chart_control c = {.text = texts(L, "control")};
    c.values = numbers(L, "control", "values", &c.n);
    if (!c.values)
        return luaL_error(L, "chart.control: 'values' (the points) is required");
    ks_sandbox_charge(L, WORK_BASE + WORK_PER_POINT * (unsigned long)c.n);
    c.center = opt_number(L, "center", NAN);
    c.sigma = opt_number(L, "sigma", 0);
    c.ucl = limits(L, "ucl", c.n);
    c.lcl = limits(L, "lcl", c.n);

    size_t nflag = 0;
    const double *flags = numbers(L, "control", "flagged", &nflag);
    size_t *flagged = lua_newuserdatauv(L, (nflag + 1) * sizeof *flagged, 0);
    for (size_t i = 0; i < nflag; i++) {
        if (flags[i] != floor(flags[i]) || flags[i] < 1 || flags[i] > (double)c.n)
            return luaL_error(L, "chart.control: 'flagged' must list point numbers from 1 to %d",
                              (int)c.n);
        flagged[i] = (size_t)flags[i] - 1;
    }
    c.flagged = flagged;
    c.nflagged = nflag;

    if (lua_getfield(L, 1, "labels") != LUA_TNIL) {
        if (!lua_istable(L, -1) || lua_rawlen(L, -1) != c.n)
            return luaL_error(L, "chart.control: 'labels' must be a list of %d strings (one "
                                 "per point)", (int)c.n);
        const char **labels = lua_newuserdatauv(L, c.n * sizeof *labels, 0);
        for (size_t i = 0; i < c.n; i++) {
            if (lua_rawgeti(L, -2, (lua_Integer)i + 1) != LUA_TSTRING)
                return luaL_error(L, "chart.control: 'labels' must be a list of strings");
            labels[i] = lua_tostring(L, -1); /* kept alive by the labels table */
            lua_pop(L, 1);
        }
        c.labels = labels;
    }

    char *svg;
    ks_error err;
    if (ks_chart_control_svg(&c, &svg, &err))
        return luaL_error(L, "chart.control: %s", err.message);
    return push_svg(L, svg);
}

static int l_scatter(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    luaL_checkstack(L, 20, NULL);
    check_keys(L, "scatter", scatter_keys);
    ks_chart_scatter s = {.text = texts(L, "scatter"), .line = true};
    size_t nx = 0, ny = 0;
    s.x = numbers(L, "scatter", "x", &nx);
    s.y = numbers(L, "scatter", "y", &ny);
    if (!s.x || !s.y || nx != ny)
        return luaL_error(L, "chart.scatter: 'x' and 'y' must be lists of numbers of the same "
                             "length");
    s.n = nx;
    ks_sandbox_charge(L, WORK_BASE + WORK_PER_POINT * (unsigned long)s.n);
    int t = lua_getfield(L, 1, "line");
    if (t != LUA_TNIL && t != LUA_TBOOLEAN)
        return luaL_error(L, "chart.scatter: 'line' must be true or false");
    s.line = t == LUA_TNIL || lua_toboolean(L, -1);

    char *svg;
    ks_error err;
    if (ks_chart_scatter_svg(&s, &svg, &err))
        return luaL_error(L, "chart.scatter: %s", err.message);
    return push_svg(L, svg);
}

static const luaL_Reg chart_functions[] = {
    {"control", l_control},
    {"scatter", l_scatter},
    {NULL, NULL},
};

int luaopen_chart(lua_State *L)
{
    luaL_newlib(L, chart_functions);
    return 1;
}
