/* The analytics data set of one or more sittings, read from the store: each
 * finished attempt whose stored result is final (graded, no answer waiting
 * for a person's mark), with its form, its latest answers and the points its
 * result gives every question; the items with their options and key from
 * the banks frozen with the sitting. Nothing is written: run `kaoshi grade`
 * first for attempts finished since. Uses the exam lifecycle, the store and
 * the loaded certification (kaoshi/cert.h); see kaoshi/analytics.h. */
#ifndef KAOSHI_ANALYTICS_LOAD_H
#define KAOSHI_ANALYTICS_LOAD_H

#include "kaoshi/analytics.h"
#include "kaoshi/exam.h"

/* Loads the sittings named (n >= 1), in that order. KS_ENOTFOUND for an
 * unknown sitting and KS_ESTATE for a draft, with the lifecycle's messages;
 * KS_EINPUT when the sittings are of different certifications or their
 * forms differ (sections, points) or an item differs between their banks. */
ks_status ks_analytics_load(ks_exam *x, const char *const *sittings, size_t n,
                            ks_analytics_data **out, ks_error *err);

/* What a report covers, as `kaoshi report` and the server's report routes
 * ask for it: the sittings analysed together, which attempts count, and at
 * most one comparison (Welch's t-test): with the attempts of another sitting
 * (`compare`, labelled with its name) or of first attempts with retakes. */
typedef struct ks_analytics_request {
    const char *const *sittings; /* nsittings >= 1 */
    size_t nsittings;
    ks_analytics_which which;
    const char *compare; /* another sitting, or NULL */
    bool retakes;        /* compare first attempts with retakes */
} ks_analytics_request;

/* Loads the sittings (ks_analytics_load), computes their report and makes
 * the comparison asked for. The report borrows *data: free the report
 * first, then the data; both are NULL on failure. Errors: those of
 * ks_analytics_load, for the compared sitting too; KS_EINPUT for both
 * comparisons at once (before loading anything) and for retakes when only
 * first attempts count (ks_analytics_compare_retakes). */
ks_status ks_analytics_report_sittings(ks_exam *x, const ks_analytics_request *q,
                                       ks_analytics_data **data, ks_analytics_report **report,
                                       ks_error *err);

#endif
