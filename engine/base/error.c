/* Error reporting: see include/kaoshi/error.h. */
#include "kaoshi/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

ks_status ks_error_vset(ks_error *e, ks_status code, const char *fmt, va_list ap)
{
    if (e) {
        e->code = code;
        vsnprintf(e->message, sizeof e->message, fmt, ap);
    }
    return code;
}

ks_status ks_error_set(ks_error *e, ks_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ks_error_vset(e, code, fmt, ap);
    va_end(ap);
    return code;
}

void ks_error_clear(ks_error *e)
{
    if (e) {
        e->code = KS_OK;
        e->message[0] = '\0';
    }
}

const char *ks_status_name(ks_status code)
{
    switch (code) {
    case KS_OK: return "ok";
    case KS_EINPUT: return "input";
    case KS_ESCRIPT: return "script";
    case KS_ESTATE: return "state";
    case KS_ENOTFOUND: return "not found";
    case KS_EIO: return "io";
    case KS_EINTERNAL: return "internal";
    }
    return "unknown";
}

void ks_diags_add(ks_diags *d, const char *fmt, ...)
{
    if (d->count >= KS_DIAGS_MAX)
        return;
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        char **lines = realloc(d->lines, cap * sizeof *lines);
        if (!lines)
            return;
        d->lines = lines;
        d->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *line = NULL;
    if (vasprintf(&line, fmt, ap) >= 0)
        d->lines[d->count++] = line;
    va_end(ap);
}

void ks_diags_free(ks_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        free(d->lines[i]);
    free(d->lines);
    d->lines = NULL;
    d->count = d->cap = 0;
}

void ks_diags_vadd_at(ks_diags *d, const char *path, size_t line, size_t col, const char *fmt,
                      va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    ks_diags_add(d, "%s:%zu:%zu: %s", path, line, col, msg);
}
