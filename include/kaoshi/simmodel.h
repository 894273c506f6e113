/* The synthetic candidates of `kaoshi simulate`: the chance that a candidate
 * of ability theta answers an item right (Rasch), the response they give,
 * built from the question's key as its type reveals it, and the time a
 * question takes them. Every draw comes from a ks_rng, so a simulation
 * replays from its seed. Plain C over rng and jansson; the model is
 * documented for authors in scripts/SCRIPTING.md ("Simulating a sitting"). */
#ifndef KAOSHI_SIMMODEL_H
#define KAOSHI_SIMMODEL_H

#include <jansson.h>

#include "kaoshi/rng.h"

/* Added to a candidate's ability for each retake (logits): they learnt a
 * little from the failed attempt. */
#define KS_SIMMODEL_LEARNING_GAIN 0.25
/* The median seconds of a `single` question of medium difficulty (3) that
 * the pace scales: every median of the table is multiplied by pace / this. */
#define KS_SIMMODEL_PACE_S 60.0
/* Spread (sd of the logarithm) of the time one question takes, and of a
 * candidate's speed factor, drawn once per candidate. */
#define KS_SIMMODEL_QUESTION_SD 0.4
#define KS_SIMMODEL_SPEED_SD 0.25

/* An item's difficulty on the logit scale: a bank's 1 (easiest) .. 5
 * (hardest) maps to d - 3, i.e. -2 .. +2; 0 (none given) maps to 0. */
double ks_simmodel_logit(int difficulty);

/* P(right) = 1 / (1 + exp(-(theta - b))). */
double ks_simmodel_p_right(double theta, double b);

/* The median seconds a question of this type and difficulty takes at the
 * given pace (KS_SIMMODEL_PACE_S for the table as it is): the type's median
 * (true_false 30, single 60, fill 75, multiple 90, ordering 90, matching 120,
 * numeric 120, calculated 240, essay 480, any other type 90) times
 * 1.25^(difficulty - 3) (difficulty 0: times 1) times pace / 60. */
double ks_simmodel_median_s(const char *type, int difficulty, double pace_s);

/* A candidate's speed factor: exp(KS_SIMMODEL_SPEED_SD * z), one normal
 * deviate. */
double ks_simmodel_speed(ks_rng *r);

/* The seconds one question takes a candidate of that speed: the median
 * times speed times exp(KS_SIMMODEL_QUESTION_SD * z), one normal deviate. */
double ks_simmodel_seconds(const char *type, int difficulty, double pace_s, double speed,
                           ks_rng *r);

/* The response (a new JSON object) to a question whose key is `key` (the
 * "key" of a view ks_cert_present gives with keys: the item as written, with
 * the form's `shown` order, or what a calculated question drew), right or
 * wrong. Right is the key itself, choices named by their place on the page.
 * Wrong has the right shape: another option (single); one right choice
 * swapped for a wrong one, or dropped when every option is right (multiple,
 * and calculated points); the other value (true_false); empty blanks (fill);
 * a number off by twice the tolerance plus a tenth of the key plus 1
 * (numeric, calculated); two neighbours swapped (ordering) or two matches
 * swapped (matching); empty text (essay). An essay's right answer is a line
 * of text; essays wait for a person's mark either way. Returns NULL for a
 * type the model does not know (an author's own): such a question stays
 * unanswered. Draws only when wrong. */
json_t *ks_simmodel_response(const json_t *key, int right, ks_rng *r);

#endif
