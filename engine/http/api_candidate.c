/* The candidate's API: the waiting room (with the candidate's own time,
 * extra time included, the deadline a start now would get, the number of
 * questions and the pass rule), starting, the questions (as the certification
 * presents them: never a key or an explanation), answer saves through the
 * group-commit writer, flags, submitting, the result as the review policy
 * allows (markers' comments with the answers, the pass rule, the attempts
 * used and when a retake may start) with the submission's receipt and, once
 * results are published, the PDF of the attempt's certificate. Every attempt id is checked against the session: a
 * candidate reaches only their own attempts in their own sitting. Routes and
 * replies are documented in docs/api.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/app.h"
#include "kaoshi/certificate.h"
#include "kaoshi/certificate_pdf.h"

static int64_t now_ms(http_req *r)
{
    return ks_clock_now(r->app->cfg->clock);
}

/* Loads the session's sitting; replies (and returns 0) on failure. */
static int own_sitting(http_req *r, ks_sitting *s)
{
    ks_error err;
    if (ks_store_sitting_by_id(r->ctx->store, r->session.sitting_id, s, &err)) {
        http_fail_error(r, &err);
        return 0;
    }
    return 1;
}

/* The id of attempt params[0] when it is the session's candidate's, in
 * their sitting, checked without loading the attempt (a save needs no
 * more), and the page seen alive now; 0 after replying 404 otherwise. */
static int64_t own_attempt_id(http_req *r)
{
    int64_t id = http_param_id(r, 0), candidate = 0, sitting = 0;
    ks_error err;
    if (!id)
        return 0;
    if (ks_store_attempt_owner(r->ctx->store, id, &candidate, &sitting, &err) ||
        candidate != r->session.subject_id || sitting != r->session.sitting_id) {
        http_fail(r, 404, "not_found", "没有找到这场考试");
        return 0;
    }
    if (!r->not_alive)
        http_seen_mark(r->app->seen, id, now_ms(r));
    return id;
}

int http_own_attempt(http_req *r, ks_attempt *a, ks_sitting *s)
{
    int64_t id = own_attempt_id(r);
    ks_error err;
    if (!id)
        return 0;
    if (ks_store_attempt_get(r->ctx->store, id, a, &err)) {
        http_fail(r, 404, "not_found", "没有找到这场考试");
        return 0;
    }
    if (!own_sitting(r, s)) {
        ks_attempt_free(a);
        return 0;
    }
    return 1;
}

/* The number of questions the certification declares: every form has the
 * sections' picks. */
static int declared_questions(const ks_cert_info *in)
{
    int n = 0;
    for (size_t i = 0; i < in->nsections; i++)
        n += in->sections[i].pick;
    return n;
}

/* Adds the pass rule to obj: "pass_mark" (percent of the form's maximum;
 * null when the script's pass() decides) and "section_minimums", [{title,
 * min}] for the sections that declare one ("50%" or "12 分"). */
static void add_pass_rule(json_t *obj, const ks_cert_info *in)
{
    json_t *mins = json_array();
    for (size_t i = 0; i < in->nsections; i++) {
        const ks_cert_section *sec = &in->sections[i];
        char min[64];
        if (sec->min_percent >= 0)
            snprintf(min, sizeof min, "%g%%", sec->min_percent);
        else if (sec->min_points >= 0)
            snprintf(min, sizeof min, "%g 分", sec->min_points);
        else
            continue;
        json_array_append_new(mins, json_pack("{ss ss}", "title", sec->title, "min", min));
    }
    json_object_set_new(obj, "pass_mark", in->pass_mark < 0 ? json_null()
                                                            : json_real(in->pass_mark));
    json_object_set_new(obj, "section_minimums", mins);
}

/* Adds to the waiting room's sitting what the certification declares:
 * "questions" and the pass rule; null while the sitting is a draft
 * (nothing is frozen yet). */
static void add_declared(http_req *r, const ks_sitting *s, json_t *sitting)
{
    ks_cert *cert;
    if (s->state == KS_SITTING_DRAFT || http_ctx_cert(r->ctx, s, &cert, NULL)) {
        json_object_set_new(sitting, "questions", json_null());
        json_object_set_new(sitting, "pass_mark", json_null());
        json_object_set_new(sitting, "section_minimums", json_null());
        return;
    }
    const ks_cert_info *in = ks_cert_info_of(cert);
    json_object_set_new(sitting, "questions", json_integer(declared_questions(in)));
    add_pass_rule(sitting, in);
}

