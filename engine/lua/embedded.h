/* The Lua files compiled into the binary (see tools/embed.c and EMBED_LUA in
 * the Makefile): the author API and the built-in question types. */
#ifndef KAOSHI_EMBEDDED_H
#define KAOSHI_EMBEDDED_H

#include <stddef.h>

typedef struct ks_embedded_file {
    const char *name;      /* "author" for engine/lua/author.lua */
    const char *chunkname; /* "@engine/lua/author.lua" */
    const char *text;
    size_t len;
} ks_embedded_file;

/* Terminated by an entry whose name is NULL. */
extern const ks_embedded_file ks_embedded_lua[];

#endif
