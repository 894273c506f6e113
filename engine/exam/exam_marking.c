/* Manual grading and publishing: a person's marks for the answers no
 * question type can score (essays), overrides of automatic scores and their
 * removal, the answers waiting for a mark and the marks given (named, or
 * blind under anonymous labels), and the publication of a sitting's final
 * results. See include/kaoshi/exam.h. Uses store and cert; knows nothing of
 * Lua or HTTP. */
#include "kaoshi/exam.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exam/exam_impl.h"
#include "kaoshi/fileset.h"

/* The grading detail of one question: {fraction, manual, answered, ...}. */
static json_t *detail_item(json_t *detail, size_t slot)
{
    return json_array_get(json_object_get(detail, "items"), slot);
}

/* The attempt graded now from the store (within the caller's transaction,
 * if one is open): its result in *r (r->detail malloc'd, free it) and the
 * detail parsed in *detail; on failure both empty. */
static ks_status graded_now(ks_exam *x, ks_cert *cert, const ks_attempt *a, ks_result *r,
                            json_t **detail, ks_error *err)
{
    char *text = NULL;
    memset(r, 0, sizeof *r);
    ks_status rc = exam_compute(x, cert, a, &text, &r->score, &r->max_score, &r->passed, err);
    *detail = rc ? NULL : json_loads(text, 0, NULL);
    if (!rc && !*detail)
        rc = ks_error_set(err, KS_EINTERNAL, "attempt %lld: unreadable grading detail",
                          (long long)a->id);
    if (rc)
        free(text);
    else
        r->detail = text;
    return rc;
}

/* A fraction of the grading detail as a real (Lua may give a whole
 * number), or null when there is none (an essay waiting for its mark). */
static json_t *real_or_null(json_t *v)
{
    return json_is_number(v) ? json_real(json_number_value(v)) : json_null();
}

static json_t *fraction_of(json_t *detail, int slot)
{
    return real_or_null(json_object_get(detail_item(detail, (size_t)slot), "fraction"));
}

/* What a person does to the mark of one answer. */
typedef enum mark_kind { MARK_MANUAL, MARK_OVERRIDE, MARK_CLEAR } mark_kind;

typedef struct mark_change {
    mark_kind kind;
    ks_mark mark; /* the answer, and for a mark or an override its fraction, grader, comment */
} mark_change;

/* Whether question slot of detail takes this kind of change: a mark only an
 * answer a person grades, an override only one scored automatically. */
static ks_status kind_fits(const mark_change *c, const ks_attempt *a, json_t *item,
                           ks_error *err)
{
    int manual = json_is_true(json_object_get(item, "manual"));
    const char *id = json_string_value(json_object_get(item, "id"));
    if (c->kind == MARK_MANUAL && !manual)
        return ks_error_set(err, KS_EINPUT, "question %d of attempt %lld (item %s) is scored "
                            "automatically; only answers graded by a person take marks, or an "
                            "override with the reason", c->mark.slot + 1, (long long)a->id, id);
    if (c->kind == MARK_OVERRIDE && manual)
        return ks_error_set(err, KS_EINPUT, "question %d of attempt %lld (item %s) is graded "
                            "by a person; give it a mark, not an override", c->mark.slot + 1,
                            (long long)a->id, id);
    return KS_OK;
}

/* The change inside the write transaction, with its audit entry, and the
 * attempt's result graded again with cert (of version s->version): all or
 * nothing. */
