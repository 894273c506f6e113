/* Storage: the one narrow interface between the exam lifecycle and its
 * database. SQLite in WAL mode with synchronous=FULL, the schema versioned by
 * PRAGMA user_version with forward migrations, prepared statements only, one
 * write path per entity. A function that changes state either runs inside a
 * transaction the caller opened with ks_store_begin, or (when none is open)
 * in its own; either way nothing is acknowledged before COMMIT returns.
 * Scripts never see the store. Plain C over libsqlite3.
 *
 * Returned rows own their strings: free a row's contents with the matching
 * *_free (the struct itself is the caller's) and a list with *_list_free. */
#ifndef KAOSHI_STORE_H
#define KAOSHI_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "kaoshi/error.h"
#include "kaoshi/fileset.h"

typedef struct ks_store ks_store;

/* Opens (creating and migrating) the database at path. */
ks_status ks_store_open(const char *path, ks_store **out, ks_error *err);
void ks_store_close(ks_store *st);

/* The schema version this build writes. */
int ks_store_schema_version(void);

/* BEGIN IMMEDIATE: takes the write lock now, so a read-then-write decision
 * (how many attempts exist? insert one) cannot race another writer. */
ks_status ks_store_begin(ks_store *st, ks_error *err);
ks_status ks_store_commit(ks_store *st, ks_error *err);
void ks_store_rollback(ks_store *st);

/* ---- sittings ------------------------------------------------------------ */
typedef enum ks_sitting_state { KS_SITTING_DRAFT, KS_SITTING_OPEN, KS_SITTING_CLOSED } ks_sitting_state;
const char *ks_sitting_state_name(ks_sitting_state s);

typedef struct ks_sitting {
    int64_t id;
    char *name;   /* proctor's handle, unique: "wfmp-2027-07" */
    char *code;   /* certification code: "CCOM-WFMP" */
    char *script; /* path of the certification script */
    int64_t opens_at, closes_at; /* window, ms UTC */
    int tz_offset_min;           /* for display */
    ks_sitting_state state;
    char *sources_hash; /* sha256 of the frozen sources, "" until opened */
    int64_t created_at, opened_at, closed_at; /* 0 when not yet */
    int64_t duration_ms, grace_ms; /* frozen with the sources at open */
    int version; /* of the frozen sources: 1 at open, one more per amendment */
} ks_sitting;

void ks_sitting_free(ks_sitting *s);

/* Inserts a draft sitting (s->id is set). KS_EINPUT if the name is taken. */
ks_status ks_store_sitting_create(ks_store *st, ks_sitting *s, ks_error *err);
/* KS_ENOTFOUND when no sitting has this name. */
ks_status ks_store_sitting_get(ks_store *st, const char *name, ks_sitting *out, ks_error *err);
ks_status ks_store_sitting_by_id(ks_store *st, int64_t id, ks_sitting *out, ks_error *err);
/* All sittings, oldest first; free each and the array. */
ks_status ks_store_sitting_list(ks_store *st, ks_sitting **out, size_t *n, ks_error *err);
/* draft -> open, recording the frozen sources' hash and the timing they
 * declare; KS_ESTATE unless the sitting was a draft. */
ks_status ks_store_sitting_open(ks_store *st, int64_t id, int64_t at, const char *sources_hash,
                                int64_t duration_ms, int64_t grace_ms, ks_error *err);
/* open -> closed; KS_ESTATE unless the sitting was open. */
ks_status ks_store_sitting_close(ks_store *st, int64_t id, int64_t at, ks_error *err);

/* ---- frozen sources (script, modules, banks) of a sitting, by version ----- */
ks_status ks_store_source_put(ks_store *st, int64_t sitting_id, int version,
                              const ks_source *src, ks_error *err);
ks_status ks_store_sources(ks_store *st, int64_t sitting_id, int version, ks_source **out,
                           size_t *n, ks_error *err);

/* ---- versions of a sitting's frozen sources: who froze each, when, why ----- */
typedef struct ks_sitting_version {
    int64_t sitting_id;
    int version;        /* 1: frozen at open; 2, 3, ...: amendments */
    char *sources_hash; /* sha256 of that version's sources */
    int64_t at;
    char *actor;  /* "" for a version 1 frozen before versions were recorded */
    char *reason; /* "" for version 1 */
} ks_sitting_version;

