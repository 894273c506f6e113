/* The web server's core: libmicrohttpd set up with a pool of worker threads
 * and connection limits, each request read (bounded), checked (route, path
 * parameters, content type, origin, session, CSRF) and dispatched to its
 * handler, every reply sent with the security headers (a proctor's page
 * without a session redirects to the console's login), and the graceful stop
 * on SIGINT or SIGTERM. See engine/http/server.h. */
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http/app.h"
#include "kaoshi/json_text.h"

/* Sent with every response: pages may load only their own scripts and
 * styles, nothing may frame them, nothing is cached. */
static const char *const security_headers[][2] = {
    {"Content-Security-Policy",
     "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
    {"Cache-Control", "no-store"},
};

/* ---- replies ------------------------------------------------------------------ */

void http_reply(http_req *r, unsigned status, json_t *body)
{
    json_decref(r->out);
    r->status = status;
    r->out = body;
}

void http_reply_with(http_req *r, unsigned status, json_t *body, const char *key,
                     const char *raw)
{
    json_t *name = json_string(key);
    char *head = ks_json_text(body, JSON_COMPACT), *quoted = json_dumps(name, JSON_ENCODE_ANY);
    size_t len = head ? strlen(head) : 0;
    char *text = head && quoted && len >= 2 ? malloc(len + strlen(quoted) + strlen(raw) + 3)
                                            : NULL;
    if (text) /* head is {...}: its members, then ,"key":raw */
        sprintf(text, "%.*s%s%s:%s}", (int)(len - 1), head, len > 2 ? "," : "", quoted, raw);
    free(head);
    free(quoted);
    json_decref(name);
    json_decref(body);
    if (!text) {
        http_fail(r, 500, "internal", "服务器内部错误");
        return;
    }
    json_decref(r->out);
    r->out = NULL;
    free(r->owned);
    r->status = status;
    r->owned = text;
    r->data = text;
    r->data_len = strlen(text);
    r->content_type = "application/json; charset=utf-8";
}

void http_fail(http_req *r, unsigned status, const char *code, const char *message)
{
    http_reply(r, status, json_pack("{ss ss}", "error", code, "message", message));
}

void http_fail_error(http_req *r, const ks_error *e)
{
    if (e->code == KS_ESCRIPT) {
        /* the certification's script failed: the author's error, not the
         * server's; its words go to the audit log (they may quote the
         * script), the client gets a plain refusal */
        if (r->ctx)
            ks_store_audit(r->ctx->store, ks_clock_now(r->app->cfg->clock), r->ctx->actor,
                           "script_error", 0, 0, e->message, NULL);
        http_fail(r, 422, "script", "考试脚本出错，已记录，请联系监考老师");
        return;
    }
    static const struct { ks_status code; unsigned status; const char *name; } map[] = {
        {KS_EINPUT, 400, "invalid"},  {KS_ESTATE, 409, "state"},
        {KS_ENOTFOUND, 404, "not_found"}, {KS_EIO, 503, "unavailable"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (map[i].code == e->code) {
            http_fail(r, map[i].status, map[i].name, e->message);
            return;
        }
    http_fail(r, 500, "internal", e->message);
}

int64_t http_number(const char *p, int64_t max)
{
    size_t digits = p ? strspn(p, "0123456789") : 0;
    if (digits == 0 || p[digits] || (p[0] == '0' && digits > 1) || digits > 18)
        return -1;
    int64_t v = strtoll(p, NULL, 10);
    return v <= max ? v : -1;
}

int64_t http_param_id(http_req *r, int i)
{
    int64_t v = http_number(r->params[i], INT64_MAX);
    if (v < 1) {
        http_fail(r, 404, "not_found", "没有找到");
        return 0;
    }
    return v;
}

int http_param_slot(http_req *r, int i)
{
    int64_t v = http_number(r->params[i], HTTP_MAX_SLOT);
    if (v < 0)
        http_fail(r, 404, "not_found", "没有这道题");
    return (int)v;
}

const char *http_body_string(http_req *r, const char *field)
{
    return json_string_value(json_object_get(r->json, field));
}

/* ---- requests -------------------------------------------------------------------- */

/* Behind the proxy named by --trust-proxy, the client is the address that
 * proxy appended last to X-Forwarded-For: the last entry of the last such
 * header (earlier ones may come from the client itself and prove nothing).
 * From any other peer the header is ignored. */
static enum MHD_Result last_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    (void)kind;
    if (strcasecmp(key, "X-Forwarded-For") == 0)
        *(const char **)cls = value; /* a proxy appends: the last field is its own */
    return MHD_YES;
}

static void forwarded_client(http_req *r)
{
    const char *proxy = r->app->cfg->trusted_proxy;
    if (!proxy || strcmp(proxy, r->client) != 0)
        return;
    const char *list = NULL;
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, last_forwarded, &list);
    if (!list)
        return;
    const char *last = strrchr(list, ',');
    last = last ? last + 1 : list;
    last += strspn(last, " \t");
    size_t n = strcspn(last, " \t");
    unsigned char buf[sizeof(struct in6_addr)];
    char text[sizeof r->client];
    if (n == 0 || n >= sizeof text)
        return;
    memcpy(text, last, n);
    text[n] = '\0';
    if (inet_pton(AF_INET, text, buf) == 1 || inet_pton(AF_INET6, text, buf) == 1)
        memcpy(r->client, text, n + 1);
}

static http_req *request_new(http_app *app, struct MHD_Connection *conn, const char *method,
                             const char *url)
{
    http_req *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(url))) {
        free(r);
        return NULL;
    }
    r->app = app;
    r->conn = conn;
    r->method = method;
    const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
    r->body_too_large = length && strtoull(length, NULL, 10) > HTTP_MAX_BODY;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->client,
                  sizeof r->client);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->client,
                  sizeof r->client);
    forwarded_client(r);
    return r;
}

