/* The analytics data set of sittings, from the store and the certification
 * frozen with each sitting: see include/kaoshi/analytics_load.h.
 *
 * What the built-in question types mean to the analysis lives here:
 *   - options, in the bank's numbering: single and multiple (their `options`
 *     and `answer`), true_false (1 正确, 2 错误). A form's slot keeps the
 *     order its options were shown in (data.order[d] is the bank's number of
 *     place d) and a response names places ({"choice": d}, {"choices": [d,
 *     ...]}), so chosen options are mapped back through it.
 *   - the random guess score, Moodle's expected fraction from guessing: 1/n
 *     for single choice, 1/2 for true/false, 1/n for matching per pair
 *     ((1/n)^n all or nothing) and for ordering by positions or adjacent
 *     pairs (1/n! all or nothing), 0 for fill, numeric and calculated; none
 *     for multiple choice and essays (as Moodle gives none).
 * Types an author defines are read through their views
 * (engine/exam/analytics_own.c).
 * Uses the store, the exam lifecycle (opened sittings, frozen certifications)
 * and jansson. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analytics_impl.h"
#include "exam/analytics_own.h"
#include "kaoshi/analytics_load.h"
#include "kaoshi/bank.h"

/* ---- items ----------------------------------------------------------------------- */

/* The frozen certification's items sorted by id, for lookups. */
typedef struct item_index {
    const ks_cert *cert;
    size_t *order;
    size_t n;
} item_index;

static int by_item_id(const void *pa, const void *pb, void *cert)
{
    return strcmp(ks_cert_item(cert, *(const size_t *)pa)->id,
                  ks_cert_item(cert, *(const size_t *)pb)->id);
}

static bool index_items(item_index *ix, const ks_cert *cert)
{
    ix->cert = cert;
    ix->n = ks_cert_info_of(cert)->nitems;
    ix->order = calloc(ix->n + 1, sizeof *ix->order);
    if (!ix->order)
        return false;
    for (size_t i = 0; i < ix->n; i++)
        ix->order[i] = i;
    qsort_r(ix->order, ix->n, sizeof *ix->order, by_item_id, (void *)cert);
    return true;
}

static const ks_item *find_item(const item_index *ix, const char *id)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const ks_item *it = ks_cert_item(ix->cert, ix->order[mid]);
        int c = strcmp(it->id, id);
        if (c == 0)
            return it;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static const char *scalar_text(const ks_node *n)
{
    return n && n->kind == KS_NODE_SCALAR ? n->text : NULL;
}

static bool is_type(const ks_item *it, const char *type) { return strcmp(it->type, type) == 0; }

static double factorial(size_t n)
{
    double f = 1;
    for (size_t k = 2; k <= n; k++)
        f *= (double)k;
    return f;
}

static double guess_of(const ks_item *it)
{
    const char *rule = scalar_text(ks_node_get(it->node, "rule"));
    if (is_type(it, "single")) {
        const ks_node *opts = ks_node_get(it->node, "options");
        return opts && opts->count ? 1.0 / (double)opts->count : NAN;
    }
    if (is_type(it, "true_false"))
        return 0.5;
    if (is_type(it, "matching") || is_type(it, "ordering")) {
        const ks_node *list = ks_node_get(it->node, is_type(it, "matching") ? "pairs" : "items");
        double n = list ? (double)list->count : 0;
        if (n < 1)
            return NAN;
        if (rule && strcmp(rule, "all_or_nothing") != 0)
            return 1 / n; /* per_pair, positions, adjacent */
        return is_type(it, "matching") ? pow(1 / n, n) : 1 / factorial(list->count);
    }
    if (is_type(it, "fill") || is_type(it, "numeric") || is_type(it, "calculated"))
        return 0;
    return NAN;
}

static const char *const true_false_options[] = {"正确", "错误"};

/* The item's analysis data; *texts (malloc'd, may be NULL) holds the
 * pointers info->options refers to. */
