/* The exam lifecycle's core: the helpers its files share, sittings (create,
 * open, close) and the versions of their frozen files, enrollment and
 * grading with the current version. Certifications on disk are in
 * exam_scripts.c, attempts and answers in exam_attempts.c, amendments in
 * exam_amend.c. See include/kaoshi/exam.h. */
#include "kaoshi/exam.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exam/exam_impl.h"
#include "kaoshi/exercise.h"

/* ---- helpers ------------------------------------------------------------ */

int exam_string_list_add(exam_string_list *l, char *s)
{
    if (!s)
        return -1;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        char **grown = realloc(l->strings, l->cap * sizeof *grown);
        if (!grown) {
            free(s);
            return -1;
        }
        l->strings = grown;
    }
    l->strings[l->n++] = s;
    return 0;
}

ks_status exam_diags_error(ks_diags *diags, ks_status rc, const char *hint, ks_error *err)
{
    char text[sizeof err->message - 64] = "the certification fails";
    size_t used = 0, shown = 0;
    for (; shown < diags->count; shown++) {
        size_t need = strlen(diags->lines[shown]) + (shown > 0);
        if (shown > 0 && used + need >= sizeof text)
            break;
        int n = snprintf(text + used, sizeof text - used, "%s%s", shown ? "\n" : "",
                         diags->lines[shown]);
        used = used + (size_t)n < sizeof text ? used + (size_t)n : sizeof text - 1;
    }
    if (shown < diags->count)
        ks_error_set(err, rc, "%s\n(and %zu more%s)", text, diags->count - shown, hint);
    else
        ks_error_set(err, rc, "%s", text);
    ks_diags_free(diags);
    return rc;
}

/* The certification's problems, one a line. */
static ks_status diags_error(ks_diags *diags, ks_status rc, ks_error *err)
{
    return exam_diags_error(diags, rc, ": run 'kaoshi check'", err);
}

ks_status exam_audit(ks_exam *x, const char *action, int64_t sitting, int64_t attempt,
                     json_t *detail, ks_error *err)
{
    char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(detail);
    ks_status rc = ks_store_audit(x->store, ks_clock_now(x->clock), x->actor, action, sitting,
                                  attempt, text, err);
    free(text);
    return rc;
}

ks_status exam_audit_packed(ks_exam *x, const char *action, int64_t sitting, int64_t attempt,
                            json_t *detail, ks_error *err)
{
    if (!detail)
        return ks_error_set(err, KS_EINTERNAL, "the audit entry '%s' cannot be made (out of "
                            "memory, or a text in it is not UTF-8)", action);
    return exam_audit(x, action, sitting, attempt, detail, err);
}

ks_status exam_finish_tx(ks_exam *x, ks_status rc, ks_error *err)
{
    if (rc) {
        ks_store_rollback(x->store);
        return rc;
    }
    return ks_store_commit(x->store, err);
}

size_t exam_form_size(const char *form_json)
{
    json_t *form = json_loads(form_json, 0, NULL);
    size_t n = json_array_size(json_object_get(form, "slots"));
    json_decref(form);
    return n;
}

/* ---- sittings ----------------------------------------------------------- */

