/* Internals shared by the store's files (engine/store/): the connection,
 * the prepared-statement cache, the statements' SQL with the functions that
 * read their rows, and the helpers that run them. Not a public header. */
#ifndef KAOSHI_STORE_IMPL_H
#define KAOSHI_STORE_IMPL_H

#include <sqlite3.h>

#include "kaoshi/store.h"

/* Every statement the store runs, prepared once on first use. */
typedef enum store_stmt {
    Q_SITTING_INSERT,
    Q_SITTING_BY_NAME,
    Q_SITTING_BY_ID,
    Q_SITTING_LIST,
    Q_SITTING_OPEN,
    Q_SITTING_CLOSE,
    Q_SOURCE_PUT,
    Q_SOURCES,
    Q_SITTING_AMEND,
    Q_VERSION_INSERT,
    Q_VERSIONS,
    Q_CANDIDATE_UPSERT,
    Q_CANDIDATE_ID,
    Q_ENROLL,
    Q_ACCOMMODATE,
    Q_ENROLLMENT_GET,
    Q_ENROLLMENTS,
    Q_ATTEMPT_INSERT,
    Q_ATTEMPT_GET,
    Q_ATTEMPT_OWNER,
    Q_ATTEMPTS_OF,
    Q_ATTEMPTS_IN,
    Q_ATTEMPTS_DUE,
    Q_ATTEMPT_FINISH,
    Q_ATTEMPT_EXTEND,
    Q_ANSWER_INSERT,
    Q_ANSWER_BY_KEY,
    Q_ANSWERS_LATEST,
    Q_RESULT_PUT,
    Q_RESULT_GET,
    Q_CHANGE_PUT,
    Q_CHANGES,
    Q_MARK_PUT,
    Q_MARKS,
    Q_MARK_DELETE,
    Q_PUBLISH,
    Q_PUBLISHED,
    Q_AUDIT_INSERT,
    Q_AUDIT_LIST,
    Q_AUDIT_NEWEST,
    Q_AUDIT_AFTER,
    Q_AUDIT_OF_SITTING_AFTER,
    Q_PROCTOR_INSERT,
    Q_PROCTOR_GET,
    Q_PROCTOR_LIST,
    Q_PAUSE_BEGIN,
    Q_PAUSE_END,
    Q_NOTE_INSERT,
    Q_NOTES,
    Q_SESSION_PUT,
    Q_SESSION_GET,
    Q_SESSION_DELETE,
    Q_SESSIONS_EXPIRE,
    Q_FLAG_ON,
    Q_FLAG_OFF,
    Q_FLAGS,
    Q_ANSWER_LAST_SEQ,
    Q_ANSWER_COUNTS,
    Q_CERT_NEXT_SEQ,
    Q_CERT_INSERT,
    Q_CERT_BY_NUMBER,
    Q_CERT_OF_ATTEMPT,
    Q_CERT_REVOKE,
    Q_CERT_FLAG,
    Q_DRAWN_PUT,
    Q_DRAWN_GET,
    Q_DRAWN_DELETE,
    Q_UNDRAWN_COUNT,
    Q_VIEW_PUT,
    Q_VIEW_GET,
    Q_COUNT
} store_stmt;

struct ks_store {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *stmts[Q_COUNT];
};

/* The SQL of each statement (store_sql.c). */
extern const char *const store_statement_sql[Q_COUNT];

/* The statement, reset and with bindings cleared, or NULL with err set. */
sqlite3_stmt *store_stmt_get(ks_store *st, store_stmt which, ks_error *err);

/* Sets err from the connection's last error: "database PATH: what: message". */
ks_status store_fail(ks_store *st, const char *what, ks_error *err);

/* Whether the statement that failed last broke a UNIQUE or PRIMARY KEY
 * constraint: the row it would have written exists already. A broken foreign
 * key, CHECK or NOT NULL is not that. Ask before another statement runs. */
int store_duplicate(ks_store *st);