static bool item_info(const ks_item *it, ks_analytics_item_info *info, const char ***texts)
{
    *info = (ks_analytics_item_info){.id = it->id, .type = it->type,
                                     .stem = scalar_text(ks_node_get(it->node, "stem")),
                                     .guess = guess_of(it)};
    *texts = NULL;
    const ks_node *answer = ks_node_get(it->node, "answer");
    if (is_type(it, "true_false")) {
        info->noptions = 2;
        info->options = true_false_options;
        info->key = answer && answer->type == KS_SCALAR_BOOL && !answer->ival ? 2u : 1u;
        return true;
    }
    const ks_node *opts = ks_node_get(it->node, "options");
    if (!(is_type(it, "single") || is_type(it, "multiple")) || !opts ||
        opts->kind != KS_NODE_SEQ || opts->count > KS_ANALYTICS_MAX_OPTIONS)
        return true;
    *texts = calloc(opts->count + 1, sizeof **texts);
    if (!*texts)
        return false;
    for (size_t k = 0; k < opts->count; k++)
        (*texts)[k] = scalar_text(opts->items[k]);
    info->noptions = (int)opts->count;
    info->options = *texts;
    size_t nkeys = answer && answer->kind == KS_NODE_SEQ ? answer->count : 1;
    for (size_t k = 0; answer && k < nkeys; k++) {
        const ks_node *a = answer->kind == KS_NODE_SEQ ? answer->items[k] : answer;
        if (a->kind == KS_NODE_SCALAR && a->type == KS_SCALAR_INT && a->ival >= 1 &&
            a->ival <= info->noptions)
            info->key |= 1u << (a->ival - 1);
    }
    return true;
}

/* ---- one attempt ------------------------------------------------------------------ */

/* The bank's option numbers of the places a response names, through the
 * slot's order. */
static uint32_t chosen_options(const ks_analytics_item_info *info, json_t *slot,
                               const char *response_json)
{
    json_t *response = response_json ? json_loads(response_json, 0, NULL) : NULL;
    uint32_t chosen = 0;
    if (info->noptions == 2 && strcmp(info->type, "true_false") == 0) {
        json_t *v = json_object_get(response, "value");
        chosen = json_is_boolean(v) ? (json_is_true(v) ? 1u : 2u) : 0;
    } else if (info->noptions > 0) {
        json_t *order = json_object_get(json_object_get(slot, "data"), "order");
        json_t *places = json_object_get(response, "choices");
        json_t *one = json_object_get(response, "choice");
        size_t n = json_is_array(places) ? json_array_size(places) : one != NULL;
        for (size_t k = 0; k < n; k++) {
            json_t *place = json_is_array(places) ? json_array_get(places, k) : one;
            json_int_t d = json_is_integer(place) ? json_integer_value(place) : 0;
            json_t *bank = d >= 1 ? json_array_get(order, (size_t)d - 1) : NULL;
            json_int_t b = json_is_integer(bank) ? json_integer_value(bank) : 0;
            if (b >= 1 && b <= info->noptions)
                chosen |= 1u << (b - 1);
        }
    }
    json_decref(response);
    return chosen;
}

typedef struct sitting_ctx {
    ks_exam *x;
    const ks_sitting *s;
    item_index items;
    ks_cert *cert;
    analytics_own *own; /* what is known of the items of own types */
    const ks_analytics_slot_info *layout;
    size_t nslots;
    ks_enrollment *enrolled;
    size_t nenrolled;
} sitting_ctx;

static const char *candidate_number(const sitting_ctx *c, int64_t id)
{
    for (size_t i = 0; i < c->nenrolled; i++)
        if (c->enrolled[i].candidate_id == id)
            return c->enrolled[i].number;
    return "?";
}

/* Puts "WHAT ID: " or "WHAT 'NAME': " before err's message. */
static ks_status with_context(ks_error *err, ks_status code, const char *what, int64_t id,
                              const char *name)
{
    if (!err)
        return code;
    char message[sizeof err->message];
    snprintf(message, sizeof message, "%s", err->message);
    if (name)
        return ks_error_set(err, code, "%s '%s': %s", what, name, message);
    return ks_error_set(err, code, "%s %lld: %s", what, (long long)id, message);
}

static ks_status bad_form(const ks_attempt *a, const char *what, ks_error *err)
{
    return ks_error_set(err, KS_EINTERNAL, "attempt %lld: %s", (long long)a->id, what);
}