ks_status ks_exam_sitting_create(ks_exam *x, const char *name, const char *ref,
                                 const char *date, int64_t opens, int64_t closes,
                                 int tz_offset_min, ks_sitting *out, ks_error *err)
{
    ks_fileset *fs;
    ks_cert *cert;
    ks_diags diags = {0}, warnings = {0};
    ks_status rc = ks_exam_find_cert(x->root, ref, &fs, &cert, &diags, &warnings);
    ks_diags_free(&warnings);
    if (rc)
        return diags_error(&diags, rc == KS_ENOTFOUND ? KS_EINPUT : rc, err);
    const ks_cert_info *info = ks_cert_info_of(cert);
    if (date) {
        int64_t midnight;
        char text[40];
        snprintf(text, sizeof text, "%.10sT00:00%s", date, info->timezone);
        if (strlen(date) != 10 || ks_time_parse(text, &midnight, NULL) != 0) {
            rc = ks_error_set(err, KS_EINPUT, "--date: expected YYYY-MM-DD, found '%s'", date);
        } else if (!info->has_window) {
            rc = ks_error_set(err, KS_EINPUT, "--date: certification %s declares no daily "
                              "window; give --opens and --closes", info->code);
        } else {
            opens = midnight + (int64_t)info->window_opens_min * 60000;
            closes = midnight + (int64_t)info->window_closes_min * 60000;
            tz_offset_min = info->tz_offset_min;
        }
    } else if (closes <= opens) {
        rc = ks_error_set(err, KS_EINPUT, "the window must close after it opens");
    }
    char script[512];
    snprintf(script, sizeof script, "%s", ks_fileset_at(fs, 0)->path);
    char code[64];
    snprintf(code, sizeof code, "%s", info->code);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    if (rc)
        return rc;
    ks_sitting s = {.name = (char *)name, .code = code, .script = script, .opens_at = opens,
                    .closes_at = closes, .tz_offset_min = tz_offset_min,
                    .created_at = ks_clock_now(x->clock)};
    if ((rc = ks_store_begin(x->store, err)))
        return rc;
    rc = ks_store_sitting_create(x->store, &s, err);
    if (!rc)
        rc = exam_audit(x, "sitting.create", s.id, 0,
                        json_pack("{ss ss}", "code", code, "script", script), err);
    if ((rc = exam_finish_tx(x, rc, err)))
        return rc;
    return out ? ks_store_sitting_by_id(x->store, s.id, out, err) : KS_OK;
}

ks_status exam_load_to_freeze(const ks_sitting *s, ks_fileset *fs, ks_cert **cert,
                              ks_error *err)
{
    ks_diags diags = {0}, warnings = {0}, notes = {0};
    ks_status rc = ks_cert_load(fs, s->script, cert, &diags, &warnings);
    ks_diags_free(&warnings);
    if (rc)
        return diags_error(&diags, rc, err);
    const char *code = ks_cert_info_of(*cert)->code;
    if (strcmp(code, s->code) != 0)
        rc = ks_error_set(err, KS_EINPUT, "%s now declares code %s, but sitting '%s' is for %s",
                          s->script, code, s->name, s->code);
    /* before freezing: the modules hooks require while they run are read
     * through fs now, so they are frozen with the rest */
    else if ((rc = ks_exam_exercise(*cert, KS_EXERCISE_SEEDS, &diags, &notes)))
        diags_error(&diags, rc, err);
    ks_diags_free(&diags);
    ks_diags_free(&notes);
    return rc;
}

ks_status exam_freeze_version(ks_exam *x, int64_t sitting_id, int version,
                              const ks_fileset *fs, const char *reason, char hash[65],
                              ks_error *err)
{
    ks_status rc = KS_OK;
    for (size_t i = 0; !rc && i < ks_fileset_count(fs); i++)
        rc = ks_store_source_put(x->store, sitting_id, version, ks_fileset_at(fs, i), err);
    ks_fileset_hash(fs, hash);
    ks_sitting_version v = {.sitting_id = sitting_id, .version = version, .sources_hash = hash,
                            .at = ks_clock_now(x->clock), .actor = (char *)x->actor,
                            .reason = (char *)reason};
    return rc ? rc : ks_store_version_add(x->store, &v, err);
}

/* Stores every file fs served with the sitting as its version 1 and opens
 * it, in one transaction. */
static ks_status freeze(ks_exam *x, const ks_sitting *s, const ks_fileset *fs,
                        const ks_cert_info *info, ks_error *err)
{
    ks_status rc = ks_store_begin(x->store, err);
    if (rc)
        return rc;
    char hash[65];
    rc = exam_freeze_version(x, s->id, 1, fs, "", hash, err);
    if (!rc)
        rc = ks_store_sitting_open(x->store, s->id, ks_clock_now(x->clock), hash,
                                   info->duration_ms, info->grace_ms, err);
    if (!rc)
        rc = exam_audit(x, "sitting.open", s->id, 0,
                        json_pack("{ss si}", "sources_hash", hash, "files",
                                  (json_int_t)ks_fileset_count(fs)),
                        err);
    return exam_finish_tx(x, rc, err);
}

