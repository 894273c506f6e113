/* The exam lifecycle's forms drawn ahead: every enrolled candidate's first
 * form of a sitting drawn, presented and stored before the window opens, so
 * that a mass start only marks attempts started and shows the stored view.
 * See ks_exam_prepare in include/kaoshi/exam.h. */
#include "kaoshi/exam.h"

#include <stdlib.h>

#include "exam/exam_impl.h"

/* Forms stored per transaction: a writer never waits long behind one. */
#define PREPARE_BATCH 256u

/* Stores the n drawn forms of batch in one transaction and frees them. */
static ks_status store_batch(ks_exam *x, ks_drawn_form *batch, size_t n, ks_error *err)
{
    ks_status rc = n ? ks_store_begin(x->store, err) : KS_OK;
    for (size_t i = 0; !rc && i < n; i++)
        rc = ks_store_drawn_put(x->store, &batch[i], err);
    if (n)
        rc = exam_finish_tx(x, rc, err);
    for (size_t i = 0; i < n; i++)
        ks_drawn_form_free(&batch[i]);
    return rc;
}

/* Whether the candidate holds a form drawn from the sitting's version. */
static int holds_current(ks_exam *x, const ks_sitting *s, int64_t candidate_id)
{
    ks_drawn_form stored;
    ks_error ignore;
    if (ks_store_drawn_get(x->store, s->id, candidate_id, &stored, &ignore))
        return 0;
    int current = stored.version == s->version;
    ks_drawn_form_free(&stored);
    return current;
}

/* Draws the forms of the enrolled candidates who need one, at time at. */
static ks_status prepare_all(ks_exam *x, const ks_sitting *s, ks_cert *cert, int64_t at,
                             ks_prepared *out, ks_error *err)
{
    ks_enrollment *list = NULL;
    size_t n = 0, nbatch = 0;
    ks_drawn_form *batch = malloc(PREPARE_BATCH * sizeof *batch);
    ks_status rc = batch ? ks_store_enrollments(x->store, s->id, &list, &n, err)
                         : ks_error_set(err, KS_EINTERNAL, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        if (x->cancel && atomic_load(x->cancel)) {
            out->cancelled = 1;
            break;
        }
        int64_t candidate = list[i].candidate_id;
        if (holds_current(x, s, candidate)) {
            out->kept++;
            continue;
        }
        exam_draft d = {0};
        switch (exam_draft_form(x, s, candidate, cert, at, &d)) {
        case EXAM_DRAFT_DRAWN:
            if ((rc = exam_present_form(cert, d.form, &d.view, err)))
                break;
            batch[nbatch++] = (ks_drawn_form){.sitting_id = s->id, .candidate_id = candidate,
                                              .version = s->version, .history = d.history,
                                              .seed = d.seed, .form = d.form, .view = d.view,
                                              .drawn_at = ks_clock_now(x->clock)};
            d = (exam_draft){0};
            out->drawn++;
            break;
        case EXAM_DRAFT_STARTED: out->started++; break;
        case EXAM_DRAFT_REFUSED: out->refused++; break;
        case EXAM_DRAFT_FAILED:
            rc = ks_error_set(err, KS_ESCRIPT, "drawing the form of candidate %s failed; "
                              "'kaoshi check' on the sitting's script shows why",
                              list[i].number);
            break;
        }
        free(d.history);
        free(d.form);
        free(d.view);
        if (!rc && nbatch == PREPARE_BATCH) {
            rc = store_batch(x, batch, nbatch, err);
            nbatch = 0;
        }
    }
    if (!rc)
        rc = store_batch(x, batch, nbatch, err);
    else
        for (size_t i = 0; i < nbatch; i++)
            ks_drawn_form_free(&batch[i]);
    free(batch);
    ks_enrollment_list_free(list, n);
    return rc;
}

ks_status ks_exam_prepare(ks_exam *x, const char *sitting, ks_cert *cert, ks_prepared *out,
                          ks_error *err)
{
    *out = (ks_prepared){0};
    ks_sitting s;
    ks_status rc = ks_exam_opened_sitting(x, sitting, &s, err);
    if (rc)
        return rc;
    ks_fileset *fs = NULL;
    ks_cert *own = NULL;
    int64_t now = ks_clock_now(x->clock);
    if (s.state != KS_SITTING_OPEN)
        rc = ks_error_set(err, KS_ESTATE, "sitting '%s' is closed", sitting);
    else if (!cert && !(rc = ks_exam_frozen_cert(x, &s, &fs, &own, err)))
        cert = own;
    if (!rc)
        rc = prepare_all(x, &s, cert, now > s.opens_at ? now : s.opens_at, out, err);
    ks_cert_free(own);
    ks_fileset_free(fs);
    ks_sitting_free(&s);
    return rc;
}
