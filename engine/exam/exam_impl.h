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
/* exam_audit of a detail json_pack made, which must be there: NULL (out of
 * memory, or a text in it that is not UTF-8) is KS_EINTERNAL and writes
 * nothing. */
ks_status exam_audit_packed(ks_exam *x, const char *action, int64_t sitting, int64_t attempt,
                            json_t *detail, ks_error *err);

/* Sets err to rc and the lines of diags (freed), one a line, as many as it
 * holds, then "(and N more" HINT ")"; returns rc. */
ks_status exam_diags_error(ks_diags *diags, ks_status rc, const char *hint, ks_error *err);

/* Checks free text a person writes into the record (a note, a comment, a
 * reason; what names it): KS_EINPUT "WHAT must be 1 to 2000 bytes of UTF-8
 * text" (required) or "... at most 2000 bytes ..." (may be empty) unless it
 * is valid UTF-8 of that length, which JSON (the audit log, the API, the
 * pages) can always carry. */
ks_status exam_text_check(const char *what, const char *text, int required, ks_error *err);

/* The whole-form part of ks_exam_exercise (exercise_forms.c): a form drawn
 * on each seed 1..seeds, and the pass rule on each with every question
 * scored alike; one line of problems per distinct failure, and a note when
 * forms lie outside the declared balance. KS_ESCRIPT when there is a
 * failure, KS_EINTERNAL when memory ran out. */
ks_status exam_exercise_forms(ks_cert *cert, unsigned seeds, ks_diags *problems,
                              ks_diags *notes);
/* Whether text is valid UTF-8 (what the audit log's JSON can carry). */
int exam_is_utf8(const char *text);

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

/* A form drawn before a start's write transaction, with the candidate's
 * history it was drawn for: drawing is most of a start's work, and outside
 * the transaction simultaneous starts draw in parallel instead of one after
 * another (or it was drawn ahead, ks_exam_prepare). The transaction uses it
 * only if that history is still the candidate's (else it draws again). */
typedef struct exam_draft {
    char *history, *form; /* form NULL: nothing drawn */
    char *view;           /* drawn ahead: its questions as presented, else NULL */
    int version;          /* drawn ahead: the sitting's version that presented them */
    uint64_t seed;
} exam_draft;

typedef enum exam_draft_outcome {
    EXAM_DRAFT_DRAWN,   /* d holds the form and the history */
    EXAM_DRAFT_STARTED, /* the candidate has a running attempt, or one in this sitting */
    EXAM_DRAFT_REFUSED, /* the retake policy refuses a start at that time */
    EXAM_DRAFT_FAILED   /* the store or the draw failed (the start reports why) */
} exam_draft_outcome;

/* History for the retake policy (JSON) and the ids already seen, from the
 * candidate's earlier attempts at this code (list, n). */
ks_status exam_history_of(ks_exam *x, const ks_attempt *list, size_t n, char **history,
                          char ***seen, size_t *nseen, ks_error *err);

/* From the candidate's attempts at the code (list, n): the history for the
 * retake policy into d->history, the policy's verdict at time at, and when
 * it allows a start the form: ahead's (a form drawn ahead, may be NULL) when
 * its history is the same, taken from it with its view, else one drawn with
 * cert and the seed given (NULL: a random one). FAILED leaves err set; d's
 * fields are the caller's to free whatever the outcome, and *reason (a
 * refusal's words) too. */
exam_draft_outcome exam_draft_decide(ks_exam *x, const ks_attempt *list, size_t n,
                                     ks_cert *cert, const uint64_t *given_seed, int64_t at,
                                     exam_draft *ahead, exam_draft *d, char **reason,
                                     ks_error *err);

/* Draws into d the form a first attempt of the candidate in sitting s would
 * get at time at, with cert (the sitting's) and a random seed; STARTED when
 * the candidate has a running attempt, or one in s. d->history may be set
 * whatever the outcome. */
exam_draft_outcome exam_draft_form(ks_exam *x, const ks_sitting *s, int64_t candidate_id,
                                   ks_cert *cert, int64_t at, exam_draft *d);

/* The questions of form (JSON) as a candidate sees them, without answers,
 * as ks_exam_questions gives them: a JSON array (malloc'd) into *view. */
ks_status exam_present_form(ks_cert *cert, const char *form, char **view, ks_error *err);

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

/* Why an attempt is graded again, as a flag on its certificate says: a new
 * version of the sitting's sources, or a person's mark or override. */
typedef enum exam_cause { EXAM_BY_VERSION, EXAM_BY_MARK } exam_cause;

/* Inside the caller's transaction: stores *after (score, max_score, passed
 * and detail, computed with the certification of version s->version) as
 * the result of finished attempt a of sitting s, with its audit entry and
 * what it changed (exam_regraded, for cause); sets after's attempt,
 * version and time. KS_ESTATE when the sitting was amended since s was
 * read: a result is never labelled with a version it was not graded with. */
ks_status exam_store_result(ks_exam *x, const ks_sitting *s, const ks_attempt *a,
                            ks_result *after, exam_cause cause, ks_exam_grading *tally,
                            ks_error *err);

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
 * attempt's unrevoked certificate when after fails (the reason, Chinese,
 * names the cause: "第 2 版（REASON）重新评分后为 68.0%，不再通过",
 * "人工评分调整后为 68.0%，不再通过") and clears its flag when it passes
 * again, each audited. Counts in tally (may be NULL). */
ks_status exam_regraded(ks_exam *x, const ks_sitting *s, const ks_attempt *a,
                        const ks_result *before, const ks_result *after, exam_cause cause,
                        ks_exam_grading *tally, ks_error *err);

#endif
