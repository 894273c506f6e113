/* The analytics data set: sittings, the form's slots, the items drawn and
 * the attempts, copied and checked as they are added (see
 * include/kaoshi/analytics.h). Plain C. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analytics_impl.h"

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* Grows *p (of *cap elements of size) to hold need elements. */
static bool reserve(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t cap2 = *cap ? *cap * 2 : 16;
    while (cap2 < need)
        cap2 *= 2;
    void *grown = realloc(*p, cap2 * size);
    if (!grown)
        return false;
    *p = grown;
    *cap = cap2;
    return true;
}

static ks_status nomem(ks_error *err) { return ks_error_set(err, KS_EINTERNAL, "out of memory"); }

ks_analytics_data *ks_analytics_data_new(const char *code, const char *title)
{
    ks_analytics_data *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->code = strdup(code ? code : "");
    d->title = dup_or_null(title);
    if (!d->code || (title && !d->title)) {
        ks_analytics_data_free(d);
        return NULL;
    }
    return d;
}

static void free_item(ks_analytics_item_info *it)
{
    free((char *)it->id);
    free((char *)it->type);
    free((char *)it->stem);
    for (int k = 0; it->options && k < it->noptions; k++)
        free((char *)it->options[k]);
    free((char **)it->options);
}

static void free_slots(ks_analytics_data *d)
{
    for (size_t i = 0; i < d->nslots; i++)
        free((char *)d->slots[i].section_title);
    free(d->slots);
    d->slots = NULL;
    d->nslots = 0;
}

void ks_analytics_data_free(ks_analytics_data *d)
{
    if (!d)
        return;
    free(d->code);
    free(d->title);
    for (size_t i = 0; i < d->nsittings; i++)
        free(d->sittings[i]);
    free(d->sittings);
    free_slots(d);
    for (size_t i = 0; i < d->nitems; i++)
        free_item(&d->items[i]);
    free(d->items);
    free(d->by_id);
    for (size_t i = 0; i < d->nattempts; i++)
        free(d->attempts[i].candidate);
    free(d->attempts);
    free(d->cells);
    free(d);
}

static size_t sitting_index(const ks_analytics_data *d, const char *name)
{
    for (size_t i = 0; i < d->nsittings; i++)
        if (strcmp(d->sittings[i], name) == 0)
            return i;
    return (size_t)-1;
}

ks_status ks_analytics_data_add_sitting(ks_analytics_data *d, const char *name, ks_error *err)
{
    if (sitting_index(d, name) != (size_t)-1)
        return ks_error_set(err, KS_EINPUT, "sitting '%s' is named twice", name);
    char **grown = realloc(d->sittings, (d->nsittings + 1) * sizeof *grown);
    if (!grown)
        return nomem(err);
    d->sittings = grown;
    if (!(d->sittings[d->nsittings] = strdup(name)))
        return nomem(err);
    d->nsittings++;
    return KS_OK;
}

ks_status ks_analytics_data_set_layout(ks_analytics_data *d, const ks_analytics_slot_info *slots,
                                       size_t n, ks_error *err)
{
    if (n == 0)
        return ks_error_set(err, KS_EINPUT, "a form has no questions");
    for (size_t i = 0; i < n; i++)
        if (slots[i].section < 1 || !(slots[i].points > 0) || !isfinite(slots[i].points))
            return ks_error_set(err, KS_EINPUT, "slot %zu: the section must be a number from 1 "
                                "and the points a positive number", i + 1);
    if (d->has_layout) {
        bool same = n == d->nslots;
        for (size_t i = 0; same && i < n; i++)
            same = slots[i].section == d->slots[i].section &&
                   slots[i].points == d->slots[i].points;
        return same ? KS_OK
                    : ks_error_set(err, KS_EINPUT, "the forms differ in their sections or "
                                   "points (%zu questions against %zu); report them separately",
                                   n, d->nslots);
    }
    d->slots = calloc(n + 1, sizeof *d->slots);
    if (!d->slots)
        return nomem(err);
    d->nslots = n;
    for (size_t i = 0; i < n; i++) {
        d->slots[i] = slots[i];
        d->slots[i].section_title = dup_or_null(slots[i].section_title);
        if (slots[i].section_title && !d->slots[i].section_title) {
            free_slots(d);
            return nomem(err);
        }
    }
    d->has_layout = true;
    return KS_OK;
}

