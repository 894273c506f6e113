/* Store: attempts, answer saves, results and the audit log.
 * See include/kaoshi/store.h. */
#include "store/store_impl.h"

#include <stdlib.h>
#include <string.h>

void ks_attempt_free(ks_attempt *a)
{
    free(a->code);
    free(a->form);
    free(a->finish_reason);
    free(a->receipt);
    memset(a, 0, sizeof *a);
}

ks_status ks_store_attempt_insert(ks_store *st, ks_attempt *a, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_ATTEMPT_INSERT, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, a->sitting_id);
    sqlite3_bind_int64(q, 2, a->candidate_id);
    store_bind_text(q, 3, a->code);
    sqlite3_bind_int(q, 4, a->number);
    sqlite3_bind_int64(q, 5, (int64_t)a->seed);
    store_bind_text(q, 6, a->form);
    sqlite3_bind_int64(q, 7, a->started_at);
    sqlite3_bind_int64(q, 8, a->deadline_at);
    sqlite3_bind_int64(q, 9, a->accommodation_ms);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        a->id = sqlite3_column_int64(q, 0);
        a->nslots = (size_t)sqlite3_column_int64(q, 1);
        rc = sqlite3_step(q);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return store_duplicate(st)
                   ? ks_error_set(err, KS_ESTATE, "attempt %d already exists", a->number)
                   : store_fail(st, "starting an attempt", err);
    a->state = KS_ATTEMPT_ACTIVE;
    return KS_OK;
}

ks_status ks_store_attempt_get(ks_store *st, int64_t id, ks_attempt *out, ks_error *err)
{
    return store_row_by_id(st, Q_ATTEMPT_GET, id, sizeof *out, store_read_attempt, out,
                           "reading an attempt", err, "no attempt %lld", (long long)id);
}

ks_status ks_store_attempt_owner(ks_store *st, int64_t id, int64_t *candidate_id,
                                 int64_t *sitting_id, ks_error *err)
{
    ks_attempt owner;
    ks_status rc = store_row_by_id(st, Q_ATTEMPT_OWNER, id, sizeof owner,
                                   store_read_attempt_owner, &owner, "reading an attempt", err,
                                   "no attempt %lld", (long long)id);
    *candidate_id = owner.candidate_id;
    *sitting_id = owner.sitting_id;
    return rc;
}

ks_status ks_store_attempts_of(ks_store *st, int64_t candidate_id, const char *code,
                               ks_attempt **out, size_t *n, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_ATTEMPTS_OF, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, candidate_id);
    store_bind_text(q, 2, code);
    return store_collect(st, q, sizeof **out, store_read_attempt, (void **)out, n,
                         "listing attempts", err);
}

ks_status ks_store_attempts_in(ks_store *st, int64_t sitting_id, ks_attempt **out,
                               size_t *n, ks_error *err)
{
    return store_list_by_id(st, Q_ATTEMPTS_IN, sitting_id, sizeof **out, store_read_attempt,
                            (void **)out, n, "listing attempts", err);
}

ks_status ks_store_attempts_due(ks_store *st, int64_t sitting_id, int64_t before,
                                ks_attempt **out, size_t *n, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_ATTEMPTS_DUE, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, sitting_id);
    sqlite3_bind_int64(q, 2, before);
    return store_collect(st, q, sizeof **out, store_read_attempt, (void **)out, n,
                         "listing attempts", err);
}

/* Runs an UPDATE of one active attempt; KS_ESTATE when it was not active. */
static ks_status update_active(ks_store *st, sqlite3_stmt *q, int64_t id, const char *what,
                               ks_error *err)
{
    ks_status rc = store_step_done(st, q, what, err);
    if (!rc && sqlite3_changes(st->db) == 0)
        return ks_error_set(err, KS_ESTATE, "attempt %lld is already finished", (long long)id);
    return rc;
}

ks_status ks_store_attempt_finish(ks_store *st, int64_t id, int64_t at, const char *reason,
                                  ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_ATTEMPT_FINISH, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, at);
    store_bind_text(q, 3, reason);
    return update_active(st, q, id, "finishing an attempt", err);
}

ks_status ks_store_attempt_extend(ks_store *st, int64_t id, int64_t extra_ms,
                                  int64_t new_deadline, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_ATTEMPT_EXTEND, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, extra_ms);
    sqlite3_bind_int64(q, 3, new_deadline);
    return update_active(st, q, id, "extending an attempt", err);
}

void ks_answer_free(ks_answer *a)
{
    free(a->response);
    memset(a, 0, sizeof *a);
}

ks_status ks_store_answer_by_key(ks_store *st, int64_t attempt_id, const char *client_key,
                                 int64_t *seq, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_ANSWER_BY_KEY, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, attempt_id);
    store_bind_text(q, 2, client_key);
    int64_t found;
    ks_status rc = store_row(st, q, sizeof found, store_read_int64, &found, "reading answers",
                             err, "no save with this key");
    if (seq)
        *seq = found;
    return rc;
}

