/* Certificates: issuing one, signed with the installation's Ed25519 key, for
 * every passed attempt of a sitting; verifying a certificate from the
 * register or as presented by someone else; revoking one. Every change is
 * audited. Implemented in engine/certificate.c. */
#ifndef KAOSHI_CERTIFICATE_H
#define KAOSHI_CERTIFICATE_H

#include "kaoshi/exam.h"
#include "kaoshi/sign.h"
#include "kaoshi/store_certs.h"

/* Issues a certificate to every candidate of the sitting whose graded result
 * is a pass, each numbered CODE-YYYY-NNNNNN (sequence per code and year of
 * the issue date, allocated in the transaction that stores it). The signed
 * payload is canonical JSON (compact, keys sorted):
 *   {"candidate":{"name","number"},"certification":{"code","issuer","role",
 *    "series","title"},"date":"YYYY-MM-DD","format":"kaoshi-certificate-1",
 *    "max_score","number","score"}
 * An attempt never gets a second certificate. issued gets one line per new
 * certificate ("NUMBER CANDIDATE NAME"); notes one line per attempt skipped
 * for a reason worth telling (not graded, waiting for a person's mark,
 * already certified). KS_ESTATE when the certification declares no
 * certificate title and issuer. */
ks_status ks_certificate_issue(ks_exam *x, const char *sitting, const ks_sign_key *key,
                               ks_diags *issued, ks_diags *notes, ks_error *err);

/* The document handed to the holder: {"certificate": payload object,
 * "signature": base64, "public_key": base64}, indented; malloc'd. */
ks_status ks_certificate_document(const ks_certificate *c, char **doc, ks_error *err);

typedef enum ks_verdict {
    KS_VERDICT_VALID,
    KS_VERDICT_UNKNOWN,  /* no such number in the register */
    KS_VERDICT_ALTERED,  /* the signature does not match the payload */
    KS_VERDICT_REVOKED
} ks_verdict;

typedef struct ks_verification {
    ks_verdict verdict;
    char reason[512];   /* for people, English; "" when valid */
    ks_certificate cert; /* the register's entry (zeroed when unknown) */
} ks_verification;

void ks_verification_free(ks_verification *v);

/* Verifies certificate number from the register, or (document not NULL) the
 * document someone presents: its signature by pk over the canonical form of
 * its payload, its agreement with the register and the revocation list. */
ks_status ks_certificate_verify(ks_store *st, const unsigned char pk[KS_SIGN_PUBLIC_BYTES],
                                const char *number, const char *document, ks_verification *v,
                                ks_error *err);

/* Revokes a certificate for reason (1 to KS_EXAM_MAX_NOTE bytes), audited as
 * x->actor. KS_ENOTFOUND, or KS_ESTATE when already revoked. */
ks_status ks_certificate_revoke(ks_exam *x, const char *number, const char *reason,
                                ks_error *err);

#endif
