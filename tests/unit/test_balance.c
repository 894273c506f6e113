/* Unit tests for balanced forms (engine/lua/balance.lua) and the measures
 * of a form (engine/exam/coverage.c): with a balance declared, every form a
 * seed draws lies within its targets while the forms still vary; groups
 * and a retake's seen items are kept to; a target the pools cannot reach
 * gives the closest form rather than none; an unrated item under an angoff
 * balance (at loading), a bad `balance` and a bad `angoff` are errors that name their
 * place; a form's Angoff score weighs each item by its points, and two
 * items of one group on a form are counted as a clash. */
#include "unit.h"

#include <jansson.h>
#include <stdlib.h>

#include "kaoshi/cert.h"
#include "kaoshi/coverage.h"

#include "cert_unit.h"

/* A bank of n true/false items of chapter 1: item i (ids i1 ...) of
 * difficulty i % 5 + 1 with angoff 0.95 - 0.1 × (difficulty - 1) (0.95 ..
 * 0.55) unless unrated, in group g(i % k) when k > 0. */
static const char *bank(int n, int k, int unrated)
{
    static char text[16384];
    int len = snprintf(text, sizeof text, "bank: t\nitems:\n");
    for (int i = 1; i <= n; i++) {
        int d = i % 5 + 1;
        len += snprintf(text + len, sizeof text - (size_t)len,
                        "  - { id: i%d, type: true_false, chapter: 1, stem: 题%d, answer: true, "
                        "difficulty: %d",
                        i, i, d);
        if (i != unrated)
            len += snprintf(text + len, sizeof text - (size_t)len, ", angoff: %.2f",
                            0.95 - 0.1 * (d - 1));
        if (k > 0)
            len += snprintf(text + len, sizeof text - (size_t)len, ", group: g%d", i % k);
        len += snprintf(text + len, sizeof text - (size_t)len, " }\n");
    }
    return text;
}

/* A certification drawing pick items of chapter 1, 2 points each, with
 * balance BALANCE. */
#define SCRIPT(PICK, BALANCE)                                                              \
    "return certification {\n"                                                             \
    "  code = \"T\", title = \"t\", banks = { \"t\" }, duration = \"30m\", attempts = 2,\n"  \
    "  sections = { { title = \"一\", from = { chapter = 1 }, pick = " PICK ", points = 2 } },\n" \
    "  balance = " BALANCE ",\n"                                                           \
    "}\n"

/* The measures of the form seed draws (with seen ids), and its ids. */
static ks_coverage_form measure(ks_cert *cert, uint64_t seed, const char *const *seen,
                                size_t nseen, char ***ids, size_t *n)
{
    ks_coverage_form m = {0};
    char *form = NULL;
    CHECK_INT(ks_cert_build_form(cert, seed, seen, nseen, &form, NULL), KS_OK);
    CHECK_INT(ks_coverage_measure(cert, form, &m, NULL), KS_OK);
    CHECK_INT(ks_cert_form_ids(form, ids, n, NULL), KS_OK);
    free(form);
    return m;
}

