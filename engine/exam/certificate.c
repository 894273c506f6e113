/* Issuing, verifying and revoking certificates (see kaoshi/certificate.h).
 * Depends on the store, the lifecycle's internals, jansson (canonical JSON:
 * compact, keys sorted, UTF-8 as is) and the signing key module. */
#include "kaoshi/certificate.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exam/exam_impl.h"
#include "kaoshi/cert.h"
#include "kaoshi/fileset.h"

#define FORMAT "kaoshi-certificate-1"
#define CANONICAL (JSON_COMPACT | JSON_SORT_KEYS)

/* The calendar date of ms in the zone tz_offset_min east of UTC. */
static void local_date(int64_t ms, int tz_offset_min, int *year, char out[11])
{
    time_t t = (time_t)(ms / 1000) + (time_t)tz_offset_min * 60;
    struct tm tm;
    gmtime_r(&t, &tm);
    *year = tm.tm_year + 1900;
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static void set_opt(json_t *o, const char *key, const char *value)
{
    if (value)
        json_object_set_new(o, key, json_string(value));
}

/* The canonical payload of one certificate, malloc'd. */
static char *payload_of(const ks_cert_info *info, const char *number, const ks_enrollment *e,
                        const char *date, const ks_result *r)
{
    json_t *cert = json_pack("{ss ss}", "code", info->code, "title", info->cert_title);
    set_opt(cert, "issuer", info->cert_issuer);
    set_opt(cert, "role", info->cert_role);
    set_opt(cert, "series", info->cert_series);
    json_t *p = json_pack("{ss ss s{ss ss} so ss sf sf}", "format", FORMAT, "number", number,
                          "candidate", "number", e->number, "name", e->name, "certification",
                          cert, "date", date, "score", round(r->score * 100) / 100,
                          "max_score", round(r->max_score * 100) / 100);
    char *text = p ? json_dumps(p, CANONICAL) : NULL;
    json_decref(p);
    return text;
}

static const ks_enrollment *enrollee(const ks_enrollment *list, size_t n, int64_t candidate_id)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].candidate_id == candidate_id)
            return &list[i];
    return NULL;
}

/* Issues the certificate of one passed attempt in its own transaction. */
static ks_status issue_one(ks_exam *x, const ks_sitting *s, const ks_cert_info *info,
                           const ks_sign_key *key, const ks_attempt *a, const ks_enrollment *e,
                           const ks_result *r, ks_diags *issued, ks_error *err)
{
    int64_t now = ks_clock_now(x->clock);
    int year;
    char date[11], number[128], sig[KS_SIGN_TEXT], pk[KS_SIGN_PUBLIC_TEXT];
    local_date(now, s->tz_offset_min, &year, date);
    int64_t seq = 0;
    ks_status rc = ks_store_begin(x->store, err);
    if (rc)
        return rc;
    rc = ks_store_certificate_next_seq(x->store, info->code, year, &seq, err);
    char *payload = NULL;
    if (!rc) {
        snprintf(number, sizeof number, "%s-%04d-%06lld", info->code, year, (long long)seq);
        payload = payload_of(info, number, e, date, r);
        if (!payload)
            rc = ks_error_set(err, KS_EINTERNAL, "out of memory building a certificate");
    }
    if (!rc) {
        ks_sign_message(key, payload, strlen(payload), sig);
        ks_sign_public_text(key->pk, pk);
        ks_certificate c = {.attempt_id = a->id, .sitting_id = s->id, .number = number,
                            .payload = payload, .signature = sig, .public_key = pk,
                            .issued_at = now};
        rc = ks_store_certificate_insert(x->store, &c, info->code, year, seq, err);
    }
    if (!rc)
        rc = exam_audit(x, "certificate.issue", s->id, a->id,
                        json_pack("{ss ss}", "number", number, "candidate", e->number), err);
    free(payload);
    rc = exam_finish_tx(x, rc, err);
    if (!rc)
        ks_diags_add(issued, "%s %s %s", number, e->number, e->name);
    return rc;
}

