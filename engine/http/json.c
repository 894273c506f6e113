/* JSON pieces several handlers reply with (see engine/http/app.h). */
#include "http/app.h"

json_t *http_sitting_json(http_ctx *c, const ks_sitting *s)
{
    ks_cert *cert = NULL;
    ks_error err;
    const ks_cert_info *info = NULL;
    if (s->state != KS_SITTING_DRAFT && http_ctx_cert(c, s, &cert, &err) == KS_OK)
        info = ks_cert_info_of(cert);
    return json_pack("{ss ss ss ss sI sI si sI sI ss}", "name", s->name, "code", s->code,
                     "title", info ? info->title : s->code, "state",
                     ks_sitting_state_name(s->state), "opens_at", (json_int_t)s->opens_at,
                     "closes_at", (json_int_t)s->closes_at, "tz_offset_min", s->tz_offset_min,
                     "duration_ms", (json_int_t)s->duration_ms, "grace_ms",
                     (json_int_t)s->grace_ms, "review", info ? info->review : "none");
}

static const char *attempt_state(const ks_attempt *a)
{
    if (a->state != KS_ATTEMPT_ACTIVE)
        return "finished";
    return a->paused_at ? "paused" : "running";
}

json_t *http_attempt_json(http_ctx *c, const ks_attempt *a)
{
    int64_t now = ks_clock_now(c->exam.clock);
    return json_pack("{sI ss ss sI sI sI}", "id", (json_int_t)a->id, "state", attempt_state(a),
                     "finish_reason", a->finish_reason, "server_now", (json_int_t)now,
                     "deadline", (json_int_t)a->deadline_at, "time_left_ms",
                     (json_int_t)ks_exam_time_left(a, now));
}
