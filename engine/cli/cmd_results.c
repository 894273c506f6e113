/* kaoshi grade SITTING and kaoshi results SITTING [--json|--csv] [--publish]
 * [--changes]: grade the finished attempts with the sitting's current
 * version of its sources (saying so when that changes published results),
 * then list every attempt with its score, outcome and certificate flag;
 * --publish shows them to the candidates, and only an amendment changes
 * them afterwards; --changes lists what amendments changed. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "kaoshi/csv.h"

enum { OPT_CSV = 1, OPT_PUBLISH, OPT_CHANGES };

typedef struct results_opts {
    int csv, publish, changes;
} results_opts;

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

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
    ks_exam_grading g;
    ks_error err;
    if (ks_exam_regrade(&c.exam, argv[first], &g, &err)) {
        rc = cli_fail(&err);
    } else {
        printf("graded %zu finished attempts in %s\n", g.graded, argv[first]);
        if (g.version > 1 || g.changed || g.flagged || g.cleared)
            printf("with version %d: %zu %s changed, %zu %s flagged, %zu %s cleared (see "
                   "'kaoshi results %s --changes')\n",
                   g.version, g.changed, plural(g.changed, "result", "results"), g.flagged,
                   plural(g.flagged, "certificate", "certificates"), g.cleared,
                   plural(g.cleared, "flag", "flags"), argv[first]);
        if (g.published_at && g.changed)
            printf("%zu published %s changed: the candidates of %s see the new %s now\n",
                   g.changed, plural(g.changed, "result", "results"), argv[first],
                   plural(g.changed, "result", "results"));
    }
    cli_ctx_close(&c);
    return rc;
}

static int on_results_opt(int val, const char *arg, void *ud)
{
    (void)arg;
    results_opts *o = ud;
    if (val == OPT_CSV)
        o->csv = 1;
    else if (val == OPT_PUBLISH)
        o->publish = 1;
    else
        o->changes = 1;
    return CLI_OK;
}

static double num(const json_t *o, const char *key)
{
    return json_number_value(json_object_get(o, key));
}

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* "certificate NUMBER flagged" (or revoked) when the row's certificate is,
 * else "". */
static const char *certificate_note(const json_t *row, char *buf, size_t cap)
{
    const json_t *cert = json_object_get(row, "certificate");
    const char *state = str(cert, "state");
    if (!*state || strcmp(state, "valid") == 0)
        return "";
    snprintf(buf, cap, "certificate %s %s", str(cert, "number"), state);
    return buf;
}

static void print_row(const json_t *row, int csv)
{
    const char *outcome = str(row, "outcome");
    int graded = json_object_get(row, "score") != NULL;
    int attempt = (int)json_integer_value(json_object_get(row, "attempt"));
    if (csv) {
        ks_csv_field(stdout, str(row, "candidate"), ',');
        ks_csv_field(stdout, str(row, "name"), ',');
        printf("%d,%s,", attempt, str(row, "state"));
        if (graded)
            printf("%.2f,%.2f,%.2f,%s,", num(row, "score"), num(row, "max_score"),
                   num(row, "percent"), outcome);
        else
            printf(",,,%s,", outcome);
        ks_csv_field(stdout, str(row, "reason"), '\n');
        return;
    }
    char note[256];
    cli_print_padded(str(row, "candidate"), 13);
    cli_print_padded(str(row, "name"), 17);
    if (graded)
        printf("%-7d %8.2f %8.2f %7.2f%%  %s", attempt, num(row, "score"),
               num(row, "max_score"), num(row, "percent"), outcome);
    else
        printf("%-7d %8s %8s %8s  %s", attempt, "-", "-", "-", outcome);
    const char *reason = str(row, "reason"), *cert = certificate_note(row, note, sizeof note);
    if (*reason || *cert)
        printf("  %s%s%s", reason, *reason && *cert ? "; " : "", cert);
    putchar('\n');
}

static int list_results(cli_ctx *c, const char *sitting, int csv)
{
    char *text = NULL;
    ks_error err;
    if (ks_exam_results(&c->exam, sitting, c->json, &text, &err))
        return cli_fail(&err);
    json_t *rows = json_loads(text, 0, NULL);
    free(text);
    int rc = CLI_OK;
    if (c->json) {
        rc = cli_print_json(rows, JSON_INDENT(2) | JSON_SORT_KEYS);
    } else {
        if (csv)
            puts("candidate,name,attempt,state,score,max_score,percent,outcome,reason");
        else
            printf("%-12s %-16s %-7s %8s %8s %8s  %s\n", "candidate", "name", "attempt",
                   "score", "max", "percent", "outcome");
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row)
            print_row(row, csv);
    }
    json_decref(rows);
    return rc;
}

