/* Amending a sitting (kaoshi sitting amend): the certification as it is on
 * disk now, checked and exercised as at open, frozen into an open or closed
 * sitting as its next version, once every item its forms already hold is
 * found intact in it (same id, same type, answers of the same shape). See
 * include/kaoshi/exam.h. */
#include "kaoshi/exam.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exam/exam_impl.h"

/* The items drawn on the forms of a sitting, by id, and how many attempts
 * hold each. */
typedef struct drawn {
    char *id;
    size_t attempts;
} drawn;

typedef struct census {
    drawn *items;
    size_t n;
} census;

static void census_free(census *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->items[i].id);
    free(c->items);
    memset(c, 0, sizeof *c);
}

typedef struct held {
    char *id;
    size_t attempt;
} held;

static int by_id_then_attempt(const void *a, const void *b)
{
    const held *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->attempt > y->attempt) - (x->attempt < y->attempt);
}

/* Every (item, attempt) pair of the n attempts' forms, sorted. */
static ks_status holdings(const ks_attempt *list, size_t n, held **out, size_t *count,
                          ks_error *err)
{
    held *all = NULL;
    size_t used = 0, cap = 0;
    ks_status rc = KS_OK;
    for (size_t a = 0; !rc && a < n; a++) {
        char **ids;
        size_t nids;
        if ((rc = ks_cert_form_ids(list[a].form, &ids, &nids, err)))
            break;
        if (used + nids > cap) {
            cap = (used + nids) * 2;
            held *grown = realloc(all, cap * sizeof *grown);
            if (!grown)
                rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
            else
                all = grown;
        }
        for (size_t i = 0; !rc && i < nids; i++) {
            all[used++] = (held){ids[i], a};
            ids[i] = NULL;
        }
        ks_cert_free_ids(ids, nids);
    }
    if (all)
        qsort(all, used, sizeof *all, by_id_then_attempt);
    *out = all;
    *count = used;
    return rc;
}

/* The items drawn on the forms of sitting s's attempts now. */
static ks_status take_census(ks_exam *x, const ks_sitting *s, census *out, ks_error *err)
{
    ks_attempt *list = NULL;
    held *pairs = NULL;
    size_t n = 0, npairs = 0;
    memset(out, 0, sizeof *out);
    ks_status rc = ks_store_attempts_in(x->store, s->id, &list, &n, err);
    if (!rc)
        rc = holdings(list, n, &pairs, &npairs, err);
    if (!rc && npairs && !(out->items = calloc(npairs, sizeof *out->items)))
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    for (size_t i = 0; i < npairs; i++) {
        drawn *last = out->n ? &out->items[out->n - 1] : NULL;
        if (!rc && (!last || strcmp(pairs[i].id, last->id) != 0)) {
            out->items[out->n++] = (drawn){pairs[i].id, 1};
            continue;
        }
        if (!rc && pairs[i].attempt != pairs[i - 1].attempt)
            last->attempts++;
        free(pairs[i].id);
    }
    free(pairs);
    ks_attempt_list_free(list, n);
    if (rc)
        census_free(out);
    return rc;
}

static int by_drawn_id(const void *key, const void *entry)
{
    return strcmp(key, ((const drawn *)entry)->id);
}

static int was_drawn(const census *c, const char *id)
{
    return c && bsearch(id, c->items, c->n, sizeof *c->items, by_drawn_id) != NULL;
}

/* A certification's items by id, for lookups. */
typedef struct indexed {
    const ks_item *item;
    size_t index; /* for ks_cert_item */
} indexed;

typedef struct by_id {
    indexed *items;
    size_t n;
} by_id;

static int item_order(const void *a, const void *b)
{
    return strcmp(((const indexed *)a)->item->id, ((const indexed *)b)->item->id);
}

static int item_key(const void *key, const void *entry)
{
    return strcmp(key, ((const indexed *)entry)->item->id);
}

static ks_status index_items(const ks_cert *cert, by_id *ix, ks_error *err)
{
    ix->n = ks_cert_info_of(cert)->nitems;
    if (!(ix->items = calloc(ix->n + 1, sizeof *ix->items)))
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    for (size_t i = 0; i < ix->n; i++)
        ix->items[i] = (indexed){ks_cert_item(cert, i), i};
    qsort(ix->items, ix->n, sizeof *ix->items, item_order);
    return KS_OK;
}

static const indexed *find(const by_id *ix, const char *id)
{
    return bsearch(id, ix->items, ix->n, sizeof *ix->items, item_key);
}