void http_me(http_req *r)
{
    ks_sitting s;
    if (!own_sitting(r, &s))
        return;
    ks_enrollment e = {0};
    ks_attempt *list = NULL;
    size_t n = 0;
    ks_error err;
    if (ks_store_enrollment_get(r->ctx->store, s.id, r->session.subject, &e, &err) ||
        ks_store_attempts_of(r->ctx->store, r->session.subject_id, s.code, &list, &n, &err)) {
        http_fail_error(r, &err);
        ks_enrollment_free(&e);
        ks_sitting_free(&s);
        return;
    }
    json_t *attempt = json_null();
    for (size_t i = 0; i < n; i++) {
        if (list[i].sitting_id == s.id) {
            json_decref(attempt);
            attempt = http_attempt_json(r->ctx, &list[i]);
        }
    }
    /* the time the candidate is given: the sitting's with their accommodation */
    int64_t now = now_ms(r), extra = ks_exam_accommodation_ms(&e.time, s.duration_ms);
    json_t *candidate = json_pack(
        "{ss ss sI s{sI si}}", "number", e.number, "name", e.name, "duration_ms",
        (json_int_t)(s.duration_ms + extra), "extra_time", "extra_ms",
        (json_int_t)e.time.extra_ms, "factor_pct", e.time.factor_pct);
    /* the deadline a start now (or at the opening, while it is ahead) gets */
    int64_t start = now > s.opens_at ? now : s.opens_at;
    json_object_set_new(candidate, "deadline_if_started",
                        s.state != KS_SITTING_CLOSED && now < s.closes_at
                            ? json_integer(ks_deadline(start, s.duration_ms, s.closes_at, extra))
                            : json_null());
    json_t *sitting = http_sitting_json(r->ctx, &s);
    add_declared(r, &s, sitting);
    json_object_set_new(sitting, "aids", http_aids_json(r->ctx, &s));
    http_reply(r, 200, json_pack("{so so sI so}", "candidate", candidate, "sitting", sitting,
                                 "server_now", (json_int_t)now, "attempt", attempt));
    ks_attempt_list_free(list, n);
    ks_enrollment_free(&e);
    ks_sitting_free(&s);
}

/* Why a start was refused, in the candidate's words. */
static const char *start_refusal(const ks_sitting *s, int64_t now)
{
    if (s->state == KS_SITTING_DRAFT)
        return "考试尚未开放";
    if (s->state == KS_SITTING_CLOSED)
        return "本场考试已结束";
    if (now < s->opens_at)
        return "考试尚未开始，请在等候页面稍候";
    if (now >= s->closes_at)
        return "本场考试的开考时间已过";
    return "不能开始新的考试：您可能正在另一场考试中，请联系监考老师";
}

/* Replies to job's start, done: the attempt, or why not (s: the sitting, for
 * a refusal by the window). */
static void start_reply(http_req *r, const ks_sitting *s, const ks_exam_start_job *job)
{
    if (job->refusal)
        http_fail(r, 409, "not_allowed", job->refusal);
    else if (job->status == KS_ESTATE)
        http_fail(r, 409, "not_allowed", start_refusal(s, now_ms(r)));
    else if (job->status)
        http_fail_error(r, &job->err);
    else
        http_reply(r, 200, json_pack("{sI sb}", "attempt", (json_int_t)job->attempt.id,
                                     "resumed", job->resumed));
}

/* Replies once the start's group has committed, after starting here again
 * (rare) when the sitting or the candidate's attempts changed since the plan. */
static void start_done(http_req *r)
{
    ks_exam_start_job *job = &r->job->start;
    r->ctx = http_pool_acquire(&r->app->pool);
    if (job->replan) {
        snprintf(r->ctx->actor, sizeof r->ctx->actor, "%s", r->job->actor);
        r->ctx->exam.actor = r->ctx->actor;
        ks_exam_start_job_free(job);
        job->replan = 0;
        job->status = ks_exam_start_with(&r->ctx->exam, job->sitting, job->number, NULL, NULL,
                                         &job->attempt, &job->resumed, &job->refusal,
                                         &job->err);
    }
    ks_sitting s;
    ks_error err;
    if (job->status != KS_ESTATE || job->refusal) {
        start_reply(r, NULL, job);
    } else if (ks_store_sitting_get(r->ctx->store, job->sitting, &s, &err)) {
        http_fail_error(r, &err);
    } else {
        start_reply(r, &s, job);
        ks_sitting_free(&s);
    }
    http_pool_release(&r->app->pool, r->ctx);
    r->ctx = NULL;
}

