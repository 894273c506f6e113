/* The pages, scripts and styles under web/, compiled into the binary by
 * tools/embed.c (EMBED_WEB in the Makefile): nothing is read from disk or
 * fetched from elsewhere at run time. */
#ifndef KAOSHI_HTTP_ASSETS_H
#define KAOSHI_HTTP_ASSETS_H

#include <stddef.h>

typedef struct http_asset {
    const char *name;   /* "exam.js" */
    const char *source; /* "web/exam.js" */
    const char *data;
    size_t len;
} http_asset;

/* Ended by an entry whose name is NULL. */
extern const http_asset http_assets[];

#endif
