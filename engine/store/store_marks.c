/* Store: a person's marks for answers that no question type scores (essays),
 * one per attempt and question, replaced when marked again. */
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
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? KS_OK : store_fail(st, "saving a mark", err);
}

static void read_mark(sqlite3_stmt *q, void *row)
{
    ks_mark *m = row;
    m->attempt_id = sqlite3_column_int64(q, 0);
    m->slot = sqlite3_column_int(q, 1);
    m->fraction = sqlite3_column_double(q, 2);
    m->grader = store_col_text(q, 3);
    m->comment = store_col_text(q, 4);
    m->marked_at = sqlite3_column_int64(q, 5);
}

ks_status ks_store_marks(ks_store *st, int64_t attempt_id, ks_mark **out, size_t *n,
                         ks_error *err)
{
    return store_list_by_id(st, Q_MARKS, attempt_id, sizeof **out, read_mark, (void **)out, n,
                            "reading marks", err);
}
