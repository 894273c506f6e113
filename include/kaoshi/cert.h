/* A loaded certification: its script (run in the Lua sandbox), its banks and
 * the hooks the exam lifecycle calls. Forms, answers, presentations and
 * results cross this interface as JSON text, so callers never see Lua.
 * Implemented in the Lua layer: engine/lua/cert.c (loading) and
 * engine/lua/cert_hooks.c (the hooks). */
#ifndef KAOSHI_CERT_H
#define KAOSHI_CERT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "kaoshi/bank.h"
#include "kaoshi/error.h"
#include "kaoshi/fileset.h"

typedef struct ks_cert ks_cert;

typedef struct ks_cert_section {
    const char *title;
    int pick;
    double points;    /* per question, unless an item has points of its own */
    /* The section's minimum (`min`): a percentage of the section's maximum
     * on the form, or points; each -1 when not declared (at most one is
     * not). A candidate under it fails, whatever the total. */
    double min_percent, min_points;
    size_t pool_size; /* items that match the section's draw rules */
    const size_t *pool; /* their indices, for ks_cert_item */
    /* The distinct units of the pool (kaoshi/groups.h: a group, or an item
     * without one), ascending: a form takes at most one item of each, so
     * nunits, not pool_size, bounds what the section can draw. */
    const size_t *units;
    size_t nunits;
    const char *rule; /* the draw rules in words, for messages */
} ks_cert_section;

typedef struct ks_cert_info {
    const char *code, *title, *review, *timezone;
    int64_t duration_ms, grace_ms;
    int attempts;
    int64_t retake_wait_ms; /* the least time between attempts (retake_wait); 0 for none */
    int has_window; /* a daily window declared as HH:MM..HH:MM */
    int window_opens_min, window_closes_min; /* minutes after midnight, local */
    int tz_offset_min;
    /* max_score: Σ pick × points of the sections, the maximum score of
     * every form when no item has points of its own. When some have, forms
     * differ, and each form's maximum lies between max_score_min and
     * max_score_max (the sums over sections of the pick lowest and highest
     * points its pool offers); without them all three are equal. */
    double max_score, max_score_min, max_score_max;
    /* The pass mark in percent of the form's maximum, or -1 when pass is a
     * function; either way a section under its minimum fails the candidate
     * first (see ks_cert_section). */
    double pass_mark;
    /* The declaration's balance (engine/lua/balance.lua): each form's mean
     * difficulty label within balance_difficulty ± its _within, its Angoff
     * score (% of its points a borderline candidate earns) within
     * balance_angoff ± its _within; a _within of 0 when not declared. */
    double balance_difficulty, balance_difficulty_within;
    double balance_angoff, balance_angoff_within;
    size_t nsections;
    const ks_cert_section *sections;
    size_t nitems;
    /* unit_of[i]: the unit (kaoshi/groups.h) of item i; nunits in all. */
    const size_t *unit_of;
    size_t nunits;
    /* The declaration's certificate table, for issuing certificates: each
     * string NULL when absent. */
    const char *cert_title, *cert_role, *cert_series, *cert_issuer;
} ks_cert_info;

/* Loads the script at script_path (relative to the file set) and the banks it
 * names, checks the declaration, every item against its question type and
 * every section's pool. On failure every problem is in diags (file:line[:col]
 * first) and the result is KS_EINPUT (or KS_ESCRIPT for a failing script);
 * warnings (e.g. a pool too small for fresh retake forms) go to warnings. */
ks_status ks_cert_load(ks_fileset *fs, const char *script_path, ks_cert **out,
                       ks_diags *diags, ks_diags *warnings);
void ks_cert_free(ks_cert *cert);

const ks_cert_info *ks_cert_info_of(const ks_cert *cert);

/* The aids a certification permits (its `aids`; engine/lua/cert_aids.c):
 * the page's on-screen calculator, "basic" or "scientific" (NULL: none),
 * and the notes candidates read before they start (the declaration's
 * order). Free with ks_cert_aids_free; without `aids`, no calculator and
 * no notes. */
typedef struct ks_cert_aids {
    char *calculator;
    char **notes;
    size_t nnotes;
} ks_cert_aids;
ks_status ks_cert_aids_get(ks_cert *cert, ks_cert_aids *out, ks_error *err);
void ks_cert_aids_free(ks_cert_aids *aids);
/* The aids as the candidate's API and `kaoshi preview --json` give them:
 * {"calculator": kind or null, "notes": [...]}; NULL when out of memory. */
json_t *ks_cert_aids_json(const ks_cert_aids *aids);

/* Whether NAME is a question type the certification declares itself (in
 * question_types), not a built-in one. */
int ks_cert_own_type(ks_cert *cert, const char *name);

/* Writes "FILE:LINE" where the script defines HOOK ("score", "solve", ...)
 * of question type TYPE to buf and returns 1; 0 with buf "" when the hook is
 * not a script's (a built-in type's, or none). */
int ks_cert_hook_at(ks_cert *cert, const char *type, const char *hook, char *buf, size_t cap);

/* The path of the certification's script, as loaded. */
const char *ks_cert_script(const ks_cert *cert);

