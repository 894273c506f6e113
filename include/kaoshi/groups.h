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

/* The most units of pool s that the pools before it (pools[0..s-1]) may
 * take on one form, whatever they draw: the sum over each earlier pool t of
 * the least of its pick and the units it shares with s. A form's draw, made
 * section by section, never comes up short in s when pools[s].n minus this
 * is at least pools[s].pick. */
size_t ks_groups_contested(const ks_groups_pool *pools, size_t s);

/* The most forms, up to limit, that can be drawn from the n pools at once
 * with no unit on two of them or twice on one: every pool gives each form
 * its pick. 0 when no single form can be drawn, or no pool draws. Exact (by
 * augmenting paths between pools and units; Hall's condition when none is
 * left); nunits bounds the unit numbers. Returns (size_t)-1 when memory runs
 * out. */
size_t ks_groups_forms(const ks_groups_pool *pools, size_t n, size_t nunits, size_t limit);

#endif
