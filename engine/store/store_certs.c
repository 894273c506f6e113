/* The certificate register (see kaoshi/store_certs.h), on the store's
 * cached statements (their SQL is in store_sql.c). Depends on SQLite and the
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
    free(c->flag_reason);
}

ks_status ks_store_certificate_next_seq(ks_store *st, const char *code, int year, int64_t *seq,
                                        ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_CERT_NEXT_SEQ, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, code);
    sqlite3_bind_int(q, 2, year);
    return store_row(st, q, sizeof *seq, store_read_int64, seq, "numbering a certificate", err,
                     NULL);
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
    ks_status rc = store_insert(st, q, "storing a certificate", err, KS_ESTATE,
                                "attempt %lld already has a certificate, or %s is taken",
                                (long long)c->attempt_id, c->number);
    if (!rc)
        c->id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

ks_status ks_store_certificate_get(ks_store *st, const char *number, ks_certificate *out,
                                   ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, Q_CERT_BY_NUMBER, err);
    if (!q)
        return KS_EIO;
    store_bind_text(q, 1, number);
    return store_row(st, q, sizeof *out, store_read_certificate, out, "reading a certificate",
                     err, "no certificate has the number %s", number);
}

ks_status ks_store_certificate_of_attempt(ks_store *st, int64_t attempt_id, ks_certificate *out,
                                          ks_error *err)
{
    return store_row_by_id(st, Q_CERT_OF_ATTEMPT, attempt_id, sizeof *out,
                           store_read_certificate, out, "reading a certificate", err,
                           "attempt %lld has no certificate", (long long)attempt_id);
}

/* Runs statement `which`, an UPDATE of certificate number's (at, reason):
 * KS_ENOTFOUND "no certificate has the number ..." when no row changed. */
static ks_status update_certificate(ks_store *st, store_stmt which, const char *number,
                                    int64_t at, const char *reason, const char *what,
                                    ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, which, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, at);
    store_bind_text(q, 2, reason);
    store_bind_text(q, 3, number);
    ks_status rc = store_step_done(st, q, what, err);
    if (!rc && sqlite3_changes(st->db) == 0)
        rc = ks_error_set(err, KS_ENOTFOUND, "no certificate has the number %s", number);
    return rc;
}

ks_status ks_store_certificate_flag(ks_store *st, const char *number, int64_t at,
                                    const char *reason, ks_error *err)
{
    return update_certificate(st, Q_CERT_FLAG, number, at, reason, "flagging a certificate",
                              err);
}

ks_status ks_store_certificate_revoke(ks_store *st, const char *number, int64_t at,
                                      const char *reason, ks_error *err)
{
    ks_status status = update_certificate(st, Q_CERT_REVOKE, number, at, reason,
                                          "revoking a certificate", err);
    if (status != KS_ENOTFOUND)
        return status;
    /* nothing changed: no such certificate, or revoked already */
    ks_certificate c;
    status = ks_store_certificate_get(st, number, &c, err);
    if (!status) {
        ks_certificate_free(&c);
        status = ks_error_set(err, KS_ESTATE, "certificate %s is already revoked", number);
    }
    return status;
}
