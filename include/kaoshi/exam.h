/* The exam lifecycle: sittings (create, open = freeze, close), enrollment
 * with one-time access codes, attempts (atomic start under the retake
 * policy, answer saves acknowledged after commit, submit, deadline
 * finalisation), grading and results. Every state change is one store
 * transaction with its audit entry. The clock is the server's (ks_clock).
 * Uses store, clock, fileset and cert; knows nothing of Lua or HTTP. */
#ifndef KAOSHI_EXAM_H
#define KAOSHI_EXAM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "kaoshi/cert.h"
#include "kaoshi/clock.h"
#include "kaoshi/store.h"

typedef struct ks_exam {
    ks_store *store;
    const ks_clock *clock;
    const char *root;  /* project directory holding scripts/ and banks/ */
    const char *actor; /* who acts, for the audit log: "cli:proctor", "candidate:C001" */
    /* When given and set (by another thread), work over many candidates
     * (ks_exam_prepare) stops at the next candidate, keeping what is done. */
    const atomic_int *cancel;
} ks_exam;

/* Largest answer accepted, in bytes of JSON. */
#define KS_EXAM_MAX_RESPONSE 65536

/* Finds a certification on disk by code ("CCOM-WFMP") or script path
 * ("scripts/x.lua") and loads it; the file set records what it read. */
ks_status ks_exam_find_cert(const char *root, const char *ref, ks_fileset **fs,
                            ks_cert **cert, ks_diags *diags, ks_diags *warnings);

/* The script paths of every certification under root/scripts (not
 * scripts/lib), sorted; free with ks_cert_free_ids. */
ks_status ks_exam_script_paths(const char *root, char ***paths, size_t *n, ks_error *err);

/* Loads the sitting named name, refusing one that was never opened (a draft
 * has no frozen certification, attempts or results). */
ks_status ks_exam_opened_sitting(ks_exam *x, const char *name, ks_sitting *out,
                                 ks_error *err);

/* Loads the certification frozen with an open sitting. */
ks_status ks_exam_frozen_cert(ks_exam *x, const ks_sitting *s, ks_fileset **fs,
                              ks_cert **cert, ks_error *err);

/* Creates a draft sitting for the certification ref. The window is
 * [opens, closes) when both are given (ms UTC), else the certification's daily
 * window on date ("YYYY-MM-DD", in its time zone). */
ks_status ks_exam_sitting_create(ks_exam *x, const char *name, const char *ref,
                                 const char *date, int64_t opens, int64_t closes,
                                 int tz_offset_min, ks_sitting *out, ks_error *err);
/* Checks the certification again, exercises every hook of every item on
 * KS_EXERCISE_SEEDS seeds (kaoshi/exercise.h), and freezes the files it read
 * (modules hooks require while they run included) into the sitting. A
 * problem leaves the sitting a draft with nothing frozen: err (KS_EINPUT or
 * KS_ESCRIPT) holds the problems, one a line. */
ks_status ks_exam_sitting_open(ks_exam *x, const char *name, ks_error *err);
/* What ks_exam_prepare did for the sitting's enrolled candidates. */
typedef struct ks_prepared {
    size_t drawn;   /* forms drawn and stored now */
    size_t kept;    /* forms drawn earlier from the sitting's current version */
    size_t started; /* candidates with an attempt here, or running elsewhere */
    size_t refused; /* candidates the retake policy refuses a start */
    int cancelled;  /* x->cancel stopped it before every candidate was seen */
} ks_prepared;

/* Draws ahead, and stores with its questions as presented (the view
 * ks_exam_questions then shows without presenting again, while the sitting
 * keeps its version), the form each candidate enrolled in the open
 * sitting would get on starting: every candidate without one from the
 * sitting's current version who has no attempt in the sitting, none running
 * elsewhere, and whom the retake policy lets start at the opening (or now,
 * once open). A start then takes that form (same seed, same form as a draw
 * at the start) unless the sitting was amended or the candidate's history
 * changed since, when it draws anew; a retake, a given seed and a candidate
 * enrolled after the preparation draw at the start. cert: the sitting's
 * frozen certification, or NULL to load it. Forms are stored in
 * transactions of up to 256; a cancel (ks_exam.cancel) stores the forms
 * drawn so far and returns KS_OK with out->cancelled set. KS_ESTATE for a
 * draft or closed sitting. */
