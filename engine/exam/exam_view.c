/* The candidate's view of an attempt's questions, built once for every front
 * end (the web API, `kaoshi attempt show`, the review of a result): each
 * question as its type presents it, with the latest saved answer and the
 * candidate's flag; the view kept for an attempt started from a form drawn
 * ahead stands for the presenting while the sitting keeps its version. See
 * include/kaoshi/exam.h. Uses store and cert; knows nothing of Lua or HTTP. */
#include "kaoshi/exam.h"

#include <jansson.h>
#include <stdlib.h>

#include "exam/exam_impl.h"
#include "kaoshi/json_text.h"

/* Question slot of a's form, as the candidate sees it (with its key apart
 * when keys), into *out; on failure *out is NULL and err says why. */
static ks_status question(ks_cert *cert, const ks_attempt *a, size_t slot, json_t *form_slot,
                          int keys, json_t **out, ks_error *err)
{
    char *text = NULL;
    *out = NULL;
    ks_status rc = ks_cert_present(cert, a->form, slot, keys, &text, err);
    if (rc)
        return rc;
    json_t *view = json_loads(text, 0, NULL);
    free(text);
    json_t *q = view ? json_pack("{sI sO sO sO sn sI sb}", "slot", (json_int_t)slot, "section",
                                 json_object_get(form_slot, "section"), "points",
                                 json_object_get(form_slot, "points"), "view", view, "answer",
                                 "seq", (json_int_t)0, "flagged", 0)
                     : NULL;
    if (!q) {
        json_decref(view);
        return ks_error_set(err, KS_EINTERNAL, "attempt %lld: question %zu cannot be shown",
                            (long long)a->id, slot + 1);
    }
    /* a key is never part of the view; only keys asks for it, apart */
    json_t *key = json_object_get(view, "key");
    if (keys && key)
        json_object_set(q, "key", key);
    json_object_del(view, "key");
    json_decref(view);
    *out = q;
    return KS_OK;
}

/* The questions of a's form as its candidate sees them (with their keys
 * apart when keys), without answers: a JSON array into *out. */
static ks_status present_all(ks_cert *cert, const ks_attempt *a, int keys, json_t **out,
                             ks_error *err)
{
    ks_status rc = KS_OK;
    json_t *form = json_loads(a->form, 0, NULL), *list = json_array();
    json_t *slots = json_object_get(form, "slots");
    for (size_t i = 0; !rc && i < json_array_size(slots); i++) {
        json_t *q;
        if (!(rc = question(cert, a, i, json_array_get(slots, i), keys, &q, err)))
            json_array_append_new(list, q);
    }
    json_decref(form);
    if (rc)
        json_decref(list);
    *out = rc ? NULL : list;
    return rc;
}

ks_status exam_present_form(ks_cert *cert, const char *form, char **view, ks_error *err)
{
    ks_attempt a = {.form = (char *)form};
    json_t *list;
    ks_status rc = present_all(cert, &a, 0, &list, err);
    if (!rc && !(*view = ks_json_text(list, JSON_COMPACT)))
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    json_decref(list);
    return rc;
}

/* The text of the view of a's questions kept when it started from a form
 * drawn ahead, if the sitting is still at the version that presented it;
 * else NULL. */
static char *kept_view(ks_exam *x, const ks_attempt *a)
{
    int version;
    char *text = NULL;
    ks_sitting s;
    ks_error ignore;
    if (ks_store_attempt_view_get(x->store, a->id, &version, &text, &ignore))
        return NULL;
    if (!ks_store_sitting_by_id(x->store, a->sitting_id, &s, &ignore)) {
        if (s.version != version) {
            free(text);
            text = NULL;
        }
        ks_sitting_free(&s);
    }
    return text;
}

/* The questions of a's form (the kept view's text when not NULL, else as
 * presented now) with the latest answers and the flags, as text into *out. */
static ks_status with_answers(ks_cert *cert, const ks_attempt *a, int keys, const char *kept,
                              const ks_answer *answers, size_t na, const int *flags,
                              size_t nf, char **out, ks_error *err)
{
    json_t *list = kept ? json_loads(kept, 0, NULL) : NULL;
    ks_status rc = KS_OK;
    if (!json_is_array(list)) {
        json_decref(list);
        if ((rc = present_all(cert, a, keys, &list, err)))
            return rc;
    }
    for (size_t k = 0; k < na; k++) {
        json_t *q = json_array_get(list, (size_t)answers[k].slot);
        json_object_set_new(q, "answer", json_loads(answers[k].response, 0, NULL));
        json_object_set_new(q, "seq", json_integer((json_int_t)answers[k].seq));
    }
    for (size_t k = 0; k < nf; k++)
        json_object_set_new(json_array_get(list, (size_t)flags[k]), "flagged", json_true());
    if (!(*out = ks_json_text(list, JSON_COMPACT)))
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    json_decref(list);
    return rc;
}

ks_status ks_exam_questions(ks_exam *x, ks_cert *cert, const ks_attempt *a, int keys,
                            char **json_out, ks_error *err)
{
    ks_answer *answers = NULL;
    size_t na = 0, nf = 0;
    int *flags = NULL;
    ks_status rc;
    if (!(rc = ks_store_answers_latest(x->store, a->id, &answers, &na, err)) &&
        !(rc = ks_store_flags(x->store, a->id, &flags, &nf, err))) {
        char *kept = keys ? NULL : kept_view(x, a);
        if (kept && kept[0] == '[' && !na && !nf) {
            *json_out = kept; /* as presented: nothing answered or flagged yet */
        } else {
            rc = with_answers(cert, a, keys, kept, answers, na, flags, nf, json_out, err);
            free(kept);
        }
    }
    free(flags);
    ks_answer_list_free(answers, na);
    return rc;
}
