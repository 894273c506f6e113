/* The register of issued certificates in the store: numbering, the signed
 * payloads and revocations. Implemented in engine/store/store_certs.c. */
#ifndef KAOSHI_STORE_CERTS_H
#define KAOSHI_STORE_CERTS_H

#include <stdint.h>

#include "kaoshi/store.h"

typedef struct ks_certificate {
    int64_t id, attempt_id, sitting_id;
    char *number;     /* "CCOM-WFMP-2027-000123" */
    char *payload;    /* the canonical JSON that was signed */
    char *signature;  /* Ed25519, base64 */
    char *public_key; /* the signer's, base64 */
    int64_t issued_at;
    int64_t revoked_at;  /* 0 while valid */
    char *revoke_reason; /* "" while valid */
    int64_t flagged_at;  /* when a regrade found its result no longer passes; 0 if not */
    char *flag_reason;   /* "" when not flagged */
} ks_certificate;

void ks_certificate_free(ks_certificate *c);

/* The next free sequence number for code and year (1, 2, ...). Call it in the
 * transaction that inserts the certificate, so no two get the same number. */
ks_status ks_store_certificate_next_seq(ks_store *st, const char *code, int year, int64_t *seq,
                                        ks_error *err);
/* Inserts c (c->id set). KS_ESTATE when the attempt already has a certificate
 * or the number is taken. */
ks_status ks_store_certificate_insert(ks_store *st, ks_certificate *c, const char *code, int year,
                                      int64_t seq, ks_error *err);
/* KS_ENOTFOUND when no certificate has this number / was issued for this attempt. */
ks_status ks_store_certificate_get(ks_store *st, const char *number, ks_certificate *out,
                                   ks_error *err);
ks_status ks_store_certificate_of_attempt(ks_store *st, int64_t attempt_id, ks_certificate *out,
                                          ks_error *err);
/* Marks a certificate revoked; KS_ENOTFOUND, or KS_ESTATE when it already is. */
ks_status ks_store_certificate_revoke(ks_store *st, const char *number, int64_t at,
                                      const char *reason, ks_error *err);

/* Flags certificate number for a proctor's attention (at > 0, with reason),
 * or clears its flag (at 0, reason ""); a flag never revokes.
 * KS_ENOTFOUND when no certificate has the number. */
ks_status ks_store_certificate_flag(ks_store *st, const char *number, int64_t at,
                                    const char *reason, ks_error *err);

#endif
