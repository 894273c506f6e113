/* One slot's or item's statistics for the analytics report (see
 * engine/analytics/analytics.c for the formulas): the size of its upper and
 * lower groups, the end of its first pass, C_max by merging sorted runs, and
 * its figures and flags from its sums (engine/analytics/analytics_sums.h).
 * Depends on the statistics core (its running means, sums and formulas). */
#include <math.h>
#include <stdlib.h>

#include "analytics/analytics_sums.h"

size_t analytics_group_size(size_t n)
{
    if (n < 2)
        return 0;
    size_t g = (size_t)fmax(1.0, floor(KS_ANALYTICS_GROUP_FRAC * (double)n + 0.5));
    return g > n / 2 ? n / 2 : g;
}

void analytics_sums_init(stat_sums *s)
{
    *s = (stat_sums){0};
    s->x = s->m = s->f = s->rest = s->total = KS_STATS_MEAN_START;
}

void analytics_sums_end_first(stat_sums *s, bool own_totals)
{
    size_t n = s->n;
    if (n == 0)
        return;
    s->g = analytics_group_size(n);
    s->mx = ks_stats_mean_end(&s->x, n);
    s->mf = ks_stats_mean_end(&s->f, n);
    s->mr = ks_stats_mean_end(&s->rest, n);
    if (own_totals) {
        s->mm = ks_stats_mean_end(&s->m, n);
        s->mt = ks_stats_mean_end(&s->total, n);
    }
    for (size_t v = 1; v < s->nvalues && s->nvalues <= MAX_VALUES; v++) {
        struct value_count one = s->values[v];
        size_t at = v;
        for (; at > 0 && s->values[at - 1].value > one.value; at--)
            s->values[at] = s->values[at - 1];
        s->values[at] = one;
    }
}

static int by_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* Merges the ascending runs a (na) and b (nb) into out. */
static void merge_runs(const double *a, size_t na, const double *b, size_t nb, double *out)
{
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        bool from_b = b[j] < a[i];
        *out++ = from_b ? b[j] : a[i];
        j += from_b;
        i += !from_b;
    }
    while (i < na)
        *out++ = a[i++];
    while (j < nb)
        *out++ = b[j++];
}

/* Σ_k (xs_k − x̄)(rs_k − r̄) for x and the rest each sorted ascending: C_max
 * times n − 1, added in the order of k as ks_stats_sp_dev adds it over the
 * two sorted arrays. xs is the run of each value, its count long. The rests
 * t − x of the responses with one value of x, taken by t ascending, are
 * ascending already: rs is the merge of those runs, the last two merged as
 * the sum goes. With too many values, both are sorted. scratch holds 2·n. */
static double sorted_products(const stat_sums *s, double *scratch)
{
    size_t n = s->n, nv = s->nvalues;
    const double *t = s->ranked_total;
    double *rs = scratch, *other = scratch + n;
    if (s->ranked_x) {
        for (size_t a = 0; a < n; a++) {
            other[a] = s->ranked_x[a];
            rs[a] = t[a] - s->ranked_x[a];
        }
        qsort(other, n, sizeof *other, by_double);
        qsort(rs, n, sizeof *rs, by_double);
        return ks_stats_sp_dev(other, rs, n, s->mx, s->mr);
    }
    size_t bound[MAX_VALUES + 1], fill[MAX_VALUES], runs = nv;
    bound[0] = 0;
    for (size_t v = 0; v < nv; v++) {
        fill[v] = bound[v];
        bound[v + 1] = bound[v] + s->values[v].count;
    }
    for (size_t a = 0; a < n; a++) {
        unsigned char v = s->ranked_value[a];
        rs[fill[v]++] = t[a] - s->values[v].value;
    }
    while (runs > 2) { /* pairwise */
        size_t merged = 0;
        for (size_t r = 0; r < runs; r += 2, merged++) {
            size_t lo = bound[r], mid = bound[r + 1], hi = r + 1 < runs ? bound[r + 2] : mid;
            merge_runs(rs + lo, mid - lo, rs + mid, hi - mid, other + lo);
            bound[merged] = lo;
        }
        bound[merged] = n;
        runs = merged;
        double *swap = rs;
        rs = other;
        other = swap;
    }
    const double *a = rs, *a_end = rs + bound[1], *b = a_end, *b_end = rs + n;
    double sp = 0.0;
    for (size_t v = 0; v < nv; v++) {
        double dx = s->values[v].value - s->mx;
        for (size_t c = s->values[v].count; c > 0; c--) {
            bool from_b = a == a_end || (b < b_end && *b < *a);
            sp += dx * ((from_b ? *b++ : *a++) - s->mr);
        }
    }
    return sp;
}

static void set_undefined(ks_analytics_stat *s)
{
    s->points = s->mean = s->facility = s->sd = s->guess = s->intended_weight = NAN;
    s->effective_weight = s->discrimination_index = s->discriminative_efficiency = NAN;
    s->p = s->point_biserial = s->d = NAN;
}
void analytics_compute_stat(const stat_sums *u, double max_score, double *scratch,
                            ks_analytics_stat *s, double *cov_total)
{
    size_t n = u->n;
    *s = (ks_analytics_stat){.n = n};
    set_undefined(s);
    *cov_total = NAN;
    if (n == 0)
        return;
    s->points = u->mm;
    s->mean = u->mx;
    s->facility = 100 * u->mf;
    s->guess = 100 * u->guess / (double)n;
    s->intended_weight = 100 * s->points / max_score;
    s->p = u->full / (double)n;
    if (u->g > 0)
        s->d = (u->upper - u->lower) / (double)u->g;
    if (n >= 2) {
        double df = (double)(n - 1);
        s->sd = 100 * sqrt(u->ss_f / df);
        double cov_rest = u->sp_rest / df;
        *cov_total = u->sp_total / df;
        s->negative_covariance = *cov_total < 0;
        s->discrimination_index = 100 * ks_stats_r_of(u->sp_rest, u->ss_x, u->ss_rest);
        s->point_biserial = ks_stats_r_of(u->sp_total, u->ss_x, u->ss_total);
        double cov_max = sorted_products(u, scratch) / df;
        if (cov_max != 0)
            s->discriminative_efficiency = 100 * cov_rest / cov_max;
    }
}

void analytics_effective_weight(ks_analytics_stat *s, double cov_total, double sum_sqrt)
{
    s->effective_weight = cov_total >= 0 && sum_sqrt > 0 ? 100 * sqrt(cov_total) / sum_sqrt : NAN;
}

unsigned analytics_stat_flags(const ks_analytics_stat *s)
{
    unsigned f = 0;
    double di = s->discrimination_index;
    if (di < 0)
        f |= 1u << KS_ANALYTICS_NEGATIVE_DISCRIMINATION;
    else if (di < 20)
        f |= 1u << KS_ANALYTICS_WEAK_DISCRIMINATION;
    if (s->discriminative_efficiency < 15 && !(di < 0))
        f |= 1u << KS_ANALYTICS_LOW_EFFICIENCY;
    if (s->facility < s->guess)
        f |= 1u << KS_ANALYTICS_BELOW_GUESS;
    if (s->facility < 5)
        f |= 1u << KS_ANALYTICS_TOO_HARD;
    if (s->facility > 95)
        f |= 1u << KS_ANALYTICS_TOO_EASY;
    return f;
}
