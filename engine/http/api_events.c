/* The long polls of pushed events: a candidate's page hears of its attempt's
 * extensions, pauses, resumes and end, and the proctor console of everything
 * audited in a sitting, as soon as the events hub (events.c) reads them from
 * the audit log. Routes and replies are documented in docs/api.md. */
#include <string.h>

#include "http/app.h"

/* How long a poll turned away because too many are waiting should wait
 * before it polls again. */
#define RETRY_MS 2000

/* The audit entries about their attempt a candidate is shown: the event's
 * action and the fields of the entry's detail it carries. */
static const struct {
    const char *audit, *action, *fields[2];
} candidate_actions[] = {
    {"attempt.extend", "extend", {"extra_ms", "deadline"}},
    {"attempt.pause", "pause", {NULL, NULL}},
    {"attempt.resume", "resume", {"paused_ms", NULL}},
    {"attempt.finish", "finish", {"reason", NULL}},
};

static json_t *event_head(const ks_audit_entry *e, const char *action)
{
    return json_pack("{sI sI ss}", "id", (json_int_t)e->id, "at", (json_int_t)e->at, "action",
                     action);
}

/* A candidate's event: never a note, nor anything of another attempt. */
static json_t *candidate_event(const ks_audit_entry *e, int64_t attempt_id)
{
    if (strcmp(e->action, "sitting.close") == 0) {
        json_t *ev = event_head(e, "finish");
        json_object_set_new(ev, "reason", json_string("closed"));
        return ev;
    }
    if (e->attempt_id != attempt_id)
        return NULL;
    for (size_t i = 0; i < sizeof candidate_actions / sizeof *candidate_actions; i++) {
        if (strcmp(e->action, candidate_actions[i].audit) != 0)
            continue;
        json_t *ev = event_head(e, candidate_actions[i].action);
        json_t *detail = json_loads(e->detail, 0, NULL);
        for (int k = 0; k < 2 && candidate_actions[i].fields[k]; k++) {
            const char *field = candidate_actions[i].fields[k];
            json_t *value = json_object_get(detail, field);
            if (value)
                json_object_set(ev, field, value);
        }
        json_decref(detail);
        return ev;
    }
    return NULL;
}

/* A proctor's event: every entry, its detail as the log holds it ({} for
 * none, the text itself when it is not JSON). */
static json_t *proctor_event(const ks_audit_entry *e, int64_t attempt_id)
{
    (void)attempt_id;
    json_t *detail = !*e->detail ? json_object() : json_loads(e->detail, JSON_DECODE_ANY, NULL);
    if (!detail)
        detail = json_string(e->detail);
    return json_pack("{sI sI ss ss so so so?}", "id", (json_int_t)e->id, "at",
                     (json_int_t)e->at, "actor", e->actor, "action", e->action, "attempt",
                     e->attempt_id ? json_integer((json_int_t)e->attempt_id) : json_null(),
                     "candidate", *e->candidate ? json_string(e->candidate) : json_null(),
                     "detail", detail);
}

/* The query's `after`: *after -1 when it is absent or empty; 0 after
 * replying 400 when it is no audit id. */
static int after_arg(http_req *r, int64_t *after)
{
    const char *text = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "after");
    *after = -1;
    if (!text || !*text)
        return 1;
    if ((*after = http_number(text, INT64_MAX)) < 0) {
        http_fail(r, 400, "invalid", "after 须为不带符号、不以 0 开头的整数");
        return 0;
    }
    return 1;
}

/* Starts the poll for the entries of sitting (about attempt, when not 0)
 * that event() shows: the reply to send now ({"cursor", "events"}), or NULL
 * when the poll waits or a reply is made. */
static json_t *poll_events(http_req *r, int64_t sitting, int64_t attempt, http_event_fn event,
                           void (*done)(http_req *r))
{
    int64_t after, newest;
    ks_error err;
    if (!after_arg(r, &after))
        return NULL;
    if (after < 0) { /* where to start from */
        if (ks_store_audit_newest(r->ctx->store, &newest, &err)) {
            http_fail_error(r, &err);
            return NULL;
        }
        return json_pack("{sI s[]}", "cursor", (json_int_t)newest, "events");
    }
    switch (http_events_wait(r->app->events, r, sitting, attempt, after, event, done)) {
    case HTTP_WAITING: break;
    case HTTP_WAITERS_FULL:
        return json_pack("{sI s[] si}", "cursor", (json_int_t)after, "events", "retry_ms",
                         RETRY_MS);
    case HTTP_EVENTS_STOPPING: http_fail(r, 503, "unavailable", "服务器正在停止，请稍后重试");
    }
    return NULL;
}

/* Completes a candidate's poll once the hub has answered it: adds "status",
 * the attempt's clock as GET /api/attempts/{id}/status gives it now. The
 * page was seen as the poll came; by now it may be gone (a closed tab), so
 * this is no sign of life. */
static void candidate_done(http_req *r)
{
    if (r->status != 200)
        return;
    json_t *reply = json_incref(r->out);
    r->not_alive = 1;
    r->ctx = http_pool_acquire(&r->app->pool);
    http_status(r);
    http_pool_release(&r->app->pool, r->ctx);
    r->ctx = NULL;
    if (r->status == 200) {
        json_object_set(reply, "status", r->out);
        http_reply(r, 200, reply);
    } else { /* the status's refusal */
        json_decref(reply);
    }
}

/* A proctor's poll is complete as the hub answers it. */
static void proctor_done(http_req *r)
{
    (void)r;
}

void http_attempt_events(http_req *r)
{
    http_status(r); /* refused exactly as the status is */
    if (r->status != 200)
        return;
    json_t *reply = poll_events(r, r->session.sitting_id, http_param_id(r, 0), candidate_event,
                                candidate_done);
    if (reply) {
        json_object_set(reply, "status", r->out);
        http_reply(r, 200, reply);
    }
}

void http_sitting_events(http_req *r)
{
    ks_sitting s;
    ks_error err;
    if (ks_store_sitting_get(r->ctx->store, r->params[0], &s, &err)) {
        http_fail_error(r, &err);
        return;
    }
    json_t *reply = poll_events(r, s.id, 0, proctor_event, proctor_done);
    if (reply)
        http_reply(r, 200, reply);
    ks_sitting_free(&s);
}
