/* The exam analytics report of one sitting for proctors
 * (kaoshi/analytics_load.h, docs/analytics.md): as JSON, as CSV to download,
 * and as the HTML page in Chinese, with the pass rate counted from the
 * results and its style sheet at a static address, so that it passes the
 * server's Content-Security-Policy. The query chooses
 * the attempts (?attempts=first|all) and a comparison (?compare=SITTING or
 * ?compare=retakes). A big sitting's report takes about a second, so each
 * is made on the reader thread (reader.c), never on a thread that serves
 * other connections. Routes and replies are documented in docs/api.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/app.h"
#include "kaoshi/analytics_load.h"
#include "kaoshi/cert.h"

#define STYLESHEET "/static/report.css"

/* ---- the query ------------------------------------------------------------------ */

typedef struct report_query {
    ks_analytics_request q;
    const char *sitting;
    int attempts, compare; /* how often each was given */
    ks_error err;          /* KS_EINPUT for a wrong parameter */
} report_query;

static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    report_query *rq = cls;
    (void)kind;
    if (strcmp(key, "attempts") == 0 && !rq->attempts++ && value &&
        (strcmp(value, "first") == 0 || strcmp(value, "all") == 0)) {
        rq->q.which = value[0] == 'f' ? KS_ANALYTICS_FIRST : KS_ANALYTICS_ALL;
    } else if (strcmp(key, "compare") == 0 && !rq->compare++ && value && *value) {
        if (strcmp(value, "retakes") == 0)
            rq->q.retakes = true;
        else
            rq->q.compare = value;
    } else {
        if (strcmp(key, "attempts") == 0)
            ks_error_set(&rq->err, KS_EINPUT, "attempts: expected first or all, once");
        else if (strcmp(key, "compare") == 0)
            ks_error_set(&rq->err, KS_EINPUT, "compare: expected the name of another sitting "
                         "or retakes, once");
        else
            ks_error_set(&rq->err, KS_EINPUT, "unknown query parameter (expected only "
                         "attempts and compare)");
        return MHD_NO;
    }
    return MHD_YES;
}

/* The report of sitting params[0] as the query asks (see
 * ks_analytics_report_sittings); the query is read here, on the reader
 * thread, while the connection is suspended. */
static ks_status report_of(http_req *r, http_ctx *c, report_query *rq, ks_analytics_data **d,
                           ks_analytics_report **rep)
{
    *rq = (report_query){.q = {.which = KS_ANALYTICS_ALL}, .sitting = r->params[0]};
    rq->q.sittings = &rq->sitting;
    rq->q.nsittings = 1;
    *d = NULL;
    *rep = NULL;
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_arg, rq);
    if (rq->err.code)
        return rq->err.code;
    return ks_analytics_report_sittings(&c->exam, &rq->q, d, rep, &rq->err);
}

/* ---- JSON and CSV ---------------------------------------------------------------------- */

static void read_json(http_req *r, http_ctx *c)
{
    report_query rq;
    ks_analytics_data *d;
    ks_analytics_report *rep;
    json_t *j = NULL;
    if (report_of(r, c, &rq, &d, &rep))
        http_fail_error(r, &rq.err);
    else if (!(j = ks_analytics_json(rep)))
        http_fail(r, 500, "internal", "服务器内部错误");
    else
        http_reply(r, 200, j);
    ks_analytics_report_free(rep);
    ks_analytics_data_free(d);
}

void http_report(http_req *r) { http_reader_submit(r->app->reader, r, read_json); }

/* "report-NAME.csv" ("report-NAME-first.csv" for first attempts), with any
 * character a file name or the header should not hold replaced by '_'. */
static void csv_filename(http_req *r, const report_query *rq)
{
    int n = snprintf(r->filename, sizeof r->filename, "report-%.64s%s.csv", rq->sitting,
                     rq->q.which == KS_ANALYTICS_FIRST ? "-first" : "");
    for (int i = 7; i < n - 4 && r->filename[i]; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.",
                    r->filename[i]))
            r->filename[i] = '_';
}

static void read_csv(http_req *r, http_ctx *c)
{
    report_query rq;
    ks_analytics_data *d;
    ks_analytics_report *rep;
    if (report_of(r, c, &rq, &d, &rep) || ks_analytics_csv(rep, &r->owned, &rq.err)) {
        http_fail_error(r, &rq.err);
    } else {
        r->status = 200;
        r->data = r->owned;
        r->data_len = strlen(r->owned);
        r->content_type = "text/csv; charset=utf-8";
        csv_filename(r, &rq);
    }
    ks_analytics_report_free(rep);
    ks_analytics_data_free(d);
}

void http_report_csv(http_req *r) { http_reader_submit(r->app->reader, r, read_csv); }

/* ---- the page -------------------------------------------------------------------------- */

/* The pass rate of the attempts the report of rq analyses (as
 * ks_analytics_load selects them: finished, graded, no answer waiting for a
 * mark; only first attempts when the report counts those) and the
 * certification's pass mark. */
