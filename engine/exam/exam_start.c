/* Starting an attempt in two steps, so that simultaneous starts share one
 * commit: the plan (every read and decision: the window, a running attempt
 * to resume, the retake policy, the form drawn ahead or drawn now) outside
 * any transaction, then the commit, which checks inside the write
 * transaction that nothing the plan read has changed and writes the attempt.
 * ks_exam_start_with runs both for one candidate, planning again when
 * something changed; ks_exam_start_batch commits many planned starts in one
 * transaction (the server's group commit). See include/kaoshi/exam.h. */
#include "kaoshi/exam.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "exam/exam_impl.h"

/* Plans in a row that may find something changed before ks_exam_start_with
 * gives up (each needs a commit in between that changed the candidate's
 * attempts or amended the sitting). */
#define START_TRIES 3

struct ks_start_plan {
    ks_sitting s;      /* as the plan read it */
    ks_enrollment e;
    exam_draft d;      /* the history the policy saw, the form, a view drawn ahead */
    size_t earlier;    /* the candidate's attempts at the code before this one */
    int64_t planned_at;
};

static void plan_free(ks_start_plan *p)
{
    if (!p)
        return;
    ks_sitting_free(&p->s);
    ks_enrollment_free(&p->e);
    free(p->d.history);
    free(p->d.form);
    free(p->d.view);
    free(p);
}

/* The candidate's form drawn ahead (ks_exam_prepare) into d when the sitting
 * is still at the version it was drawn from. */
static void take_drawn_ahead(ks_exam *x, const ks_sitting *s, int64_t candidate_id,
                             exam_draft *d)
{
    ks_drawn_form stored;
    ks_error ignore;
    if (ks_store_drawn_get(x->store, s->id, candidate_id, &stored, &ignore))
        return;
    if (stored.version != s->version) {
        ks_drawn_form_free(&stored);
        return;
    }
    *d = (exam_draft){.history = stored.history, .form = stored.form, .view = stored.view,
                      .version = stored.version, .seed = stored.seed};
}

/* Whether the candidate has a running attempt: in the sitting (moved into
 * job->attempt, a resume) or elsewhere (job->status KS_ESTATE). */
static int running_attempt(ks_exam_start_job *job, const ks_sitting *s, ks_attempt *list,
                           size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (list[i].state != KS_ATTEMPT_ACTIVE)
            continue;
        if (list[i].sitting_id == s->id) {
            job->resumed = 1;
            job->attempt = list[i];
            memset(&list[i], 0, sizeof list[i]);
        } else {
            job->status = ks_error_set(&job->err, KS_ESTATE, "candidate %s has a running "
                                       "attempt in another sitting", job->number);
        }
        return 1;
    }
    return 0;
}

/* The window's checks before a plan: the sitting open and begun. */
static ks_status window_open(const ks_sitting *s, int64_t now, ks_error *err)
{
    char when[KS_TIME_BUF];
    if (s->state != KS_SITTING_OPEN)
        return ks_error_set(err, KS_ESTATE, "sitting '%s' is %s", s->name,
                            s->state == KS_SITTING_DRAFT ? "not open yet" : "closed");
    if (now < s->opens_at) {
        ks_time_format(s->opens_at, s->tz_offset_min, when);
        return ks_error_set(err, KS_ESTATE, "sitting '%s' opens at %s", s->name, when);
    }
    return KS_OK;
}

/* The plan's decision, with the sitting and enrollment read: a resume, a
 * refusal, an error, or a form (into p->d). */
static void decide(ks_exam *x, ks_exam_start_job *job, ks_start_plan *p, ks_cert *cert)
{
    ks_attempt *list = NULL;
    size_t n = 0;
    exam_draft ahead = {0};
    char *reason = NULL;
    if ((job->status = ks_store_attempts_of(x->store, p->e.candidate_id, p->s.code, &list, &n,
                                            &job->err)) ||
        running_attempt(job, &p->s, list, n)) {
        ks_attempt_list_free(list, n);
        return;
    }
    p->earlier = n;
    if (!job->seed)
        take_drawn_ahead(x, &p->s, p->e.candidate_id, &ahead);
    switch (exam_draft_decide(x, list, n, cert, job->seed, p->planned_at, &ahead, &p->d,
                              &reason, &job->err)) {
    case EXAM_DRAFT_DRAWN: job->status = KS_OK; break;
    case EXAM_DRAFT_REFUSED:
        job->status = ks_error_set(&job->err, KS_ESTATE, "candidate %s may not start another "
                                   "attempt: %s", job->number, reason ? reason : "");
        job->refusal = reason ? reason : strdup("");
        reason = NULL;
        if (!job->refusal)
            job->status = ks_error_set(&job->err, KS_EINTERNAL, "out of memory");
        break;
    default: job->status = job->err.code ? job->err.code : KS_EINTERNAL; break;
    }
    free(reason);
    free(ahead.history);
    free(ahead.form);
    free(ahead.view);
    ks_attempt_list_free(list, n);
}

