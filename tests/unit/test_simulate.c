/* Unit tests for the simulation (engine/simulate.c, engine/simulate_report.c),
 * its candidate model (engine/simmodel.c) and the disjoint-forms count
 * (engine/coverage.c): exact values of the model's formulas, a response of
 * the right shape for every built-in type, right or wrong, and whole runs of
 * the example certification (scripts/demo.lua) through the lifecycle. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kaoshi/coverage.h"
#include "kaoshi/simmodel.h"
#include "kaoshi/simulate.h"

/* ---- the model ---------------------------------------------------------------- */

static void difficulty_maps_to_logits(void)
{
    CHECK_NEAR(ks_simmodel_logit(1), -2, 0, 0);
    CHECK_NEAR(ks_simmodel_logit(3), 0, 0, 0);
    CHECK_NEAR(ks_simmodel_logit(5), 2, 0, 0);
    CHECK_NEAR(ks_simmodel_logit(0), 0, 0, 0);
    CHECK_NEAR(ks_simmodel_p_right(0, 0), 0.5, 0, 0);
    CHECK_NEAR(ks_simmodel_p_right(1, 0), 0.7310585786300049, 1e-15, 0);
    CHECK_NEAR(ks_simmodel_p_right(-2, 1), 0.04742587317756678, 1e-15, 0);
}

static void time_table_and_draws(void)
{
    CHECK_NEAR(ks_simmodel_median_s("single", 3, 60), 60, 0, 0);
    CHECK_NEAR(ks_simmodel_median_s("true_false", 0, 60), 30, 0, 0);
    CHECK_NEAR(ks_simmodel_median_s("calculated", 5, 60), 375, 1e-12, 0);
    CHECK_NEAR(ks_simmodel_median_s("essay", 1, 30), 153.6, 1e-12, 0);
    CHECK_NEAR(ks_simmodel_median_s("yes_no_why", 4, 90), 168.75, 1e-12, 0);
    /* a draw is the median times speed times exp(0.4 z) for the next deviate */
    ks_rng r, twin;
    ks_rng_seed(&r, 42);
    twin = r;
    double z = ks_rng_normal(&twin, 0, 1);
    CHECK_NEAR(ks_simmodel_seconds("numeric", 2, 60, 1.5, &r), 120 * 0.8 * 1.5 * exp(0.4 * z),
               1e-9, 1e-12);
    twin = r;
    z = ks_rng_normal(&twin, 0, 1);
    CHECK_NEAR(ks_simmodel_speed(&r), exp(0.25 * z), 0, 1e-15);
}

/* ---- responses ------------------------------------------------------------------ */

static json_t *respond(const char *key, int right, uint64_t seed)
{
    ks_rng r;
    ks_rng_seed(&r, seed);
    json_t *k = json_loads(key, 0, NULL);
    json_t *out = ks_simmodel_response(k, right, &r);
    json_decref(k);
    return out;
}

static char *respond_text(const char *key, int right, uint64_t seed)
{
    json_t *v = respond(key, right, seed);
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(v);
    return text;
}

static void check_text(const char *key, int right, const char *want)
{
    char *got = respond_text(key, right, 7);
    CHECK_STR(got, want);
    free(got);
}

