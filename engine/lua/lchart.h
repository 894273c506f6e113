/* The `chart` module for scripts (see engine/lua/lchart.c). Binding layer. */
#ifndef KAOSHI_LCHART_H
#define KAOSHI_LCHART_H

#include <lua.h>

int luaopen_chart(lua_State *L);

#endif
