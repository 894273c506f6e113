/* Sampling, shuffling and item filters for forms: see include/kaoshi/draw.h.
 * Depends on rng.c (draws), error.c (messages) and the ks_item struct. */
#include "kaoshi/draw.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first `steps` steps of a forward Fisher–Yates shuffle of a[0..n-1];
 * the final one-choice step is never taken, so it costs no draw. */
static void partial_shuffle(ks_rng *r, size_t *a, size_t n, size_t steps)
{
    for (size_t i = 0; i < steps && i + 1 < n; i++) {
        size_t j = i + (size_t)ks_rng_below(r, n - i);
        size_t t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

int ks_draw_sample(ks_rng *r, size_t n, size_t k, size_t *out)
{
    if (k > n)
        return -1;
    if (k == 0)
        return 0;
    size_t *a = malloc(n * sizeof *a);
    if (!a)
        return -1;
    for (size_t i = 0; i < n; i++)
        a[i] = i;
    partial_shuffle(r, a, n, k);
    memcpy(out, a, k * sizeof *a);
    free(a);
    return 0;
}

void ks_draw_shuffle(ks_rng *r, size_t *a, size_t n) { partial_shuffle(r, a, n, n); }

/* What a NULL filter means: every item. */
static const ks_draw_filter no_filter;

static int has_tag(const ks_item *item, const char *tag)
{
    for (size_t i = 0; i < item->ntags; i++)
        if (strcmp(item->tags[i], tag) == 0)
            return 1;
    return 0;
}

/* Every test of f except the exclusions. */
static int passes(const ks_item *item, const ks_draw_filter *f)
{
    if (f->chapter && item->chapter != f->chapter)
        return 0;
    if (f->topic && (!item->topic || strcmp(item->topic, f->topic) != 0))
        return 0;
    if (f->type && strcmp(item->type, f->type) != 0)
        return 0;
    for (size_t i = 0; i < f->ntags; i++)
        if (!has_tag(item, f->tags[i]))
            return 0;
    if (f->difficulty_min || f->difficulty_max) {
        if (!item->difficulty)
            return 0;
        if (f->difficulty_min && item->difficulty < f->difficulty_min)
            return 0;
        if (f->difficulty_max && item->difficulty > f->difficulty_max)
            return 0;
    }
    return 1;
}

static int compare_ids(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ks_draw_match, also counting in *excluded the items that passed every
 * other test but were excluded. */
static size_t match(const ks_item *items, size_t n, const ks_draw_filter *f, size_t *out,
                    size_t *excluded)
{
    const char **sorted = NULL;
    if (f->nexclude) {
        sorted = malloc(f->nexclude * sizeof *sorted);
        if (!sorted)
            return SIZE_MAX;
        memcpy(sorted, f->exclude_ids, f->nexclude * sizeof *sorted);
        qsort(sorted, f->nexclude, sizeof *sorted, compare_ids);
    }
    size_t count = 0;
    *excluded = 0;
    for (size_t i = 0; i < n; i++) {
        if (!passes(&items[i], f))
            continue;
        if (sorted && bsearch(&items[i].id, sorted, f->nexclude, sizeof *sorted, compare_ids)) {
            (*excluded)++;
            continue;
        }
        if (out)
            out[count] = i;
        count++;
    }
    free(sorted);
    return count;
}

size_t ks_draw_match(const ks_item *items, size_t n, const ks_draw_filter *f, size_t *out)
{
    size_t excluded;
    return match(items, n, f ? f : &no_filter, out, &excluded);
}

/* Appends ", " (unless buf is empty) and a formatted part to buf. */
__attribute__((format(printf, 3, 4))) static void add_part(char *buf, size_t size,
                                                           const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len && len + 2 < size) {
        memcpy(buf + len, ", ", 3);
        len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

/* "chapter 2, topic "…", excluding 3 seen": what a draw asked for. */
static void describe(const ks_draw_filter *f, size_t excluded, char *buf, size_t size)
{
    buf[0] = '\0';
    if (f->chapter)
        add_part(buf, size, "chapter %d", f->chapter);
    if (f->topic)
        add_part(buf, size, "topic \"%s\"", f->topic);
    if (f->type)
        add_part(buf, size, "type \"%s\"", f->type);
    for (size_t i = 0; i < f->ntags; i++)
        add_part(buf, size, i ? "\"%s\"" : f->ntags > 1 ? "tags \"%s\"" : "tag \"%s\"",
                 f->tags[i]);
    if (f->difficulty_min && f->difficulty_max) {
        if (f->difficulty_min == f->difficulty_max)
            add_part(buf, size, "difficulty %d", f->difficulty_min);
        else
            add_part(buf, size, "difficulty %d-%d", f->difficulty_min, f->difficulty_max);
    } else if (f->difficulty_min) {
        add_part(buf, size, "difficulty >= %d", f->difficulty_min);
    } else if (f->difficulty_max) {
        add_part(buf, size, "difficulty <= %d", f->difficulty_max);
    }
    if (excluded)
        add_part(buf, size, "excluding %zu seen", excluded);
}

ks_status ks_draw_pick(ks_rng *r, const ks_item *items, size_t n, const ks_draw_filter *f,
                       size_t k, size_t *out, size_t *available, ks_error *err)
{
    if (!f)
        f = &no_filter;
    if (available)
        *available = 0;
    size_t *matches = malloc((n ? n : 1) * sizeof *matches);
    size_t excluded = 0;
    size_t count = matches ? match(items, n, f, matches, &excluded) : SIZE_MAX;
    if (count == SIZE_MAX) {
        free(matches);
        return ks_error_set(err, KS_EINTERNAL, "draw: out of memory");
    }
    if (available)
        *available = count;
    if (count < k) {
        free(matches);
        char what[1024];
        describe(f, excluded, what, sizeof what);
        char have[64];
        if (count == 0)
            snprintf(have, sizeof have, "none match");
        else
            snprintf(have, sizeof have, "only %zu %s", count, count == 1 ? "matches" : "match");
        return ks_error_set(err, KS_EINPUT, "draw needs %zu item%s but %s%s%s%s", k,
                            k == 1 ? "" : "s", have, what[0] ? " (" : "", what,
                            what[0] ? ")" : "");
    }
    if (ks_draw_sample(r, count, k, out) != 0) {
        free(matches);
        return ks_error_set(err, KS_EINTERNAL, "draw: out of memory");
    }
    for (size_t i = 0; i < k; i++)
        out[i] = matches[out[i]];
    free(matches);
    return KS_OK;
}