void ks_exam_start_plan(ks_exam *x, ks_exam_start_job *job)
{
    plan_free(job->plan);
    job->plan = NULL;
    job->resumed = job->replan = 0;
    free(job->refusal);
    job->refusal = NULL;
    ks_error_clear(&job->err);
    ks_start_plan *p = calloc(1, sizeof *p);
    if (!p) {
        job->status = ks_error_set(&job->err, KS_EINTERNAL, "out of memory");
        return;
    }
    p->planned_at = ks_clock_now(x->clock);
    ks_fileset *fs = NULL;
    ks_cert *cert = job->cert;
    if (!(job->status = ks_store_sitting_get(x->store, job->sitting, &p->s, &job->err)) &&
        !(job->status = ks_exam_finalize_overdue(x, p->s.id, NULL, &job->err)) &&
        !(job->status = ks_store_enrollment_get(x->store, p->s.id, job->number, &p->e,
                                                &job->err)) &&
        !(job->status = window_open(&p->s, p->planned_at, &job->err)) &&
        !(job->status = cert ? KS_OK : ks_exam_frozen_cert(x, &p->s, &fs, &cert, &job->err)))
        decide(x, job, p, cert);
    if (cert != job->cert)
        ks_cert_free(cert);
    ks_fileset_free(fs);
    if (job->status || job->resumed)
        plan_free(p);
    else
        job->plan = p;
}

/* Whether what p read still stands inside the transaction: the sitting's
 * version and state, the candidate's accommodation and history. A running
 * attempt in the sitting (another page started it meanwhile) is resumed. */
static ks_status still_stands(ks_exam *x, ks_exam_start_job *job, int *stands)
{
    ks_start_plan *p = job->plan;
    ks_sitting now_s = {0};
    ks_enrollment now_e = {0};
    ks_attempt *list = NULL;
    size_t n = 0, nseen = 0;
    char *history = NULL, **seen = NULL;
    *stands = 0;
    ks_status rc = ks_store_sitting_by_id(x->store, p->s.id, &now_s, &job->err);
    if (!rc && (now_s.version != p->s.version || now_s.state != KS_SITTING_OPEN)) {
        job->cert = now_s.version != p->s.version ? NULL : job->cert;
    } else if (!rc &&
               !(rc = ks_store_enrollment_get(x->store, p->s.id, job->number, &now_e,
                                              &job->err)) &&
               (now_e.time.extra_ms != p->e.time.extra_ms ||
                now_e.time.factor_pct != p->e.time.factor_pct)) {
        /* an accommodation granted meanwhile: planned again, it applies */
    } else if (!rc &&
               !(rc = ks_store_attempts_of(x->store, p->e.candidate_id, p->s.code, &list, &n,
                                           &job->err)) &&
               !running_attempt(job, &p->s, list, n) &&
               !(rc = exam_history_of(x, list, n, &history, &seen, &nseen, &job->err))) {
        *stands = strcmp(history, p->d.history) == 0;
    }
    free(history);
    ks_cert_free_ids(seen, nseen);
    ks_attempt_list_free(list, n);
    ks_enrollment_free(&now_e);
    ks_sitting_free(&now_s);
    return rc ? rc : job->status;
}

