/* Simulating a sitting through the real lifecycle: see
 * include/kaoshi/simulate.h. The candidates sit in rounds, a sitting each:
 * every attempt of round k starts at the same time (as in an exam hall),
 * each candidate's answers are saved in one batch when they have given the
 * last one they reach, and the round ends when every deadline plus grace has
 * passed, with grading. The clock then moves on to the next round. */
#include "kaoshi/simulate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaoshi/exam.h"
#include "kaoshi/simmodel.h"
#include "exam/simulate_impl.h"

#define HOUR_MS 3600000LL
#define DAY_MS (24 * HOUR_MS)
/* How far the clock may move on, doubling from an hour, looking for a time
 * at which the policy allows a retake; a longer wait counts as a refusal. */
#define MAX_WAIT_MS (400 * DAY_MS)
/* Who marks essays in the audit log. */
#define GRADER "simulate"

typedef struct sim_candidate {
    char number[24];
    double theta, speed;
    ks_rng rng;   /* this candidate's draws */
    int attempts; /* made so far */
    int done;     /* passed, or refused another attempt */
    size_t last;  /* their latest attempt (index), or SIZE_MAX */
} sim_candidate;

/* An essay answer the simulation marks once its attempt is graded. */
typedef struct sim_mark {
    int64_t attempt_id;
    int slot;
    int right;
} sim_mark;

typedef struct sim_state {
    sim_run run;
    ks_clock clock;
    ks_rng seeds; /* the forms' seeds */
    ks_exam x;
    ks_fileset *ref_fs;
    ks_cert *ref;       /* the certification as its files are, for the report */
    const char *script; /* its path */
    ks_sitting s;       /* the round's sitting */
    ks_fileset *fs;
    ks_cert *cert;      /* what the round's sitting froze */
    sim_candidate *cands;
    size_t ncands;
    sim_mark *marks;
    size_t nmarks, capmarks;
} sim_state;

/* Whether candidate c goes on to attempt `number`. */
static int goes_on(const sim_candidate *c, int number)
{
    return !c->done && c->attempts == number - 1;
}

static sim_attempt *new_record(sim_run *run)
{
    if (run->nattempts == run->cap) {
        size_t cap = run->cap ? run->cap * 2 : 256;
        sim_attempt *grown = realloc(run->attempts, cap * sizeof *grown);
        if (!grown)
            return NULL;
        run->attempts = grown;
        run->cap = cap;
    }
    sim_attempt *rec = &run->attempts[run->nattempts++];
    memset(rec, 0, sizeof *rec);
    return rec;
}

static int add_mark(sim_state *S, int64_t attempt_id, int slot, int right)
{
    if (S->nmarks == S->capmarks) {
        size_t cap = S->capmarks ? S->capmarks * 2 : 64;
        sim_mark *grown = realloc(S->marks, cap * sizeof *grown);
        if (!grown)
            return -1;
        S->marks = grown;
        S->capmarks = cap;
    }
    S->marks[S->nmarks++] = (sim_mark){attempt_id, slot, right};
    return 0;
}

static void count(json_t *counts, const char *name)
{
    json_t *n = json_object_get(counts, name);
    json_object_set_new(counts, name, json_integer(n ? json_integer_value(n) + 1 : 1));
}

/* Fills rec's items from the form and counts the ones the candidate had on
 * an earlier attempt, or an item of whose group (kaoshi/groups.h). */
