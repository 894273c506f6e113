/* kaoshi mark ATTEMPT QUESTION FRACTION [--comment TEXT] [--as NAME] and
 * kaoshi marking SITTING [--json]: a person's mark for an essay answer, and
 * the answers still waiting for one. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "http/json.h"

enum { OPT_COMMENT = 1, OPT_AS };

typedef struct mark_opts {
    const char *comment, *as;
} mark_opts;

static int on_mark_opt(int val, const char *arg, void *ud)
{
    mark_opts *o = ud;
    if (val == OPT_COMMENT)
        o->comment = arg;
    else
        o->as = arg;
    return CLI_OK;
}

/* A whole number >= 1, or 0 when text is not one. */
static long long positive(const char *text)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    return *text && !*end && v >= 1 ? v : 0;
}

static void print_result(cli_ctx *c, int64_t attempt)
{
    ks_result r;
    ks_error err;
    if (ks_store_result_get(c->store, attempt, &r, &err))
        return;
    printf("attempt %lld: %.2f of %.2f, %s\n", (long long)attempt, r.score, r.max_score,
           r.passed < 0 ? "pending" : r.passed ? "pass" : "fail");
    ks_result_free(&r);
}

int cmd_mark(int argc, char **argv)
{
    static const struct option opts[] = {{"comment", required_argument, NULL, OPT_COMMENT},
                                          {"as", required_argument, NULL, OPT_AS},
                                          {0}};
    mark_opts o = {0};
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, "mark", argc, argv, opts, on_mark_opt, &o, &first);
    if (rc)
        return rc;
    if (argc - first != 3)
        return cli_usage_error("mark", "expected ATTEMPT QUESTION FRACTION");
    long long attempt = positive(argv[first]), question = positive(argv[first + 1]);
    if (!attempt)
        return cli_usage_error("mark", "ATTEMPT: expected a positive whole number, found '%s'",
                               argv[first]);
    if (!question || question > 100000)
        return cli_usage_error("mark", "QUESTION: expected a question number from 1, found "
                               "'%s'", argv[first + 1]);
    char *end;
    double fraction = strtod(argv[first + 2], &end);
    if (!*argv[first + 2] || *end || !isfinite(fraction) || fraction < 0 || fraction > 1)
        return cli_usage_error("mark", "FRACTION: expected a number from 0 to 1 (the share "
                               "of the question's points), found '%s'", argv[first + 2]);
    if ((rc = cli_ctx_open(&c)))
        return rc;
    char actor[80] = "cli";
    ks_error err;
    if (o.as) {
        ks_proctor p;
        if (ks_store_proctor_get(c.store, o.as, &p, &err)) {
            cli_ctx_close(&c);
            return cli_fail(&err);
        }
        ks_proctor_free(&p);
        snprintf(actor, sizeof actor, "proctor:%s", o.as);
    }
    c.exam.actor = actor;
    if (ks_exam_mark(&c.exam, attempt, (int)question - 1, fraction, o.as ? o.as : "cli",
                     o.comment, &err)) {
        rc = cli_fail(&err);
    } else {
        printf("marked question %lld of attempt %lld: %g\n", question, attempt, fraction);
        print_result(&c, attempt);
    }
    cli_ctx_close(&c);
    return rc;
}

static void print_waiting(json_t *list)
{
    size_t i;
    json_t *w;
    json_array_foreach(list, i, w) {
        json_t *response = json_object_get(w, "response");
        json_t *text = json_object_get(response, "text");
        char *raw = json_is_string(text) ? NULL : http_json_text(response, JSON_COMPACT);
        printf("attempt %lld question %lld (candidate %s, item %s, %g points)\n",
               (long long)json_integer_value(json_object_get(w, "attempt")),
               (long long)json_integer_value(json_object_get(w, "question")),
               json_string_value(json_object_get(w, "candidate")),
               json_string_value(json_object_get(w, "item")),
               json_number_value(json_object_get(w, "points")));
        const char *stem = json_string_value(json_object_get(w, "stem"));
        const char *rubric = json_string_value(json_object_get(w, "rubric"));
        printf("  stem:   %s\n", stem ? stem : "");
        if (rubric)
            printf("  rubric: %s\n", rubric);
        printf("  answer: %s\n", raw ? raw : json_string_value(text));
        free(raw);
    }
}

int cmd_marking(int argc, char **argv)
{
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, "marking", argc, argv, NULL, NULL, NULL, &first);
    if (rc)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("marking", "expected one sitting name");
    if ((rc = cli_ctx_open(&c)))
        return rc;
    ks_error err;
    char *text = NULL;
    if (ks_exam_marking(&c.exam, argv[first], &text, &err)) {
        rc = cli_fail(&err);
    } else {
        json_t *list = json_loads(text, 0, NULL);
        if (c.json) {
            rc = cli_print_json(list, JSON_INDENT(2) | JSON_SORT_KEYS);
        } else if (json_array_size(list) == 0) {
            printf("no answers in %s wait for a mark\n", argv[first]);
        } else {
            print_waiting(list);
            printf("%zu answers wait for a mark\n", json_array_size(list));
        }
        json_decref(list);
    }
    free(text);
    cli_ctx_close(&c);
    return rc;
}
