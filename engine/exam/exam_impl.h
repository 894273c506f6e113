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

/* The number of questions on a form (JSON). */
size_t exam_form_size(const char *form_json);

/* Grades a finished attempt from its latest answers and its marks, without
 * storing anything; *detail is malloc'd. */
ks_status exam_compute(ks_exam *x, ks_cert *cert, const ks_attempt *a, char **detail,
                       double *score, double *max_score, int *passed, ks_error *err);
/* Grades it and stores the result with its audit entry, in its own
 * transaction. */
ks_status exam_grade_attempt(ks_exam *x, ks_cert *cert, const ks_attempt *a, ks_error *err);

#endif
