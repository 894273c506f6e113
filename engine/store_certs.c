/* The certificate register (see kaoshi/store_certs.h). Its statements run
 * rarely (issuing, verifying, revoking), so each is prepared per call.
 * Depends on SQLite and the store's internals. */
#include "kaoshi/store_certs.h"

#include <stdio.h>
#include <stdlib.h>

#include "store_impl.h"

#define CERT_COLUMNS                                                                      \
    "SELECT id, attempt_id, sitting_id, number, payload, signature, public_key,"          \
    " issued_at, revoked_at, revoke_reason FROM certificates"

void ks_certificate_free(ks_certificate *c)
{
    free(c->number);
    free(c->payload);
    free(c->signature);
    free(c->public_key);
    free(c->revoke_reason);
}

static sqlite3_stmt *prepare(ks_store *st, const char *sql, ks_error *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) {
        store_fail(st, "preparing a certificate query", err);
        sqlite3_finalize(q);
        return NULL;
    }
    return q;
}

ks_status ks_store_certificate_next_seq(ks_store *st, const char *code, int year, int64_t *seq,
                                        ks_error *err)
{
    sqlite3_stmt *q = prepare(st,
                              "SELECT coalesce(max(seq), 0) + 1 FROM certificates"
                              " WHERE code = ? AND year = ?",
                              err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, code);
    sqlite3_bind_int(q, 2, year);
    ks_status rc = KS_OK;
    if (sqlite3_step(q) == SQLITE_ROW)
        *seq = sqlite3_column_int64(q, 0);
    else
        rc = store_fail(st, "numbering a certificate", err);
    sqlite3_finalize(q);
    return rc;
}

ks_status ks_store_certificate_insert(ks_store *st, ks_certificate *c, const char *code, int year,
                                      int64_t seq, ks_error *err)
{
    sqlite3_stmt *q = prepare(st,
                              "INSERT INTO certificates (number, attempt_id, sitting_id, code,"
                              " year, seq, payload, signature, public_key, issued_at)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, c->number);
    sqlite3_bind_int64(q, 2, c->attempt_id);
    sqlite3_bind_int64(q, 3, c->sitting_id);
    store_bind_text(q, 4, code);
    sqlite3_bind_int(q, 5, year);
    sqlite3_bind_int64(q, 6, seq);
    store_bind_text(q, 7, c->payload);
    store_bind_text(q, 8, c->signature);
    store_bind_text(q, 9, c->public_key);
    sqlite3_bind_int64(q, 10, c->issued_at);
    int rc = sqlite3_step(q);
    ks_status status = KS_OK;
    if (rc == SQLITE_DONE)
        c->id = sqlite3_last_insert_rowid(st->db);
    else if (sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_UNIQUE)
        status = ks_error_set(err, KS_ESTATE,
                              "attempt %lld already has a certificate, or %s is taken",
                              (long long)c->attempt_id, c->number);
    else
        status = store_fail(st, "storing a certificate", err);
    sqlite3_finalize(q);
    return status;
}

static ks_status get_one(ks_store *st, const char *where, const char *key, int64_t id,
                         ks_certificate *out, ks_error *err)
{
    char sql[512];
    snprintf(sql, sizeof sql, "%s WHERE %s = ?", CERT_COLUMNS, where);
    sqlite3_stmt *q = prepare(st, sql, err);
    if (!q)
        return KS_EIO;
    if (key)
        store_bind_text(q, 1, key);
    else
        sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    ks_status status = KS_OK;
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(q, 0);
        out->attempt_id = sqlite3_column_int64(q, 1);
        out->sitting_id = sqlite3_column_int64(q, 2);
        out->number = store_col_text(q, 3);
        out->payload = store_col_text(q, 4);
        out->signature = store_col_text(q, 5);
        out->public_key = store_col_text(q, 6);
        out->issued_at = sqlite3_column_int64(q, 7);
        out->revoked_at = sqlite3_column_int64(q, 8);
        out->revoke_reason = store_col_text(q, 9);
    } else if (rc == SQLITE_DONE) {
        status = key ? ks_error_set(err, KS_ENOTFOUND, "no certificate has the number %s", key)
                     : ks_error_set(err, KS_ENOTFOUND, "attempt %lld has no certificate",
                                    (long long)id);
    } else {
        status = store_fail(st, "reading a certificate", err);
    }
    sqlite3_finalize(q);
    return status;
}

ks_status ks_store_certificate_get(ks_store *st, const char *number, ks_certificate *out,
                                   ks_error *err)
{
    return get_one(st, "number", number, 0, out, err);
}

ks_status ks_store_certificate_of_attempt(ks_store *st, int64_t attempt_id, ks_certificate *out,
                                          ks_error *err)
{
    return get_one(st, "attempt_id", NULL, attempt_id, out, err);
}

ks_status ks_store_certificate_revoke(ks_store *st, const char *number, int64_t at,
                                      const char *reason, ks_error *err)
{
    sqlite3_stmt *q = prepare(st,
                              "UPDATE certificates SET revoked_at = ?, revoke_reason = ?"
                              " WHERE number = ? AND revoked_at = 0",
                              err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, at);
    store_bind_text(q, 2, reason);
    store_bind_text(q, 3, number);
    ks_status status = KS_OK;
    if (sqlite3_step(q) != SQLITE_DONE)
        status = store_fail(st, "revoking a certificate", err);
    else if (sqlite3_changes(st->db) == 0) {
        ks_certificate c;
        status = ks_store_certificate_get(st, number, &c, err);
        if (!status) {
            ks_certificate_free(&c);
            status = ks_error_set(err, KS_ESTATE, "certificate %s is already revoked", number);
        }
    }
    sqlite3_finalize(q);
    return status;
}
