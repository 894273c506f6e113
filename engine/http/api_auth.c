/* Logging in and out: candidates by sitting, candidate number and access
 * code; proctors by name and password. Failed logins are rate-limited per
 * account and per client address; every login starts a new session. Routes
 * and replies are documented in docs/api.md. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "http/app.h"

/* Failed logins allowed per window (limiter.c) before a wait. */
#define ACCOUNT_LIMIT 5
#define CLIENT_LIMIT 50

/* Refuses (429) when the account or the client must wait; else 0. */
static int must_wait(http_req *r, const char *account, const char *client, int64_t now)
{
    int a = http_limiter_wait(r->app->limiter, account, now);
    int c = http_limiter_wait(r->app->limiter, client, now);
    r->retry_after = a > c ? a : c;
    if (!r->retry_after)
        return 0;
    char message[128];
    snprintf(message, sizeof message, "登录失败次数过多，请 %d 秒后再试", r->retry_after);
    http_reply(r, 429, json_pack("{ss ss si}", "error", "too_many", "message", message,
                                 "retry_after", r->retry_after));
    return 1;
}

static void count_failure(http_req *r, const char *account, const char *client, int64_t now)
{
    http_limiter_fail(r->app->limiter, account, ACCOUNT_LIMIT, now);
    http_limiter_fail(r->app->limiter, client, CLIENT_LIMIT, now);
}

static void reply_session(http_req *r)
{
    http_reply(r, 200, json_pack("{ss ss ss}", "kind", r->session.kind, "subject",
                                 r->session.subject, "csrf", r->session.csrf));
}

void http_login_candidate(http_req *r)
{
    const char *sitting = http_body_string(r, "sitting");
    const char *number = http_body_string(r, "number");
    const char *given = http_body_string(r, "code");
    if (!sitting || !number || !given || !*sitting || !*number || strlen(sitting) > 64 ||
        strlen(number) > 64 || strlen(given) > 32) {
        http_fail(r, 400, "invalid", "请填写考场、考生号和准入码");
        return;
    }
    char code[33];
    size_t n = 0;
    for (const char *p = given; *p; p++)
        if (!isspace((unsigned char)*p) && *p != '-')
            code[n++] = (char)toupper((unsigned char)*p);
    code[n] = '\0';
    char account[160], client[80];
    snprintf(account, sizeof account, "candidate:%s:%s", sitting, number);
    snprintf(client, sizeof client, "client:%s", r->client);
    int64_t now = ks_clock_now(r->app->cfg->clock);
    if (must_wait(r, account, client, now))
        return;
    ks_enrollment e;
    ks_error err;
    ks_status rc = ks_exam_candidate_check(&r->ctx->exam, sitting, number, code, &e, &err);
    if (rc == KS_EINPUT || rc == KS_ENOTFOUND) {
        count_failure(r, account, client, now);
        http_fail(r, 401, "credentials", "考场、考生号或准入码不正确");
        return;
    }
    if (rc) {
        http_fail_error(r, &err);
        return;
    }
    http_limiter_clear(r->app->limiter, account, now);
    if (http_session_start(r, "candidate", e.candidate_id, e.number, e.sitting_id, &err)) {
        http_fail_error(r, &err);
    } else {
        http_seen_mark(r->app->seen, HTTP_SEEN_LOGIN(e.candidate_id), now);
        reply_session(r);
    }
    ks_enrollment_free(&e);
}

void http_login_proctor(http_req *r)
{
    const char *name = http_body_string(r, "name");
    const char *password = http_body_string(r, "password");
    if (!name || !password || !*name || strlen(name) > 64 || strlen(password) > 1024) {
        http_fail(r, 400, "invalid", "请填写监考账号和密码");
        return;
    }
    char account[100], client[80];
    snprintf(account, sizeof account, "proctor:%s", name);
    snprintf(client, sizeof client, "client:%s", r->client);
    int64_t now = ks_clock_now(r->app->cfg->clock);
    if (must_wait(r, account, client, now))
        return;
    ks_error err;
    ks_proctor p;
    ks_status rc = ks_exam_proctor_check(&r->ctx->exam, name, password, &err);
    if (rc == KS_EINPUT) {
        count_failure(r, account, client, now);
        http_fail(r, 401, "credentials", "监考账号或密码不正确");
        return;
    }
    if (rc || (rc = ks_store_proctor_get(r->ctx->store, name, &p, &err))) {
        http_fail_error(r, &err);
        return;
    }
    http_limiter_clear(r->app->limiter, account, now);
    if (http_session_start(r, "proctor", p.id, p.name, 0, &err))
        http_fail_error(r, &err);
    else
        reply_session(r);
    ks_proctor_free(&p);
}

void http_logout(http_req *r)
{
    http_session_end(r);
    http_reply(r, 200, json_pack("{sb}", "ok", 1));
}

void http_session_info(http_req *r)
{
    reply_session(r);
}