/* Plans the start here (the retake policy and the form, on this worker) and
 * queues its commit to the writer's group commit; a resume, a refusal or an
 * error are answered at once. */
void http_start(http_req *r)
{
    ks_sitting s;
    if (!own_sitting(r, &s))
        return;
    ks_error err;
    /* with the context's loaded certification a plan only draws */
    ks_cert *cert = NULL;
    if (s.state == KS_SITTING_OPEN && http_ctx_cert(r->ctx, &s, &cert, &err))
        cert = NULL; /* the plan loads it, and reports what fails */
    http_write_job *j = calloc(1, sizeof *j);
    if (!j || !(j->sitting = strdup(s.name)) || !(j->actor = strdup(r->ctx->actor))) {
        http_write_job_free(j);
        http_fail(r, 500, "internal", "服务器内部错误");
        ks_sitting_free(&s);
        return;
    }
    r->job = j;
    j->start = (ks_exam_start_job){.sitting = j->sitting, .number = r->session.subject,
                                   .cert = cert, .actor = j->actor};
    ks_exam_start_plan(&r->ctx->exam, &j->start);
    if (!j->start.plan) {
        start_reply(r, &s, &j->start);
    } else {
        j->conn = r->conn;
        r->resumed = start_done;
        MHD_suspend_connection(r->conn);
        if (http_writer_submit(r->app->writer, j) != 0) {
            ks_exam_start_job_free(&j->start);
            j->start.status = ks_error_set(&j->start.err, KS_EIO, "the server is stopping");
            MHD_resume_connection(r->conn);
        }
    }
    ks_sitting_free(&s);
}

/* The "sections" of a form. Forms are written with their keys sorted, so
 * "sections" comes first and only its value is parsed (a form written
 * otherwise is parsed whole). */
static json_t *form_sections(const char *form)
{
    static const char head[] = "{\"sections\":";
    json_t *sections = NULL;
    if (strncmp(form, head, sizeof head - 1) == 0)
        sections = json_loads(form + sizeof head - 1, JSON_DISABLE_EOF_CHECK, NULL);
    if (!json_is_array(sections)) {
        json_decref(sections);
        json_t *whole = json_loads(form, 0, NULL);
        sections = json_incref(json_object_get(whole, "sections"));
        json_decref(whole);
    }
    return sections;
}

void http_attempt(http_req *r)
{
    ks_attempt a;
    ks_sitting s;
    if (!http_own_attempt(r, &a, &s))
        return;
    json_t *reply = http_attempt_json(r->ctx, &a);
    ks_cert *cert;
    char *questions = NULL;
    ks_error err;
    if (a.state != KS_ATTEMPT_ACTIVE) {
        http_reply(r, 200, reply);
    } else if (http_ctx_cert(r->ctx, &s, &cert, &err) ||
               ks_exam_questions(&r->ctx->exam, cert, &a, 0, &questions, &err)) {
        json_decref(reply);
        http_fail_error(r, &err);
    } else {
        json_object_set_new(reply, "title", json_string(ks_cert_info_of(cert)->title));
        json_object_set_new(reply, "aids", http_aids_json(r->ctx, &s));
        json_object_set_new(reply, "sections", form_sections(a.form));
        http_reply_with(r, 200, reply, "questions", questions);
    }
    free(questions);
    ks_attempt_free(&a);
    ks_sitting_free(&s);
}

void http_status(http_req *r)
{
    ks_attempt a;
    ks_sitting s;
    if (!http_own_attempt(r, &a, &s))
        return;
    http_reply(r, 200, http_attempt_json(r->ctx, &a));
    ks_attempt_free(&a);
    ks_sitting_free(&s);
}

/* ---- answer saves ------------------------------------------------------------ */

static int valid_key(const char *key)
{
    size_t n = strlen(key);
    return n >= 1 && n <= 64 &&
           strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n;
}

/* Replies to a save refused by attempt a's state: a newer save of the slot
 * (409 conflict, with what is stored), a pause, or the end of the attempt. */
