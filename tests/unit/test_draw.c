/* Unit tests for engine/draw.c: golden samples and shuffles (computed with an
 * independent Python implementation of the steps in draw.h), distinctness and
 * reach, the number of draws consumed, each filter criterion alone and
 * combined, exclusions, and the shortage error text. And for engine/groups.c:
 * units of items, what earlier pools may take, and exact disjoint forms. */
#include "unit.h"

#include <stdint.h>
#include <stdlib.h>

#include "kaoshi/draw.h"
#include "kaoshi/groups.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static ks_rng seeded(uint64_t seed)
{
    ks_rng r;
    ks_rng_seed(&r, seed);
    return r;
}

static int same_state(const ks_rng *a, const ks_rng *b)
{
    return memcmp(a->s, b->s, sizeof a->s) == 0;
}

/* Checks got[0..n-1] against want[0..n-1], reporting the first difference. */
#define CHECK_INDICES(got, n, ...)                                         \
    do {                                                                   \
        static const size_t want_[] = {__VA_ARGS__};                       \
        CHECK_INT((n), LEN(want_));                                        \
        for (size_t i_ = 0; i_ < LEN(want_) && i_ < (size_t)(n); i_++)     \
            CHECK_INT((got)[i_], want_[i_]);                               \
    } while (0)

static void sample_golden(void)
{
    size_t out[10];
    ks_rng r = seeded(42);
    CHECK_INT(ks_draw_sample(&r, 10, 4, out), 0);
    CHECK_INDICES(out, 4, 0, 4, 7, 9);
    r = seeded(7);
    CHECK_INT(ks_draw_sample(&r, 10, 4, out), 0);
    CHECK_INDICES(out, 4, 7, 3, 8, 9);
    r = seeded(2024);
    CHECK_INT(ks_draw_sample(&r, 10, 4, out), 0);
    CHECK_INDICES(out, 4, 0, 8, 2, 4);
    r = seeded(42);
    CHECK_INT(ks_draw_sample(&r, 1000, 5, out), 0);
    CHECK_INDICES(out, 5, 83, 379, 680, 924, 991);
}

static void shuffle_golden_and_equal_to_full_sample(void)
{
    size_t a[10], out[10];
    for (size_t i = 0; i < 10; i++)
        a[i] = i;
    ks_rng r = seeded(7);
    ks_draw_shuffle(&r, a, 10);
    CHECK_INDICES(a, 10, 7, 3, 8, 9, 1, 4, 6, 0, 2, 5);
    ks_rng s = seeded(7);
    CHECK_INT(ks_draw_sample(&s, 10, 10, out), 0);
    CHECK_INDICES(out, 10, 7, 3, 8, 9, 1, 4, 6, 0, 2, 5);
    CHECK(same_state(&r, &s));
}

static void draws_consumed(void)
{
    size_t out[10], a[1] = {5};
    ks_rng r = seeded(1), want = seeded(1);
    CHECK_INT(ks_draw_sample(&r, 10, 10, out), 0); /* 9 steps, one draw each */
    for (int i = 0; i < 9; i++)
        ks_rng_next(&want);
    CHECK(same_state(&r, &want));
    CHECK_INT(ks_draw_sample(&r, 10, 0, out), 0);
    CHECK_INT(ks_draw_sample(&r, 0, 0, out), 0);
    ks_draw_shuffle(&r, a, 1);
    ks_draw_shuffle(&r, a, 0);
    CHECK(same_state(&r, &want));
    CHECK_INT(a[0], 5);
    CHECK_INT(ks_draw_sample(&r, 3, 4, out), -1);
    CHECK(same_state(&r, &want));
}

