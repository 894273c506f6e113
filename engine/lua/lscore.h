/* The `score` module for scripts (see engine/lua/lscore.c). Binding layer. */
#ifndef KAOSHI_LSCORE_H
#define KAOSHI_LSCORE_H

#include <lua.h>

int luaopen_score(lua_State *L);

#endif