static ks_status record_form(sim_state *S, sim_attempt *rec, const char *form, ks_error *err)
{
    char **ids;
    size_t n;
    ks_status rc = ks_cert_form_ids(form, &ids, &n, err);
    if (rc)
        return rc;
    rec->items = malloc((n + 1) * sizeof *rec->items);
    if (!rec->items)
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        rec->items[i] = ks_cert_item_index(S->ref, ids[i]);
        if (rec->items[i] == SIZE_MAX)
            rc = ks_error_set(err, KS_EINTERNAL, "a form names item '%s', which the "
                              "certification lacks", ids[i]);
    }
    rec->nslots = rc ? 0 : n;
    ks_cert_free_ids(ids, n);
    const size_t *unit = ks_cert_info_of(S->cert)->unit_of;
    for (size_t p = rec->previous; !rc && p != SIZE_MAX; p = S->run.attempts[p].previous) {
        const sim_attempt *before = &S->run.attempts[p];
        for (size_t i = 0; i < rec->nslots; i++)
            for (size_t j = 0; j < before->nslots; j++)
                rec->repeats += unit[rec->items[i]] == unit[before->items[j]];
    }
    return rc;
}

/* A response to slot i of a question type the model does not know (an
 * author's own): the response its solve() gives when right, else one of the
 * responses of every shape its widget takes other than that one. NULL when
 * the engine finds no right response (graded by a person, or a large widget
 * without solve()): the question stays unanswered. */
static ks_status own_response(sim_state *S, const char *form, size_t i, int right, ks_rng *r,
                              json_t **out, ks_error *err)
{
    char *solved = NULL, *why = NULL, *samples = NULL;
    *out = NULL;
    ks_status rc = ks_cert_solve(S->cert, form, i, &solved, &why, err);
    free(why);
    if (rc || !solved)
        return rc;
    json_t *key = json_loads(solved, 0, NULL);
    free(solved);
    if (right) {
        *out = key;
        return KS_OK;
    }
    if (!(rc = ks_cert_samples(S->cert, form, i, ks_rng_next(r), &samples, err))) {
        json_t *list = json_loads(samples, 0, NULL), *wrong = json_array(), *e;
        size_t k;
        json_array_foreach(list, k, e) if (!json_equal(e, key)) json_array_append(wrong, e);
        size_t n = json_array_size(wrong);
        *out = n ? json_incref(json_array_get(wrong, (size_t)ks_rng_below(r, n)))
                 : NULL;
        json_decref(wrong);
        json_decref(list);
    }
    free(samples);
    json_decref(key);
    return rc;
}

/* The model's answers to every question of the running attempt a, in form
 * order: those reached within the time allowed are saved in one batch at the
 * time of the last of them; with every question answered the attempt is
 * submitted, otherwise its deadline finishes it. */
