/* The exam lifecycle's attempts: checking a candidate, the history and the
 * retake policy's verdict a start is decided on (and the form it draws; the
 * start itself is engine/exam/exam_start.c), what that policy says of the
 * next attempt, saving answers and flags, submitting, and finishing attempts
 * past their deadline. See include/kaoshi/exam.h. */
#include "kaoshi/exam.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "exam/exam_impl.h"

static void format_time(const ks_sitting *s, int64_t ms, char buf[KS_TIME_BUF])
{
    ks_time_format(ms, s->tz_offset_min, buf);
}

ks_status exam_history_of(ks_exam *x, const ks_attempt *list, size_t n, char **history,
                            char ***seen, size_t *nseen, ks_error *err)
{
    json_t *h = json_array();
    exam_string_list ids = {0};
    ks_status rc = KS_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *e = json_pack("{si sb sI}", "number", list[i].number, "finished",
                              list[i].state == KS_ATTEMPT_FINISHED, "finished_at",
                              (json_int_t)list[i].finished_at);
        ks_result r;
        ks_error why;
        ks_status got = ks_store_result_get(x->store, list[i].id, &r, &why);
        if (got == KS_OK) {
            if (r.passed >= 0)
                json_object_set_new(e, "passed", json_boolean(r.passed));
            json_object_set_new(e, "percent",
                                json_real(r.max_score > 0 ? 100 * r.score / r.max_score : 0));
            ks_result_free(&r);
        } else if (got != KS_ENOTFOUND) {
            /* only "not found" means not graded yet */
            json_decref(e);
            rc = ks_error_set(err, got, "%s", why.message);
            break;
        }
        json_array_append_new(h, e);
        char **form_ids;
        size_t nform;
        if ((rc = ks_cert_form_ids(list[i].form, &form_ids, &nform, err)))
            break;
        for (size_t j = 0; !rc && j < nform; j++) {
            if (exam_string_list_add(&ids, form_ids[j]) != 0)
                rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
            form_ids[j] = NULL; /* now owned by ids, or freed by exam_string_list_add */
        }
        ks_cert_free_ids(form_ids, nform);
    }
    *history = json_dumps(h, JSON_COMPACT);
    json_decref(h);
    *seen = ids.strings;
    *nseen = ids.n;
    return rc;
}

static int code_matches(const char *hash, const char *code)
{
    return code && crypto_pwhash_str_verify(hash, code, strlen(code)) == 0;
}

/* An access code's hash at the enrollment cost, checked against when the
 * candidate is not enrolled so that the answer takes as long either way. */
