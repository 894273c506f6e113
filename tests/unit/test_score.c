/* Unit tests for engine/score.c and engine/text.c: every set, order and
 * matching rule with hand-computed values, numeric tolerance boundaries, and
 * Chinese text normalisation (full-width forms, ideographic space and CJK
 * punctuation), including invalid UTF-8. */
#include "unit.h"

#include <stdlib.h>

#include "kaoshi/score.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SET(key, resp, nopt, rule) ks_score_set(key, LEN(key), resp, LEN(resp), nopt, rule)

static const int none[1] = {0}; /* an empty set: pass with length 0 */

static void set_all_or_nothing(void)
{
    static const int key[] = {0, 2}, same[] = {2, 0}, part[] = {0}, extra[] = {0, 2, 3};
    CHECK_NEAR(SET(key, same, 5, KS_SET_ALL_OR_NOTHING), 1, 1e-15, 0);
    CHECK_NEAR(SET(key, part, 5, KS_SET_ALL_OR_NOTHING), 0, 1e-15, 0);
    CHECK_NEAR(SET(key, extra, 5, KS_SET_ALL_OR_NOTHING), 0, 1e-15, 0);
    CHECK_NEAR(ks_score_set(key, 2, none, 0, 5, KS_SET_ALL_OR_NOTHING), 0, 1e-15, 0);
}

static void set_right_minus_wrong(void)
{
    /* Key {0, 2} of 5 options: +1/2 per right choice, -1/3 per wrong one. */
    static const int key[] = {0, 2}, all_right[] = {0, 2}, one[] = {0}, one_one[] = {0, 1},
                     one_two[] = {0, 1, 3}, wrong3[] = {1, 3, 4}, two_one[] = {0, 2, 1},
                     every[] = {0, 1, 2, 3, 4};
    CHECK_NEAR(SET(key, all_right, 5, KS_SET_RIGHT_MINUS_WRONG), 1, 1e-15, 0);
    CHECK_NEAR(SET(key, one, 5, KS_SET_RIGHT_MINUS_WRONG), 0.5, 1e-15, 0);
    CHECK_NEAR(SET(key, one_one, 5, KS_SET_RIGHT_MINUS_WRONG), 1.0 / 6, 1e-15, 0);
    CHECK_NEAR(SET(key, one_two, 5, KS_SET_RIGHT_MINUS_WRONG), 0, 1e-15, 0); /* -1/6 */
    CHECK_NEAR(SET(key, wrong3, 5, KS_SET_RIGHT_MINUS_WRONG), 0, 1e-15, 0);  /* -1 */
    CHECK_NEAR(SET(key, two_one, 5, KS_SET_RIGHT_MINUS_WRONG), 2.0 / 3, 1e-15, 0);
    CHECK_NEAR(SET(key, every, 5, KS_SET_RIGHT_MINUS_WRONG), 0, 1e-15, 0);
    CHECK_NEAR(ks_score_set(key, 2, none, 0, 5, KS_SET_RIGHT_MINUS_WRONG), 0, 1e-15, 0);
}

static void set_per_option(void)
{
    static const int key[] = {0, 2}, all_right[] = {0, 2}, one[] = {0}, one_one[] = {0, 1},
                     wrong3[] = {1, 3, 4}, every[] = {0, 1, 2, 3, 4};
    CHECK_NEAR(SET(key, all_right, 5, KS_SET_PER_OPTION), 1, 1e-15, 0);
    CHECK_NEAR(SET(key, one, 5, KS_SET_PER_OPTION), 0.8, 1e-15, 0);
    CHECK_NEAR(SET(key, one_one, 5, KS_SET_PER_OPTION), 0.6, 1e-15, 0);
    CHECK_NEAR(ks_score_set(key, 2, none, 0, 5, KS_SET_PER_OPTION), 0.6, 1e-15, 0);
    CHECK_NEAR(SET(key, wrong3, 5, KS_SET_PER_OPTION), 0, 1e-15, 0);
    CHECK_NEAR(SET(key, every, 5, KS_SET_PER_OPTION), 0.4, 1e-15, 0);
}

