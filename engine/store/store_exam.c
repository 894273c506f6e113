/* Store: sittings, their frozen sources, candidates and enrollments.
 * See include/kaoshi/store.h. */
#include "store/store_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ks_sitting_state_name(ks_sitting_state s)
{
    switch (s) {
    case KS_SITTING_DRAFT: return "draft";
    case KS_SITTING_OPEN: return "open";
    case KS_SITTING_CLOSED: return "closed";
    }
    return "?";
}

void ks_sitting_free(ks_sitting *s)
{
    free(s->name);
    free(s->code);
    free(s->script);
    free(s->sources_hash);
    memset(s, 0, sizeof *s);
}

static void read_sitting(sqlite3_stmt *q, void *row)
{
    ks_sitting *s = row;
    s->id = sqlite3_column_int64(q, 0);
    s->name = store_col_text(q, 1);
    s->code = store_col_text(q, 2);
    s->script = store_col_text(q, 3);
    s->opens_at = sqlite3_column_int64(q, 4);
    s->closes_at = sqlite3_column_int64(q, 5);
    s->tz_offset_min = sqlite3_column_int(q, 6);
    s->state = (ks_sitting_state)sqlite3_column_int(q, 7);
    s->sources_hash = store_col_text(q, 8);
    s->created_at = sqlite3_column_int64(q, 9);
    s->opened_at = sqlite3_column_int64(q, 10);
    s->closed_at = sqlite3_column_int64(q, 11);
    s->duration_ms = sqlite3_column_int64(q, 12);
    s->grace_ms = sqlite3_column_int64(q, 13);
}

ks_status ks_store_sitting_create(ks_store *st, ks_sitting *s, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SITTING_INSERT, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, s->name);
    store_bind_text(q, 2, s->code);
    store_bind_text(q, 3, s->script);
    sqlite3_bind_int64(q, 4, s->opens_at);
    sqlite3_bind_int64(q, 5, s->closes_at);
    sqlite3_bind_int(q, 6, s->tz_offset_min);
    sqlite3_bind_int64(q, 7, s->created_at);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_CONSTRAINT)
        return ks_error_set(err, KS_EINPUT, "a sitting named '%s' already exists", s->name);
    if (rc != SQLITE_DONE)
        return store_fail(st, "creating a sitting", err);
    s->id = sqlite3_last_insert_rowid(st->db);
    s->state = KS_SITTING_DRAFT;
    return KS_OK;
}

static ks_status sitting_one(ks_store *st, sqlite3_stmt *q, ks_sitting *out,
                             const char *missing, ks_error *err)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        read_sitting(q, out);
        sqlite3_reset(q);
        return KS_OK;
    }
    sqlite3_reset(q);
    if (rc == SQLITE_DONE)
        return ks_error_set(err, KS_ENOTFOUND, "%s", missing);
    return store_fail(st, "reading a sitting", err);
}

ks_status ks_store_sitting_get(ks_store *st, const char *name, ks_sitting *out, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SITTING_BY_NAME, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, name);
    char missing[300];
    snprintf(missing, sizeof missing, "no sitting named '%s'", name);
    return sitting_one(st, q, out, missing, err);
}

ks_status ks_store_sitting_by_id(ks_store *st, int64_t id, ks_sitting *out, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SITTING_BY_ID, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, id);
    return sitting_one(st, q, out, "no such sitting", err);
}

ks_status ks_store_sitting_list(ks_store *st, ks_sitting **out, size_t *n, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SITTING_LIST, err);
    if (!q)
        return KS_EIO;
    return store_collect(st, q, sizeof **out, read_sitting, (void **)out, n,
                         "listing sittings", err);
}

/* Runs a state-changing UPDATE; KS_ESTATE when no row was in the old state. */
static ks_status change_state(ks_store *st, sqlite3_stmt *q, const char *refusal,
                              ks_error *err)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return store_fail(st, "changing a sitting's state", err);
    if (sqlite3_changes(st->db) == 0)
        return ks_error_set(err, KS_ESTATE, "%s", refusal);
    return KS_OK;
}

ks_status ks_store_sitting_open(ks_store *st, int64_t id, int64_t at, const char *sources_hash,
                                int64_t duration_ms, int64_t grace_ms, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SITTING_OPEN, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, at);
    store_bind_text(q, 3, sources_hash);
    sqlite3_bind_int64(q, 4, duration_ms);
    sqlite3_bind_int64(q, 5, grace_ms);
    return change_state(st, q, "only a draft sitting can be opened", err);
}

