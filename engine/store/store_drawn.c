/* Store: forms drawn ahead of a start (include/kaoshi/store.h, "forms drawn
 * ahead"): stored per enrolled candidate, read and forgotten by the start,
 * and the count of enrolled candidates still without one; the kept view of
 * an attempt's questions. */
#include <stdlib.h>

#include "store/store_impl.h"

void ks_drawn_form_free(ks_drawn_form *d)
{
    free(d->history);
    free(d->form);
    free(d->view);
    d->history = d->form = d->view = NULL;
}

ks_status ks_store_drawn_put(ks_store *st, const ks_drawn_form *d, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_DRAWN_PUT, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, d->sitting_id);
    sqlite3_bind_int64(q, 2, d->candidate_id);
    sqlite3_bind_int(q, 3, d->version);
    store_bind_text(q, 4, d->history);
    sqlite3_bind_int64(q, 5, (int64_t)d->seed);
    store_bind_text(q, 6, d->form);
    store_bind_text(q, 7, d->view);
    sqlite3_bind_int64(q, 8, d->drawn_at);
    return store_step_done(st, q, "storing a form drawn ahead", err);
}

/* Binds the two ids of a candidate in a sitting to q, or returns NULL. */
static sqlite3_stmt *candidate_stmt(ks_store *st, store_stmt which, int64_t sitting_id,
                                    int64_t candidate_id, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, which, err);
    if (q) {
        sqlite3_bind_int64(q, 1, sitting_id);
        sqlite3_bind_int64(q, 2, candidate_id);
    }
    return q;
}

ks_status ks_store_drawn_get(ks_store *st, int64_t sitting_id, int64_t candidate_id,
                             ks_drawn_form *out, ks_error *err)
{
    sqlite3_stmt *q = candidate_stmt(st, Q_DRAWN_GET, sitting_id, candidate_id, err);
    if (!q)
        return KS_EIO;
    return store_row(st, q, sizeof *out, store_read_drawn_form, out,
                     "reading a form drawn ahead", err, "no form drawn ahead");
}

ks_status ks_store_drawn_delete(ks_store *st, int64_t sitting_id, int64_t candidate_id,
                                ks_error *err)
{
    sqlite3_stmt *q = candidate_stmt(st, Q_DRAWN_DELETE, sitting_id, candidate_id, err);
    if (!q)
        return KS_EIO;
    return store_step_done(st, q, "forgetting a form drawn ahead", err);
}

ks_status ks_store_undrawn_count(ks_store *st, int64_t sitting_id, int version, size_t *n,
                                 ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_UNDRAWN_COUNT, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, sitting_id);
    sqlite3_bind_int(q, 2, version);
    int64_t count = 0;
    ks_status rc = store_row(st, q, sizeof count, store_read_int64, &count,
                             "counting the forms to draw ahead", err, NULL);
    *n = (size_t)count;
    return rc;
}

ks_status ks_store_attempt_view_put(ks_store *st, int64_t attempt_id, int version,
                                    const char *view, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_VIEW_PUT, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, attempt_id);
    sqlite3_bind_int(q, 2, version);
    store_bind_text(q, 3, view);
    return store_step_done(st, q, "keeping an attempt's view", err);
}

/* The version and view columns of a Q_VIEW_GET row. */
typedef struct kept_view {
    int version;
    char *view;
} kept_view;

static void read_view(sqlite3_stmt *q, void *row)
{
    kept_view *v = row;
    v->version = sqlite3_column_int(q, 0);
    v->view = store_col_text(q, 1);
}

ks_status ks_store_attempt_view_get(ks_store *st, int64_t attempt_id, int *version, char **view,
                                    ks_error *err)
{
    kept_view v;
    ks_status rc = store_row_by_id(st, Q_VIEW_GET, attempt_id, sizeof v, read_view, &v,
                                   "reading an attempt's view", err, "no view kept");
    *version = rc ? 0 : v.version;
    *view = rc ? NULL : v.view;
    return rc;
}