static void set_invalid_answers_score_zero(void)
{
    static const int key[] = {0, 2}, dup[] = {0, 0}, dup2[] = {0, 2, 2}, high[] = {0, 5},
                     neg[] = {-1, 0, 2}, ok[] = {0, 2}, bad_key[] = {1, 1};
    for (int rule = KS_SET_ALL_OR_NOTHING; rule <= KS_SET_PER_OPTION; rule++) {
        CHECK_NEAR(SET(key, dup, 5, (ks_set_rule)rule), 0, 1e-15, 0);
        CHECK_NEAR(SET(key, dup2, 5, (ks_set_rule)rule), 0, 1e-15, 0);
        CHECK_NEAR(SET(key, high, 5, (ks_set_rule)rule), 0, 1e-15, 0);
        CHECK_NEAR(SET(key, neg, 5, (ks_set_rule)rule), 0, 1e-15, 0);
        CHECK_NEAR(SET(bad_key, ok, 5, (ks_set_rule)rule), 0, 1e-15, 0);
        CHECK_NEAR(SET(key, ok, 2, (ks_set_rule)rule), 0, 1e-15, 0); /* 2 is out of range */
        CHECK_NEAR(SET(key, ok, 3, (ks_set_rule)rule), 1, 1e-15, 0);
    }
}

static void set_edge_cases(void)
{
    static const int one[] = {1}, k0[] = {0}, all3[] = {0, 1, 2}, two[] = {0, 1};
    /* An empty key of 4 options: choosing nothing is right. */
    CHECK_NEAR(ks_score_set(none, 0, none, 0, 4, KS_SET_ALL_OR_NOTHING), 1, 1e-15, 0);
    CHECK_NEAR(ks_score_set(none, 0, one, 1, 4, KS_SET_ALL_OR_NOTHING), 0, 1e-15, 0);
    CHECK_NEAR(ks_score_set(none, 0, none, 0, 4, KS_SET_RIGHT_MINUS_WRONG), 1, 1e-15, 0);
    CHECK_NEAR(ks_score_set(none, 0, one, 1, 4, KS_SET_RIGHT_MINUS_WRONG), 0.75, 1e-15, 0);
    CHECK_NEAR(ks_score_set(none, 0, none, 0, 4, KS_SET_PER_OPTION), 1, 1e-15, 0);
    CHECK_NEAR(ks_score_set(none, 0, one, 1, 4, KS_SET_PER_OPTION), 0.75, 1e-15, 0);
    /* Every option in the key: nothing can be wrong. */
    CHECK_NEAR(ks_score_set(all3, 3, two, 2, 3, KS_SET_RIGHT_MINUS_WRONG), 2.0 / 3, 1e-15, 0);
    CHECK_NEAR(ks_score_set(all3, 3, all3, 3, 3, KS_SET_RIGHT_MINUS_WRONG), 1, 1e-15, 0);
    CHECK_NEAR(ks_score_set(all3, 3, two, 2, 3, KS_SET_PER_OPTION), 2.0 / 3, 1e-15, 0);
    /* No options at all. */
    for (int rule = KS_SET_ALL_OR_NOTHING; rule <= KS_SET_PER_OPTION; rule++)
        CHECK_NEAR(ks_score_set(none, 0, none, 0, 0, (ks_set_rule)rule), 1, 1e-15, 0);
    /* One option, in the key. */
    CHECK_NEAR(ks_score_set(k0, 1, k0, 1, 1, KS_SET_RIGHT_MINUS_WRONG), 1, 1e-15, 0);
    CHECK_NEAR(ks_score_set(k0, 1, none, 0, 1, KS_SET_RIGHT_MINUS_WRONG), 0, 1e-15, 0);
    CHECK_NEAR(ks_score_set(k0, 1, none, 0, 1, KS_SET_PER_OPTION), 0, 1e-15, 0);
}

static void numeric_absolute_tolerance(void)
{
    CHECK_INT(ks_score_numeric(10.5, 10, 0.5, 0), 1); /* exactly on the bound */
    CHECK_INT(ks_score_numeric(9.5, 10, 0.5, 0), 1);
    CHECK_INT(ks_score_numeric(10.5000001, 10, 0.5, 0), 0);
    CHECK_INT(ks_score_numeric(9.4999999, 10, 0.5, 0), 0);
    /* Decimal bounds that doubles cannot hold exactly. */
    CHECK_INT(ks_score_numeric(1.1, 1.0, 0.1, 0), 1);
    CHECK_INT(ks_score_numeric(0.9, 1.0, 0.1, 0), 1);
    CHECK_INT(ks_score_numeric(2.85, 2.8, 0.05, 0), 1);
    CHECK_INT(ks_score_numeric(1.1 + 1e-12, 1.0, 0.1, 0), 0);
    CHECK_INT(ks_score_numeric(0.1 + 0.2, 0.3, 0, 0), 1);
    CHECK_INT(ks_score_numeric(0.3000001, 0.3, 0, 0), 0);
    CHECK_INT(ks_score_numeric(0, 0, 0, 0), 1);
    CHECK_INT(ks_score_numeric(-0.0, 0, 0, 0), 1);
    CHECK_INT(ks_score_numeric(1e-300, 0, 0, 0), 0);
}

