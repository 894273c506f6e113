/* Helpers shared by the engine/stats_*.c files and the analytics report
 * (not part of the public API): two-pass moments (and the mean as a running
 * sum), the alpha and KR-20 formulas, ceil_eps, allocation of result arrays,
 * the ranking of examinees by total, and the t and normal distributions
 * (GSL, with the t quantile refined by Newton steps).
 * Depends on libm and GSL only. */
#ifndef KAOSHI_STATS_UTIL_H
#define KAOSHI_STATS_UTIL_H

#include "kaoshi/stats.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

/* The mean of x[0..n-1], n > 0: the plain sum over n, kept within
 * [min x, max x] so that constant data have exactly their value as mean
 * (0.1+0.1+0.1 over 3 is not 0.1) and hence a variance of exactly 0. */
double ks_stats_mean_of(const double *x, size_t n);

/* ks_stats_mean_of one value at a time, for sums that stream through data
 * (many means in one pass): start from KS_STATS_MEAN_START, add the values
 * in order, and ks_stats_mean_end gives exactly what ks_stats_mean_of gives
 * for them. lo and hi, from +inf and -inf, are the least and the greatest
 * value that is not NaN (a NaN loses, as in fmin and fmax); with none, the
 * mean is the sum's NaN. */
typedef struct ks_stats_mean_acc {
    double sum, lo, hi;
} ks_stats_mean_acc;

#define KS_STATS_MEAN_START ((ks_stats_mean_acc){0.0, INFINITY, -INFINITY})

static inline void ks_stats_mean_add(ks_stats_mean_acc *a, double x)
{
    a->sum += x;
    a->lo = x < a->lo ? x : a->lo; /* one minsd and one maxsd: no libm call, no branch */
    a->hi = x > a->hi ? x : a->hi;
}

static inline double ks_stats_mean_end(const ks_stats_mean_acc *a, size_t n)
{
    double mean = a->sum / (double)n;
    return a->lo <= a->hi ? fmax(a->lo, fmin(a->hi, mean)) : mean;
}

/* Σ(x-mean)², given the mean (the second of the two passes). */
double ks_stats_ss_dev(const double *x, size_t n, double mean);

/* Σ(x-mx)(y-my). */
double ks_stats_sp_dev(const double *x, const double *y, size_t n, double mx, double my);

/* The checks and moments shared by cv, zscores and sd_limits: ddof must be
 * 0 or 1 (else E_DOMAIN), n >= 1 + ddof (else E_N_TOO_SMALL); then the mean
 * and sd = sqrt(Σ(x-mean)²/(n-ddof)). */
ks_stat_status ks_stats_mean_sd(const double *x, size_t n, int ddof, double *mean, double *sd);

/* Pearson's r = sxy/sqrt(sxx·syy) clamped to [-1, 1], or NaN when x or y is
 * constant; *sxx and *syy (when not NULL) receive the sums of squares. */
double ks_stats_pearson_r(const double *x, const double *y, size_t n, double *sxx,
                          double *syy);

/* r = sxy/sqrt(sxx·syy) clamped to [-1, 1] from the sums of products and
 * squares of deviations, or NaN when sxx or syy is 0. */
double ks_stats_r_of(double sxy, double sxx, double syy);

/* Cronbach's alpha k/(k-1)·(1 - Σ item variances / variance of the totals)
 * and KR-20 k/(k-1)·(1 - Σ p_j(1-p_j) / population variance of the totals)
 * from those sums (k >= 2, variance not 0): ks_stats_cronbach_alpha and
 * ks_stats_kr20 without the score matrix, for callers that hold the sums. */
double ks_stats_alpha_of(size_t k, double sum_item_var, double var_total);
double ks_stats_kr20_of(const double *p, size_t k, double var_total_pop);

/* ceil(v - 1e-9): the smallest integer >= v, forgiving representation error. */
double ks_stats_ceil_eps(double v);

/* calloc that never returns NULL for a zero count, so NULL always means out
 * of memory. */
void *ks_stats_calloc(size_t count, size_t size);

/* The indices 0..n-1 ranked by total, highest first, ties in index order
 * (lowest first), written to order[0..n-1]; the upper and lower groups of
 * item analysis are cut from it. False when out of memory. */
bool ks_stats_rank_desc(const double *totals, size_t n, size_t *order);

/* P(T_df > t) for the Student t distribution; df > 0, may be non-integer. */
double ks_stats_t_sf(double t, double df);

/* The t with P(T_df > t) = q, for 0 < q < 1. */
double ks_stats_t_isf(double q, double df);

/* Φ⁻¹(p), 0 < p < 1. */
double ks_stats_normal_quantile(double p);

/* The two-sided p-value, critical value and verdict shared by the t-tests
 * and the Pearson test: p = 2·P(T_df > |t|), t_crit = t_{1-alpha/2, df},
 * significant = |t| > t_crit. */
void ks_stats_t_verdict(double t, double df, double alpha, double *p_two_sided,
                        double *t_crit, bool *significant);

#endif
