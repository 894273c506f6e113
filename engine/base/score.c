/* Scoring primitives: see include/kaoshi/score.h. Depends on text.c (for text
 * answers) and libm. */
#include "kaoshi/score.h"

#include <float.h>
#include <math.h>

/* The position of v in a[0..n-1], or n. */
static size_t find(const int *a, size_t n, int v)
{
    size_t i = 0;
    while (i < n && a[i] != v)
        i++;
    return i;
}

/* 1 when a[0..n-1] are distinct options in [0, noptions). */
static int valid_set(const int *a, size_t n, size_t noptions)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] < 0 || (size_t)a[i] >= noptions || find(a, i, a[i]) < i)
            return 0;
    return 1;
}

double ks_score_set(const int *key, size_t nkey, const int *resp, size_t nresp,
                    size_t noptions, ks_set_rule rule)
{
    if (!valid_set(key, nkey, noptions) || !valid_set(resp, nresp, noptions))
        return 0;
    size_t right = 0;
    for (size_t i = 0; i < nresp; i++)
        right += find(key, nkey, resp[i]) < nkey;
    size_t wrong = nresp - right;
    switch (rule) {
    case KS_SET_ALL_OR_NOTHING:
        return right == nkey && wrong == 0;
    case KS_SET_RIGHT_MINUS_WRONG: {
        double got = nkey ? (double)right / (double)nkey : 1.0;
        if (wrong)
            got -= (double)wrong / (double)(noptions - nkey);
        return got > 0 ? got : 0;
    }
    case KS_SET_PER_OPTION:
        /* Misclassified: keys not chosen (nkey - right) plus wrong choices. */
        return noptions ? (double)(noptions - (nkey - right) - wrong) / (double)noptions : 1.0;
    }
    return 0;
}

int ks_score_numeric(double resp, double key, double abs_tol, double rel_tol)
{
    if (!isfinite(resp) || !isfinite(key) || isnan(abs_tol) || isnan(rel_tol))
        return 0;
    double tol = abs_tol, rel = rel_tol * fabs(key);
    if (rel > tol)
        tol = rel;
    double mag = fabs(resp) > fabs(key) ? fabs(resp) : fabs(key);
    return fabs(resp - key) <= tol + 4 * DBL_EPSILON * mag;
}

int ks_score_text(const char *resp, const char *const *accepted, size_t n, unsigned flags)
{
    for (size_t i = 0; i < n; i++)
        if (ks_text_equal(resp, accepted[i], flags))
            return 1;
    return 0;
}

double ks_score_order(const int *key, const int *resp, size_t n, ks_order_rule rule)
{
    for (size_t i = 0; i < n; i++)
        if (find(key, i, key[i]) < i || find(resp, i, resp[i]) < i ||
            find(key, n, resp[i]) == n)
            return 0;
    if (n == 0)
        return 1;
    size_t good = 0;
    switch (rule) {
    case KS_ORDER_ALL_OR_NOTHING:
        return ks_score_match(key, resp, n, 1);
    case KS_ORDER_POSITIONS:
        return ks_score_match(key, resp, n, 0);
    case KS_ORDER_ADJACENT:
        if (n == 1)
            return 1;
        for (size_t i = 0; i + 1 < n; i++) {
            size_t p = find(resp, n, key[i]);
            good += p + 1 < n && resp[p + 1] == key[i + 1];
        }
        return (double)good / (double)(n - 1);
    }
    return 0;
}

double ks_score_match(const int *key, const int *resp, size_t n, int all_or_nothing)
{
    if (n == 0)
        return 1;
    size_t good = 0;
    for (size_t i = 0; i < n; i++)
        good += key[i] == resp[i];
    if (all_or_nothing)
        return good == n;
    return (double)good / (double)n;
}
