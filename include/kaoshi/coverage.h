/* How many disjoint forms a certification's pools support: forms that share
 * no item and no group (kaoshi/groups.h), so that every attempt a candidate
 * is allowed can be fresh. Used by `kaoshi coverage` and compared by
 * `kaoshi simulate` with the repeats the engine actually had to make. Plain
 * C over the certification's info. And how difficult its forms are: the
 * banks' own 1-5 labels over the forms of many seeds. */
#ifndef KAOSHI_COVERAGE_H
#define KAOSHI_COVERAGE_H

#include <stddef.h>

#include "kaoshi/cert.h"

/* The disjoint forms one section's pool supports: its units (its distinct
 * groups and its items without one) / its pick. */
size_t ks_coverage_section_forms(const ks_cert_section *sec);

/* The disjoint forms the whole blueprint supports: the most forms its pools
 * can give at once, an item or group that several sections draw from
 * counted once (exact: ks_groups_forms). At most the least over its
 * sections; 0 without sections, and when memory runs out. */
size_t ks_coverage_forms(const ks_cert_info *info);

/* The difficulty of the first-attempt forms that seeds 1..nforms draw: a
 * form's difficulty is the mean label of its items (items without one left
 * out; a form with none is not counted in forms), and mean, sd (of the
 * forms, population), min and max are over the forms. */
typedef struct ks_coverage_difficulty {
    size_t forms;
    double mean, sd, min, max;
} ks_coverage_difficulty;
ks_status ks_coverage_difficulty_of(ks_cert *cert, unsigned nforms, ks_coverage_difficulty *out,
                                    ks_error *err);

#endif