ks_status ks_exam_prepare(ks_exam *x, const char *sitting, ks_cert *cert, ks_prepared *out,
                          ks_error *err);
/* Closes the sitting; attempts still running are finished ("closed"). */
ks_status ks_exam_sitting_close(ks_exam *x, const char *name, size_t *finished, ks_error *err);

/* Enrolls n candidates in one transaction (all or none); codes[i] receives
 * candidate i's one-time access code (only its argon2id hash is stored). With
 * codes NULL the candidates get no code and can never log in (simulated
 * candidates, started with ks_exam_start_with). On failure *bad is
 * the index of the candidate at fault (or n). */
#define KS_ACCESS_CODE_LEN 10
typedef struct ks_enrollee {
    const char *number, *name;
} ks_enrollee;
ks_status ks_exam_enroll(ks_exam *x, const char *sitting, const ks_enrollee *list, size_t n,
                         char (*codes)[KS_ACCESS_CODE_LEN + 1], size_t *bad, ks_error *err);
/* The same with times[i] candidate i's accommodation (times NULL: none for
 * anyone), checked as ks_exam_accommodate checks it and written to the
 * enrollment's audit entry. */
ks_status ks_exam_enroll_with(ks_exam *x, const char *sitting, const ks_enrollee *list,
                              const ks_accommodation *times, size_t n,
                              char (*codes)[KS_ACCESS_CODE_LEN + 1], size_t *bad,
                              ks_error *err);

/* ---- accommodations (engine/exam/exam_accommodation.c) --------------------- */

/* Extra time as people write it (an enrolment file's extra_time column,
 * `kaoshi accommodate`): "" or "none" for none; a duration with its unit,
 * optionally after '+' ("30m", "+30m", "1h30m", "90s"); a factor of the
 * duration ("x1.25", "X1.25", "×1.25" or "125%"); or a factor and a
 * duration ("x1.25+10m"). Factors run from x1 to x4 in
 * hundredths, durations up to 24h. Otherwise KS_EINPUT "expected ..., found
 * 'TEXT'" (the caller names the field and where it is). */
ks_status ks_exam_accommodation_parse(const char *text, ks_accommodation *out, ks_error *err);

/* An accommodation in that grammar ("x1.25+10m", "30m", "none"; whole
 * seconds). Returns buf. */
#define KS_ACCOMMODATION_BUF 48
const char *ks_exam_accommodation_text(const ks_accommodation *t,
                                       char buf[KS_ACCOMMODATION_BUF]);

/* The time an accommodation adds to an attempt at a certification of
 * duration_ms: duration * (factor - 1) + extra. An attempt's deadline is the
 * earlier of its start plus the duration and the window's close, plus this:
 * the close moves back as far for the candidate, who never loses extra time
 * to it. Proctors' extensions and pauses add to that deadline. */
int64_t ks_exam_accommodation_ms(const ks_accommodation *t, int64_t duration_ms);

/* The extra time to show for enrolled candidate e and their latest attempt
 * a in a sitting of duration_ms (a NULL: none yet): the enrolment's
 * accommodation while it gives what a was started with, else (it changed
 * since) the time a got, as extra time alone; an attempt keeps the time it
 * started with. */
ks_accommodation ks_exam_attempt_accommodation(const ks_enrollment *e, const ks_attempt *a,
                                               int64_t duration_ms);

/* Sets the accommodation of candidate number in sitting (none removes it),
 * audited ("enroll.accommodate") with the one it replaces, which *before
 * receives (may be NULL). Attempts started afterwards get it; one already
 * running keeps its deadline (a proctor extends it). KS_ENOTFOUND when the
 * candidate is not enrolled there, KS_ESTATE once the sitting is closed. */
ks_status ks_exam_accommodate(ks_exam *x, const char *sitting, const char *number,
                              const ks_accommodation *time, ks_accommodation *before,
                              ks_error *err);

/* Checks candidate number's access code for sitting; *out is their
 * enrollment. KS_EINPUT for a wrong code, KS_ENOTFOUND when not enrolled
 * (taking as long as a wrong code). */
ks_status ks_exam_candidate_check(ks_exam *x, const char *sitting, const char *number,
                                  const char *access_code, ks_enrollment *out, ks_error *err);