static const char unknown_candidate_hash[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=4096,t=2,p=1$vSiIPFf2TP+BRoleZeqgew$"
    "yL2xaaSifI2v8jeFSZVSMRTlBjQExaqgpnDpxDZy0R8";

/* A new attempt's seed: the caller's, or from the system's CSPRNG. */
static uint64_t start_seed(const uint64_t *given_seed)
{
    uint64_t seed = 0;
    if (given_seed)
        seed = *given_seed;
    else
        randombytes_buf(&seed, sizeof seed);
    return seed & 0x7fffffffffffffffULL; /* stored as a SQLite integer */
}

exam_draft_outcome exam_draft_decide(ks_exam *x, const ks_attempt *list, size_t n,
                                     ks_cert *cert, const uint64_t *given_seed, int64_t at,
                                     exam_draft *ahead, exam_draft *d, char **reason,
                                     ks_error *err)
{
    char **seen = NULL;
    size_t nseen = 0;
    int allowed = 0;
    exam_draft_outcome out = EXAM_DRAFT_FAILED;
    if (!exam_history_of(x, list, n, &d->history, &seen, &nseen, err) &&
        !ks_cert_may_start(cert, d->history, at, &allowed, reason, err)) {
        out = allowed ? EXAM_DRAFT_DRAWN : EXAM_DRAFT_REFUSED;
        if (allowed && ahead && ahead->form && strcmp(ahead->history, d->history) == 0) {
            /* nothing changed since the draw ahead: its form stands */
            d->form = ahead->form;
            d->view = ahead->view;
            d->version = ahead->version;
            d->seed = ahead->seed;
            ahead->form = ahead->view = NULL;
        } else if (allowed) {
            d->seed = start_seed(given_seed);
            if (ks_cert_build_form(cert, d->seed, (const char *const *)seen, nseen, &d->form,
                                   err))
                out = EXAM_DRAFT_FAILED;
        }
    }
    ks_cert_free_ids(seen, nseen);
    return out;
}

exam_draft_outcome exam_draft_form(ks_exam *x, const ks_sitting *s, int64_t candidate_id,
                                   ks_cert *cert, int64_t at, exam_draft *d)
{
    ks_attempt *list = NULL;
    size_t n = 0;
    char *reason = NULL;
    exam_draft_outcome out = EXAM_DRAFT_FAILED;
    ks_error ignore;
    if (ks_store_attempts_of(x->store, candidate_id, s->code, &list, &n, &ignore))
        return out;
    for (size_t i = 0; i < n; i++)
        if (list[i].state == KS_ATTEMPT_ACTIVE || list[i].sitting_id == s->id)
            out = EXAM_DRAFT_STARTED;
    if (out != EXAM_DRAFT_STARTED)
        out = exam_draft_decide(x, list, n, cert, NULL, at, NULL, d, &reason, &ignore);
    free(reason);
    ks_attempt_list_free(list, n);
    return out;
}

ks_status ks_exam_retake(ks_exam *x, ks_cert *cert, int64_t candidate_id, const char *code,
                         ks_retake *out, ks_error *err)
{
    memset(out, 0, sizeof *out);
    ks_attempt *list = NULL;
    char *history = NULL, **seen = NULL;
    size_t n = 0, nseen = 0;
    ks_status rc = ks_store_attempts_of(x->store, candidate_id, code, &list, &n, err);
    if (!rc && !(rc = exam_history_of(x, list, n, &history, &seen, &nseen, err))) {
        const ks_cert_info *in = ks_cert_info_of(cert);
        int64_t at = ks_clock_now(x->clock);
        /* the earliest the waiting period allows; the policy decides then */
        if (n && list[n - 1].finished_at && list[n - 1].finished_at + in->retake_wait_ms > at)
            at = list[n - 1].finished_at + in->retake_wait_ms;
        int allowed = 0;
        out->used = (int)n;
        out->allowed = in->attempts;
        rc = ks_cert_may_start(cert, history, at, &allowed, &out->reason, err);
        if (!rc && allowed)
            out->at = at;
        if (!rc && !allowed && !out->reason && !(out->reason = strdup("")))
            rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    free(history);
    ks_cert_free_ids(seen, nseen);
    ks_attempt_list_free(list, n);
    return rc;
}

void ks_retake_free(ks_retake *r)
{
    free(r->reason);
    r->reason = NULL;
}

ks_status ks_exam_candidate_check(ks_exam *x, const char *sitting, const char *number,
                                  const char *access_code, ks_enrollment *out, ks_error *err)
{
    ks_sitting s;
    ks_status rc = ks_store_sitting_get(x->store, sitting, &s, err);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    rc = ks_store_enrollment_get(x->store, s.id, number, out, err);
    if (rc == KS_ENOTFOUND)
        code_matches(unknown_candidate_hash, access_code);
    else if (!rc && !code_matches(out->access_hash, access_code))
        rc = ks_error_set(err, KS_EINPUT, "wrong access code for candidate %s", number);
    if (rc)
        ks_enrollment_free(out);
    ks_sitting_free(&s);
    return rc;
}

int exam_overdue(const ks_attempt *a, const ks_sitting *s, int64_t now)
{
    return a->state == KS_ATTEMPT_ACTIVE && !a->paused_at && now > a->deadline_at + s->grace_ms;
}

ks_status exam_load_attempt(ks_exam *x, int64_t id, ks_attempt *a, ks_sitting *s,
                            ks_error *err)
{
    ks_status rc = ks_store_attempt_get(x->store, id, a, err);
    if (rc)
        return rc;
    if ((rc = ks_store_sitting_by_id(x->store, a->sitting_id, s, err))) {
        ks_attempt_free(a);
        return rc;
    }
    if (exam_overdue(a, s, ks_clock_now(x->clock))) {
        if (!(rc = ks_store_begin(x->store, err)))
            rc = exam_finish_tx(x, exam_finish_attempt(x, a, a->deadline_at, "deadline", err),
                                err);
        if (!rc) {
            ks_attempt_free(a);
            rc = ks_store_attempt_get(x->store, id, a, err);
        }
        if (rc) {
            ks_sitting_free(s);
            return rc;
        }
    }
    return KS_OK;
}

/* Parses a response and writes its canonical form (sorted keys, compact)
 * into *canonical. */
static ks_status canonical_response(const char *response_json, char **canonical, ks_error *err)
{
    size_t len = strlen(response_json);
    if (len > KS_EXAM_MAX_RESPONSE)
        return ks_error_set(err, KS_EINPUT, "the answer is %zu bytes; at most %d are accepted",
                            len, KS_EXAM_MAX_RESPONSE);
    json_error_t jerr;
    json_t *v = json_loads(response_json, 0, &jerr);
    if (!json_is_object(v)) {
        json_decref(v);
        return ks_error_set(err, KS_EINPUT, "the answer must be a JSON object, like "
                            "{\"choice\": 2}%s%s", v ? "" : ": ", v ? "" : jerr.text);
    }
    *canonical = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(v);
    return *canonical ? KS_OK : ks_error_set(err, KS_EINTERNAL, "out of memory");
}

/* One save inside the batch's transaction: a retried key is acknowledged
 * with its first seq; otherwise the attempt must be running, unpaused and
 * within its deadline plus grace (finishing it at its deadline when it is
 * not), the slot on its form and, when base_seq >= 0, base_seq the slot's
 * latest save (0: none yet): neither a newer one stored since nor a base
 * ahead of what is stored. A returned error other than the save's own ends the
 * batch. */
static ks_status save_in_tx(ks_exam *x, ks_exam_save *v, const char *canonical, int64_t now)
{
    ks_error *err = &v->err;
    ks_attempt a;
    ks_sitting s;
    ks_status rc;
    if (v->client_key && (rc = ks_store_answer_by_key(x->store, v->attempt_id, v->client_key,
                                                      &v->seq, err)) != KS_ENOTFOUND)
        return rc;
    if ((rc = ks_store_attempt_get(x->store, v->attempt_id, &a, err)))
        return rc;
    if ((rc = ks_store_sitting_by_id(x->store, a.sitting_id, &s, err))) {
        ks_attempt_free(&a);
        return rc;
    }
    char when[KS_TIME_BUF];
    int64_t last = 0;
    if (exam_overdue(&a, &s, now) &&
        (rc = exam_finish_attempt(x, &a, a.deadline_at, "deadline", err)) == KS_OK) {
        format_time(&s, a.deadline_at, when);
        rc = ks_error_set(err, KS_ESTATE, "attempt %lld ended at %s (deadline); the answer "
                          "was not saved", (long long)a.id, when);
    } else if (rc) {
        /* the finish failed: reported as is */
    } else if (a.state != KS_ATTEMPT_ACTIVE) {
        format_time(&s, a.finished_at, when);
        rc = ks_error_set(err, KS_ESTATE, "attempt %lld ended at %s (%s); the answer was not "
                          "saved", (long long)a.id, when, a.finish_reason);
    } else if (a.paused_at) {
        rc = ks_error_set(err, KS_ESTATE, "attempt %lld is paused by a proctor; the answer was "
                          "not saved", (long long)a.id);
    } else if (v->slot < 0 || (size_t)v->slot >= a.nslots) {
        rc = ks_error_set(err, KS_EINPUT, "question %d does not exist; this form has %zu",
                          v->slot + 1, a.nslots);
    } else if ((rc = ks_cert_check_response(a.form, (size_t)v->slot, canonical, err))) {
        /* the answer does not fit the question's widget */
    } else if (v->base_seq >= 0 &&
               (rc = ks_store_answer_last_seq(x->store, a.id, v->slot, &last, err)) == KS_OK &&
               last != v->base_seq) {
        /* saved since the page looked, or a base no save of this slot had */
        v->conflict = 1;
        if (last > v->base_seq)
            rc = ks_error_set(err, KS_ESTATE, "question %d was saved again (save %lld) after "
                              "save %lld; the answer was not saved", v->slot + 1,
                              (long long)last, (long long)v->base_seq);
        else
            rc = ks_error_set(err, KS_ESTATE, "question %d has no save %lld (the latest is "
                              "%lld); the answer was not saved", v->slot + 1,
                              (long long)v->base_seq, (long long)last);
    } else if (!rc) {
        rc = ks_store_answer_save(x->store, a.id, v->slot, canonical, now, v->client_key,
                                  &v->seq, err);
    }
    ks_attempt_free(&a);
    ks_sitting_free(&s);
    return rc;
}

ks_status ks_exam_answer_batch(ks_exam *x, ks_exam_save *saves, size_t n, ks_error *err)
{
    char **canonical = calloc(n + 1, sizeof *canonical);
    if (!canonical)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        saves[i].seq = 0;
        saves[i].conflict = 0;
        ks_error_clear(&saves[i].err);
        saves[i].status = canonical_response(saves[i].response_json, &canonical[i],
                                             &saves[i].err);
    }
    ks_error own;
    if (!err) /* the batch's error is copied to each save: keep one */
        err = &own;
    int64_t now = ks_clock_now(x->clock);
    ks_status rc = ks_store_begin(x->store, err);
    for (size_t i = 0; !rc && i < n; i++) {
        if (saves[i].status)
            continue;
        saves[i].status = save_in_tx(x, &saves[i], canonical[i], now);
        if (saves[i].status == KS_EIO || saves[i].status == KS_EINTERNAL) {
            rc = saves[i].status;
            *err = saves[i].err;
        }
    }
    if (!rc || rc == KS_EIO || rc == KS_EINTERNAL)
        rc = exam_finish_tx(x, rc, err);
    for (size_t i = 0; i < n; i++) {
        if (rc && !saves[i].status) {
            saves[i].status = rc;
            saves[i].err = *err;
        }
        free(canonical[i]);
    }
    free(canonical);
    return rc;
}

ks_status ks_exam_answer(ks_exam *x, int64_t attempt_id, int slot, const char *response_json,
                         const char *client_key, int64_t *seq, ks_error *err)
{
    ks_exam_save v = {.attempt_id = attempt_id, .slot = slot, .response_json = response_json,
                      .client_key = client_key, .base_seq = -1};
    ks_status rc = ks_exam_answer_batch(x, &v, 1, err);
    if (!rc && (rc = v.status) && err)
        *err = v.err;
    if (!rc && seq)
        *seq = v.seq;
    return rc;
}

ks_status ks_exam_flag(ks_exam *x, int64_t attempt_id, int slot, int flagged, ks_error *err)
{
    ks_attempt a;
    ks_sitting s;
    ks_status rc = exam_load_attempt(x, attempt_id, &a, &s, err);
    if (rc)
        return rc;
    if (a.state != KS_ATTEMPT_ACTIVE)
        rc = ks_error_set(err, KS_ESTATE, "attempt %lld has ended", (long long)a.id);
    else if (slot < 0 || (size_t)slot >= a.nslots)
        rc = ks_error_set(err, KS_EINPUT, "question %d does not exist; this form has %zu",
                          slot + 1, a.nslots);
    else
        rc = ks_store_flag_set(x->store, a.id, slot, flagged, err);
    ks_attempt_free(&a);
    ks_sitting_free(&s);
    return rc;
}

ks_status ks_exam_submit(ks_exam *x, int64_t attempt_id, const char *reason, ks_error *err)
{
    ks_attempt a;
    ks_sitting s;
    ks_status rc = exam_load_attempt(x, attempt_id, &a, &s, err);
    if (rc)
        return rc;
    int64_t now = ks_clock_now(x->clock);
    if (a.state != KS_ATTEMPT_ACTIVE) {
        char when[KS_TIME_BUF];
        format_time(&s, a.finished_at, when);
        rc = ks_error_set(err, KS_ESTATE, "attempt %lld already ended at %s (%s)",
                          (long long)a.id, when, a.finish_reason);
    } else if (a.paused_at && strcmp(reason, "forced") != 0) {
        rc = ks_error_set(err, KS_ESTATE, "attempt %lld is paused by a proctor", (long long)a.id);
    } else if (!(rc = ks_store_begin(x->store, err))) {
        /* a candidate's submit in the grace after the deadline ends it at the deadline */
        int late = strcmp(reason, "submitted") == 0 && now > a.deadline_at;
        rc = exam_finish_tx(x, exam_finish_attempt(x, &a, late ? a.deadline_at : now,
                                                   late ? "deadline" : reason, err),
                            err);
    }
    ks_attempt_free(&a);
    ks_sitting_free(&s);
    return rc;
}

int64_t ks_exam_time_left(const ks_attempt *a, int64_t now)
{
    if (a->state != KS_ATTEMPT_ACTIVE)
        return 0;
    int64_t left = a->deadline_at - (a->paused_at ? a->paused_at : now);
    return left > 0 ? left : 0;
}

ks_status ks_exam_finalize_overdue(ks_exam *x, int64_t sitting_id, size_t *count, ks_error *err)
{
    ks_sitting *sittings = NULL;
    size_t ns = 0;
    ks_status rc = ks_store_sitting_list(x->store, &sittings, &ns, err);
    size_t done = 0;
    int64_t now = ks_clock_now(x->clock);
    for (size_t i = 0; !rc && i < ns; i++) {
        /* only an open sitting has running attempts: closing finishes them */
        if ((sitting_id && sittings[i].id != sitting_id) || sittings[i].state != KS_SITTING_OPEN)
            continue;
        ks_attempt *list = NULL;
        size_t n = 0;
        if ((rc = ks_store_attempts_due(x->store, sittings[i].id, now - sittings[i].grace_ms,
                                        &list, &n, err)))
            break;
        for (size_t j = 0; !rc && j < n; j++) {
            if (!exam_overdue(&list[j], &sittings[i], now))
                continue;
            if (!(rc = ks_store_begin(x->store, err)))
                rc = exam_finish_tx(x, exam_finish_attempt(x, &list[j], list[j].deadline_at,
                                                           "deadline", err),
                                    err);
            /* a concurrent finish is not an error here */
            if (rc == KS_ESTATE)
                rc = KS_OK;
            else if (!rc)
                done++;
        }
        ks_attempt_list_free(list, n);
    }
    ks_sitting_list_free(sittings, ns);
    if (count)
        *count = done;
    return rc;
}