/* Issues for one attempt when its result is a final pass; notes why not
 * otherwise (a fail needs no note). */
static ks_status consider(ks_exam *x, const ks_sitting *s, const ks_cert_info *info,
                          const ks_sign_key *key, const ks_attempt *a, const ks_enrollment *e,
                          ks_diags *issued, ks_diags *notes, ks_error *err)
{
    ks_certificate have;
    ks_status rc = ks_store_certificate_of_attempt(x->store, a->id, &have, err);
    if (rc == KS_OK) {
        ks_diags_add(notes, "%s: attempt %lld already has certificate %s", e->number,
                     (long long)a->id, have.number);
        ks_certificate_free(&have);
        return KS_OK;
    }
    if (rc != KS_ENOTFOUND)
        return rc;
    ks_result r = {0};
    rc = ks_store_result_get(x->store, a->id, &r, err);
    if (rc == KS_ENOTFOUND) {
        if (a->state == KS_ATTEMPT_FINISHED)
            ks_diags_add(notes, "%s: attempt %lld is not graded yet (run 'kaoshi grade %s')",
                         e->number, (long long)a->id, s->name);
        return KS_OK;
    }
    if (rc)
        return rc;
    if (r.version != s->version)
        ks_diags_add(notes, "%s: attempt %lld was graded with version %d of the sitting, "
                     "which is now at version %d (run 'kaoshi grade %s')",
                     e->number, (long long)a->id, r.version, s->version, s->name);
    else if (r.passed < 0)
        ks_diags_add(notes, "%s: attempt %lld waits for a person's mark; no certificate yet",
                     e->number, (long long)a->id);
    else if (r.passed > 0)
        rc = issue_one(x, s, info, key, a, e, &r, issued, err);
    ks_result_free(&r);
    return rc;
}

ks_status ks_certificate_issue(ks_exam *x, const char *sitting, const ks_sign_key *key,
                               ks_diags *issued, ks_diags *notes, ks_error *err)
{
    ks_sitting s = {0};
    ks_status rc = ks_exam_opened_sitting(x, sitting, &s, err);
    if (rc)
        return rc;
    ks_fileset *fs = NULL;
    ks_cert *cert = NULL;
    ks_attempt *attempts = NULL;
    ks_enrollment *people = NULL;
    size_t na = 0, np = 0;
    rc = ks_exam_frozen_cert(x, &s, &fs, &cert, err);
    const ks_cert_info *info = cert ? ks_cert_info_of(cert) : NULL;
    if (!rc && (!info->cert_title || !info->cert_issuer))
        rc = ks_error_set(err, KS_ESTATE,
                          "certification %s declares no certificate table with a title and "
                          "an issuer",
                          info->code);
    if (!rc)
        rc = ks_store_attempts_in(x->store, s.id, &attempts, &na, err);
    if (!rc)
        rc = ks_store_enrollments(x->store, s.id, &people, &np, err);
    for (size_t i = 0; !rc && i < na; i++) {
        const ks_enrollment *e = enrollee(people, np, attempts[i].candidate_id);
        if (!e)
            rc = ks_error_set(err, KS_EINTERNAL, "attempt %lld has no enrolled candidate",
                              (long long)attempts[i].id);
        else
            rc = consider(x, &s, info, key, &attempts[i], e, issued, notes, err);
    }
    for (size_t i = 0; i < na; i++)
        ks_attempt_free(&attempts[i]);
    free(attempts);
    for (size_t i = 0; i < np; i++)
        ks_enrollment_free(&people[i]);
    free(people);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_sitting_free(&s);
    return rc;
}

