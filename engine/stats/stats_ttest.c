/* t-tests for comparing scorers (docs/statistics.md §5): Student's pooled
 * test, Welch's test with the Welch–Satterthwaite df (not rounded), and the
 * paired test. Sample variances use ddof 1. Depends on libm and stats_dist.c. */
#include "kaoshi/stats.h"
#include "stats/stats_util.h"

#include <math.h>
#include <stdlib.h>

/* The checks and per-group moments shared by the two independent tests. */
static ks_stat_status two_groups(const double *a, size_t na, const double *b, size_t nb,
                                 double alpha, ks_stats_ttest2_result *out)
{
    if (!(alpha > 0.0 && alpha < 1.0))
        return KS_STAT_E_DOMAIN;
    if (na < 2 || nb < 2)
        return KS_STAT_E_N_TOO_SMALL;
    out->n1 = na;
    out->n2 = nb;
    out->mean1 = ks_stats_mean_of(a, na);
    out->mean2 = ks_stats_mean_of(b, nb);
    out->var1 = ks_stats_ss_dev(a, na, out->mean1) / (double)(na - 1);
    out->var2 = ks_stats_ss_dev(b, nb, out->mean2) / (double)(nb - 1);
    out->mean_diff = out->mean1 - out->mean2;
    return KS_STAT_OK;
}

/* t from the difference and se, then the verdict at out->df. */
static ks_stat_status finish(double alpha, ks_stats_ttest2_result *out)
{
    if (out->se == 0.0)
        return KS_STAT_E_ZERO_VARIANCE;
    out->t = out->mean_diff / out->se;
    ks_stats_t_verdict(out->t, out->df, alpha, &out->p_two_sided, &out->t_crit,
                       &out->significant);
    return KS_STAT_OK;
}

ks_stat_status ks_stats_ttest_student(const double *a, size_t na, const double *b, size_t nb,
                                      double alpha, ks_stats_ttest2_result *out)
{
    ks_stat_status st = two_groups(a, na, b, nb, alpha, out);
    if (st != KS_STAT_OK)
        return st;
    double n1 = (double)na, n2 = (double)nb;
    out->df = n1 + n2 - 2.0;
    out->pooled_var = ((n1 - 1.0) * out->var1 + (n2 - 1.0) * out->var2) / out->df;
    out->se = sqrt(out->pooled_var * (1.0 / n1 + 1.0 / n2));
    return finish(alpha, out);
}

ks_stat_status ks_stats_ttest_welch(const double *a, size_t na, const double *b, size_t nb,
                                    double alpha, ks_stats_ttest2_result *out)
{
    ks_stat_status st = two_groups(a, na, b, nb, alpha, out);
    if (st != KS_STAT_OK)
        return st;
    double q1 = out->var1 / (double)na, q2 = out->var2 / (double)nb;
    out->pooled_var = NAN;
    out->se = sqrt(q1 + q2);
    out->df = (q1 + q2) * (q1 + q2) /
              (q1 * q1 / (double)(na - 1) + q2 * q2 / (double)(nb - 1));
    return finish(alpha, out);
}

ks_stat_status ks_stats_ttest_paired(const double *a, size_t na, const double *b, size_t nb,
                                     double alpha, ks_stats_paired_result *out)
{
    if (na != nb)
        return KS_STAT_E_LENGTH_MISMATCH;
    if (!(alpha > 0.0 && alpha < 1.0))
        return KS_STAT_E_DOMAIN;
    if (na < 2)
        return KS_STAT_E_N_TOO_SMALL;
    size_t n = na;
    double *d = ks_stats_calloc(n, sizeof *d);
    if (!d)
        return KS_STAT_E_NOMEM;
    for (size_t i = 0; i < n; i++)
        d[i] = a[i] - b[i];
    double mean = ks_stats_mean_of(d, n), ss = ks_stats_ss_dev(d, n, mean);
    free(d);
    out->n = n;
    out->df = n - 1;
    out->mean_diff = mean;
    out->sd_diff = sqrt(ss / (double)(n - 1));
    out->se = out->sd_diff / sqrt((double)n);
    if (out->se == 0.0)
        return KS_STAT_E_ZERO_VARIANCE;
    out->t = mean / out->se;
    ks_stats_t_verdict(out->t, (double)out->df, alpha, &out->p_two_sided, &out->t_crit,
                       &out->significant);
    return KS_STAT_OK;
}