static ks_status change_in_tx(ks_exam *x, ks_cert *cert, const ks_attempt *a,
                              const ks_sitting *s, const mark_change *c, ks_error *err)
{
    int64_t published = 0;
    json_t *before = NULL, *after = NULL;
    ks_result was = {0}, now = {0};
    ks_status rc = ks_store_published(x->store, s->id, &published, err);
    if (!rc && published) {
        char when[KS_TIME_BUF];
        ks_time_format(published, s->tz_offset_min, when);
        rc = ks_error_set(err, KS_ESTATE, "the results of sitting '%s' were published at %s; "
                          "marks can no longer change", s->name, when);
    }
    if (!rc && !(rc = graded_now(x, cert, a, &was, &before, err)))
        rc = kind_fits(c, a, detail_item(before, (size_t)c->mark.slot), err);
    if (!rc)
        rc = c->kind == MARK_CLEAR ? ks_store_mark_delete(x->store, a->id, c->mark.slot, err)
                                   : ks_store_mark_put(x->store, &c->mark, err);
    /* what the question scores now: the mark, or (cleared) its type's score */
    if (!rc)
        rc = graded_now(x, cert, a, &now, &after, err);
    if (!rc && c->kind == MARK_MANUAL)
        rc = exam_audit_packed(x, "answer.mark", a->sitting_id, a->id,
                               json_pack("{si sf ss ss}", "question", c->mark.slot + 1,
                                         "fraction", c->mark.fraction, "grader", c->mark.grader,
                                         "comment", c->mark.comment),
                               err);
    else if (!rc)
        rc = exam_audit_packed(x, c->kind == MARK_OVERRIDE ? "mark.override" : "mark.clear",
                               a->sitting_id, a->id,
                               json_pack("{si so so ss ss}", "question", c->mark.slot + 1,
                                         "before", fraction_of(before, c->mark.slot), "after",
                                         fraction_of(after, c->mark.slot), "grader",
                                         c->mark.grader, "comment", c->mark.comment),
                               err);
    if (!rc)
        rc = exam_store_result(x, s, a, &now, EXAM_BY_MARK, NULL, err);
    free(now.detail);
    free(was.detail);
    json_decref(after);
    json_decref(before);
    return rc;
}

/* Checks the change, then makes it, its audit entry and the attempt's
 * result graded again in one transaction, with the certification of the
 * version the sitting had when it was read (exam_store_result refuses the
 * change if it was amended since). */
static ks_status change_mark(ks_exam *x, int64_t attempt_id, mark_change *c, ks_error *err)
{
    ks_mark *m = &c->mark;
    if (!m->comment)
        m->comment = "";
    ks_status rc = exam_text_check("the comment", m->comment, 0, err);
    if (rc)
        return rc;
    if (c->kind != MARK_CLEAR && (!isfinite(m->fraction) || m->fraction < 0 || m->fraction > 1))
        return ks_error_set(err, KS_EINPUT, "the mark must be a fraction of the question's "
                            "points from 0 to 1, found %g", m->fraction);
    if (c->kind == MARK_OVERRIDE && !*m->comment)
        return ks_error_set(err, KS_EINPUT, "an override needs a comment: why the automatic "
                            "score is replaced");
    if (!m->grader || !*m->grader)
        return ks_error_set(err, KS_EINPUT, "a mark needs the grader's name");
    ks_attempt a;
    ks_sitting s;
    if ((rc = exam_load_attempt(x, attempt_id, &a, &s, err)))
        return rc;
    ks_fileset *fs = NULL;
    ks_cert *cert = NULL;
    m->attempt_id = a.id;
    m->marked_at = ks_clock_now(x->clock);
    m->override = c->kind == MARK_OVERRIDE;
    if (a.state != KS_ATTEMPT_FINISHED) {
        rc = ks_error_set(err, KS_ESTATE, "attempt %lld is still running; its answers can be "
                          "marked once it has ended", (long long)a.id);
    } else if (m->slot < 0 || (size_t)m->slot >= a.nslots) {
        rc = ks_error_set(err, KS_EINPUT, "question %d does not exist; this form has %zu",
                          m->slot + 1, a.nslots);
    } else if (!(rc = ks_exam_frozen_cert(x, &s, &fs, &cert, err)) &&
               !(rc = ks_store_begin(x->store, err))) {
        rc = exam_finish_tx(x, change_in_tx(x, cert, &a, &s, c, err), err);
    }
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_attempt_free(&a);
    ks_sitting_free(&s);
    return rc;
}

ks_status ks_exam_mark(ks_exam *x, int64_t attempt_id, int slot, double fraction,
                       const char *grader, const char *comment, ks_error *err)
{
    mark_change c = {MARK_MANUAL, {.slot = slot, .fraction = fraction, .grader = (char *)grader,
                                  .comment = (char *)comment}};
    return change_mark(x, attempt_id, &c, err);
}

ks_status ks_exam_override(ks_exam *x, int64_t attempt_id, int slot, double fraction,
                           const char *grader, const char *comment, ks_error *err)
{
    mark_change c = {MARK_OVERRIDE, {.slot = slot, .fraction = fraction,
                                     .grader = (char *)grader, .comment = (char *)comment}};
    return change_mark(x, attempt_id, &c, err);
}

ks_status ks_exam_mark_clear(ks_exam *x, int64_t attempt_id, int slot, const char *grader,
                             const char *comment, ks_error *err)
{
    mark_change c = {MARK_CLEAR, {.slot = slot, .grader = (char *)grader,
                                  .comment = (char *)comment}};
    return change_mark(x, attempt_id, &c, err);
}

