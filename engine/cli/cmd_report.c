/* kaoshi report SITTING...: the item and test statistics of sittings
 * (kaoshi/analytics.h) as text, JSON, CSV or an HTML page for proctors,
 * with an optional comparison of two groups. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "kaoshi/analytics_load.h"

enum { OPT_CSV = 1, OPT_HTML, OPT_ATTEMPTS, OPT_COMPARE, OPT_RETAKES };

typedef struct report_opts {
    int csv, retakes;
    const char *html, *compare;
    ks_analytics_which which;
} report_opts;

static int on_report_opt(int val, const char *arg, void *ud)
{
    report_opts *o = ud;
    switch (val) {
    case OPT_CSV: o->csv = 1; break;
    case OPT_HTML: o->html = arg; break;
    case OPT_COMPARE: o->compare = arg; break;
    case OPT_RETAKES: o->retakes = 1; break;
    default:
        if (strcmp(arg, "first") == 0)
            o->which = KS_ANALYTICS_FIRST;
        else if (strcmp(arg, "all") == 0)
            o->which = KS_ANALYTICS_ALL;
        else
            return cli_usage_error("report", "--attempts: expected first or all, found '%s'",
                                   arg);
    }
    return CLI_OK;
}

/* ---- text ------------------------------------------------------------------------ */

/* A figure in a field of `width`, or "-" when it is undefined. */
static void fig(double v, int width, int decimals)
{
    if (isfinite(v))
        printf(" %*.*f", width, decimals, v);
    else
        printf(" %*s", width, "-");
}

static void test_line(const char *label, double v, int decimals, const char *unit)
{
    printf("%-20s", label);
    if (isfinite(v))
        printf("%.*f%s\n", decimals, v, unit);
    else
        puts("-");
}

static void flags_text(unsigned flags)
{
    const char *sep = " ";
    for (int f = 0; f < KS_ANALYTICS_FLAG_COUNT; f++)
        if (flags & (1u << f)) {
            printf("%s%s", sep, ks_analytics_flag_name((ks_analytics_flag)f));
            sep = ",";
        }
}

static void stat_columns(const ks_analytics_stat *s)
{
    printf(" %5zu", s->n);
    fig(s->facility, 7, 2);
    fig(s->sd, 6, 2);
    fig(s->guess, 6, 2);
    fig(s->intended_weight, 6, 2);
    fig(s->effective_weight, 6, 2);
    fig(s->discrimination_index, 7, 2);
    fig(s->discriminative_efficiency, 7, 2);
    fig(s->p, 5, 3);
    fig(s->point_biserial, 6, 3);
    fig(s->d, 6, 3);
    flags_text(s->flags);
    putchar('\n');
}

#define STAT_HEADER                                                                        \
    "     n facility     sd  guess     iw     ew      di      de     p   r_pb      d  flags"

static void print_comparison(const ks_analytics_comparison *c)
{
    printf("\ncomparison (Welch's t-test of scores in percent): A = %s, B = %s\n", c->label_a,
           c->label_b);
    if (c->status != KS_STAT_OK) {
        printf("no test: %s\n", ks_stats_status_text(c->status));
        return;
    }
    const ks_stats_ttest2_result *t = &c->t;
    printf("A: n %zu, mean %.2f%%; B: n %zu, mean %.2f%%; t = %.4f, df = %.2f, p = %.4f: "
           "%s at 0.05\n", t->n1, t->mean1, t->n2, t->mean2, t->t, t->df, t->p_two_sided,
           t->significant ? "significant" : "not significant");
}

