/* Conversion between JSON values (jansson) and Lua values, for the plain
 * tables that cross between the engine and scripts: forms, responses,
 * presentations and results. Binding layer. */
#ifndef KAOSHI_LJSON_H
#define KAOSHI_LJSON_H

#include <jansson.h>
#include <lua.h>

/* Pushes v as a Lua value (null -> nil; objects and arrays -> tables).
 * Raises a Lua error only when out of memory. */
void ks_ljson_push(lua_State *L, const json_t *v);

/* Converts the Lua value at idx to a new JSON value. A table whose keys are
 * exactly 1..n (or that is empty) becomes an array, one with only string keys
 * an object. Returns NULL and writes a reason into why (size whysize) for
 * values with no JSON form: functions, mixed keys, NaN, cycles, invalid UTF-8,
 * NUL bytes, and values past its own bounds (1,000,000 values or 32 MiB of
 * text in all, counting a table reached twice twice): it runs outside the
 * sandbox's limits, so it keeps its own. */
json_t *ks_ljson_to_json(lua_State *L, int idx, char *why, size_t whysize);

#endif
