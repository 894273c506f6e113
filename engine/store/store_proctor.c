/* Store: proctor accounts, pause intervals and incident notes.
 * See include/kaoshi/store.h. */
#include "store/store_impl.h"

#include <stdlib.h>
#include <string.h>

void ks_proctor_free(ks_proctor *p)
{
    free(p->name);
    free(p->password_hash);
    memset(p, 0, sizeof *p);
}

ks_status ks_store_proctor_add(ks_store *st, const char *name, const char *password_hash,
                               int64_t at, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_PROCTOR_INSERT, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, name);
    store_bind_text(q, 2, password_hash);
    sqlite3_bind_int64(q, 3, at);
    return store_insert(st, q, "adding a proctor", err, KS_EINPUT,
                        "a proctor named '%s' already exists", name);
}

ks_status ks_store_proctor_get(ks_store *st, const char *name, ks_proctor *out, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_PROCTOR_GET, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, name);
    return store_row(st, q, sizeof *out, store_read_proctor, out, "reading a proctor", err,
                     "no proctor named '%s'", name);
}

ks_status ks_store_proctor_list(ks_store *st, ks_proctor **out, size_t *n, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_PROCTOR_LIST, err);
    if (!q)
        return KS_EIO;
    return store_collect(st, q, sizeof **out, store_read_proctor, (void **)out, n,
                         "listing proctors", err);
}

ks_status ks_store_pause_begin(ks_store *st, int64_t attempt_id, int64_t at, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_PAUSE_BEGIN, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, attempt_id);
    sqlite3_bind_int64(q, 2, at);
    return store_insert(st, q, "pausing an attempt", err, KS_ESTATE,
                        "attempt %lld is already paused", (long long)attempt_id);
}

ks_status ks_store_pause_end(ks_store *st, int64_t attempt_id, int64_t at, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_PAUSE_END, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, attempt_id);
    sqlite3_bind_int64(q, 2, at);
    ks_status rc = store_step_done(st, q, "resuming an attempt", err);
    if (!rc && sqlite3_changes(st->db) == 0)
        return ks_error_set(err, KS_ESTATE, "attempt %lld is not paused", (long long)attempt_id);
    return rc;
}

void ks_note_free(ks_note *n)
{
    free(n->author);
    free(n->text);
    memset(n, 0, sizeof *n);
}

ks_status ks_store_note_add(ks_store *st, int64_t sitting_id, int64_t attempt_id, int64_t at,
                            const char *author, const char *text, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_NOTE_INSERT, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, sitting_id);
    sqlite3_bind_int64(q, 2, attempt_id);
    sqlite3_bind_int64(q, 3, at);
    store_bind_text(q, 4, author);
    store_bind_text(q, 5, text);
    return store_step_done(st, q, "adding a note", err);
}

ks_status ks_store_notes(ks_store *st, int64_t sitting_id, ks_note **out, size_t *n,
                         ks_error *err)
{
    return store_list_by_id(st, Q_NOTES, sitting_id, sizeof **out, store_read_note,
                            (void **)out, n, "reading notes", err);
}