static void refused_by_state(http_req *r, const ks_exam_save *v, const ks_attempt *a)
{
    ks_error err;
    if (v->conflict) {
        ks_answer *answers = NULL;
        size_t n = 0;
        json_t *reply = json_pack("{ss ss si sn sI}", "error", "conflict", "message",
                                  "此题已在另一页面保存了较新的答案，已为您显示最新答案",
                                  "slot", v->slot, "answer", "seq", (json_int_t)0);
        if (ks_store_answers_latest(r->ctx->store, a->id, &answers, &n, &err) == KS_OK)
            for (size_t k = 0; k < n; k++)
                if (answers[k].slot == v->slot) {
                    json_object_set_new(reply, "answer",
                                        json_loads(answers[k].response, 0, NULL));
                    json_object_set_new(reply, "seq", json_integer((json_int_t)answers[k].seq));
                }
        ks_answer_list_free(answers, n);
        http_reply(r, 409, reply);
    } else if (a->paused_at) {
        http_fail(r, 409, "paused", "考试已被监考老师暂停，答案未保存");
    } else {
        http_fail(r, 409, "ended", "考试已结束，答案未保存");
    }
}

/* Replies to a refused save. The exam layer refuses a slot past the form's
 * end and a malformed answer alike (KS_EINPUT); the form's size tells them
 * apart here: 404 for no such slot (docs/api.md), 400 for the answer. A
 * refusal by the attempt's state is 409 (refused_by_state). */
static void save_refused(http_req *r)
{
    const ks_exam_save *v = &r->job->save;
    ks_attempt a;
    ks_error err;
    r->ctx = http_pool_acquire(&r->app->pool);
    if (ks_store_attempt_get(r->ctx->store, v->attempt_id, &a, &err)) {
        http_fail_error(r, &err);
    } else {
        if (v->status == KS_EINPUT && (v->slot < 0 || (size_t)v->slot >= a.nslots))
            http_fail(r, 404, "not_found", "没有这道题");
        else if (v->status == KS_EINPUT) /* the detail names the field, for API clients */
            http_reply(r, 400, json_pack("{ss ss ss}", "error", "invalid", "message",
                                         "答案格式不正确", "detail", v->err.message));
        else
            refused_by_state(r, v, &a);
        ks_attempt_free(&a);
    }
    http_pool_release(&r->app->pool, r->ctx);
    r->ctx = NULL;
}

/* Builds the reply once the save's group has committed (or failed). */
static void save_done(http_req *r)
{
    ks_exam_save *v = &r->job->save;
    if (v->status == KS_OK)
        http_reply(r, 200, json_pack("{sI si}", "seq", (json_int_t)v->seq, "slot", v->slot));
    else if (v->status == KS_EINPUT || v->status == KS_ESTATE)
        save_refused(r);
    else
        http_fail(r, 503, "unavailable", "服务器暂时无法保存答案，正在重试");
}

void http_save(http_req *r)
{
    int64_t id = own_attempt_id(r);
    if (!id)
        return;
    int slot = http_param_slot(r, 1);
    json_t *response = json_object_get(r->json, "response");
    json_t *key = json_object_get(r->json, "key"), *base = json_object_get(r->json, "base");
    if (slot < 0) {
        /* replied */
    } else if (!json_is_object(response) ||
               (key && (!json_is_string(key) || !valid_key(json_string_value(key)))) ||
               (base && (!json_is_integer(base) || json_integer_value(base) < 0))) {
        http_fail(r, 400, "invalid", "请求须含 response（对象），可选 key（1 到 64 个字母、数字、"
                  "- 或 _）和 base（非负整数）");
    } else if (!(r->job = calloc(1, sizeof *r->job)) ||
               !(r->job->response = json_dumps(response, JSON_COMPACT)) ||
               (key && !(r->job->key = strdup(json_string_value(key))))) {
        http_fail(r, 500, "internal", "服务器内部错误");
    } else {
        r->job->save = (ks_exam_save){.attempt_id = id, .slot = slot,
                                      .response_json = r->job->response,
                                      .client_key = r->job->key,
                                      .base_seq = base ? json_integer_value(base) : -1};
        r->job->conn = r->conn;
        r->resumed = save_done;
        MHD_suspend_connection(r->conn);
        if (http_writer_submit(r->app->writer, r->job) != 0) {
            r->job->save.status = KS_EIO;
            MHD_resume_connection(r->conn);
        }
    }
    if (r->job && !r->resumed) { /* not queued: reply now */
        http_write_job_free(r->job);
        r->job = NULL;
    }
}