static void print_text(const ks_analytics_report *r)
{
    const ks_analytics_test_stat *t = &r->test;
    printf("%s%s%s, sitting%s", r->code, r->title ? " " : "", r->title ? r->title : "",
           r->nsittings > 1 ? "s" : "");
    for (size_t i = 0; i < r->nsittings; i++)
        printf("%s %s", i ? "," : "", r->sittings[i]);
    printf(" (%s)\n\n", r->which == KS_ANALYTICS_FIRST ? "first attempts"
                                                        : "all graded attempts");
    printf("%-20s%zu\n", "attempts", t->n);
    test_line("max score", t->max_score, 2, "");
    printf("%-20s", "mean");
    if (isfinite(t->mean))
        printf("%.2f (%.2f%%)\n", t->mean, 100 * t->mean / t->max_score);
    else
        puts("-");
    test_line("median", t->median, 2, "");
    test_line("sd", t->sd, 2, "");
    test_line("skewness", t->skewness, 4, "");
    test_line("kurtosis", t->kurtosis, 4, "");
    test_line("CIC", t->cic, 2, "%");
    test_line("error ratio", t->error_ratio, 2, "%");
    test_line("standard error", t->standard_error, 2, "");
    test_line("KR-20", t->kr20, 4, "");
    printf("%-20s%zu\n", "upper/lower group", t->group_size);

    printf("\nslot section pos items" STAT_HEADER "\n");
    for (size_t i = 0; i < r->nslots; i++) {
        const ks_analytics_slot_stat *s = &r->slots[i];
        printf("%4zu %7d %3d %5zu", i + 1, s->section, s->position, s->nitems);
        stat_columns(&s->stat);
    }
    printf("\n%-16s %-10s %-8s" STAT_HEADER "\n", "item", "type", "slots");
    for (size_t j = 0; j < r->nitems; j++) {
        const ks_analytics_item_stat *it = &r->items[j];
        char slots[64] = "";
        size_t len = 0;
        for (size_t k = 0; k < it->nslots && len < sizeof slots - 12; k++)
            len += (size_t)snprintf(slots + len, sizeof slots - len, "%s%zu", k ? "," : "",
                                    it->slots[k] + 1);
        printf("%-16s %-10s %-8s", it->info->id, it->info->type, slots);
        stat_columns(&it->stat);
    }
    if (r->comparison)
        print_comparison(r->comparison);
}

/* ---- the command ------------------------------------------------------------------- */

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    int written = f && fputs(text, f) != EOF;
    if (f && fclose(f) != 0)
        written = 0;
    if (!written) {
        fprintf(stderr, "kaoshi: cannot write %s: %s\n", path, strerror(errno));
        return CLI_FAILED;
    }
    return CLI_OK;
}

/* Renders r as the options ask. */
static int output(const cli_ctx *c, const report_opts *o, const ks_analytics_report *r)
{
    ks_error err;
    char *text = NULL;
    if (c->json) {
        json_t *j = ks_analytics_json(r);
        int rc = j ? cli_print_json(j, JSON_INDENT(2))
                   : cli_fail(&(ks_error){KS_EINTERNAL, "out of memory"});
        json_decref(j);
        return rc;
    } else if (o->csv) {
        if (ks_analytics_csv(r, &text, &err))
            return cli_fail(&err);
        fputs(text, stdout);
    } else if (o->html) {
        if (ks_analytics_html(r, NULL, &text, &err))
            return cli_fail(&err);
        int rc = write_file(o->html, text);
        if (!rc)
            printf("wrote the report of %zu attempts to %s\n", r->test.n, o->html);
        free(text);
        return rc;
    } else {
        print_text(r);
    }
    free(text);
    return CLI_OK;
}

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {{"csv", no_argument, NULL, OPT_CSV},
                                          {"html", required_argument, NULL, OPT_HTML},
                                          {"attempts", required_argument, NULL, OPT_ATTEMPTS},
                                          {"compare", required_argument, NULL, OPT_COMPARE},
                                          {"compare-retakes", no_argument, NULL, OPT_RETAKES},
                                          {0}};
    cli_ctx c;
    report_opts o = {.which = KS_ANALYTICS_ALL};
    int first, rc = cli_ctx_parse(&c, "report", argc, argv, opts, on_report_opt, &o, &first);
    if (rc)
        return rc;
    if (argc - first < 1)
        return cli_usage_error("report", "expected one or more sitting names");
    if (c.json + o.csv + (o.html != NULL) > 1)
        return cli_usage_error("report", "choose one of --json, --csv and --html");
    if (o.compare && o.retakes)
        return cli_usage_error("report", "choose one of --compare and --compare-retakes");
    if (o.retakes && o.which == KS_ANALYTICS_FIRST)
        return cli_usage_error("report", "--compare-retakes compares first attempts with "
                               "retakes, so it needs --attempts all");
    if ((rc = cli_ctx_open(&c)))
        return rc;
    ks_error err;
    ks_analytics_data *d;
    ks_analytics_report *r;
    ks_analytics_request q = {(const char *const *)argv + first, (size_t)(argc - first),
                              o.which, o.compare, o.retakes};
    if (ks_analytics_report_sittings(&c.exam, &q, &d, &r, &err))
        rc = cli_fail(&err);
    else
        rc = output(&c, &o, r);
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
    cli_ctx_close(&c);
    return rc;
}
