/* Store: what the web front end keeps (sessions, flagged questions) and the
 * answer summaries its pages show. See include/kaoshi/store.h. */
#include "store/store_impl.h"

#include <stdlib.h>
#include <string.h>

/* Runs a bound statement that returns no rows. */
static ks_status step_done(ks_store *st, sqlite3_stmt *q, const char *what, ks_error *err)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? KS_OK : store_fail(st, what, err);
}

void ks_session_free(ks_session *s)
{
    free(s->token_hash);
    free(s->kind);
    free(s->subject);
    free(s->csrf);
    memset(s, 0, sizeof *s);
}

ks_status ks_store_session_put(ks_store *st, const ks_session *s, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SESSION_PUT, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, s->token_hash);
    store_bind_text(q, 2, s->kind);
    sqlite3_bind_int64(q, 3, s->subject_id);
    store_bind_text(q, 4, s->subject);
    sqlite3_bind_int64(q, 5, s->sitting_id);
    store_bind_text(q, 6, s->csrf);
    sqlite3_bind_int64(q, 7, s->created_at);
    sqlite3_bind_int64(q, 8, s->expires_at);
    return step_done(st, q, "saving a session", err);
}

ks_status ks_store_session_get(ks_store *st, const char *token_hash, ks_session *out,
                               ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SESSION_GET, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, token_hash);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->token_hash = store_col_text(q, 0);
        out->kind = store_col_text(q, 1);
        out->subject_id = sqlite3_column_int64(q, 2);
        out->subject = store_col_text(q, 3);
        out->sitting_id = sqlite3_column_int64(q, 4);
        out->csrf = store_col_text(q, 5);
        out->created_at = sqlite3_column_int64(q, 6);
        out->expires_at = sqlite3_column_int64(q, 7);
    }
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return KS_OK;
    if (rc == SQLITE_DONE)
        return ks_error_set(err, KS_ENOTFOUND, "no such session");
    return store_fail(st, "reading a session", err);
}

ks_status ks_store_session_delete(ks_store *st, const char *token_hash, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SESSION_DELETE, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, token_hash);
    return step_done(st, q, "deleting a session", err);
}

ks_status ks_store_sessions_expire(ks_store *st, int64_t now, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SESSIONS_EXPIRE, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, now);
    return step_done(st, q, "deleting expired sessions", err);
}

ks_status ks_store_flag_set(ks_store *st, int64_t attempt_id, int slot, int flagged,
                            ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, flagged ? Q_FLAG_ON : Q_FLAG_OFF, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, attempt_id);
    sqlite3_bind_int(q, 2, slot);
    return step_done(st, q, "flagging a question", err);
}

static void read_slot(sqlite3_stmt *q, void *row)
{
    *(int *)row = sqlite3_column_int(q, 0);
}

ks_status ks_store_flags(ks_store *st, int64_t attempt_id, int **slots, size_t *n,
                         ks_error *err)
{
    return store_list_by_id(st, Q_FLAGS, attempt_id, sizeof **slots, read_slot,
                            (void **)slots, n, "reading flags", err);
}

ks_status ks_store_answer_last_seq(ks_store *st, int64_t attempt_id, int slot, int64_t *seq,
                                   ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_ANSWER_LAST_SEQ, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, attempt_id);
    sqlite3_bind_int(q, 2, slot);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *seq = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    return rc == SQLITE_ROW ? KS_OK : store_fail(st, "reading answers", err);
}

static void read_count(sqlite3_stmt *q, void *row)
{
    ks_answer_count *c = row;
    c->attempt_id = sqlite3_column_int64(q, 0);
    c->answered = sqlite3_column_int(q, 1);
    c->last_saved_at = sqlite3_column_int64(q, 2);
}

ks_status ks_store_answer_counts(ks_store *st, int64_t sitting_id, ks_answer_count **out,
                                 size_t *n, ks_error *err)
{
    return store_list_by_id(st, Q_ANSWER_COUNTS, sitting_id, sizeof **out, read_count,
                            (void **)out, n, "counting answers", err);
}