static void numeric_relative_tolerance(void)
{
    CHECK_INT(ks_score_numeric(202, 200, 0, 0.01), 1);
    CHECK_INT(ks_score_numeric(198, 200, 0, 0.01), 1);
    CHECK_INT(ks_score_numeric(202.0001, 200, 0, 0.01), 0);
    CHECK_INT(ks_score_numeric(-55, -50, 0, 0.1), 1); /* |key| */
    CHECK_INT(ks_score_numeric(-45, -50, 0, 0.1), 1);
    CHECK_INT(ks_score_numeric(-55.01, -50, 0, 0.1), 0);
    CHECK_INT(ks_score_numeric(1000001, 1e6, 0, 1e-6), 1);
    /* The larger of the two tolerances wins. */
    CHECK_INT(ks_score_numeric(201.9, 200, 0.5, 0.01), 1);
    CHECK_INT(ks_score_numeric(10.5, 10, 0.5, 0.01), 1);
    CHECK_INT(ks_score_numeric(10.6, 10, 0.5, 0.01), 0);
}

static void numeric_never_accepts_nan_or_infinity(void)
{
    CHECK_INT(ks_score_numeric(NAN, 1, 1e300, 1), 0);
    CHECK_INT(ks_score_numeric(1, NAN, 1e300, 1), 0);
    CHECK_INT(ks_score_numeric(NAN, NAN, 1e300, 1), 0);
    CHECK_INT(ks_score_numeric(1, 1, NAN, 0), 0);
    CHECK_INT(ks_score_numeric(1, 1, 0, NAN), 0);
    CHECK_INT(ks_score_numeric(INFINITY, 1, 1e300, 0), 0);
    CHECK_INT(ks_score_numeric(INFINITY, INFINITY, 1, 0), 0);
    CHECK_INT(ks_score_numeric(1, 2, INFINITY, 0), 1);
}

/* Checks ks_text_normalize(s, flags) against want and frees it. */
#define CHECK_NORM(s, flags, want)                                         \
    do {                                                                   \
        char *got_ = ks_text_normalize(s, flags);                          \
        CHECK_STR(got_, want);                                             \
        free(got_);                                                        \
    } while (0)

static void text_folds_width_and_case(void)
{
    CHECK_NORM("ＡＢＣ１２３", KS_TEXT_DEFAULT, "abc123");
    CHECK_NORM("“ＡＢＣ１２３”", KS_TEXT_DEFAULT, "abc123");
    CHECK_NORM("ＡＢＣ１２３", KS_TEXT_FOLD_WIDTH, "ABC123");
    CHECK_NORM("ＡＢＣ１２３", KS_TEXT_FOLD_CASE, "ａｂｃ１２３");
    CHECK_NORM("Ｅｒｌａｎｇ　Ｃ", KS_TEXT_FOLD_WIDTH | KS_TEXT_FOLD_CASE, "erlang c");
    CHECK_NORM("ＣＣＯＭ－ＷＦＭＰ", KS_TEXT_FOLD_WIDTH, "CCOM-WFMP");
    CHECK_NORM("ÀÉ Σ", KS_TEXT_FOLD_CASE, "ÀÉ Σ"); /* only ASCII letters fold */
    CHECK_NORM("离散 系数。", 0, "离散 系数。");
    CHECK_NORM("", KS_TEXT_DEFAULT, "");
    CHECK(ks_text_equal("ＡＢＣ１２３", "abc123", KS_TEXT_DEFAULT));
    CHECK(!ks_text_equal("ＡＢＣ１２３", "abc123", KS_TEXT_FOLD_WIDTH));
}