void ks_sitting_version_free(ks_sitting_version *v);
/* Records a version (its sources stored with ks_store_source_put).
 * KS_ESTATE when the sitting already has that version. */
ks_status ks_store_version_add(ks_store *st, const ks_sitting_version *v, ks_error *err);
/* The versions of a sitting, oldest first. */
ks_status ks_store_versions(ks_store *st, int64_t sitting_id, ks_sitting_version **out,
                            size_t *n, ks_error *err);
/* Makes version (the current one plus 1) with sources_hash the sitting's
 * current version; KS_ESTATE when the sitting is a draft or its version is
 * not version - 1 (another amendment came first). */
ks_status ks_store_sitting_amend(ks_store *st, int64_t id, int version, const char *sources_hash,
                                 ks_error *err);

/* ---- candidates and enrollment ------------------------------------------- */
/* Extra time granted to a candidate at enrolment, for every attempt in the
 * sitting: the time allowed is duration * factor_pct / 100 + extra_ms. */
typedef struct ks_accommodation {
    int64_t extra_ms; /* 0 for none */
    int factor_pct;   /* 100 for none; at least 100 */
} ks_accommodation;

typedef struct ks_enrollment {
    int64_t sitting_id, candidate_id;
    char *number; /* candidate number, unique across the installation */
    char *name;
    char *access_hash; /* argon2id string of the one-time access code */
    int64_t enrolled_at;
    ks_accommodation time;
} ks_enrollment;

void ks_enrollment_free(ks_enrollment *e);
/* Creates the candidate if the number is new (the name is updated otherwise)
 * and enrolls them, with time (NULL: none). KS_EINPUT if already enrolled in
 * this sitting. */
ks_status ks_store_enroll(ks_store *st, int64_t sitting_id, const char *number,
                          const char *name, const char *access_hash,
                          const ks_accommodation *time, int64_t at, int64_t *candidate_id,
                          ks_error *err);
/* Replaces an enrolled candidate's accommodation (the attempts started
 * before keep what theirs added: ks_attempt.accommodation_ms); KS_ENOTFOUND
 * when not enrolled. */
ks_status ks_store_accommodation_set(ks_store *st, int64_t sitting_id, int64_t candidate_id,
                                     const ks_accommodation *time, ks_error *err);
ks_status ks_store_enrollment_get(ks_store *st, int64_t sitting_id, const char *number,
                                  ks_enrollment *out, ks_error *err);
ks_status ks_store_enrollments(ks_store *st, int64_t sitting_id, ks_enrollment **out,
                               size_t *n, ks_error *err);

/* ---- forms drawn ahead ------------------------------------------------------ */
/* A candidate's next form, drawn before they start (ks_exam_prepare). A start
 * takes it when the sitting is still at the version and the candidate's
 * history (earlier attempts at the code, as the retake policy reads it) is
 * still the one it was drawn for; else it draws anew. */
typedef struct ks_drawn_form {
    int64_t sitting_id, candidate_id;
    int version;   /* the sitting's version it was drawn from */
    char *history; /* the candidate's history it was drawn for (JSON) */
    uint64_t seed;
    char *form; /* JSON: the drawn form, as ks_attempt.form */
    char *view; /* JSON: its questions as the candidate sees them, without
                   answers (ks_exam_questions) */
    int64_t drawn_at;
} ks_drawn_form;

void ks_drawn_form_free(ks_drawn_form *d);
/* Stores d, replacing the candidate's earlier one. */
ks_status ks_store_drawn_put(ks_store *st, const ks_drawn_form *d, ks_error *err);
/* The candidate's form drawn ahead; KS_ENOTFOUND when there is none. */
ks_status ks_store_drawn_get(ks_store *st, int64_t sitting_id, int64_t candidate_id,
                             ks_drawn_form *out, ks_error *err);
/* How many candidates enrolled in the sitting have neither a form drawn
 * ahead from its version nor an attempt in it. */
ks_status ks_store_undrawn_count(ks_store *st, int64_t sitting_id, int version, size_t *n,
                                 ks_error *err);
/* Forgets the candidate's form drawn ahead, if any (an attempt started). */
ks_status ks_store_drawn_delete(ks_store *st, int64_t sitting_id, int64_t candidate_id,
                                ks_error *err);

/* The view of an attempt's questions (ks_exam_questions, without answers)
 * presented by the sitting's version: kept so that showing the attempt
 * again needs no presenting while the sitting stays at that version. */