/* Starts (or resumes the running) attempt of candidate number in sitting,
 * after checking the access code, the window and the retake policy. *resumed
 * tells which. A refusal by the retake policy is KS_ESTATE "candidate N may
 * not start another attempt: REASON", REASON being the policy's words for
 * the candidate (Chinese). A start is planned, then committed (the two steps
 * of ks_exam_start_plan and ks_exam_start_batch below); when the sitting or
 * the candidate's attempts changed in between, it is planned again. */
ks_status ks_exam_start(ks_exam *x, const char *sitting, const char *number,
                        const char *access_code, ks_attempt *out, int *resumed, ks_error *err);
/* The same for a candidate the caller has already authenticated with
 * ks_exam_candidate_check (a web session). */
ks_status ks_exam_start_authenticated(ks_exam *x, const char *sitting, const char *number,
                                      ks_attempt *out, int *resumed, ks_error *err);
/* The same with, when not NULL, the caller's copy of the sitting's frozen
 * certification (from ks_exam_frozen_cert: a sitting's files never change
 * once it is open, so it can stay loaded across calls) and the seed of the
 * new form (rather than a random one, so that a simulation replays).
 * *refusal (refusal may be NULL) receives, after a refusal by the retake
 * policy, its REASON (malloc'd: free it), and NULL otherwise: what a front
 * end shows the candidate, without parsing the message. */
ks_status ks_exam_start_with(ks_exam *x, const char *sitting, const char *number,
                             ks_cert *cert, const uint64_t *seed, ks_attempt *out,
                             int *resumed, char **refusal, ks_error *err);

/* ---- starts in groups (engine/exam/exam_start.c) ----------------------------
 * A start in two steps, so that simultaneous starts share one commit (the
 * server's group commit): the plan reads and decides everything outside any
 * transaction (the window, a running attempt to resume, the retake policy,
 * the form drawn ahead or drawn now), on any thread with its own connection
 * and certification; the commit, with no script run, checks inside the write
 * transaction that nothing the plan read has changed, and writes the attempt
 * (its form, the view kept from a form drawn ahead, the audit record). */
typedef struct ks_start_plan ks_start_plan;
typedef struct ks_exam_start_job {
    const char *sitting, *number; /* in */
    ks_cert *cert;       /* in: the sitting's frozen certification or NULL (loaded);
                            the commit sets it NULL when the sitting was amended */
    const uint64_t *seed; /* in: the new form's seed, or NULL for a random one */
    const char *actor;    /* in: who starts, for the audit log (NULL: the exam's actor) */
    ks_status status;     /* out, with err: KS_OK, or why the start failed */
    ks_error err;
    ks_attempt attempt;   /* out on KS_OK: the attempt started or resumed */
    int resumed;
    char *refusal;        /* out: the retake policy's REASON after its refusal */
    int replan;           /* out of the commit: KS_ESTATE because the sitting or
                             the candidate's attempts changed since the plan */
    ks_start_plan *plan;  /* between the steps: set while a commit is due */
} ks_exam_start_job;

/* Plans job's start at the clock's now. A job left without a plan is done:
 * resumed (KS_OK), refused or failed. */
void ks_exam_start_plan(ks_exam *x, ks_exam_start_job *job);
/* Commits in one write transaction the planned starts among jobs[0..n) and
 * drops their plans; each job's status says how its start went. A failed
 * commit (KS_EIO) fails every planned job and is returned. */
ks_status ks_exam_start_batch(ks_exam *x, ks_exam_start_job *const *jobs, size_t n,
                              ks_error *err);
/* Frees what the job holds (its plan, attempt and refusal). */
void ks_exam_start_job_free(ks_exam_start_job *job);

/* What the retake policy says of a candidate's next attempt at the
 * certification of cert (code): the attempts used (every one at the code,
 * in any sitting) and allowed (`attempts`), and, when another may start,
 * the earliest time it may (*at: now, or the end of `retake_wait` after the
 * last attempt; the whole policy, the script's `retake` included, is asked
 * at that time), else why not (*reason: the policy's words, Chinese). */
typedef struct ks_retake {
    int used, allowed;
    int64_t at;   /* when may_start; 0 otherwise */
    char *reason; /* malloc'd when another attempt may not start; else NULL */
} ks_retake;
ks_status ks_exam_retake(ks_exam *x, ks_cert *cert, int64_t candidate_id, const char *code,
                         ks_retake *out, ks_error *err);
