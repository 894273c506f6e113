/* bench_analytics: item analysis of 1,000, 10,000 and 100,000 candidates ×
 * 100 items, a 0/1 score matrix drawn from a seeded Rasch model (abilities
 * and difficulties standard normal, P(right) = 1/(1+e^-(θ-b))).
 *
 * Measured: ks_stats_item_analysis (kaoshi/stats.h: difficulty, point-
 * biserial and corrected correlations, upper/lower 27 % groups, KR-20) on the
 * row-major double matrix, and ks_analytics_compute (kaoshi/analytics.h:
 * Moodle's quiz statistics per slot and per item, distractors, flags) on the
 * same responses held as a data set (one single-choice item per slot, four
 * options, a wrong answer choosing one of the three distractors).
 *
 * Ceiling: one pass over the same matrix computing every column sum and row
 * sum, the memory-bound minimum any item analysis needs. Each figure comes
 * as the time of one analysis and as the cost per candidate, so the growth
 * with the number of candidates shows.
 *
 * Usage: bench_analytics [--sizes N,N,...]. One JSON line per figure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "kaoshi/analytics.h"
#include "kaoshi/rng.h"
#include "kaoshi/stats.h"

#define ITEMS 100
#define MAX_SIZES 8
#define MIN_SECONDS 0.5 /* per measured function and size */

typedef struct matrix {
    double *scores; /* n × ITEMS, row-major */
    size_t n;
    double *col, *row; /* the ceiling's sums */
    ks_analytics_data *data;
} matrix;

static void draw_matrix(matrix *m, uint64_t seed)
{
    ks_rng rng;
    ks_rng_seed(&rng, seed);
    double b[ITEMS];
    for (size_t j = 0; j < ITEMS; j++)
        b[j] = ks_rng_normal(&rng, 0, 1);
    for (size_t i = 0; i < m->n; i++) {
        double theta = ks_rng_normal(&rng, 0, 1);
        for (size_t j = 0; j < ITEMS; j++)
            m->scores[i * ITEMS + j] = ks_rng_uniform(&rng) < 1 / (1 + exp(b[j] - theta));
    }
}

/* The same responses as an analytics data set: slot j holds item j. */
static ks_analytics_data *build_data(const matrix *m, uint64_t seed)
{
    ks_error err;
    ks_analytics_data *d = ks_analytics_data_new("BENCH", "基准测试");
    ks_analytics_slot_info slots[ITEMS];
    char ids[ITEMS][24];
    int ok = d && !ks_analytics_data_add_sitting(d, "bench", &err);
    for (size_t j = 0; j < ITEMS; j++)
        slots[j] = (ks_analytics_slot_info){.section = 1 + (int)(j / 25), .points = 1};
    ok = ok && !ks_analytics_data_set_layout(d, slots, ITEMS, &err);
    for (size_t j = 0; ok && j < ITEMS; j++) {
        snprintf(ids[j], sizeof ids[j], "item-%03zu", j + 1);
        ks_analytics_item_info it = {.id = ids[j], .type = "single", .noptions = 4, .key = 1,
                                     .guess = 0.25};
        ok = !ks_analytics_data_add_item(d, &it, &err);
    }
    ks_rng rng;
    ks_rng_seed(&rng, seed);
    ks_analytics_response resp[ITEMS];
    char candidate[24];
    for (size_t i = 0; ok && i < m->n; i++) {
        for (size_t j = 0; j < ITEMS; j++) {
            int right = m->scores[i * ITEMS + j] == 1;
            resp[j] = (ks_analytics_response){
                .item = ids[j], .points = right, .answered = true,
                .chosen = right ? 1u : 2u << ks_rng_below(&rng, 3)};
        }
        snprintf(candidate, sizeof candidate, "C%06zu", i + 1);
        ks_analytics_attempt a = {.sitting = "bench", .candidate = candidate, .number = 1,
                                  .seed = i, .responses = resp};
        ok = !ks_analytics_data_add_attempt(d, &a, &err);
    }
    if (!ok) {
        fprintf(stderr, "bench_analytics: building the data set failed\n");
        ks_analytics_data_free(d);
        return NULL;
    }
    return d;
}

