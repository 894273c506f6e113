/* Correlation and regression (docs/statistics.md §4): Pearson's r with its
 * t test and the printed-table critical r, and the least-squares line of a
 * scatter plot. Depends on libm and the t distribution in stats_dist.c. */
#include "kaoshi/stats.h"
#include "stats/stats_util.h"

#include <math.h>
#include <stdlib.h>

double ks_stats_pearson_r(const double *x, const double *y, size_t n, double *sxx,
                          double *syy)
{
    double mx = ks_stats_mean_of(x, n), my = ks_stats_mean_of(y, n);
    double xx = ks_stats_ss_dev(x, n, mx), yy = ks_stats_ss_dev(y, n, my);
    if (sxx)
        *sxx = xx;
    if (syy)
        *syy = yy;
    return ks_stats_r_of(ks_stats_sp_dev(x, y, n, mx, my), xx, yy);
}

double ks_stats_r_of(double sxy, double sxx, double syy)
{
    if (sxx == 0.0 || syy == 0.0)
        return NAN;
    return fmax(-1.0, fmin(1.0, sxy / sqrt(sxx * syy)));
}

ks_stat_status ks_stats_pearson_test(const double *x, size_t nx, const double *y, size_t ny,
                                     double alpha, ks_stats_pearson_result *out)
{
    if (nx != ny)
        return KS_STAT_E_LENGTH_MISMATCH;
    if (!(alpha > 0.0 && alpha < 1.0))
        return KS_STAT_E_DOMAIN;
    if (nx < 3)
        return KS_STAT_E_N_TOO_SMALL;
    double sxx, syy;
    double r = ks_stats_pearson_r(x, y, nx, &sxx, &syy);
    if (sxx == 0.0 || syy == 0.0)
        return KS_STAT_E_ZERO_VARIANCE;
    out->n = nx;
    out->df = nx - 2;
    double df = (double)out->df;
    out->r = r;
    out->r2 = r * r;
    out->t = fabs(r) == 1.0 ? copysign(INFINITY, r) : r * sqrt(df / (1.0 - out->r2));
    ks_stats_t_verdict(out->t, df, alpha, &out->p_two_sided, &out->t_crit, &out->significant);
    out->r_crit = out->t_crit / sqrt(df + out->t_crit * out->t_crit);
    return KS_STAT_OK;
}

ks_stat_status ks_stats_linreg(const double *x, size_t nx, const double *y, size_t ny,
                               ks_stats_linreg_result *out)
{
    out->fitted = NULL;
    out->n = 0;
    if (nx != ny)
        return KS_STAT_E_LENGTH_MISMATCH;
    if (nx < 2)
        return KS_STAT_E_N_TOO_SMALL;
    size_t n = nx;
    double mx = ks_stats_mean_of(x, n), my = ks_stats_mean_of(y, n);
    double sxx = ks_stats_ss_dev(x, n, mx);
    if (sxx == 0.0)
        return KS_STAT_E_ZERO_VARIANCE;
    out->fitted = ks_stats_calloc(n, sizeof *out->fitted);
    if (!out->fitted)
        return KS_STAT_E_NOMEM;
    out->n = n;
    out->slope = ks_stats_sp_dev(x, y, n, mx, my) / sxx;
    out->intercept = my - out->slope * mx;
    out->sse = 0.0;
    for (size_t i = 0; i < n; i++) {
        out->fitted[i] = out->intercept + out->slope * x[i];
        double e = y[i] - out->fitted[i];
        out->sse += e * e;
    }
    out->sst = ks_stats_ss_dev(y, n, my);
    out->r2 = out->sst == 0.0 ? NAN : 1.0 - out->sse / out->sst;
    return KS_STAT_OK;
}

void ks_stats_linreg_free(ks_stats_linreg_result *r)
{
    free(r->fitted);
    r->fitted = NULL;
    r->n = 0;
}