/* Adds the items of the attempt's form to d and fills resp. */
static ks_status read_attempt(sitting_ctx *c, ks_analytics_data *d, const ks_attempt *a,
                              json_t *form, json_t *result, ks_analytics_response *resp,
                              ks_error *err)
{
    json_t *slots = json_object_get(form, "slots"), *scored = json_object_get(result, "items");
    if (json_array_size(slots) != c->nslots || json_array_size(scored) != c->nslots)
        return bad_form(a, "its form or result does not have the certification's questions",
                        err);
    ks_answer *answers = NULL;
    size_t nanswers = 0;
    ks_status rc = ks_store_answers_latest(c->x->store, a->id, &answers, &nanswers, err);
    for (size_t i = 0; !rc && i < c->nslots; i++) {
        json_t *slot = json_array_get(slots, i), *item = json_array_get(scored, i);
        const char *id = json_string_value(json_object_get(slot, "id"));
        const ks_item *it = id ? find_item(&c->items, id) : NULL;
        json_t *points = json_object_get(item, "points");
        double max = json_number_value(json_object_get(item, "max_points"));
        if (!it || json_integer_value(json_object_get(slot, "section")) != c->layout[i].section ||
            !json_is_number(points) || !(max > 0)) {
            rc = bad_form(a, "its form or result does not match the frozen certification", err);
            break;
        }
        const char *response = NULL;
        for (size_t k = 0; k < nanswers; k++)
            if ((size_t)answers[k].slot == i)
                response = answers[k].response;
        ks_analytics_item_info info;
        const char **texts = NULL;
        uint32_t chosen = 0;
        if (ks_cert_own_type(c->cert, it->type)) {
            if (!(rc = analytics_own_info(c->own, it, &info, err))) {
                info.stem = scalar_text(ks_node_get(it->node, "stem"));
                rc = analytics_own_chosen(c->own, &info, it, a->form, i, response, &chosen, err);
            }
        } else if (!item_info(it, &info, &texts)) {
            rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
        } else {
            chosen = chosen_options(&info, slot, response);
        }
        if (!rc)
            rc = ks_analytics_data_add_item(d, &info, err);
        free(texts);
        /* an item with points of its own counts at its section's points, so
         * that each question keeps one maximum across attempts */
        double x = json_number_value(points);
        if (max != c->layout[i].points)
            x = x * c->layout[i].points / max;
        resp[i] = (ks_analytics_response){it->id, x,
                                          json_is_true(json_object_get(item, "answered")),
                                          chosen};
    }
    ks_answer_list_free(answers, nanswers);
    return rc;
}

/* Adds the attempt when it is finished and its result is final. */
static ks_status add_attempt(sitting_ctx *c, ks_analytics_data *d, const ks_attempt *a,
                             ks_error *err)
{
    if (a->state != KS_ATTEMPT_FINISHED)
        return KS_OK;
    ks_result result;
    ks_status rc = ks_store_result_get(c->x->store, a->id, &result, err);
    if (rc == KS_ENOTFOUND)
        return KS_OK; /* not graded yet */
    if (rc)
        return rc;
    json_t *form = NULL, *detail = NULL;
    ks_analytics_response *resp = NULL;
    if (result.passed >= 0) { /* -1: an answer waits for a person's mark */
        form = json_loads(a->form, 0, NULL);
        detail = json_loads(result.detail, 0, NULL);
        resp = calloc(c->nslots + 1, sizeof *resp);
        if (!resp)
            rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
        else if (!(rc = read_attempt(c, d, a, form, detail, resp, err))) {
            ks_analytics_attempt at = {c->s->name, candidate_number(c, a->candidate_id),
                                       a->number, a->seed, resp};
            rc = ks_analytics_data_add_attempt(d, &at, err);
            if (rc == KS_EINPUT) /* the store's data are not the caller's mistake */
                rc = with_context(err, KS_EINTERNAL, "attempt", a->id, NULL);
        }
    }
    free(resp);
    json_decref(form);
    json_decref(detail);
    ks_result_free(&result);
    return rc;
}

/* ---- sittings -------------------------------------------------------------------------- */