static void sample_distinct_in_range_and_every_index_reachable(void)
{
    size_t out[20];
    ks_rng r = seeded(99);
    for (int rep = 0; rep < 500; rep++) {
        CHECK_INT(ks_draw_sample(&r, 50, 20, out), 0);
        for (size_t i = 0; i < 20; i++) {
            CHECK(out[i] < 50);
            for (size_t j = 0; j < i; j++)
                CHECK(out[i] != out[j]);
        }
    }
    /* Every index turns up in every position of a 3-of-10 draw. */
    int seen[3][10] = {{0}};
    for (int rep = 0; rep < 2000; rep++) {
        CHECK_INT(ks_draw_sample(&r, 10, 3, out), 0);
        for (size_t p = 0; p < 3; p++)
            if (out[p] < 10)
                seen[p][out[p]]++;
    }
    for (size_t p = 0; p < 3; p++)
        for (size_t i = 0; i < 10; i++)
            CHECK(seen[p][i] > 0);
}

static void shuffle_reaches_every_permutation(void)
{
    /* 2400 shuffles of 4 elements: all 24 orders, each 73..124 times. */
    int count[4][4][4][4] = {{{{0}}}};
    ks_rng r = seeded(42);
    for (int rep = 0; rep < 2400; rep++) {
        size_t a[4] = {0, 1, 2, 3};
        ks_draw_shuffle(&r, a, 4);
        count[a[0]][a[1]][a[2]][a[3]]++;
    }
    int orders = 0, lo = 2400, hi = 0;
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++)
            for (int c = 0; c < 4; c++)
                for (int d = 0; d < 4; d++) {
                    int n = count[a][b][c][d];
                    if (!n)
                        continue;
                    orders++;
                    lo = n < lo ? n : lo;
                    hi = n > hi ? n : hi;
                }
    CHECK_INT(orders, 24);
    CHECK_INT(lo, 73);
    CHECK_INT(hi, 124);
}

/* A small bank covering every criterion. */
#define ITEM(id_, type_, topic_, chapter_, difficulty_, tags_, ntags_)                  \
    {.id = id_, .type = type_, .topic = topic_, .chapter = chapter_,                      \
     .difficulty = difficulty_, .tags = tags_, .ntags = ntags_}
static const char *tag_f[] = {"forecast"}, *tag_fc[] = {"forecast", "calc"},
                  *tag_c[] = {"calc"}, *tag_ce[] = {"calc", "erlang"}, *tag_e[] = {"erlang"},
                  *tag_cf[] = {"calc", "forecast"};
static const ks_item bank[] = {
    ITEM("a1", "single", "业务量预测", 2, 1, tag_f, 1),
    ITEM("a2", "single", "业务量预测", 2, 3, tag_fc, 2),
    ITEM("a3", "multiple", "业务量预测", 2, 5, NULL, 0),
    ITEM("a4", "single", "排班", 2, 2, tag_c, 1),
    ITEM("a5", "calculated", "如何建立话务模型", 3, 4, tag_ce, 2),
    ITEM("a6", "calculated", "如何建立话务模型", 3, 0, tag_e, 1),
    ITEM("a7", "single", NULL, 1, 0, NULL, 0),
    ITEM("a8", "judge", "CCOM 标准", 1, 1, NULL, 0),
    ITEM("a9", "single", "业务量预测", 2, 2, tag_f, 1),
    ITEM("a10", "multiple", "排班", 2, 3, tag_cf, 2),
};
#define NBANK LEN(bank)

