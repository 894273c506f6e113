/* Scoring primitives for the built-in question types: each returns the
 * fraction of the item's points earned, in [0, 1] (text and numeric answers
 * are simply right or wrong). Options are numbered 0 .. noptions-1. Inputs are
 * question-sized (a handful of options or items): the checks are quadratic.
 * Plain C; the Lua question types decide which rule an item uses. */
#ifndef KAOSHI_SCORE_H
#define KAOSHI_SCORE_H

#include <stddef.h>

#include "kaoshi/text.h"

typedef enum ks_set_rule {
    /* 1 when the chosen options are exactly the key, else 0. */
    KS_SET_ALL_OR_NOTHING,
    /* Moodle-style partial credit: +1/nkey for each right choice, −1/(noptions−nkey)
     * for each wrong one, floored at 0. With nkey == 0 the right-choice part
     * counts as complete (1); with nkey == noptions no choice can be wrong. */
    KS_SET_RIGHT_MINUS_WRONG,
    /* The fraction of the noptions options classified correctly (chosen and
     * in the key, or not chosen and not in the key). */
    KS_SET_PER_OPTION
} ks_set_rule;

/* Scores a multiple-response answer resp[0..nresp-1] against the key
 * key[0..nkey-1] (both sets of option numbers, in any order). 0 when resp
 * or key holds an option twice or one outside [0, noptions): an invalid
 * response earns nothing (and a key should have been rejected when the item
 * was checked). With noptions == 0, both empty, every rule gives 1. */
double ks_score_set(const int *key, size_t nkey, const int *resp, size_t nresp,
                    size_t noptions, ks_set_rule rule);

/* 1 when |resp − key| <= max(abs_tol, rel_tol·|key|) + 4·DBL_EPSILON·max(|resp|, |key|),
 * else 0; always 0 when resp or key is a NaN or an infinity, or a tolerance
 * is a NaN. The last term (a few units in the last place) makes a response
 * exactly on a decimal tolerance count although binary doubles cannot hold
 * it: 1.1 for 1.0 ± 0.1 is accepted, though 1.1 − 1.0 is 0.10000000000000009
 * in doubles. Tolerances are meant to be >= 0. */
int ks_score_numeric(double resp, double key, double abs_tol, double rel_tol);

/* 1 when resp equals any of accepted[0..n-1] after each is normalised with
 * flags (ks_text_equal; KS_TEXT_DEFAULT is the usual choice), else 0.
 * Invalid UTF-8 never matches. */
int ks_score_text(const char *resp, const char *const *accepted, size_t n, unsigned flags);

typedef enum ks_order_rule {
    /* 1 when resp is exactly key, else 0. */
    KS_ORDER_ALL_OR_NOTHING,
    /* The fraction of the n positions holding the key's item. */
    KS_ORDER_POSITIONS,
    /* The fraction of the key's n−1 adjacent pairs (key[i], key[i+1]) that
     * are also adjacent, in that order, in resp: Moodle's "relative to the
     * next item (excluding last)". 1 when n == 1. */
    KS_ORDER_ADJACENT
} ks_order_rule;

/* Scores an ordering: key[0..n-1] is the right order of n distinct items,
 * resp[0..n-1] the candidate's. 0 when resp is not a permutation of key (or
 * key has repeats). n == 0 gives 1. */
double ks_score_order(const int *key, const int *resp, size_t n, ks_order_rule rule);

/* Scores a matching: prompt i's right choice is key[i], the candidate's is
 * resp[i] (choices may repeat; a value no key holds, such as -1 for "no
 * answer", is simply wrong). The fraction of prompts matched right, or with
 * all_or_nothing 1 only when all are. n == 0 gives 1. */
double ks_score_match(const int *key, const int *resp, size_t n, int all_or_nothing);

#endif