static ks_status set_layout(ks_analytics_data *d, const ks_cert_info *info, const char *name,
                            ks_analytics_slot_info **layout, size_t *n, ks_error *err)
{
    *n = 0;
    for (size_t s = 0; s < info->nsections; s++)
        *n += (size_t)info->sections[s].pick;
    *layout = calloc(*n + 1, sizeof **layout);
    if (!*layout)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    size_t i = 0;
    for (size_t s = 0; s < info->nsections; s++)
        for (int k = 0; k < info->sections[s].pick; k++)
            (*layout)[i++] = (ks_analytics_slot_info){(int)s + 1, info->sections[s].title,
                                                      info->sections[s].points};
    ks_status rc = ks_analytics_data_set_layout(d, *layout, *n, err);
    return rc == KS_EINPUT ? with_context(err, KS_EINPUT, "sitting", 0, name) : rc;
}

static ks_status load_sitting(ks_exam *x, const char *name, ks_analytics_data **d,
                              ks_error *err)
{
    ks_sitting s;
    ks_status rc = ks_exam_opened_sitting(x, name, &s, err);
    if (rc)
        return rc;
    ks_fileset *fs = NULL;
    ks_cert *cert = NULL;
    sitting_ctx c = {.x = x, .s = &s};
    ks_analytics_slot_info *layout = NULL;
    ks_attempt *list = NULL;
    size_t n = 0;
    if (!(rc = ks_exam_frozen_cert(x, &s, &fs, &cert, err))) {
        const ks_cert_info *info = ks_cert_info_of(cert);
        if (!*d && !(*d = ks_analytics_data_new(info->code, info->title)))
            rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
        else if (strcmp((*d)->code, info->code) != 0)
            rc = ks_error_set(err, KS_EINPUT, "sitting '%s' is of %s, not %s; report "
                              "certifications separately", name, info->code, (*d)->code);
        if (!rc && !(rc = ks_analytics_data_add_sitting(*d, name, err)) &&
            !(rc = set_layout(*d, info, name, &layout, &c.nslots, err))) {
            c.layout = layout;
            c.cert = cert;
            if (!index_items(&c.items, cert) || !(c.own = analytics_own_new(cert)))
                rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
        }
    }
    if (!rc && !(rc = ks_store_enrollments(x->store, s.id, &c.enrolled, &c.nenrolled, err)))
        rc = ks_store_attempts_in(x->store, s.id, &list, &n, err);
    for (size_t i = 0; !rc && i < n; i++)
        rc = add_attempt(&c, *d, &list[i], err);
    ks_attempt_list_free(list, n);
    ks_enrollment_list_free(c.enrolled, c.nenrolled);
    free(c.items.order);
    analytics_own_free(c.own);
    free(layout);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_sitting_free(&s);
    return rc;
}

ks_status ks_analytics_load(ks_exam *x, const char *const *sittings, size_t n,
                            ks_analytics_data **out, ks_error *err)
{
    ks_analytics_data *d = NULL;
    ks_status rc = KS_OK;
    for (size_t i = 0; !rc && i < n; i++)
        rc = load_sitting(x, sittings[i], &d, err);
    if (rc) {
        ks_analytics_data_free(d);
        d = NULL;
    }
    *out = d;
    return rc;
}

ks_status ks_analytics_report_sittings(ks_exam *x, const ks_analytics_request *q,
                                       ks_analytics_data **data, ks_analytics_report **report,
                                       ks_error *err)
{
    *data = NULL;
    *report = NULL;
    if (q->compare && q->retakes)
        return ks_error_set(err, KS_EINPUT, "compare with another sitting or with retakes, "
                            "not both");
    ks_analytics_data *d = NULL, *other = NULL;
    ks_analytics_report *r = NULL;
    ks_status rc = ks_analytics_load(x, q->sittings, q->nsittings, &d, err);
    if (!rc)
        rc = ks_analytics_compute(d, q->which, &r, err);
    if (!rc && q->compare && !(rc = ks_analytics_load(x, &q->compare, 1, &other, err)))
        rc = ks_analytics_compare(r, other, q->compare, err);
    if (!rc && q->retakes)
        rc = ks_analytics_compare_retakes(r, err);
    ks_analytics_data_free(other); /* the comparison keeps only its figures */
    if (rc) {
        ks_analytics_report_free(r);
        ks_analytics_data_free(d);
        return rc;
    }
    *data = d;
    *report = r;
    return KS_OK;
}