/* The shape of the answers item takes, from its trial form of seed 1. */
static ks_status answer_shape(ks_cert *cert, size_t item, json_t **shape, ks_error *err)
{
    char *text = NULL;
    ks_status rc = ks_cert_trial_form(cert, item, 1, &text, err);
    json_t *form = rc ? NULL : json_loads(text, 0, NULL);
    *shape = json_incref(
        json_object_get(json_array_get(json_object_get(form, "slots"), 0), "shape"));
    json_decref(form);
    free(text);
    return rc;
}

/* Adds to problems what the amended certification breaks of drawn item d,
 * which the current one (old) holds. */
static ks_status check_item(ks_cert *old, const by_id *old_ix, ks_cert *amended,
                            const by_id *new_ix, const drawn *d, ks_diags *problems,
                            ks_error *err)
{
    char on[64];
    snprintf(on, sizeof on, d->attempts == 1 ? "on 1 attempt's form" : "on %zu attempts' forms",
             d->attempts);
    const indexed *was = find(old_ix, d->id), *now = find(new_ix, d->id);
    if (!now) {
        ks_diags_add(problems, "item '%s' (%s) is missing from the amended banks", d->id, on);
        return KS_OK;
    }
    if (!was)
        return KS_OK;
    if (strcmp(was->item->type, now->item->type) != 0) {
        ks_diags_add(problems, "item '%s' (%s) changes its type from %s to %s", d->id, on,
                     was->item->type, now->item->type);
        return KS_OK;
    }
    json_t *before = NULL, *after = NULL;
    ks_status rc = answer_shape(old, was->index, &before, err);
    if (!rc)
        rc = answer_shape(amended, now->index, &after, err);
    if (!rc && !json_equal(before, after) && (before || after))
        ks_diags_add(problems, "item '%s' (%s) takes answers of another shape (its options, "
                     "blanks or parts changed)", d->id, on);
    json_decref(before);
    json_decref(after);
    return rc;
}

/* Takes the census of the items drawn on sitting s's forms (into *now) and
 * refuses (KS_ESTATE, every problem a line) when the amended certification
 * breaks one; items in known (may be NULL) were found intact before. */
static ks_status check_forms(ks_exam *x, const ks_sitting *s, ks_cert *old, ks_cert *amended,
                             const census *known, census *now, ks_error *err)
{
    by_id old_ix = {0}, new_ix = {0};
    ks_diags problems = {0};
    ks_status rc = take_census(x, s, now, err);
    if (!rc && !(rc = index_items(old, &old_ix, err)))
        rc = index_items(amended, &new_ix, err);
    for (size_t i = 0; !rc && i < now->n; i++)
        if (!was_drawn(known, now->items[i].id))
            rc = check_item(old, &old_ix, amended, &new_ix, &now->items[i], &problems, err);
    free(old_ix.items);
    free(new_ix.items);
    if (rc || !problems.count) {
        ks_diags_free(&problems);
        return rc;
    }
    ks_diags header = {0};
    ks_diags_add(&header, "cannot amend sitting '%s': the amendment breaks items already "
                 "drawn on its forms (a corrected item keeps its id, its type and the shape "
                 "of its answers)", s->name);
    for (size_t i = 0; i < problems.count; i++)
        ks_diags_add(&header, "%s", problems.lines[i]);
    ks_diags_free(&problems);
    return exam_diags_error(&header, KS_ESTATE, "", err);
}

static int source_order(const void *a, const void *b)
{
    return strcmp((*(const ks_source *const *)a)->path, (*(const ks_source *const *)b)->path);
}

static ks_status note_file(exam_string_list *files, json_t *detail, const char *how,
                           const char *path, ks_error *err)
{
    char *line = NULL;
    json_array_append_new(json_object_get(detail, how), json_string(path));
    if (asprintf(&line, "%s %s", how, path) < 0 || exam_string_list_add(files, line) != 0)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    return KS_OK;
}

/* The files of fs whose content differs from the sitting's current
 * version (changed, added, removed), by path, into files and detail. */