/* Replaces each entry's key (ms) by the time in the sitting's zone. */
static void local_times(json_t *list, const char *key, const ks_sitting *s)
{
    size_t i;
    json_t *entry;
    json_array_foreach(list, i, entry) {
        char at[KS_TIME_BUF];
        json_int_t ms = json_integer_value(json_object_get(entry, key));
        json_object_set_new(entry, key, json_string(cli_time(s, ms, at)));
    }
}

/* One changed result; the certificate's state (now) with the attempt's
 * last change only. */
static void print_change(const json_t *row, int last)
{
    const json_t *b = json_object_get(row, "before"), *a = json_object_get(row, "after");
    char note[256];
    const char *cert = last ? certificate_note(row, note, sizeof note) : "";
    printf("  ");
    cli_print_padded(str(row, "candidate"), 13);
    cli_print_padded(str(row, "name"), 17);
    printf("%-7d %.2f/%.2f → %.2f/%.2f  %s → %s%s%s\n",
           (int)json_integer_value(json_object_get(row, "attempt")), num(b, "score"),
           num(b, "max_score"), num(a, "score"), num(a, "max_score"), str(b, "outcome"),
           str(a, "outcome"), *cert ? "  " : "", cert);
}

/* Whether change k is the last change of its attempt. */
static int last_of_attempt(const json_t *changes, size_t k)
{
    json_int_t id = json_integer_value(json_object_get(json_array_get(changes, k), "id"));
    for (size_t later = k + 1; later < json_array_size(changes); later++)
        if (json_integer_value(json_object_get(json_array_get(changes, later), "id")) == id)
            return 0;
    return 1;
}

/* Each amendment (version 2 on) with the results it changed. */
static void print_changes(const json_t *all, const char *sitting)
{
    const json_t *changes = json_object_get(all, "changes");
    size_t i, k, shown = 0;
    json_t *v, *row;
    json_array_foreach(json_object_get(all, "versions"), i, v) {
        json_int_t version = json_integer_value(json_object_get(v, "version"));
        if (version < 2)
            continue;
        printf("version %lld, %s by %s: %s\n", (long long)version, str(v, "at"),
               str(v, "actor"), str(v, "reason"));
        size_t before = shown;
        json_array_foreach(changes, k, row) {
            if (json_integer_value(json_object_get(row, "version")) == version) {
                print_change(row, last_of_attempt(changes, k));
                shown++;
            }
        }
        if (shown == before)
            puts("  no result changed");
    }
    if (json_integer_value(json_object_get(all, "version")) < 2)
        printf("sitting %s has not been amended\n", sitting);
    else
        printf("%zu %s changed\n", shown, plural(shown, "result", "results"));
}

static int list_changes(cli_ctx *c, const char *sitting)
{
    char *text = NULL;
    ks_sitting s;
    ks_error err;
    if (ks_store_sitting_get(c->store, sitting, &s, &err))
        return cli_fail(&err);
    int rc = CLI_OK;
    if (ks_exam_amendments(&c->exam, sitting, &text, &err)) {
        rc = cli_fail(&err);
    } else {
        json_t *all = json_loads(text, 0, NULL);
        local_times(json_object_get(all, "versions"), "at", &s);
        local_times(json_object_get(all, "changes"), "at", &s);
        local_times(json_object_get(all, "flagged"), "flagged_at", &s);
        if (c->json)
            rc = cli_print_json(all, JSON_INDENT(2) | JSON_SORT_KEYS);
        else
            print_changes(all, sitting);
        json_decref(all);
    }
    free(text);
    ks_sitting_free(&s);
    return rc;
}

int cmd_results(int argc, char **argv)
{
    static const struct option opts[] = {{"csv", no_argument, NULL, OPT_CSV},
                                          {"publish", no_argument, NULL, OPT_PUBLISH},
                                          {"changes", no_argument, NULL, OPT_CHANGES},
                                          {0}};
    cli_ctx c;
    results_opts o = {0};
    int first, rc = cli_ctx_parse(&c, "results", argc, argv, opts, on_results_opt, &o, &first);
    if (rc)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("results", "expected one sitting name");
    if (o.csv && c.json)
        return cli_usage_error("results", "choose one of --json and --csv");
    if (o.changes && (o.csv || o.publish))
        return cli_usage_error("results", "--changes goes with --json only");
    if ((rc = cli_ctx_open(&c)))
        return rc;
    ks_error err;
    size_t published;
    if (o.publish && ks_exam_publish(&c.exam, argv[first], &published, &err)) {
        rc = cli_fail(&err);
    } else {
        if (o.publish && !o.csv && !c.json)
            printf("published the results of %zu attempts in %s\n", published, argv[first]);
        rc = o.changes ? list_changes(&c, argv[first]) : list_results(&c, argv[first], o.csv);
    }
    cli_ctx_close(&c);
    return rc;
}
