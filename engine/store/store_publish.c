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
    return store_insert(st, q, "publishing results", err, KS_ESTATE,
                        "the results are already published");
}

ks_status ks_store_published(ks_store *st, int64_t sitting_id, int64_t *at, ks_error *err)
{
    return store_row_by_id(st, Q_PUBLISHED, sitting_id, sizeof *at, store_read_int64, at,
                           "reading a publication", err, NULL);
}
