/* How many disjoint forms a certification's pools support: forms that share
 * no item, so that every attempt a candidate is allowed can be fresh. Used
 * by `kaoshi coverage` and compared by `kaoshi simulate` with the repeats
 * the engine actually had to make. Plain C over the certification's info. */
#ifndef KAOSHI_COVERAGE_H
#define KAOSHI_COVERAGE_H

#include <stddef.h>

#include "kaoshi/cert.h"

/* The disjoint forms one section's pool supports: its items / its pick. */
size_t ks_coverage_section_forms(const ks_cert_section *sec);

/* The disjoint forms the whole blueprint supports: the least over its
 * sections (0 without sections). */
size_t ks_coverage_forms(const ks_cert_info *info);

#endif