ks_status ks_store_sitting_close(ks_store *st, int64_t id, int64_t at, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SITTING_CLOSE, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, at);
    return change_state(st, q, "only an open sitting can be closed", err);
}

ks_status ks_store_source_put(ks_store *st, int64_t sitting_id, const ks_source *src,
                              ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SOURCE_PUT, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, sitting_id);
    store_bind_text(q, 2, src->path);
    store_bind_text(q, 3, src->kind);
    sqlite3_bind_blob(q, 4, src->content, (int)src->len, SQLITE_TRANSIENT);
    store_bind_text(q, 5, src->sha256);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? KS_OK : store_fail(st, "freezing a source", err);
}

static void read_source(sqlite3_stmt *q, void *row)
{
    ks_source *s = row;
    s->path = store_col_text(q, 0);
    s->kind = store_col_text(q, 1);
    s->len = (size_t)sqlite3_column_bytes(q, 2);
    s->content = malloc(s->len + 1);
    if (s->content) {
        if (s->len)
            memcpy(s->content, sqlite3_column_blob(q, 2), s->len);
        s->content[s->len] = '\0';
    }
    s->sha256 = store_col_text(q, 3);
}

ks_status ks_store_sources(ks_store *st, int64_t sitting_id, ks_source **out, size_t *n,
                           ks_error *err)
{
    return store_list_by_id(st, Q_SOURCES, sitting_id, sizeof **out, read_source,
                            (void **)out, n, "reading frozen sources", err);
}

void ks_enrollment_free(ks_enrollment *e)
{
    free(e->number);
    free(e->name);
    free(e->access_hash);
    memset(e, 0, sizeof *e);
}

static void read_enrollment(sqlite3_stmt *q, void *row)
{
    ks_enrollment *e = row;
    e->sitting_id = sqlite3_column_int64(q, 0);
    e->candidate_id = sqlite3_column_int64(q, 1);
    e->number = store_col_text(q, 2);
    e->name = store_col_text(q, 3);
    e->access_hash = store_col_text(q, 4);
    e->enrolled_at = sqlite3_column_int64(q, 5);
}

static ks_status enroll_in_tx(ks_store *st, int64_t sitting_id, const char *number,
                              const char *name, const char *access_hash, int64_t at,
                              int64_t *candidate_id, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_CANDIDATE_UPSERT, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, number);
    store_bind_text(q, 2, name);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return store_fail(st, "saving a candidate", err);
    if (!(q = store_stmt_get(st, Q_CANDIDATE_ID, err)))
        return KS_EIO;
    store_bind_text(q, 1, number);
    rc = sqlite3_step(q);
    int64_t cid = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    if (!cid)
        return store_fail(st, "finding a candidate", err);
    if (!(q = store_stmt_get(st, Q_ENROLL, err)))
        return KS_EIO;
    sqlite3_bind_int64(q, 1, sitting_id);
    sqlite3_bind_int64(q, 2, cid);
    store_bind_text(q, 3, access_hash);
    sqlite3_bind_int64(q, 4, at);
    rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_CONSTRAINT)
        return ks_error_set(err, KS_EINPUT, "candidate %s is already enrolled", number);
    if (rc != SQLITE_DONE)
        return store_fail(st, "enrolling a candidate", err);
    if (candidate_id)
        *candidate_id = cid;
    return KS_OK;
}

ks_status ks_store_enroll(ks_store *st, int64_t sitting_id, const char *number,
                          const char *name, const char *access_hash, int64_t at,
                          int64_t *candidate_id, ks_error *err)
{
    int owned;
    ks_status rc = store_tx_begin(st, &owned, err);
    if (rc)
        return rc;
    rc = enroll_in_tx(st, sitting_id, number, name, access_hash, at, candidate_id, err);
    return store_tx_end(st, owned, rc, err);
}

ks_status ks_store_enrollment_get(ks_store *st, int64_t sitting_id, const char *number,
                                  ks_enrollment *out, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_ENROLLMENT_GET, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, sitting_id);
    store_bind_text(q, 2, number);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        read_enrollment(q, out);
    }
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return KS_OK;
    if (rc == SQLITE_DONE)
        return ks_error_set(err, KS_ENOTFOUND, "candidate %s is not enrolled in this sitting",
                            number);
    return store_fail(st, "reading an enrollment", err);
}

ks_status ks_store_enrollments(ks_store *st, int64_t sitting_id, ks_enrollment **out,
                               size_t *n, ks_error *err)
{
    return store_list_by_id(st, Q_ENROLLMENTS, sitting_id, sizeof **out, read_enrollment,
                            (void **)out, n, "listing enrollments", err);
}
