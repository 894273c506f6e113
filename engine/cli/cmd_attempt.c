/* kaoshi attempt start|answer|submit|show: take an exam from the command
 * line, as a candidate would through the web pages. Questions are numbered
 * from 1 here. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"

enum { OPT_CODE = 1, OPT_KEY };

static int on_string_option(int val, const char *arg, void *ud)
{
    const char **slots = ud;
    slots[val] = arg;
    return CLI_OK;
}

static int parse_id(const char *cmd, const char *text, const char *what, long long max,
                    long long *out)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*end || !*text || v < 1 || v > max)
        return cli_usage_error(cmd, "%s: expected a positive whole number, found '%s'", what,
                               text);
    *out = v;
    return CLI_OK;
}

static void print_attempt_line(const ks_attempt *a, const ks_sitting *s, size_t questions,
                               const char *verb)
{
    char d[KS_TIME_BUF];
    printf("%s attempt %lld (attempt %d at %s), %zu questions, deadline %s\n", verb,
           (long long)a->id, a->number, a->code, questions, cli_time(s, a->deadline_at, d));
}

static size_t slot_count(const char *form)
{
    json_t *f = json_loads(form, 0, NULL);
    size_t n = json_array_size(json_object_get(f, "slots"));
    json_decref(f);
    return n;
}

static int start(int argc, char **argv)
{
    static const struct option opts[] = {{"code", required_argument, NULL, OPT_CODE}, {0}};
    const char *values[3] = {0};
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, "attempt start", argc, argv, opts, on_string_option,
                                  values, &first);
    if (rc)
        return rc;
    if (argc - first != 2)
        return cli_usage_error("attempt start", "expected a sitting name and a candidate number");
    if (!values[OPT_CODE])
        return cli_usage_error("attempt start", "--code ACCESS_CODE is required");
    if ((rc = cli_ctx_open(&c)))
        return rc;
    c.exam.actor = argv[first + 1];
    ks_attempt a;
    int resumed;
    ks_error err;
    if (ks_exam_start(&c.exam, argv[first], argv[first + 1], values[OPT_CODE], &a, &resumed,
                      &err)) {
        rc = cli_fail(&err);
    } else {
        ks_sitting s;
        if (ks_store_sitting_by_id(c.store, a.sitting_id, &s, &err) == KS_OK) {
            if (c.json) {
                char d[KS_TIME_BUF];
                json_t *v = json_pack("{sI si ss sb si ss}", "attempt", (json_int_t)a.id,
                                      "number", a.number, "code", a.code, "resumed", resumed,
                                      "questions", (int)slot_count(a.form), "deadline",
                                      cli_time(&s, a.deadline_at, d));
                char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
                puts(text);
                free(text);
                json_decref(v);
            } else {
                print_attempt_line(&a, &s, slot_count(a.form), resumed ? "resumed" : "started");
            }
            ks_sitting_free(&s);
        }
        ks_attempt_free(&a);
    }
    cli_ctx_close(&c);
    return rc;
}

static int answer(int argc, char **argv)
{
    static const struct option opts[] = {{"key", required_argument, NULL, OPT_KEY}, {0}};
    const char *values[3] = {0};
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, "attempt answer", argc, argv, opts, on_string_option,
                                  values, &first);
    if (rc)
        return rc;
    if (argc - first != 3)
        return cli_usage_error("attempt answer", "expected ATTEMPT QUESTION RESPONSE_JSON");
    long long id, question;
    if ((rc = parse_id("attempt answer", argv[first], "ATTEMPT", INT64_MAX, &id)) ||
        (rc = parse_id("attempt answer", argv[first + 1], "QUESTION", 100000, &question)) ||
        (rc = cli_ctx_open(&c)))
        return rc;
    int64_t seq;
    ks_error err;
    if (ks_exam_answer(&c.exam, id, (int)question - 1, argv[first + 2], values[OPT_KEY], &seq,
                       &err))
        rc = cli_fail(&err);
    else
        printf("saved question %lld of attempt %lld (save %lld)\n", question, id, (long long)seq);
    cli_ctx_close(&c);
    return rc;
}

static int submit(int argc, char **argv)
{
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, "attempt submit", argc, argv, NULL, NULL, NULL, &first);
    if (rc)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("attempt submit", "expected one attempt number");
    long long id;
    if ((rc = parse_id("attempt submit", argv[first], "ATTEMPT", INT64_MAX, &id)) ||
        (rc = cli_ctx_open(&c)))
        return rc;
    ks_error err;
    if (ks_exam_submit(&c.exam, id, "submitted", &err))
        rc = cli_fail(&err);
    else
        printf("submitted attempt %lld\n", id);
    cli_ctx_close(&c);
    return rc;
}

static int on_flag(int val, const char *arg, void *ud)
{
    (void)arg;
    *(int *)ud = val;
    return CLI_OK;
}

/* The candidate's view of an attempt: questions (no keys) and saved answers;
 * with --keys (for proctors and authors) each question's key and the seed. */