/* Appends to waiting the answers of one finished attempt that wait for a
 * mark, and to marked the marks and overrides it has, each with the
 * attempt's label and, unless candidate is NULL (blind), its candidate. */
static ks_status marking_of(ks_exam *x, ks_cert *cert, const ks_attempt *a, const char *label,
                            const char *candidate, json_t *waiting, json_t *marked,
                            ks_error *err)
{
    json_t *detail = NULL;
    ks_result now;
    ks_answer *answers = NULL;
    ks_mark *marks = NULL;
    size_t na = 0, nm = 0;
    ks_status rc = graded_now(x, cert, a, &now, &detail, err);
    free(now.detail);
    if (!rc)
        rc = ks_store_answers_latest(x->store, a->id, &answers, &na, err);
    if (!rc)
        rc = ks_store_marks(x->store, a->id, &marks, &nm, err);
    for (size_t i = 0; !rc && i < na; i++) {
        json_t *item = detail_item(detail, (size_t)answers[i].slot);
        if (!json_is_true(json_object_get(item, "manual")) ||
            json_object_get(item, "fraction"))
            continue;
        char *view_text = NULL;
        if ((rc = ks_cert_present(cert, a->form, (size_t)answers[i].slot, 1, &view_text, err)))
            break;
        json_t *view = json_loads(view_text, 0, NULL);
        free(view_text);
        json_array_append_new(
            waiting, json_pack("{sI ss ss* si sO sO sO? sO? so?}", "attempt", (json_int_t)a->id,
                               "label", label, "candidate", candidate, "question",
                               answers[i].slot + 1, "item", json_object_get(item, "id"),
                               "points", json_object_get(item, "max_points"), "stem",
                               json_object_get(view, "stem"), "rubric",
                               json_object_get(json_object_get(view, "key"), "rubric"),
                               "response", json_loads(answers[i].response, 0, NULL)));
        json_decref(view);
    }
    for (size_t i = 0; !rc && i < nm; i++) {
        json_t *item = detail_item(detail, (size_t)marks[i].slot);
        json_array_append_new(
            marked, json_pack("{sI ss ss* si sO? sO? sf sb so ss ss sI}", "attempt",
                              (json_int_t)a->id, "label", label, "candidate", candidate,
                              "question", marks[i].slot + 1, "item",
                              json_object_get(item, "id"), "points",
                              json_object_get(item, "max_points"), "fraction",
                              marks[i].fraction, "override", marks[i].override,
                              "auto_fraction",
                              real_or_null(json_object_get(item, "auto_fraction")),
                              "grader", marks[i].grader, "comment", marks[i].comment,
                              "marked_at", (json_int_t)marks[i].marked_at));
    }
    ks_mark_list_free(marks, nm);
    ks_answer_list_free(answers, na);
    json_decref(detail);
    return rc;
}

/* An attempt with the hash that places it among the labels. */
typedef struct labelled {
    const ks_attempt *a;
    char hash[65];
} labelled;

static int by_hash(const void *pa, const void *pb)
{
    return strcmp(((const labelled *)pa)->hash, ((const labelled *)pb)->hash);
}

/* The sitting's n attempts in label order (label "A-k" for the k-th from
 * 1): ranked by a hash of each attempt's form seed, which no reader of the
 * list sees, so the order says nothing of who wrote an answer or when they
 * started. rank[i] is the k of list[i]. NULL when out of memory. */
static labelled *label_order(const ks_attempt *list, size_t n, size_t *rank)
{
    labelled *out = calloc(n + 1, sizeof *out);
    for (size_t i = 0; out && i < n; i++) {
        char text[48];
        int len = snprintf(text, sizeof text, "%llu:%lld", (unsigned long long)list[i].seed,
                           (long long)list[i].id);
        out[i].a = &list[i];
        ks_sha256_hex(text, (size_t)len, out[i].hash);
    }
    if (out)
        qsort(out, n, sizeof *out, by_hash);
    for (size_t k = 0; out && k < n; k++)
        rank[out[k].a - list] = k + 1;
    return out;
}

/* ks_exam_marking (candidates named, attempt order) or, blind, without the
 * candidates in label order. */
