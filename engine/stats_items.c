/* Exam analytics (STATISTICS.md §9): classical item analysis (difficulty,
 * point-biserial and corrected correlations, upper/lower-group
 * discrimination), KR-20, Cronbach's alpha and the standard error of
 * measurement. Score matrices are row-major, one row per examinee.
 * Depends on libm only. */
#include "kaoshi/stats.h"
#include "stats_util.h"

#include <math.h>
#include <stdlib.h>

static bool all_binary(const double *scores, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (scores[i] != 0.0 && scores[i] != 1.0)
            return false;
    return true;
}

static void row_totals(const double *scores, size_t rows, size_t cols, double *totals)
{
    for (size_t i = 0; i < rows; i++) {
        double sum = 0.0;
        for (size_t j = 0; j < cols; j++)
            sum += scores[i * cols + j];
        totals[i] = sum;
    }
}

static void column(const double *scores, size_t rows, size_t cols, size_t j, double *col)
{
    for (size_t i = 0; i < rows; i++)
        col[i] = scores[i * cols + j];
}

/* k/(k-1)·(1 - Σ p_j(1-p_j)/var_total_pop) given the item difficulties. */
static double kr20_formula(const double *p, size_t k, double var_total_pop)
{
    double sum_pq = 0.0;
    for (size_t j = 0; j < k; j++)
        sum_pq += p[j] * (1.0 - p[j]);
    return (double)k / (double)(k - 1) * (1.0 - sum_pq / var_total_pop);
}

/* An examinee's place in a group ranking. */
typedef struct ranked {
    double total;
    size_t idx;
} ranked;

static int by_total_desc(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->total != b->total)
        return a->total > b->total ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int by_total_asc(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->total != b->total)
        return a->total < b->total ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int by_index(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return a < b ? -1 : a > b;
}

/* The first g examinees in `order`, written ascending by index into group. */
static void pick_group(ranked *rank, size_t n, int (*order)(const void *, const void *),
                       size_t g, size_t *group)
{
    qsort(rank, n, sizeof *rank, order);
    for (size_t i = 0; i < g; i++)
        group[i] = rank[i].idx;
    qsort(group, g, sizeof *group, by_index);
}

ks_stat_status ks_stats_item_analysis(const double *scores, size_t n_examinees, size_t n_items,
                                      double group_frac, ks_stats_items_result *out)
{
    *out = (ks_stats_items_result){0};
    size_t n = n_examinees, k = n_items;
    if (!all_binary(scores, n * k) || !(group_frac > 0.0 && group_frac <= 0.5))
        return KS_STAT_E_DOMAIN;
    if (n < 2 || k < 2)
        return KS_STAT_E_N_TOO_SMALL;

    size_t g = (size_t)fmax(1.0, floor(group_frac * (double)n + 0.5));
    if (g > n / 2)
        g = n / 2;
    out->n_examinees = n;
    out->n_items = k;
    out->group_size = g;
    out->totals = ks_stats_calloc(n, sizeof *out->totals);
    out->p = ks_stats_calloc(k, sizeof *out->p);
    out->r_pb = ks_stats_calloc(k, sizeof *out->r_pb);
    out->r_pb_corrected = ks_stats_calloc(k, sizeof *out->r_pb_corrected);
    out->upper_group = ks_stats_calloc(g, sizeof *out->upper_group);
    out->lower_group = ks_stats_calloc(g, sizeof *out->lower_group);
    out->D = ks_stats_calloc(k, sizeof *out->D);
    double *col = ks_stats_calloc(n, sizeof *col), *rest = ks_stats_calloc(n, sizeof *rest);
    ranked *rank = ks_stats_calloc(n, sizeof *rank);
    if (!out->totals || !out->p || !out->r_pb || !out->r_pb_corrected || !out->upper_group ||
        !out->lower_group || !out->D || !col || !rest || !rank) {
        free(col);
        free(rest);
        free(rank);
        ks_stats_items_free(out);
        return KS_STAT_E_NOMEM;
    }

    row_totals(scores, n, k, out->totals);
    out->mean_total = ks_stats_mean_of(out->totals, n);
    out->var_total_pop = ks_stats_ss_dev(out->totals, n, out->mean_total) / (double)n;
    out->sd_total_pop = sqrt(out->var_total_pop);

    for (size_t i = 0; i < n; i++)
        rank[i] = (ranked){out->totals[i], i};
    pick_group(rank, n, by_total_desc, g, out->upper_group);
    pick_group(rank, n, by_total_asc, g, out->lower_group);

    for (size_t j = 0; j < k; j++) {
        column(scores, n, k, j, col);
        for (size_t i = 0; i < n; i++)
            rest[i] = out->totals[i] - col[i];
        out->p[j] = ks_stats_mean_of(col, n);
        out->r_pb[j] = ks_stats_pearson_r(col, out->totals, n, NULL, NULL);
        out->r_pb_corrected[j] = ks_stats_pearson_r(col, rest, n, NULL, NULL);
        double upper = 0.0, lower = 0.0;
        for (size_t i = 0; i < g; i++) {
            upper += col[out->upper_group[i]];
            lower += col[out->lower_group[i]];
        }
        out->D[j] = (upper - lower) / (double)g;
    }
    free(col);
    free(rest);
    free(rank);

    if (out->var_total_pop == 0.0) {
        out->kr20 = out->sem = NAN;
    } else {
        out->kr20 = kr20_formula(out->p, k, out->var_total_pop);
        out->sem = out->sd_total_pop * sqrt(1.0 - out->kr20);
    }
    return KS_STAT_OK;
}