void ks_retake_free(ks_retake *r);

/* Saves an answer to slot (0-based); returns after the commit. */
ks_status ks_exam_answer(ks_exam *x, int64_t attempt_id, int slot, const char *response_json,
                         const char *client_key, int64_t *seq, ks_error *err);

/* Saves a group of answers in one transaction (group commit): each is
 * checked as ks_exam_answer checks it and gets its own status; the call
 * fails (and every save with it) only when the transaction does. With
 * base_seq >= 0 a save is refused (conflict set, KS_ESTATE) unless save
 * base_seq is the slot's latest: so a stale page never overwrites a newer
 * answer, and a base ahead of what is stored is no licence either; a retried
 * client_key is acknowledged with its first seq. */
typedef struct ks_exam_save {
    int64_t attempt_id;
    int slot;
    const char *response_json;
    const char *client_key; /* may be NULL */
    int64_t base_seq;       /* the save the client last saw for the slot, 0 none, -1 any */
    ks_status status;       /* out */
    int64_t seq;            /* out: the save's number */
    int conflict;           /* out: refused for a newer save of the slot */
    ks_error err;           /* out: why, when status is not KS_OK */
} ks_exam_save;
ks_status ks_exam_answer_batch(ks_exam *x, ks_exam_save *saves, size_t n, ks_error *err);

/* Flags (or unflags) a question of a running attempt for the candidate's
 * review. */
ks_status ks_exam_flag(ks_exam *x, int64_t attempt_id, int slot, int flagged, ks_error *err);

/* ---- permitted aids (engine/exam/exam_aids.c) ------------------------------ */

/* Records that the candidate of running attempt attempt_id used aid:
 * "calculator", the exam page's on-screen calculator (the page reports its
 * first calculation on each load), audited ("attempt.aid": {aid}) once per
 * attempt and aid: a later use is not written again. cert is
 * the attempt's sitting's frozen certification. KS_EINPUT for an aid Kaoshi
 * does not know or the certification does not permit (its `aids`),
 * KS_ESTATE when the attempt has ended or is paused. */
ks_status ks_exam_aid_used(ks_exam *x, ks_cert *cert, int64_t attempt_id, const char *aid,
                           ks_error *err);

/* Finishes an attempt now ("submitted", or "forced" by a proctor). A paused
 * attempt can only be forced; a candidate's submit in the grace after the
 * deadline finishes it at the deadline ("deadline"). */
ks_status ks_exam_submit(ks_exam *x, int64_t attempt_id, const char *reason, ks_error *err);

/* Time left in an attempt at now: frozen while it is paused, 0 once it is
 * finished or past its deadline. */
int64_t ks_exam_time_left(const ks_attempt *a, int64_t now);

/* Finishes, at their deadline, the running attempts of a sitting (0 = all
 * sittings) whose deadline plus grace has passed. */
ks_status ks_exam_finalize_overdue(ks_exam *x, int64_t sitting_id, size_t *count,
                                   ks_error *err);

/* ---- what the candidate sees (engine/exam_view.c) -------------------------- */

/* The questions of attempt a as its candidate sees them, presented by cert
 * (the sitting's frozen certification): a JSON array (malloc'd), in the
 * form's order, of {"slot" (0-based), "section", "points", "view" (what the
 * question type presents, never a key), "answer" (the latest saved response,
 * or null), "seq" (its save number, 0 for none), "flagged"}. With keys (for
 * proctors and authors, never for a candidate) each also holds the "key"
 * that ks_cert_present gives. Reals are written shortest (kaoshi/json_text.h):
 * a view kept from a form drawn ahead is the very text stored. */
ks_status ks_exam_questions(ks_exam *x, ks_cert *cert, const ks_attempt *a, int keys,
                            char **json_out, ks_error *err);

/* ---- proctors (engine/exam_proctor.c) -------------------------------------- */

/* Adds a proctor account; only the password's argon2id hash is stored. Names
 * are 1 to 64 letters, digits, '-', '_' or '.'; passwords 8 to 1024 bytes. */
ks_status ks_exam_proctor_add(ks_exam *x, const char *name, const char *password,
                              ks_error *err);