static ks_status take_attempt(sim_state *S, sim_candidate *c, const ks_attempt *a,
                              ks_error *err)
{
    sim_attempt *rec = new_record(&S->run);
    if (!rec)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    rec->id = a->id;
    rec->candidate = (size_t)(c - S->cands);
    rec->number = a->number;
    rec->previous = c->last;
    c->last = S->run.nattempts - 1;
    ks_status rc = record_form(S, rec, a->form, err);
    if (rc)
        return rc;
    size_t n = rec->nslots, nsaves = 0, reached = 0;
    ks_exam_save *saves = calloc(n + 1, sizeof *saves);
    if (!saves)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    double theta = c->theta + KS_SIMMODEL_LEARNING_GAIN * (a->number - 1);
    double allowed_ms = (double)(a->deadline_at - a->started_at), at_ms = 0, last_ms = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        char *text = NULL;
        if ((rc = ks_cert_present(S->cert, a->form, i, 1, &text, err)))
            break;
        json_t *view = json_loads(text, 0, NULL);
        free(text);
        const char *type = json_string_value(json_object_get(view, "type"));
        const ks_item *item = ks_cert_item(S->cert, rec->items[i]);
        double p = ks_simmodel_p_right(theta, ks_simmodel_logit(item->difficulty));
        int right = ks_rng_uniform(&c->rng) < p;
        double seconds = ks_simmodel_seconds(type ? type : "", item->difficulty,
                                             S->run.o->pace_s, c->speed, &c->rng);
        json_t *response = ks_simmodel_response(json_object_get(view, "key"), right, &c->rng);
        if (!response && (rc = own_response(S, a->form, i, right, &c->rng, &response, err))) {
            json_decref(view);
            break;
        }
        rec->needed_s += seconds;
        at_ms += seconds * 1000;
        if (!response)
            count(S->run.unanswered, type ? type : "?");
        if (at_ms <= allowed_ms) {
            reached++;
            last_ms = at_ms;
        }
        if (response && at_ms <= allowed_ms) {
            saves[nsaves] = (ks_exam_save){.attempt_id = a->id, .slot = (int)i,
                                           .response_json = json_dumps(response, JSON_COMPACT),
                                           .base_seq = -1};
            if (!saves[nsaves++].response_json)
                rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
            if (!rc && type && strcmp(type, "essay") == 0 && add_mark(S, a->id, (int)i, right))
                rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
        }
        json_decref(response);
        json_decref(view);
    }
    if (!rc && nsaves) {
        ks_clock_fake_set(&S->clock, a->started_at + (int64_t)last_ms);
        rc = ks_exam_answer_batch(&S->x, saves, nsaves, err);
        for (size_t i = 0; !rc && i < nsaves; i++)
            if ((rc = saves[i].status))
                *err = saves[i].err;
    }
    if (!rc && reached == n) {
        ks_clock_fake_set(&S->clock, a->started_at + (int64_t)at_ms);
        rc = ks_exam_submit(&S->x, a->id, "submitted", err);
    }
    for (size_t i = 0; i < nsaves; i++)
        free((char *)saves[i].response_json);
    free(saves);
    return rc;
}

/* Starts candidate c's next attempt at *t, or finds out that the policy
 * refuses it. While *probe is set (no one of this round has started yet), a
 * refusal moves the round's start on, an hour and then doubling up to
 * MAX_WAIT_MS, until the policy allows the attempt: a waiting period is
 * waited out. *probe is cleared once an attempt has started, or once
 * waiting did not help (the refusal is then final for everyone). */
static ks_status start_next(sim_state *S, sim_candidate *c, int *probe, int64_t *t,
                            ks_error *err)
{
    int64_t base = *t, step = HOUR_MS;
    for (;;) {
        ks_clock_fake_set(&S->clock, *t);
        ks_attempt a;
        int resumed;
        uint64_t seed = ks_rng_next(&S->seeds);
        char *refusal = NULL;
        ks_status rc = ks_exam_start_with(&S->x, S->s.name, c->number, S->cert, &seed, &a,
                                          &resumed, &refusal, err);
        if (rc == KS_OK) {
            *probe = 0;
            c->attempts++;
            rc = take_attempt(S, c, &a, err);
            ks_attempt_free(&a);
            return rc;
        }
        if (!refusal)
            return rc;
        if (*probe && *t - base + step <= MAX_WAIT_MS) {
            free(refusal);
            *t += step;
            step *= 2;
            continue;
        }
        if (*probe) {
            *t = base;
            *probe = 0;
        }
        count(S->run.refused, refusal);
        free(refusal);
        c->done = 1;
        return KS_OK;
    }
}

/* Reads the graded results of records [from, nattempts). */
static ks_status read_results(sim_state *S, size_t from, ks_error *err)
{
    ks_status rc = KS_OK;
    for (size_t i = from; !rc && i < S->run.nattempts; i++) {
        sim_attempt *rec = &S->run.attempts[i];
        ks_result r;
        ks_attempt a;
        if ((rc = ks_store_result_get(S->x.store, rec->id, &r, err)))
            break;
        rec->percent = r.max_score > 0 ? 100 * r.score / r.max_score : 0;
        rec->passed = r.passed;
        ks_result_free(&r);
        if ((rc = ks_store_attempt_get(S->x.store, rec->id, &a, err)))
            break;
        rec->used_ms = a.finished_at - a.started_at;
        rec->ran_out = strcmp(a.finish_reason, "deadline") == 0;
        ks_attempt_free(&a);
        if (rec->passed == 1)
            S->cands[rec->candidate].done = 1;
    }
    return rc;
}

