/* Error reporting shared by every Kaoshi module: a code that says what kind of
 * failure it was (and so which exit status the CLI gives) and one message a
 * person can act on. Depends on nothing. */
#ifndef KAOSHI_ERROR_H
#define KAOSHI_ERROR_H

#include <stdarg.h>
#include <stddef.h>

typedef enum ks_status {
    KS_OK = 0,
    KS_EINPUT,    /* bad input from an author, proctor or candidate */
    KS_ESCRIPT,   /* a certification script failed or misbehaved */
    KS_ESTATE,    /* the request is not allowed in the current state */
    KS_ENOTFOUND, /* the named object does not exist */
    KS_EIO,       /* the file system or the database failed */
    KS_EINTERNAL  /* a bug in Kaoshi itself */
} ks_status;

typedef struct ks_error {
    ks_status code;
    char message[2048];
} ks_error;

/* Sets e (when not NULL) and returns code, so callers can write
 * `return ks_error_set(err, KS_EINPUT, "...")`. */
ks_status ks_error_set(ks_error *e, ks_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears e to KS_OK with an empty message. */
void ks_error_clear(ks_error *e);

/* A short English name of the code ("input", "script", ...). */
const char *ks_status_name(ks_status code);

/* A list of diagnostics, one line each ("banks/x.yaml:3:7: item 'a': ..."),
 * for checks that report every problem rather than the first. */
typedef struct ks_diags {
    char **lines;
    size_t count, cap;
} ks_diags;

/* Appends one formatted line; keeps at most KS_DIAGS_MAX lines and ignores the rest. */
#define KS_DIAGS_MAX 200
void ks_diags_add(ks_diags *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ks_diags_free(ks_diags *d);

/* Appends "PATH:LINE:COL: " followed by the formatted message. */
void ks_diags_vadd_at(ks_diags *d, const char *path, size_t line, size_t col, const char *fmt,
                      va_list ap) __attribute__((format(printf, 5, 0)));

#endif
