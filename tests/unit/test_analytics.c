/* Unit tests for the exam analytics (engine/analytics*.c) and the histogram
 * it draws (engine/chart.c): every figure of four reports checked against an
 * independent numpy implementation of Moodle's formulas
 * (tests/reference/moodle_reference.py → analytics_reference.h) to 1e-9
 * relative (random slots with partial credit, first attempts only, all or
 * nothing, a slot with a negative covariance), a small example worked by
 * hand, the edge cases (one attempt, zero variance, an item one attempt drew,
 * an item drawn twice in one attempt, everything right, no attempt), the
 * discriminative efficiency on each path of C_max (many point values, a few,
 * all or nothing), the data set's checks, the comparisons, and the JSON, CSV
 * and HTML renderers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics_reference.h"
#include "kaoshi/analytics.h"
#include "kaoshi/chart.h"
#include "unit.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
/* 1e-9 relative; the absolute 1e-12 only lets an exact 0 meet a rounded 0 */
#define NEAR(got, want) CHECK_NEAR(got, want, 1e-12, 1e-9)

static int has(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* Prints where a group of checks was when one of them failed. */
#define CONTEXT_BEGIN int before_ = unit_failed_checks
#define CONTEXT_END(...)                                                   \
    do {                                                                   \
        if (unit_failed_checks != before_) {                               \
            fprintf(stderr, "    in ");                                    \
            fprintf(stderr, __VA_ARGS__);                                  \
            fprintf(stderr, "\n");                                         \
        }                                                                  \
    } while (0)

/* ---- data sets from the reference ------------------------------------------------- */

typedef struct ref_set {
    const ks_analytics_slot_info *layout;
    size_t nslots;
    const ref_item *items;
    size_t nitems;
    const char *const *sittings;
    size_t nsittings;
    const ref_attempt *attempts;
    size_t nattempts;
} ref_set;

#define REF_SET(NAME)                                                                   \
    ((ref_set){REF_##NAME##_LAYOUT, NELEM(REF_##NAME##_LAYOUT), REF_##NAME##_ITEMS,     \
               NELEM(REF_##NAME##_ITEMS), REF_##NAME##_SITTINGS,                        \
               NELEM(REF_##NAME##_SITTINGS), REF_##NAME##_ATTEMPTS,                     \
               NELEM(REF_##NAME##_ATTEMPTS)})

/* The reference data set as an analytics data set; with only_sitting, just
 * that sitting's attempts. */
static ks_analytics_data *load_ref(const ref_set *rs, const char *only_sitting)
{
    ks_error err;
    ks_analytics_data *d = ks_analytics_data_new("REF", "参考数据");
    CHECK(d != NULL);
    for (size_t i = 0; i < rs->nsittings; i++)
        if (!only_sitting || strcmp(only_sitting, rs->sittings[i]) == 0)
            CHECK_INT(ks_analytics_data_add_sitting(d, rs->sittings[i], &err), KS_OK);
    CHECK_INT(ks_analytics_data_set_layout(d, rs->layout, rs->nslots, &err), KS_OK);
    for (size_t j = 0; j < rs->nitems; j++) {
        const ref_item *it = &rs->items[j];
        ks_analytics_item_info info = {.id = it->id, .type = it->type, .noptions = it->noptions,
                                       .key = it->key, .guess = it->guess};
        CHECK_INT(ks_analytics_data_add_item(d, &info, &err), KS_OK);
    }
    ks_analytics_response resp[REF_MAX_SLOTS];
    for (size_t a = 0; a < rs->nattempts; a++) {
        const ref_attempt *ra = &rs->attempts[a];
        if (only_sitting && strcmp(only_sitting, ra->sitting) != 0)
            continue;
        for (size_t i = 0; i < rs->nslots; i++)
            resp[i] = (ks_analytics_response){ra->cells[i].item, ra->cells[i].points,
                                              ra->cells[i].answered != 0, ra->cells[i].chosen};
        ks_analytics_attempt at = {ra->sitting, ra->candidate, ra->number, a, resp};
        CHECK_INT(ks_analytics_data_add_attempt(d, &at, &err), KS_OK);
    }
    return d;
}

static void check_stat(const ks_analytics_stat *s, const ref_stat *w)
{
    CHECK_INT(s->n, w->n);
    NEAR(s->points, w->points);
    NEAR(s->mean, w->mean);
    NEAR(s->facility, w->facility);
    NEAR(s->sd, w->sd);
    NEAR(s->guess, w->guess);
    NEAR(s->intended_weight, w->intended_weight);
    NEAR(s->effective_weight, w->effective_weight);
    CHECK_INT(s->negative_covariance, w->negative_covariance);
    NEAR(s->discrimination_index, w->discrimination_index);
    NEAR(s->discriminative_efficiency, w->discriminative_efficiency);
    NEAR(s->p, w->p);
    NEAR(s->point_biserial, w->point_biserial);
    NEAR(s->d, w->d);
    CHECK_INT(s->flags, w->flags);
}

static void check_test(const ks_analytics_test_stat *t, const ref_test *w)
{
    CHECK_INT(t->n, w->n);
    NEAR(t->max_score, w->max_score);
    NEAR(t->mean, w->mean);
    NEAR(t->median, w->median);
    NEAR(t->sd, w->sd);
    NEAR(t->skewness, w->skewness);
    NEAR(t->kurtosis, w->kurtosis);
    NEAR(t->cic, w->cic);
    NEAR(t->error_ratio, w->error_ratio);
    NEAR(t->standard_error, w->standard_error);
    NEAR(t->kr20, w->kr20);
    CHECK_INT(t->group_size, w->group_size);
}

static void check_option(const ks_analytics_option *o, const ref_option *w)
{
    CHECK_INT(o->option, w->option);
    CHECK_INT(o->key, w->key);
    CHECK_INT(o->count, w->count);
    CHECK_INT(o->upper, w->upper);
    CHECK_INT(o->middle, w->middle);
    CHECK_INT(o->lower, w->lower);
    NEAR(o->proportion, w->proportion);
    NEAR(o->mean_total, w->mean_total);
}

static void check_report(const ks_analytics_report *r, const ref_test *test,
                         const size_t *upper, const size_t *lower, const ref_stat *slots,
                         size_t nslots, const ref_item_stat *items, size_t nitems)
{
    check_test(&r->test, test);
    for (size_t k = 0; k < test->group_size && k < r->test.group_size; k++) {
        CHECK_INT(r->test.upper[k], upper[k]);
        CHECK_INT(r->test.lower[k], lower[k]);
    }
    CHECK_INT(r->nslots, nslots);
    for (size_t i = 0; i < nslots && i < r->nslots; i++) {
        CONTEXT_BEGIN;
        check_stat(&r->slots[i].stat, &slots[i]);
        CONTEXT_END("slot %zu", i + 1);
    }
    CHECK_INT(r->nitems, nitems);
    for (size_t j = 0; j < nitems && j < r->nitems; j++) {
        const ks_analytics_item_stat *it = &r->items[j];
        const ref_item_stat *w = &items[j];
        CONTEXT_BEGIN;
        CHECK_STR(it->info->id, w->id);
        check_stat(&it->stat, &w->stat);
        CHECK_INT(it->nslots, w->nslots);
        for (size_t k = 0; k < w->nslots && k < it->nslots; k++)
            CHECK_INT(it->slots[k], w->slots[k]);
        CHECK_INT(it->group_size, w->group_size);
        CHECK_INT(it->info->noptions, w->noptions);
        for (int k = 0; k < w->noptions && k < it->info->noptions; k++)
            check_option(&it->options[k], &w->options[k]);
        check_option(&it->omitted, &w->options[w->noptions]);
        CONTEXT_END("item %s", w->id);
    }
}

static void reference_all_attempts(void)
{
    ref_set rs = REF_SET(MAIN);
    ks_analytics_data *d = load_ref(&rs, NULL);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    check_report(r, &REF_ALL_TEST, REF_ALL_UPPER, REF_ALL_LOWER, REF_ALL_SLOT_STATS,
                 NELEM(REF_ALL_SLOT_STATS), REF_ALL_ITEM_STATS, REF_ALL_NITEMS);
    /* every slot lists the items drawn into it, each once */
    size_t listed = 0;
    for (size_t i = 0; i < r->nslots; i++)
        listed += r->slots[i].nitems;
    size_t placed = 0;
    for (size_t j = 0; j < r->nitems; j++)
        placed += r->items[j].nslots;
    CHECK_INT(listed, placed);
    CHECK_INT(r->slots[0].nitems, 10); /* section 1 draws from 10 items */
    CHECK_INT(r->slots[11].section, 3);
    CHECK_INT(r->slots[11].position, 3);
    CHECK_STR(r->slots[11].section_title, "三、工具");
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

static void reference_first_attempts(void)
{
    ref_set rs = REF_SET(MAIN);
    ks_analytics_data *d = load_ref(&rs, NULL);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_FIRST, &r, &err), KS_OK);
    check_report(r, &REF_FIRST_TEST, REF_FIRST_UPPER, REF_FIRST_LOWER, REF_FIRST_SLOT_STATS,
                 NELEM(REF_FIRST_SLOT_STATS), REF_FIRST_ITEM_STATS, REF_FIRST_NITEMS);
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

static void reference_all_or_nothing(void)
{
    ref_set rs = REF_SET(BINARY);
    ks_analytics_data *d = load_ref(&rs, NULL);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    check_report(r, &REF_BINARY_TEST, REF_BINARY_UPPER, REF_BINARY_LOWER,
                 REF_BINARY_SLOT_STATS, NELEM(REF_BINARY_SLOT_STATS), REF_BINARY_ITEM_STATS,
                 REF_BINARY_NITEMS);
    /* KR-20 and CIC agree on equally weighted all-or-nothing slots */
    NEAR(r->test.kr20 * 100, r->test.cic);
    /* and the slots agree with the core's item analysis of the 0/1 matrix */
    double m[NELEM(REF_BINARY_ATTEMPTS) * NELEM(REF_BINARY_LAYOUT)];
    size_t n = NELEM(REF_BINARY_ATTEMPTS), k = NELEM(REF_BINARY_LAYOUT);
    for (size_t a = 0; a < n; a++)
        for (size_t i = 0; i < k; i++)
            m[a * k + i] = REF_BINARY_ATTEMPTS[a].cells[i].points;
    ks_stats_items_result ia;
    CHECK_INT(ks_stats_item_analysis(m, n, k, KS_ANALYTICS_GROUP_FRAC, &ia), KS_STAT_OK);
    NEAR(ia.kr20, r->test.kr20);
    CHECK_INT(ia.group_size, r->test.group_size);
    for (size_t i = 0; i < k; i++) {
        NEAR(ia.p[i], r->slots[i].stat.p);
        NEAR(ia.p[i] * 100, r->slots[i].stat.facility);
        NEAR(ia.r_pb[i], r->slots[i].stat.point_biserial);
        NEAR(ia.r_pb_corrected[i] * 100, r->slots[i].stat.discrimination_index);
    }
    ks_stats_items_free(&ia);
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

static void reference_negative_covariance(void)
{
    ref_set rs = REF_SET(FIXED);
    ks_analytics_data *d = load_ref(&rs, NULL);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    check_report(r, &REF_FIXED_TEST, REF_FIXED_UPPER, REF_FIXED_LOWER, REF_FIXED_SLOT_STATS,
                 NELEM(REF_FIXED_SLOT_STATS), REF_FIXED_ITEM_STATS, REF_FIXED_NITEMS);
    /* slot 3 has no effective weight, and the others share 100 % */
    CHECK(r->slots[2].stat.negative_covariance);
    double sum = 0;
    for (size_t i = 0; i < r->nslots; i++)
        if (i != 2)
            sum += r->slots[i].stat.effective_weight;
    NEAR(sum, 100);
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

static void check_welch(const ks_analytics_comparison *c, const ref_welch *w)
{
    CHECK_INT(c->status, KS_STAT_OK);
    CHECK_INT(c->t.n1, w->n1);
    CHECK_INT(c->t.n2, w->n2);
    NEAR(c->t.mean1, w->mean1);
    NEAR(c->t.mean2, w->mean2);
    NEAR(c->t.var1, w->var1);
    NEAR(c->t.var2, w->var2);
    NEAR(c->t.t, w->t);
    NEAR(c->t.df, w->df);
    CHECK_NEAR(c->t.p_two_sided, w->p_two_sided, 1e-9, 1e-7);
    CHECK_INT(c->t.significant, w->p_two_sided < 0.05);
}

static void compare_two_sittings(void)
{
    ref_set rs = REF_SET(MAIN);
    ks_analytics_data *a = load_ref(&rs, "s1"), *b = load_ref(&rs, "s2");
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(a, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    CHECK(r->comparison == NULL);
    CHECK_INT(ks_analytics_compare(r, b, "s2", &err), KS_OK);
    check_welch(r->comparison, &REF_S1_VS_S2);
    CHECK_STR(r->comparison->label_a, "s1");
    CHECK_STR(r->comparison->label_b, "s2");
    /* first attempts only on both sides: s2's 50 retakes drop out */
    ks_analytics_report *first;
    CHECK_INT(ks_analytics_compute(a, KS_ANALYTICS_FIRST, &first, &err), KS_OK);
    CHECK_INT(ks_analytics_compare(first, b, "s2", &err), KS_OK);
    CHECK_INT(first->comparison->t.n1, 120);
    CHECK_INT(first->comparison->t.n2, 30);
    ks_analytics_report_free(first);
    ks_analytics_report_free(r);
    ks_analytics_data_free(a);
    ks_analytics_data_free(b);
}

static void compare_first_attempts_with_retakes(void)
{
    ref_set rs = REF_SET(MAIN);
    ks_analytics_data *d = load_ref(&rs, NULL);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    CHECK_INT(ks_analytics_compare_retakes(r, &err), KS_OK);
    check_welch(r->comparison, &REF_FIRST_VS_RETAKES);
    CHECK_STR(r->comparison->label_a, "首次作答");
    CHECK_STR(r->comparison->label_b, "补考");
    ks_analytics_report_free(r);

    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_FIRST, &r, &err), KS_OK);
    CHECK_INT(ks_analytics_compare_retakes(r, &err), KS_EINPUT);
    CHECK_STR(err.message, "only first attempts are analysed, so there are no retakes to "
                           "compare with");
    CHECK(r->comparison == NULL);
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

/* ---- small data sets built by hand -------------------------------------------------- */

/* n attempts at two one-point slots of one section, slot i drawing item
 * ids[i] (single choice, key option 2 of 4, chosen when the point was won,
 * else option 1), except that attempt 0 draws ids[2] into slot 2 when there
 * is one; points[a][i]. */
static ks_analytics_data *tiny(size_t n, const double (*points)[2], const char *const *ids)
{
    ks_error err;
    ks_analytics_data *d = ks_analytics_data_new("TINY", NULL);
    ks_analytics_data_add_sitting(d, "t1", &err);
    const ks_analytics_slot_info layout[] = {{1, "甲", 1}, {1, "甲", 1}};
    CHECK_INT(ks_analytics_data_set_layout(d, layout, 2, &err), KS_OK);
    for (size_t j = 0; ids[j]; j++) {
        ks_analytics_item_info it = {.id = ids[j], .type = "single", .noptions = 4, .key = 2,
                                     .guess = 0.25};
        CHECK_INT(ks_analytics_data_add_item(d, &it, &err), KS_OK);
    }
    for (size_t a = 0; a < n; a++) {
        ks_analytics_response resp[2];
        for (int i = 0; i < 2; i++) {
            const char *item = i == 1 && a == 0 && ids[2] ? ids[2] : ids[i];
            resp[i] = (ks_analytics_response){item, points[a][i], true,
                                              points[a][i] > 0 ? 2u : 1u};
        }
        char cand[32];
        snprintf(cand, sizeof cand, "T%zu", a + 1);
        ks_analytics_attempt at = {"t1", cand, 1, a, resp};
        CHECK_INT(ks_analytics_data_add_attempt(d, &at, &err), KS_OK);
    }
    return d;
}

static const char *const two_items[] = {"q1", "q2", NULL};

/* x1 = 1 1 0 0, x2 = 1 0 1 0: T = 2 1 1 0, and each slot is uncorrelated with
 * the other, the rest of the test. */
static const double worked_points[4][2] = {{1, 1}, {1, 0}, {0, 1}, {0, 0}};

static void worked_example(void)
{
    ks_analytics_data *d = tiny(4, worked_points, two_items);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    const ks_analytics_test_stat *t = &r->test;
    CHECK_INT(t->n, 4);
    NEAR(t->mean, 1);
    NEAR(t->median, 1);
    NEAR(t->sd, sqrt(2.0 / 3));
    NEAR(t->skewness, 0);
    /* m2 = m4 = 1/2; k4 = 16·(5/2 − 9/4)/6 = 2/3; k2 = 2/3; kurtosis = k4/k2² */
    NEAR(t->kurtosis, 1.5);
    /* V(x1) = V(x2) = 1/3, V(T) = 2/3: CIC = 100·2·(1 − (2/3)/(2/3)) = 0 */
    NEAR(t->cic, 0);
    NEAR(t->error_ratio, 100);
    NEAR(t->standard_error, sqrt(2.0 / 3));
    NEAR(t->kr20, 0);
    CHECK_INT(t->group_size, 1);
    CHECK_INT(t->upper[0], 0);
    CHECK_INT(t->lower[0], 3);
    const ks_analytics_stat *s = &r->slots[0].stat;
    NEAR(s->facility, 50);
    NEAR(s->sd, 100 * sqrt(1.0 / 3));
    NEAR(s->guess, 25);
    NEAR(s->intended_weight, 50);
    NEAR(s->effective_weight, 50); /* C(x_i, T) = 1/3 for both slots */
    NEAR(s->discrimination_index, 0);
    NEAR(s->discriminative_efficiency, 0); /* C = 0, C_max = 1/3 */
    NEAR(s->p, 0.5);
    NEAR(s->point_biserial, 1 / sqrt(2.0));
    NEAR(s->d, 1);
    CHECK_INT(s->flags, (1u << KS_ANALYTICS_WEAK_DISCRIMINATION) |
                            (1u << KS_ANALYTICS_LOW_EFFICIENCY));
    /* the distractor analysis of q1: attempts 0, 1 chose 2 (the key), 2, 3 chose 1 */
    const ks_analytics_item_stat *q1 = &r->items[0];
    CHECK_STR(q1->info->id, "q1");
    CHECK_INT(q1->options[1].count, 2);
    CHECK(q1->options[1].key);
    CHECK_INT(q1->options[1].upper, 1);
    CHECK_INT(q1->options[1].middle, 1);
    NEAR(q1->options[1].mean_total, 1.5);
    CHECK_INT(q1->options[0].lower, 1);
    NEAR(q1->options[0].proportion, 0.5);
    CHECK_INT(q1->options[2].count, 0);
    CHECK(isnan(q1->options[2].mean_total));
    CHECK_INT(q1->omitted.count, 0);
    CHECK_INT(q1->stat.flags, (1u << KS_ANALYTICS_WEAK_DISCRIMINATION) |
                                  (1u << KS_ANALYTICS_LOW_EFFICIENCY) |
                                  (1u << KS_ANALYTICS_DISTRACTOR_UNUSED));
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

static void one_attempt(void)
{
    static const double pts[1][2] = {{1, 0}};
    ks_analytics_data *d = tiny(1, pts, two_items);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    const ks_analytics_test_stat *t = &r->test;
    CHECK_INT(t->n, 1);
    NEAR(t->mean, 1);
    NEAR(t->median, 1);
    CHECK(isnan(t->sd) && isnan(t->skewness) && isnan(t->kurtosis));
    CHECK(isnan(t->cic) && isnan(t->error_ratio) && isnan(t->standard_error));
    CHECK(isnan(t->kr20));
    CHECK_INT(t->group_size, 0);
    const ks_analytics_stat *s = &r->slots[0].stat;
    NEAR(s->facility, 100);
    NEAR(s->p, 1);
    CHECK(isnan(s->sd) && isnan(s->discrimination_index) &&
          isnan(s->discriminative_efficiency) && isnan(s->effective_weight) &&
          isnan(s->point_biserial) && isnan(s->d));
    CHECK(!s->negative_covariance);
    CHECK_INT(s->flags, 1u << KS_ANALYTICS_TOO_EASY);
    NEAR(r->slots[1].stat.facility, 0);
    CHECK_INT(r->slots[1].stat.flags,
              (1u << KS_ANALYTICS_BELOW_GUESS) | (1u << KS_ANALYTICS_TOO_HARD));
    CHECK_INT(r->items[0].omitted.middle, 0);
    CHECK_INT(r->items[0].options[1].middle, 1); /* no groups: everyone is in the middle */
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

static void zero_variance(void)
{
    static const double pts[3][2] = {{1, 0}, {1, 0}, {1, 0}};
    ks_analytics_data *d = tiny(3, pts, two_items);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    const ks_analytics_test_stat *t = &r->test;
    NEAR(t->sd, 0);
    CHECK(isnan(t->skewness) && isnan(t->kurtosis));
    CHECK(isnan(t->cic) && isnan(t->standard_error) && isnan(t->kr20));
    CHECK_INT(t->group_size, 1);
    CHECK_INT(t->upper[0], 0); /* ties: the upper group is the first, the lower the last */
    CHECK_INT(t->lower[0], 2);
    const ks_analytics_stat *s = &r->slots[0].stat;
    NEAR(s->sd, 0);
    CHECK(isnan(s->discrimination_index) && isnan(s->discriminative_efficiency));
    CHECK(isnan(s->point_biserial));
    NEAR(s->effective_weight, NAN); /* Σ√C = 0 */
    NEAR(s->d, 0);
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

static void item_seen_by_one_attempt(void)
{
    /* attempt 0 draws q3 into slot 2 instead of q2 */
    static const char *const ids[] = {"q1", "q2", "q3", NULL};
    ks_analytics_data *d = tiny(4, worked_points, ids);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    CHECK_INT(r->nitems, 3);
    CHECK_STR(r->items[2].info->id, "q3");
    const ks_analytics_item_stat *q3 = &r->items[2];
    CHECK_INT(q3->stat.n, 1);
    CHECK_INT(q3->nslots, 1);
    CHECK_INT(q3->slots[0], 1);
    CHECK_INT(q3->group_size, 0);
    NEAR(q3->stat.facility, 100);
    CHECK(isnan(q3->stat.sd) && isnan(q3->stat.discrimination_index) &&
          isnan(q3->stat.effective_weight) && isnan(q3->stat.d));
    CHECK_INT(q3->options[1].count, 1);
    NEAR(q3->options[1].mean_total, 2);
    CHECK_INT(r->items[1].stat.n, 3); /* q2, in the other three attempts */
    CHECK_INT(r->slots[1].nitems, 2);
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

/* An item drawn into both slots of every attempt: its figures run over its
 * six responses. x = 1 1 | 1 0 | 0 0 (attempt by attempt), T = 2 2 1 1 0 0,
 * rest = 1 1 0 1 0 0: C(x, rest) = 0.1 = V(x) = V(rest), so r = 1/3, and
 * sorted x and rest pair as 0 0 0 1 1 1 with 0 0 0 1 1 1, C_max = 0.3; the
 * groups (g = 2) are the first two responses and the last two. */
static void item_drawn_twice_in_an_attempt(void)
{
    static const double pts[3][2] = {{1, 1}, {1, 0}, {0, 0}};
    static const char *const ids[] = {"q1", "q1", NULL};
    ks_analytics_data *d = tiny(3, pts, ids);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    CHECK_INT(r->nitems, 1);
    const ks_analytics_item_stat *q1 = &r->items[0];
    CHECK_INT(q1->stat.n, 6);
    CHECK_INT(q1->nslots, 2);
    CHECK_INT(q1->group_size, 2);
    NEAR(q1->stat.facility, 50);
    NEAR(q1->stat.sd, 100 * sqrt(0.3));
    NEAR(q1->stat.p, 0.5);
    NEAR(q1->stat.discrimination_index, 100.0 / 3);
    NEAR(q1->stat.discriminative_efficiency, 100.0 / 3);
    NEAR(q1->stat.point_biserial, 2 / sqrt(6.0));
    NEAR(q1->stat.d, 1);
    CHECK_INT(q1->options[1].count, 3);
    CHECK_INT(q1->options[1].upper, 2);
    CHECK_INT(q1->options[1].middle, 1);
    CHECK_INT(q1->options[0].lower, 2);
    NEAR(q1->options[1].mean_total, 5.0 / 3);
    CHECK_INT(r->slots[0].nitems, 1);
    CHECK_INT(r->slots[1].nitems, 1);
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

/* C_max on each of its paths, 40 attempts at three slots: v1 (1 point)
 * takes 40 point values, more than are merged (so they are sorted); v2 (2
 * points) five partial credits and v3 (1 point) all or nothing, with ties
 * (merged). With θ = 11a mod 40: x1 = (13·(7a mod 40) + θ mod 13)/520
 * (its rests are not in the order of T), x2 = ½·min(4, ⌊(θ + 3a mod 10)/10⌋),
 * x3 = [θ + 5a mod 17 > 20]. The discriminative efficiency
 * 100·C(x, T−x)/C_max and the discrimination index from numpy, C_max pairing
 * np.sort(x) with np.sort(T − x). */
static void efficiency_on_every_path(void)
{
    ks_error err;
    ks_analytics_data *d = ks_analytics_data_new("DE", NULL);
    CHECK_INT(ks_analytics_data_add_sitting(d, "s", &err), KS_OK);
    const ks_analytics_slot_info layout[] = {{1, NULL, 1}, {1, NULL, 2}, {1, NULL, 1}};
    CHECK_INT(ks_analytics_data_set_layout(d, layout, 3, &err), KS_OK);
    static const char *const ids[] = {"v1", "v2", "v3"};
    for (size_t i = 0; i < 3; i++) {
        ks_analytics_item_info it = {.id = ids[i], .type = "calculated", .guess = 0};
        CHECK_INT(ks_analytics_data_add_item(d, &it, &err), KS_OK);
    }
    for (int a = 0; a < 40; a++) {
        int theta = a * 11 % 40;
        double x[3] = {(a * 7 % 40 * 13 + theta % 13) / 520.0,
                       0.5 * fmin(4, (theta + a * 3 % 10) / 10),
                       theta + a * 5 % 17 > 20};
        ks_analytics_response resp[3];
        for (size_t i = 0; i < 3; i++)
            resp[i] = (ks_analytics_response){ids[i], x[i], true, 0};
        char cand[16];
        snprintf(cand, sizeof cand, "E%d", a);
        ks_analytics_attempt at = {"s", cand, 1, (uint64_t)a, resp};
        CHECK_INT(ks_analytics_data_add_attempt(d, &at, &err), KS_OK);
    }
    ks_analytics_report *r;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    static const double de[3] = {-22.215516542511505, 53.049452879803191, 76.579805648006925};
    static const double di[3] = {-21.331018407535648, 50.482049889777421, 59.922068644555502};
    for (size_t i = 0; i < 3; i++) {
        CONTEXT_BEGIN;
        NEAR(r->slots[i].stat.discriminative_efficiency, de[i]);
        NEAR(r->slots[i].stat.discrimination_index, di[i]);
        CHECK_STR(r->items[i].info->id, ids[i]);
        NEAR(r->items[i].stat.discriminative_efficiency, de[i]);
        NEAR(r->items[i].stat.discrimination_index, di[i]);
        CONTEXT_END("slot %zu", i + 1);
    }
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

static void everything_right(void)
{
    static const double pts[5][2] = {{1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}};
    ks_analytics_data *d = tiny(5, pts, two_items);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    NEAR(r->test.mean, 2);
    NEAR(r->test.sd, 0);
    CHECK(isnan(r->test.cic) && isnan(r->test.kr20));
    for (size_t i = 0; i < 2; i++) {
        NEAR(r->slots[i].stat.facility, 100);
        NEAR(r->slots[i].stat.p, 1);
        CHECK_INT(r->slots[i].stat.flags, 1u << KS_ANALYTICS_TOO_EASY);
    }
    /* every wrong option unused */
    CHECK_INT(r->items[0].stat.flags,
              (1u << KS_ANALYTICS_TOO_EASY) | (1u << KS_ANALYTICS_DISTRACTOR_UNUSED));
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

static void no_attempts(void)
{
    static const double pts[1][2] = {{0, 0}};
    ks_analytics_data *d = tiny(0, pts, two_items);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    CHECK_INT(r->test.n, 0);
    CHECK(isnan(r->test.mean) && isnan(r->test.median));
    CHECK_INT(r->nitems, 0);
    CHECK_INT(r->nslots, 2);
    NEAR(r->slots[0].stat.intended_weight, 50);
    CHECK(isnan(r->slots[0].stat.facility));
    char *html = NULL;
    CHECK_INT(ks_analytics_html(r, NULL, &html, &err), KS_OK);
    CHECK(html && has(html, "没有已评分的作答") && !has(html, "<svg"));
    free(html);
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

/* ---- the data set's checks ------------------------------------------------------------ */

static void data_set_refuses_bad_input(void)
{
    ks_error err;
    ks_analytics_data *d = ks_analytics_data_new("X", NULL);
    CHECK_INT(ks_analytics_data_add_sitting(d, "s1", &err), KS_OK);
    CHECK_INT(ks_analytics_data_add_sitting(d, "s1", &err), KS_EINPUT);
    CHECK_STR(err.message, "sitting 's1' is named twice");
    ks_analytics_response resp[2] = {{"q1", 1, true, 2}, {"q2", 0, true, 1}};
    ks_analytics_attempt at = {"s1", "C1", 1, 7, resp};
    CHECK_INT(ks_analytics_data_add_attempt(d, &at, &err), KS_EINPUT);
    CHECK_STR(err.message, "the form's slots are not set");
    CHECK_INT(ks_analytics_data_set_layout(d, NULL, 0, &err), KS_EINPUT);
    CHECK_STR(err.message, "a form has no questions");
    const ks_analytics_slot_info bad[] = {{1, NULL, 0}};
    CHECK_INT(ks_analytics_data_set_layout(d, bad, 1, &err), KS_EINPUT);
    CHECK_STR(err.message, "slot 1: the section must be a number from 1 and the points a "
                           "positive number");
    const ks_analytics_slot_info layout[] = {{1, NULL, 1}, {2, NULL, 2}};
    CHECK_INT(ks_analytics_data_set_layout(d, layout, 2, &err), KS_OK);
    CHECK_INT(ks_analytics_data_set_layout(d, layout, 2, &err), KS_OK);
    const ks_analytics_slot_info other[] = {{1, NULL, 1}, {2, NULL, 3}};
    CHECK_INT(ks_analytics_data_set_layout(d, other, 2, &err), KS_EINPUT);
    CHECK_STR(err.message, "the forms differ in their sections or points (2 questions against "
                           "2); report them separately");

    ks_analytics_item_info q1 = {.id = "q1", .type = "single", .noptions = 4, .key = 2,
                                 .guess = 0.25};
    CHECK_INT(ks_analytics_data_add_item(d, &q1, &err), KS_OK);
    CHECK_INT(ks_analytics_data_add_item(d, &q1, &err), KS_OK);
    ks_analytics_item_info changed = q1;
    changed.key = 4;
    CHECK_INT(ks_analytics_data_add_item(d, &changed, &err), KS_EINPUT);
    CHECK_STR(err.message, "item 'q1' differs between the sittings' banks (type, options or "
                           "key); report them separately");
    ks_analytics_item_info wide = {.id = "w", .type = "single", .noptions = 33, .guess = NAN};
    CHECK_INT(ks_analytics_data_add_item(d, &wide, &err), KS_EINPUT);
    CHECK_STR(err.message, "item 'w': 33 options; at most 32 are analysed");
    ks_analytics_item_info badkey = {.id = "k", .type = "single", .noptions = 2, .key = 4,
                                     .guess = NAN};
    CHECK_INT(ks_analytics_data_add_item(d, &badkey, &err), KS_EINPUT);
    CHECK_STR(err.message, "item 'k': the key names an option it does not have");

    CHECK_INT(ks_analytics_data_add_attempt(d, &at, &err), KS_EINPUT);
    CHECK_STR(err.message, "attempt 1 of C1, question 2: unknown item 'q2'");
    ks_analytics_item_info q2 = {.id = "q2", .type = "calculated", .guess = 0};
    CHECK_INT(ks_analytics_data_add_item(d, &q2, &err), KS_OK);
    CHECK_INT(ks_analytics_data_add_attempt(d, &at, &err), KS_EINPUT);
    CHECK_STR(err.message, "attempt 1 of C1, question 2: an option item 'q2' does not have "
                           "was chosen");
    resp[1].chosen = 0;
    resp[1].points = 2.5;
    CHECK_INT(ks_analytics_data_add_attempt(d, &at, &err), KS_EINPUT);
    CHECK_STR(err.message, "attempt 1 of C1, question 2: 2.5 points is outside 0 to 2");
    resp[1].points = 2;
    at.sitting = "s9";
    CHECK_INT(ks_analytics_data_add_attempt(d, &at, &err), KS_EINPUT);
    CHECK_STR(err.message, "attempt of C1: unknown sitting 's9'");
    at.sitting = "s1";
    at.number = 0;
    CHECK_INT(ks_analytics_data_add_attempt(d, &at, &err), KS_EINPUT);
    CHECK_STR(err.message, "attempt of C1: the attempt number must be 1 or more");
    at.number = 1;
    CHECK_INT(ks_analytics_data_add_attempt(d, &at, &err), KS_OK);
    ks_analytics_data_free(d);
}

static void flag_names_and_reasons(void)
{
    CHECK_STR(ks_analytics_flag_name(KS_ANALYTICS_NEGATIVE_DISCRIMINATION),
              "negative_discrimination");
    CHECK_STR(ks_analytics_flag_name(KS_ANALYTICS_DISTRACTOR_UNUSED), "distractor_unused");
    CHECK_STR(ks_analytics_flag_text(KS_ANALYTICS_LOW_EFFICIENCY),
              "区分效率低于 15%（Moodle 的可疑题标准）");
    CHECK(ks_analytics_flag_name(KS_ANALYTICS_FLAG_COUNT) == NULL);
    CHECK(ks_analytics_flag_text(KS_ANALYTICS_FLAG_COUNT) == NULL);
}

/* ---- renderers ------------------------------------------------------------------------ */

static void json_of_the_worked_example(void)
{
    ks_analytics_data *d = tiny(4, worked_points, two_items);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    json_t *j = ks_analytics_json(r);
    CHECK(j != NULL);
    CHECK_STR(json_string_value(json_object_get(j, "code")), "TINY");
    CHECK(json_is_null(json_object_get(j, "title")));
    CHECK_STR(json_string_value(json_object_get(j, "attempts")), "all");
    json_t *t = json_object_get(j, "test");
    CHECK_INT(json_integer_value(json_object_get(t, "n")), 4);
    NEAR(json_real_value(json_object_get(t, "kurtosis")), 1.5);
    NEAR(json_real_value(json_object_get(t, "mean_percent")), 50);
    json_t *slot = json_array_get(json_object_get(j, "slots"), 0);
    CHECK_INT(json_integer_value(json_object_get(slot, "slot")), 1);
    CHECK_STR(json_string_value(json_object_get(slot, "section_title")), "甲");
    CHECK_STR(json_string_value(json_array_get(json_object_get(slot, "items"), 0)), "q1");
    NEAR(json_real_value(json_object_get(slot, "effective_weight")), 50);
    CHECK_STR(json_string_value(json_array_get(json_object_get(slot, "flags"), 1)),
              "low_efficiency");
    json_t *item = json_array_get(json_object_get(j, "items"), 0);
    CHECK_INT(json_integer_value(json_array_get(json_object_get(item, "key"), 0)), 2);
    json_t *opt3 = json_array_get(json_object_get(item, "options"), 2);
    CHECK_INT(json_integer_value(json_object_get(opt3, "count")), 0);
    CHECK_STR(json_string_value(json_object_get(opt3, "mean_total")), "nan");
    CHECK(json_object_get(j, "comparison") == NULL);
    json_decref(j);

    CHECK_INT(ks_analytics_compare_retakes(r, &err), KS_OK); /* no retakes: B is empty */
    j = ks_analytics_json(r);
    json_t *c = json_object_get(j, "comparison");
    CHECK_STR(json_string_value(json_object_get(c, "status")), "E_N_TOO_SMALL");
    CHECK(json_object_get(c, "t") == NULL);
    json_decref(j);
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

static void csv_of_the_worked_example(void)
{
    ks_analytics_data *d = tiny(4, worked_points, two_items);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    char *csv = NULL;
    CHECK_INT(ks_analytics_csv(r, &csv, &err), KS_OK);
    CHECK_STR(csv,
              "item,type,slots,n,facility,sd,random_guess_score,intended_weight,"
              "effective_weight,discrimination_index,discriminative_efficiency,p,"
              "point_biserial,d,flags\n"
              "q1,single,1,4,50.0000,57.7350,25.0000,50.0000,50.0000,0.0000,0.0000,0.5000,"
              "0.7071,1.0000,weak_discrimination;low_efficiency;distractor_unused\n"
              "q2,single,2,4,50.0000,57.7350,25.0000,50.0000,50.0000,0.0000,0.0000,0.5000,"
              "0.7071,1.0000,weak_discrimination;low_efficiency;distractor_unused\n");
    free(csv);
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

/* A data set whose texts try to break out of the page. */
static ks_analytics_data *hostile(void)
{
    ks_error err;
    ks_analytics_data *d = ks_analytics_data_new("X<script>", "<img src=x onerror=alert(1)>");
    ks_analytics_data_add_sitting(d, "s\"1'", &err);
    const ks_analytics_slot_info layout[] = {{1, "</td><script>alert(1)</script>", 1},
                                             {1, NULL, 1}};
    ks_analytics_data_set_layout(d, layout, 2, &err);
    const char *const texts[] = {"<b onclick=\"x()\">甲</b>", "乙 & 丙"};
    ks_analytics_item_info a = {.id = "a<1>", .type = "single", .stem = "<style>x</style>",
                                .noptions = 2, .options = texts, .key = 1, .guess = 0.5};
    ks_analytics_item_info b = {.id = "b", .type = "fill", .guess = 0};
    ks_analytics_data_add_item(d, &a, &err);
    ks_analytics_data_add_item(d, &b, &err);
    for (int k = 0; k < 6; k++) {
        ks_analytics_response resp[2] = {{"a<1>", k % 2, true, k % 2 ? 1u : 2u},
                                         {"b", k > 2, k != 5, 0}};
        char cand[24];
        snprintf(cand, sizeof cand, "C%d", k);
        ks_analytics_attempt at = {"s\"1'", cand, 1, (uint64_t)k, resp};
        CHECK_INT(ks_analytics_data_add_attempt(d, &at, &err), KS_OK);
    }
    return d;
}

static void html_report_is_escaped_and_inert(void)
{
    ks_analytics_data *d = hostile();
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    CHECK_INT(ks_analytics_compare_retakes(r, &err), KS_OK);
    char *html = NULL, *again = NULL;
    CHECK_INT(ks_analytics_html(r, NULL, &html, &err), KS_OK);
    CHECK(html != NULL);
    if (!html)
        return;
    CHECK(!strncmp(html, "<!DOCTYPE html>\n<html lang=\"zh-CN\">", 35));
    CHECK(has(html, "<h1>考试分析报告</h1>"));
    CHECK_INT(count(html, "<style>"), 1); /* the page's own sheet, nothing from the data */
    CHECK(!has(html, "<nav")); /* a file links nowhere */
    CHECK(has(html, "&lt;style&gt;x&lt;/style&gt;"));
    CHECK(!has(html, "<script"));
    CHECK(!has(html, "<img"));
    CHECK(!has(html, "onclick=\""));
    CHECK(!has(html, "style=\""));
    CHECK(has(html, "&lt;b onclick=&quot;x()&quot;&gt;甲&lt;/b&gt;"));
    CHECK(has(html, "乙 &amp; 丙"));
    CHECK(has(html, "a&lt;1&gt;"));
    CHECK(has(html, "s&quot;1&#39;"));
    CHECK(has(html, "&lt;/td&gt;&lt;script&gt;"));
    /* the histogram, the scatter plot, the distractor table */
    CHECK(has(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"histogram\""));
    CHECK_INT(count(html, "<rect class=\"bar\""), 10);
    CHECK(has(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"scatter-plot\""));
    CHECK(has(html, "<h2>选项分析</h2>"));
    CHECK(has(html, "<td class=\"text\">未作答</td>"));
    CHECK(has(html, "<h2>两组比较（Welch t 检验，按得分率）</h2>"));
    CHECK(has(html, "无法检验：每组至少需要 2 份作答"));
    /* the same report gives the same bytes */
    CHECK_INT(ks_analytics_html(r, NULL, &again, &err), KS_OK);
    CHECK(again && strcmp(html, again) == 0);
    free(again);
    free(html);

    /* for a server with style-src 'self': a link to the sheet, no <style>;
     * its links above the title, escaped */
    const ks_analytics_link links[] = {{"/proctor?sitting=a&b", "返回<监考台>"},
                                       {"/r.csv", "下载 CSV"}};
    const ks_analytics_page page = {"/static/report.css", links, 2};
    CHECK_INT(ks_analytics_html(r, &page, &html, &err), KS_OK);
    CHECK(has(html, "<link rel=\"stylesheet\" href=\"/static/report.css\">"));
    CHECK(!has(html, "<style"));
    CHECK(has(html, "<main class=\"analytics-report\">\n<nav class=\"report-links\">"
                    "<a href=\"/proctor?sitting=a&amp;b\">返回&lt;监考台&gt;</a>"
                    "<a href=\"/r.csv\">下载 CSV</a></nav>\n<h1>考试分析报告</h1>"));
    CHECK(has(ks_analytics_css(), ".analytics-report{"));
    free(html);
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

static void html_lists_flagged_items_with_reasons(void)
{
    ref_set rs = REF_SET(MAIN);
    ks_analytics_data *d = load_ref(&rs, NULL);
    ks_analytics_report *r;
    ks_error err;
    CHECK_INT(ks_analytics_compute(d, KS_ANALYTICS_ALL, &r, &err), KS_OK);
    char *html = NULL;
    CHECK_INT(ks_analytics_html(r, NULL, &html, &err), KS_OK);
    CHECK(has(html, "<li>题目 <strong>c1-05</strong>：<span class=\"reasons\">"
                    "区分度为负：总分高的考生反而得分更少，题目或答案可能有误；"
                    "难度指数低于随机猜测得分；有错误选项被高分组选得比低分组多</span></li>"));
    CHECK(has(html, "<td>协方差为负</td>"));
    CHECK(has(html, "<tr><th>作答数</th><td>200</td></tr>"));
    CHECK(has(html, "统计范围：全部已完成并评分的作答（含补考）"));
    free(html);
    ks_analytics_report_free(r);
    ks_analytics_data_free(d);
}

/* ---- the histogram (engine/chart.c) ------------------------------------------------------- */

static void histogram_counts_each_bin(void)
{
    static const double v[] = {0, 5, 10, 55, 99.9, 100};
    ks_chart_histogram h = {.text = {"成绩<分布>", "得分率", "人数"}, .values = v, .n = 6,
                            .lo = 0, .hi = 100, .bins = 10, .marker = 45,
                            .marker_label = "平均 & 中位"};
    char *svg = NULL, *again = NULL;
    ks_error err;
    CHECK_INT(ks_chart_histogram_svg(&h, &svg, &err), KS_OK);
    if (!svg)
        return;
    CHECK(!strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"histogram\" "
                        "width=\"640\" height=\"400\"", 80));
    CHECK_INT(count(svg, "<rect class=\"bar\""), 10);
    /* bins 0, 1, 5 and 9 hold 2, 1, 1 and 2 values (100 belongs to the last) */
    CHECK_INT(count(svg, "<text class=\"count\""), 4);
    CHECK(has(svg, "text-anchor=\"middle\" fill=\"#333333\">2</text>"));
    CHECK(has(svg, "<text x=\"72.0\" y=\"354\">0</text>"));
    CHECK(has(svg, "<text x=\"584.0\" y=\"354\">100</text>"));
    CHECK(has(svg, "成绩&lt;分布&gt;"));
    CHECK(has(svg, "平均 &amp; 中位"));
    CHECK(has(svg, "<line class=\"marker\" x1=\"302.4\""));
    CHECK(!has(svg, "<script") && !has(svg, "href"));
    CHECK_INT(ks_chart_histogram_svg(&h, &again, &err), KS_OK);
    CHECK(again && strcmp(svg, again) == 0);
    free(svg);
    free(again);

    static const double fifths[] = {0.2, 0.4, 0.6};
    ks_chart_histogram q = {.values = fifths, .n = 3, .lo = 0, .hi = 1, .bins = 5,
                            .marker = NAN};
    CHECK_INT(ks_chart_histogram_svg(&q, &svg, &err), KS_OK);
    CHECK(has(svg, ">0.2</text>") && has(svg, ">1.0</text>"));
    CHECK(!has(svg, "marker"));
    free(svg);
}

static void histogram_refuses_what_it_cannot_draw(void)
{
    static const double v[] = {10, 120};
    ks_chart_histogram h = {.values = v, .n = 2, .lo = 0, .hi = 100, .bins = 10, .marker = NAN};
    char *svg = NULL;
    ks_error err;
    CHECK_INT(ks_chart_histogram_svg(&h, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "value 2 (120) is outside the histogram's range 0 to 100");
    CHECK(svg == NULL);
    h.n = 1;
    h.bins = 0;
    CHECK_INT(ks_chart_histogram_svg(&h, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "a histogram needs 1 to 100 bins (got 0)");
    h.bins = 10;
    h.marker = -1;
    CHECK_INT(ks_chart_histogram_svg(&h, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "the marker must lie in the histogram's range (or be NaN for none)");
    h.marker = NAN;
    h.hi = 0;
    CHECK_INT(ks_chart_histogram_svg(&h, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "the range of a histogram must be finite, from a low to a higher "
                           "value");
    h.hi = 100;
    h.n = 0;
    CHECK_INT(ks_chart_histogram_svg(&h, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "a histogram needs 1 to 1000000 values (got 0)");
    h.n = 1;
    h.text.title = "\xff";
    CHECK_INT(ks_chart_histogram_svg(&h, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "a title or label is not valid UTF-8");
}

UNIT_MAIN(T(reference_all_attempts), T(reference_first_attempts), T(reference_all_or_nothing),
          T(reference_negative_covariance), T(compare_two_sittings),
          T(compare_first_attempts_with_retakes), T(worked_example), T(one_attempt),
          T(zero_variance), T(item_seen_by_one_attempt), T(item_drawn_twice_in_an_attempt),
          T(efficiency_on_every_path), T(everything_right), T(no_attempts), T(data_set_refuses_bad_input), T(flag_names_and_reasons),
          T(json_of_the_worked_example), T(csv_of_the_worked_example),
          T(html_report_is_escaped_and_inert), T(html_lists_flagged_items_with_reasons),
          T(histogram_counts_each_bin), T(histogram_refuses_what_it_cannot_draw))
