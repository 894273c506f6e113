/* What the analysis knows of items whose question type an author defines:
 * derived from the view the type presents, as for a built-in type from its
 * fields. A `choice`, `choices` or `truth` view has options (named by their
 * text, in the order a trial form of seed 1 shows them; truth: 1 正确,
 * 2 错误), a key (the response the type's solve() gives, or the engine finds
 * by trying every response) and, for choice and truth, a random guess score
 * (1/n, 1/2); other widgets have neither options nor a guess score. See
 * engine/exam/analytics_own.h. */
#include "exam/analytics_own.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kaoshi/analytics.h"

#define TRIAL_SEED 1

struct analytics_own {
    ks_cert *cert;
    size_t nitems;
    ks_analytics_item_info *info; /* per item of the certification */
    char ***texts;                /* per item: its option texts (malloc'd) */
    unsigned char *known;         /* per item: info computed */
};

static const char *const truth_texts[] = {"正确", "错误"};

analytics_own *analytics_own_new(ks_cert *cert)
{
    analytics_own *o = calloc(1, sizeof *o);
    size_t n = ks_cert_info_of(cert)->nitems;
    if (o) {
        o->cert = cert;
        o->nitems = n;
        o->info = calloc(n + 1, sizeof *o->info);
        o->texts = calloc(n + 1, sizeof *o->texts);
        o->known = calloc(n + 1, 1);
    }
    if (o && (!o->info || !o->texts || !o->known)) {
        analytics_own_free(o);
        return NULL;
    }
    return o;
}

void analytics_own_free(analytics_own *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->nitems; i++) {
        for (int k = 0; o->texts[i] && k < o->info[i].noptions; k++)
            free(o->texts[i][k]);
        free(o->texts[i]);
    }
    free(o->info);
    free(o->texts);
    free(o->known);
    free(o);
}

/* The view of slot of a form, parsed; NULL with err set on failure. */
static json_t *view_of(ks_cert *cert, const char *form, size_t slot, ks_error *err)
{
    char *text = NULL;
    if (ks_cert_present(cert, form, slot, 0, &text, err))
        return NULL;
    json_t *view = json_loads(text, 0, NULL);
    free(text);
    if (!view)
        ks_error_set(err, KS_EINTERNAL, "a view does not read back");
    return view;
}

/* The option number (1-based, in texts) of the view option with the given id, or 0. */
static int option_number(json_t *view, json_int_t id, char *const *texts, int n)
{
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(view, "options"), i, o) {
        if (json_integer_value(json_object_get(o, "id")) != id)
            continue;
        const char *text = json_string_value(json_object_get(o, "text"));
        for (int k = 0; text && k < n; k++)
            if (strcmp(texts[k], text) == 0)
                return k + 1;
    }
    return 0;
}

/* The options a response chooses in a view, as a bit set over texts. */
static uint32_t chosen_in(json_t *view, json_t *response, char *const *texts, int n)
{
    if (strcmp(json_string_value(json_object_get(view, "widget")), "truth") == 0) {
        json_t *v = json_object_get(response, "value");
        return json_is_boolean(v) ? (json_is_true(v) ? 1u : 2u) : 0;
    }
    json_t *many = json_object_get(response, "choices");
    json_t *one = json_object_get(response, "choice");
    size_t count = json_is_array(many) ? json_array_size(many) : one != NULL;
    uint32_t chosen = 0;
    for (size_t k = 0; k < count; k++) {
        json_t *id = json_is_array(many) ? json_array_get(many, k) : one;
        int number = option_number(view, json_integer_value(id), texts, n);
        if (number)
            chosen |= 1u << (number - 1);
    }
    return chosen;
}

/* Fills item i's info from a trial form: the options and guess of its view,
 * and the key of its solved response. */
static ks_status derive(analytics_own *o, size_t i, ks_error *err)
{
    ks_analytics_item_info *info = &o->info[i];
    const ks_item *it = ks_cert_item(o->cert, i);
    *info = (ks_analytics_item_info){.id = it->id, .type = it->type, .guess = NAN};
    char *form = NULL, *solved = NULL, *why = NULL;
    json_t *view = NULL;
    ks_status rc = ks_cert_trial_form(o->cert, i, TRIAL_SEED, &form, err);
    if (!rc && !(view = view_of(o->cert, form, 0, err)))
        rc = err ? err->code : KS_EINTERNAL;
    const char *widget = json_string_value(json_object_get(view, "widget"));
    json_t *options = json_object_get(view, "options");
    if (!rc && widget && strcmp(widget, "truth") == 0) {
        info->noptions = 2;
        info->guess = 0.5;
        if (!(o->texts[i] = calloc(3, sizeof *o->texts[i])) ||
            !(o->texts[i][0] = strdup(truth_texts[0])) ||
            !(o->texts[i][1] = strdup(truth_texts[1])))
            rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    } else if (!rc && widget && json_array_size(options) <= KS_ANALYTICS_MAX_OPTIONS &&
               (strcmp(widget, "choice") == 0 || strcmp(widget, "choices") == 0)) {
        info->noptions = (int)json_array_size(options);
        info->guess = strcmp(widget, "choice") == 0 ? 1.0 / info->noptions : NAN;
        if (!(o->texts[i] = calloc((size_t)info->noptions + 1, sizeof *o->texts[i])))
            rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
        for (int k = 0; !rc && k < info->noptions; k++) {
            json_t *option = json_array_get(options, (size_t)k);
            const char *text = json_string_value(json_object_get(option, "text"));
            if (!(o->texts[i][k] = strdup(text ? text : "")))
                rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
        }
    }
    if (!rc && info->noptions &&
        !(rc = ks_cert_solve(o->cert, form, 0, &solved, &why, err)) && solved) {
        json_t *response = json_loads(solved, 0, NULL);
        info->key = chosen_in(view, response, o->texts[i], info->noptions);
        json_decref(response);
    }
    info->options = (const char *const *)o->texts[i];
    free(form);
    free(solved);
    free(why);
    json_decref(view);
    return rc;
}

ks_status analytics_own_info(analytics_own *o, const ks_item *it, ks_analytics_item_info *info,
                             ks_error *err)
{
    size_t i = (size_t)(it - ks_cert_item(o->cert, 0));
    if (!o->known[i]) {
        ks_status rc = derive(o, i, err);
        if (rc)
            return rc;
        o->known[i] = 1;
    }
    *info = o->info[i];
    return KS_OK;
}

ks_status analytics_own_chosen(analytics_own *o, const ks_analytics_item_info *info,
                               const ks_item *it, const char *form, size_t slot,
                               const char *response_json, uint32_t *chosen, ks_error *err)
{
    *chosen = 0;
    if (!info->noptions || !response_json)
        return KS_OK;
    json_t *view = view_of(o->cert, form, slot, err);
    if (!view)
        return err ? err->code : KS_EINTERNAL;
    json_t *response = json_loads(response_json, 0, NULL);
    size_t i = (size_t)(it - ks_cert_item(o->cert, 0));
    *chosen = chosen_in(view, response, o->texts[i], info->noptions);
    json_decref(response);
    json_decref(view);
    return KS_OK;
}
