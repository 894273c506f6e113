/* The synthetic candidates of a simulation: see include/kaoshi/simmodel.h. */
#include "kaoshi/simmodel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double ks_simmodel_logit(int difficulty)
{
    return difficulty ? difficulty - 3.0 : 0.0;
}

double ks_simmodel_p_right(double theta, double b)
{
    return 1.0 / (1.0 + exp(-(theta - b)));
}

static const struct {
    const char *type;
    double median_s;
} medians[] = {
    {"true_false", 30}, {"single", 60},    {"fill", 75},        {"multiple", 90},
    {"ordering", 90},   {"matching", 120}, {"numeric", 120},    {"calculated", 240},
    {"essay", 480},
};

/* Any type the table does not name: an author's own. */
#define OTHER_MEDIAN_S 90.0

double ks_simmodel_median_s(const char *type, int difficulty, double pace_s)
{
    double m = OTHER_MEDIAN_S;
    for (size_t i = 0; i < sizeof medians / sizeof medians[0]; i++)
        if (strcmp(medians[i].type, type) == 0)
            m = medians[i].median_s;
    if (difficulty)
        m *= pow(1.25, difficulty - 3);
    return m * pace_s / KS_SIMMODEL_PACE_S;
}

double ks_simmodel_speed(ks_rng *r)
{
    return exp(ks_rng_normal(r, 0, KS_SIMMODEL_SPEED_SD));
}

double ks_simmodel_seconds(const char *type, int difficulty, double pace_s, double speed,
                           ks_rng *r)
{
    return ks_simmodel_median_s(type, difficulty, pace_s) * speed *
           exp(ks_rng_normal(r, 0, KS_SIMMODEL_QUESTION_SD));
}

/* ---- responses ------------------------------------------------------------- */

/* The place (from 1) at which the form shows bank entry `number`, or 0. */
static json_int_t place_of(const json_t *key, json_int_t number)
{
    const json_t *shown = json_object_get(key, "shown");
    for (size_t d = 0; d < json_array_size(shown); d++)
        if (json_integer_value(json_array_get(shown, d)) == number)
            return (json_int_t)d + 1;
    return 0;
}

/* The places of the bank entries listed in `numbers`; NULL if one is not shown. */
static json_t *places_of(const json_t *key, const json_t *numbers)
{
    json_t *out = json_array();
    size_t i;
    const json_t *n;
    json_array_foreach(numbers, i, n) {
        json_int_t d = place_of(key, json_integer_value(n));
        if (!d) {
            json_decref(out);
            return NULL;
        }
        json_array_append_new(out, json_integer(d));
    }
    return out;
}

/* A wrong choice of several among 1..n, from the right ones: one right choice
 * swapped for a wrong one, or dropped when every choice is right. The
 * result is in ascending order. Takes right's reference. */
static json_t *wrong_set(json_t *right, json_int_t n, ks_rng *r)
{
    char *in = calloc((size_t)n + 1, 1);
    if (!in) {
        json_decref(right);
        return NULL;
    }
    size_t i;
    json_t *v;
    json_array_foreach(right, i, v) {
        json_int_t d = json_integer_value(v);
        if (d >= 1 && d <= n)
            in[d] = 1;
    }
    json_decref(right);
    size_t nright = 0;
    for (json_int_t d = 1; d <= n; d++)
        nright += in[d];
    size_t nwrong = (size_t)n - nright;
    if (nright > 0) { /* take one right choice out */
        size_t out = (size_t)ks_rng_below(r, nright);
        for (json_int_t d = 1; d <= n; d++)
            if (in[d] && out-- == 0) {
                in[d] = 2;
                break;
            }
    }
    if (nwrong > 0) { /* and put one wrong choice in */
        size_t add = (size_t)ks_rng_below(r, nwrong);
        for (json_int_t d = 1; d <= n; d++)
            if (!in[d] && add-- == 0) {
                in[d] = 1;
                break;
            }
    }
    json_t *out = json_array();
    for (json_int_t d = 1; d <= n; d++)
        if (in[d] == 1)
            json_array_append_new(out, json_integer(d));
    free(in);
    return out;
}

/* 1, 2, ..., n mapped to their places: the right order of an ordering
 * question, or the right matches of a matching one. */
static json_t *identity_places(const json_t *key, size_t n)
{
    json_t *out = json_array();
    for (size_t i = 1; i <= n; i++) {
        json_int_t d = place_of(key, (json_int_t)i);
        if (!d) {
            json_decref(out);
            return NULL;
        }
        json_array_append_new(out, json_integer(d));
    }
    return out;
}