void ks_stats_items_free(ks_stats_items_result *r)
{
    free(r->totals);
    free(r->p);
    free(r->r_pb);
    free(r->r_pb_corrected);
    free(r->upper_group);
    free(r->lower_group);
    free(r->D);
    *r = (ks_stats_items_result){0};
}

/* For kr20 and cronbach_alpha: the item means (when item_p is not NULL), the
 * sum of the item variances at ddof (when item_var_sum is not NULL) and the
 * variance of the row totals at the same ddof. Returns false when out of memory. */
static bool variances(const double *scores, size_t n, size_t k, size_t ddof, double *item_p,
                      double *item_var_sum, double *var_total)
{
    double *col = ks_stats_calloc(n, sizeof *col), *totals = ks_stats_calloc(n, sizeof *totals);
    if (!col || !totals) {
        free(col);
        free(totals);
        return false;
    }
    double sum = 0.0;
    for (size_t j = 0; j < k; j++) {
        column(scores, n, k, j, col);
        double mean = ks_stats_mean_of(col, n);
        if (item_p)
            item_p[j] = mean;
        sum += ks_stats_ss_dev(col, n, mean) / (double)(n - ddof);
    }
    if (item_var_sum)
        *item_var_sum = sum;
    row_totals(scores, n, k, totals);
    *var_total = ks_stats_ss_dev(totals, n, ks_stats_mean_of(totals, n)) / (double)(n - ddof);
    free(col);
    free(totals);
    return true;
}

ks_stat_status ks_stats_kr20(const double *scores, size_t n_examinees, size_t n_items,
                             double *kr20)
{
    size_t n = n_examinees, k = n_items;
    if (!all_binary(scores, n * k))
        return KS_STAT_E_DOMAIN;
    if (n < 2 || k < 2)
        return KS_STAT_E_N_TOO_SMALL;
    double *p = ks_stats_calloc(k, sizeof *p), var_total_pop;
    if (!p || !variances(scores, n, k, 0, p, NULL, &var_total_pop)) {
        free(p);
        return KS_STAT_E_NOMEM;
    }
    ks_stat_status st = KS_STAT_E_ZERO_VARIANCE;
    if (var_total_pop != 0.0) {
        *kr20 = kr20_formula(p, k, var_total_pop);
        st = KS_STAT_OK;
    }
    free(p);
    return st;
}

ks_stat_status ks_stats_cronbach_alpha(const double *scores, size_t n_examinees,
                                       size_t n_items, ks_stats_alpha_result *out)
{
    size_t n = n_examinees, k = n_items;
    if (n < 2 || k < 2)
        return KS_STAT_E_N_TOO_SMALL;
    if (!variances(scores, n, k, 1, NULL, &out->sum_item_var, &out->var_total))
        return KS_STAT_E_NOMEM;
    if (out->var_total == 0.0)
        return KS_STAT_E_ZERO_VARIANCE;
    out->alpha = (double)k / (double)(k - 1) * (1.0 - out->sum_item_var / out->var_total);
    return KS_STAT_OK;
}

ks_stat_status ks_stats_sem(double sd, double reliability, double *sem)
{
    if (!(sd >= 0.0) || !(reliability <= 1.0))
        return KS_STAT_E_DOMAIN;
    *sem = sd * sqrt(1.0 - reliability);
    return KS_STAT_OK;
}