static ks_status count_outcome(http_ctx *c, const report_query *rq, ks_analytics_outcome *o,
                               ks_error *err)
{
    ks_sitting s;
    ks_cert *cert;
    ks_attempt *list = NULL;
    size_t n = 0;
    *o = (ks_analytics_outcome){.pass_mark = -1};
    ks_status rc = ks_store_sitting_get(c->store, rq->sitting, &s, err);
    if (rc)
        return rc;
    if (!(rc = http_ctx_cert(c, &s, &cert, err)) &&
        !(rc = ks_store_attempts_in(c->store, s.id, &list, &n, err)))
        o->pass_mark = ks_cert_info_of(cert)->pass_mark;
    for (size_t i = 0; !rc && i < n; i++) {
        ks_result res;
        if (list[i].state != KS_ATTEMPT_FINISHED ||
            (rq->q.which == KS_ANALYTICS_FIRST && list[i].number != 1))
            continue;
        if ((rc = ks_store_result_get(c->store, list[i].id, &res, err)) == KS_ENOTFOUND) {
            rc = KS_OK; /* not graded yet */
            continue;
        }
        if (!rc && res.passed >= 0) {
            o->graded++;
            o->passed += res.passed == 1;
        }
        if (!rc)
            ks_result_free(&res);
    }
    ks_attempt_list_free(list, n);
    ks_sitting_free(&s);
    return rc;
}

static void put_html(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* prefix + name percent-encoded + suffix, malloc'd (NULL when out of memory). */
static char *address(const char *prefix, const char *name, const char *suffix)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return NULL;
    fputs(prefix, f);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~", *p))
            fputc(*p, f);
        else
            fprintf(f, "%%%02X", *p);
    fputs(suffix, f);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* What went wrong, in Chinese, by the status the JSON routes give. */
static const char *why(unsigned status)
{
    switch (status) {
    case 400: return "请求的参数有误。";
    case 404: return "没有找到这个考场。";
    case 409: return "考场尚未开放，还没有可以分析的作答。";
    case 503: return "数据库暂时无法读取，请稍后重试。";
    default: return "服务器内部错误，未能生成报告。";
    }
}

/* A short page in Chinese with the status the JSON routes give for e. */
static void error_page(http_req *r, const ks_error *e)
{
    http_fail_error(r, e);
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return; /* the JSON error stands */
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>无法生成分析报告 · Kaoshi 考试</title>\n<link rel=\"icon\" href=\"data:,\">\n"
          "<link rel=\"stylesheet\" href=\"/static/app.css\">\n</head>\n<body>\n"
          "<main class=\"narrow\">\n<div class=\"card\">\n<h1>无法生成分析报告</h1>\n<p>", f);
    fputs(why(r->status), f);
    fputs("</p>\n<p class=\"muted small\">", f);
    put_html(f, e->message);
    fputs("</p>\n<p><a href=\"/proctor\">返回监考台</a></p>\n</div>\n</main>\n</body>\n"
          "</html>\n", f);
    if (fclose(f) != 0) {
        free(text);
        return;
    }
    r->owned = text;
    r->data = text;
    r->data_len = size;
    r->content_type = "text/html; charset=utf-8";
}

static void read_page(http_req *r, http_ctx *c)
{
    report_query rq;
    ks_analytics_data *d;
    ks_analytics_report *rep;
    ks_status rc = report_of(r, c, &rq, &d, &rep);
    char *back = NULL, *csv = NULL;
    ks_analytics_outcome outcome;
    if (!rc && !(rc = count_outcome(c, &rq, &outcome, &rq.err)))
        rep->outcome = &outcome;
    if (!rc) {
        back = address("/proctor?sitting=", rq.sitting, "");
        csv = address("/api/sittings/", rq.sitting,
                      rq.q.which == KS_ANALYTICS_FIRST ? "/report.csv?attempts=first"
                                                       : "/report.csv");
        if (!back || !csv)
            rc = ks_error_set(&rq.err, KS_EINTERNAL, "out of memory");
    }
    if (!rc) {
        const ks_analytics_link links[] = {{back, "← 返回监考台"}, {csv, "下载 CSV"}};
        const ks_analytics_page page = {STYLESHEET, links, 2};
        rc = ks_analytics_html(rep, &page, &r->owned, &rq.err);
    }
    if (rc) {
        error_page(r, &rq.err);
    } else {
        r->status = 200;
        r->data = r->owned;
        r->data_len = strlen(r->owned);
        r->content_type = "text/html; charset=utf-8";
    }
    free(back);
    free(csv);
    ks_analytics_report_free(rep);
    ks_analytics_data_free(d);
}

void http_report_page(http_req *r) { http_reader_submit(r->app->reader, r, read_page); }

void http_report_css(http_req *r)
{
    r->status = 200;
    r->data = ks_analytics_css();
    r->data_len = strlen(r->data);
    r->content_type = "text/css; charset=utf-8";
}