static void right_answers_are_the_key(void)
{
    check_text("{\"type\":\"single\",\"answer\":1,\"shown\":[3,1,2]}", 1, "{\"choice\":2}");
    check_text("{\"type\":\"multiple\",\"answer\":[1,2],\"shown\":[2,4,1,3]}", 1,
               "{\"choices\":[3,1]}");
    check_text("{\"type\":\"true_false\",\"answer\":true}", 1, "{\"value\":true}");
    check_text("{\"type\":\"fill\",\"answers\":[\"服务水平\",[\"放弃率\",\"放弃比例\"]]}", 1,
               "{\"blanks\":[\"服务水平\",\"放弃率\"]}");
    check_text("{\"type\":\"numeric\",\"answer\":80,\"tolerance\":0.5}", 1, "{\"value\":80.0}");
    check_text("{\"type\":\"ordering\",\"items\":[\"a\",\"b\",\"c\",\"d\"],\"shown\":[2,3,4,1]}",
               1, "{\"order\":[4,1,2,3]}");
    check_text("{\"type\":\"matching\",\"pairs\":[[\"a\",\"x\"],[\"b\",\"y\"],[\"c\",\"z\"]],"
               "\"shown\":[3,1,2]}", 1, "{\"matches\":[2,3,1]}");
    check_text("{\"type\":\"calculated\",\"response\":\"value\",\"answer\":12.5}", 1,
               "{\"value\":12.5}");
    check_text("{\"type\":\"calculated\",\"response\":\"points\",\"answer\":[2,5],"
               "\"npoints\":6}", 1, "{\"points\":[2,5]}");
    check_text("{\"type\":\"essay\"}", 1, "{\"text\":\"（模拟考生的作答）\"}");
    /* a type the model does not know, or a key it cannot read: no answer */
    CHECK(respond("{\"type\":\"yes_no_why\",\"answer\":true}", 1, 7) == NULL);
    CHECK(respond("{\"type\":\"single\",\"answer\":4,\"shown\":[3,1,2]}", 1, 7) == NULL);
}

static void wrong_answers_have_the_right_shape(void)
{
    check_text("{\"type\":\"true_false\",\"answer\":true}", 0, "{\"value\":false}");
    check_text("{\"type\":\"fill\",\"answers\":[\"a\",[\"b\",\"c\"]]}", 0,
               "{\"blanks\":[\"\",\"\"]}");
    check_text("{\"type\":\"essay\"}", 0, "{\"text\":\"\"}");
    int seen_single[4] = {0}, seen_numeric[2] = {0};
    for (uint64_t seed = 1; seed <= 40; seed++) {
        json_t *v = respond("{\"type\":\"single\",\"answer\":1,\"shown\":[3,1,2]}", 0, seed);
        json_int_t d = json_integer_value(json_object_get(v, "choice"));
        CHECK(d == 1 || d == 3);
        seen_single[d]++;
        json_decref(v);

        /* 2 x 0.5 + 80 / 10 + 1 = 10 off */
        v = respond("{\"type\":\"numeric\",\"answer\":80,\"tolerance\":0.5}", 0, seed);
        double x = json_number_value(json_object_get(v, "value"));
        CHECK(x == 70 || x == 90);
        seen_numeric[x == 90]++;
        json_decref(v);

        /* relative: 2 x 0.1 x 12.5 + 1.25 + 1 = 4.75 off */
        v = respond("{\"type\":\"calculated\",\"response\":\"value\",\"answer\":12.5,"
                    "\"relative_tolerance\":0.1}", 0, seed);
        x = json_number_value(json_object_get(v, "value"));
        CHECK(x == 7.75 || x == 17.25);
        json_decref(v);

        /* one right choice (places 3 and 1) swapped for a wrong one (2 or 4) */
        v = respond("{\"type\":\"multiple\",\"answer\":[1,2],\"shown\":[2,4,1,3]}", 0, seed);
        json_t *c = json_object_get(v, "choices");
        CHECK_INT(json_array_size(c), 2);
        json_int_t a = json_integer_value(json_array_get(c, 0));
        json_int_t b = json_integer_value(json_array_get(c, 1));
        CHECK(a < b && (a == 1 || a == 3 || b == 1 || b == 3) &&
              (a == 2 || a == 4 || b == 2 || b == 4));
        json_decref(v);

        /* every option right: one is dropped */
        v = respond("{\"type\":\"multiple\",\"answer\":[1,2],\"shown\":[1,2]}", 0, seed);
        CHECK_INT(json_array_size(json_object_get(v, "choices")), 1);
        json_decref(v);

        v = respond("{\"type\":\"calculated\",\"response\":\"points\",\"answer\":[2,5],"
                    "\"npoints\":6}", 0, seed);
        c = json_object_get(v, "points");
        CHECK_INT(json_array_size(c), 2);
        a = json_integer_value(json_array_get(c, 0));
        b = json_integer_value(json_array_get(c, 1));
        CHECK((a == 2 || a == 5 || b == 2 || b == 5) && !(a == 2 && b == 5));
        json_decref(v);

        /* right order 4 1 2 3 with two neighbours swapped */
        char *o = respond_text("{\"type\":\"ordering\",\"items\":[\"a\",\"b\",\"c\",\"d\"],"
                               "\"shown\":[2,3,4,1]}", 0, seed);
        CHECK(strcmp(o, "{\"order\":[1,4,2,3]}") == 0 || strcmp(o, "{\"order\":[4,2,1,3]}") == 0 ||
              strcmp(o, "{\"order\":[4,1,3,2]}") == 0);
        free(o);

        /* right matches 2 3 1 with two of them swapped */
        o = respond_text("{\"type\":\"matching\",\"pairs\":[[\"a\",\"x\"],[\"b\",\"y\"],"
                         "[\"c\",\"z\"]],\"shown\":[3,1,2]}", 0, seed);
        CHECK(strcmp(o, "{\"matches\":[3,2,1]}") == 0 ||
              strcmp(o, "{\"matches\":[1,3,2]}") == 0 ||
              strcmp(o, "{\"matches\":[2,1,3]}") == 0);
        free(o);
    }
    CHECK(seen_single[1] > 0 && seen_single[3] > 0);
    CHECK(seen_numeric[0] > 0 && seen_numeric[1] > 0);
}