/* Checks a proctor's name and password. KS_EINPUT "wrong proctor name or
 * password" for either, taking as long whether or not the name exists. */
ks_status ks_exam_proctor_check(ks_exam *x, const char *name, const char *password,
                                ks_error *err);

/* A proctor's actions on one running attempt; x->actor names the proctor in
 * the audit log. extend gives delta_ms more (1 second to 24 hours); pause
 * stops the attempt's clock (answers and the candidate's submit are refused
 * and the deadline cannot pass); resume restarts it, adding the paused time
 * to the deadline. *deadline (may be NULL) receives the new deadline. */
ks_status ks_exam_extend(ks_exam *x, int64_t attempt_id, int64_t delta_ms, int64_t *deadline,
                         ks_error *err);
ks_status ks_exam_pause(ks_exam *x, int64_t attempt_id, ks_error *err);
ks_status ks_exam_resume(ks_exam *x, int64_t attempt_id, int64_t *deadline, ks_error *err);

/* Records an incident note (1 to 2000 bytes of UTF-8) about an attempt,
 * running or finished, by x->actor. */
#define KS_EXAM_MAX_NOTE 2000
ks_status ks_exam_note(ks_exam *x, int64_t attempt_id, const char *text, ks_error *err);

/* Grades every finished attempt of the sitting from the frozen files and the
 * stored answers; re-grading gives the same results. */
ks_status ks_exam_grade(ks_exam *x, const char *sitting, size_t *graded, ks_error *err);

/* ---- amendments, regrading, results (engine/exam/exam_amend.c,
 * exam_regrade.c, exam_results.c) ------------------------------------------ */

/* What grading a sitting did: the finished attempts graded with the
 * sitting's current version of its sources, the results that version
 * changed (recorded as ks_result_change), and the certificates flagged
 * because their result no longer passes or cleared because it passes
 * again (a flag never revokes); published_at, when the sitting's results
 * were published (0: they are not): changed results are then what its
 * candidates see from now on. */
typedef struct ks_exam_grading {
    int version;
    size_t graded, changed, flagged, cleared;
    int64_t published_at;
} ks_exam_grading;
/* ks_exam_grade, telling what it did; once the results are published, a
 * grading that changes any is audited ("results.regrade": version, graded,
 * changed, flagged, cleared). */
ks_status ks_exam_regrade(ks_exam *x, const char *sitting, ks_exam_grading *out,
                          ks_error *err);

/* Freezes the certification as it is on disk now (found by the sitting's
 * script path, loaded, checked and exercised as ks_exam_sitting_open does)
 * into an open or closed sitting as its next version, by x->actor for
 * reason (1 to KS_EXAM_MAX_NOTE bytes of UTF-8), audited ("sitting.amend":
 * version, reason, hashes before and after, the files changed, added and
 * removed, the warnings), in one transaction. Forms already drawn keep
 * their items, data and points and are graded with the new version from
 * then on; new attempts draw from it; the sitting's window and timing stay
 * as they were frozen at open. Refused (KS_ESTATE) for a draft, for
 * sources byte-identical to the current version's, and when a question
 * drawn on any form of the sitting has its item missing from the amended
 * banks, of another type, failing to present its data, taking answers of
 * another shape or showing its options in other places (answers name them
 * by their place); the certification's own problems are KS_EINPUT or
 * KS_ESCRIPT as at open. Nothing is written on a refusal. warnings: what
 * the amendment does not change, a line each: the points of drawn
 * questions whose section or item points changed ("12 drawn questions keep
 * the points their forms were drawn with (section 2: 10 → 20); attempts
 * started from now on get the new points"), and a duration, grace or daily
 * window declared otherwise ("sitting 's1' keeps the timing frozen at
 * open; the amendment's changes to it do not apply (duration 30 → 45
 * minutes)"). */
typedef struct ks_exam_amended {
    int version;
    char sources_hash[65];
    char **files; /* "changed PATH", "added PATH", "removed PATH", by path */
    size_t nfiles; /* free files with ks_cert_free_ids */
    char **warnings;
    size_t nwarnings; /* free warnings with ks_cert_free_ids */
} ks_exam_amended;
ks_status ks_exam_sitting_amend(ks_exam *x, const char *name, const char *reason,
                                ks_exam_amended *out, ks_error *err);

