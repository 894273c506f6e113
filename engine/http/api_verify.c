/* Public verification of certificates: anyone may ask whether a certificate
 * number is valid, and hears only what the certificate itself states (never
 * the candidate's number), or that it was revoked (with the reason and the
 * date), or that it is unknown or fails its signature. Lookups are counted
 * per client address, so the register cannot be walked through quickly.
 * Routes and replies are documented in docs/api.md. */
#include <stdio.h>
#include <string.h>

#include "http/app.h"
#include "kaoshi/certificate.h"

/* Lookups one address may make per limiter window (limiter.c: 5 minutes). */
#define LOOKUP_LIMIT 60
#define MAX_NUMBER 128

static void set_string(json_t *o, const char *key, json_t *from, const char *field)
{
    json_t *v = json_object_get(from, field);
    if (json_is_string(v))
        json_object_set(o, key, v);
}

/* The certificate's own statements, flat, for a valid one. */
static json_t *stated(const ks_certificate *c)
{
    json_t *p = json_loads(c->payload, 0, NULL);
    json_t *candidate = json_object_get(p, "candidate");
    json_t *cert = json_object_get(p, "certification");
    json_t *out = json_pack("{sb ss}", "valid", 1, "status", "valid");
    set_string(out, "number", p, "number");
    set_string(out, "name", candidate, "name");
    set_string(out, "title", cert, "title");
    set_string(out, "series", cert, "series");
    set_string(out, "role", cert, "role");
    set_string(out, "code", cert, "code");
    set_string(out, "issuer", cert, "issuer");
    set_string(out, "date", p, "date");
    if (json_is_number(json_object_get(p, "score")) &&
        json_is_number(json_object_get(p, "max_score"))) {
        json_object_set(out, "score", json_object_get(p, "score"));
        json_object_set(out, "max_score", json_object_get(p, "max_score"));
    }
    char fp[KS_SIGN_FINGERPRINT];
    if (ks_sign_signature_fingerprint(c->signature, fp) == 0)
        json_object_set_new(out, "fingerprint", json_string(fp));
    json_decref(p);
    return out;
}

/* The revocation: its reason and its date in the sitting's zone. */
static json_t *revoked(http_req *r, const ks_certificate *c, ks_error *err)
{
    ks_sitting s;
    if (ks_store_sitting_by_id(r->ctx->store, c->sitting_id, &s, err))
        return NULL;
    char when[KS_TIME_BUF];
    ks_time_format(c->revoked_at, s.tz_offset_min, when);
    when[10] = '\0'; /* the date: "YYYY-MM-DD" */
    ks_sitting_free(&s);
    return json_pack("{sb ss ss ss ss}", "valid", 0, "status", "revoked", "number", c->number,
                     "reason", c->revoke_reason, "revoked_on", when);
}

void http_verify(http_req *r)
{
    const http_config *cfg = r->app->cfg;
    char key[80];
    snprintf(key, sizeof key, "verify:%s", r->client);
    int64_t now = ks_clock_now(cfg->clock);
    r->retry_after = http_limiter_wait(r->app->limiter, key, now);
    if (r->retry_after) {
        char message[128];
        snprintf(message, sizeof message, "查询过于频繁，请 %d 秒后再试", r->retry_after);
        http_reply(r, 429, json_pack("{ss ss si}", "error", "too_many", "message", message,
                                     "retry_after", r->retry_after));
        return;
    }
    http_limiter_fail(r->app->limiter, key, LOOKUP_LIMIT, now);
    const char *number = r->params[0];
    if (!cfg->public_key) {
        http_fail(r, 503, "unavailable", "本服务器未配置证书验证");
        return;
    }
    if (strlen(number) > MAX_NUMBER) {
        http_reply(r, 200, json_pack("{sb ss}", "valid", 0, "status", "unknown"));
        return;
    }
    ks_verification v;
    ks_error err;
    if (ks_certificate_verify(r->ctx->store, cfg->public_key, number, NULL, &v, &err)) {
        http_fail_error(r, &err);
        return;
    }
    json_t *reply = NULL;
    switch (v.verdict) {
    case KS_VERDICT_VALID: reply = stated(&v.cert); break;
    case KS_VERDICT_REVOKED: reply = revoked(r, &v.cert, &err); break;
    case KS_VERDICT_ALTERED:
        reply = json_pack("{sb ss ss}", "valid", 0, "status", "invalid", "number", number);
        break;
    case KS_VERDICT_UNKNOWN:
        reply = json_pack("{sb ss ss}", "valid", 0, "status", "unknown", "number", number);
        break;
    }
    if (reply)
        http_reply(r, 200, reply);
    else
        http_fail_error(r, &err);
    ks_verification_free(&v);
}