/* ---- disjoint forms ------------------------------------------------------------ */

static void disjoint_forms_are_the_least_over_sections(void)
{
    size_t units[28]; /* pools of 10, 5 and 13 units that share none */
    for (size_t i = 0; i < 28; i++)
        units[i] = i;
    ks_cert_section sections[3] = {{.pick = 3, .units = units, .nunits = 10},
                                   {.pick = 2, .units = units + 10, .nunits = 5},
                                   {.pick = 4, .units = units + 15, .nunits = 13}};
    CHECK_INT(ks_coverage_section_forms(&sections[0]), 3);
    CHECK_INT(ks_coverage_section_forms(&sections[1]), 2);
    ks_cert_info in = {.nsections = 3, .sections = sections, .nunits = 28};
    CHECK_INT(ks_coverage_forms(&in), 2);
    in.nsections = 0;
    CHECK_INT(ks_coverage_forms(&in), 0);
}

/* ---- whole runs of the example certification ----------------------------------- */

static json_t *run(size_t candidates, double mean, double pace, ks_status want, ks_store **keep)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/kaoshi-test-simulate-%d.db", (int)getpid());
    unlink(path);
    ks_store *st;
    ks_error err;
    CHECK_INT(ks_store_open(path, &st, &err), KS_OK);
    ks_simulate_options o = {.cert = "DEMO-CS", .sitting = "sim", .candidates = candidates,
                             .seed = 3, .ability_mean = mean, .ability_sd = 0,
                             .pace_s = pace, .start_ms = 1815872700000LL};
    json_t *report = NULL;
    ks_diags diags = {0};
    CHECK_INT(ks_simulate_run(st, ".", &o, &report, &diags, &err), want);
    CHECK_INT(diags.count, 0);
    ks_diags_free(&diags);
    if (keep)
        *keep = st;
    else
        ks_store_close(st);
    unlink(path);
    return report;
}

/* The value at a dotted path ("scores.all.mean") of a report. */
static const json_t *at(const json_t *r, const char *path)
{
    char key[64];
    size_t n = strcspn(path, ".");
    snprintf(key, sizeof key, "%.*s", (int)n, path);
    const json_t *v = json_object_get(r, key);
    return path[n] ? at(v, path + n + 1) : v;
}

static double num(const json_t *r, const char *path)
{
    return json_number_value(at(r, path));
}