void http_flag(http_req *r)
{
    ks_attempt a;
    ks_sitting s;
    if (!http_own_attempt(r, &a, &s))
        return;
    int slot = http_param_slot(r, 1);
    json_t *flagged = json_object_get(r->json, "flagged");
    ks_error err;
    if (slot < 0) {
        /* replied */
    } else if (!json_is_boolean(flagged)) {
        http_fail(r, 400, "invalid", "请求须含 flagged（true 或 false）");
    } else if (ks_exam_flag(&r->ctx->exam, a.id, slot, json_is_true(flagged), &err)) {
        if (err.code == KS_ESTATE)
            http_fail(r, 409, "ended", "考试已结束");
        else if (err.code == KS_EINPUT)
            http_fail(r, 404, "not_found", "没有这道题");
        else
            http_fail_error(r, &err);
    } else {
        http_reply(r, 200, json_pack("{si so}", "slot", slot, "flagged",
                                     json_boolean(json_is_true(flagged))));
    }
    ks_attempt_free(&a);
    ks_sitting_free(&s);
}

void http_submit(http_req *r)
{
    ks_attempt a;
    ks_sitting s;
    if (!http_own_attempt(r, &a, &s))
        return;
    ks_error err;
    int already = a.state != KS_ATTEMPT_ACTIVE;
    ks_status rc = already ? KS_OK : ks_exam_submit(&r->ctx->exam, a.id, "submitted", &err);
    if (rc == KS_ESTATE && a.paused_at) {
        http_fail(r, 409, "paused", "考试已被监考老师暂停，暂时不能交卷");
    } else if (rc && rc != KS_ESTATE) {
        http_fail_error(r, &err);
    } else {
        /* submitted now, or before (a double submit, or the deadline) */
        int64_t id = a.id;
        ks_attempt_free(&a);
        if (ks_store_attempt_get(r->ctx->store, id, &a, &err)) {
            http_fail_error(r, &err);
        } else {
            json_t *reply = http_attempt_json(r->ctx, &a);
            json_object_set_new(reply, "already", json_boolean(already || rc == KS_ESTATE));
            http_reply(r, 200, reply);
        }
    }
    ks_attempt_free(&a);
    ks_sitting_free(&s);
}

/* ---- results ------------------------------------------------------------------- */

/* Question q of the review with its grading (item) and, when a person set
 * its score (mark, may be NULL), "by_person" and the marker's comment; for
 * review "full" q holds the key. NULL when it cannot be put in JSON. */
static json_t *question_json(json_t *q, json_t *item, const ks_mark *mark)
{
    json_t *marks = json_is_object(item) ? json_copy(item) : NULL;
    json_object_del(marks, "id");
    if (marks && mark &&
        (json_object_set_new(marks, "by_person", json_true()) ||
         (*mark->comment && json_object_set_new(marks, "comment", json_string(mark->comment))))) {
        json_decref(marks);
        return NULL;
    }
    json_t *v = json_pack("{sO so sO}", "slot", json_object_get(q, "slot"), "marks", marks,
                          "answer", json_object_get(q, "answer"));
    json_t *key = json_object_get(q, "key");
    if (v && key) {
        json_object_del(key, "id"); /* the bank's item id */
        json_object_set(v, "key", key);
    }
    if (v && json_object_set(v, "view", json_object_get(q, "view"))) {
        json_decref(v);
        return NULL;
    }
    return v;
}

/* Each question with the candidate's answer and marks (with, when a person
 * set the score, "by_person" and the marker's comment) and, for review
 * "full", the key and explanation: only once the sitting is closed. */