ks_status ks_store_attempt_view_put(ks_store *st, int64_t attempt_id, int version,
                                    const char *view, ks_error *err);
/* KS_ENOTFOUND when none is kept; *view is malloc'd. */
ks_status ks_store_attempt_view_get(ks_store *st, int64_t attempt_id, int *version, char **view,
                                    ks_error *err);

/* ---- attempts ------------------------------------------------------------ */
typedef enum ks_attempt_state { KS_ATTEMPT_ACTIVE, KS_ATTEMPT_FINISHED } ks_attempt_state;

typedef struct ks_attempt {
    int64_t id, sitting_id, candidate_id;
    char *code;   /* certification code, to count retakes across sittings */
    int number;   /* 1 for the first attempt at this code, 2 for a retake, ... */
    uint64_t seed;
    char *form;   /* JSON: the drawn form */
    int64_t started_at, deadline_at, finished_at;
    int64_t accommodation_ms; /* what the candidate's accommodation added at the start */
    int64_t extra_ms; /* extensions granted and time spent paused */
    ks_attempt_state state;
    char *finish_reason; /* "submitted", "deadline", "forced"; "" while active */
    int64_t paused_at;   /* start of the pause in progress; 0 when not paused */
    size_t nslots;       /* questions on the form (read from it by the store) */
    char *receipt; /* drawn when it finishes: 8 random hex digits; "" while active */
} ks_attempt;

void ks_attempt_free(ks_attempt *a);
/* Inserts (a->id set). The pair (candidate, code, number) is unique, so two
 * racing starts can never both insert attempt N: the loser gets KS_ESTATE. */
ks_status ks_store_attempt_insert(ks_store *st, ks_attempt *a, ks_error *err);
ks_status ks_store_attempt_get(ks_store *st, int64_t id, ks_attempt *out, ks_error *err);
/* Whose an attempt is: its candidate and sitting, without reading the rest
 * of the row (its form). KS_ENOTFOUND when there is no such attempt. */
ks_status ks_store_attempt_owner(ks_store *st, int64_t id, int64_t *candidate_id,
                                 int64_t *sitting_id, ks_error *err);
/* Every attempt of a candidate at a certification code, oldest first. */
ks_status ks_store_attempts_of(ks_store *st, int64_t candidate_id, const char *code,
                               ks_attempt **out, size_t *n, ks_error *err);
/* Every attempt in a sitting, by id. */
ks_status ks_store_attempts_in(ks_store *st, int64_t sitting_id, ks_attempt **out,
                               size_t *n, ks_error *err);
/* The running attempts of a sitting whose deadline is before `before`, by id:
 * the ones a deadline may have to finish, found without reading the rest. */
ks_status ks_store_attempts_due(ks_store *st, int64_t sitting_id, int64_t before,
                                ks_attempt **out, size_t *n, ks_error *err);
ks_status ks_store_attempt_finish(ks_store *st, int64_t id, int64_t at, const char *reason,
                                  ks_error *err);
ks_status ks_store_attempt_extend(ks_store *st, int64_t id, int64_t extra_ms,
                                  int64_t new_deadline, ks_error *err);

/* ---- answers: every save is kept; the latest per slot counts -------------- */
typedef struct ks_answer {
    int slot;       /* index of the question in the form, from 0 */
    char *response; /* JSON */
    int64_t saved_at;
    int64_t seq;    /* increasing save number */
} ks_answer;

void ks_answer_free(ks_answer *a);
/* Appends a save. client_key (may be NULL) makes a retried save idempotent:
 * a second save with the same key is not stored again and *seq is the first. */
ks_status ks_store_answer_save(ks_store *st, int64_t attempt_id, int slot,
                               const char *response, int64_t at, const char *client_key,
                               int64_t *seq, ks_error *err);
/* The seq of the save stored with client_key; KS_ENOTFOUND when none was. */
ks_status ks_store_answer_by_key(ks_store *st, int64_t attempt_id, const char *client_key,
                                 int64_t *seq, ks_error *err);
/* The latest save of each slot, by slot. */
ks_status ks_store_answers_latest(ks_store *st, int64_t attempt_id, ks_answer **out,
                                  size_t *n, ks_error *err);