static void able_candidates_pass_at_once(void)
{
    json_t *r = run(4, 20, 1, KS_OK, NULL);
    CHECK_NEAR(num(r, "attempts"), 4, 0, 0);
    CHECK_NEAR(num(r, "pass_rate.first"), 100, 0, 0);
    CHECK_NEAR(num(r, "pass_rate.final"), 100, 0, 0);
    CHECK_NEAR(num(r, "scores.all.mean"), 100, 0, 0);
    CHECK_NEAR(num(r, "scores.all.p10"), 100, 0, 0);
    CHECK_NEAR(num(r, "time.ran_out"), 0, 0, 0);
    CHECK_NEAR(num(r, "essays_marked"), 4, 0, 0);
    CHECK_INT(json_array_size(at(r, "sittings")), 1);
    CHECK_STR(json_string_value(json_array_get(at(r, "sittings"), 0)), "sim-1");
    json_decref(r);
}

static void weak_candidates_use_every_attempt_without_repeats(void)
{
    ks_store *st;
    json_t *r = run(5, -20, 1, KS_OK, &st);
    CHECK_NEAR(num(r, "attempts"), 10, 0, 0);
    CHECK_NEAR(num(r, "pass_rate.final"), 0, 0, 0);
    CHECK_NEAR(num(r, "retakes.retakes"), 5, 0, 0);
    CHECK_NEAR(num(r, "retakes.with_repeats"), 0, 0, 0);
    CHECK_NEAR(num(r, "retakes.disjoint_forms"), 2, 0, 0);
    CHECK_NEAR(num(r, "retakes.fresh_through"), 2, 0, 0);
    CHECK_NEAR(num(r, "exposure.pool"), 19, 0, 0);
    /* both rounds are real sittings, closed, with graded attempts */
    ks_sitting s;
    ks_error err;
    ks_attempt *list = NULL;
    size_t n = 0;
    CHECK_INT(ks_store_sitting_get(st, "sim-2", &s, &err), KS_OK);
    CHECK_INT(s.state, KS_SITTING_CLOSED);
    CHECK_INT(ks_store_attempts_in(st, s.id, &list, &n, &err), KS_OK);
    CHECK_INT(n, 5);
    for (size_t i = 0; i < n; i++) {
        ks_result res;
        CHECK_INT(list[i].number, 2);
        CHECK_INT(ks_store_result_get(st, list[i].id, &res, &err), KS_OK);
        CHECK_INT(res.passed, 0);
        ks_result_free(&res);
    }
    ks_attempt_list_free(list, n);
    ks_sitting_free(&s);
    ks_store_close(st);
    json_decref(r);
}

static void a_seed_replays_the_report(void)
{
    json_t *a = run(6, 0, 60, KS_OK, NULL), *b = run(6, 0, 60, KS_OK, NULL);
    char *ta = json_dumps(a, JSON_SORT_KEYS), *tb = json_dumps(b, JSON_SORT_KEYS);
    CHECK_STR(ta, tb);
    free(ta);
    free(tb);
    json_decref(a);
    json_decref(b);
}

static void unknown_certification_is_refused(void)
{
    ks_store *st;
    ks_error err;
    CHECK_INT(ks_store_open(":memory:", &st, &err), KS_OK);
    ks_simulate_options o = {.cert = "NOPE", .sitting = "sim", .candidates = 1,
                             .pace_s = 60, .start_ms = 1815872700000LL};
    json_t *report = NULL;
    ks_diags diags = {0};
    CHECK_INT(ks_simulate_run(st, ".", &o, &report, &diags, &err), KS_EINPUT);
    CHECK_STR(err.message, "no certification with code 'NOPE' under ./scripts (or it fails "
                           "'kaoshi check')");
    CHECK_INT(diags.count, 1);
    CHECK(report == NULL);
    o.candidates = 0;
    CHECK_INT(ks_simulate_run(st, ".", &o, &report, &diags, &err), KS_EINPUT);
    ks_diags_free(&diags);
    ks_store_close(st);
}

UNIT_MAIN(T(difficulty_maps_to_logits), T(time_table_and_draws), T(right_answers_are_the_key),
          T(wrong_answers_have_the_right_shape), T(disjoint_forms_are_the_least_over_sections),
          T(able_candidates_pass_at_once), T(weak_candidates_use_every_attempt_without_repeats),
          T(a_seed_replays_the_report), T(unknown_certification_is_refused))
