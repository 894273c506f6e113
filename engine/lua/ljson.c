/* JSON <-> Lua conversion: see engine/lua/ljson.h. */
#include "lua/ljson.h"

#include <lauxlib.h>
#include <math.h>
#include <string.h>
#include <stdio.h>

#define MAX_DEPTH 64

void ks_ljson_push(lua_State *L, const json_t *v)
{
    luaL_checkstack(L, 4, "JSON too deep");
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        lua_createtable(L, 0, (int)json_object_size(v));
        const char *key;
        json_t *val;
        json_object_foreach((json_t *)v, key, val) {
            ks_ljson_push(L, val);
            lua_setfield(L, -2, key);
        }
        break;
    }
    case JSON_ARRAY: {
        lua_createtable(L, (int)json_array_size(v), 0);
        size_t i;
        json_t *val;
        json_array_foreach(v, i, val) {
            ks_ljson_push(L, val);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    }
    case JSON_STRING: lua_pushlstring(L, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER: lua_pushinteger(L, (lua_Integer)json_integer_value(v)); break;
    case JSON_REAL: lua_pushnumber(L, json_real_value(v)); break;
    case JSON_TRUE: lua_pushboolean(L, 1); break;
    case JSON_FALSE: lua_pushboolean(L, 0); break;
    case JSON_NULL: lua_pushnil(L); break;
    }
}

/* The length n when the table's keys are exactly 1..n, else -1. */
static lua_Integer sequence_length(lua_State *L, int idx)
{
    lua_Integer count = 0, max = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1) {
            lua_pop(L, 1);
            return -1;
        }
        lua_Integer k = lua_tointeger(L, -1);
        if (k > max)
            max = k;
        count++;
    }
    return count == max ? count : -1;
}

/* One conversion: where the reason goes, and what is left of its budget. It
 * runs after the script's call has returned, outside the sandbox's limits,
 * so it bounds itself: a table reached twice is converted twice, and a few
 * tables nested by reference could otherwise stand for billions of values. */
typedef struct conv {
    char *why;
    size_t whysize;
    size_t values_left, bytes_left;
} conv;

#define MAX_VALUES 1000000
#define MAX_BYTES (32u << 20)

static json_t *convert(lua_State *L, int idx, int depth, conv *c);

/* Text as a JSON string, or NULL with the reason in c->why: it must be valid
 * UTF-8 without NUL bytes (which JSON could carry as \u0000, but every reader
 * would cut the text short at, or refuse), within the byte budget. */
static json_t *text_json(const char *s, size_t len, const char *what, conv *c)
{
    if (len > c->bytes_left) {
        snprintf(c->why, c->whysize, "it holds more than %u MiB of text", MAX_BYTES >> 20);
        return NULL;
    }
    c->bytes_left -= len;
    json_t *v = memchr(s, '\0', len) ? NULL : json_stringn(s, len);
    if (!v)
        snprintf(c->why, c->whysize, "%s %s", what,
                 memchr(s, '\0', len) ? "holds a NUL byte" : "is not valid UTF-8");
    return v;
}

static json_t *convert_table(lua_State *L, int idx, int depth, conv *c)
{
    if (depth > MAX_DEPTH) {
        snprintf(c->why, c->whysize, "tables nested deeper than %d (a cycle?)", MAX_DEPTH);
        return NULL;
    }
    luaL_checkstack(L, 6, "table too deep");
    lua_Integer n = sequence_length(L, idx);
    if (n >= 0) {
        json_t *arr = json_array();
        for (lua_Integer i = 1; arr && i <= n; i++) {
            lua_rawgeti(L, idx, i);
            json_t *v = convert(L, lua_gettop(L), depth + 1, c);
            lua_pop(L, 1);
            if (!v || json_array_append_new(arr, v)) {
                json_decref(arr);
                return NULL;
            }
        }
        return arr;
    }
    json_t *obj = json_object();
    lua_pushnil(L);
    while (obj && lua_next(L, idx)) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            snprintf(c->why, c->whysize, "a table mixes list entries and named fields");
            lua_pop(L, 2);
            json_decref(obj);
            return NULL;
        }
        size_t keylen;
        const char *key = lua_tolstring(L, -2, &keylen);
        json_t *name = text_json(key, keylen, "a field name", c);
        json_t *v = name ? convert(L, lua_gettop(L), depth + 1, c) : NULL;
        json_decref(name);
        if (!v || json_object_set_new(obj, key, v)) {
            lua_pop(L, 2);
            json_decref(obj);
            return NULL;
        }
        lua_pop(L, 1);
    }
    return obj;
}

static json_t *convert(lua_State *L, int idx, int depth, conv *c)
{
    if (c->values_left == 0) {
        snprintf(c->why, c->whysize, "it holds more than %d values", MAX_VALUES);
        return NULL;
    }
    c->values_left--;
    switch (lua_type(L, idx)) {
    case LUA_TNIL: return json_null();
    case LUA_TBOOLEAN: return json_boolean(lua_toboolean(L, idx));
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            return json_integer((json_int_t)lua_tointeger(L, idx));
        if (!isfinite(lua_tonumber(L, idx))) {
            snprintf(c->why, c->whysize, "a number is not finite (nan or inf)");
            return NULL;
        }
        return json_real(lua_tonumber(L, idx));
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        return text_json(s, len, "a string", c);
    }
    case LUA_TTABLE: return convert_table(L, idx, depth, c);
    default:
        snprintf(c->why, c->whysize, "a %s has no JSON form", luaL_typename(L, idx));
        return NULL;
    }
}

json_t *ks_ljson_to_json(lua_State *L, int idx, char *why, size_t whysize)
{
    conv c = {why, whysize, MAX_VALUES, MAX_BYTES};
    return convert(L, lua_absindex(L, idx), 0, &c);
}