/* Opens a transaction when none is open; *owned says whether this call did,
 * so store_tx_end commits (ok) or rolls back only what it opened. */
ks_status store_tx_begin(ks_store *st, int *owned, ks_error *err);
ks_status store_tx_end(ks_store *st, int owned, ks_status status, ks_error *err);

/* Column helpers: a malloc'd copy of a text column ("" for NULL). */
char *store_col_text(sqlite3_stmt *s, int col);
void store_bind_text(sqlite3_stmt *s, int idx, const char *text);

/* Reads the current row of a statement into *row, which is zeroed. */
typedef void (*store_reader)(sqlite3_stmt *q, void *row);

/* The readers of store_sql.c, one per SELECT column list: each reads into the
 * type it names (a ks_attempt, an int, ...). */
void store_read_sitting(sqlite3_stmt *q, void *row);
void store_read_version(sqlite3_stmt *q, void *row);
void store_read_source(sqlite3_stmt *q, void *row);
void store_read_enrollment(sqlite3_stmt *q, void *row);
void store_read_attempt(sqlite3_stmt *q, void *row);
void store_read_attempt_owner(sqlite3_stmt *q, void *row); /* a ks_attempt's two ids */
void store_read_answer(sqlite3_stmt *q, void *row);
void store_read_answer_count(sqlite3_stmt *q, void *row);
void store_read_result(sqlite3_stmt *q, void *row);
void store_read_result_change(sqlite3_stmt *q, void *row);
void store_read_mark(sqlite3_stmt *q, void *row);
void store_read_audit_entry(sqlite3_stmt *q, void *row);
void store_read_proctor(sqlite3_stmt *q, void *row);
void store_read_note(sqlite3_stmt *q, void *row);
void store_read_session(sqlite3_stmt *q, void *row);
void store_read_certificate(sqlite3_stmt *q, void *row);
void store_read_drawn_form(sqlite3_stmt *q, void *row);
void store_read_int(sqlite3_stmt *q, void *row);   /* the first column, an int */
void store_read_int64(sqlite3_stmt *q, void *row); /* the first column, an int64_t */

/* Runs a bound statement that returns no rows: KS_OK, or KS_EIO saying what
 * was being done. */
ks_status store_step_done(ks_store *st, sqlite3_stmt *q, const char *what, ks_error *err);

/* store_step_done for an INSERT whose row may exist already (store_duplicate):
 * that is `code` with the message `exists` formats; any other failure is
 * KS_EIO with SQLite's message. */
ks_status store_insert(ks_store *st, sqlite3_stmt *q, const char *what, ks_error *err,
                       ks_status code, const char *exists, ...)
    __attribute__((format(printf, 6, 7)));

/* Runs a query already bound that returns at most one row: zeroes *row (size
 * bytes) and reads the row into it with read_row. No row is KS_ENOTFOUND with
 * the message `missing` formats or, when missing is NULL, KS_OK with *row
 * left zero; a failed query is KS_EIO saying what was being done. */
ks_status store_row(ks_store *st, sqlite3_stmt *q, size_t size, store_reader read_row,
                    void *row, const char *what, ks_error *err, const char *missing, ...)
    __attribute__((format(printf, 8, 9)));

/* store_row over statement `which` with one integer parameter, id. */
ks_status store_row_by_id(ks_store *st, store_stmt which, int64_t id, size_t size,
                          store_reader read_row, void *row, const char *what, ks_error *err,
                          const char *missing, ...) __attribute__((format(printf, 9, 10)));

/* Runs a list query already bound: calls read_row for each row into a
 * growing array of elem_size elements. */
ks_status store_collect(ks_store *st, sqlite3_stmt *s, size_t elem_size, store_reader read_row,
                        void **out, size_t *n, const char *what, ks_error *err);

/* store_collect over statement `which` with one integer parameter, id. */
ks_status store_list_by_id(ks_store *st, store_stmt which, int64_t id, size_t elem_size,
                           store_reader read_row, void **out, size_t *n, const char *what,
                           ks_error *err);

#endif
