/* The aids a certification permits, for the candidate's page: the "aids"
 * object of /api/me and /api/attempts/{id}, and the audit of their use
 * (POST /api/attempts/{id}/aids: the page's on-screen calculator reports
 * its first calculation of each page load; recorded once per attempt).
 * Documented in docs/api.md. */
#include "http/app.h"

json_t *http_aids_json(http_ctx *c, const ks_sitting *s)
{
    ks_cert *cert;
    ks_cert_aids aids;
    if (s->state == KS_SITTING_DRAFT || http_ctx_cert(c, s, &cert, NULL) ||
        ks_cert_aids_get(cert, &aids, NULL))
        return json_null();
    json_t *out = ks_cert_aids_json(&aids);
    ks_cert_aids_free(&aids);
    return out ? out : json_null();
}

/* Replies to a use the lifecycle refused: an aid the certification does not
 * permit (400, the detail in English for API clients), or an attempt that
 * is not running (409): paused when a (read before) was, else ended. */
static void refused(http_req *r, const ks_attempt *a, const ks_error *err)
{
    if (err->code == KS_EINPUT)
        http_reply(r, 400, json_pack("{ss ss ss}", "error", "invalid", "message",
                                     "本场考试不允许使用该辅助工具", "detail", err->message));
    else if (err->code != KS_ESTATE)
        http_fail_error(r, err);
    else if (a->paused_at)
        http_fail(r, 409, "paused", "考试已被监考老师暂停");
    else
        http_fail(r, 409, "ended", "考试已结束");
}

void http_aid_used(http_req *r)
{
    const char *aid = http_body_string(r, "aid");
    ks_attempt a;
    ks_sitting s;
    ks_cert *cert;
    ks_error err;
    if (!http_own_attempt(r, &a, &s))
        return; /* replied */
    if (!aid)
        http_fail(r, 400, "invalid", "请求须含 aid（辅助工具，如 \"calculator\"）");
    else if (http_ctx_cert(r->ctx, &s, &cert, &err))
        http_fail_error(r, &err);
    else if (ks_exam_aid_used(&r->ctx->exam, cert, a.id, aid, &err))
        refused(r, &a, &err);
    else
        http_reply(r, 200, json_pack("{ss}", "aid", aid));
    ks_sitting_free(&s);
    ks_attempt_free(&a);
}
