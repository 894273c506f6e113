/* kaoshi grade SITTING and kaoshi results SITTING [--json|--csv] [--publish]:
 * grade the finished attempts from the frozen files, then list every attempt
 * with its score and outcome; --publish makes them final and shows them to
 * the candidates. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "kaoshi/csv.h"

enum { OPT_CSV = 1, OPT_PUBLISH };

typedef struct results_opts {
    int csv, publish;
} results_opts;

int cmd_grade(int argc, char **argv)
{
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, "grade", argc, argv, NULL, NULL, NULL, &first);
    if (rc)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("grade", "expected one sitting name");
    if ((rc = cli_ctx_open(&c)))
        return rc;
    size_t graded;
    ks_error err;
    if (ks_exam_grade(&c.exam, argv[first], &graded, &err))
        rc = cli_fail(&err);
    else
        printf("graded %zu finished attempts in %s\n", graded, argv[first]);
    cli_ctx_close(&c);
    return rc;
}

static int on_results_opt(int val, const char *arg, void *ud)
{
    (void)arg;
    results_opts *o = ud;
    if (val == OPT_CSV)
        o->csv = 1;
    else
        o->publish = 1;
    return CLI_OK;
}

static const char *outcome(const ks_attempt *a, const ks_result *r, int graded)
{
    if (a->state == KS_ATTEMPT_ACTIVE)
        return "running";
    if (!graded)
        return "ungraded";
    return r->passed < 0 ? "pending" : r->passed ? "pass" : "fail";
}

int cmd_results(int argc, char **argv)
{
    static const struct option opts[] = {{"csv", no_argument, NULL, OPT_CSV},
                                          {"publish", no_argument, NULL, OPT_PUBLISH},
                                          {0}};
    cli_ctx c;
    results_opts o = {0};
    int first, rc = cli_ctx_parse(&c, "results", argc, argv, opts, on_results_opt, &o, &first);
    int csv = o.csv;
    if (rc)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("results", "expected one sitting name");
    if (csv && c.json)
        return cli_usage_error("results", "choose one of --json and --csv");
    if ((rc = cli_ctx_open(&c)))
        return rc;
    ks_error err;
    ks_sitting s;
    ks_attempt *list = NULL;
    ks_enrollment *en = NULL;
    size_t n = 0, ne = 0, published;
    if (o.publish && ks_exam_publish(&c.exam, argv[first], &published, &err)) {
        cli_ctx_close(&c);
        return cli_fail(&err);
    }
    if (o.publish && !csv && !c.json)
        printf("published the results of %zu attempts in %s\n", published, argv[first]);
    if (ks_store_sitting_get(c.store, argv[first], &s, &err) ||
        ks_exam_finalize_overdue(&c.exam, s.id, NULL, &err) ||
        ks_store_attempts_in(c.store, s.id, &list, &n, &err) ||
        ks_store_enrollments(c.store, s.id, &en, &ne, &err)) {
        cli_ctx_close(&c);
        return cli_fail(&err);
    }
    json_t *rows = json_array();
    if (csv)
        puts("candidate,name,attempt,state,score,max_score,percent,outcome");
    else if (!c.json)
        printf("%-12s %-16s %-7s %8s %8s %8s  %s\n", "candidate", "name", "attempt", "score",
               "max", "percent", "outcome");
    for (size_t i = 0; i < n; i++) {
        const ks_enrollment *who = NULL;
        for (size_t k = 0; k < ne; k++)
            if (en[k].candidate_id == list[i].candidate_id)
                who = &en[k];
        ks_result r = {0};
        ks_error none;
        int graded = ks_store_result_get(c.store, list[i].id, &r, &none) == KS_OK;
        double percent = graded && r.max_score > 0 ? 100 * r.score / r.max_score : 0;
        const char *number = who ? who->number : "?", *name = who ? who->name : "?";
        const char *result = outcome(&list[i], &r, graded);
        const char *state = list[i].state == KS_ATTEMPT_ACTIVE ? "running" : "finished";
        if (c.json) {
            json_t *row = json_pack("{ss ss si ss ss}", "candidate", number, "name", name,
                                    "attempt", list[i].number, "state", state, "outcome", result);
            if (graded) {
                json_object_set_new(row, "score", json_real(r.score));
                json_object_set_new(row, "max_score", json_real(r.max_score));
                json_object_set_new(row, "percent", json_real(percent));
                json_object_set_new(row, "detail", json_loads(r.detail, 0, NULL));
            }
            json_array_append_new(rows, row);
        } else if (csv) {
            ks_csv_field(stdout, number, ',');
            ks_csv_field(stdout, name, ',');
            printf("%d,%s,", list[i].number, state);
            if (graded)
                printf("%.2f,%.2f,%.2f,%s\n", r.score, r.max_score, percent, result);
            else
                printf(",,,%s\n", result);
        } else {
            cli_print_padded(number, 13);
            cli_print_padded(name, 17);
            if (graded)
                printf("%-7d %8.2f %8.2f %7.2f%%  %s\n", list[i].number, r.score, r.max_score,
                       percent, result);
            else
                printf("%-7d %8s %8s %8s  %s\n", list[i].number, "-", "-", "-", result);
        }
        ks_result_free(&r);
    }
    if (c.json)
        rc = cli_print_json(rows, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(rows);
    ks_enrollment_list_free(en, ne);
    ks_attempt_list_free(list, n);
    ks_sitting_free(&s);
    cli_ctx_close(&c);
    return rc;
}