static void swap(json_t *list, size_t i, size_t j)
{
    json_t *a = json_incref(json_array_get(list, i));
    json_array_set(list, i, json_array_get(list, j));
    json_array_set_new(list, j, a);
}

/* A number outside the tolerance of `answer`. */
static double wrong_number(const json_t *key, double answer, ks_rng *r)
{
    double tol = json_number_value(json_object_get(key, "tolerance"));
    double rel = json_number_value(json_object_get(key, "relative_tolerance")) * fabs(answer);
    double delta = 2 * (tol > rel ? tol : rel) + 0.1 * fabs(answer) + 1;
    return ks_rng_below(r, 2) ? answer + delta : answer - delta;
}

static json_t *respond_choice(const json_t *key, int right, ks_rng *r)
{
    json_int_t place = place_of(key, json_integer_value(json_object_get(key, "answer")));
    json_int_t n = (json_int_t)json_array_size(json_object_get(key, "shown"));
    if (!place || n < 2)
        return NULL;
    if (!right) {
        json_int_t other = (json_int_t)ks_rng_below(r, (uint64_t)n - 1) + 1;
        place = other < place ? other : other + 1;
    }
    return json_pack("{sI}", "choice", place);
}

static json_t *respond_choices(const json_t *key, int right, ks_rng *r)
{
    json_t *places = places_of(key, json_object_get(key, "answer"));
    if (!places)
        return NULL;
    if (!right)
        places = wrong_set(places, (json_int_t)json_array_size(json_object_get(key, "shown")), r);
    return places ? json_pack("{so}", "choices", places) : NULL;
}

static json_t *respond_blanks(const json_t *key, int right)
{
    json_t *blanks = json_array();
    size_t i;
    const json_t *accepted;
    json_array_foreach(json_object_get(key, "answers"), i, accepted) {
        const json_t *first = json_is_array(accepted) ? json_array_get(accepted, 0) : accepted;
        json_array_append_new(blanks, json_string(right ? json_string_value(first) : ""));
    }
    return json_pack("{so}", "blanks", blanks);
}

/* Ordering (adjacent: two neighbours swapped when wrong) or matching (any
 * two matches swapped). */
static json_t *respond_order(const json_t *key, const char *list, const char *field,
                             int adjacent, int right, ks_rng *r)
{
    size_t n = json_array_size(json_object_get(key, list));
    json_t *order = n >= 2 ? identity_places(key, n) : NULL;
    if (!order)
        return NULL;
    if (!right && adjacent) {
        size_t i = (size_t)ks_rng_below(r, n - 1);
        swap(order, i, i + 1);
    } else if (!right) {
        size_t i = (size_t)ks_rng_below(r, n), j = (size_t)ks_rng_below(r, n - 1);
        swap(order, i, j < i ? j : j + 1);
    }
    return json_pack("{so}", field, order);
}

static json_t *respond_calculated(const json_t *key, int right, ks_rng *r)
{
    const json_t *answer = json_object_get(key, "answer");
    if (json_is_number(answer))
        return json_pack("{sf}", "value", right ? json_number_value(answer)
                                                : wrong_number(key, json_number_value(answer), r));
    json_t *points = json_deep_copy(answer);
    if (!right)
        points = wrong_set(points, json_integer_value(json_object_get(key, "npoints")), r);
    return points ? json_pack("{so}", "points", points) : NULL;
}

json_t *ks_simmodel_response(const json_t *key, int right, ks_rng *r)
{
    const char *type = json_string_value(json_object_get(key, "type"));
    if (!type)
        return NULL;
    if (strcmp(type, "single") == 0)
        return respond_choice(key, right, r);
    if (strcmp(type, "multiple") == 0)
        return respond_choices(key, right, r);
    if (strcmp(type, "true_false") == 0)
        return json_pack("{sb}", "value", json_is_true(json_object_get(key, "answer")) == right);
    if (strcmp(type, "fill") == 0)
        return respond_blanks(key, right);
    if (strcmp(type, "numeric") == 0) {
        double a = json_number_value(json_object_get(key, "answer"));
        return json_pack("{sf}", "value", right ? a : wrong_number(key, a, r));
    }
    if (strcmp(type, "ordering") == 0)
        return respond_order(key, "items", "order", 1, right, r);
    if (strcmp(type, "matching") == 0)
        return respond_order(key, "pairs", "matches", 0, right, r);
    if (strcmp(type, "calculated") == 0)
        return respond_calculated(key, right, r);
    if (strcmp(type, "essay") == 0)
        return json_pack("{ss}", "text", right ? "（模拟考生的作答）" : "");
    return NULL;
}
