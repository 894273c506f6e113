/* Unit tests for engine/rng.c: the published xoshiro256** and splitmix64
 * outputs, golden values for seed 42 from every function (computed with an
 * independent Python implementation of the recipe in rng.h, so any platform or
 * code change shows up), how many outputs each call consumes, the uniformity
 * of ks_rng_below and the edges of ks_rng_range. */
#include "unit.h"

#include <stdint.h>

#include "kaoshi/rng.h"

/* True when a and b are in the same state. */
static int same_state(const ks_rng *a, const ks_rng *b)
{
    return memcmp(a->s, b->s, sizeof a->s) == 0;
}

/* A generator seeded with seed and then advanced by `skip` outputs. */
static ks_rng advanced(uint64_t seed, int skip)
{
    ks_rng r;
    ks_rng_seed(&r, seed);
    for (int i = 0; i < skip; i++)
        ks_rng_next(&r);
    return r;
}

static void xoshiro_matches_reference_outputs(void)
{
    /* State {1, 2, 3, 4}: the first outputs of the reference
     * xoshiro256starstar.c (also rand_xoshiro's test vector). */
    static const uint64_t want[10] = {
        11520u, 0u, 1509978240u, 1215971899390074240u, 1216172134540287360u,
        607988272756665600u, 16172922978634559625u, 8476171486693032832u,
        10595114339597558777u, 2904607092377533576u};
    ks_rng r = {{1, 2, 3, 4}};
    for (int i = 0; i < 10; i++)
        CHECK(ks_rng_next(&r) == want[i]);
}

static void seeding_takes_four_splitmix64_outputs(void)
{
    /* The first outputs of the reference splitmix64.c from x = 1234567. */
    ks_rng r;
    ks_rng_seed(&r, 1234567);
    CHECK(r.s[0] == 6457827717110365317u);
    CHECK(r.s[1] == 3203168211198807973u);
    CHECK(r.s[2] == 9817491932198370423u);
    CHECK(r.s[3] == 4593380528125082431u);
    ks_rng_seed(&r, 42);
    CHECK(r.s[0] == 13679457532755275413u);
    CHECK(r.s[1] == 2949826092126892291u);
    CHECK(r.s[2] == 5139283748462763858u);
    CHECK(r.s[3] == 6349198060258255764u);
}

static void golden_next_for_seed_42(void)
{
    ks_rng r;
    ks_rng_seed(&r, 42);
    CHECK(ks_rng_next(&r) == 1546998764402558742u);
    CHECK(ks_rng_next(&r) == 6990951692964543102u);
    CHECK(ks_rng_next(&r) == 12544586762248559009u);
    CHECK(ks_rng_next(&r) == 17057574109182124193u);
}

static void golden_below_for_seed_42(void)
{
    static const int want6[8] = {0, 2, 4, 5, 5, 4, 4, 5};
    ks_rng r;
    ks_rng_seed(&r, 42);
    for (int i = 0; i < 8; i++)
        CHECK_INT(ks_rng_below(&r, 6), want6[i]);
    ks_rng_seed(&r, 42);
    CHECK_INT(ks_rng_below(&r, 1000000007), 83862971);
    CHECK_INT(ks_rng_below(&r, 1000000007), 378980253);
    CHECK_INT(ks_rng_below(&r, 1000000007), 680043415);
}

static void below_rejects_and_counts_outputs(void)
{
    /* n = 2^63 + 1 rejects about half of all outputs; the first call for
     * seed 42 takes five outputs, the next one takes one. */
    const uint64_t n = (UINT64_C(1) << 63) + 1;
    ks_rng r;
    ks_rng_seed(&r, 42);
    CHECK(ks_rng_below(&r, n) == 9147776489032658738u);
    ks_rng want = advanced(42, 5);
    CHECK(same_state(&r, &want));
    CHECK(ks_rng_below(&r, n) == 7099593415032875292u);
    want = advanced(42, 6);
    CHECK(same_state(&r, &want));

    /* n = 1 is always 0 and takes one output; n = 0 takes none. */
    ks_rng_seed(&r, 42);
    CHECK_INT(ks_rng_below(&r, 1), 0);
    want = advanced(42, 1);
    CHECK(same_state(&r, &want));
    CHECK_INT(ks_rng_below(&r, 0), 0);
    CHECK(same_state(&r, &want));
}

static void below_is_uniform(void)
{
    /* 60,000 draws into 6 buckets; chi-square with 5 degrees of freedom must
     * stay under 20.515 (p = 0.001); seed 42 gives the counts below. */
    long count[6] = {0};
    ks_rng r;
    ks_rng_seed(&r, 42);
    for (int i = 0; i < 60000; i++) {
        uint64_t v = ks_rng_below(&r, 6);
        CHECK(v < 6);
        if (v < 6)
            count[v]++;
    }
    double chi2 = 0;
    for (int b = 0; b < 6; b++)
        chi2 += (count[b] - 10000.0) * (count[b] - 10000.0) / 10000.0;
    CHECK(chi2 < 20.515);
    CHECK_NEAR(chi2, 2.907, 1e-9, 0);
    CHECK_INT(count[0], 10020);
    CHECK_INT(count[4], 10129);
}

static void golden_range_for_seed_42(void)
{
    static const int want[8] = {-5, -1, 2, 5, 5, 3, 2, 4};
    ks_rng r;
    ks_rng_seed(&r, 42);
    for (int i = 0; i < 8; i++)
        CHECK_INT(ks_rng_range(&r, -5, 5), want[i]);
}

