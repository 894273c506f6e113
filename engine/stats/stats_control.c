/* Control charts (docs/statistics.md §3): individuals/moving-range limits,
 * mean ± k·sd limits, the p chart, and the "6-8-1-3-5" special-cause rules.
 * Depends on libm only. */
#include "kaoshi/stats.h"
#include "stats/stats_util.h"

#include <math.h>
#include <stdlib.h>

/* Table constants for subgroups of 2, as printed (not 3/1.128 etc.). */
#define D2_N2 1.128
#define E2_N2 2.660
#define D4_N2 3.267

ks_stat_status ks_stats_xmr_limits(const double *x, size_t n, ks_stats_xmr_result *out)
{
    out->mr = NULL;
    out->n_mr = 0;
    if (n < 2)
        return KS_STAT_E_N_TOO_SMALL;
    double *mr = ks_stats_calloc(n - 1, sizeof *mr);
    if (!mr)
        return KS_STAT_E_NOMEM;
    for (size_t i = 1; i < n; i++)
        mr[i - 1] = fabs(x[i] - x[i - 1]);
    double mr_bar = ks_stats_mean_of(mr, n - 1);
    if (mr_bar == 0.0) {
        free(mr);
        return KS_STAT_E_ZERO_VARIANCE;
    }
    out->center = ks_stats_mean_of(x, n);
    out->mr = mr;
    out->n_mr = n - 1;
    out->mr_bar = mr_bar;
    out->sigma = mr_bar / D2_N2;
    out->ucl = out->center + 3.0 * out->sigma;
    out->lcl = out->center - 3.0 * out->sigma;
    out->ucl_e2 = out->center + E2_N2 * mr_bar;
    out->lcl_e2 = out->center - E2_N2 * mr_bar;
    out->mr_ucl = D4_N2 * mr_bar;
    out->mr_lcl = 0.0;
    return KS_STAT_OK;
}

void ks_stats_xmr_free(ks_stats_xmr_result *r)
{
    free(r->mr);
    r->mr = NULL;
    r->n_mr = 0;
}

ks_stat_status ks_stats_sd_limits(const double *x, size_t n, int ddof, double k,
                                  ks_stats_sd_limits_result *out)
{
    if (!(k > 0.0))
        return KS_STAT_E_DOMAIN;
    ks_stat_status st = ks_stats_mean_sd(x, n, ddof, &out->center, &out->sigma);
    if (st != KS_STAT_OK)
        return st;
    if (out->sigma == 0.0)
        return KS_STAT_E_ZERO_VARIANCE;
    out->ucl = out->center + k * out->sigma;
    out->lcl = out->center - k * out->sigma;
    return KS_STAT_OK;
}

/* A count pair of the p chart: whole numbers, 0 <= defects <= size, size > 0. */
static bool count_ok(double defects, double size)
{
    return defects >= 0.0 && size > 0.0 && defects <= size && isfinite(size) &&
           defects == floor(defects) && size == floor(size);
}

ks_stat_status ks_stats_p_chart(const double *defects, size_t n_defects,
                                const double *sizes, size_t n_sizes,
                                ks_stats_p_chart_result *out)
{
    *out = (ks_stats_p_chart_result){0};
    if (n_defects != n_sizes)
        return KS_STAT_E_LENGTH_MISMATCH;
    size_t m = n_defects;
    for (size_t i = 0; i < m; i++)
        if (!count_ok(defects[i], sizes[i]))
            return KS_STAT_E_DOMAIN;
    if (m == 0)
        return KS_STAT_E_N_TOO_SMALL;
    double sum_d = 0.0, sum_n = 0.0;
    for (size_t i = 0; i < m; i++) {
        sum_d += defects[i];
        sum_n += sizes[i];
    }
    double p_bar = sum_d / sum_n;
    if (p_bar == 0.0 || p_bar == 1.0)
        return KS_STAT_E_ZERO_VARIANCE;

    out->m = m;
    out->p_bar = p_bar;
    out->p = ks_stats_calloc(m, sizeof *out->p);
    out->sigma = ks_stats_calloc(m, sizeof *out->sigma);
    out->ucl = ks_stats_calloc(m, sizeof *out->ucl);
    out->lcl = ks_stats_calloc(m, sizeof *out->lcl);
    out->z = ks_stats_calloc(m, sizeof *out->z);
    out->beyond_limits.idx = ks_stats_calloc(m, sizeof *out->beyond_limits.idx);
    if (!out->p || !out->sigma || !out->ucl || !out->lcl || !out->z ||
        !out->beyond_limits.idx) {
        ks_stats_p_chart_free(out);
        return KS_STAT_E_NOMEM;
    }
    for (size_t i = 0; i < m; i++) {
        double p = defects[i] / sizes[i];
        double sigma = sqrt(p_bar * (1.0 - p_bar) / sizes[i]);
        out->p[i] = p;
        out->sigma[i] = sigma;
        out->ucl[i] = fmin(1.0, p_bar + 3.0 * sigma);
        out->lcl[i] = fmax(0.0, p_bar - 3.0 * sigma);
        out->z[i] = (p - p_bar) / sigma;
        if (p > out->ucl[i] || p < out->lcl[i])
            out->beyond_limits.idx[out->beyond_limits.count++] = i;
    }
    return KS_STAT_OK;
}

void ks_stats_p_chart_free(ks_stats_p_chart_result *r)
{
    free(r->p);
    free(r->sigma);
    free(r->ucl);
    free(r->lcl);
    free(r->z);
    free(r->beyond_limits.idx);
    *r = (ks_stats_p_chart_result){0};
}