static int show(int argc, char **argv)
{
    static const struct option opts[] = {{"keys", no_argument, NULL, 1}, {0}};
    cli_ctx c;
    int keys = 0;
    int first, rc = cli_ctx_parse(&c, "attempt show", argc, argv, opts, on_flag, &keys, &first);
    if (rc)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("attempt show", "expected one attempt number");
    long long id;
    if ((rc = parse_id("attempt show", argv[first], "ATTEMPT", INT64_MAX, &id)) ||
        (rc = cli_ctx_open(&c)))
        return rc;
    ks_error err;
    ks_attempt a = {0};
    ks_sitting s = {0};
    ks_fileset *fs = NULL;
    ks_cert *cert = NULL;
    char *list = NULL;
    if (ks_store_attempt_get(c.store, id, &a, &err) ||
        ks_store_sitting_by_id(c.store, a.sitting_id, &s, &err) ||
        ks_exam_frozen_cert(&c.exam, &s, &fs, &cert, &err) ||
        ks_exam_questions(&c.exam, cert, &a, keys, &list, &err)) {
        rc = cli_fail(&err);
        goto done;
    }
    char d[KS_TIME_BUF], st[KS_TIME_BUF], fin[KS_TIME_BUF];
    /* the web page's questions, numbered from 1, without what only the page
     * uses, and with an answer only where one was saved */
    json_t *questions = json_loads(list, 0, NULL), *q;
    size_t i;
    json_array_foreach(questions, i, q) {
        json_object_set_new(q, "question", json_integer((json_int_t)i + 1));
        static const char *const page_only[] = {"slot", "section", "points", "seq", "flagged"};
        for (size_t k = 0; k < sizeof page_only / sizeof *page_only; k++)
            json_object_del(q, page_only[k]);
        if (json_is_null(json_object_get(q, "answer")))
            json_object_del(q, "answer");
    }
    json_t *v = json_pack("{sI si ss ss ss ss ss ss so}", "attempt", (json_int_t)a.id, "number",
                          a.number, "code", a.code, "state",
                          a.state == KS_ATTEMPT_ACTIVE ? "running" : "finished", "started_at",
                          cli_time(&s, a.started_at, st), "deadline", cli_time(&s, a.deadline_at, d),
                          "finished_at", cli_time(&s, a.finished_at, fin), "finish_reason",
                          a.finish_reason, "questions", questions);
    if (a.state != KS_ATTEMPT_ACTIVE) /* the code on the candidate's receipt */
        json_object_set_new(v, "receipt", json_string(a.receipt ? a.receipt : ""));
    if (keys)
        json_object_set_new(v, "seed", json_integer((json_int_t)a.seed));
    rc = cli_print_json(v, (c.json ? JSON_COMPACT : JSON_INDENT(2)) | JSON_SORT_KEYS);
    json_decref(v);
done:
    free(list);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_sitting_free(&s);
    ks_attempt_free(&a);
    cli_ctx_close(&c);
    return rc;
}

int cmd_attempt(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("attempt", "expected start, answer, submit or show");
    const char *sub = argv[1];
    if (strcmp(sub, "start") == 0)
        return start(argc - 1, argv + 1);
    if (strcmp(sub, "answer") == 0)
        return answer(argc - 1, argv + 1);
    if (strcmp(sub, "submit") == 0)
        return submit(argc - 1, argv + 1);
    if (strcmp(sub, "show") == 0)
        return show(argc - 1, argv + 1);
    return cli_usage_error("attempt", "unknown subcommand '%s'; expected start, answer, "
                           "submit or show", sub);
}