static void range_edges(void)
{
    ks_rng r, want;

    /* lo == hi: lo, one output consumed. */
    ks_rng_seed(&r, 42);
    CHECK_INT(ks_rng_range(&r, 17, 17), 17);
    CHECK_INT(ks_rng_range(&r, INT64_MIN, INT64_MIN), INT64_MIN);
    CHECK_INT(ks_rng_range(&r, INT64_MAX, INT64_MAX), INT64_MAX);
    want = advanced(42, 3);
    CHECK(same_state(&r, &want));

    /* lo > hi: lo, nothing consumed. */
    CHECK_INT(ks_rng_range(&r, 5, 4), 5);
    CHECK(same_state(&r, &want));

    /* The full int64 range is the raw output reinterpreted. */
    ks_rng_seed(&r, 42);
    CHECK_INT(ks_rng_range(&r, INT64_MIN, INT64_MAX), 1546998764402558742LL);
    CHECK_INT(ks_rng_range(&r, INT64_MIN, INT64_MAX), 6990951692964543102LL);
    CHECK_INT(ks_rng_range(&r, INT64_MIN, INT64_MAX), -5902157311460992607LL);

    /* Spans of 2^63 + 1 and 2 at the ends of int64. */
    ks_rng_seed(&r, 42);
    CHECK_INT(ks_rng_range(&r, -1, INT64_MAX), 9147776489032658737LL);
    CHECK_INT(ks_rng_range(&r, -1, INT64_MAX), 7099593415032875291LL);
    ks_rng_seed(&r, 42);
    static const int64_t low[6] = {INT64_MIN, INT64_MIN, INT64_MIN + 1,
                                   INT64_MIN + 1, INT64_MIN + 1, INT64_MIN + 1};
    for (int i = 0; i < 6; i++)
        CHECK_INT(ks_rng_range(&r, INT64_MIN, INT64_MIN + 1), low[i]);

    /* A small range reaches both ends and nothing outside. */
    int seen[7] = {0};
    ks_rng_seed(&r, 3);
    for (int i = 0; i < 700; i++) {
        int64_t v = ks_rng_range(&r, -3, 3);
        CHECK(v >= -3 && v <= 3);
        if (v >= -3 && v <= 3)
            seen[v + 3] = 1;
    }
    for (int i = 0; i < 7; i++)
        CHECK_INT(seen[i], 1);
}

static void golden_uniform_for_seed_42(void)
{
    ks_rng r;
    ks_rng_seed(&r, 42);
    CHECK_NEAR(ks_rng_uniform(&r), 0.08386297105988216, 0, 0);
    CHECK_NEAR(ks_rng_uniform(&r), 0.3789802506626686, 0, 0);
    CHECK_NEAR(ks_rng_uniform(&r), 0.6800434110281394, 0, 0);

    /* [0, 1): output 0 maps to 0 and the all-ones output to 1 - 2^-53
     * (state word 1 chosen so that rotl(s1 * 5, 7) * 9 is all ones). */
    ks_rng zero = {{0, 0, 0, 0}};
    CHECK_NEAR(ks_rng_uniform(&zero), 0.0, 0, 0);
    ks_rng ones = {{0, 0x4fc71c71c71c71c7u, 0, 0}};
    CHECK_NEAR(ks_rng_uniform(&ones), 1.0 - 0x1.0p-53, 0, 0);
}

static void golden_normal_for_seed_42(void)
{
    ks_rng r;
    ks_rng_seed(&r, 42);
    CHECK_NEAR(ks_rng_normal(&r, 0, 1), -0.7262191382447857, 0, 0);
    CHECK_NEAR(ks_rng_normal(&r, 0, 1), 0.2216227015035933, 0, 0);
    CHECK_NEAR(ks_rng_normal(&r, 0, 1), 0.46417731016247366, 0, 0);
    ks_rng_seed(&r, 42);
    CHECK_NEAR(ks_rng_normal(&r, 100, 15), 89.10671292632821, 0, 0);
    CHECK_NEAR(ks_rng_normal(&r, 100, 15), 103.3243405225539, 0, 0);
    CHECK_NEAR(ks_rng_normal(&r, 100, 15), 106.96265965243711, 0, 0);

    /* 100,000 deviates have about the asked-for mean and spread. */
    double sum = 0, sum2 = 0;
    ks_rng_seed(&r, 42);
    for (int i = 0; i < 100000; i++) {
        double x = ks_rng_normal(&r, 50, 10);
        sum += x;
        sum2 += x * x;
    }
    double mean = sum / 100000, sd = sqrt(sum2 / 100000 - mean * mean);
    CHECK_NEAR(mean, 50, 0.1, 0);
    CHECK_NEAR(sd, 10, 0.1, 0);
}

static void golden_derive(void)
{
    CHECK(ks_rng_derive(42, "form") == 2166840172520651632u);
    CHECK(ks_rng_derive(42, "") == 16429173747930903682u);
    CHECK(ks_rng_derive(0, "item:wfmp-3-erlang-01") == 3906276752855916338u);
    CHECK(ks_rng_derive(42, "题库") == 15768390906880101627u);
    CHECK(ks_rng_derive(42, "form") != ks_rng_derive(43, "form"));
    CHECK(ks_rng_derive(42, "form") != ks_rng_derive(42, "forms"));
}

UNIT_MAIN(T(xoshiro_matches_reference_outputs), T(seeding_takes_four_splitmix64_outputs),
          T(golden_next_for_seed_42), T(golden_below_for_seed_42),
          T(below_rejects_and_counts_outputs), T(below_is_uniform),
          T(golden_range_for_seed_42), T(range_edges), T(golden_uniform_for_seed_42),
          T(golden_normal_for_seed_42), T(golden_derive))