static volatile double sink; /* keeps results observable */

static void item_analysis(void *ud)
{
    matrix *m = ud;
    ks_stats_items_result r;
    if (ks_stats_item_analysis(m->scores, m->n, ITEMS, 0.27, &r) != KS_STAT_OK) {
        fprintf(stderr, "bench_analytics: item analysis failed\n");
        exit(1);
    }
    sink = r.kr20;
    ks_stats_items_free(&r);
}

static void quiz_statistics(void *ud)
{
    matrix *m = ud;
    ks_analytics_report *r;
    ks_error err;
    if (ks_analytics_compute(m->data, KS_ANALYTICS_ALL, &r, &err)) {
        fprintf(stderr, "bench_analytics: %s\n", err.message);
        exit(1);
    }
    sink = r->test.cic;
    ks_analytics_report_free(r);
}

/* The ceiling: every column sum and row sum in one row-major pass. */
static void sums(void *ud)
{
    matrix *m = ud;
    memset(m->col, 0, ITEMS * sizeof *m->col);
    for (size_t i = 0; i < m->n; i++) {
        const double *x = m->scores + i * ITEMS;
        double s = 0;
        for (size_t j = 0; j < ITEMS; j++) {
            s += x[j];
            m->col[j] += x[j];
        }
        m->row[i] = s;
    }
    sink = m->col[0] + m->row[m->n - 1];
}

static void print_pair(const char *name, const char *metric, double seconds, double ceiling,
                       size_t n, const char *what)
{
    char per[96];
    snprintf(per, sizeof per, "%s per candidate", metric);
    bench_print("analytics", name, metric, seconds * 1e3, ceiling * 1e3, "lower", "ms", what);
    bench_print("analytics", name, per, seconds * 1e6 / (double)n, ceiling * 1e6 / (double)n,
                "lower", "µs", what);
}

static int run_size(size_t n)
{
    matrix m = {.n = n};
    m.scores = malloc(n * ITEMS * sizeof *m.scores);
    m.col = malloc(ITEMS * sizeof *m.col);
    m.row = malloc(n * sizeof *m.row);
    if (!m.scores || !m.col || !m.row) {
        fprintf(stderr, "bench_analytics: out of memory\n");
        return -1;
    }
    draw_matrix(&m, 20270718 + n);
    m.data = build_data(&m, n);
    if (!m.data)
        return -1;
    double ceiling = bench_repeat(sums, &m, 1, MIN_SECONDS);
    double items = bench_repeat(item_analysis, &m, 1, MIN_SECONDS);
    double quiz = bench_repeat(quiz_statistics, &m, 1, MIN_SECONDS);

    char name[64];
    snprintf(name, sizeof name, "%zu candidates × %d items", n, ITEMS);
    const char *what = "one row-major pass over the same 0/1 matrix summing every column "
                       "and row (memory-bound minimum)";
    print_pair(name, "item analysis", items, ceiling, n, what);
    print_pair(name, "quiz statistics", quiz, ceiling, n, what);
    ks_analytics_data_free(m.data);
    free(m.scores);
    free(m.col);
    free(m.row);
    return 0;
}

int main(int argc, char **argv)
{
    size_t sizes[MAX_SIZES] = {1000, 10000, 100000}, nsizes = 3;
    if (argc == 3 && strcmp(argv[1], "--sizes") == 0) {
        nsizes = 0;
        for (char *s = argv[2]; *s && nsizes < MAX_SIZES; s += *s == ',')
            sizes[nsizes++] = strtoul(s, &s, 10);
    } else if (argc != 1) {
        fprintf(stderr, "usage: bench_analytics [--sizes N,N,...]\n");
        return 2;
    }
    for (size_t i = 0; i < nsizes; i++)
        if (sizes[i] < 2 || run_size(sizes[i]))
            return 1;
    return 0;
}