/* The candidates S0001, S0002, ... (as many digits as N needs, at least 4),
 * each with their own stream of draws: ability first, then speed. */
static ks_status make_candidates(sim_state *S, ks_error *err)
{
    const ks_simulate_options *o = S->run.o;
    S->ncands = o->candidates;
    S->cands = calloc(S->ncands, sizeof *S->cands);
    if (!S->cands)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    int width = snprintf(NULL, 0, "%zu", S->ncands);
    if (width < 4)
        width = 4;
    for (size_t i = 0; i < S->ncands; i++) {
        sim_candidate *c = &S->cands[i];
        snprintf(c->number, sizeof c->number, "S%0*zu", width, i + 1);
        char label[40];
        snprintf(label, sizeof label, "candidate:%s", c->number);
        ks_rng_seed(&c->rng, ks_rng_derive(o->seed, label));
        c->theta = ks_rng_normal(&c->rng, o->ability_mean, o->ability_sd);
        c->speed = ks_simmodel_speed(&c->rng);
        c->last = SIZE_MAX;
    }
    return KS_OK;
}

/* Enrolls the candidates who go on to attempt `number`, without access
 * codes. */
static ks_status enroll(sim_state *S, int number, ks_error *err)
{
    ks_enrollee *list = calloc(S->ncands, sizeof *list);
    char (*names)[40] = calloc(S->ncands, sizeof *names);
    ks_status rc = list && names ? KS_OK : ks_error_set(err, KS_EINTERNAL, "out of memory");
    size_t n = 0, bad;
    for (size_t i = 0; !rc && i < S->ncands; i++) {
        if (!goes_on(&S->cands[i], number))
            continue;
        snprintf(names[n], sizeof names[n], "模拟考生 %zu", i + 1);
        list[n] = (ks_enrollee){S->cands[i].number, names[n]};
        n++;
    }
    if (!rc)
        rc = ks_exam_enroll(&S->x, S->s.name, list, n, NULL, &bad, err);
    free(list);
    free(names);
    return rc;
}

/* Creates sitting NAME-number with its window opening at t, opens it
 * (freezing the certification's files) and loads what it froze. */
static ks_status open_sitting(sim_state *S, int number, int64_t t, ks_error *err)
{
    const ks_cert_info *in = ks_cert_info_of(S->run.cert);
    char name[256];
    snprintf(name, sizeof name, "%s-%d", S->run.o->sitting, number);
    int64_t closes = t + MAX_WAIT_MS + in->duration_ms + in->grace_ms + DAY_MS;
    ks_status rc = ks_exam_sitting_create(&S->x, name, S->script, NULL, t, closes,
                                          in->tz_offset_min, NULL, err);
    if (rc || (rc = ks_exam_sitting_open(&S->x, name, err)) ||
        (rc = ks_exam_opened_sitting(&S->x, name, &S->s, err)) ||
        (rc = ks_exam_frozen_cert(&S->x, &S->s, &S->fs, &S->cert, err)))
        return rc;
    json_array_append_new(S->run.sittings, json_string(name));
    return KS_OK;
}

static void drop_sitting(sim_state *S)
{
    ks_cert_free(S->cert);
    ks_fileset_free(S->fs);
    ks_sitting_free(&S->s);
    S->cert = NULL;
    S->fs = NULL;
}

/* Round `number`, in a sitting of its own (as retakes are): the candidates
 * still going are enrolled and start their attempt `number` at *t; when the
 * last deadline plus grace has passed the attempts are graded, essays
 * marked and the sitting closed, and *t is the end of the round. */
