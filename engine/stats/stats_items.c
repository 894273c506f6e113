/* Exam analytics (docs/statistics.md §9): classical item analysis (difficulty,
 * point-biserial and corrected correlations, upper/lower-group
 * discrimination), KR-20, Cronbach's alpha and the standard error of
 * measurement. Score matrices are row-major, one row per examinee.
 * Depends on libm only. */
#include "kaoshi/stats.h"
#include "stats/stats_util.h"

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

double ks_stats_kr20_of(const double *p, size_t k, double var_total_pop)
{
    double sum_pq = 0.0;
    for (size_t j = 0; j < k; j++)
        sum_pq += p[j] * (1.0 - p[j]);
    return (double)k / (double)(k - 1) * (1.0 - sum_pq / var_total_pop);
}

/* The row totals and the column sums (added to col, zeroed by the caller)
 * of a 0/1 matrix in one pass, or false when a score is not 0 or 1. */
static bool binary_sums(const double *scores, size_t rows, size_t cols, double *totals,
                        double *col)
{
    for (size_t i = 0; i < rows; i++) {
        const double *x = scores + i * cols;
        double sum = 0.0;
        for (size_t j = 0; j < cols; j++) {
            if (x[j] != 0.0 && x[j] != 1.0)
                return false;
            sum += x[j];
            col[j] += x[j];
        }
        totals[i] = sum;
    }
    return true;
}

/* The upper and lower groups of g examinees, each ascending by index: the g
 * highest totals (ties: lower index first) and the g lowest (ties: lower
 * index first). The upper group heads the ranking; the lower takes the runs
 * of equal totals from the bottom of it, the boundary run from its start, so
 * the two groups overlap when ties span the middle (docs/statistics.md §9.1). */
static bool pick_groups(const double *totals, size_t n, size_t g, size_t *upper,
                        size_t *lower)
{
    size_t *order = ks_stats_calloc(n, sizeof *order);
    unsigned char *in = ks_stats_calloc(n, 1);
    if (!order || !in || !ks_stats_rank_desc(totals, n, order)) {
        free(order);
        free(in);
        return false;
    }
    for (size_t i = 0; i < g; i++)
        in[order[i]] |= 2;
    size_t taken = 0;
    for (size_t end = n; taken < g;) {
        size_t first = end - 1;
        while (first > 0 && totals[order[first - 1]] == totals[order[end - 1]])
            first--;
        for (size_t i = first; i < end && taken < g; i++, taken++)
            in[order[i]] |= 1;
        end = first;
    }
    size_t nu = 0, nl = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] & 2)
            upper[nu++] = i;
        if (in[i] & 1)
            lower[nl++] = i;
    }
    free(order);
    free(in);
    return true;
}

/* Per-item sums, k of each. */
typedef struct item_sums {
    double *mr;                /* the mean of the rest score (total − item) */
    double *xx, *rr, *xt, *xr; /* Σdx², Σdr², Σdx·dt, Σdx·dr (deviations from the means) */
    double *up, *low;          /* Σx over the upper and over the lower group */
} item_sums;

/* Every item's difficulty, point-biserial and corrected correlations and
 * upper-lower index, given the column sums in out->p. The sums run row by row, so the matrix streams through
 * memory (reading it column by column would touch one cache line per
 * score), yet each item's sums add the examinees in order, as the two-pass
 * formulas of ks_stats_mean_of, ks_stats_ss_dev and ks_stats_sp_dev over its
 * column would: the results are the same. (Scores and totals are whole
 * numbers here, so every plain sum is exact and the means need no clamping
 * into [min, max].) */
