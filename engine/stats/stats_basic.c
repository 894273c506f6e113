/* Statistics basics: status names, the two-pass moment helpers, ceil_eps,
 * result-array allocation, and the dispersion functions cv and zscores
 * (docs/statistics.md §0-§2). Depends on libm only. */
#include "kaoshi/stats.h"
#include "stats/stats_util.h"

#include <math.h>
#include <stdlib.h>

const char *ks_stats_status_name(ks_stat_status s)
{
    switch (s) {
    case KS_STAT_OK: return "OK";
    case KS_STAT_E_LENGTH_MISMATCH: return "E_LENGTH_MISMATCH";
    case KS_STAT_E_DOMAIN: return "E_DOMAIN";
    case KS_STAT_E_N_TOO_SMALL: return "E_N_TOO_SMALL";
    case KS_STAT_E_ZERO_VARIANCE: return "E_ZERO_VARIANCE";
    case KS_STAT_E_DIV_ZERO: return "E_DIV_ZERO";
    case KS_STAT_E_NOMEM: return "E_NOMEM";
    }
    return "E_UNKNOWN";
}

const char *ks_stats_status_text(ks_stat_status s)
{
    switch (s) {
    case KS_STAT_OK: return "success";
    case KS_STAT_E_LENGTH_MISMATCH: return "paired arrays differ in length";
    case KS_STAT_E_DOMAIN: return "a parameter is outside its allowed range";
    case KS_STAT_E_N_TOO_SMALL: return "too few observations for the statistic";
    case KS_STAT_E_ZERO_VARIANCE:
        return "a variance, standard deviation or moving range used as a divisor is 0";
    case KS_STAT_E_DIV_ZERO: return "a divisor (mean, actual value or grand mean) is 0";
    case KS_STAT_E_NOMEM: return "out of memory";
    }
    return "unknown status";
}

double ks_stats_mean_of(const double *x, size_t n)
{
    ks_stats_mean_acc a = KS_STATS_MEAN_START;
    for (size_t i = 0; i < n; i++)
        ks_stats_mean_add(&a, x[i]);
    return ks_stats_mean_end(&a, n);
}

double ks_stats_ss_dev(const double *x, size_t n, double mean)
{
    double ss = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - mean;
        ss += d * d;
    }
    return ss;
}

double ks_stats_sp_dev(const double *x, const double *y, size_t n, double mx, double my)
{
    double sp = 0.0;
    for (size_t i = 0; i < n; i++)
        sp += (x[i] - mx) * (y[i] - my);
    return sp;
}

double ks_stats_ceil_eps(double v) { return ceil(v - 1e-9); }

void *ks_stats_calloc(size_t count, size_t size) { return calloc(count ? count : 1, size); }

ks_stat_status ks_stats_mean_sd(const double *x, size_t n, int ddof, double *mean, double *sd)
{
    if (ddof != 0 && ddof != 1)
        return KS_STAT_E_DOMAIN;
    if (n < (size_t)1 + (size_t)ddof)
        return KS_STAT_E_N_TOO_SMALL;
    *mean = ks_stats_mean_of(x, n);
    *sd = sqrt(ks_stats_ss_dev(x, n, *mean) / (double)(n - (size_t)ddof));
    return KS_STAT_OK;
}

ks_stat_status ks_stats_cv(const double *x, size_t n, int ddof, ks_stats_cv_result *out)
{
    ks_stat_status st = ks_stats_mean_sd(x, n, ddof, &out->mean, &out->sd);
    if (st != KS_STAT_OK)
        return st;
    if (out->mean == 0.0)
        return KS_STAT_E_DIV_ZERO;
    out->n = n;
    out->cv = out->sd / out->mean;
    out->cv_percent = 100.0 * out->cv;
    return KS_STAT_OK;
}

static int band_of(double z)
{
    double a = fabs(z);
    int band = a <= 1.0 ? 0 : a <= 2.0 ? 1 : a <= 3.0 ? 2 : 3;
    return z < 0 ? -band : band;
}

ks_stat_status ks_stats_zscores(const double *x, size_t n, int ddof,
                                ks_stats_zscores_result *out)
{
    out->z = NULL;
    out->band = NULL;
    ks_stat_status st = ks_stats_mean_sd(x, n, ddof, &out->mean, &out->sd);
    if (st != KS_STAT_OK)
        return st;
    if (out->sd == 0.0)
        return KS_STAT_E_ZERO_VARIANCE;
    out->n = n;
    out->z = ks_stats_calloc(n, sizeof *out->z);
    out->band = ks_stats_calloc(n, sizeof *out->band);
    if (!out->z || !out->band) {
        ks_stats_zscores_free(out);
        return KS_STAT_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        out->z[i] = (x[i] - out->mean) / out->sd;
        out->band[i] = band_of(out->z[i]);
    }
    return KS_STAT_OK;
}

void ks_stats_zscores_free(ks_stats_zscores_result *r)
{
    free(r->z);
    free(r->band);
    r->z = NULL;
    r->band = NULL;
}
