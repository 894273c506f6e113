/* Store: the publication of a sitting's results to its candidates, once. */
#include "store/store_impl.h"

ks_status ks_store_publish(ks_store *st, int64_t sitting_id, int64_t at, const char *actor,
                           ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_PUBLISH, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, sitting_id);
    sqlite3_bind_int64(q, 2, at);
    store_bind_text(q, 3, actor);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_CONSTRAINT)
        return ks_error_set(err, KS_ESTATE, "the results are already published");
    return rc == SQLITE_DONE ? KS_OK : store_fail(st, "publishing results", err);
}

ks_status ks_store_published(ks_store *st, int64_t sitting_id, int64_t *at, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_PUBLISHED, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, sitting_id);
    int rc = sqlite3_step(q);
    *at = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? KS_OK
                                                 : store_fail(st, "reading a publication", err);
}