ks_status ks_exam_sitting_open(ks_exam *x, const char *name, ks_error *err)
{
    ks_sitting s;
    ks_status rc = ks_store_sitting_get(x->store, name, &s, err);
    if (rc)
        return rc;
    ks_fileset *fs = NULL;
    ks_cert *cert = NULL;
    if (s.state != KS_SITTING_DRAFT)
        rc = ks_error_set(err, KS_ESTATE, "sitting '%s' is %s; only a draft can be opened",
                          s.name, ks_sitting_state_name(s.state));
    else if (!(fs = ks_fileset_disk(x->root)))
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    if (!rc && !(rc = exam_load_to_freeze(&s, fs, &cert, err)))
        rc = freeze(x, &s, fs, ks_cert_info_of(cert), err);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_sitting_free(&s);
    return rc;
}

ks_status exam_finish_attempt(ks_exam *x, const ks_attempt *a, int64_t at, const char *reason,
                              ks_error *err)
{
    ks_status rc = ks_store_attempt_finish(x->store, a->id, at, reason, err);
    if (!rc && a->paused_at)
        rc = ks_store_pause_end(x->store, a->id, at, err);
    if (!rc)
        rc = exam_audit(x, "attempt.finish", a->sitting_id, a->id,
                        json_pack("{ss}", "reason", reason), err);
    return rc;
}

ks_status ks_exam_sitting_close(ks_exam *x, const char *name, size_t *finished, ks_error *err)
{
    ks_sitting s;
    ks_status rc = ks_store_sitting_get(x->store, name, &s, err);
    if (rc)
        return rc;
    *finished = 0;
    if ((rc = ks_exam_finalize_overdue(x, s.id, NULL, err)) ||
        (rc = ks_store_begin(x->store, err))) {
        ks_sitting_free(&s);
        return rc;
    }
    ks_attempt *list = NULL;
    size_t n = 0;
    rc = ks_store_attempts_in(x->store, s.id, &list, &n, err);
    int64_t now = ks_clock_now(x->clock);
    for (size_t i = 0; !rc && i < n; i++) {
        if (list[i].state == KS_ATTEMPT_ACTIVE) {
            rc = exam_finish_attempt(x, &list[i], now, "closed", err);
            (*finished)++;
        }
    }
    if (!rc)
        rc = ks_store_sitting_close(x->store, s.id, now, err);
    if (!rc)
        rc = exam_audit(x, "sitting.close", s.id, 0, NULL, err);
    rc = exam_finish_tx(x, rc, err);
    ks_attempt_list_free(list, n);
    ks_sitting_free(&s);
    return rc;
}

/* ---- enrollment ----------------------------------------------------------- */

/* Unambiguous letters and digits: no 0/O, 1/I/L. */
static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/* Access codes are random (about 50 bits), so a moderate argon2id cost keeps
 * enrolling thousands quick while an offline guess stays expensive. */
#define ACCESS_OPSLIMIT 2
#define ACCESS_MEMLIMIT (4u << 20)

/* The hash of a candidate enrolled without an access code: not an argon2id
 * string, so no code ever matches it. */
#define NO_ACCESS_CODE "-"

static ks_status check_enrollee(const ks_enrollee *e, ks_error *err)
{
    if (!*e->number || strlen(e->number) > 64 || strpbrk(e->number, " \t\r\n,\"'") ||
        !exam_is_utf8(e->number))
        return ks_error_set(err, KS_EINPUT, "candidate number '%s': expected 1 to 64 "
                            "characters of UTF-8 text without spaces, commas or quotes",
                            e->number);
    if (!*e->name || strlen(e->name) > 200 || !exam_is_utf8(e->name))
        return ks_error_set(err, KS_EINPUT, "candidate %s: the name must be 1 to 200 bytes "
                            "of UTF-8 text", e->number);
    return KS_OK;
}

ks_status ks_exam_enroll(ks_exam *x, const char *sitting, const ks_enrollee *list, size_t n,
                         char (*codes)[KS_ACCESS_CODE_LEN + 1], size_t *bad, ks_error *err)
{
    return ks_exam_enroll_with(x, sitting, list, NULL, n, codes, bad, err);
}

