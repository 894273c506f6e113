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
    memset(a, 0, sizeof *a);
}

static void read_attempt(sqlite3_stmt *q, void *row)
{
    ks_attempt *a = row;
    a->id = sqlite3_column_int64(q, 0);
    a->sitting_id = sqlite3_column_int64(q, 1);
    a->candidate_id = sqlite3_column_int64(q, 2);
    a->code = store_col_text(q, 3);
    a->number = sqlite3_column_int(q, 4);
    a->seed = (uint64_t)sqlite3_column_int64(q, 5);
    a->form = store_col_text(q, 6);
    a->started_at = sqlite3_column_int64(q, 7);
    a->deadline_at = sqlite3_column_int64(q, 8);
    a->finished_at = sqlite3_column_int64(q, 9);
    a->extra_ms = sqlite3_column_int64(q, 10);
    a->state = (ks_attempt_state)sqlite3_column_int(q, 11);
    a->finish_reason = store_col_text(q, 12);
    a->paused_at = sqlite3_column_int64(q, 13);
    a->nslots = (size_t)sqlite3_column_int64(q, 14);
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
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        a->id = sqlite3_column_int64(q, 0);
        a->nslots = (size_t)sqlite3_column_int64(q, 1);
        rc = sqlite3_step(q);
    }
    sqlite3_reset(q);
    if (rc == SQLITE_CONSTRAINT)
        return ks_error_set(err, KS_ESTATE, "attempt %d already exists", a->number);
    if (rc != SQLITE_DONE)
        return store_fail(st, "starting an attempt", err);
    a->state = KS_ATTEMPT_ACTIVE;
    return KS_OK;
}

ks_status ks_store_attempt_get(ks_store *st, int64_t id, ks_attempt *out, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_ATTEMPT_GET, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        read_attempt(q, out);
    }
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return KS_OK;
    if (rc == SQLITE_DONE)
        return ks_error_set(err, KS_ENOTFOUND, "no attempt %lld", (long long)id);
    return store_fail(st, "reading an attempt", err);
}

ks_status ks_store_attempt_owner(ks_store *st, int64_t id, int64_t *candidate_id,
                                 int64_t *sitting_id, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_ATTEMPT_OWNER, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *candidate_id = sqlite3_column_int64(q, 0);
        *sitting_id = sqlite3_column_int64(q, 1);
    }
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return KS_OK;
    if (rc == SQLITE_DONE)
        return ks_error_set(err, KS_ENOTFOUND, "no attempt %lld", (long long)id);
    return store_fail(st, "reading an attempt", err);
}

ks_status ks_store_attempts_of(ks_store *st, int64_t candidate_id, const char *code,
                               ks_attempt **out, size_t *n, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_ATTEMPTS_OF, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, candidate_id);
    store_bind_text(q, 2, code);
    return store_collect(st, q, sizeof **out, read_attempt, (void **)out, n,
                         "listing attempts", err);
}

ks_status ks_store_attempts_in(ks_store *st, int64_t sitting_id, ks_attempt **out,
                               size_t *n, ks_error *err)
{
    return store_list_by_id(st, Q_ATTEMPTS_IN, sitting_id, sizeof **out, read_attempt,
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
    return store_collect(st, q, sizeof **out, read_attempt, (void **)out, n,
                         "listing attempts", err);
}

/* Runs an UPDATE of one active attempt; KS_ESTATE when it was not active. */
static ks_status update_active(ks_store *st, sqlite3_stmt *q, int64_t id, const char *what,
                               ks_error *err)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return store_fail(st, what, err);
    if (sqlite3_changes(st->db) == 0)
        return ks_error_set(err, KS_ESTATE, "attempt %lld is already finished", (long long)id);
    return KS_OK;
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
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW && seq)
        *seq = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return KS_OK;
    if (rc == SQLITE_DONE)
        return ks_error_set(err, KS_ENOTFOUND, "no save with this key");
    return store_fail(st, "reading answers", err);
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
    if (rc != SQLITE_CONSTRAINT || !client_key)
        return store_fail(st, "saving an answer", err);
    /* a retried save: report the seq of the save that was kept */
    ks_status found = ks_store_answer_by_key(st, attempt_id, client_key, seq, err);
    return found == KS_ENOTFOUND ? store_fail(st, "saving an answer", err) : found;
}

static void read_answer(sqlite3_stmt *q, void *row)
{
    ks_answer *a = row;
    a->slot = sqlite3_column_int(q, 0);
    a->response = store_col_text(q, 1);
    a->saved_at = sqlite3_column_int64(q, 2);
    a->seq = sqlite3_column_int64(q, 3);
}

ks_status ks_store_answers_latest(ks_store *st, int64_t attempt_id, ks_answer **out,
                                  size_t *n, ks_error *err)
{
    return store_list_by_id(st, Q_ANSWERS_LATEST, attempt_id, sizeof **out, read_answer,
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
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? KS_OK : store_fail(st, "saving a result", err);
}

ks_status ks_store_result_get(ks_store *st, int64_t attempt_id, ks_result *out, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_RESULT_GET, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, attempt_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->attempt_id = sqlite3_column_int64(q, 0);
        out->score = sqlite3_column_double(q, 1);
        out->max_score = sqlite3_column_double(q, 2);
        out->passed = sqlite3_column_int(q, 3);
        out->detail = store_col_text(q, 4);
        out->graded_at = sqlite3_column_int64(q, 5);
    }
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return KS_OK;
    if (rc == SQLITE_DONE)
        return ks_error_set(err, KS_ENOTFOUND, "attempt %lld has no result yet",
                            (long long)attempt_id);
    return store_fail(st, "reading a result", err);
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
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? KS_OK : store_fail(st, "writing the audit log", err);
}

void ks_audit_entry_free(ks_audit_entry *e)
{
    free(e->actor);
    free(e->action);
    free(e->detail);
    memset(e, 0, sizeof *e);
}

static void read_audit(sqlite3_stmt *q, void *row)
{
    ks_audit_entry *e = row;
    e->id = sqlite3_column_int64(q, 0);
    e->at = sqlite3_column_int64(q, 1);
    e->actor = store_col_text(q, 2);
    e->action = store_col_text(q, 3);
    e->sitting_id = sqlite3_column_int64(q, 4);
    e->attempt_id = sqlite3_column_int64(q, 5);
    e->detail = store_col_text(q, 6);
}

ks_status ks_store_audit_list(ks_store *st, int64_t sitting_id, ks_audit_entry **out,
                              size_t *n, ks_error *err)
{
    return store_list_by_id(st, Q_AUDIT_LIST, sitting_id, sizeof **out, read_audit,
                            (void **)out, n, "reading the audit log", err);
}