static void text_drops_space_and_punctuation(void)
{
    CHECK_NORM("离散 系数。", KS_TEXT_DEFAULT, "离散系数");
    CHECK(ks_text_equal("离散 系数。", "离散系数", KS_TEXT_DEFAULT));
    CHECK_NORM("离散　系数，（标准差／均值）", KS_TEXT_DEFAULT, "离散系数标准差均值");
    CHECK_NORM("《统计学》——第3版…", KS_TEXT_DEFAULT, "统计学第3版");
    CHECK_NORM("【答】「是」『否』〈甲〉、乙；丙：丁？！～·", KS_TEXT_DEFAULT, "答是否甲乙丙丁");
    CHECK_NORM("a\u00a0b\u3000c\td\u2003e\n", KS_TEXT_DROP_SPACE, "abcde");
    CHECK_NORM("a\u00a0b\u3000c\td\u2003e", KS_TEXT_FOLD_WIDTH, "a\u00a0b c\td\u2003e");
    /* Punctuation alone keeps spaces, even those in U+2000–206F, but drops
     * invisible format characters. */
    CHECK_NORM("a b\u2003c\u200bd,e", KS_TEXT_DROP_PUNCT, "a b\u2003cde");
    CHECK_NORM("a-b_c.d!e@f", KS_TEXT_DROP_PUNCT, "abcdef");
    /* Letters and numbers in the CJK symbols block stay. */
    CHECK_NORM("二〇二四年，人々。", KS_TEXT_DEFAULT, "二〇二四年人々");
    CHECK(ks_text_equal("约翰·史密斯", "约翰・史密斯", KS_TEXT_DEFAULT));
    CHECK(ks_text_equal("约翰·史密斯", "约翰史密斯", KS_TEXT_DEFAULT));
    CHECK(!ks_text_equal("约翰·史密斯", "约翰史密斯", KS_TEXT_DEFAULT & ~KS_TEXT_DROP_PUNCT));
    /* Documented consequence: numbers lose their punctuation. */
    CHECK(ks_text_equal("1.5", "15", KS_TEXT_DEFAULT));
    CHECK(!ks_text_equal("1.5", "15", KS_TEXT_DEFAULT & ~KS_TEXT_DROP_PUNCT));
}

static void text_rejects_invalid_utf8(void)
{
    static const char *const bad[] = {
        "\xff",                 /* never a UTF-8 byte */
        "abc\xe7\xa6",          /* truncated sequence */
        "\xe7\xa6\x61",         /* bad continuation ("a") */
        "\x80",                 /* lone continuation */
        "\xc0\xaf",             /* overlong '/' */
        "\xe0\x80\xaf",         /* overlong '/' */
        "\xed\xa0\x80",         /* surrogate U+D800 */
        "\xf4\x90\x80\x80",     /* past U+10FFFF */
        "\xf8\x88\x80\x80\x80", /* five-byte form */
    };
    for (size_t i = 0; i < LEN(bad); i++) {
        char *got = ks_text_normalize(bad[i], KS_TEXT_DEFAULT);
        CHECK(got == NULL);
        free(got);
        CHECK(!ks_text_equal(bad[i], bad[i], KS_TEXT_DEFAULT));
        CHECK(!ks_text_equal("abc", bad[i], 0));
    }
    CHECK_NORM("\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\xc2\x80", KS_TEXT_DEFAULT,
               "\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\xc2\x80"); /* U+1F600, U+10FFFF, U+0080 */
}

static void text_scoring(void)
{
    static const char *const accepted[] = {"离散系数", "\xff", "变异系数", "CV"};
    CHECK_INT(ks_score_text("变异 系数！", accepted, LEN(accepted), KS_TEXT_DEFAULT), 1);
    CHECK_INT(ks_score_text("ｃｖ", accepted, LEN(accepted), KS_TEXT_DEFAULT), 1);
    CHECK_INT(ks_score_text(" 离散系数。", accepted, LEN(accepted), KS_TEXT_DEFAULT), 1);
    CHECK_INT(ks_score_text("ｃｖ", accepted, LEN(accepted), KS_TEXT_FOLD_WIDTH), 0);
    CHECK_INT(ks_score_text("标准差", accepted, LEN(accepted), KS_TEXT_DEFAULT), 0);
    CHECK_INT(ks_score_text("离散系", accepted, LEN(accepted), KS_TEXT_DEFAULT), 0);
    CHECK_INT(ks_score_text("离散系数系", accepted, LEN(accepted), KS_TEXT_DEFAULT), 0);
    CHECK_INT(ks_score_text("\xff", accepted, LEN(accepted), KS_TEXT_DEFAULT), 0);
    CHECK_INT(ks_score_text("", accepted, LEN(accepted), KS_TEXT_DEFAULT), 0);
    CHECK_INT(ks_score_text("CV", accepted, 0, KS_TEXT_DEFAULT), 0);
}