static void filter_each_criterion(void)
{
    size_t out[NBANK];
    size_t n = ks_draw_match(bank, NBANK, NULL, out);
    CHECK_INDICES(out, n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    ks_draw_filter f = {0};
    n = ks_draw_match(bank, NBANK, &f, out);
    CHECK_INT(n, 10);

    f = (ks_draw_filter){.chapter = 2};
    n = ks_draw_match(bank, NBANK, &f, out);
    CHECK_INDICES(out, n, 0, 1, 2, 3, 8, 9);

    f = (ks_draw_filter){.topic = "业务量预测"};
    n = ks_draw_match(bank, NBANK, &f, out);
    CHECK_INDICES(out, n, 0, 1, 2, 8);

    f = (ks_draw_filter){.type = "single"};
    n = ks_draw_match(bank, NBANK, &f, out);
    CHECK_INDICES(out, n, 0, 1, 3, 6, 8);

    static const char *const calc[] = {"calc"}, *const calc_forecast[] = {"calc", "forecast"};
    f = (ks_draw_filter){.tags = calc, .ntags = 1};
    n = ks_draw_match(bank, NBANK, &f, out);
    CHECK_INDICES(out, n, 1, 3, 4, 9);
    f = (ks_draw_filter){.tags = calc_forecast, .ntags = 2};
    n = ks_draw_match(bank, NBANK, &f, out);
    CHECK_INDICES(out, n, 1, 9);

    /* Items without a difficulty (a6, a7) fail any difficulty bound. */
    f = (ks_draw_filter){.difficulty_min = 3};
    n = ks_draw_match(bank, NBANK, &f, out);
    CHECK_INDICES(out, n, 1, 2, 4, 9);
    f = (ks_draw_filter){.difficulty_max = 2};
    n = ks_draw_match(bank, NBANK, &f, out);
    CHECK_INDICES(out, n, 0, 3, 7, 8);
    f = (ks_draw_filter){.difficulty_min = 2, .difficulty_max = 3};
    n = ks_draw_match(bank, NBANK, &f, out);
    CHECK_INDICES(out, n, 1, 3, 8, 9);

    f = (ks_draw_filter){.chapter = 9};
    CHECK_INT(ks_draw_match(bank, NBANK, &f, out), 0);
    CHECK_INT(ks_draw_match(bank, 0, NULL, out), 0);
}

static void filter_combinations_and_counting(void)
{
    size_t out[NBANK];
    static const char *const forecast[] = {"forecast"};
    ks_draw_filter f = {.chapter = 2, .type = "single", .tags = forecast, .ntags = 1,
                        .difficulty_max = 2};
    size_t n = ks_draw_match(bank, NBANK, &f, out);
    CHECK_INDICES(out, n, 0, 8);
    CHECK_INT(ks_draw_match(bank, NBANK, &f, NULL), 2);

    f = (ks_draw_filter){.chapter = 3, .topic = "如何建立话务模型", .type = "calculated"};
    n = ks_draw_match(bank, NBANK, &f, out);
    CHECK_INDICES(out, n, 4, 5);
    f.difficulty_min = 1; /* a6 has no difficulty */
    n = ks_draw_match(bank, NBANK, &f, out);
    CHECK_INDICES(out, n, 4);
    f = (ks_draw_filter){.chapter = 1, .topic = "业务量预测"};
    CHECK_INT(ks_draw_match(bank, NBANK, &f, out), 0);
}

static void filter_exclusions(void)
{
    size_t out[NBANK];
    static const char *const seen[] = {"a9", "zzz", "a2", "a2"};
    ks_draw_filter f = {.topic = "业务量预测", .exclude_ids = seen, .nexclude = 4};
    size_t n = ks_draw_match(bank, NBANK, &f, out);
    CHECK_INDICES(out, n, 0, 2);
    f.topic = NULL;
    n = ks_draw_match(bank, NBANK, &f, out);
    CHECK_INDICES(out, n, 0, 2, 3, 4, 5, 6, 7, 9);
    /* The filter's own array is left in its order. */
    CHECK_STR(seen[0], "a9");
    CHECK_STR(seen[1], "zzz");
}

static void filter_excludes_thousands(void)
{
    enum { N = 5000, SEEN = 4000 };
    ks_item *items = calloc(N, sizeof *items);
    char(*ids)[16] = calloc(N, sizeof *ids);
    const char **seen = calloc(SEEN, sizeof *seen);
    size_t *out = calloc(N, sizeof *out);
    CHECK(items && ids && seen && out);
    if (!items || !ids || !seen || !out)
        goto done;
    for (size_t i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "q%zu", i);
        items[i] = (ks_item){.id = ids[i], .type = "single", .chapter = 1};
    }
    /* Every item except each fifth one was seen, listed in reverse. */
    size_t s = 0;
    for (size_t i = N; i-- > 0;)
        if (i % 5)
            seen[s++] = ids[i];
    CHECK_INT(s, SEEN);
    ks_draw_filter f = {.chapter = 1, .exclude_ids = seen, .nexclude = SEEN};
    size_t n = ks_draw_match(items, N, &f, out);
    CHECK_INT(n, N - SEEN);
    for (size_t i = 0; i < n && i < N - SEEN; i++)
        CHECK_INT(out[i], 5 * i);
done:
    free(items);
    free(ids);
    free(seen);
    free(out);
}

