/* Exclusive groups: what a blueprint's pools can give when items of one
 * group never share a form. A unit is a group, or an item without one: a
 * form holds at most one item of each unit, and a candidate's retake prefers
 * units the candidate has not seen (engine/lua/author.lua draws so). These
 * functions count units for loading a certification (the checks of
 * engine/lua/cert.c) and for `kaoshi coverage`. Plain C over ks_item. */
#ifndef KAOSHI_GROUPS_H
#define KAOSHI_GROUPS_H

#include <stddef.h>

#include "kaoshi/bank.h"

/* Numbers the units of items[0..n-1] into unit[0..n-1], from 0: items of one
 * group (compared byte for byte) share a number, every other item has its
 * own. Returns how many units there are, or (size_t)-1 when memory runs
 * out. */
size_t ks_groups_number(const ks_item *items, size_t n, size_t *unit);

/* What a section of a blueprint draws from: its distinct units, ascending,
 * and how many questions it draws. */
typedef struct ks_groups_pool {
    const size_t *units;
    size_t n;
    int pick;
} ks_groups_pool;

/* The most forms, up to limit, that can be drawn from the n pools at once
 * with no unit on two of them or twice on one: every pool gives each form
 * its pick. 0 when no single form can be drawn, or no pool draws. Exact (by
 * augmenting paths between pools and units; Hall's condition when none is
 * left); nunits bounds the unit numbers. Returns (size_t)-1 when memory runs
 * out. */
size_t ks_groups_forms(const ks_groups_pool *pools, size_t n, size_t nunits, size_t limit);

/* ks_groups_forms, and the sharing out it found: home[u] (nunits entries)
 * is the pool unit u is given to, SIZE_MAX for a unit none of those forms
 * needs. Each pool is given at least pick × forms units, so a draw in which
 * every pool takes first from the units given to it (and those given to
 * none) gives that many forms with no unit twice (engine/lua/author.lua).
 * Augmenting paths only move a unit to another pool when the pool losing
 * it gets one in its place, so even when forms < limit every pool keeps
 * its pick × forms. */
size_t ks_groups_homes(const ks_groups_pool *pools, size_t n, size_t nunits, size_t limit,
                       size_t *home);

#endif