static void order_rules(void)
{
    static const int key[] = {10, 20, 30, 40, 50}, same[] = {10, 20, 30, 40, 50},
                     swap[] = {10, 30, 20, 40, 50}, rot[] = {30, 40, 50, 10, 20},
                     rev[] = {50, 40, 30, 20, 10};
    CHECK_NEAR(ks_score_order(key, same, 5, KS_ORDER_ALL_OR_NOTHING), 1, 1e-15, 0);
    CHECK_NEAR(ks_score_order(key, swap, 5, KS_ORDER_ALL_OR_NOTHING), 0, 1e-15, 0);
    CHECK_NEAR(ks_score_order(key, same, 5, KS_ORDER_POSITIONS), 1, 1e-15, 0);
    CHECK_NEAR(ks_score_order(key, swap, 5, KS_ORDER_POSITIONS), 0.6, 1e-15, 0);
    CHECK_NEAR(ks_score_order(key, rot, 5, KS_ORDER_POSITIONS), 0, 1e-15, 0);
    CHECK_NEAR(ks_score_order(key, rev, 5, KS_ORDER_POSITIONS), 0.2, 1e-15, 0);
    CHECK_NEAR(ks_score_order(key, same, 5, KS_ORDER_ADJACENT), 1, 1e-15, 0);
    CHECK_NEAR(ks_score_order(key, swap, 5, KS_ORDER_ADJACENT), 0.25, 1e-15, 0); /* 40,50 */
    CHECK_NEAR(ks_score_order(key, rot, 5, KS_ORDER_ADJACENT), 0.75, 1e-15, 0);
    CHECK_NEAR(ks_score_order(key, rev, 5, KS_ORDER_ADJACENT), 0, 1e-15, 0);
}

static void order_needs_a_permutation(void)
{
    static const int key[] = {10, 20, 30}, rep[] = {10, 10, 30}, other[] = {10, 20, 60},
                     bad_key[] = {10, 10, 30}, one[] = {7}, eight[] = {8};
    for (int rule = KS_ORDER_ALL_OR_NOTHING; rule <= KS_ORDER_ADJACENT; rule++) {
        CHECK_NEAR(ks_score_order(key, rep, 3, (ks_order_rule)rule), 0, 1e-15, 0);
        CHECK_NEAR(ks_score_order(key, other, 3, (ks_order_rule)rule), 0, 1e-15, 0);
        CHECK_NEAR(ks_score_order(bad_key, rep, 3, (ks_order_rule)rule), 0, 1e-15, 0);
        CHECK_NEAR(ks_score_order(key, key, 0, (ks_order_rule)rule), 1, 1e-15, 0);
        CHECK_NEAR(ks_score_order(one, one, 1, (ks_order_rule)rule), 1, 1e-15, 0);
        CHECK_NEAR(ks_score_order(one, eight, 1, (ks_order_rule)rule), 0, 1e-15, 0);
    }
}

static void match_rules(void)
{
    static const int key[] = {2, 0, 1, 1}, resp[] = {2, 1, 1, 1}, blank[] = {-1, -1, -1, -1};
    CHECK_NEAR(ks_score_match(key, resp, 4, 0), 0.75, 1e-15, 0);
    CHECK_NEAR(ks_score_match(key, resp, 4, 1), 0, 1e-15, 0);
    CHECK_NEAR(ks_score_match(key, key, 4, 0), 1, 1e-15, 0);
    CHECK_NEAR(ks_score_match(key, key, 4, 1), 1, 1e-15, 0);
    CHECK_NEAR(ks_score_match(key, blank, 4, 0), 0, 1e-15, 0);
    CHECK_NEAR(ks_score_match(key, resp, 1, 1), 1, 1e-15, 0);
    CHECK_NEAR(ks_score_match(key + 1, resp + 1, 1, 0), 0, 1e-15, 0);
    CHECK_NEAR(ks_score_match(key, resp, 0, 0), 1, 1e-15, 0);
    CHECK_NEAR(ks_score_match(key, resp, 0, 1), 1, 1e-15, 0);
}

UNIT_MAIN(T(set_all_or_nothing), T(set_right_minus_wrong), T(set_per_option),
          T(set_invalid_answers_score_zero), T(set_edge_cases), T(numeric_absolute_tolerance),
          T(numeric_relative_tolerance), T(numeric_never_accepts_nan_or_infinity),
          T(text_folds_width_and_case), T(text_drops_space_and_punctuation),
          T(text_rejects_invalid_utf8), T(text_scoring), T(order_rules),
          T(order_needs_a_permutation), T(match_rules))
