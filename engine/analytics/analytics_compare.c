/* Comparisons of two groups of attempts for the analytics report (see
 * ks_analytics_compare in include/kaoshi/analytics.h): Welch's t-test
 * (ks_stats_ttest_welch, alpha 0.05) of the scores in percent of the maximum,
 * the report's attempts against another data set's, or first attempts
 * against retakes. Depends on the statistics core. */
#include <stdlib.h>
#include <string.h>

#include "analytics/analytics_impl.h"
#include "stats/stats_util.h"

void analytics_comparison_free(ks_analytics_comparison *c)
{
    if (!c)
        return;
    free(c->label_a);
    free(c->label_b);
    free(c);
}

static char *joined_sittings(const ks_analytics_report *r)
{
    size_t len = 1;
    for (size_t i = 0; i < r->nsittings; i++)
        len += strlen(r->sittings[i]) + 2;
    char *s = calloc(len, 1);
    for (size_t i = 0; s && i < r->nsittings; i++) {
        if (i)
            strcat(s, ", ");
        strcat(s, r->sittings[i]);
    }
    return s;
}

/* Runs the test on a and b (percent scores) and stores it in r. */
static ks_status set_comparison(ks_analytics_report *r, char *label_a, const char *label_b,
                                const double *a, size_t na, const double *b, size_t nb,
                                ks_error *err)
{
    ks_analytics_comparison *c = calloc(1, sizeof *c);
    if (c) {
        c->label_a = label_a;
        c->label_b = strdup(label_b);
        label_a = NULL;
    }
    free(label_a);
    if (!c || !c->label_a || !c->label_b) {
        analytics_comparison_free(c);
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    c->status = ks_stats_ttest_welch(a, na, b, nb, 0.05, &c->t);
    if (c->status == KS_STAT_E_NOMEM) {
        analytics_comparison_free(c);
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    analytics_comparison_free(r->comparison);
    r->comparison = c;
    return KS_OK;
}

static double percent_of(double score, double max) { return 100 * score / max; }

ks_status ks_analytics_compare(ks_analytics_report *r, const ks_analytics_data *other,
                               const char *label_b, ks_error *err)
{
    size_t na = r->test.n, nb = 0;
    double *a = ks_stats_calloc(na, sizeof *a);
    double *b = ks_stats_calloc(other->nattempts, sizeof *b);
    double max_b = 0;
    for (size_t i = 0; i < other->nslots; i++)
        max_b += other->slots[i].points;
    if (a && b) {
        for (size_t k = 0; k < na; k++)
            a[k] = percent_of(r->test.scores[k], r->test.max_score);
        for (size_t k = 0; k < other->nattempts; k++) {
            if (r->which == KS_ANALYTICS_FIRST && other->attempts[k].number != 1)
                continue;
            const analytics_cell *row = analytics_cells_of(other, k);
            double sum = 0;
            for (size_t i = 0; i < other->nslots; i++)
                sum += row[i].points;
            b[nb++] = percent_of(sum, max_b);
        }
    }
    ks_status rc = a && b ? set_comparison(r, joined_sittings(r), label_b, a, na, b, nb, err)
                          : ks_error_set(err, KS_EINTERNAL, "out of memory");
    free(a);
    free(b);
    return rc;
}

ks_status ks_analytics_compare_retakes(ks_analytics_report *r, ks_error *err)
{
    if (r->which == KS_ANALYTICS_FIRST)
        return ks_error_set(err, KS_EINPUT, "only first attempts are analysed, so there are "
                            "no retakes to compare with");
    size_t n = r->test.n, na = 0, nb = 0;
    double *a = ks_stats_calloc(n, sizeof *a), *b = ks_stats_calloc(n, sizeof *b);
    size_t k = 0;
    for (size_t i = 0; a && b && i < r->data->nattempts; i++) {
        double pct = percent_of(r->test.scores[k++], r->test.max_score);
        if (r->data->attempts[i].number == 1)
            a[na++] = pct;
        else
            b[nb++] = pct;
    }
    ks_status rc = a && b ? set_comparison(r, strdup("首次作答"), "补考", a, na, b, nb, err)
                          : ks_error_set(err, KS_EINTERNAL, "out of memory");
    free(a);
    free(b);
    return rc;
}