static ks_status marking_list(ks_exam *x, const char *sitting, int blind, char **json_out,
                              ks_error *err)
{
    ks_sitting s;
    *json_out = NULL;
    ks_status rc = ks_exam_opened_sitting(x, sitting, &s, err);
    if (rc)
        return rc;
    ks_fileset *fs = NULL;
    ks_cert *cert = NULL;
    ks_attempt *list = NULL;
    ks_enrollment *en = NULL;
    labelled *order = NULL;
    size_t n = 0, ne = 0, *rank = NULL;
    json_t *waiting = json_array(), *marked = json_array();
    if (!(rc = ks_exam_finalize_overdue(x, s.id, NULL, err)) &&
        !(rc = ks_exam_frozen_cert(x, &s, &fs, &cert, err)) &&
        !(rc = ks_store_attempts_in(x->store, s.id, &list, &n, err)) &&
        !(rc = ks_store_enrollments(x->store, s.id, &en, &ne, err)) &&
        (!(rank = calloc(n + 1, sizeof *rank)) || !(order = label_order(list, n, rank))))
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        const ks_attempt *a = blind ? order[i].a : &list[i];
        if (a->state != KS_ATTEMPT_FINISHED)
            continue;
        char label[32];
        snprintf(label, sizeof label, "A-%zu", rank[a - list]);
        const char *number = "?";
        for (size_t k = 0; k < ne; k++)
            if (en[k].candidate_id == a->candidate_id)
                number = en[k].number;
        rc = marking_of(x, cert, a, label, blind ? NULL : number, waiting, marked, err);
    }
    json_t *out = json_pack("{so so}", "waiting", waiting, "marked", marked);
    if (!rc && !(*json_out = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS)))
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    json_decref(out);
    free(order);
    free(rank);
    ks_enrollment_list_free(en, ne);
    ks_attempt_list_free(list, n);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_sitting_free(&s);
    return rc;
}

ks_status ks_exam_marking(ks_exam *x, const char *sitting, char **json_out, ks_error *err)
{
    return marking_list(x, sitting, 0, json_out, err);
}

ks_status ks_exam_marking_blind(ks_exam *x, const char *sitting, char **json_out,
                                ks_error *err)
{
    return marking_list(x, sitting, 1, json_out, err);
}

/* The attempts of the sitting and how many of them wait for marks. */
static ks_status count_pending(ks_exam *x, int64_t sitting_id, size_t *n, size_t *pending,
                               ks_error *err)
{
    ks_attempt *list = NULL;
    ks_status rc = ks_store_attempts_in(x->store, sitting_id, &list, n, err);
    *pending = 0;
    for (size_t i = 0; !rc && i < *n; i++) {
        ks_result r;
        if ((rc = ks_store_result_get(x->store, list[i].id, &r, err)))
            break;
        if (r.passed < 0)
            (*pending)++;
        ks_result_free(&r);
    }
    ks_attempt_list_free(list, *n);
    return rc;
}

ks_status ks_exam_publish(ks_exam *x, const char *sitting, size_t *count, ks_error *err)
{
    ks_sitting s;
    ks_status rc = ks_store_sitting_get(x->store, sitting, &s, err);
    if (rc)
        return rc;
    int64_t published = 0;
    size_t graded, pending = 0;
    *count = 0;
    char when[KS_TIME_BUF];
    if ((rc = ks_store_published(x->store, s.id, &published, err))) {
        /* reported as is */
    } else if (published) {
        ks_time_format(published, s.tz_offset_min, when);
        rc = ks_error_set(err, KS_ESTATE, "the results of sitting '%s' were already published "
                          "at %s", sitting, when);
    } else if (s.state != KS_SITTING_CLOSED) {
        rc = ks_error_set(err, KS_ESTATE, "sitting '%s' is %s; close it before publishing its "
                          "results", sitting, ks_sitting_state_name(s.state));
    } else if ((rc = ks_exam_grade(x, sitting, &graded, err)) ||
               (rc = count_pending(x, s.id, count, &pending, err))) {
        /* reported as is */
    } else if (pending) {
        rc = ks_error_set(err, KS_ESTATE, "%zu attempts of sitting '%s' still wait for a "
                          "person's marks (see 'kaoshi marking %s')", pending, sitting, sitting);
    } else if (!(rc = ks_store_begin(x->store, err))) {
        rc = ks_store_publish(x->store, s.id, ks_clock_now(x->clock), x->actor, err);
        if (!rc)
            rc = exam_audit(x, "sitting.publish", s.id, 0,
                            json_pack("{sI}", "attempts", (json_int_t)*count), err);
        rc = exam_finish_tx(x, rc, err);
    }
    ks_sitting_free(&s);
    return rc;
}