/* ---- results --------------------------------------------------------------- */
typedef struct ks_result {
    int64_t attempt_id;
    double score, max_score;
    int passed;
    char *detail; /* JSON: sections and items */
    int64_t graded_at;
    int version; /* of the sitting's sources it was graded with */
} ks_result;

void ks_result_free(ks_result *r);
/* Inserts or replaces the result of an attempt (re-grading replaces). */
ks_status ks_store_result_put(ks_store *st, const ks_result *r, ks_error *err);
ks_status ks_store_result_get(ks_store *st, int64_t attempt_id, ks_result *out, ks_error *err);

/* What regrading under a new version of a sitting's sources changed in one
 * attempt's result: the result graded with an earlier version, and the one
 * graded with this version. */
typedef struct ks_result_change {
    int64_t attempt_id;
    int version;
    int64_t at;
    double score_before, max_before, score_after, max_after;
    int passed_before, passed_after; /* 1, 0, or -1 while waiting for a mark */
} ks_result_change;
/* Records a change; a change already recorded for the attempt and version is
 * replaced. */
ks_status ks_store_result_change_put(ks_store *st, const ks_result_change *c, ks_error *err);
/* The changes of a sitting's attempts, by version then attempt. */
ks_status ks_store_result_changes(ks_store *st, int64_t sitting_id, ks_result_change **out,
                                  size_t *n, ks_error *err);

/* ---- marks: a person's grading of answers no question type scores, or
 * their override of an automatic score ----------------------------------- */
typedef struct ks_mark {
    int64_t attempt_id;
    int slot;        /* question on the form, from 0 */
    double fraction; /* of the question's points, 0 to 1 */
    char *grader;
    char *comment;   /* "" when none */
    int64_t marked_at;
    int override;    /* 1: replaces the score the question's type gave */
} ks_mark;

void ks_mark_free(ks_mark *m);
/* Inserts or replaces the mark of one answer (marking again replaces). */
ks_status ks_store_mark_put(ks_store *st, const ks_mark *m, ks_error *err);
/* The marks of an attempt, by slot. */
ks_status ks_store_marks(ks_store *st, int64_t attempt_id, ks_mark **out, size_t *n,
                         ks_error *err);
/* Removes the mark of one answer; KS_ENOTFOUND when it has none. */
ks_status ks_store_mark_delete(ks_store *st, int64_t attempt_id, int slot, ks_error *err);

/* ---- publication of a sitting's results to its candidates ------------------ */
/* Records the publication; KS_ESTATE if the sitting's results already are. */
ks_status ks_store_publish(ks_store *st, int64_t sitting_id, int64_t at, const char *actor,
                           ks_error *err);
/* *at: when the sitting's results were published, 0 when they are not. */
ks_status ks_store_published(ks_store *st, int64_t sitting_id, int64_t *at, ks_error *err);

/* ---- audit log --------------------------------------------------------------- */
/* Appends who did what when; sitting_id/attempt_id 0 when not about one. */
ks_status ks_store_audit(ks_store *st, int64_t at, const char *actor, const char *action,
                         int64_t sitting_id, int64_t attempt_id, const char *detail,
                         ks_error *err);

typedef struct ks_audit_entry {
    int64_t id, at, sitting_id, attempt_id;
    char *actor, *action, *detail;
    char *candidate; /* the number of the attempt's candidate; "" when not about one */
} ks_audit_entry;
void ks_audit_entry_free(ks_audit_entry *e);
ks_status ks_store_audit_list(ks_store *st, int64_t sitting_id, ks_audit_entry **out,
                              size_t *n, ks_error *err);
/* *id: the newest audit entry's id, 0 when there is none. */
ks_status ks_store_audit_newest(ks_store *st, int64_t *id, ks_error *err);
/* Up to `limit` audit entries with an id above after_id, oldest first: of
 * every sitting (sitting_id 0) or of one; with attempt_id, of one sitting only
 * the entries about that attempt and the sitting's close. */
ks_status ks_store_audit_after(ks_store *st, int64_t sitting_id, int64_t attempt_id,
                               int64_t after_id, int limit, ks_audit_entry **out, size_t *n,
                               ks_error *err);

/* ---- proctors -------------------------------------------------------------- */
typedef struct ks_proctor {
    int64_t id;
    char *name;
    char *password_hash; /* argon2id string */
    int64_t created_at;
} ks_proctor;