static ks_status compare_files(ks_exam *x, const ks_sitting *s, const ks_fileset *fs,
                               exam_string_list *files, json_t *detail, ks_error *err)
{
    ks_source *stored = NULL;
    size_t ns = 0, nf = ks_fileset_count(fs);
    ks_status rc = ks_store_sources(x->store, s->id, s->version, &stored, &ns, err);
    const ks_source **now = calloc(nf + 1, sizeof *now);
    if (!rc && !now)
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    for (size_t i = 0; !rc && i < nf; i++)
        now[i] = ks_fileset_at(fs, i);
    if (!rc)
        qsort(now, nf, sizeof *now, source_order);
    size_t i = 0, k = 0;
    while (!rc && (i < ns || k < nf)) {
        int c = i == ns ? 1 : k == nf ? -1 : strcmp(stored[i].path, now[k]->path);
        if (c < 0)
            rc = note_file(files, detail, "removed", stored[i++].path, err);
        else if (c > 0)
            rc = note_file(files, detail, "added", now[k++]->path, err);
        else if (strcmp(stored[i].sha256, now[k]->sha256) != 0)
            rc = note_file(files, detail, "changed", now[k]->path, err);
        if (c == 0)
            i++, k++;
    }
    free(now);
    ks_source_list_free(stored, ns);
    return rc;
}

/* Checks the forms again under the write lock (attempts may have started
 * meanwhile) and freezes fs as the sitting's next version, audited. */
static ks_status commit(ks_exam *x, const ks_sitting *s, const ks_fileset *fs, ks_cert *old,
                        ks_cert *amended, const census *checked, const char *reason,
                        ks_exam_amended *out, ks_error *err)
{
    ks_status rc = ks_store_begin(x->store, err);
    if (rc)
        return rc;
    int version = s->version + 1;
    ks_sitting latest = {0};
    census again = {0};
    exam_string_list files = {0};
    json_t *detail = json_pack("{si ss ss s[] s[] s[]}", "version", version, "reason", reason,
                               "sources_hash_before", s->sources_hash, "changed", "added",
                               "removed");
    rc = ks_store_sitting_by_id(x->store, s->id, &latest, err);
    if (!rc && latest.version != s->version)
        rc = ks_error_set(err, KS_ESTATE, "sitting '%s' was amended meanwhile (now version "
                          "%d); amend it again", s->name, latest.version);
    if (!rc)
        rc = check_forms(x, s, old, amended, checked, &again, err);
    if (!rc)
        rc = compare_files(x, s, fs, &files, detail, err);
    if (!rc)
        rc = exam_freeze_version(x, s->id, version, fs, reason, out->sources_hash, err);
    if (!rc)
        rc = ks_store_sitting_amend(x->store, s->id, version, out->sources_hash, err);
    if (!rc) {
        json_object_set_new(detail, "sources_hash", json_string(out->sources_hash));
        rc = exam_audit(x, "sitting.amend", s->id, 0, json_incref(detail), err);
    }
    if (!(rc = exam_finish_tx(x, rc, err))) {
        out->version = version;
        out->files = files.strings;
        out->nfiles = files.n;
    } else {
        ks_cert_free_ids(files.strings, files.n);
    }
    json_decref(detail);
    census_free(&again);
    ks_sitting_free(&latest);
    return rc;
}

ks_status ks_exam_sitting_amend(ks_exam *x, const char *name, const char *reason,
                                ks_exam_amended *out, ks_error *err)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(reason);
    if (len == 0 || len > KS_EXAM_MAX_NOTE)
        return ks_error_set(err, KS_EINPUT, "the reason must be 1 to %d bytes",
                            KS_EXAM_MAX_NOTE);
    ks_sitting s;
    ks_status rc = ks_store_sitting_get(x->store, name, &s, err);
    if (rc)
        return rc;
    ks_fileset *fs = NULL, *old_fs = NULL;
    ks_cert *amended = NULL, *old = NULL;
    census checked = {0};
    char hash[65];
    if (s.state == KS_SITTING_DRAFT)
        rc = ks_error_set(err, KS_ESTATE, "sitting '%s' is a draft: nothing is frozen yet to "
                          "amend ('kaoshi sitting open %s' freezes the files as they are)",
                          s.name, s.name);
    else if (!(fs = ks_fileset_disk(x->root)))
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    if (!rc && !(rc = exam_load_to_freeze(&s, fs, &amended, err))) {
        ks_fileset_hash(fs, hash);
        if (strcmp(hash, s.sources_hash) == 0)
            rc = ks_error_set(err, KS_ESTATE, "nothing to amend: the sources are unchanged");
    }
    if (!rc)
        rc = ks_exam_frozen_cert(x, &s, &old_fs, &old, err);
    if (!rc)
        rc = check_forms(x, &s, old, amended, NULL, &checked, err);
    if (!rc)
        rc = commit(x, &s, fs, old, amended, &checked, reason, out, err);
    census_free(&checked);
    ks_cert_free(old);
    ks_fileset_free(old_fs);
    ks_cert_free(amended);
    ks_fileset_free(fs);
    ks_sitting_free(&s);
    return rc;
}
