/* Drawing forms: choosing k distinct items uniformly at random, shuffling, and
 * filtering a bank's items by chapter, topic, type, tags, difficulty and
 * items already seen. Every draw comes from a ks_rng, so a form is replayed
 * from its seed; the number of generator outputs each call consumes is part
 * of that contract and is stated below. Plain C; uses the ks_item struct of
 * bank.h but no bank functions. */
#ifndef KAOSHI_DRAW_H
#define KAOSHI_DRAW_H

#include <stddef.h>

#include "kaoshi/bank.h"
#include "kaoshi/error.h"
#include "kaoshi/rng.h"

/* Chooses k distinct indices of [0, n) uniformly, in random order, into
 * out[0..k-1]: a partial Fisher–Yates over the array 0..n-1, where step
 * i = 0, 1, ... swaps a[i] with a[i + ks_rng_below(r, n - i)] for the first
 * min(k, n - 1) steps (the last step of a full shuffle has one choice and is
 * skipped). Returns 0, or -1 (nothing drawn) when k > n or memory runs out. */
int ks_draw_sample(ks_rng *r, size_t n, size_t k, size_t *out);

/* Shuffles a[0..n-1] in place: the same steps as ks_draw_sample with k = n,
 * so shuffling 0..n-1 gives what sampling all n gives. n - 1 draws (none for
 * n <= 1). */
void ks_draw_shuffle(ks_rng *r, size_t *a, size_t n);

/* Which items a draw may take. A zero / NULL field means "any". An item
 * without a chapter, topic or difficulty fails a filter that asks for one.
 * Strings compare byte for byte. */
typedef struct ks_draw_filter {
    int chapter;        /* 0 = any */
    const char *topic;  /* NULL = any */
    const char *type;   /* NULL = any */
    const char *const *tags; /* the item must have all of them */
    size_t ntags;
    int difficulty_min, difficulty_max; /* inclusive; each 0 = unbounded */
    const char *const *exclude_ids;     /* e.g. items this candidate has seen */
    size_t nexclude;
} ks_draw_filter;

/* Writes the indices of the items that pass f (NULL: every item) to out, in
 * ascending order, and returns how many there are. out needs room for n, or
 * may be NULL to count only. Exclusions are sorted once and searched, so
 * thousands of ids cost O((n + nexclude) log nexclude). Returns (size_t)-1
 * when memory for the sorted exclusions runs out. */
size_t ks_draw_match(const ks_item *items, size_t n, const ks_draw_filter *f, size_t *out);

/* Matches, then samples k of the matches: out[0..k-1] are item indices in
 * the order drawn (ks_draw_sample over the ascending matches). *available
 * (when not NULL) is set to the number of matches. Fewer than k matches is
 * KS_EINPUT, consumes no draws, and says what was asked for, e.g.
 *   draw needs 10 items but only 7 match (chapter 2, topic "业务量预测", excluding 3 seen)
 * where "excluding N seen" counts the items that passed every other test
 * but were excluded. Running out of memory is KS_EINTERNAL. */
ks_status ks_draw_pick(ks_rng *r, const ks_item *items, size_t n, const ks_draw_filter *f,
                       size_t k, size_t *out, size_t *available, ks_error *err);

#endif
