/* Internals shared by the simulation's files: what engine/simulate.c records
 * of each attempt it drives, and the report engine/simulate_report.c makes
 * of them. Not a public header. */
#ifndef KAOSHI_SIMULATE_IMPL_H
#define KAOSHI_SIMULATE_IMPL_H

#include <jansson.h>

#include "kaoshi/cert.h"
#include "kaoshi/simulate.h"

/* One attempt of a synthetic candidate, as the store and the grading left it. */
typedef struct sim_attempt {
    int64_t id;
    size_t candidate; /* index, from 0 */
    size_t previous;  /* the candidate's previous attempt (index), or SIZE_MAX */
    int number;       /* 1 for the first attempt, 2 for the first retake, ... */
    size_t nslots;
    size_t *items;    /* the item index (ks_cert_item) of each question */
    size_t repeats;   /* questions whose item, or an item of its group, this
                         candidate had on an earlier attempt */
    double needed_s;  /* what the model needs for every question */
    int64_t used_ms;  /* from start to finish, as stored */
    int ran_out;      /* finished at its deadline with questions not reached */
    double percent;   /* of the maximum score */
    int passed;       /* 1, 0, or -1 while an answer waits for a mark */
} sim_attempt;

typedef struct sim_run {
    const ks_simulate_options *o;
    json_t *sittings;     /* the names of the sittings, one per round */
    const ks_cert *cert;  /* the certification (the files the sittings froze) */
    sim_attempt *attempts;
    size_t nattempts, cap;
    json_t *refused;      /* the policy's reason -> candidates refused with it */
    json_t *unanswered;   /* type -> questions the model cannot answer */
    size_t essays;        /* essay answers, marked by the simulation */
} sim_run;

/* The report (kaoshi/simulate.h) of a finished run. */
json_t *simulate_report(const sim_run *run);

#endif
