/* The questions already drawn on the forms of a sitting and what an
 * amendment may not change of them: their items and types, the shape of
 * the answers they take, the places of the options answers name; and the
 * points their forms keep. Each item with its data is presented once, however
 * many forms hold it. See exam/exam_drawn.h. */
#include "exam/exam_drawn.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exam/exam_impl.h"

/* One question of one drawn form. */
typedef struct question {
    char *id;
    char *data;  /* its data as JSON text, "null" for none */
    char *shape; /* the shape its form keeps (JSON text); NULL on a form drawn
                    before shapes were kept */
    int section; /* from 1 */
    double points;
    size_t attempt, slot; /* its form (d->attempts[attempt]) and place on it */
} question;

/* How the amended certification presents one item with one set of data. */
typedef struct presented {
    char *id, *data;
    char *shape;   /* the shape of the answers it takes (JSON text), NULL on error */
    char *error;   /* why it cannot present it, else NULL */
    int reordered; /* it shows the entries the current certification shows, in
                      other places */
} presented;

struct exam_drawn {
    ks_attempt *attempts;
    size_t nattempts;
    question *questions; /* by item, data, attempt */
    size_t nquestions, cap;
    presented *shown; /* by item, data */
    size_t nshown;
};

static ks_status out_of_memory(ks_error *err)
{
    return ks_error_set(err, KS_EINTERNAL, "out of memory");
}

static void forget_forms(exam_drawn *d)
{
    for (size_t i = 0; i < d->nquestions; i++) {
        free(d->questions[i].id);
        free(d->questions[i].data);
        free(d->questions[i].shape);
    }
    free(d->questions);
    ks_attempt_list_free(d->attempts, d->nattempts);
    d->questions = NULL;
    d->attempts = NULL;
    d->nquestions = d->cap = d->nattempts = 0;
}

void exam_drawn_free(exam_drawn *d)
{
    if (!d)
        return;
    forget_forms(d);
    for (size_t i = 0; i < d->nshown; i++) {
        free(d->shown[i].id);
        free(d->shown[i].data);
        free(d->shown[i].shape);
        free(d->shown[i].error);
    }
    free(d->shown);
    free(d);
}

