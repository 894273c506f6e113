/* Store: what the web front end keeps (sessions, flagged questions) and the
 * answer summaries its pages show. See include/kaoshi/store.h. */
#include "store/store_impl.h"

#include <stdlib.h>
#include <string.h>

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
    return store_step_done(st, q, "saving a session", err);
}

ks_status ks_store_session_get(ks_store *st, const char *token_hash, ks_session *out,
                               ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SESSION_GET, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, token_hash);
    return store_row(st, q, sizeof *out, store_read_session, out, "reading a session", err,
                     "no such session");
}

ks_status ks_store_session_delete(ks_store *st, const char *token_hash, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SESSION_DELETE, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, token_hash);
    return store_step_done(st, q, "deleting a session", err);
}

ks_status ks_store_sessions_expire(ks_store *st, int64_t now, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SESSIONS_EXPIRE, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, now);
    return store_step_done(st, q, "deleting expired sessions", err);
}

ks_status ks_store_flag_set(ks_store *st, int64_t attempt_id, int slot, int flagged,
                            ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, flagged ? Q_FLAG_ON : Q_FLAG_OFF, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, attempt_id);
    sqlite3_bind_int(q, 2, slot);
    return store_step_done(st, q, "flagging a question", err);
}

ks_status ks_store_flags(ks_store *st, int64_t attempt_id, int **slots, size_t *n,
                         ks_error *err)
{
    return store_list_by_id(st, Q_FLAGS, attempt_id, sizeof **slots, store_read_int,
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
    return store_row(st, q, sizeof *seq, store_read_int64, seq, "reading answers", err, NULL);
}

ks_status ks_store_answer_counts(ks_store *st, int64_t sitting_id, ks_answer_count **out,
                                 size_t *n, ks_error *err)
{
    return store_list_by_id(st, Q_ANSWER_COUNTS, sitting_id, sizeof **out,
                            store_read_answer_count, (void **)out, n, "counting answers", err);
}