/* The place of id in d->by_id: where it is (*found) or belongs. */
static size_t item_place(const ks_analytics_data *d, const char *id, bool *found)
{
    size_t lo = 0, hi = d->nitems;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(d->items[d->by_id[mid]].id, id);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

size_t analytics_item_index(const ks_analytics_data *d, const char *id)
{
    bool found;
    size_t i = item_place(d, id, &found);
    return found ? d->by_id[i] : (size_t)-1;
}

static uint32_t option_mask(int noptions)
{
    return noptions >= 32 ? UINT32_MAX : ((uint32_t)1 << noptions) - 1;
}

static bool same_guess(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

static ks_status copy_item(const ks_analytics_item_info *in, ks_analytics_item_info *out,
                           ks_error *err)
{
    *out = (ks_analytics_item_info){.noptions = in->noptions, .key = in->key,
                                    .guess = in->guess};
    out->id = strdup(in->id);
    out->type = strdup(in->type ? in->type : "");
    out->stem = dup_or_null(in->stem);
    bool ok = out->id && out->type && (!in->stem || out->stem);
    if (ok && in->options && in->noptions > 0) {
        char **texts = calloc((size_t)in->noptions, sizeof *texts);
        out->options = (const char *const *)texts;
        ok = texts != NULL;
        for (int k = 0; ok && k < in->noptions; k++)
            ok = (texts[k] = strdup(in->options[k] ? in->options[k] : "")) != NULL;
    }
    if (!ok) {
        free_item(out);
        return nomem(err);
    }
    return KS_OK;
}

ks_status ks_analytics_data_add_item(ks_analytics_data *d, const ks_analytics_item_info *item,
                                     ks_error *err)
{
    if (!item->id || !*item->id)
        return ks_error_set(err, KS_EINPUT, "an item has no id");
    if (item->noptions < 0 || item->noptions > KS_ANALYTICS_MAX_OPTIONS)
        return ks_error_set(err, KS_EINPUT, "item '%s': %d options; at most %d are analysed",
                            item->id, item->noptions, KS_ANALYTICS_MAX_OPTIONS);
    if (item->key & ~option_mask(item->noptions))
        return ks_error_set(err, KS_EINPUT, "item '%s': the key names an option it does not "
                            "have", item->id);
    if (!isnan(item->guess) && !(item->guess >= 0 && item->guess <= 1))
        return ks_error_set(err, KS_EINPUT, "item '%s': the random guess score must be a "
                            "fraction from 0 to 1 (or NaN)", item->id);
    bool found;
    size_t at = item_place(d, item->id, &found);
    if (found) {
        const ks_analytics_item_info *old = &d->items[d->by_id[at]];
        if (old->noptions != item->noptions || old->key != item->key ||
            strcmp(old->type, item->type ? item->type : "") != 0 ||
            !same_guess(old->guess, item->guess))
            return ks_error_set(err, KS_EINPUT, "item '%s' differs between the sittings' "
                                "banks (type, options or key); report them separately",
                                item->id);
        return KS_OK;
    }
    if (!reserve((void **)&d->items, &d->items_cap, d->nitems + 1, sizeof *d->items) ||
        !reserve((void **)&d->by_id, &d->by_id_cap, d->nitems + 1, sizeof *d->by_id))
        return nomem(err);
    ks_status rc = copy_item(item, &d->items[d->nitems], err);
    if (rc)
        return rc;
    memmove(&d->by_id[at + 1], &d->by_id[at], (d->nitems - at) * sizeof *d->by_id);
    d->by_id[at] = d->nitems++;
    return KS_OK;
}

const analytics_cell *analytics_cells_of(const ks_analytics_data *d, size_t a)
{
    return &d->cells[a * d->nslots];
}

ks_status ks_analytics_data_add_attempt(ks_analytics_data *d, const ks_analytics_attempt *a,
                                        ks_error *err)
{
    if (!d->has_layout)
        return ks_error_set(err, KS_EINPUT, "the form's slots are not set");
    size_t sitting = sitting_index(d, a->sitting ? a->sitting : "");
    if (sitting == (size_t)-1)
        return ks_error_set(err, KS_EINPUT, "attempt of %s: unknown sitting '%s'",
                            a->candidate, a->sitting ? a->sitting : "");
    if (a->number < 1)
        return ks_error_set(err, KS_EINPUT, "attempt of %s: the attempt number must be 1 or "
                            "more", a->candidate);
    size_t n = d->nattempts;
    if (!reserve((void **)&d->attempts, &d->attempts_cap, n + 1, sizeof *d->attempts) ||
        !reserve((void **)&d->cells, &d->cells_cap, (n + 1) * d->nslots + 1, sizeof *d->cells))
        return nomem(err);
    analytics_cell *row = &d->cells[n * d->nslots];
    for (size_t i = 0; i < d->nslots; i++) {
        const ks_analytics_response *r = &a->responses[i];
        size_t item = r->item ? analytics_item_index(d, r->item) : (size_t)-1;
        if (item == (size_t)-1)
            return ks_error_set(err, KS_EINPUT, "attempt %d of %s, question %zu: unknown item "
                                "'%s'", a->number, a->candidate, i + 1,
                                r->item ? r->item : "");
        if (!(r->points >= 0 && r->points <= d->slots[i].points))
            return ks_error_set(err, KS_EINPUT, "attempt %d of %s, question %zu: %g points "
                                "is outside 0 to %g", a->number, a->candidate, i + 1,
                                r->points, d->slots[i].points);
        if (r->chosen & ~option_mask(d->items[item].noptions))
            return ks_error_set(err, KS_EINPUT, "attempt %d of %s, question %zu: an option "
                                "item '%s' does not have was chosen", a->number,
                                a->candidate, i + 1, r->item);
        row[i] = (analytics_cell){item, r->points, r->answered, r->chosen};
    }
    char *candidate = strdup(a->candidate ? a->candidate : "");
    if (!candidate)
        return nomem(err);
    d->attempts[n] = (analytics_attempt){sitting, candidate, a->number, a->seed};
    d->nattempts++;
    return KS_OK;
}
