/* kaoshi mark ATTEMPT QUESTION FRACTION [--override] [--comment TEXT] [--as NAME],
 * kaoshi mark ATTEMPT QUESTION --clear [--comment TEXT] [--as NAME] and
 * kaoshi marking SITTING [--marked] [--json]: a person's mark for an essay
 * answer, an override of an automatic score, removing either, and the
 * answers still waiting for a mark (or the marks given). */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "kaoshi/json_text.h"

enum { OPT_COMMENT = 1, OPT_AS, OPT_OVERRIDE, OPT_CLEAR, OPT_MARKED };

typedef struct mark_opts {
    const char *comment, *as;
    int override, clear, marked;
} mark_opts;

static int on_mark_opt(int val, const char *arg, void *ud)
{
    mark_opts *o = ud;
    if (val == OPT_COMMENT)
        o->comment = arg;
    else if (val == OPT_AS)
        o->as = arg;
    else if (val == OPT_OVERRIDE)
        o->override = 1;
    else if (val == OPT_CLEAR)
        o->clear = 1;
    else
        o->marked = 1;
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

/* The positional arguments and the options that go together, else a usage
 * error. */
static int check_mark_args(const mark_opts *o, int nargs, char **args, long long *attempt,
                           long long *question, double *fraction)
{
    if (o->override && o->clear)
        return cli_usage_error("mark", "choose one of --override and --clear");
    if (o->override && (!o->comment || !*o->comment))
        return cli_usage_error("mark", "--override needs --comment: why the automatic score "
                               "is replaced");
    if (o->clear ? nargs != 2 : nargs != 3)
        return cli_usage_error("mark", o->clear ? "expected ATTEMPT QUESTION with --clear"
                                                : "expected ATTEMPT QUESTION FRACTION");
    *attempt = positive(args[0]);
    *question = positive(args[1]);
    if (!*attempt)
        return cli_usage_error("mark", "ATTEMPT: expected a positive whole number, found '%s'",
                               args[0]);
    if (!*question || *question > 100000)
        return cli_usage_error("mark", "QUESTION: expected a question number from 1, found "
                               "'%s'", args[1]);
    if (o->clear)
        return CLI_OK;
    char *end;
    *fraction = strtod(args[2], &end);
    if (!*args[2] || *end || !isfinite(*fraction) || *fraction < 0 || *fraction > 1)
        return cli_usage_error("mark", "FRACTION: expected a number from 0 to 1 (the share "
                               "of the question's points), found '%s'", args[2]);
    return CLI_OK;
}

int cmd_mark(int argc, char **argv)
{
    static const struct option opts[] = {{"comment", required_argument, NULL, OPT_COMMENT},
                                          {"as", required_argument, NULL, OPT_AS},
                                          {"override", no_argument, NULL, OPT_OVERRIDE},
                                          {"clear", no_argument, NULL, OPT_CLEAR},
                                          {0}};
    mark_opts o = {0};
    cli_ctx c;
    long long attempt = 0, question = 0;
    double fraction = 0;
    int first, rc = cli_ctx_parse(&c, "mark", argc, argv, opts, on_mark_opt, &o, &first);
    if (rc || (rc = check_mark_args(&o, argc - first, argv + first, &attempt, &question,
                                    &fraction)) ||
        (rc = cli_ctx_open(&c)))
        return rc;
    if ((rc = cli_ctx_act_as(&c, o.as))) {
        cli_ctx_close(&c);
        return rc;
    }
    ks_error err;
    const char *grader = o.as ? o.as : "cli";
    int slot = (int)question - 1;
    ks_status st = o.clear      ? ks_exam_mark_clear(&c.exam, attempt, slot, grader, o.comment,
                                                     &err)
                   : o.override ? ks_exam_override(&c.exam, attempt, slot, fraction, grader,
                                                   o.comment, &err)
                                : ks_exam_mark(&c.exam, attempt, slot, fraction, grader,
                                               o.comment, &err);
    if (st) {
        rc = cli_fail(&err);
    } else {
        if (o.clear)
            printf("cleared the mark of question %lld of attempt %lld\n", question, attempt);
        else
            printf("%s question %lld of attempt %lld: %g\n", o.override ? "overrode" : "marked",
                   question, attempt, fraction);
        print_result(&c, attempt);
    }
    cli_ctx_close(&c);
    return rc;
}

/* "attempt A question Q (candidate C, item I, P points)", without a newline. */
static void print_answer(json_t *w)
{
    printf("attempt %lld question %lld (candidate %s, item %s, %g points)",
           (long long)json_integer_value(json_object_get(w, "attempt")),
           (long long)json_integer_value(json_object_get(w, "question")),
           json_string_value(json_object_get(w, "candidate")),
           json_string_value(json_object_get(w, "item")),
           json_number_value(json_object_get(w, "points")));
}

static void print_waiting(json_t *list)
{
    size_t i;
    json_t *w;
    json_array_foreach(list, i, w) {
        json_t *response = json_object_get(w, "response");
        json_t *text = json_object_get(response, "text");
        char *raw = json_is_string(text) ? NULL : ks_json_text(response, JSON_COMPACT);
        print_answer(w);
        const char *stem = json_string_value(json_object_get(w, "stem"));
        const char *rubric = json_string_value(json_object_get(w, "rubric"));
        printf("\n  stem:   %s\n", stem ? stem : "");
        if (rubric)
            printf("  rubric: %s\n", rubric);
        printf("  answer: %s\n", raw ? raw : json_string_value(text));
        free(raw);
    }
}

static void print_marked(json_t *list)
{
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m) {
        json_t *automatic = json_object_get(m, "auto_fraction");
        const char *comment = json_string_value(json_object_get(m, "comment"));
        print_answer(m);
        printf(": %s %g", json_is_true(json_object_get(m, "override")) ? "override" : "mark",
               json_number_value(json_object_get(m, "fraction")));
        if (json_is_number(automatic))
            printf(" (automatic %g)", json_number_value(automatic));
        printf(" by %s\n", json_string_value(json_object_get(m, "grader")));
        if (*comment)
            printf("  comment: %s\n", comment);
    }
}

int cmd_marking(int argc, char **argv)
{
    static const struct option opts[] = {{"marked", no_argument, NULL, OPT_MARKED}, {0}};
    mark_opts o = {0};
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, "marking", argc, argv, opts, on_mark_opt, &o, &first);
    int marked = o.marked;
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
        json_t *all = json_loads(text, 0, NULL);
        json_t *list = json_object_get(all, marked ? "marked" : "waiting");
        size_t n = json_array_size(list);
        if (c.json)
            rc = cli_print_json(list, JSON_INDENT(2) | JSON_SORT_KEYS);
        else if (n == 0)
            printf(marked ? "no answers in %s have a person's mark\n"
                          : "no answers in %s wait for a mark\n", argv[first]);
        else if (marked)
            print_marked(list);
        else
            print_waiting(list);
        if (!c.json && n > 0)
            printf(marked ? "%zu marks and overrides\n" : "%zu answers wait for a mark\n", n);
        json_decref(all);
    }
    free(text);
    cli_ctx_close(&c);
    return rc;
}