static json_t *review_json(http_req *r, ks_cert *cert, const ks_attempt *a, json_t *detail,
                           int full, ks_error *err)
{
    char *text = NULL;
    ks_mark *given = NULL;
    size_t ngiven = 0;
    if (ks_store_marks(r->ctx->store, a->id, &given, &ngiven, err))
        return NULL;
    if (ks_exam_questions(&r->ctx->exam, cert, a, full, &text, err)) {
        ks_mark_list_free(given, ngiven);
        return NULL;
    }
    json_t *questions = json_loads(text, 0, NULL), *items = json_object_get(detail, "items");
    free(text);
    json_t *out = json_array(), *q;
    size_t i;
    json_array_foreach(questions, i, q) {
        const ks_mark *mark = NULL;
        for (size_t k = 0; k < ngiven; k++)
            if ((size_t)given[k].slot == i)
                mark = &given[k];
        if (json_array_append_new(out, question_json(q, json_array_get(items, i), mark))) {
            /* never a review that silently leaves a question or a comment out */
            ks_error_set(err, KS_EINTERNAL, "attempt %lld: question %zu of the review cannot "
                         "be shown", (long long)a->id, i + 1);
            json_decref(out);
            out = NULL;
            break;
        }
    }
    json_decref(questions);
    ks_mark_list_free(given, ngiven);
    return out;
}

/* Adds "certificate": {"number", "pdf" (the download's path)} to reply when
 * the attempt has a certificate that verifies. */
static ks_status add_certificate(http_req *r, int64_t attempt_id, json_t *reply, ks_error *err)
{
    const unsigned char *pk = r->app->cfg->public_key;
    ks_certificate c;
    ks_status rc = pk ? ks_store_certificate_of_attempt(r->ctx->store, attempt_id, &c, err)
                      : KS_ENOTFOUND;
    if (rc)
        return rc == KS_ENOTFOUND ? KS_OK : rc;
    ks_verification v;
    rc = ks_certificate_verify(r->ctx->store, pk, c.number, NULL, &v, err);
    if (!rc && v.verdict == KS_VERDICT_VALID) {
        char path[96];
        snprintf(path, sizeof path, "/api/attempts/%lld/certificate.pdf", (long long)attempt_id);
        json_object_set_new(reply, "certificate",
                            json_pack("{ss ss}", "number", c.number, "pdf", path));
    }
    if (!rc)
        ks_verification_free(&v);
    ks_certificate_free(&c);
    return rc;
}

/* Adds finished attempt a's "receipt": {code (drawn when it finished),
 * finished_at, answered (its questions whose latest save is an answer, not
 * the empty response that withdraws one), questions}. */
static ks_status add_receipt(http_req *r, const ks_attempt *a, json_t *reply, ks_error *err)
{
    ks_answer *answers = NULL;
    size_t count = 0, n = 0;
    ks_status rc = ks_store_answers_latest(r->ctx->store, a->id, &answers, &count, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < count; i++)
        n += strcmp(answers[i].response, "{}") != 0;
    ks_answer_list_free(answers, count);
    json_object_set_new(reply, "receipt",
                        json_pack("{ss sI sI sI}", "code", a->receipt ? a->receipt : "",
                                  "finished_at", (json_int_t)a->finished_at, "answered",
                                  (json_int_t)n, "questions", (json_int_t)a->nslots));
    return KS_OK;
}

/* Adds what the retake policy says of the candidate's next attempt:
 * "attempts": {used, allowed} and "retake": {"at": the earliest time it may
 * start} or {"at": null, "reason": why it may not}. */
static ks_status add_retake(http_req *r, ks_cert *cert, const ks_attempt *a, json_t *reply,
                            ks_error *err)
{
    ks_retake t;
    ks_status rc = ks_exam_retake(&r->ctx->exam, cert, a->candidate_id, a->code, &t, err);
    if (rc)
        return rc;
    json_object_set_new(reply, "attempts",
                        json_pack("{si si}", "used", t.used, "allowed", t.allowed));
    json_object_set_new(reply, "retake",
                        t.reason ? json_pack("{sn ss}", "at", "reason", t.reason)
                                 : json_pack("{sI sn}", "at", (json_int_t)t.at, "reason"));
    ks_retake_free(&t);
    return KS_OK;
}

