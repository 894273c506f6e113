/* How many disjoint forms a certification's pools support: forms that share
 * no item and no group (kaoshi/groups.h), so that every attempt a candidate
 * is allowed can be fresh. Used by `kaoshi coverage` and compared by
 * `kaoshi simulate` with the repeats the engine actually had to make. Plain
 * C over the certification's info. And what its forms are like: how
 * difficult (the banks' own 1-5 labels) and how a borderline candidate
 * would score on them (the items' Angoff ratings), over many seeds. */
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

/* The forms that seeds 1..nforms draw for a first attempt, measured: each
 * form's difficulty, the mean label of its items (items without one left
 * out; 0 when none has one), and its Angoff score, the share of its points
 * a borderline candidate is expected to earn (Σ points × angoff / Σ points,
 * in %; -1 when an item on it has no angoff rating), and as a check of the
 * draw, whether it holds two items of one group. For each measure, the
 * forms it is defined on and their mean, sd (population), min and max; and
 * how many forms lie outside the certification's balance, when it declares
 * one (ks_cert_info). */
typedef struct ks_coverage_stats {
    size_t forms;
    double mean, sd, min, max;
} ks_coverage_stats;
typedef struct ks_coverage_form {
    double difficulty, angoff;
    unsigned clashes; /* items on it whose group an earlier item has: 0 */
} ks_coverage_form;
typedef struct ks_coverage_sample {
    size_t nforms;
    ks_coverage_form *forms; /* forms[i]: the form of seed i + 1 */
    ks_coverage_stats difficulty, angoff;
    size_t off_balance; /* forms outside a declared balance target */
    size_t clashing;    /* forms with clashes (an engine fault: 0) */
} ks_coverage_sample;
ks_status ks_coverage_sample_of(ks_cert *cert, unsigned nforms, ks_coverage_sample *out,
                                ks_error *err);
void ks_coverage_sample_free(ks_coverage_sample *s);

/* Whether a form's measures lie within the balance the certification
 * declares (always true without one). */
int ks_coverage_balanced(const ks_cert_info *info, const ks_coverage_form *form);

/* Measures one form (JSON as ks_cert_build_form writes it). */
ks_status ks_coverage_measure(const ks_cert *cert, const char *form_json, ks_coverage_form *out,
                              ks_error *err);

#endif