/* The results of a sitting as a JSON array (malloc'd) of every attempt, by
 * id: {candidate, name, attempt (the candidate's attempt number), id, state
 * ("running" or "finished"), outcome ("running", "ungraded", "pending",
 * "pass", "fail") and, once graded, score, max_score, percent, version (of
 * the sources it was graded with), reason (when the grading detail gives
 * one) and, with details, detail}; certificate {number, state ("valid",
 * "flagged" or "revoked"), reason} when the attempt has one. Overdue
 * attempts are finished first. */
ks_status ks_exam_results(ks_exam *x, const char *sitting, int details, char **json_out,
                          ks_error *err);

/* The amendments of a sitting and what they changed, as a JSON object
 * (malloc'd): version (the current one); versions [{version, at, actor,
 * reason, sources_hash}], oldest first; changes [{version, at, id,
 * candidate, name, attempt, before, after, certificate}] by version then
 * attempt, before and after each {score, max_score, percent, outcome} and
 * certificate as in ks_exam_results or null; flagged [{number, candidate,
 * name, attempt, id, flagged_at, reason}], the certificates flagged now. */
ks_status ks_exam_amendments(ks_exam *x, const char *sitting, char **json_out, ks_error *err);

/* ---- manual grading (engine/exam_marking.c) --------------------------------- */

/* Records grader's mark for question slot (0-based) of a finished attempt:
 * fraction (0 to 1) of the question's points, with an optional comment (at
 * most KS_EXAM_MAX_NOTE bytes; NULL or "" for none), audited as x->actor
 * ("answer.mark"); then grades the attempt again. Only questions of a type
 * graded by a person (manual = true, e.g. essays) take marks; marking again
 * replaces the mark. */
ks_status ks_exam_mark(ks_exam *x, int64_t attempt_id, int slot, double fraction,
                       const char *grader, const char *comment, ks_error *err);
/* Overrides the score the question's type gave question slot (one scored
 * automatically) with fraction, for the reason the comment gives (required),
 * audited ("mark.override": the question, the fraction before and after, the
 * grader, the comment); then grades the attempt again. Overriding again
 * replaces the override. */
ks_status ks_exam_override(ks_exam *x, int64_t attempt_id, int slot, double fraction,
                           const char *grader, const char *comment, ks_error *err);
/* Removes the mark or override of question slot (the comment, optional, says
 * why), audited ("mark.clear": the fraction before and after), then grades
 * the attempt again: the question's type scores the answer again, or an
 * essay waits for a mark again. KS_ENOTFOUND when it has none. */
ks_status ks_exam_mark_clear(ks_exam *x, int64_t attempt_id, int slot, const char *grader,
                             const char *comment, ks_error *err);
/* Marks, overrides and clearing them are refused (KS_ESTATE) while the
 * attempt runs and once the sitting's results are published. */

/* What a person grades in the sitting's finished attempts, as a JSON object
 * (malloc'd): "waiting", the answers that wait for a mark, each {attempt,
 * label, candidate, question (from 1), item, points, stem, rubric (null when
 * none), response}; and "marked", the marks and overrides given, each
 * {attempt, label, candidate, question, item, points, fraction, override
 * (true: it replaces the automatic score), auto_fraction (the question
 * type's own score, when the grading detail has it; else null), grader,
 * comment, marked_at}; both in attempt and question order. label ("A-1",
 * "A-2", ...) names the attempt anonymously: the sitting's attempts ranked
 * by a hash of their form's seed, an order that tells nothing of the
 * candidate (it shifts only when an attempt starts). */
ks_status ks_exam_marking(ks_exam *x, const char *sitting, char **json_out, ks_error *err);
/* The same for marking blind (the server's console): no candidate, both
 * lists in label and question order. */
ks_status ks_exam_marking_blind(ks_exam *x, const char *sitting, char **json_out,
                                ks_error *err);

/* Publishes the results of a closed sitting to its candidates, as x->actor
 * (audited): grades every attempt again and refuses (KS_ESTATE) while any
 * answer still waits for a mark, or when the results already are published.
 * Marks cannot change afterwards. *count: the attempts published. */
ks_status ks_exam_publish(ks_exam *x, const char *sitting, size_t *count, ks_error *err);

#endif
