/* Step-counted replacements for string.find, string.match, string.gmatch and
 * string.gsub (engine/lua/pattern.c), installed by the sandbox in the string
 * library. Same arguments, results and error messages as the stock Lua 5.4
 * functions; every matcher step is charged to the sandbox's instruction
 * budget, so they may only be called in a state made by ks_sandbox_new.
 * Binding layer (lua.h). */
#ifndef KAOSHI_LUA_PATTERN_H
#define KAOSHI_LUA_PATTERN_H

#include <lua.h>

int ks_pattern_find(lua_State *L);
int ks_pattern_match(lua_State *L);
int ks_pattern_gmatch(lua_State *L);
int ks_pattern_gsub(lua_State *L);

#endif
