/* Error reporting shared by every Kaoshi module: a code that says what kind of
 * failure it was (and so which exit status the CLI gives) and one message a
 * person can act on. Depends on nothing.
 *
 * The contract every function of the engine follows:
 *
 * - Status. A function that can fail returns ks_status (KS_OK on success) and
 *   takes a `ks_error *err` last; err may be NULL. On failure err (when given)
 *   holds the code returned and one message, written where the failure was
 *   first seen; a caller passes it up unchanged or replaces it whole, never
 *   with a follow-up call's message. Functions that report every problem take
 *   a ks_diags instead and return the code of the first.
 * - Out-parameters. On success each holds its result; on failure each is left
 *   as "nothing": NULL for pointers, 0 for counts, so a caller may free them
 *   unconditionally. Nothing is half-written.
 * - Ownership. A `char **` or `T **` out-parameter passes ownership to the
 *   caller, who frees it with free() or with the ks_..._free() named beside the
 *   function. `const` results are borrowed: they live as long as the object
 *   they came from. Inputs are never taken over unless the comment says so.
 * - Out of memory is a failure like any other: the function returns
 *   KS_EINTERNAL with the message "out of memory" (optionally saying while
 *   doing what) and releases what it had. Nothing degrades silently: no empty
 *   string, empty list or skipped item stands in for an allocation that failed.
 *   The only exception is ks_diags_add below, which drops a line it cannot
 *   store (the diagnostics already carry the failure being reported).
 * - Database errors are KS_EIO with SQLite's message and what was being done
 *   ("saving an answer: database is locked"); "not found" is KS_ENOTFOUND and
 *   is never confused with a failed query. */
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

/* ks_error_set with the message's arguments in a va_list. */
ks_status ks_error_vset(ks_error *e, ks_status code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

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