static void pick_golden_and_deterministic(void)
{
    size_t out[NBANK], available = 0;
    ks_error err;
    ks_draw_filter f = {.chapter = 2};
    ks_rng r = seeded(42);
    CHECK_INT(ks_draw_pick(&r, bank, NBANK, &f, 3, out, &available, &err), KS_OK);
    CHECK_INDICES(out, 3, 0, 2, 8);
    CHECK_INT(available, 6);
    r = seeded(7);
    CHECK_INT(ks_draw_pick(&r, bank, NBANK, &f, 3, out, NULL, &err), KS_OK);
    CHECK_INDICES(out, 3, 8, 2, 9);
    r = seeded(42);
    CHECK_INT(ks_draw_pick(&r, bank, NBANK, &f, 6, out, &available, &err), KS_OK);
    CHECK_INDICES(out, 6, 0, 2, 8, 9, 3, 1);
    r = seeded(42);
    CHECK_INT(ks_draw_pick(&r, bank, NBANK, &f, 0, out, &available, &err), KS_OK);
    CHECK_INT(available, 6);
}

static void pick_shortage_says_what_was_asked(void)
{
    enum { N = 12 };
    ks_item items[N];
    char ids[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "w%d", i);
        items[i] = (ks_item){.id = ids[i], .type = "single", .chapter = i < 10 ? 2 : 3,
                             .topic = "业务量预测"};
    }
    static const char *const seen[] = {"w1", "w4", "w7", "w11", "other"};
    ks_draw_filter f = {.chapter = 2, .topic = "业务量预测", .exclude_ids = seen,
                        .nexclude = LEN(seen)};
    size_t out[N], available = 99;
    ks_error err;
    ks_rng r = seeded(5), before = seeded(5);
    CHECK_INT(ks_draw_pick(&r, items, N, &f, 10, out, &available, &err), KS_EINPUT);
    CHECK_INT(err.code, KS_EINPUT);
    CHECK_STR(err.message, "draw needs 10 items but only 7 match "
                           "(chapter 2, topic \"业务量预测\", excluding 3 seen)");
    CHECK_INT(available, 7);
    CHECK(same_state(&r, &before));
    CHECK_INT(ks_draw_pick(&r, items, N, &f, 7, out, &available, &err), KS_OK);

    static const char *const tags[] = {"calc", "forecast"};
    f = (ks_draw_filter){.type = "multiple", .tags = tags, .ntags = 2,
                         .difficulty_min = 2, .difficulty_max = 4};
    CHECK_INT(ks_draw_pick(&r, bank, NBANK, &f, 5, out, &available, &err), KS_EINPUT);
    CHECK_STR(err.message, "draw needs 5 items but only 1 matches (type \"multiple\", "
                           "tags \"calc\", \"forecast\", difficulty 2-4)");
    f = (ks_draw_filter){.tags = tags, .ntags = 1, .difficulty_min = 5};
    CHECK_INT(ks_draw_pick(&r, bank, NBANK, &f, 1, out, &available, &err), KS_EINPUT);
    CHECK_STR(err.message, "draw needs 1 item but none match (tag \"calc\", difficulty >= 5)");
    CHECK_INT(ks_draw_pick(&r, bank, 0, NULL, 1, out, &available, &err), KS_EINPUT);
    CHECK_STR(err.message, "draw needs 1 item but none match");
    CHECK_INT(available, 0);
    f = (ks_draw_filter){.difficulty_max = 1, .difficulty_min = 1};
    CHECK_INT(ks_draw_pick(&r, bank, NBANK, &f, 3, out, &available, &err), KS_EINPUT);
    CHECK_STR(err.message, "draw needs 3 items but only 2 match (difficulty 1)");
    f = (ks_draw_filter){.difficulty_max = 1};
    CHECK_INT(ks_draw_pick(&r, bank, NBANK, &f, 3, out, &available, &err), KS_EINPUT);
    CHECK_STR(err.message, "draw needs 3 items but only 2 match (difficulty <= 1)");
}