/* ---- special-cause rules --------------------------------------------------- */

const char *ks_stats_rule_name(int rule)
{
    static const char *const names[KS_STATS_RULE_COUNT] = {"rule1", "rule3", "rule5",
                                                           "rule6", "rule8"};
    return rule >= 0 && rule < KS_STATS_RULE_COUNT ? names[rule] : NULL;
}

/* Marks of one rule: sig[i] when point i signals, pat[i] when point i is part
 * of a signalling pattern. */
typedef struct rule_marks {
    unsigned char *sig, *pat;
} rule_marks;

/* "need of the last `window` points beyond the same limit, the current one
 * included", for rule1 (1 of 1, 3σ), rule3 (2 of 3, 2σ) and rule5 (4 of 5, 1σ).
 * The window is truncated at the start of the series. */
static void zone_rule(const double *x, size_t n, double upper, double lower, size_t window,
                      size_t need, rule_marks m)
{
    for (size_t i = 0; i < n; i++) {
        int side = x[i] > upper ? 1 : x[i] < lower ? -1 : 0;
        if (!side)
            continue;
        size_t lo = i + 1 >= window ? i + 1 - window : 0, count = 0;
        for (size_t j = lo; j <= i; j++)
            count += side > 0 ? x[j] > upper : x[j] < lower;
        if (count < need)
            continue;
        m.sig[i] = 1;
        for (size_t j = lo; j <= i; j++)
            if (side > 0 ? x[j] > upper : x[j] < lower)
                m.pat[j] = 1;
    }
}

/* rule6: 6 points (5 strict steps) all rising or all falling. */
static void trend_rule(const double *x, size_t n, rule_marks m)
{
    for (size_t i = 5; i < n; i++) {
        bool rising = true, falling = true;
        for (size_t j = i - 4; j <= i; j++) {
            rising = rising && x[j - 1] < x[j];
            falling = falling && x[j - 1] > x[j];
        }
        if (!rising && !falling)
            continue;
        m.sig[i] = 1;
        for (size_t j = i - 5; j <= i; j++)
            m.pat[j] = 1;
    }
}

/* rule8: 8 points strictly on one side of the centre line. */
static void run_rule(const double *x, size_t n, double center, rule_marks m)
{
    for (size_t i = 7; i < n; i++) {
        bool above = true, below = true;
        for (size_t j = i - 7; j <= i; j++) {
            above = above && x[j] > center;
            below = below && x[j] < center;
        }
        if (!above && !below)
            continue;
        m.sig[i] = 1;
        for (size_t j = i - 7; j <= i; j++)
            m.pat[j] = 1;
    }
}

/* Turns marks into an ascending index list. */
static bool collect(const unsigned char *mark, size_t n, ks_stats_index_list *list)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += mark[i];
    list->idx = ks_stats_calloc(count, sizeof *list->idx);
    if (!list->idx)
        return false;
    for (size_t i = 0; i < n; i++)
        if (mark[i])
            list->idx[list->count++] = i;
    return true;
}

ks_stat_status ks_stats_control_rules(const double *x, size_t n, double center, double sigma,
                                      ks_stats_rules_result *out)
{
    *out = (ks_stats_rules_result){0};
    if (!(sigma >= 0.0))
        return KS_STAT_E_DOMAIN;
    if (sigma == 0.0)
        return KS_STAT_E_ZERO_VARIANCE;
    double upper[4], lower[4];
    for (int k = 1; k <= 3; k++) {
        upper[k] = center + k * sigma;
        lower[k] = center - k * sigma;
    }
    /* Per rule: signal marks then pattern marks; then the union of signals. */
    unsigned char *marks = ks_stats_calloc(n, 2 * KS_STATS_RULE_COUNT + 1);
    if (!marks)
        return KS_STAT_E_NOMEM;
    rule_marks rm[KS_STATS_RULE_COUNT];
    for (int r = 0; r < KS_STATS_RULE_COUNT; r++)
        rm[r] = (rule_marks){marks + (size_t)(2 * r) * n, marks + (size_t)(2 * r + 1) * n};
    unsigned char *any = marks + (size_t)(2 * KS_STATS_RULE_COUNT) * n;

    zone_rule(x, n, upper[3], lower[3], 1, 1, rm[KS_STATS_RULE1]);
    zone_rule(x, n, upper[2], lower[2], 3, 2, rm[KS_STATS_RULE3]);
    zone_rule(x, n, upper[1], lower[1], 5, 4, rm[KS_STATS_RULE5]);
    trend_rule(x, n, rm[KS_STATS_RULE6]);
    run_rule(x, n, center, rm[KS_STATS_RULE8]);

    bool ok = true;
    for (int r = 0; r < KS_STATS_RULE_COUNT; r++) {
        for (size_t i = 0; i < n; i++)
            any[i] |= rm[r].sig[i];
        ok = ok && collect(rm[r].sig, n, &out->signals[r]) &&
             collect(rm[r].pat, n, &out->pattern_points[r]);
    }
    ok = ok && collect(any, n, &out->any_signal);
    free(marks);
    if (!ok) {
        ks_stats_rules_free(out);
        return KS_STAT_E_NOMEM;
    }
    return KS_STAT_OK;
}

void ks_stats_rules_free(ks_stats_rules_result *r)
{
    for (int i = 0; i < KS_STATS_RULE_COUNT; i++) {
        free(r->signals[i].idx);
        free(r->pattern_points[i].idx);
    }
    free(r->any_signal.idx);
    *r = (ks_stats_rules_result){0};
}