void http_result(http_req *r)
{
    ks_attempt a;
    ks_sitting s;
    if (!http_own_attempt(r, &a, &s))
        return;
    ks_cert *cert;
    ks_result res = {0};
    ks_error err;
    ks_status rc;
    int64_t published = 0;
    if (a.state == KS_ATTEMPT_ACTIVE) {
        http_fail(r, 409, "running", "考试尚未结束");
    } else if ((rc = ks_store_published(r->ctx->store, s.id, &published, &err)) ||
               (rc = http_ctx_cert(r->ctx, &s, &cert, &err))) {
        http_fail_error(r, &err);
    } else {
        const char *review = ks_cert_info_of(cert)->review;
        json_t *reply = json_pack("{sI ss ss sb sI}", "id", (json_int_t)a.id, "finish_reason",
                                  a.finish_reason, "review", review, "published",
                                  published != 0, "server_now", (json_int_t)now_ms(r));
        /* the receipt is the candidate's from the moment they finish */
        rc = add_receipt(r, &a, reply, &err);
        /* nothing of the result shows before a proctor publishes it */
        if (!rc)
            rc = published ? ks_store_result_get(r->ctx->store, a.id, &res, &err)
                           : KS_ENOTFOUND;
        /* nor a result graded with an earlier version of the sources until it
         * is regraded: shown beside the amended questions, it would mix two */
        if (!rc && res.version != s.version)
            rc = KS_ENOTFOUND;
        json_object_set_new(reply, "graded", json_boolean(rc == KS_OK));
        json_t *detail = rc ? NULL : json_loads(res.detail, 0, NULL);
        if (!rc && strcmp(review, "none") != 0) {
            json_object_set_new(reply, "score", json_real(res.score));
            json_object_set_new(reply, "max_score", json_real(res.max_score));
            json_object_set(reply, "percent", json_object_get(detail, "percent"));
            json_object_set_new(reply, "passed", res.passed < 0 ? json_null()
                                                                : json_boolean(res.passed));
            json_object_set(reply, "sections", json_object_get(detail, "sections"));
            /* why the result fails, in the pass rule's words */
            json_t *reason = json_object_get(detail, "reason");
            if (json_is_string(reason))
                json_object_set(reply, "reason", reason);
            add_pass_rule(reply, ks_cert_info_of(cert));
            rc = add_retake(r, cert, &a, reply, &err);
        }
        /* the certificate is the holder's whatever the review policy shows */
        if (published && (!rc || rc == KS_ENOTFOUND)) {
            ks_status crc = add_certificate(r, a.id, reply, &err);
            if (crc)
                rc = crc;
        }
        int detailed = !rc && (strcmp(review, "answers") == 0 || strcmp(review, "full") == 0);
        if (detailed) {
            json_t *questions = review_json(r, cert, &a, detail, strcmp(review, "full") == 0,
                                            &err);
            if (!questions)
                rc = err.code;
            json_object_set_new(reply, "questions", questions ? questions : json_null());
        }
        if (rc && rc != KS_ENOTFOUND) {
            json_decref(reply);
            http_fail_error(r, &err);
        } else {
            http_reply(r, 200, reply);
        }
        json_decref(detail);
        ks_result_free(&res);
    }
    ks_attempt_free(&a);
    ks_sitting_free(&s);
}

void http_certificate_pdf(http_req *r)
{
    ks_attempt a;
    ks_sitting s;
    if (!http_own_attempt(r, &a, &s))
        return;
    const http_config *cfg = r->app->cfg;
    ks_certificate c = {0};
    int64_t published = 0;
    ks_error err;
    ks_status rc = ks_store_published(r->ctx->store, s.id, &published, &err);
    if (!rc && published)
        rc = ks_store_certificate_of_attempt(r->ctx->store, a.id, &c, &err);
    size_t len = 0;
    if (!rc && published && cfg->public_key)
        rc = ks_certificate_pdf(r->ctx->store, cfg->public_key, c.number, cfg->public_url,
                                &r->owned, &len, &err);
    if (rc == KS_ENOTFOUND || (!rc && !published)) {
        http_fail(r, 404, "not_found", "这场考试没有证书");
    } else if (rc == KS_ESTATE) {
        http_fail(r, 409, "revoked", "证书已撤销或未通过验证，不能下载");
    } else if (rc) {
        http_fail_error(r, &err);
    } else if (!cfg->public_key) {
        http_fail(r, 503, "unavailable", "本服务器未配置证书验证，暂不能下载证书");
    } else {
        r->status = 200;
        r->data = r->owned;
        r->data_len = len;
        r->content_type = "application/pdf";
        snprintf(r->filename, sizeof r->filename, "%s.pdf", c.number);
    }
    ks_certificate_free(&c);
    ks_attempt_free(&a);
    ks_sitting_free(&s);
}
