/* Simulating a sitting before it happens, for exam authors (`kaoshi
 * simulate`): N synthetic candidates (kaoshi/simmodel.h) take a
 * certification through the real lifecycle. For each round (first attempts,
 * then each retake) a sitting is created and opened from the script and the
 * candidates still going are enrolled; every attempt is started with
 * ks_exam_start_with (ks_exam_start_authenticated, with the frozen
 * certification kept loaded and the form's seed drawn from the
 * simulation's: the engine's draws and forms, retakes as the script's policy
 * allows them), answered with ks_exam_answer_batch, submitted or finished at
 * its deadline, and graded by ks_exam_grade (essays marked with
 * ks_exam_mark). Time is a fake clock the simulation moves: a retake waiting
 * period is waited out by advancing it, never skipped. The report says how
 * the exam would behave: pass rates, scores, time pressure, item exposure
 * and how many retakes the pools serve without repeating an item. Uses exam,
 * store, cert, coverage, simmodel, rng and clock; GSL for quantiles; no Lua. */
#ifndef KAOSHI_SIMULATE_H
#define KAOSHI_SIMULATE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "kaoshi/error.h"
#include "kaoshi/store.h"

/* Most candidates one simulation takes. */
#define KS_SIMULATE_MAX_CANDIDATES 100000

typedef struct ks_simulate_options {
    const char *cert;                /* certification code or script path */
    const char *sitting;             /* the sittings it creates are SITTING-1 (first
                                      * attempts), SITTING-2 (first retakes), ... */
    size_t candidates;               /* 1 .. KS_SIMULATE_MAX_CANDIDATES */
    uint64_t seed;                   /* every draw, forms included, comes from it */
    double ability_mean, ability_sd; /* theta ~ Normal(mean, sd), in logits */
    double pace_s;                   /* a medium single-choice question's median
                                      * seconds (KS_SIMMODEL_PACE_S: the table) */
    int64_t start_ms;                /* when the sitting opens; first attempts start */
} ks_simulate_options;

/* Runs the simulation in store, which should be a new database (the
 * caller's temporary one, or one kept for `kaoshi report`), with the
 * certifications under root. The candidates are numbered S0001, S0002, ...
 * and have no access code. On success *report is a new JSON object (fields in
 * scripts/SCRIPTING.md, "Simulating a sitting"). A certification that does
 * not load is KS_EINPUT or KS_ESCRIPT with every problem in diags
 * (file:line first); a hook failing during the run is KS_ESCRIPT, err saying
 * where. */
ks_status ks_simulate_run(ks_store *store, const char *root, const ks_simulate_options *o,
                          json_t **report, ks_diags *diags, ks_error *err);

#endif