static bool item_columns(const double *scores, size_t n, size_t k, double ss_total,
                         ks_stats_items_result *out)
{
    double *block = ks_stats_calloc(7 * k, sizeof *block);
    if (!block)
        return false;
    item_sums s;
    double **arrays[] = {&s.mr, &s.xx, &s.rr, &s.xt, &s.xr, &s.up, &s.low};
    for (size_t a = 0; a < 7; a++)
        *arrays[a] = block + a * k;
    const double *t = out->totals, *mx = out->p;
    double sum_t = 0.0;
    for (size_t i = 0; i < n; i++)
        sum_t += t[i];
    for (size_t j = 0; j < k; j++) {
        s.mr[j] = (sum_t - out->p[j]) / (double)n; /* Σ(t − x), exactly */
        out->p[j] /= (double)n;
    }
    double mt = out->mean_total;
    for (size_t i = 0; i < n; i++) {
        const double *x = scores + i * k;
        double ti = t[i], dt = ti - mt;
        for (size_t j = 0; j < k; j++) {
            double dx = x[j] - mx[j], dr = (ti - x[j]) - s.mr[j];
            s.xx[j] += dx * dx;
            s.rr[j] += dr * dr;
            s.xt[j] += dx * dt;
            s.xr[j] += dx * dr;
        }
    }
    for (size_t m = 0; m < out->group_size; m++) {
        const double *xu = scores + out->upper_group[m] * k;
        const double *xl = scores + out->lower_group[m] * k;
        for (size_t j = 0; j < k; j++) {
            s.up[j] += xu[j];
            s.low[j] += xl[j];
        }
    }
    for (size_t j = 0; j < k; j++) {
        out->r_pb[j] = ks_stats_r_of(s.xt[j], s.xx[j], ss_total);
        out->r_pb_corrected[j] = ks_stats_r_of(s.xr[j], s.xx[j], s.rr[j]);
        out->D[j] = (s.up[j] - s.low[j]) / (double)out->group_size;
    }
    free(block);
    return true;
}

ks_stat_status ks_stats_item_analysis(const double *scores, size_t n_examinees, size_t n_items,
                                      double group_frac, ks_stats_items_result *out)
{
    *out = (ks_stats_items_result){0};
    size_t n = n_examinees, k = n_items;
    if (!(group_frac > 0.0 && group_frac <= 0.5))
        return KS_STAT_E_DOMAIN;
    double *totals = ks_stats_calloc(n, sizeof *totals), *p = ks_stats_calloc(k, sizeof *p);
    ks_stat_status st = !totals || !p                           ? KS_STAT_E_NOMEM
                        : !binary_sums(scores, n, k, totals, p) ? KS_STAT_E_DOMAIN
                        : n < 2 || k < 2                        ? KS_STAT_E_N_TOO_SMALL
                                                                : KS_STAT_OK;
    if (st != KS_STAT_OK) {
        free(totals);
        free(p);
        return st;
    }

    size_t g = (size_t)fmax(1.0, floor(group_frac * (double)n + 0.5));
    if (g > n / 2)
        g = n / 2;
    out->n_examinees = n;
    out->n_items = k;
    out->group_size = g;
    out->totals = totals;
    out->p = p; /* the column sums until item_columns makes them the difficulties */
    out->r_pb = ks_stats_calloc(k, sizeof *out->r_pb);
    out->r_pb_corrected = ks_stats_calloc(k, sizeof *out->r_pb_corrected);
    out->upper_group = ks_stats_calloc(g, sizeof *out->upper_group);
    out->lower_group = ks_stats_calloc(g, sizeof *out->lower_group);
    out->D = ks_stats_calloc(k, sizeof *out->D);
    if (!out->r_pb || !out->r_pb_corrected || !out->upper_group || !out->lower_group ||
        !out->D) {
        ks_stats_items_free(out);
        return KS_STAT_E_NOMEM;
    }

    out->mean_total = ks_stats_mean_of(out->totals, n);
    double ss_total = ks_stats_ss_dev(out->totals, n, out->mean_total);
    out->var_total_pop = ss_total / (double)n;
    out->sd_total_pop = sqrt(out->var_total_pop);
    if (!pick_groups(out->totals, n, g, out->upper_group, out->lower_group) ||
        !item_columns(scores, n, k, ss_total, out)) {
        ks_stats_items_free(out);
        return KS_STAT_E_NOMEM;
    }

    if (out->var_total_pop == 0.0) {
        out->kr20 = out->sem = NAN;
    } else {
        out->kr20 = ks_stats_kr20_of(out->p, k, out->var_total_pop);
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
        *kr20 = ks_stats_kr20_of(p, k, var_total_pop);
        st = KS_STAT_OK;
    }
    free(p);
    return st;
}

double ks_stats_alpha_of(size_t k, double sum_item_var, double var_total)
{
    return (double)k / (double)(k - 1) * (1.0 - sum_item_var / var_total);
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
    out->alpha = ks_stats_alpha_of(k, out->sum_item_var, out->var_total);
    return KS_STAT_OK;
}

ks_stat_status ks_stats_sem(double sd, double reliability, double *sem)
{
    if (!(sd >= 0.0) || !(reliability <= 1.0))
        return KS_STAT_E_DOMAIN;
    *sem = sd * sqrt(1.0 - reliability);
    return KS_STAT_OK;
}