void ks_proctor_free(ks_proctor *p);
/* KS_EINPUT if the name is taken. */
ks_status ks_store_proctor_add(ks_store *st, const char *name, const char *password_hash,
                               int64_t at, ks_error *err);
/* KS_ENOTFOUND when no proctor has this name. */
ks_status ks_store_proctor_get(ks_store *st, const char *name, ks_proctor *out, ks_error *err);
/* All proctors, by name. */
ks_status ks_store_proctor_list(ks_store *st, ks_proctor **out, size_t *n, ks_error *err);

/* ---- pauses: intervals during which an attempt's clock stood still --------- */
/* Opens a pause at `at`; KS_ESTATE if one is already open. */
ks_status ks_store_pause_begin(ks_store *st, int64_t attempt_id, int64_t at, ks_error *err);
/* Closes the open pause at `at`; KS_ESTATE if none is open. */
ks_status ks_store_pause_end(ks_store *st, int64_t attempt_id, int64_t at, ks_error *err);

/* ---- incident notes ---------------------------------------------------------- */
typedef struct ks_note {
    int64_t id, sitting_id, attempt_id, at;
    char *author, *text;
} ks_note;

void ks_note_free(ks_note *n);
ks_status ks_store_note_add(ks_store *st, int64_t sitting_id, int64_t attempt_id, int64_t at,
                            const char *author, const char *text, ks_error *err);
/* The notes of a sitting, oldest first. */
ks_status ks_store_notes(ks_store *st, int64_t sitting_id, ks_note **out, size_t *n,
                         ks_error *err);

/* ---- web sessions ------------------------------------------------------------- */
typedef struct ks_session {
    char *token_hash;   /* hex digest of the session token (the token is never stored) */
    char *kind;         /* "candidate" or "proctor" */
    int64_t subject_id; /* the candidate's or the proctor's id */
    char *subject;      /* candidate number or proctor name */
    int64_t sitting_id; /* a candidate's sitting; 0 for proctors */
    char *csrf;         /* the token state-changing requests must echo */
    int64_t created_at, expires_at;
} ks_session;

void ks_session_free(ks_session *s);
ks_status ks_store_session_put(ks_store *st, const ks_session *s, ks_error *err);
/* KS_ENOTFOUND when no session has this token hash. */
ks_status ks_store_session_get(ks_store *st, const char *token_hash, ks_session *out,
                               ks_error *err);
ks_status ks_store_session_delete(ks_store *st, const char *token_hash, ks_error *err);
/* Deletes the sessions that expired at or before now. */
ks_status ks_store_sessions_expire(ks_store *st, int64_t now, ks_error *err);

/* ---- questions a candidate flagged for review --------------------------------- */
ks_status ks_store_flag_set(ks_store *st, int64_t attempt_id, int slot, int flagged,
                            ks_error *err);
/* The flagged slots of an attempt, ascending; free *slots. */
ks_status ks_store_flags(ks_store *st, int64_t attempt_id, int **slots, size_t *n,
                         ks_error *err);

/* ---- answer summaries ------------------------------------------------------------ */
/* The seq of the latest save of a slot, 0 when it has none. */
ks_status ks_store_answer_last_seq(ks_store *st, int64_t attempt_id, int slot, int64_t *seq,
                                   ks_error *err);

typedef struct ks_answer_count {
    int64_t attempt_id;
    int answered;          /* slots with at least one save */
    int64_t last_saved_at; /* the latest save */
} ks_answer_count;
/* One entry per attempt of the sitting that has saves, by attempt id; free
 * the array. */
ks_status ks_store_answer_counts(ks_store *st, int64_t sitting_id, ks_answer_count **out,
                                 size_t *n, ks_error *err);

/* Free an array returned by a list function, with its elements. */
void ks_sitting_list_free(ks_sitting *a, size_t n);
void ks_source_list_free(ks_source *a, size_t n);
void ks_enrollment_list_free(ks_enrollment *a, size_t n);
void ks_attempt_list_free(ks_attempt *a, size_t n);
void ks_answer_list_free(ks_answer *a, size_t n);
void ks_audit_entry_list_free(ks_audit_entry *a, size_t n);
void ks_proctor_list_free(ks_proctor *a, size_t n);
void ks_note_list_free(ks_note *a, size_t n);
void ks_mark_list_free(ks_mark *a, size_t n);
void ks_sitting_version_list_free(ks_sitting_version *a, size_t n);

#endif
