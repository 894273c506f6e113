/* Amending a sitting (kaoshi sitting amend): the certification as it is on
 * disk now, checked and exercised as at open, frozen into an open or closed
 * sitting as its next version once the questions its forms already hold
 * are found intact in it (exam_drawn.c), with a warning for what it does
 * not change: the points drawn questions keep, the timing frozen at open.
 * See include/kaoshi/exam.h. */
#include "kaoshi/exam.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exam/exam_drawn.h"
#include "exam/exam_impl.h"

static int source_order(const void *a, const void *b)
{
    return strcmp((*(const ks_source *const *)a)->path, (*(const ks_source *const *)b)->path);
}

static ks_status out_of_memory(ks_error *err)
{
    return ks_error_set(err, KS_EINTERNAL, "out of memory");
}

/* Notes path as HOW ("changed", "added" or "removed") in files and detail. */
static ks_status note_file(exam_string_list *files, json_t *detail, const char *how,
                           const char *path, ks_error *err)
{
    if (json_array_append_new(json_object_get(detail, how), json_string(path)))
        return ks_error_set(err, KS_EINPUT, "the name of file '%s' is not UTF-8 text", path);
    char *line = NULL;
    if (asprintf(&line, "%s %s", how, path) < 0)
        return out_of_memory(err); /* line is indeterminate: nothing to free */
    return exam_string_list_add(files, line) ? out_of_memory(err) : KS_OK; /* line freed */
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
        rc = out_of_memory(err);
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

/* "09:00-12:00 +08:00" (a declaration's daily window), or "none". */
static const char *window_text(const ks_cert_info *info, char buf[64])
{
    if (!info->has_window)
        snprintf(buf, 64, "none");
    else
        snprintf(buf, 64, "%02d:%02d-%02d:%02d %s", info->window_opens_min / 60,
                 info->window_opens_min % 60, info->window_closes_min / 60,
                 info->window_closes_min % 60, info->timezone);
    return buf;
}

/* Adds a warning when the amended declaration's timing differs from what
 * sitting s keeps: the duration and grace frozen at open, the daily window
 * the current version (was) declares. */
static ks_status timing_warning(const ks_sitting *s, const ks_cert_info *was,
                                const ks_cert_info *now, exam_string_list *warnings,
                                ks_error *err)
{
    char changes[320] = "", a[64], b[64];
    size_t used = 0;
    if (now->duration_ms != s->duration_ms)
        used += (size_t)snprintf(changes, sizeof changes, "duration %g → %g minutes",
                                 (double)s->duration_ms / 60000, (double)now->duration_ms / 60000);
    if (now->grace_ms != s->grace_ms)
        used += (size_t)snprintf(changes + used, sizeof changes - used, "%sgrace %g → %g seconds",
                                 used ? ", " : "", (double)s->grace_ms / 1000,
                                 (double)now->grace_ms / 1000);
    if (strcmp(window_text(was, a), window_text(now, b)) != 0)
        snprintf(changes + used, sizeof changes - used, "%sdaily window %s → %s",
                 used ? ", " : "", a, b);
    if (!*changes)
        return KS_OK;
    char *line = NULL;
    if (asprintf(&line, "sitting '%s' keeps the timing frozen at open; the amendment's changes "
                 "to it do not apply (%s)", s->name, changes) < 0)
        return out_of_memory(err);
    return exam_string_list_add(warnings, line) ? out_of_memory(err) : KS_OK;
}

/* The warnings of an amendment: the points drawn questions keep, the
 * timing the sitting keeps; also into the audit detail. */
static ks_status warn(const ks_sitting *s, const exam_drawn *drawn, ks_cert *old,
                      ks_cert *amended, exam_string_list *warnings, json_t *detail,
                      ks_error *err)
{
    char *points = NULL;
    ks_status rc = exam_drawn_points(drawn, amended, &points, err);
    if (!rc && points && exam_string_list_add(warnings, points))
        rc = out_of_memory(err);
    if (!rc)
        rc = timing_warning(s, ks_cert_info_of(old), ks_cert_info_of(amended), warnings, err);
    json_t *list = json_array();
    for (size_t i = 0; !rc && i < warnings->n; i++)
        if (json_array_append_new(list, json_string(warnings->strings[i])))
            rc = out_of_memory(err);
    if (!rc && warnings->n && json_object_set(detail, "warnings", list))
        rc = out_of_memory(err);
    json_decref(list);
    return rc;
}

/* Checks the forms again under the write lock (attempts may have started
 * meanwhile) and freezes fs as the sitting's next version, audited. */
static ks_status commit(ks_exam *x, const ks_sitting *s, const ks_fileset *fs, ks_cert *old,
                        ks_cert *amended, exam_drawn **drawn, const char *reason,
                        ks_exam_amended *out, ks_error *err)
{
    ks_status rc = ks_store_begin(x->store, err);
    if (rc)
        return rc;
    int version = s->version + 1;
    ks_sitting latest = {0};
    exam_string_list files = {0}, warnings = {0};
    json_t *detail = json_pack("{si ss ss s[] s[] s[]}", "version", version, "reason", reason,
                               "sources_hash_before", s->sources_hash, "changed", "added",
                               "removed");
    if (!detail)
        rc = out_of_memory(err);
    if (!rc)
        rc = ks_store_sitting_by_id(x->store, s->id, &latest, err);
    if (!rc && latest.version != s->version)
        rc = ks_error_set(err, KS_ESTATE, "sitting '%s' was amended meanwhile (now version "
                          "%d); amend it again", s->name, latest.version);
    if (!rc)
        rc = exam_drawn_check(x, s, old, amended, drawn, err);
    if (!rc)
        rc = compare_files(x, s, fs, &files, detail, err);
    if (!rc)
        rc = warn(s, *drawn, old, amended, &warnings, detail, err);
    if (!rc)
        rc = exam_freeze_version(x, s->id, version, fs, reason, out->sources_hash, err);
    if (!rc)
        rc = ks_store_sitting_amend(x->store, s->id, version, out->sources_hash, err);
    if (!rc && json_object_set_new(detail, "sources_hash", json_string(out->sources_hash)))
        rc = out_of_memory(err);
    if (!rc)
        rc = exam_audit_packed(x, "sitting.amend", s->id, 0, json_incref(detail), err);
    if (!(rc = exam_finish_tx(x, rc, err))) {
        out->version = version;
        out->files = files.strings;
        out->nfiles = files.n;
        out->warnings = warnings.strings;
        out->nwarnings = warnings.n;
    } else {
        ks_cert_free_ids(files.strings, files.n);
        ks_cert_free_ids(warnings.strings, warnings.n);
    }
    json_decref(detail);
    ks_sitting_free(&latest);
    return rc;
}

ks_status ks_exam_sitting_amend(ks_exam *x, const char *name, const char *reason,
                                ks_exam_amended *out, ks_error *err)
{
    memset(out, 0, sizeof *out);
    ks_status rc = exam_text_check("the reason", reason, 1, err);
    if (rc)
        return rc;
    ks_sitting s;
    if ((rc = ks_store_sitting_get(x->store, name, &s, err)))
        return rc;
    ks_fileset *fs = NULL, *old_fs = NULL;
    ks_cert *amended = NULL, *old = NULL;
    exam_drawn *drawn = NULL;
    char hash[65];
    if (s.state == KS_SITTING_DRAFT)
        rc = ks_error_set(err, KS_ESTATE, "sitting '%s' is a draft: nothing is frozen yet to "
                          "amend ('kaoshi sitting open %s' freezes the files as they are)",
                          s.name, s.name);
    else if (!(fs = ks_fileset_disk(x->root)))
        rc = out_of_memory(err);
    if (!rc && !(rc = exam_load_to_freeze(&s, fs, &amended, err))) {
        ks_fileset_hash(fs, hash);
        if (strcmp(hash, s.sources_hash) == 0)
            rc = ks_error_set(err, KS_ESTATE, "nothing to amend: the sources are unchanged");
    }
    if (!rc)
        rc = ks_exam_frozen_cert(x, &s, &old_fs, &old, err);
    if (!rc)
        rc = exam_drawn_check(x, &s, old, amended, &drawn, err);
    if (!rc)
        rc = commit(x, &s, fs, old, amended, &drawn, reason, out, err);
    exam_drawn_free(drawn);
    ks_cert_free(old);
    ks_fileset_free(old_fs);
    ks_cert_free(amended);
    ks_fileset_free(fs);
    ks_sitting_free(&s);
    return rc;
}
