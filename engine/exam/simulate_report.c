/* The report of a simulation (kaoshi/simulate.h) from the attempts it drove:
 * pass rates by attempt, score distribution, time pressure, item exposure
 * and retake capacity. Rates and scores are percentages and times minutes,
 * rounded to one decimal so the report reads the same on every machine.
 * Uses coverage and GSL (quantiles). */
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "kaoshi/coverage.h"
#include "kaoshi/simmodel.h"
#include "exam/simulate_impl.h"

static double r1(double x)
{
    return round(x * 10) / 10;
}

static double rate(size_t part, size_t whole)
{
    return whole ? r1(100.0 * (double)part / (double)whole) : 0;
}

/* n, mean, sd (n - 1) and quantiles (GSL's, i.e. linear interpolation
 * between order statistics) of x, which is sorted in place. */
static json_t *summary(double *x, size_t n)
{
    if (n == 0)
        return json_pack("{si}", "n", 0);
    gsl_sort(x, 1, n);
    return json_pack("{sI sf sf sf sf sf sf sf}", "n", (json_int_t)n, "mean",
                     r1(gsl_stats_mean(x, 1, n)), "sd", r1(n > 1 ? gsl_stats_sd(x, 1, n) : 0),
                     "p10", r1(gsl_stats_quantile_from_sorted_data(x, 1, n, 0.10)), "p25",
                     r1(gsl_stats_quantile_from_sorted_data(x, 1, n, 0.25)), "median",
                     r1(gsl_stats_quantile_from_sorted_data(x, 1, n, 0.50)), "p75",
                     r1(gsl_stats_quantile_from_sorted_data(x, 1, n, 0.75)), "p90",
                     r1(gsl_stats_quantile_from_sorted_data(x, 1, n, 0.90)));
}

static int highest_number(const sim_run *run)
{
    int k = 0;
    for (size_t i = 0; i < run->nattempts; i++)
        if (run->attempts[i].number > k)
            k = run->attempts[i].number;
    return k;
}

/* Per attempt number: how many, passed, mean score, ran out of time, had a
 * repeated item; and the share of all candidates who passed by then. */
static json_t *by_attempt(const sim_run *run, int highest, size_t *passed_first,
                          size_t *passed_all)
{
    json_t *list = json_array();
    size_t cumulative = 0;
    for (int k = 1; k <= highest; k++) {
        size_t n = 0, passed = 0, ran_out = 0, repeats = 0;
        double sum = 0;
        for (size_t i = 0; i < run->nattempts; i++) {
            const sim_attempt *a = &run->attempts[i];
            if (a->number != k)
                continue;
            n++;
            passed += a->passed == 1;
            ran_out += (size_t)a->ran_out;
            repeats += a->repeats > 0;
            sum += a->percent;
        }
        cumulative += passed;
        if (k == 1)
            *passed_first = passed;
        json_array_append_new(
            list, json_pack("{si sI sI sf sf sf sI sI}", "number", k, "attempts", (json_int_t)n,
                            "passed", (json_int_t)passed, "pass_rate", rate(passed, n),
                            "cumulative_pass_rate", rate(cumulative, run->o->candidates),
                            "mean_score", n ? r1(sum / (double)n) : 0, "ran_out",
                            (json_int_t)ran_out, "with_repeats", (json_int_t)repeats));
    }
    *passed_all = cumulative;
    return list;
}

static json_t *scores(const sim_run *run)
{
    double *first = malloc((run->nattempts + 1) * sizeof *first);
    double *all = malloc((run->nattempts + 1) * sizeof *all);
    if (!first || !all) {
        free(first);
        free(all);
        return NULL;
    }
    size_t nfirst = 0;
    for (size_t i = 0; i < run->nattempts; i++) {
        all[i] = run->attempts[i].percent;
        if (run->attempts[i].number == 1)
            first[nfirst++] = run->attempts[i].percent;
    }
    json_t *out = json_pack("{so so}", "first", summary(first, nfirst), "all",
                            summary(all, run->nattempts));
    free(first);
    free(all);
    return out;
}

static json_t *timing(const sim_run *run, const ks_cert_info *in)
{
    size_t n = run->nattempts, ran_out = 0;
    double *used = malloc((n + 1) * sizeof *used), *needed = malloc((n + 1) * sizeof *needed);
    if (!used || !needed) {
        free(used);
        free(needed);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        used[i] = (double)run->attempts[i].used_ms / 60000;
        needed[i] = run->attempts[i].needed_s / 60;
        ran_out += (size_t)run->attempts[i].ran_out;
    }
    json_t *u = summary(used, n), *d = summary(needed, n);
    json_t *out = json_pack("{sf sO sO sO sO sI sf}", "allowed_min",
                            r1((double)in->duration_ms / 60000), "used_median_min",
                            json_object_get(u, "median"), "used_p90_min",
                            json_object_get(u, "p90"), "needed_median_min",
                            json_object_get(d, "median"), "needed_p90_min",
                            json_object_get(d, "p90"), "ran_out", (json_int_t)ran_out,
                            "ran_out_rate", rate(ran_out, n));
    json_decref(u);
    json_decref(d);
    free(used);
    free(needed);
    return out;
}

