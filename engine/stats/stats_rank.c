/* Ranking examinees by total (stats_util.h): the order that item analysis
 * (engine/stats/stats_items.c) and the analytics report
 * (engine/analytics/analytics.c) each cut their upper and lower groups
 * from. Depends on libm only. */
#include "stats/stats_util.h"

#include <math.h>
#include <stdlib.h>

/* An examinee's place in a ranking, for the general case. */
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

/* True when every total is a whole number and max - min <= n, so that one
 * bucket per value costs no more than the totals themselves; sets *max and
 * *range = max - min. */
static bool small_whole_range(const double *totals, size_t n, double *max, size_t *range)
{
    double lo = totals[0], hi = totals[0];
    for (size_t i = 0; i < n; i++) {
        if (totals[i] != floor(totals[i]))
            return false; /* a fraction or NaN */
        lo = totals[i] < lo ? totals[i] : lo;
        hi = totals[i] > hi ? totals[i] : hi;
    }
    if (!(hi - lo <= (double)n))
        return false; /* also an infinity */
    *max = hi;
    *range = (size_t)(hi - lo);
    return true;
}

/* Whole totals: a counting sort over max - total, stable and so in index
 * order within a total. */
static bool rank_counting(const double *totals, size_t n, double max, size_t range,
                          size_t *order)
{
    size_t *start = ks_stats_calloc(range + 2, sizeof *start);
    if (!start)
        return false;
    for (size_t i = 0; i < n; i++)
        start[(size_t)(max - totals[i]) + 1]++;
    for (size_t b = 1; b <= range + 1; b++)
        start[b] += start[b - 1];
    for (size_t i = 0; i < n; i++)
        order[start[(size_t)(max - totals[i])]++] = i; /* start[b] ends as bucket b's end */
    free(start);
    return true;
}

bool ks_stats_rank_desc(const double *totals, size_t n, size_t *order)
{
    double max;
    size_t range;
    if (n == 0)
        return true;
    if (small_whole_range(totals, n, &max, &range))
        return rank_counting(totals, n, max, range, order);
    ranked *rank = ks_stats_calloc(n, sizeof *rank);
    if (!rank)
        return false;
    for (size_t i = 0; i < n; i++)
        rank[i] = (ranked){totals[i], i};
    qsort(rank, n, sizeof *rank, by_total_desc);
    for (size_t i = 0; i < n; i++)
        order[i] = rank[i].idx;
    free(rank);
    return true;
}