/* v as compact JSON text with sorted keys (malloc'd; NULL out of memory). */
static char *text_of(const json_t *v)
{
    return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

/* Appends the questions on the form of attempt a. */
static ks_status add_form(exam_drawn *d, size_t a, ks_error *err)
{
    json_t *form = json_loads(d->attempts[a].form, 0, NULL), *slot;
    json_t *slots = json_object_get(form, "slots");
    ks_status rc = json_is_array(slots) ? KS_OK
                                        : ks_error_set(err, KS_EINTERNAL, "the form of attempt "
                                                       "%lld does not read back",
                                                       (long long)d->attempts[a].id);
    size_t i;
    json_array_foreach(slots, i, slot) {
        if (rc)
            break;
        if (d->nquestions == d->cap) {
            size_t cap = d->cap ? 2 * d->cap : 256;
            question *grown = realloc(d->questions, cap * sizeof *grown);
            if (!grown) {
                rc = out_of_memory(err);
                break;
            }
            d->questions = grown;
            d->cap = cap;
        }
        const char *id = json_string_value(json_object_get(slot, "id"));
        json_t *data = json_object_get(slot, "data"), *shape = json_object_get(slot, "shape");
        question *q = &d->questions[d->nquestions++];
        *q = (question){strdup(id ? id : ""), data ? text_of(data) : strdup("null"),
                        shape ? text_of(shape) : NULL,
                        (int)json_integer_value(json_object_get(slot, "section")),
                        json_number_value(json_object_get(slot, "points")), a, i};
        if (!q->id || !q->data || (shape && !q->shape))
            rc = out_of_memory(err);
    }
    json_decref(form);
    return rc;
}

static int by_key(const char *id, const char *data, const char *id2, const char *data2)
{
    int c = strcmp(id, id2);
    return c ? c : strcmp(data, data2);
}

static int question_order(const void *a, const void *b)
{
    const question *x = a, *y = b;
    int c = by_key(x->id, x->data, y->id, y->data);
    return c ? c : (x->attempt > y->attempt) - (x->attempt < y->attempt);
}

static int presented_order(const void *a, const void *b)
{
    const presented *x = a, *y = b;
    return by_key(x->id, x->data, y->id, y->data);
}

/* The forms of sitting s's attempts now, question by question. */
static ks_status read_forms(ks_exam *x, const ks_sitting *s, exam_drawn *d, ks_error *err)
{
    forget_forms(d);
    ks_status rc = ks_store_attempts_in(x->store, s->id, &d->attempts, &d->nattempts, err);
    for (size_t a = 0; !rc && a < d->nattempts; a++)
        rc = add_form(d, a, err);
    if (!rc && d->nquestions)
        qsort(d->questions, d->nquestions, sizeof *d->questions, question_order);
    return rc;
}

static const presented *shown_for(const exam_drawn *d, const question *q)
{
    presented key = {.id = q->id, .data = q->data};
    return d->nshown ? bsearch(&key, d->shown, d->nshown, sizeof *d->shown, presented_order)
                     : NULL;
}

/* The certification's item with that id, or NULL. */
static const ks_item *find(const ks_cert *cert, const char *id)
{
    size_t at = ks_cert_item_index(cert, id);
    return at == SIZE_MAX ? NULL : ks_cert_item(cert, at);
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether now holds the texts was holds (lists of strings), in other places. */
static ks_status is_reordered(const json_t *was, const json_t *now, int *reordered,
                              ks_error *err)
{
    size_t n = json_array_size(was);
    *reordered = 0;
    if (!n || n != json_array_size(now) || json_equal(was, now))
        return KS_OK;
    const char **texts = calloc(2 * n, sizeof *texts);
    if (!texts)
        return out_of_memory(err);
    int strings = 1;
    for (size_t i = 0; i < n; i++) {
        texts[i] = json_string_value(json_array_get(was, i));
        texts[n + i] = json_string_value(json_array_get(now, i));
        strings &= texts[i] && texts[n + i];
    }
    if (strings) {
        qsort(texts, n, sizeof *texts, by_text);
        qsort(texts + n, n, sizeof *texts, by_text);
        *reordered = 1;
        for (size_t i = 0; i < n; i++)
            *reordered &= strcmp(texts[i], texts[n + i]) == 0;
    }
    free(texts);
    return KS_OK;
}

/* Records how amended presents question q (now: {shape, places} or {error})
 * and whether it moves the entries the current certification shows (was,
 * NULL when that cannot present it). */
static ks_status record(exam_drawn *d, const question *q, const json_t *now, const json_t *was,
                        ks_error *err)
{
    const char *error = json_string_value(json_object_get(now, "error"));
    presented *p = &d->shown[d->nshown++];
    *p = (presented){strdup(q->id), strdup(q->data),
                     error ? NULL : text_of(json_object_get(now, "shape")),
                     error ? strdup(error) : NULL, 0};
    if (!p->id || !p->data || !(p->shape || p->error))
        return out_of_memory(err);
    return is_reordered(json_object_get(was, "places"), json_object_get(now, "places"),
                        &p->reordered, err);
}

/* Presents with amended (and with old, which shows the places answers name
 * now) each item with its data that the forms hold and that was not
 * presented before; items the amended banks lack, or the current ones,
 * are not. */
static ks_status present_new(exam_drawn *d, ks_cert *old, ks_cert *amended, ks_error *err)
{
    size_t n = 0, nold = 0, cap = d->nquestions + 1;
    const question **todo = calloc(cap, sizeof *todo);
    const char **forms = calloc(2 * cap, sizeof *forms);
    size_t *slots = calloc(2 * cap, sizeof *slots), *old_at = calloc(cap, sizeof *old_at);
    presented *grown = realloc(d->shown, (d->nshown + cap) * sizeof *grown);
    ks_status rc = todo && forms && slots && old_at && grown ? KS_OK : out_of_memory(err);
    if (grown)
        d->shown = grown;
    for (size_t i = 0; !rc && i < d->nquestions; i++) {
        const question *q = &d->questions[i];
        if ((n && by_key(todo[n - 1]->id, todo[n - 1]->data, q->id, q->data) == 0) ||
            shown_for(d, q) || !find(amended, q->id))
            continue;
        old_at[n] = SIZE_MAX;
        if (find(old, q->id)) {
            forms[cap + nold] = d->attempts[q->attempt].form;
            slots[cap + nold] = q->slot;
            old_at[n] = nold++;
        }
        forms[n] = d->attempts[q->attempt].form;
        slots[n] = q->slot;
        todo[n++] = q;
    }
    char *now_text = NULL, *was_text = NULL;
    if (!rc && n)
        rc = ks_cert_present_slots(amended, forms, slots, n, &now_text, err);
    if (!rc && nold)
        rc = ks_cert_present_slots(old, forms + cap, slots + cap, nold, &was_text, err);
    json_t *now = now_text ? json_loads(now_text, 0, NULL) : NULL;
    json_t *was = was_text ? json_loads(was_text, 0, NULL) : NULL;
    if (!rc && (json_array_size(now) != n || json_array_size(was) != nold))
        rc = out_of_memory(err);
    for (size_t k = 0; !rc && k < n; k++)
        rc = record(d, todo[k], json_array_get(now, k),
                    old_at[k] == SIZE_MAX ? NULL : json_array_get(was, old_at[k]), err);
    if (!rc && d->nshown)
        qsort(d->shown, d->nshown, sizeof *d->shown, presented_order);
    json_decref(now);
    json_decref(was);
    free(now_text);
    free(was_text);
    free(old_at);
    free(slots);
    free(forms);
    free(todo);
    return rc;
}

/* What a problem of a drawn item is about. */
enum { HELD, FAILS, SHAPE, PLACES, KINDS };

/* "on 1 attempt's form", "on 3 attempts' forms". */
static const char *on_forms(size_t attempts, char buf[64])
{
    snprintf(buf, 64, attempts == 1 ? "on 1 attempt's form" : "on %zu attempts' forms",
             attempts);
    return buf;
}

/* Adds a line to problems for each problem of the questions [first, end)
 * of d, all of one item. stamp: KINDS * d->nattempts marks, for counting
 * each attempt once. */
static void check_item(const exam_drawn *d, size_t first, size_t end, const ks_cert *old,
                       const ks_cert *amended, size_t *stamp, ks_diags *problems)
{
    size_t count[KINDS] = {0};
    const char *why = NULL, *id = d->questions[first].id;
    for (size_t i = first; i < end; i++) {
        const question *q = &d->questions[i];
        const presented *p = shown_for(d, q);
        int is[KINDS] = {1, p && p->error,
                         p && p->shape && q->shape && strcmp(p->shape, q->shape) != 0,
                         p && p->reordered};
        for (int k = 0; k < KINDS; k++) {
            size_t *mark = &stamp[(size_t)k * d->nattempts + q->attempt];
            if (is[k] && *mark != first + 1) {
                *mark = first + 1;
                count[k]++;
            }
        }
        if (p && p->error && !why)
            why = p->error;
    }
    const ks_item *was = find(old, id), *now = find(amended, id);
    char on[64];
    if (!now) {
        ks_diags_add(problems, "item '%s' (%s) is missing from the amended banks", id,
                     on_forms(count[HELD], on));
    } else if (was && strcmp(was->type, now->type) != 0) {
        ks_diags_add(problems, "item '%s' (%s) changes its type from %s to %s", id,
                     on_forms(count[HELD], on), was->type, now->type);
    } else {
        if (count[FAILS])
            ks_diags_add(problems, "item '%s' (%s) cannot be presented with the amended "
                         "certification: %s", id, on_forms(count[FAILS], on), why);
        if (count[SHAPE])
            ks_diags_add(problems, "item '%s' (%s) takes answers of another shape (its "
                         "options, blanks or parts changed)", id, on_forms(count[SHAPE], on));
        if (count[PLACES])
            ks_diags_add(problems, "item '%s' (%s) reorders its options; answers already "
                         "given name options by their place", id, on_forms(count[PLACES], on));
    }
}

ks_status exam_drawn_check(ks_exam *x, const ks_sitting *s, ks_cert *old, ks_cert *amended,
                           exam_drawn **d, ks_error *err)
{
    if (!*d && !(*d = calloc(1, sizeof **d)))
        return out_of_memory(err);
    exam_drawn *drawn = *d;
    ks_diags problems = {0};
    size_t *stamp = NULL;
    ks_status rc = read_forms(x, s, drawn, err);
    if (!rc)
        rc = present_new(drawn, old, amended, err);
    if (!rc && !(stamp = calloc(KINDS * drawn->nattempts + 1, sizeof *stamp)))
        rc = out_of_memory(err);
    for (size_t i = 0, end; !rc && i < drawn->nquestions; i = end) {
        for (end = i + 1; end < drawn->nquestions &&
                          strcmp(drawn->questions[end].id, drawn->questions[i].id) == 0;
             end++)
            ;
        check_item(drawn, i, end, old, amended, stamp, &problems);
    }
    free(stamp);
    if (rc || !problems.count) {
        ks_diags_free(&problems);
        return rc;
    }
    ks_diags header = {0};
    ks_diags_add(&header, "cannot amend sitting '%s': the amendment breaks items already "
                 "drawn on its forms (a corrected item keeps its id, its type, the shape of "
                 "its answers and the order of its options)", s->name);
    for (size_t i = 0; i < problems.count; i++)
        ks_diags_add(&header, "%s", problems.lines[i]);
    ks_diags_free(&problems);
    return exam_diags_error(&header, KS_ESTATE, "", err);
}

/* Adds cause to causes unless it is there (taking it over). */
static ks_status add_cause(exam_string_list *causes, char *cause, ks_error *err)
{
    for (size_t i = 0; cause && i < causes->n; i++)
        if (strcmp(causes->strings[i], cause) == 0) {
            free(cause);
            return KS_OK;
        }
    return exam_string_list_add(causes, cause) ? out_of_memory(err) : KS_OK;
}

/* The causes listed in a warning at most; the rest are counted. */
#define SHOWN_CAUSES 5

static ks_status points_warning(size_t changed, const exam_string_list *causes, char **warning,
                                ks_error *err)
{
    char list[1024] = "";
    size_t used = 0, shown = 0;
    for (; shown < causes->n && shown < SHOWN_CAUSES; shown++) {
        size_t need = strlen(causes->strings[shown]) + 2;
        if (used + need >= sizeof list - 32)
            break;
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", shown ? "; " : "",
                                 causes->strings[shown]);
    }
    if (shown < causes->n)
        snprintf(list + used, sizeof list - used, "; and %zu more", causes->n - shown);
    int made = changed == 1
                   ? asprintf(warning, "1 drawn question keeps the points its form was drawn "
                              "with (%s); attempts started from now on get the new points",
                              list)
                   : asprintf(warning, "%zu drawn questions keep the points their forms were "
                              "drawn with (%s); attempts started from now on get the new "
                              "points", changed, list);
    if (made < 0) {
        *warning = NULL;
        return out_of_memory(err);
    }
    return KS_OK;
}

ks_status exam_drawn_points(const exam_drawn *d, ks_cert *amended, char **warning,
                            ks_error *err)
{
    const ks_cert_info *info = ks_cert_info_of(amended);
    exam_string_list causes = {0};
    size_t changed = 0;
    *warning = NULL;
    ks_status rc = KS_OK;
    for (size_t i = 0; !rc && i < d->nquestions; i++) {
        const question *q = &d->questions[i];
        const ks_item *item = find(amended, q->id);
        int own = item && item->points > 0;
        if (!item || (!own && (q->section < 1 || (size_t)q->section > info->nsections)))
            continue;
        double now = own ? item->points : info->sections[q->section - 1].points;
        if (fabs(now - q->points) <= 1e-9)
            continue;
        changed++;
        char *cause = NULL;
        int made = own ? asprintf(&cause, "item '%s': %g → %g", q->id, q->points, now)
                       : asprintf(&cause, "section %d: %g → %g", q->section, q->points, now);
        rc = made < 0 ? out_of_memory(err) : add_cause(&causes, cause, err);
    }
    if (!rc && changed)
        rc = points_warning(changed, &causes, warning, err);
    ks_cert_free_ids(causes.strings, causes.n);
    return rc;
}