ks_status ks_store_answer_save(ks_store *st, int64_t attempt_id, int slot,
                               const char *response, int64_t at, const char *client_key,
                               int64_t *seq, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_ANSWER_INSERT, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, attempt_id);
    sqlite3_bind_int(q, 2, slot);
    store_bind_text(q, 3, response);
    sqlite3_bind_int64(q, 4, at);
    store_bind_text(q, 5, client_key);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_DONE) {
        if (seq)
            *seq = sqlite3_last_insert_rowid(st->db);
        return KS_OK;
    }
    if (!store_duplicate(st))
        return store_fail(st, "saving an answer", err);
    /* the client key is stored already (it is the only unique column): a
     * retried save, answered with the seq of the save that was kept. Should
     * there be none, the insert's failure is the one to report. */
    ks_error insert_failure;
    store_fail(st, "saving an answer", &insert_failure);
    ks_status found = ks_store_answer_by_key(st, attempt_id, client_key, seq, err);
    if (found != KS_ENOTFOUND)
        return found;
    if (err)
        *err = insert_failure;
    return insert_failure.code;
}

ks_status ks_store_answers_latest(ks_store *st, int64_t attempt_id, ks_answer **out,
                                  size_t *n, ks_error *err)
{
    return store_list_by_id(st, Q_ANSWERS_LATEST, attempt_id, sizeof **out, store_read_answer,
                            (void **)out, n, "reading answers", err);
}

void ks_result_free(ks_result *r)
{
    free(r->detail);
    memset(r, 0, sizeof *r);
}

ks_status ks_store_result_put(ks_store *st, const ks_result *r, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_RESULT_PUT, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, r->attempt_id);
    sqlite3_bind_double(q, 2, r->score);
    sqlite3_bind_double(q, 3, r->max_score);
    sqlite3_bind_int(q, 4, r->passed);
    store_bind_text(q, 5, r->detail);
    sqlite3_bind_int64(q, 6, r->graded_at);
    sqlite3_bind_int(q, 7, r->version);
    return store_step_done(st, q, "saving a result", err);
}

ks_status ks_store_result_change_put(ks_store *st, const ks_result_change *c, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_CHANGE_PUT, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, c->attempt_id);
    sqlite3_bind_int(q, 2, c->version);
    sqlite3_bind_int64(q, 3, c->at);
    sqlite3_bind_double(q, 4, c->score_before);
    sqlite3_bind_double(q, 5, c->max_before);
    sqlite3_bind_int(q, 6, c->passed_before);
    sqlite3_bind_double(q, 7, c->score_after);
    sqlite3_bind_double(q, 8, c->max_after);
    sqlite3_bind_int(q, 9, c->passed_after);
    return store_step_done(st, q, "recording a changed result", err);
}

ks_status ks_store_result_changes(ks_store *st, int64_t sitting_id, ks_result_change **out,
                                  size_t *n, ks_error *err)
{
    return store_list_by_id(st, Q_CHANGES, sitting_id, sizeof **out, store_read_result_change,
                            (void **)out, n, "reading changed results", err);
}

ks_status ks_store_result_get(ks_store *st, int64_t attempt_id, ks_result *out, ks_error *err)
{
    return store_row_by_id(st, Q_RESULT_GET, attempt_id, sizeof *out, store_read_result, out,
                           "reading a result", err, "attempt %lld has no result yet",
                           (long long)attempt_id);
}

ks_status ks_store_audit(ks_store *st, int64_t at, const char *actor, const char *action,
                         int64_t sitting_id, int64_t attempt_id, const char *detail,
                         ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_AUDIT_INSERT, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, at);
    store_bind_text(q, 2, actor);
    store_bind_text(q, 3, action);
    sqlite3_bind_int64(q, 4, sitting_id);
    sqlite3_bind_int64(q, 5, attempt_id);
    store_bind_text(q, 6, detail ? detail : "");
    return store_step_done(st, q, "writing the audit log", err);
}

void ks_audit_entry_free(ks_audit_entry *e)
{
    free(e->actor);
    free(e->action);
    free(e->detail);
    free(e->candidate);
    memset(e, 0, sizeof *e);
}

ks_status ks_store_audit_list(ks_store *st, int64_t sitting_id, ks_audit_entry **out,
                              size_t *n, ks_error *err)
{
    return store_list_by_id(st, Q_AUDIT_LIST, sitting_id, sizeof **out, store_read_audit_entry,
                            (void **)out, n, "reading the audit log", err);
}

ks_status ks_store_audit_newest(ks_store *st, int64_t *id, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_AUDIT_NEWEST, err);
    if (!q)
        return KS_EIO;
    return store_row(st, q, sizeof *id, store_read_int64, id, "reading the audit log", err,
                     NULL);
}

ks_status ks_store_audit_after(ks_store *st, int64_t sitting_id, int64_t attempt_id,
                               int64_t after_id, int limit, ks_audit_entry **out, size_t *n,
                               ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, sitting_id ? Q_AUDIT_OF_SITTING_AFTER : Q_AUDIT_AFTER,
                                     err);
    if (!q)
        return KS_EIO;
    if (sitting_id) {
        sqlite3_bind_int64(q, 1, sitting_id);
        sqlite3_bind_int64(q, 2, after_id);
        sqlite3_bind_int64(q, 3, attempt_id);
        sqlite3_bind_int(q, 4, limit);
    } else {
        sqlite3_bind_int64(q, 1, after_id);
        sqlite3_bind_int(q, 2, limit);
    }
    return store_collect(st, q, sizeof **out, store_read_audit_entry, (void **)out, n,
                         "reading the audit log", err);
}