ks_status ks_exam_enroll_with(ks_exam *x, const char *sitting, const ks_enrollee *list,
                              const ks_accommodation *times, size_t n,
                              char (*codes)[KS_ACCESS_CODE_LEN + 1], size_t *bad,
                              ks_error *err)
{
    *bad = n;
    for (size_t i = 0; i < n; i++) {
        ks_error why;
        if (check_enrollee(&list[i], err)) {
            *bad = i;
            return KS_EINPUT;
        }
        if (times && exam_accommodation_check(&times[i], NULL, &why)) {
            *bad = i;
            return ks_error_set(err, KS_EINPUT, "candidate %s: extra time: %s", list[i].number,
                                why.message);
        }
    }
    ks_sitting s;
    ks_status rc = ks_store_sitting_get(x->store, sitting, &s, err);
    if (rc)
        return rc;
    if (s.state == KS_SITTING_CLOSED) {
        ks_sitting_free(&s);
        return ks_error_set(err, KS_ESTATE, "sitting '%s' is closed", sitting);
    }
    if ((rc = ks_store_begin(x->store, err))) {
        ks_sitting_free(&s);
        return rc;
    }
    int64_t now = ks_clock_now(x->clock);
    for (size_t i = 0; !rc && i < n; i++) {
        char hash[crypto_pwhash_STRBYTES] = NO_ACCESS_CODE;
        if (codes) {
            char *code = codes[i];
            for (int k = 0; k < KS_ACCESS_CODE_LEN; k++)
                code[k] = code_alphabet[randombytes_uniform(sizeof code_alphabet - 1)];
            code[KS_ACCESS_CODE_LEN] = '\0';
            if (crypto_pwhash_str(hash, code, KS_ACCESS_CODE_LEN, ACCESS_OPSLIMIT,
                                  ACCESS_MEMLIMIT))
                rc = ks_error_set(err, KS_EINTERNAL, "out of memory hashing an access code");
        }
        const ks_accommodation *time = times ? &times[i] : &exam_no_accommodation;
        if (!rc)
            rc = ks_store_enroll(x->store, s.id, list[i].number, list[i].name, hash, time, now,
                                 NULL, err);
        if (!rc)
            rc = exam_audit(x, "enroll", s.id, 0,
                            json_pack("{ss sI si}", "candidate", list[i].number, "extra_ms",
                                      (json_int_t)time->extra_ms, "factor_pct",
                                      time->factor_pct),
                            err);
        if (rc)
            *bad = i;
    }
    rc = exam_finish_tx(x, rc, err);
    ks_sitting_free(&s);
    return rc;
}

/* ---- grading -------------------------------------------------------------- */

ks_status exam_compute(ks_exam *x, ks_cert *cert, const ks_attempt *a, char **detail,
                       double *score, double *max_score, int *passed, ks_error *err)
{
    ks_answer *answers = NULL;
    ks_mark *marks = NULL;
    size_t na = 0, nm = 0;
    ks_status rc = ks_store_answers_latest(x->store, a->id, &answers, &na, err);
    if (!rc)
        rc = ks_store_marks(x->store, a->id, &marks, &nm, err);
    size_t nslots = exam_form_size(a->form);
    const char **responses = calloc(nslots + 1, sizeof *responses);
    double *fractions = calloc(nslots + 1, sizeof *fractions);
    if (!rc && (!responses || !fractions))
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    if (!rc) {
        for (size_t i = 0; i < nslots; i++)
            fractions[i] = -1;
        for (size_t i = 0; i < na; i++)
            if ((size_t)answers[i].slot < nslots)
                responses[answers[i].slot] = answers[i].response;
        for (size_t i = 0; i < nm; i++)
            if ((size_t)marks[i].slot < nslots)
                fractions[marks[i].slot] = marks[i].fraction;
        rc = ks_cert_grade(cert, a->form, responses, fractions, nslots, detail, score,
                           max_score, passed, err);
    }
    free(fractions);
    free(responses);
    ks_mark_list_free(marks, nm);
    ks_answer_list_free(answers, na);
    return rc;
}