ks_status ks_certificate_document(const ks_certificate *c, char **doc, ks_error *err)
{
    json_t *payload = json_loads(c->payload, 0, NULL);
    json_t *d = payload ? json_pack("{so ss ss}", "certificate", payload, "signature",
                                    c->signature, "public_key", c->public_key)
                        : NULL;
    *doc = d ? json_dumps(d, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
    json_decref(d);
    if (!*doc)
        return ks_error_set(err, KS_EINTERNAL, "certificate %s: unreadable payload", c->number);
    return KS_OK;
}

void ks_verification_free(ks_verification *v)
{
    ks_certificate_free(&v->cert);
}

static ks_verdict verdict(ks_verification *v, ks_verdict which, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static ks_verdict verdict(ks_verification *v, ks_verdict which, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->reason, sizeof v->reason, fmt, ap);
    va_end(ap);
    return v->verdict = which;
}

/* Reads a presented document: the canonical form of its payload, its number
 * and its signature (all malloc'd). 0 when well formed. */
static int read_document(const char *document, char **canonical, char **number, char **sig)
{
    json_t *d = json_loads(document, 0, NULL);
    json_t *p = json_object_get(d, "certificate");
    const char *n = json_string_value(json_object_get(p, "number"));
    const char *s = json_string_value(json_object_get(d, "signature"));
    int ok = json_is_object(p) && n && s;
    if (ok) {
        *canonical = json_dumps(p, CANONICAL);
        *number = strdup(n);
        *sig = strdup(s);
        ok = *canonical && *number && *sig;
    }
    json_decref(d);
    return ok ? 0 : -1;
}

ks_status ks_certificate_verify(ks_store *st, const unsigned char pk[KS_SIGN_PUBLIC_BYTES],
                                const char *number, const char *document, ks_verification *v,
                                ks_error *err)
{
    memset(v, 0, sizeof *v);
    char *canonical = NULL, *doc_number = NULL, *sig = NULL;
    if (document) {
        if (read_document(document, &canonical, &doc_number, &sig) != 0) {
            free(canonical);
            free(doc_number);
            free(sig);
            return ks_error_set(err, KS_EINPUT,
                                "not a certificate document (expected {\"certificate\": {...,"
                                " \"number\": ...}, \"signature\": ...})");
        }
        number = doc_number;
    }
    ks_status rc = ks_store_certificate_get(st, number, &v->cert, err);
    if (rc == KS_ENOTFOUND) {
        rc = KS_OK;
        memset(&v->cert, 0, sizeof v->cert);
        verdict(v, KS_VERDICT_UNKNOWN, "no certificate numbered %s was issued here", number);
    } else if (!rc) {
        const char *text = document ? canonical : v->cert.payload;
        const char *signature = document ? sig : v->cert.signature;
        if (!ks_sign_check(pk, text, strlen(text), signature))
            verdict(v, KS_VERDICT_ALTERED,
                    "the signature does not match the certificate's contents: it was altered "
                    "or not signed with this installation's key");
        else if (strcmp(text, v->cert.payload) != 0)
            verdict(v, KS_VERDICT_ALTERED, "the certificate differs from the register's");
        else if (v->cert.revoked_at)
            verdict(v, KS_VERDICT_REVOKED, "revoked: %s", v->cert.revoke_reason);
        else
            v->verdict = KS_VERDICT_VALID;
    }
    free(canonical);
    free(doc_number);
    free(sig);
    return rc;
}

ks_status ks_certificate_revoke(ks_exam *x, const char *number, const char *reason,
                                ks_error *err)
{
    ks_status rc = exam_text_check("the reason", reason, 1, err);
    if (rc)
        return rc;
    ks_certificate c = {0};
    if ((rc = ks_store_begin(x->store, err)))
        return rc;
    rc = ks_store_certificate_get(x->store, number, &c, err);
    if (!rc)
        rc = ks_store_certificate_revoke(x->store, number, ks_clock_now(x->clock), reason, err);
    if (!rc)
        rc = exam_audit(x, "certificate.revoke", c.sitting_id, c.attempt_id,
                        json_pack("{ss ss}", "number", number, "reason", reason), err);
    ks_certificate_free(&c);
    return exam_finish_tx(x, rc, err);
}