/* Writes "FILE:LINE" where the script defines its pass function to buf and
 * returns 1; 0 with buf "" when pass is a percentage. */
int ks_cert_pass_at(ks_cert *cert, char *buf, size_t cap);

/* Item i (0 <= i < info.nitems) of the certification's banks. */
const ks_item *ks_cert_item(const ks_cert *cert, size_t i);
/* The index of the item with that id (for ks_cert_item), SIZE_MAX when no
 * bank of the certification has it. */
size_t ks_cert_item_index(const ks_cert *cert, const char *id);

/* Draws a form from the seed, avoiding the item ids in seen where the pools
 * allow. *form_json is malloc'd. */
ks_status ks_cert_build_form(ks_cert *cert, uint64_t seed, const char *const *seen,
                             size_t nseen, char **form_json, ks_error *err);

/* The number of questions on a form, and the item ids it holds (malloc'd
 * array of malloc'd strings; free with ks_cert_free_ids). */
ks_status ks_cert_form_ids(const char *form_json, char ***ids, size_t *n, ks_error *err);
void ks_cert_free_ids(char **ids, size_t n);

/* What a candidate sees of question slot (0-based): JSON without keys. With
 * with_key (authors' previews only) the view also holds "key": the item as
 * written in the bank, answer and explanation included, or what its question
 * type reveals for this form (a calculated item's data, key and worked
 * explanation). */
ks_status ks_cert_present(ks_cert *cert, const char *form_json, size_t slot, int with_key,
                          char **view_json, ks_error *err);

/* Whether a response (a JSON object) to slot of a form fits the widget its
 * question presents: KS_EINPUT naming the field otherwise ("the answer to
 * question 3: unknown field 'choise'; expected only 'choice'"). Forms drawn
 * before the widget shapes were kept accept any object. */
ks_status ks_cert_check_response(const char *form_json, size_t slot, const char *response_json,
                                 ks_error *err);

/* For checking an amendment against the forms already drawn: presents
 * question slots[i] of form forms[i] (for each i < n, from any forms) with
 * cert in one state, as a start presents a new form, and gives in
 * *out_json (malloc'd) a JSON list, in that order, of {"shape": the shape
 * its answers take (what a start keeps as the slot's "shape"), "places":
 * the texts of the entries an answer names by their place on the page (a
 * choice's options, the items to order, a match's right-hand entries; []
 * for none)}, or {"error": why} when its presentation fails (KS_ESCRIPT's
 * message; the next question starts afresh). */
ks_status ks_cert_present_slots(ks_cert *cert, const char *const *forms, const size_t *slots,
                                size_t n, char **out_json, ks_error *err);

/* For checks and simulations. A form of one question, item i of the banks,
 * drawn with seed (its type's prepare() run, its shape kept). */
ks_status ks_cert_trial_form(ks_cert *cert, size_t item, uint64_t seed, char **form_json,
                             ks_error *err);

/* The response (JSON, malloc'd) that earns full marks on slot of a form: its
 * type's solve(), or found by trying every response of a small widget
 * (choice, truth, choices, order, match). When there is none (a type graded
 * by a person, a large widget without solve()) *response_json is NULL and
 * *why (malloc'd) says why. */
ks_status ks_cert_solve(ks_cert *cert, const char *form_json, size_t slot, char **response_json,
                        char **why, ks_error *err);

/* Responses of every shape slot's widget takes (a JSON list, malloc'd):
 * empty, partial, wrong and extreme ones, each fitting the widget; score()
 * must take each and return 0..1. */
ks_status ks_cert_samples(ks_cert *cert, const char *form_json, size_t slot, uint64_t seed,
                          char **list_json, ks_error *err);

/* Grades a form. responses[i] is the JSON response to slot i or NULL; marks[i]
 * (may be NULL) a person's mark from 0 to 1 for slot i, or a negative value
 * for none. *result_json is malloc'd; *passed is 1, 0, or -1 while answers
 * wait for a person's mark. The result (scripts/SCRIPTING.md, "The result"):
 *   {score, max_score, percent, pending, passed, reason,
 *    sections: [{title, score, max_score, percent, min}],
 *    items: [{id, fraction, points, max_points, answered, manual,
 *             auto_fraction, overridden}]}
 * reason (Chinese) only when passed is false; min only for a section that
 * declares one, as declared ("50%", "12 分"); auto_fraction and overridden
 * (true) only where a mark replaced what score() gives (auto_fraction: that,
 * or 0 when unanswered). */
ks_status ks_cert_grade(ks_cert *cert, const char *form_json, const char *const *responses,
                        const double *marks, size_t nslots, char **result_json,
                        double *score, double *max_score, int *passed, ks_error *err);

/* The retake policy: may the candidate with these earlier attempts (JSON list,
 * oldest first: {number, finished, passed, percent, finished_at}) start
 * another now? *reason (malloc'd, Chinese, for the candidate) when not. */
ks_status ks_cert_may_start(ks_cert *cert, const char *history_json, int64_t now_ms,
                            int *allowed, char **reason, ks_error *err);

#endif