static void every_form_lies_within_the_targets(void)
{
    char problems[2048], warnings[2048];
    ks_fileset *fs;
    /* unbalanced, 8 of 40 items average 3; the balance asks 4 ± 0.15 and an
     * Angoff score of 66 ± 2 (a difficulty of 4 gives 65) */
    ks_cert *cert = load_text(SCRIPT("8", "{ difficulty = { 4.0, 0.15 }, angoff = { 66, 2 } }"),
                              bank(40, 0, 0), &fs, problems, warnings, sizeof problems);
    CHECK_STR(problems, "");
    CHECK(cert && ks_cert_info_of(cert)->balance_difficulty_within == 0.15);
    int drawn[41] = {0};
    for (uint64_t seed = 1; cert && seed <= 500; seed++) {
        char **ids;
        size_t n;
        ks_coverage_form m = measure(cert, seed, NULL, 0, &ids, &n);
        CHECK_INT(n, 8);
        CHECK(fabs(m.difficulty - 4.0) <= 0.15 + 1e-9);
        CHECK(fabs(m.angoff - 66) <= 2 + 1e-9);
        CHECK(ks_coverage_balanced(ks_cert_info_of(cert), &m));
        for (size_t i = 0; i < n; i++)
            drawn[atoi(ids[i] + 1)]++;
        ks_cert_free_ids(ids, n);
    }
    /* still a draw: every item of difficulty 3 to 5 comes up, easier ones
     * too (a form of 4 ± 0.15 may hold a 2 among 5s) */
    for (int i = 1; i <= 40; i++)
        CHECK(drawn[i] > 0 || i % 5 + 1 == 1);
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

static void groups_and_seen_items_are_kept_to(void)
{
    char problems[2048], warnings[2048];
    ks_fileset *fs;
    /* 40 items in 10 groups; a group never twice on a form, and a retake
     * (the first form seen) takes none of its items or groups */
    ks_cert *cert = load_text(SCRIPT("4", "{ difficulty = { 4.5, 0.3 } }"), bank(40, 10, 0), &fs,
                              problems, warnings, sizeof problems);
    CHECK_STR(problems, "");
    for (uint64_t seed = 1; cert && seed <= 300; seed++) {
        char **ids, **again;
        size_t n, m;
        ks_coverage_form first = measure(cert, seed, NULL, 0, &ids, &n);
        ks_coverage_form retake = measure(cert, seed + 1000, (const char *const *)ids, n, &again,
                                          &m);
        CHECK_INT(first.clashes + retake.clashes, 0);
        CHECK(fabs(first.difficulty - 4.5) <= 0.3 + 1e-9);
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < n; j++)
                CHECK(atoi(again[i] + 1) % 10 != atoi(ids[j] + 1) % 10);
        ks_cert_free_ids(ids, n);
        ks_cert_free_ids(again, m);
    }
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

static void an_unreachable_target_gives_the_closest_form(void)
{
    char problems[2048], warnings[2048];
    ks_fileset *fs;
    /* 10 items, two of each difficulty: the hardest form of 4 averages 4.5 */
    ks_cert *cert = load_text(SCRIPT("4", "{ difficulty = { 5, 0.1 } }"), bank(10, 0, 0), &fs,
                              problems, warnings, sizeof problems);
    CHECK_STR(problems, "");
    for (uint64_t seed = 1; cert && seed <= 50; seed++) {
        char **ids;
        size_t n;
        ks_coverage_form m = measure(cert, seed, NULL, 0, &ids, &n);
        CHECK(fabs(m.difficulty - 4.5) < 1e-9);
        CHECK(!ks_coverage_balanced(ks_cert_info_of(cert), &m));
        ks_cert_free_ids(ids, n);
    }
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

static void an_unrated_item_under_an_angoff_balance_fails_loading(void)
{
    CHECK_STR(load_fails(SCRIPT("4", "{ angoff = { 70, 3 } }"), bank(10, 0, 7)),
              "banks/t.yaml:9:5: item 'i7': field 'angoff' is missing: the certification balances "
              "its forms by angoff, so every item a section can draw needs a rating (a "
              "probability from 0.01 to 1)");
    /* a difficulty balance needs no rating */
    char problems[2048], warnings[2048];
    ks_fileset *fs;
    ks_cert *cert = load_text(SCRIPT("4", "{ difficulty = { 3, 0.5 } }"), bank(10, 0, 7), &fs,
                              problems, warnings, sizeof problems);
    CHECK_STR(problems, "");
    CHECK(cert != NULL);
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

static void a_bad_balance_is_named_at_its_line(void)
{
    CHECK_STR(load_fails(SCRIPT("4", "3"), bank(10, 0, 0)),
              "scripts/t.lua:4: certification: 'balance' must be a table such as { difficulty = "
              "{ 3.0, 0.1 }, angoff = { 70, 3 } } (got 3)");
    CHECK_STR(load_fails(SCRIPT("4", "{ difficulty = { 7, 0.1 } }"), bank(10, 0, 0)),
              "scripts/t.lua:4: certification: balance: 'difficulty' must be { target, within }: "
              "the target a mean label from 1 to 5 and a positive tolerance, such as { 3.0, 0.1 } "
              "(got a table)");
    CHECK_STR(load_fails(SCRIPT("4", "{ angoff = { 70 } }"), bank(10, 0, 0)),
              "scripts/t.lua:4: certification: balance: 'angoff' must be { target, within }: the "
              "target a percentage from 0 to 100 and a positive tolerance, such as { 70, 3 } (got "
              "a table)");
    CHECK_STR(load_fails(SCRIPT("4", "{ hardness = 3 }"), bank(10, 0, 0)),
              "scripts/t.lua:4: certification: balance: unknown key 'hardness'; expected angoff, "
              "difficulty");
    CHECK_STR(load_fails(SCRIPT("4", "{}"), bank(10, 0, 0)),
              "scripts/t.lua:4: certification: balance: name difficulty, angoff or both");
}

static void a_bad_angoff_is_named_at_its_place(void)
{
    CHECK_STR(load_fails(SCRIPT("1", "{ difficulty = { 3, 1 } }"),
                         "bank: t\nitems:\n"
                         "  - { id: a, type: true_false, chapter: 1, stem: 甲, answer: true,"
                         " angoff: 0 }\n"
                         "  - { id: b, type: true_false, chapter: 1, stem: 乙, answer: true,"
                         " angoff: 1.5 }\n"
                         "  - { id: c, type: true_false, chapter: 1, stem: 丙, answer: true,"
                         " angoff: 高 }\n"),
              "banks/t.yaml:3:75: item 'a': field 'angoff': expected a probability from 0.01 to "
              "1 (a borderline candidate's chance), found 0\n"
              "banks/t.yaml:4:75: item 'b': field 'angoff': expected a probability from 0.01 to "
              "1 (a borderline candidate's chance), found 1.5\n"
              "banks/t.yaml:5:75: item 'c': field 'angoff': expected a probability from 0.01 to "
              "1 (a borderline candidate's chance), found \"高\"");
}

static void a_form_is_measured_by_points_and_groups(void)
{
    char problems[2048], warnings[2048];
    ks_fileset *fs;
    ks_cert *cert = load_text(SCRIPT("2", "{ difficulty = { 3, 1 } }"), bank(10, 3, 9), &fs,
                              problems, warnings, sizeof problems);
    CHECK_STR(problems, "");
    ks_coverage_form m;
    /* i1: difficulty 2, angoff 0.85; i5: 1, 0.95; i4 (group g1, as i1): 5, 0.55 */
    CHECK_INT(ks_coverage_measure(cert,
                                  "{\"slots\":[{\"id\":\"i1\",\"points\":3},"
                                  "{\"id\":\"i5\",\"points\":1},{\"id\":\"i4\",\"points\":1}]}",
                                  &m, NULL),
              KS_OK);
    CHECK(fabs(m.difficulty - 8.0 / 3) < 1e-9);
    CHECK(fabs(m.angoff - 100 * (3 * 0.85 + 0.95 + 0.55) / 5) < 1e-9);
    CHECK_INT(m.clashes, 1);
    /* i9 has no rating: no Angoff score */
    CHECK_INT(ks_coverage_measure(cert, "{\"slots\":[{\"id\":\"i9\",\"points\":2}]}", &m, NULL),
              KS_OK);
    CHECK(m.angoff < 0);
    CHECK_INT(m.clashes, 0);
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

UNIT_MAIN(T(every_form_lies_within_the_targets), T(groups_and_seen_items_are_kept_to),
          T(an_unreachable_target_gives_the_closest_form),
          T(an_unrated_item_under_an_angoff_balance_fails_loading),
          T(a_bad_balance_is_named_at_its_line), T(a_bad_angoff_is_named_at_its_place),
          T(a_form_is_measured_by_points_and_groups))
