/* One slot's or item's sums for the analytics report: the upper and lower
 * groups, the sums the two passes over the data set add response by
 * response (engine/analytics/analytics.c; static inline, as they run in its
 * innermost loops), and the statistics computed from them
 * (engine/analytics/analytics_sums.c). Not a public header. Depends on the
 * statistics core's running means. */
#ifndef KAOSHI_ANALYTICS_SUMS_H
#define KAOSHI_ANALYTICS_SUMS_H

#include <stdbool.h>
#include <stddef.h>

#include "kaoshi/analytics.h"
#include "stats/stats_util.h"

enum { G_MIDDLE, G_UPPER, G_LOWER };

/* g of the upper and lower groups among n attempts. */
size_t analytics_group_size(size_t n);

/* The group of the attempt at place `at` (from 0) of a ranking of n: the
 * first g and the last g. */
static inline unsigned char group_at(size_t at, size_t n, size_t g)
{
    return at < g ? G_UPPER : at >= n - g ? G_LOWER : G_MIDDLE;
}

/* Distinct points a slot or item may take for C_max to be merged (see
 * sorted_products in analytics_sums.c); with more, its points and rests
 * are sorted. */
#define MAX_VALUES 32

/* The sums of one slot (over every attempt, in data set order) or item (over
 * the responses that drew it: attempt by attempt, slot by slot). Per
 * response: x its points, m its slot's, f = x/m, t the attempt's test score
 * and rest = t − x. An item's m and t vary; a slot's m is its points and its
 * t the test scores, whose sums are the test's: m, total and ss_total are
 * added only for items (own_totals). */
typedef struct stat_sums {
    /* first pass (its fields together, as the passes touch few cache lines) */
    size_t n, nvalues; /* responses; distinct values of x */
    ks_stats_mean_acc x, f, rest, m, total;
    double guess, full;
    /* The distinct values of x (ascending once the first pass is over) and
     * how many responses have each; nvalues > MAX_VALUES: too many. */
    struct value_count {
        double value;
        size_t count;
    } values[MAX_VALUES];
    /* the means, once the first pass is over */
    double mx, mm, mf, mr, mt;
    /* second pass: sums of squared and multiplied deviations from the means */
    double ss_f, ss_x, ss_rest, ss_total, sp_rest, sp_total;
    double upper, lower; /* Σ f in the upper and in the lower group */
    /* The responses by test score ascending (ties in any order): the score,
     * and x as its index in values, or x itself when there are too many;
     * g of their upper and lower groups. */
    size_t ranked, g;
    double *ranked_total;
    unsigned char *ranked_value;
    double *ranked_x;
} stat_sums;

/* Empty sums, every running mean at its start. */
void analytics_sums_init(stat_sums *s);

static inline void note_value(stat_sums *s, double x)
{
    if (s->nvalues > MAX_VALUES)
        return;
    for (size_t v = 0; v < s->nvalues; v++)
        if (s->values[v].value == x) {
            s->values[v].count++;
            return;
        }
    if (s->nvalues < MAX_VALUES) {
        s->values[s->nvalues].value = x;
        s->values[s->nvalues].count = 1;
    }
    s->nvalues++;
}

static inline void add_first(stat_sums *s, double x, double m, double f, double t, double guess,
                             bool own_totals)
{
    s->n++;
    ks_stats_mean_add(&s->x, x);
    ks_stats_mean_add(&s->f, f);
    ks_stats_mean_add(&s->rest, t - x);
    if (own_totals) {
        ks_stats_mean_add(&s->m, m);
        ks_stats_mean_add(&s->total, t);
    }
    s->guess += guess;
    s->full += x >= m;
    note_value(s, x);
}

/* The means, the values ascending and g. */
void analytics_sums_end_first(stat_sums *s, bool own_totals);

static inline void add_second(stat_sums *s, double x, double f, double t, unsigned char group,
                              bool own_totals)
{
    double df = f - s->mf, dx = x - s->mx, dr = (t - x) - s->mr, dt = t - s->mt;
    s->ss_f += df * df;
    s->ss_x += dx * dx;
    s->ss_rest += dr * dr;
    if (own_totals)
        s->ss_total += dt * dt;
    s->sp_rest += dx * dr;
    s->sp_total += dx * dt;
    if (group == G_UPPER)
        s->upper += f;
    else if (group == G_LOWER)
        s->lower += f;
}

/* Places the response with points x (one of the values) at place `at` of
 * the ranking. */
static inline void put_ranked(stat_sums *s, size_t at, double x)
{
    if (s->ranked_x) {
        s->ranked_x[at] = x;
        return;
    }
    unsigned char v = 0;
    while (s->values[v].value != x)
        v++;
    s->ranked_value[at] = v;
}

/* Fills s (all but the effective weight and the flags) from the sums, and
 * *cov_total = C(x, T) (NaN when n < 2); scratch holds 2·n. */
void analytics_compute_stat(const stat_sums *u, double max_score, double *scratch,
                            ks_analytics_stat *s, double *cov_total);

/* Sets s's effective weight 100·√C(x, T) / sum_sqrt, where sum_sqrt is the
 * slots' Σ √C(x_j, T) over those with C(x_j, T) >= 0; NaN when C(x, T) < 0
 * or sum_sqrt is 0. */
void analytics_effective_weight(ks_analytics_stat *s, double cov_total, double sum_sqrt);

/* The flags s's figures raise (all but the distractor flags). */
unsigned analytics_stat_flags(const ks_analytics_stat *s);

#endif