/* The pool (items any section can draw) and how often each was drawn. */
static json_t *exposure(const sim_run *run, const ks_cert_info *in)
{
    size_t *drawn = calloc(in->nitems + 1, sizeof *drawn);
    unsigned char *in_pool = calloc(in->nitems + 1, 1);
    if (!drawn || !in_pool) {
        free(drawn);
        free(in_pool);
        return NULL;
    }
    for (size_t s = 0; s < in->nsections; s++)
        for (size_t i = 0; i < in->sections[s].pool_size; i++)
            in_pool[in->sections[s].pool[i]] = 1;
    for (size_t a = 0; a < run->nattempts; a++)
        for (size_t i = 0; i < run->attempts[a].nslots; i++)
            drawn[run->attempts[a].items[i]]++;
    size_t pool = 0, seen = 0, most = 0, total = 0;
    json_t *never = json_array();
    for (size_t i = 0; i < in->nitems; i++) {
        if (!in_pool[i])
            continue;
        pool++;
        seen += drawn[i] > 0;
        total += drawn[i];
        if (drawn[i] > most)
            most = drawn[i];
        if (!drawn[i])
            json_array_append_new(never, json_string(ks_cert_item(run->cert, i)->id));
    }
    size_t n = run->nattempts;
    json_t *out = json_pack("{sI sI sf sf sf so}", "pool", (json_int_t)pool, "drawn",
                            (json_int_t)seen, "drawn_rate", rate(seen, pool), "max_rate",
                            rate(most, n), "mean_rate",
                            n && pool ? r1(100.0 * (double)total / (double)n / (double)pool)
                                      : 0,
                            "never_drawn", never);
    free(drawn);
    free(in_pool);
    return out;
}

/* Repeats the engine had to make, against what `kaoshi coverage` promises. */
static json_t *retakes(const sim_run *run, const ks_cert_info *in, int highest)
{
    size_t retaken = 0, with_repeats = 0, repeated = 0;
    int fresh_through = highest;
    for (size_t i = 0; i < run->nattempts; i++) {
        const sim_attempt *a = &run->attempts[i];
        retaken += a->number > 1;
        with_repeats += a->repeats > 0;
        repeated += a->repeats;
        if (a->repeats > 0 && a->number - 1 < fresh_through)
            fresh_through = a->number - 1;
    }
    return json_pack("{sI si sI sI sI si}", "disjoint_forms",
                     (json_int_t)ks_coverage_forms(in), "attempts_allowed", in->attempts,
                     "retakes", (json_int_t)retaken, "with_repeats", (json_int_t)with_repeats,
                     "repeated_items", (json_int_t)repeated, "fresh_through", fresh_through);
}

json_t *simulate_report(const sim_run *run)
{
    const ks_cert_info *in = ks_cert_info_of(run->cert);
    const ks_simulate_options *o = run->o;
    int questions = 0;
    for (size_t s = 0; s < in->nsections; s++)
        questions += in->sections[s].pick;
    int highest = highest_number(run);
    size_t passed_first = 0, passed_all = 0;
    json_t *attempts = by_attempt(run, highest, &passed_first, &passed_all);
    json_t *sc = scores(run), *time = timing(run, in), *exp = exposure(run, in);
    if (!sc || !time || !exp) {
        json_decref(attempts);
        json_decref(sc);
        json_decref(time);
        json_decref(exp);
        return NULL;
    }
    /* items with points of their own make forms' maxima differ: the highest */
    json_t *exam = json_pack("{ss ss si sf sf si}", "code", in->code, "title", in->title,
                             "questions", questions, "max_score", in->max_score_max,
                             "duration_min", r1((double)in->duration_ms / 60000),
                             "attempts_allowed", in->attempts);
    json_object_set_new(exam, "pass_mark",
                        in->pass_mark >= 0 ? json_real(in->pass_mark) : json_null());
    return json_pack("{so sO sI sI s{sf sf sf sf} sI so s{sf sf} sO so so so so sI sO}",
                     "exam", exam, "sittings", run->sittings, "seed", (json_int_t)o->seed,
                     "candidates", (json_int_t)o->candidates, "model", "ability_mean",
                     o->ability_mean, "ability_sd", o->ability_sd, "pace_s", o->pace_s,
                     "learning_gain", KS_SIMMODEL_LEARNING_GAIN, "attempts",
                     (json_int_t)run->nattempts, "by_attempt", attempts, "pass_rate", "first",
                     rate(passed_first, o->candidates), "final",
                     rate(passed_all, o->candidates), "refused", run->refused, "scores", sc,
                     "time", time, "exposure", exp, "retakes", retakes(run, in, highest),
                     "essays_marked", (json_int_t)run->essays, "unanswered", run->unanswered);
}
