/* Exercising a loaded certification before any candidate meets it: every
 * hook of every item's question type is run as attempts would run it, with
 * many seeds, so that a failing prepare(), present(), reveal(), solve() or
 * score(), a generator that fails one time in twenty, or a key that does not
 * earn full marks shows in `kaoshi check` and stops `kaoshi sitting open`,
 * rather than in front of a candidate or when a frozen sitting is graded.
 * Modules a hook requires while it runs are read through the
 * certification's file set, which so records them for freezing.
 * Implemented in the exam layer: engine/exam/exercise.c. */
#ifndef KAOSHI_EXERCISE_H
#define KAOSHI_EXERCISE_H

#include "kaoshi/cert.h"
#include "kaoshi/error.h"

/* The seeds `kaoshi check` and `kaoshi sitting open` exercise each item with. */
#define KS_EXERCISE_SEEDS 20u

/* For every item of cert and every seed 1..seeds: a one-question trial form
 * (prepare() or the generator, present(), the widget's shape), the question
 * with its key (reveal()), the response that earns full marks (solve(), or
 * found by a search) which must fit the widget and score 1, and sample
 * responses of the widget (empty, partial, wrong, extreme) which score() must
 * take and score from 0 to 1. An item's seed stops at its first failure.
 *
 * Each distinct problem of an item is one line of problems, once, with the
 * first seed it showed at and on how many of the seeds:
 *   "scripts/x.lua:118: score() of item 'x-4' (seed 3; 5 of 20 seeds): undeclared
 *    global 'normalize' (response {\"value\":0})"
 * (the place when the failure's message has one; the response for score()).
 * An item with no full-marks response to check (a type graded by a person,
 * a large widget without solve()) is one line of notes:
 *   "item 'x-9' (type 'essay'): score() of the key not checked: graded by a person".
 * Then, when every item passed, a whole form is drawn on each seed and
 * graded with every question scored alike (0, 25, 50, 70 and 100 % of its
 * points), so that the pass rule runs: a form that cannot be drawn, or a
 * pass() that fails, is one line of problems per distinct failure:
 *   "scripts/x.lua: seed 1 (14 of 20 seeds): drawing a form failed: section 2 ..."
 *   "scripts/x.lua:12: seed 1 (20 of 20 seeds), every question scored 70%:
 *    grading failed: pass() must return true or false (got \"yes\")"
 * Returns KS_OK when there is no problem, KS_ESCRIPT when there is one, and
 * KS_EINTERNAL when memory ran out (said in problems). */
ks_status ks_exam_exercise(ks_cert *cert, unsigned seeds, ks_diags *problems, ks_diags *notes);

#endif