/* The commit of job's plan inside the write transaction. */
static void commit_in_tx(ks_exam *x, ks_exam_start_job *job, int64_t now)
{
    ks_start_plan *p = job->plan;
    const ks_sitting *s = &p->s;
    int stands;
    if ((job->status = still_stands(x, job, &stands)) || job->resumed)
        return;
    if (!stands) {
        job->replan = 1;
        job->status = ks_error_set(&job->err, KS_ESTATE, "sitting '%s' or the attempts of "
                                   "candidate %s changed during the start; start again",
                                   s->name, job->number);
        return;
    }
    if (now >= s->closes_at) {
        char when[KS_TIME_BUF];
        ks_time_format(s->closes_at, s->tz_offset_min, when);
        job->status = ks_error_set(&job->err, KS_ESTATE, "sitting '%s' closed at %s", s->name,
                                   when);
        return;
    }
    /* an accommodation lengthens the attempt and moves the close back as far */
    int64_t extra = ks_exam_accommodation_ms(&p->e.time, s->duration_ms);
    ks_attempt *a = &job->attempt;
    *a = (ks_attempt){.sitting_id = s->id, .candidate_id = p->e.candidate_id,
                      .code = strdup(s->code), .number = (int)p->earlier + 1, .seed = p->d.seed,
                      .form = p->d.form, .started_at = now,
                      .deadline_at = ks_deadline(now, s->duration_ms, s->closes_at, extra),
                      .accommodation_ms = extra, .finish_reason = strdup("")};
    p->d.form = NULL;
    if (!a->code || !a->finish_reason)
        job->status = ks_error_set(&job->err, KS_EINTERNAL, "out of memory");
    else if (!(job->status = ks_store_attempt_insert(x->store, a, &job->err)) &&
             !(job->status = ks_store_drawn_delete(x->store, s->id, p->e.candidate_id,
                                                   &job->err)) &&
             p->d.view)
        job->status = ks_store_attempt_view_put(x->store, a->id, p->d.version, p->d.view,
                                                &job->err);
    if (!job->status) {
        ks_exam as = *x;
        as.actor = job->actor ? job->actor : x->actor;
        job->status = exam_audit(&as, "attempt.start", s->id, a->id,
                                 json_pack("{ss si}", "candidate", job->number, "number",
                                           a->number),
                                 &job->err);
    }
    if (job->status)
        ks_attempt_free(a);
}

ks_status ks_exam_start_batch(ks_exam *x, ks_exam_start_job *const *jobs, size_t n,
                              ks_error *err)
{
    ks_error own;
    if (!err)
        err = &own;
    int64_t now = ks_clock_now(x->clock);
    ks_status rc = ks_store_begin(x->store, err);
    for (size_t i = 0; !rc && i < n; i++) {
        if (!jobs[i]->plan)
            continue;
        commit_in_tx(x, jobs[i], now);
        if (jobs[i]->status == KS_EIO || jobs[i]->status == KS_EINTERNAL) {
            rc = jobs[i]->status;
            *err = jobs[i]->err;
        }
    }
    rc = exam_finish_tx(x, rc, err);
    for (size_t i = 0; i < n; i++) {
        if (!jobs[i]->plan)
            continue;
        if (rc) { /* nothing was written */
            if (!jobs[i]->status)
                ks_attempt_free(&jobs[i]->attempt);
            jobs[i]->status = rc;
            jobs[i]->err = *err;
            jobs[i]->resumed = jobs[i]->replan = 0;
        }
        plan_free(jobs[i]->plan);
        jobs[i]->plan = NULL;
    }
    return rc;
}

void ks_exam_start_job_free(ks_exam_start_job *job)
{
    plan_free(job->plan);
    job->plan = NULL;
    ks_attempt_free(&job->attempt);
    free(job->refusal);
    job->refusal = NULL;
}

ks_status ks_exam_start_with(ks_exam *x, const char *sitting, const char *number,
                             ks_cert *cert, const uint64_t *seed, ks_attempt *out,
                             int *resumed, char **refusal, ks_error *err)
{
    ks_exam_start_job job = {.sitting = sitting, .number = number, .cert = cert, .seed = seed};
    ks_exam_start_job *one = &job;
    for (int tries = 0; tries < START_TRIES; tries++) {
        ks_exam_start_plan(x, &job);
        if (job.plan)
            ks_exam_start_batch(x, &one, 1, NULL);
        if (!job.replan)
            break;
    }
    if (refusal) {
        *refusal = job.refusal;
        job.refusal = NULL;
    }
    if (err)
        *err = job.err;
    *resumed = job.resumed;
    if (!job.status) {
        *out = job.attempt;
        memset(&job.attempt, 0, sizeof job.attempt);
    }
    ks_exam_start_job_free(&job);
    return job.status;
}

ks_status ks_exam_start_authenticated(ks_exam *x, const char *sitting, const char *number,
                                      ks_attempt *out, int *resumed, ks_error *err)
{
    return ks_exam_start_with(x, sitting, number, NULL, NULL, out, resumed, NULL, err);
}

ks_status ks_exam_start(ks_exam *x, const char *sitting, const char *number,
                        const char *access_code, ks_attempt *out, int *resumed, ks_error *err)
{
    ks_enrollment e;
    ks_status rc = ks_exam_candidate_check(x, sitting, number, access_code, &e, err);
    if (rc)
        return rc;
    ks_enrollment_free(&e);
    return ks_exam_start_authenticated(x, sitting, number, out, resumed, err);
}
