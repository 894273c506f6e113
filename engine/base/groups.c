/* Exclusive groups: units of items, what earlier sections may take from a
 * later one, and disjoint forms by augmenting paths. See
 * include/kaoshi/groups.h. Plain C. */
#include "kaoshi/groups.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Orders item pointers by group, then by place. */
static int by_group(const void *a, const void *b)
{
    const ks_item *x = *(const ks_item *const *)a, *y = *(const ks_item *const *)b;
    int c = strcmp(x->group, y->group);
    return c ? c : (x > y) - (x < y);
}

size_t ks_groups_number(const ks_item *items, size_t n, size_t *unit)
{
    const ks_item **grouped = malloc((n ? n : 1) * sizeof *grouped);
    if (!grouped)
        return SIZE_MAX;
    size_t ngrouped = 0, units = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i].group)
            grouped[ngrouped++] = &items[i];
        else
            unit[i] = units++;
    }
    qsort(grouped, ngrouped, sizeof *grouped, by_group);
    for (size_t i = 0; i < ngrouped; i++) {
        if (i == 0 || strcmp(grouped[i]->group, grouped[i - 1]->group) != 0)
            units++;
        unit[grouped[i] - items] = units - 1;
    }
    free(grouped);
    return units;
}

/* Units held by pools while forms are counted. */
typedef struct flow {
    const ks_groups_pool *pools;
    size_t *owner;       /* per unit: the pool holding it, or SIZE_MAX */
    size_t *next;        /* per pool: where its search for a free unit goes on */
    unsigned char *seen; /* per pool: reached by the current search */
} flow;

/* Gives pool p one more unit: a free one, or one that the pool holding it
 * lets go for another it gets the same way. A unit once held is never free
 * again, so each pool's search for free units goes on where it stopped.
 * Returns 0 when there is none: then the pools the search reached hold
 * every unit they draw from and still want more, which Hall's condition
 * says no way of sharing the units out can give them. */
static int augment(flow *f, size_t p)
{
    const ks_groups_pool *pool = &f->pools[p];
    f->seen[p] = 1;
    for (; f->next[p] < pool->n; f->next[p]++) {
        size_t u = pool->units[f->next[p]];
        if (f->owner[u] == SIZE_MAX) {
            f->owner[u] = p;
            return 1;
        }
    }
    for (size_t i = 0; i < pool->n; i++) {
        size_t u = pool->units[i], q = f->owner[u];
        if (!f->seen[q] && augment(f, q)) {
            f->owner[u] = p;
            return 1;
        }
    }
    return 0;
}

size_t ks_groups_homes(const ks_groups_pool *pools, size_t n, size_t nunits, size_t limit,
                       size_t *home)
{
    size_t picks = 0;
    for (size_t p = 0; p < n; p++)
        picks += pools[p].pick > 0 ? (size_t)pools[p].pick : 0;
    if (home)
        for (size_t u = 0; u < nunits; u++)
            home[u] = SIZE_MAX;
    if (picks == 0 || limit == 0)
        return 0;
    flow f = {pools, malloc((nunits ? nunits : 1) * sizeof *f.owner), calloc(n, sizeof *f.next),
              malloc(n)};
    size_t forms = SIZE_MAX;
    if (f.owner && f.next && f.seen) {
        for (size_t u = 0; u < nunits; u++)
            f.owner[u] = SIZE_MAX;
        int short_of = 0;
        for (forms = 0; forms < limit && !short_of; forms += !short_of) {
            for (size_t p = 0; p < n && !short_of; p++) {
                for (int k = 0; k < pools[p].pick && !short_of; k++) {
                    memset(f.seen, 0, n);
                    short_of = !augment(&f, p);
                }
            }
        }
        if (home)
            memcpy(home, f.owner, nunits * sizeof *home);
    }
    free(f.owner);
    free(f.next);
    free(f.seen);
    return forms;
}

size_t ks_groups_forms(const ks_groups_pool *pools, size_t n, size_t nunits, size_t limit)
{
    return ks_groups_homes(pools, n, nunits, limit, NULL);
}