static ks_status run_round(sim_state *S, int number, int64_t *t, ks_error *err)
{
    size_t from = S->run.nattempts, graded, closed;
    int probe = 1;
    ks_clock_fake_set(&S->clock, *t);
    ks_status rc = open_sitting(S, number, *t, err);
    if (!rc)
        rc = enroll(S, number, err);
    for (size_t i = 0; !rc && i < S->ncands; i++)
        if (goes_on(&S->cands[i], number))
            rc = start_next(S, &S->cands[i], &probe, t, err);
    if (!rc) {
        *t += S->s.duration_ms + S->s.grace_ms + 1000;
        ks_clock_fake_set(&S->clock, *t);
        rc = ks_exam_grade(&S->x, S->s.name, &graded, err);
    }
    for (size_t i = 0; !rc && i < S->nmarks; i++)
        rc = ks_exam_mark(&S->x, S->marks[i].attempt_id, S->marks[i].slot,
                          S->marks[i].right ? 1.0 : 0.0, GRADER, NULL, err);
    S->run.essays += S->nmarks;
    S->nmarks = 0;
    if (!rc)
        rc = ks_exam_sitting_close(&S->x, S->s.name, &closed, err);
    if (!rc)
        rc = read_results(S, from, err);
    drop_sitting(S);
    return rc;
}

/* Loads the certification from its files: what the report describes (the
 * sittings freeze these same files). */
static ks_status load_cert(sim_state *S, const char *root, ks_diags *diags, ks_error *err)
{
    ks_diags warnings = {0};
    ks_status rc = ks_exam_find_cert(root, S->run.o->cert, &S->ref_fs, &S->ref, diags,
                                     &warnings);
    ks_diags_free(&warnings);
    if (rc)
        return ks_error_set(err, rc == KS_ENOTFOUND ? KS_EINPUT : rc, "%s",
                            diags->count ? diags->lines[0] : "the certification does not load");
    S->run.cert = S->ref;
    S->script = ks_fileset_at(S->ref_fs, 0)->path;
    return KS_OK;
}

ks_status ks_simulate_run(ks_store *store, const char *root, const ks_simulate_options *o,
                          json_t **report, ks_diags *diags, ks_error *err)
{
    *report = NULL;
    if (o->candidates < 1 || o->candidates > KS_SIMULATE_MAX_CANDIDATES)
        return ks_error_set(err, KS_EINPUT, "a simulation takes 1 to %d candidates",
                            KS_SIMULATE_MAX_CANDIDATES);
    sim_state *S = calloc(1, sizeof *S);
    if (!S)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    S->run.o = o;
    S->run.sittings = json_array();
    S->run.refused = json_object();
    S->run.unanswered = json_object();
    ks_clock_fake_init(&S->clock, o->start_ms);
    ks_rng_seed(&S->seeds, ks_rng_derive(o->seed, "forms"));
    S->x = (ks_exam){.store = store, .clock = &S->clock, .root = root, .actor = GRADER};
    ks_status rc = load_cert(S, root, diags, err);
    if (!rc)
        rc = make_candidates(S, err);
    int64_t t = o->start_ms;
    int attempts = rc ? 0 : ks_cert_info_of(S->ref)->attempts;
    for (int number = 1; !rc && number <= attempts; number++) {
        int going = 0;
        for (size_t i = 0; i < S->ncands; i++)
            going |= goes_on(&S->cands[i], number);
        if (going)
            rc = run_round(S, number, &t, err);
    }
    if (!rc && !(*report = simulate_report(&S->run)))
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    for (size_t i = 0; i < S->run.nattempts; i++)
        free(S->run.attempts[i].items);
    free(S->run.attempts);
    json_decref(S->run.sittings);
    json_decref(S->run.refused);
    json_decref(S->run.unanswered);
    free(S->marks);
    free(S->cands);
    drop_sitting(S);
    ks_cert_free(S->ref);
    ks_fileset_free(S->ref_fs);
    free(S);
    return rc;
}
