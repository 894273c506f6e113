/* The `stats` module for scripts (see engine/lua/lstats.c). Binding layer. */
#ifndef KAOSHI_LSTATS_H
#define KAOSHI_LSTATS_H

#include <lua.h>

int luaopen_stats(lua_State *L);

#endif
