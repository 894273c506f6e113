/* Store: a person's marks for answers that no question type scores (essays)
 * and overrides of automatic scores, one per attempt and question, replaced
 * when marked again. */
#include "store/store_impl.h"

#include <stdlib.h>
#include <string.h>

void ks_mark_free(ks_mark *m)
{
    free(m->grader);
    free(m->comment);
    memset(m, 0, sizeof *m);
}

ks_status ks_store_mark_put(ks_store *st, const ks_mark *m, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_MARK_PUT, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, m->attempt_id);
    sqlite3_bind_int(q, 2, m->slot);
    sqlite3_bind_double(q, 3, m->fraction);
    store_bind_text(q, 4, m->grader);
    store_bind_text(q, 5, m->comment);
    sqlite3_bind_int64(q, 6, m->marked_at);
    sqlite3_bind_int(q, 7, m->override);
    return store_step_done(st, q, "saving a mark", err);
}

ks_status ks_store_mark_delete(ks_store *st, int64_t attempt_id, int slot, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_MARK_DELETE, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, attempt_id);
    sqlite3_bind_int(q, 2, slot);
    ks_status rc = store_step_done(st, q, "removing a mark", err);
    if (!rc && sqlite3_changes(st->db) == 0)
        rc = ks_error_set(err, KS_ENOTFOUND, "question %d of attempt %lld has no mark",
                          slot + 1, (long long)attempt_id);
    return rc;
}

ks_status ks_store_marks(ks_store *st, int64_t attempt_id, ks_mark **out, size_t *n,
                         ks_error *err)
{
    return store_list_by_id(st, Q_MARKS, attempt_id, sizeof **out, store_read_mark,
                            (void **)out, n, "reading marks", err);
}
