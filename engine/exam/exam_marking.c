/* Manual grading and publishing: a person's marks for the answers no
 * question type can score (essays), the list of answers waiting for one, and
 * the publication of a sitting's final results. See
 * include/kaoshi/exam.h. Uses store and cert; knows nothing of Lua or HTTP. */
#include "kaoshi/exam.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exam/exam_impl.h"

/* The grading detail of one question: {fraction, manual, answered, ...}. */
static json_t *detail_item(json_t *detail, size_t slot)
{
    return json_array_get(json_object_get(detail, "items"), slot);
}

static ks_status mark_in_cert(ks_exam *x, ks_cert *cert, const ks_attempt *a, int slot,
                              const ks_mark *m, ks_error *err)
{
    char *text = NULL;
    double score, max_score;
    int passed;
    ks_status rc = exam_compute(x, cert, a, &text, &score, &max_score, &passed, err);
    if (rc)
        return rc;
    json_t *detail = json_loads(text, 0, NULL);
    free(text);
    json_t *item = detail_item(detail, (size_t)slot);
    if (!json_is_true(json_object_get(item, "manual"))) {
        rc = ks_error_set(err, KS_EINPUT, "question %d of attempt %lld (item %s) is scored "
                          "automatically; only answers graded by a person take marks",
                          slot + 1, (long long)a->id,
                          json_string_value(json_object_get(item, "id")));
    } else if (!(rc = ks_store_begin(x->store, err))) {
        rc = ks_store_mark_put(x->store, m, err);
        if (!rc)
            rc = exam_audit(x, "answer.mark", a->sitting_id, a->id,
                            json_pack("{si sf ss ss}", "question", slot + 1, "fraction",
                                      m->fraction, "grader", m->grader, "comment",
                                      m->comment),
                            err);
        rc = exam_finish_tx(x, rc, err);
    }
    json_decref(detail);
    return rc ? rc : exam_grade_attempt(x, cert, a, err);
}

ks_status ks_exam_mark(ks_exam *x, int64_t attempt_id, int slot, double fraction,
                       const char *grader, const char *comment, ks_error *err)
{
    if (!comment)
        comment = "";
    if (!isfinite(fraction) || fraction < 0 || fraction > 1)
        return ks_error_set(err, KS_EINPUT, "the mark must be a fraction of the question's "
                            "points from 0 to 1, found %g", fraction);
    if (strlen(comment) > KS_EXAM_MAX_NOTE)
        return ks_error_set(err, KS_EINPUT, "the comment is %zu bytes; at most %d are "
                            "accepted", strlen(comment), KS_EXAM_MAX_NOTE);
    if (!grader || !*grader)
        return ks_error_set(err, KS_EINPUT, "a mark needs the grader's name");
    ks_attempt a;
    ks_sitting s;
    ks_status rc = exam_load_attempt(x, attempt_id, &a, &s, err);
    if (rc)
        return rc;
    ks_fileset *fs = NULL;
    ks_cert *cert = NULL;
    int64_t published = 0;
    char when[KS_TIME_BUF];
    if ((rc = ks_store_published(x->store, s.id, &published, err))) {
        /* reported as is */
    } else if (published) {
        ks_time_format(published, s.tz_offset_min, when);
        rc = ks_error_set(err, KS_ESTATE, "the results of sitting '%s' were published at %s; "
                          "marks can no longer change", s.name, when);
    } else if (a.state != KS_ATTEMPT_FINISHED) {
        rc = ks_error_set(err, KS_ESTATE, "attempt %lld is still running; its answers can be "
                          "marked once it has ended", (long long)a.id);
    } else if (slot < 0 || (size_t)slot >= exam_form_size(a.form)) {
        rc = ks_error_set(err, KS_EINPUT, "question %d does not exist; this form has %zu",
                          slot + 1, exam_form_size(a.form));
    } else if (!(rc = ks_exam_frozen_cert(x, &s, &fs, &cert, err))) {
        ks_mark m = {.attempt_id = a.id, .slot = slot, .fraction = fraction,
                     .grader = (char *)grader, .comment = (char *)comment,
                     .marked_at = ks_clock_now(x->clock)};
        rc = mark_in_cert(x, cert, &a, slot, &m, err);
    }
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_attempt_free(&a);
    ks_sitting_free(&s);
    return rc;
}

/* Appends the waiting answers of one finished attempt to list. */
static ks_status waiting_of(ks_exam *x, ks_cert *cert, const ks_attempt *a,
                            const char *candidate, json_t *list, ks_error *err)
{
    char *text = NULL;
    double score, max_score;
    int passed;
    ks_status rc = exam_compute(x, cert, a, &text, &score, &max_score, &passed, err);
    if (rc)
        return rc;
    json_t *detail = json_loads(text, 0, NULL);
    free(text);
    ks_answer *answers = NULL;
    size_t na = 0;
    rc = ks_store_answers_latest(x->store, a->id, &answers, &na, err);
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
            list, json_pack("{sI ss si sO sO sO? sO? so?}", "attempt", (json_int_t)a->id,
                            "candidate", candidate, "question", answers[i].slot + 1, "item",
                            json_object_get(item, "id"), "points",
                            json_object_get(item, "max_points"), "stem",
                            json_object_get(view, "stem"), "rubric",
                            json_object_get(json_object_get(view, "key"), "rubric"),
                            "response",
                            json_loads(answers[i].response, 0, NULL)));
        json_decref(view);
    }
    ks_answer_list_free(answers, na);
    json_decref(detail);
    return rc;
}

ks_status ks_exam_marking(ks_exam *x, const char *sitting, char **json_out, ks_error *err)
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
    size_t n = 0, ne = 0;
    json_t *waiting = json_array();
    if (!(rc = ks_exam_finalize_overdue(x, s.id, NULL, err)) &&
        !(rc = ks_exam_frozen_cert(x, &s, &fs, &cert, err)) &&
        !(rc = ks_store_attempts_in(x->store, s.id, &list, &n, err)) &&
        !(rc = ks_store_enrollments(x->store, s.id, &en, &ne, err))) {
        for (size_t i = 0; !rc && i < n; i++) {
            if (list[i].state != KS_ATTEMPT_FINISHED)
                continue;
            const char *number = "?";
            for (size_t k = 0; k < ne; k++)
                if (en[k].candidate_id == list[i].candidate_id)
                    number = en[k].number;
            rc = waiting_of(x, cert, &list[i], number, waiting, err);
        }
    }
    if (!rc && !(*json_out = json_dumps(waiting, JSON_COMPACT | JSON_SORT_KEYS)))
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    json_decref(waiting);
    ks_enrollment_list_free(en, ne);
    ks_attempt_list_free(list, n);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_sitting_free(&s);
    return rc;
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
