/* Store: sittings, their frozen sources, candidates and enrollments.
 * See include/kaoshi/store.h. */
#include "store/store_impl.h"

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
    ks_status rc = store_insert(st, q, "creating a sitting", err, KS_EINPUT,
                                "a sitting named '%s' already exists", s->name);
    if (rc)
        return rc;
    s->id = sqlite3_last_insert_rowid(st->db);
    s->state = KS_SITTING_DRAFT;
    return KS_OK;
}

ks_status ks_store_sitting_get(ks_store *st, const char *name, ks_sitting *out, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SITTING_BY_NAME, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, name);
    return store_row(st, q, sizeof *out, store_read_sitting, out, "reading a sitting", err,
                     "no sitting named '%s'", name);
}

ks_status ks_store_sitting_by_id(ks_store *st, int64_t id, ks_sitting *out, ks_error *err)
{
    return store_row_by_id(st, Q_SITTING_BY_ID, id, sizeof *out, store_read_sitting, out,
                           "reading a sitting", err, "no such sitting");
}

ks_status ks_store_sitting_list(ks_store *st, ks_sitting **out, size_t *n, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SITTING_LIST, err);
    if (!q)
        return KS_EIO;
    return store_collect(st, q, sizeof **out, store_read_sitting, (void **)out, n,
                         "listing sittings", err);
}

/* Runs a state-changing UPDATE; KS_ESTATE when no row was in the old state. */
static ks_status change_state(ks_store *st, sqlite3_stmt *q, const char *refusal,
                              ks_error *err)
{
    ks_status rc = store_step_done(st, q, "changing a sitting's state", err);
    if (!rc && sqlite3_changes(st->db) == 0)
        return ks_error_set(err, KS_ESTATE, "%s", refusal);
    return rc;
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

ks_status ks_store_source_put(ks_store *st, int64_t sitting_id, int version,
                              const ks_source *src, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SOURCE_PUT, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, sitting_id);
    sqlite3_bind_int(q, 2, version);
    store_bind_text(q, 3, src->path);
    store_bind_text(q, 4, src->kind);
    sqlite3_bind_blob(q, 5, src->content, (int)src->len, SQLITE_TRANSIENT);
    store_bind_text(q, 6, src->sha256);
    return store_step_done(st, q, "freezing a source", err);
}

ks_status ks_store_sources(ks_store *st, int64_t sitting_id, int version, ks_source **out,
                           size_t *n, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SOURCES, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, sitting_id);
    sqlite3_bind_int(q, 2, version);
    return store_collect(st, q, sizeof **out, store_read_source, (void **)out, n,
                         "reading frozen sources", err);
}

void ks_sitting_version_free(ks_sitting_version *v)
{
    free(v->sources_hash);
    free(v->actor);
    free(v->reason);
    memset(v, 0, sizeof *v);
}

ks_status ks_store_version_add(ks_store *st, const ks_sitting_version *v, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_VERSION_INSERT, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, v->sitting_id);
    sqlite3_bind_int(q, 2, v->version);
    store_bind_text(q, 3, v->sources_hash);
    sqlite3_bind_int64(q, 4, v->at);
    store_bind_text(q, 5, v->actor);
    store_bind_text(q, 6, v->reason);
    return store_insert(st, q, "recording a version", err, KS_ESTATE,
                        "the sitting already has version %d", v->version);
}

ks_status ks_store_versions(ks_store *st, int64_t sitting_id, ks_sitting_version **out,
                            size_t *n, ks_error *err)
{
    return store_list_by_id(st, Q_VERSIONS, sitting_id, sizeof **out, store_read_version,
                            (void **)out, n, "reading a sitting's versions", err);
}

ks_status ks_store_sitting_amend(ks_store *st, int64_t id, int version, const char *sources_hash,
                                 ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_SITTING_AMEND, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int(q, 2, version);
    store_bind_text(q, 3, sources_hash);
    return change_state(st, q, "the sitting is a draft, or was amended meanwhile", err);
}

void ks_enrollment_free(ks_enrollment *e)
{
    free(e->number);
    free(e->name);
    free(e->access_hash);
    memset(e, 0, sizeof *e);
}

static ks_status enroll_in_tx(ks_store *st, int64_t sitting_id, const char *number,
                              const char *name, const char *access_hash,
                              const ks_accommodation *time, int64_t at, int64_t *candidate_id,
                              ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_CANDIDATE_UPSERT, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, number);
    store_bind_text(q, 2, name);
    ks_status rc = store_step_done(st, q, "saving a candidate", err);
    if (rc)
        return rc;
    if (!(q = store_stmt_get(st, Q_CANDIDATE_ID, err)))
        return KS_EIO;
    store_bind_text(q, 1, number);
    int64_t cid; /* the candidate was just saved, so the query finds one */
    if ((rc = store_row(st, q, sizeof cid, store_read_int64, &cid, "finding a candidate", err,
                        NULL)))
        return rc;
    if (!(q = store_stmt_get(st, Q_ENROLL, err)))
        return KS_EIO;
    sqlite3_bind_int64(q, 1, sitting_id);
    sqlite3_bind_int64(q, 2, cid);
    store_bind_text(q, 3, access_hash);
    sqlite3_bind_int64(q, 4, at);
    sqlite3_bind_int64(q, 5, time ? time->extra_ms : 0);
    sqlite3_bind_int(q, 6, time ? time->factor_pct : 100);
    if ((rc = store_insert(st, q, "enrolling a candidate", err, KS_EINPUT,
                           "candidate %s is already enrolled", number)))
        return rc;
    if (candidate_id)
        *candidate_id = cid;
    return KS_OK;
}

ks_status ks_store_enroll(ks_store *st, int64_t sitting_id, const char *number,
                          const char *name, const char *access_hash,
                          const ks_accommodation *time, int64_t at, int64_t *candidate_id,
                          ks_error *err)
{
    int owned;
    ks_status rc = store_tx_begin(st, &owned, err);
    if (rc)
        return rc;
    rc = enroll_in_tx(st, sitting_id, number, name, access_hash, time, at, candidate_id, err);
    return store_tx_end(st, owned, rc, err);
}

ks_status ks_store_accommodation_set(ks_store *st, int64_t sitting_id, int64_t candidate_id,
                                     const ks_accommodation *time, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_ACCOMMODATE, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, sitting_id);
    sqlite3_bind_int64(q, 2, candidate_id);
    sqlite3_bind_int64(q, 3, time->extra_ms);
    sqlite3_bind_int(q, 4, time->factor_pct);
    ks_status rc = store_step_done(st, q, "changing an accommodation", err);
    if (!rc && sqlite3_changes(st->db) == 0)
        rc = ks_error_set(err, KS_ENOTFOUND, "the candidate is not enrolled in this sitting");
    return rc;
}

ks_status ks_store_enrollment_get(ks_store *st, int64_t sitting_id, const char *number,
                                  ks_enrollment *out, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_ENROLLMENT_GET, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, sitting_id);
    store_bind_text(q, 2, number);
    return store_row(st, q, sizeof *out, store_read_enrollment, out, "reading an enrollment",
                     err, "candidate %s is not enrolled in this sitting", number);
}

ks_status ks_store_enrollments(ks_store *st, int64_t sitting_id, ks_enrollment **out,
                               size_t *n, ks_error *err)
{
    return store_list_by_id(st, Q_ENROLLMENTS, sitting_id, sizeof **out,
                            store_read_enrollment, (void **)out, n, "listing enrollments", err);
}
