/* Disjoint forms of a certification's pools, and the difficulty and Angoff
 * score of the forms it draws: see include/kaoshi/coverage.h. */
#include "kaoshi/coverage.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kaoshi/groups.h"

size_t ks_coverage_section_forms(const ks_cert_section *sec)
{
    return sec->pick > 0 ? sec->nunits / (size_t)sec->pick : 0;
}

size_t ks_coverage_forms(const ks_cert_info *info)
{
    ks_groups_pool *pools = malloc((info->nsections + 1) * sizeof *pools);
    if (!pools)
        return 0;
    for (size_t s = 0; s < info->nsections; s++) {
        const ks_cert_section *sec = &info->sections[s];
        pools[s] = (ks_groups_pool){sec->units, sec->nunits, sec->pick};
    }
    size_t forms = ks_groups_forms(pools, info->nsections, info->nunits, SIZE_MAX);
    free(pools);
    return forms == SIZE_MAX ? 0 : forms;
}

ks_status ks_coverage_measure(const ks_cert *cert, const char *form_json, ks_coverage_form *out,
                              ks_error *err)
{
    json_t *form = json_loads(form_json, 0, NULL);
    json_t *slots = json_object_get(form, "slots");
    if (!json_is_array(slots)) {
        json_decref(form);
        return ks_error_set(err, KS_EINTERNAL, "a drawn form has no slots");
    }
    double labels = 0, points = 0, expected = 0;
    size_t labelled = 0, missing = 0, i;
    size_t n = json_array_size(slots);
    const ks_item **on_form = calloc(n ? n : 1, sizeof *on_form);
    if (!on_form) {
        json_decref(form);
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    out->clashes = 0;
    json_t *slot;
    json_array_foreach(slots, i, slot) {
        size_t at = ks_cert_item_index(cert, json_string_value(json_object_get(slot, "id")));
        const ks_item *item = at == SIZE_MAX ? NULL : ks_cert_item(cert, at);
        for (size_t k = 0; item && item->group && k < i; k++)
            if (on_form[k] && on_form[k]->group && strcmp(on_form[k]->group, item->group) == 0) {
                out->clashes++;
                break;
            }
        on_form[i] = item;
        double p = json_number_value(json_object_get(slot, "points"));
        labels += item ? item->difficulty : 0;
        labelled += item && item->difficulty;
        points += p;
        expected += item ? p * item->angoff : 0;
        missing += !item || item->angoff == 0;
    }
    free(on_form);
    json_decref(form);
    out->difficulty = labelled ? labels / (double)labelled : 0;
    out->angoff = missing || points <= 0 ? -1 : 100 * expected / points;
    return KS_OK;
}

int ks_coverage_balanced(const ks_cert_info *info, const ks_coverage_form *form)
{
    if (info->balance_difficulty_within > 0 && form->difficulty > 0 &&
        fabs(form->difficulty - info->balance_difficulty) > info->balance_difficulty_within + 1e-9)
        return 0;
    return !(info->balance_angoff_within > 0 && form->angoff >= 0 &&
             fabs(form->angoff - info->balance_angoff) > info->balance_angoff_within + 1e-9);
}

/* Adds x to stats, summing squares in *squares. */
static void tally(ks_coverage_stats *st, double *sum, double *squares, double x)
{
    st->min = st->forms == 0 || x < st->min ? x : st->min;
    st->max = st->forms == 0 || x > st->max ? x : st->max;
    st->forms++;
    *sum += x;
    *squares += x * x;
}

static void finish(ks_coverage_stats *st, double sum, double squares)
{
    if (!st->forms)
        return;
    st->mean = sum / (double)st->forms;
    double var = squares / (double)st->forms - st->mean * st->mean;
    st->sd = var > 0 ? sqrt(var) : 0;
}

ks_status ks_coverage_sample_of(ks_cert *cert, unsigned nforms, ks_coverage_sample *out,
                                ks_error *err)
{
    const ks_cert_info *info = ks_cert_info_of(cert);
    double sums[4] = {0};
    *out = (ks_coverage_sample){0};
    if (!(out->forms = calloc(nforms ? nforms : 1, sizeof *out->forms)))
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    ks_status rc = KS_OK;
    for (unsigned seed = 1; !rc && seed <= nforms; seed++) {
        char *json = NULL;
        ks_coverage_form *f = &out->forms[seed - 1];
        rc = ks_cert_build_form(cert, seed, NULL, 0, &json, err);
        if (!rc)
            rc = ks_coverage_measure(cert, json, f, err);
        free(json);
        if (rc)
            break;
        out->nforms++;
        if (f->difficulty > 0)
            tally(&out->difficulty, &sums[0], &sums[1], f->difficulty);
        if (f->angoff >= 0)
            tally(&out->angoff, &sums[2], &sums[3], f->angoff);
        out->off_balance += !ks_coverage_balanced(info, f);
        out->clashing += f->clashes > 0;
    }
    if (rc) {
        ks_coverage_sample_free(out);
        return rc;
    }
    finish(&out->difficulty, sums[0], sums[1]);
    finish(&out->angoff, sums[2], sums[3]);
    return KS_OK;
}

void ks_coverage_sample_free(ks_coverage_sample *s)
{
    free(s->forms);
    *s = (ks_coverage_sample){0};
}