ks_status exam_store_result(ks_exam *x, const ks_sitting *s, const ks_attempt *a,
                            ks_result *after, exam_cause cause, ks_exam_grading *tally,
                            ks_error *err)
{
    ks_sitting now = {0};
    ks_result before = {0};
    int had = 0;
    after->attempt_id = a->id;
    after->version = s->version;
    after->graded_at = ks_clock_now(x->clock);
    ks_status rc = ks_store_sitting_by_id(x->store, s->id, &now, err);
    if (!rc && now.version != s->version)
        rc = ks_error_set(err, KS_ESTATE, "sitting '%s' was amended meanwhile (now version %d); "
                          "try again", s->name, now.version);
    if (!rc) {
        ks_status got = ks_store_result_get(x->store, a->id, &before, err);
        had = got == KS_OK;
        rc = got == KS_ENOTFOUND ? KS_OK : got;
    }
    if (!rc)
        rc = ks_store_result_put(x->store, after, err);
    if (!rc)
        rc = exam_audit_packed(x, "attempt.grade", a->sitting_id, a->id,
                               json_pack("{sf sf si si}", "score", after->score, "max_score",
                                         after->max_score, "passed", after->passed, "version",
                                         s->version),
                               err);
    if (!rc)
        rc = exam_regraded(x, s, a, had ? &before : NULL, after, cause, tally, err);
    if (had)
        ks_result_free(&before);
    ks_sitting_free(&now);
    return rc;
}

/* Grades finished attempt a of sitting s with cert, the certification of
 * version s->version (before the write transaction: grading takes time),
 * and stores the result in one transaction; counts in tally. */
static ks_status grade_version(ks_exam *x, ks_cert *cert, const ks_sitting *s,
                               const ks_attempt *a, ks_exam_grading *tally, ks_error *err)
{
    char *detail = NULL;
    ks_result after = {0};
    ks_status rc = exam_compute(x, cert, a, &detail, &after.score, &after.max_score,
                                &after.passed, err);
    after.detail = detail;
    if (!rc && !(rc = ks_store_begin(x->store, err)))
        rc = exam_finish_tx(x, exam_store_result(x, s, a, &after, EXAM_BY_VERSION, tally, err),
                            err);
    free(detail);
    return rc;
}

ks_status ks_exam_opened_sitting(ks_exam *x, const char *name, ks_sitting *out,
                                 ks_error *err)
{
    ks_status rc = ks_store_sitting_get(x->store, name, out, err);
    if (!rc && out->state == KS_SITTING_DRAFT) {
        ks_sitting_free(out);
        rc = ks_error_set(err, KS_ESTATE, "sitting '%s' has not been opened", name);
    }
    return rc;
}

ks_status ks_exam_regrade(ks_exam *x, const char *sitting, ks_exam_grading *out,
                          ks_error *err)
{
    ks_sitting s;
    memset(out, 0, sizeof *out);
    ks_status rc = ks_exam_opened_sitting(x, sitting, &s, err);
    if (rc)
        return rc;
    out->version = s.version;
    ks_fileset *fs = NULL;
    ks_cert *cert = NULL;
    ks_attempt *list = NULL;
    size_t n = 0;
    if (!(rc = ks_exam_finalize_overdue(x, s.id, NULL, err)) &&
        !(rc = ks_store_published(x->store, s.id, &out->published_at, err)) &&
        !(rc = ks_exam_frozen_cert(x, &s, &fs, &cert, err)) &&
        !(rc = ks_store_attempts_in(x->store, s.id, &list, &n, err))) {
        for (size_t i = 0; !rc && i < n; i++) {
            if (list[i].state != KS_ATTEMPT_FINISHED)
                continue;
            if (!(rc = grade_version(x, cert, &s, &list[i], out, err)))
                out->graded++;
        }
    }
    if (!rc && out->published_at && out->changed && !(rc = ks_store_begin(x->store, err)))
        rc = exam_finish_tx(x, exam_audit_packed(x, "results.regrade", s.id, 0,
                                                 json_pack("{si sI sI sI sI}", "version",
                                                           s.version, "graded",
                                                           (json_int_t)out->graded, "changed",
                                                           (json_int_t)out->changed, "flagged",
                                                           (json_int_t)out->flagged, "cleared",
                                                           (json_int_t)out->cleared),
                                                 err),
                            err);
    ks_attempt_list_free(list, n);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_sitting_free(&s);
    return rc;
}

ks_status ks_exam_grade(ks_exam *x, const char *sitting, size_t *graded, ks_error *err)
{
    ks_exam_grading done;
    ks_status rc = ks_exam_regrade(x, sitting, &done, err);
    *graded = done.graded;
    return rc;
}
