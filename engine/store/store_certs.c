/* The certificate register (see kaoshi/store_certs.h), on the store's
 * cached statements (their SQL is in store.c). Depends on SQLite and the
 * store's internals. */
#include "kaoshi/store_certs.h"

#include <stdlib.h>

#include "store/store_impl.h"

void ks_certificate_free(ks_certificate *c)
{
    free(c->number);
    free(c->payload);
    free(c->signature);
    free(c->public_key);
    free(c->revoke_reason);
}

ks_status ks_store_certificate_next_seq(ks_store *st, const char *code, int year, int64_t *seq,
                                        ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_CERT_NEXT_SEQ, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, code);
    sqlite3_bind_int(q, 2, year);
    ks_status rc = KS_OK;
    if (sqlite3_step(q) == SQLITE_ROW)
        *seq = sqlite3_column_int64(q, 0);
    else
        rc = store_fail(st, "numbering a certificate", err);
    sqlite3_reset(q);
    return rc;
}

ks_status ks_store_certificate_insert(ks_store *st, ks_certificate *c, const char *code, int year,
                                      int64_t seq, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_CERT_INSERT, err);
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
    sqlite3_reset(q);
    return status;
}

/* Reads the certificate that statement `which` finds by key (a number) or
 * else by id (an attempt's). */
static ks_status get_one(ks_store *st, store_stmt which, const char *key, int64_t id,
                         ks_certificate *out, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, which, err);
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
    sqlite3_reset(q);
    return status;
}

ks_status ks_store_certificate_get(ks_store *st, const char *number, ks_certificate *out,
                                   ks_error *err)
{
    return get_one(st, Q_CERT_BY_NUMBER, number, 0, out, err);
}

ks_status ks_store_certificate_of_attempt(ks_store *st, int64_t attempt_id, ks_certificate *out,
                                          ks_error *err)
{
    return get_one(st, Q_CERT_OF_ATTEMPT, NULL, attempt_id, out, err);
}

ks_status ks_store_certificate_revoke(ks_store *st, const char *number, int64_t at,
                                      const char *reason, ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_CERT_REVOKE, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, at);
    store_bind_text(q, 2, reason);
    store_bind_text(q, 3, number);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return store_fail(st, "revoking a certificate", err);
    if (sqlite3_changes(st->db) > 0)
        return KS_OK;
    /* nothing changed: no such certificate, or revoked already */
    ks_certificate c;
    ks_status status = ks_store_certificate_get(st, number, &c, err);
    if (!status) {
        ks_certificate_free(&c);
        status = ks_error_set(err, KS_ESTATE, "certificate %s is already revoked", number);
    }
    return status;
}