static void request_free(http_req *r)
{
    if (r->stop_reply)
        http_events_sent(r->app->events);
    if (r->ctx)
        http_pool_release(&r->app->pool, r->ctx);
    http_write_job_free(r->job);
    ks_session_free(&r->session);
    json_decref(r->json);
    json_decref(r->out);
    free(r->owned);
    for (int i = 0; i < HTTP_MAX_PARAMS; i++)
        free(r->params[i]);
    free(r->body);
    free(r->path);
    free(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    if (*con_cls)
        request_free(*con_cls);
    *con_cls = NULL;
}

static void append_body(http_req *r, const char *data, size_t n)
{
    if (r->body_too_large || r->body_len + n > HTTP_MAX_BODY) {
        r->body_too_large = 1;
        return;
    }
    char *grown = realloc(r->body, r->body_len + n + 1);
    if (!grown) {
        r->body_too_large = 1;
        return;
    }
    memcpy(grown + r->body_len, data, n);
    r->body = grown;
    r->body_len += n;
    r->body[r->body_len] = '\0';
}

/* Matches path against pattern, capturing each {} segment. */
static int match(const char *pattern, const char *path, char *params[HTTP_MAX_PARAMS])
{
    int n = 0;
    while (*pattern && *path) {
        if (pattern[0] == '{' && pattern[1] == '}') {
            size_t len = strcspn(path, "/");
            if (len == 0 || n == HTTP_MAX_PARAMS)
                return 0;
            free(params[n]);
            params[n++] = strndup(path, len);
            pattern += 2;
            path += len;
        } else if (*pattern++ != *path++) {
            return 0;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

/* Percent-decoding of paths and query arguments as libmicrohttpd does it,
 * but for "%00", which stays as it is: handlers get C strings, and a decoded
 * NUL would cut one short without a word ("/api/verify/X%00Y" would look up
 * X). Decoding only shortens, so each piece moves down in place. */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    char *out = s, *rest = s;
    for (;;) {
        char *nul = strstr(rest, "%00");
        if (nul)
            *nul = '\0';
        size_t n = MHD_http_unescape(rest);
        memmove(out, rest, n);
        out += n;
        if (!nul)
            break;
        memcpy(out, "%00", 3);
        out += 3;
        rest = nul + 3;
    }
    *out = '\0';
    return (size_t)(out - s);
}

/* A path segment handlers may take as text: valid UTF-8 (which their JSON
 * replies need) without control characters (U+0000-001F, U+007F-009F). */
static int text_segment(const char *p)
{
    json_t *check = json_string(p); /* NULL when p is not valid UTF-8 */
    json_decref(check);
    if (!check)
        return 0;
    for (const unsigned char *c = (const unsigned char *)p; *c; c++)
        if (*c < 0x20 || *c == 0x7F || (c[0] == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F))
            return 0;
    return 1;
}

/* True when every segment r's route captured is text. */
static int params_are_text(const http_req *r)
{
    int n = 0;
    for (const char *p = r->route->pattern; (p = strstr(p, "{}")); p += 2)
        if (!text_segment(r->params[n++]))
            return 0;
    return 1;
}

static int state_changing(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* A state-changing request must come from our own pages: JSON (which a
 * cross-site form cannot send) and, when the browser says where it comes
 * from, from this origin. */
static const char *cross_site(http_req *r)
{
    const char *type = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!type || strncasecmp(type, "application/json", 16) != 0)
        return "type";
    const char *site = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
        return "origin";
    const char *origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Origin");
    const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
    if (origin) {
        const char *rest = strncmp(origin, "http://", 7) == 0    ? origin + 7
                           : strncmp(origin, "https://", 8) == 0 ? origin + 8
                                                                 : NULL;
        if (!rest || !host || strcmp(rest, host) != 0)
            return "origin";
    }
    return NULL;
}

static int authorized(http_req *r)
{
    switch (r->route->auth) {
    case HTTP_PUBLIC: return 1;
    case HTTP_SESSION: return r->has_session;
    case HTTP_CANDIDATE: return r->has_session && strcmp(r->session.kind, "candidate") == 0;
    case HTTP_PROCTOR:
    case HTTP_PROCTOR_PAGE: return r->has_session && strcmp(r->session.kind, "proctor") == 0;
    }
    return 0;
}

/* A proctor's page without a proctor's session: to the console, which asks
 * for the login. */
static void to_login(http_req *r)
{
    static const char page[] =
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>请先登录</title>\n</head>\n<body>\n<p><a href=\"/proctor\">请先登录监考台</a></p>\n"
        "</body>\n</html>\n";
    r->status = 303;
    r->location = "/proctor";
    r->data = page;
    r->data_len = sizeof page - 1;
    r->content_type = "text/html; charset=utf-8";
}

static void dispatch(http_req *r)
{
    int path_matched = 0;
    for (const http_route *rt = http_routes; rt->method && !r->route; rt++) {
        if (match(rt->pattern, r->path, r->params)) {
            path_matched = 1;
            if (strcmp(rt->method, r->method) == 0)
                r->route = rt;
        }
    }
    if (!r->route) {
        if (path_matched)
            http_fail(r, 405, "method", "不支持的请求方法");
        else
            http_fail(r, 404, "not_found", "没有找到");
        return;
    }
    /* one rule for every route, before any handler sees the request: no id,
     * name or number can be such a segment, and none may reach a reply */
    if (!params_are_text(r)) {
        http_fail(r, 400, "invalid", "网址中含有无效的字符");
        return;
    }
    if (r->body_too_large) {
        http_fail(r, 413, "too_large", "请求内容过大");
        return;
    }
    const char *refused = state_changing(r->method) ? cross_site(r) : NULL;
    if (refused) {
        if (strcmp(refused, "type") == 0)
            http_fail(r, 415, "content_type", "请求须为 JSON（Content-Type: application/json）");
        else
            http_fail(r, 403, "origin", "拒绝来自其他网站的请求");
        return;
    }
    if (r->body_len) {
        r->json = json_loadb(r->body, r->body_len, 0, NULL);
        if (!json_is_object(r->json)) {
            http_fail(r, 400, "json", "请求内容须为 JSON 对象");
            return;
        }
    }
    r->ctx = http_pool_acquire(&r->app->pool);
    http_session_load(r);
    if (!authorized(r)) {
        if (r->route->auth == HTTP_PROCTOR_PAGE)
            to_login(r);
        else
            http_fail(r, 401, "login", "请先登录");
    } else if (r->route->csrf && !http_csrf_ok(r)) {
        http_fail(r, 403, "csrf", "页面已过期，请刷新后重试");
    } else {
        snprintf(r->ctx->actor, sizeof r->ctx->actor, "%s:%s",
                 r->has_session ? r->session.kind : "web",
                 r->has_session ? r->session.subject : r->client);
        r->ctx->exam.actor = r->ctx->actor;
        r->route->handler(r);
    }
    http_pool_release(&r->app->pool, r->ctx);
    r->ctx = NULL;
}

static enum MHD_Result respond(http_req *r)
{
    struct MHD_Response *res;
    if (r->data) {
        res = MHD_create_response_from_buffer(r->data_len, (void *)r->data,
                                              r->owned ? MHD_RESPMEM_MUST_COPY
                                                       : MHD_RESPMEM_PERSISTENT);
        if (res)
            MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
        if (res && r->filename[0]) {
            char disposition[sizeof r->filename + 32];
            snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"",
                     r->filename);
            MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disposition);
        }
    } else {
        if (!r->out)
            http_fail(r, 500, "internal", "服务器内部错误");
        char *text = ks_json_text(r->out, JSON_COMPACT); /* reals shortest */
        size_t len = text ? strlen(text) : 0;
        res = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
        if (!res)
            free(text);
        else
            MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE,
                                    "application/json; charset=utf-8");
    }
    if (!res)
        return MHD_NO;
    for (size_t i = 0; i < sizeof security_headers / sizeof *security_headers; i++)
        MHD_add_response_header(res, security_headers[i][0], security_headers[i][1]);
    if (r->cookie[0])
        MHD_add_response_header(res, MHD_HTTP_HEADER_SET_COOKIE, r->cookie);
    if (r->location)
        MHD_add_response_header(res, MHD_HTTP_HEADER_LOCATION, r->location);
    if (r->retry_after) {
        char seconds[16];
        snprintf(seconds, sizeof seconds, "%d", r->retry_after);
        MHD_add_response_header(res, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
    }
    enum MHD_Result ok = MHD_queue_response(r->conn, r->status ? r->status : 200, res);
    MHD_destroy_response(res);
    return ok;
}

/* Replies before the body is read (libmicrohttpd accepts a reply only then or
 * after the whole body); it closes the connection after the reply rather
 * than read the rest. */
static enum MHD_Result refuse_body(http_req *r, unsigned status, const char *code,
                                   const char *message)
{
    r->replied = 1;
    http_fail(r, status, code, message);
    return respond(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    http_req *r = *con_cls;
    if (!r) {
        *con_cls = r = request_new(cls, conn, method, url);
        if (!r)
            return MHD_NO;
        /* a declared length over the limit, or a body of unknown length:
         * refused before the body is read */
        if (r->body_too_large)
            return refuse_body(r, 413, "too_large", "请求内容过大");
        if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
            return refuse_body(r, 411, "length_required", "请求须注明长度（Content-Length）");
        return MHD_YES;
    }
    if (*upload_data_size) {
        append_body(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        /* cannot happen with a declared length; should a body still pass
         * the limit, the connection is closed */
        return r->body_too_large ? MHD_NO : MHD_YES;
    }
    if (r->replied)
        return MHD_YES;
    if (r->resumed) {
        r->resumed(r);
        return respond(r);
    }
    dispatch(r);
    return r->resumed ? MHD_YES : respond(r);
}

/* ---- the daemon ------------------------------------------------------------------ */

typedef union listen_addr {
    struct sockaddr sa;
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
} listen_addr;

static ks_status parse_address(const http_config *cfg, listen_addr *a, ks_error *err)
{
    memset(a, 0, sizeof *a);
    if (cfg->port < 0 || cfg->port > 65535)
        return ks_error_set(err, KS_EINPUT, "--port: expected 0 to 65535, found %d", cfg->port);
    if (inet_pton(AF_INET, cfg->address, &a->v4.sin_addr) == 1) {
        a->v4.sin_family = AF_INET;
        a->v4.sin_port = htons((uint16_t)cfg->port);
    } else if (inet_pton(AF_INET6, cfg->address, &a->v6.sin6_addr) == 1) {
        a->v6.sin6_family = AF_INET6;
        a->v6.sin6_port = htons((uint16_t)cfg->port);
    } else {
        return ks_error_set(err, KS_EINPUT, "--address: expected an IPv4 or IPv6 address, "
                            "found '%s'", cfg->address);
    }
    return KS_OK;
}

/* Each connection's buffer for its request's headers and its reply's: a
 * page's requests need about 1 KiB. libmicrohttpd keeps it per open
 * connection, and at 64 KiB it was most of the memory of a sitting of
 * 10,000 candidates (replies that fit are copied into it). */
#define CONNECTION_MEMORY (16 * 1024)

static struct MHD_Daemon *start_daemon(http_app *app, listen_addr *addr)
{
    const http_config *cfg = app->cfg;
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME |
                     (addr->sa.sa_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    return MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, on_request, app,
                            MHD_OPTION_SOCK_ADDR, &addr->sa,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
                            MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_connections,
                            MHD_OPTION_CONNECTION_TIMEOUT, cfg->idle_timeout_s,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
                            MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
                            MHD_OPTION_END);
}

static void app_free(http_app *app)
{
    if (app->writer) {
        http_writer_stop(app->writer);
        http_writer_free(app->writer);
    }
    http_reader_free(app->reader);
    http_events_free(app->events);
    http_preparer_free(app->preparer);
    http_pool_free(&app->pool);
    http_limiter_free(app->limiter);
    http_seen_free(app->seen);
}

/* Stopping waits for the requests being handled; each is bounded (a script
 * call by its sandbox's limits, a save by its commit), but a stop must never
 * hang on one: past this many seconds the process ends at once. What was
 * acknowledged is committed already; what was not, the client retries. */
#define STOP_WITHIN_S 5
#define TEXT_OF(x) #x
#define NUMBER_TEXT(x) TEXT_OF(x)

/* What the stop is waiting for, named by the watchdog if it fires. */
static const char *_Atomic stop_stage = "";

static void *watchdog(void *arg)
{
    (void)arg;
    sleep(STOP_WITHIN_S);
    /* written without stdio: a thread stuck while holding stderr's lock
     * must not keep the watchdog from ending the process */
    char msg[160];
    int n = snprintf(msg, sizeof msg, "kaoshi serve: still %s after " NUMBER_TEXT(STOP_WITHIN_S)
                     " s; stopping without it\n", atomic_load(&stop_stage));
    if (n > 0)
        (void)!write(STDERR_FILENO, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
    _exit(1);
    return NULL;
}

static void start_watchdog(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, watchdog, NULL) == 0)
        pthread_detach(t);
}

/* Stops everything that serves d, each part in turn under the watchdog. */
static void stop_serving(http_app *app, struct MHD_Daemon *d)
{
    start_watchdog();
    atomic_store(&stop_stage, "closing the listening socket");
    MHD_socket listener = MHD_quiesce_daemon(d);
    atomic_store(&stop_stage, "committing the saves in flight");
    http_writer_stop(app->writer);
    atomic_store(&stop_stage, "finishing a long read (the analytics report)");
    http_reader_stop(app->reader);
    atomic_store(&stop_stage, "answering the waiting event polls");
    http_events_stop(app->events); /* no connection may stay suspended */
    atomic_store(&stop_stage, "drawing forms ahead");
    http_preparer_stop(app->preparer);
    atomic_store(&stop_stage, "finishing the requests being handled");
    MHD_stop_daemon(d);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
}

ks_status http_serve(const http_config *cfg, ks_error *err)
{
    listen_addr addr;
    ks_status rc = parse_address(cfg, &addr, err);
    if (rc)
        return rc;
    if (sodium_init() < 0)
        return ks_error_set(err, KS_EINTERNAL, "libsodium failed to initialise");
    /* the signals are taken by sigwait below, never by a worker thread */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    http_app app = {.cfg = cfg, .limiter = http_limiter_new(), .seen = http_seen_new()};
    if (!app.limiter || !app.seen) {
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    } else if (!(rc = http_writer_start(cfg, &app.writer, err)) &&
               !(rc = http_reader_start(cfg, &app.reader, err)) &&
               !(rc = http_events_start(cfg, &app.events, err)) &&
               !(rc = http_preparer_start(cfg, &app.preparer, err))) {
        rc = http_pool_init(&app.pool, (size_t)cfg->threads, cfg, err);
    }
    struct MHD_Daemon *d = rc ? NULL : start_daemon(&app, &addr);
    if (!rc && !d)
        rc = ks_error_set(err, KS_EIO, "cannot listen on %s port %d (in use, or not an "
                          "address of this machine?)", cfg->address, cfg->port);
    if (!rc) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        int ipv6 = addr.sa.sa_family == AF_INET6;
        printf("serving http://%s%s%s:%u/\n", ipv6 ? "[" : "", cfg->address, ipv6 ? "]" : "",
               info ? info->port : (unsigned)cfg->port);
        fflush(stdout);
        int sig;
        sigwait(&stop, &sig);
        fprintf(stderr, "kaoshi serve: %s received; finishing the saves in flight\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM");
        stop_serving(&app, d);
    }
    app_free(&app);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}
