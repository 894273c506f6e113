/* Internals shared by the lifecycle's files (engine/exam/exam*.c): a list of
 * strings, the audit entry written with every change, transactions, loading
 * an attempt with its deadline applied, grading. Not a public header. */
#ifndef KAOSHI_EXAM_IMPL_H
#define KAOSHI_EXAM_IMPL_H

#include <jansson.h>

#include "kaoshi/exam.h"

/* A growing list of malloc'd strings (script paths, item ids); its strings
 * and n are freed with ks_cert_free_ids. */
typedef struct exam_string_list {
    char **strings;
    size_t n, cap;
} exam_string_list;

/* Appends s, taking it over; -1 (s freed) when s is NULL or out of memory. */
int exam_string_list_add(exam_string_list *l, char *s);

/* Appends an audit entry by x->actor at the clock's now; takes detail's
 * reference (may be NULL). */
ks_status exam_audit(ks_exam *x, const char *action, int64_t sitting, int64_t attempt,
                     json_t *detail, ks_error *err);

/* Sets err to rc and the lines of diags (freed), one a line, as many as it
 * holds, then "(and N more" HINT ")"; returns rc. */
ks_status exam_diags_error(ks_diags *diags, ks_status rc, const char *hint, ks_error *err);

/* Commits (rc == KS_OK) or rolls back, returning the final status. */
ks_status exam_finish_tx(ks_exam *x, ks_status rc, ks_error *err);

/* Finishes one running attempt inside the caller's transaction, closing its
 * pause if it was paused. */
ks_status exam_finish_attempt(ks_exam *x, const ks_attempt *a, int64_t at, const char *reason,
                              ks_error *err);

/* True when a running, unpaused attempt is past its deadline plus grace. */
int exam_overdue(const ks_attempt *a, const ks_sitting *s, int64_t now);

/* Loads attempt id and its sitting; finishes it at its deadline when it is
 * overdue (committing that on its own). */
ks_status exam_load_attempt(ks_exam *x, int64_t id, ks_attempt *a, ks_sitting *s,
                            ks_error *err);

/* No extra time: {0, 100}. */
extern const ks_accommodation exam_no_accommodation;

/* KS_EINPUT "expected ..., found 'WRITTEN'" unless t is a factor from x1 to
 * x4 and at most 24h of extra time; written NULL: t as
 * ks_exam_accommodation_text writes it. */
ks_status exam_accommodation_check(const ks_accommodation *t, const char *written,
                                   ks_error *err);

/* The number of questions on a form (JSON). */
size_t exam_form_size(const char *form_json);

/* Grades a finished attempt from its latest answers and its marks, without
 * storing anything; *detail is malloc'd. */
ks_status exam_compute(ks_exam *x, ks_cert *cert, const ks_attempt *a, char **detail,
                       double *score, double *max_score, int *passed, ks_error *err);
/* Grades it with cert, the certification of its sitting's current version,
 * and stores the result with its audit entry and what it changed
 * (exam_regraded), in its own transaction. */
ks_status exam_grade_attempt(ks_exam *x, ks_cert *cert, const ks_attempt *a, ks_error *err);

/* ---- versions of a sitting's sources (exam.c, exam_amend.c, exam_regrade.c) ---- */

/* Loads sitting s's certification from disk as s->script (fs records every
 * file it reads) and checks it may be frozen into s: the code the sitting
 * is for, every hook exercised on the default seeds (modules hooks require
 * while they run are read through fs then, so they are frozen too). The
 * problems, one a line, in err. */
ks_status exam_load_to_freeze(const ks_sitting *s, ks_fileset *fs, ks_cert **cert,
                              ks_error *err);

/* Inside the caller's transaction: stores every file fs served as version
 * `version` of the sitting's sources and records the version (by x->actor,
 * now, for reason); hash receives the sources' hash. */
ks_status exam_freeze_version(ks_exam *x, int64_t sitting_id, int version,
                              const ks_fileset *fs, const char *reason, char hash[65],
                              ks_error *err);

/* Inside the caller's transaction, after attempt a of sitting s was graded
 * (after: the new result, graded with s->version; before: the one it
 * replaces, NULL if none): records the change when before was graded with
 * an earlier version and the score, maximum or outcome differ; flags the
 * attempt's unrevoked certificate when after fails and clears its flag when
 * it passes again, each audited. Counts in tally (may be NULL). */
ks_status exam_regraded(ks_exam *x, const ks_sitting *s, const ks_attempt *a,
                        const ks_result *before, const ks_result *after,
                        ks_exam_grading *tally, ks_error *err);

#endif