/* ---- exclusive groups ------------------------------------------------------------ */

static void groups_number_units(void)
{
    ks_item items[6] = {{.id = "a", .group = "日期"}, {.id = "b"}, {.id = "c", .group = "公式"},
                        {.id = "d", .group = "日期"}, {.id = "e"}, {.id = "f", .group = "公式"}};
    size_t unit[6];
    CHECK_INT(ks_groups_number(items, 6, unit), 4);
    CHECK(unit[0] == unit[3] && unit[2] == unit[5] && unit[0] != unit[2]);
    CHECK(unit[1] != unit[4] && unit[1] != unit[0] && unit[1] != unit[2]);
    CHECK(unit[4] != unit[0] && unit[4] != unit[2]);
    for (size_t i = 0; i < 6; i++)
        CHECK(unit[i] < 4);
    CHECK_INT(ks_groups_number(items, 0, unit), 0);
}

static void groups_forms_and_homes(void)
{
    static const size_t a[] = {0, 1, 2}, b[] = {0}, c[] = {3, 4, 5, 6, 7, 8};
    ks_groups_pool pools[3] = {{a, 3, 1}, {b, 1, 1}, {c, 6, 2}};
    /* a takes unit 0 first and gives it up to b for another: one form, in
     * which unit 0 is at home in b, a holds one of its own (or more: the
     * search for a second form went on), c two */
    CHECK_INT(ks_groups_forms(pools, 3, 9, SIZE_MAX), 1);
    size_t home[9];
    CHECK_INT(ks_groups_homes(pools, 3, 9, SIZE_MAX, home), 1);
    CHECK_INT(home[0], 1);
    CHECK((home[1] == 0) + (home[2] == 0) >= 1);
    CHECK((home[3] == 2) + (home[4] == 2) + (home[5] == 2) + (home[6] == 2) + (home[7] == 2) +
              (home[8] == 2) >=
          2);
    /* c alone, two forms: four of its six units are given to it */
    CHECK_INT(ks_groups_homes(pools + 2, 1, 9, 2, home), 2);
    size_t held = 0;
    for (size_t u = 3; u < 9; u++)
        held += home[u] == 0;
    CHECK_INT(held, 4);
    CHECK_INT(home[0], SIZE_MAX);
    CHECK_INT(ks_groups_forms(pools + 2, 1, 9, SIZE_MAX), 3);
    CHECK_INT(ks_groups_forms(pools + 2, 1, 9, 2), 2);
    pools[0].pick = 2; /* 2 + 1 of 3 units */
    CHECK_INT(ks_groups_forms(pools, 2, 9, SIZE_MAX), 1);
    pools[0].pick = 3; /* 3 + 1 of 3 units: none, though each pool alone has enough */
    CHECK_INT(ks_groups_forms(pools, 2, 9, SIZE_MAX), 0);
    CHECK_INT(ks_groups_forms(pools, 0, 9, SIZE_MAX), 0);
}

UNIT_MAIN(T(sample_golden), T(shuffle_golden_and_equal_to_full_sample), T(draws_consumed),
          T(sample_distinct_in_range_and_every_index_reachable),
          T(shuffle_reaches_every_permutation), T(filter_each_criterion),
          T(filter_combinations_and_counting), T(filter_exclusions),
          T(filter_excludes_thousands), T(pick_golden_and_deterministic),
          T(pick_shortage_says_what_was_asked), T(groups_number_units),
          T(groups_forms_and_homes))
