/* The proctor console's API: the sittings, a live table of one sitting
 * (not started / running / paused / finished, answered count, time left,
 * last seen, extra time and extensions, whether a candidate logged in,
 * incident notes), opening, closing, grading and
 * publishing a sitting, its results and its amendments (the versions of its
 * sources, the results they changed, the certificates flagged), the essay
 * answers waiting for a mark and the marks given, and the actions on one
 * attempt (extend, pause, resume, force
 * submit, note, mark an essay, override an automatic score, clear a mark),
 * each audited under the proctor's name by the lifecycle; marking is blind
 * (answers under anonymous labels, no candidate). Routes and replies are
 * documented in docs/api.md. */
#include <stdlib.h>
#include <string.h>

#include "http/app.h"

void http_sittings(http_req *r)
{
    ks_sitting *all;
    size_t n;
    ks_error err;
    if (ks_store_sitting_list(r->ctx->store, &all, &n, &err)) {
        http_fail_error(r, &err);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, http_sitting_json(r->ctx, &all[i]));
    http_reply(r, 200, json_pack("{so}", "sittings", list));
    ks_sitting_list_free(all, n);
}

/* The minutes proctors added to attempt_id (its attempt.extend entries in
 * the sitting's audit log), in ms. */
static int64_t extended_ms(const ks_audit_entry *log, size_t n, int64_t attempt_id)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (log[i].attempt_id != attempt_id || strcmp(log[i].action, "attempt.extend") != 0)
            continue;
        json_t *detail = json_loads(log[i].detail, 0, NULL);
        sum += json_integer_value(json_object_get(detail, "extra_ms"));
        json_decref(detail);
    }
    return sum;
}

/* One row of the live table: a candidate (and whether they logged in since
 * the server started) and their latest attempt here (with the extra time it
 * was started with and the extensions it got); NULL when the candidate's
 * number or name is no UTF-8. */
static json_t *row_json(http_req *r, const ks_sitting *s, const ks_enrollment *e,
                        const ks_attempt *a, const ks_answer_count *counts, size_t ncounts,
                        const ks_audit_entry *log, size_t nlog)
{
    ks_accommodation time = ks_exam_attempt_accommodation(e, a, s->duration_ms);
    json_t *row = json_pack("{ss ss s{sI si} sb}", "number", e->number, "name", e->name,
                            "extra_time", "extra_ms", (json_int_t)time.extra_ms, "factor_pct",
                            time.factor_pct, "logged_in",
                            http_seen_get(r->app->seen, HTTP_SEEN_LOGIN(e->candidate_id)) != 0);
    if (!row)
        return NULL;
    if (!a) {
        json_object_set_new(row, "state", json_string("not_started"));
        return row;
    }
    json_t *clock = http_attempt_json(r->ctx, a);
    json_object_update(row, clock);
    json_decref(clock);
    int answered = 0;
    int64_t seen = http_seen_get(r->app->seen, a->id);
    for (size_t i = 0; i < ncounts; i++) {
        if (counts[i].attempt_id == a->id) {
            answered = counts[i].answered;
            if (counts[i].last_saved_at > seen)
                seen = counts[i].last_saved_at;
        }
    }
    json_object_set_new(row, "answered", json_integer(answered));
    json_object_set_new(row, "questions", json_integer((json_int_t)a->nslots));
    json_object_set_new(row, "last_seen", seen ? json_integer((json_int_t)seen) : json_null());
    json_object_set_new(row, "extended_ms", json_integer((json_int_t)extended_ms(log, nlog, a->id)));
    return row;
}

void http_live(http_req *r)
{
    ks_sitting s;
    ks_enrollment *en = NULL;
    ks_attempt *at = NULL;
    ks_answer_count *counts = NULL;
    ks_note *notes = NULL;
    ks_audit_entry *log = NULL;
    size_t ne = 0, na = 0, nc = 0, nn = 0, nlog = 0;
    ks_error err;
    if (ks_store_sitting_get(r->ctx->store, r->params[0], &s, &err)) {
        http_fail_error(r, &err);
        return;
    }
    if (ks_store_enrollments(r->ctx->store, s.id, &en, &ne, &err) ||
        ks_store_attempts_in(r->ctx->store, s.id, &at, &na, &err) ||
        ks_store_answer_counts(r->ctx->store, s.id, &counts, &nc, &err) ||
        ks_store_notes(r->ctx->store, s.id, &notes, &nn, &err) ||
        ks_store_audit_list(r->ctx->store, s.id, &log, &nlog, &err)) {
        http_fail_error(r, &err);
    } else {
        json_t *rows = json_array(), *notes_json = json_array();
        int complete = 1;
        for (size_t i = 0; i < ne; i++) {
            const ks_attempt *latest = NULL;
            for (size_t k = 0; k < na; k++)
                if (at[k].candidate_id == en[i].candidate_id)
                    latest = &at[k];
            complete &= json_array_append_new(rows, row_json(r, &s, &en[i], latest, counts, nc,
                                                             log, nlog)) == 0;
        }
        for (size_t i = 0; i < nn; i++)
            json_array_append_new(notes_json,
                                  json_pack("{sI sI ss ss}", "attempt",
                                            (json_int_t)notes[i].attempt_id, "at",
                                            (json_int_t)notes[i].at, "author", notes[i].author,
                                            "text", notes[i].text));
        if (complete) {
            http_reply(r, 200,
                       json_pack("{so sI so so}", "sitting", http_sitting_json(r->ctx, &s),
                                 "server_now", (json_int_t)ks_clock_now(r->app->cfg->clock),
                                 "rows", rows, "notes", notes_json));
        } else { /* never a table that silently leaves a candidate out */
            json_decref(rows);
            json_decref(notes_json);
            http_fail(r, 500, "internal", "有考生的考号或姓名不是 UTF-8 文本，无法显示本场考试");
        }
    }
    ks_audit_entry_list_free(log, nlog);
    ks_note_list_free(notes, nn);
    free(counts);
    ks_attempt_list_free(at, na);
    ks_enrollment_list_free(en, ne);
    ks_sitting_free(&s);
}

/* Replies with the sitting params[0] as it is now, plus `extra` (may be NULL). */
static void reply_sitting(http_req *r, json_t *extra)
{
    ks_sitting s;
    ks_error err;
    if (ks_store_sitting_get(r->ctx->store, r->params[0], &s, &err)) {
        json_decref(extra);
        http_fail_error(r, &err);
        return;
    }
    json_t *reply = json_pack("{so}", "sitting", http_sitting_json(r->ctx, &s));
    if (extra)
        json_object_update(reply, extra);
    json_decref(extra);
    http_reply(r, 200, reply);
    ks_sitting_free(&s);
}

void http_sitting_open(http_req *r)
{
    ks_error err;
    if (ks_exam_sitting_open(&r->ctx->exam, r->params[0], &err))
        http_fail_error(r, &err);
    else
        reply_sitting(r, NULL);
}

void http_sitting_close(http_req *r)
{
    ks_error err;
    size_t finished;
    if (ks_exam_sitting_close(&r->ctx->exam, r->params[0], &finished, &err))
        http_fail_error(r, &err);
    else
        reply_sitting(r, json_pack("{sI}", "finished", (json_int_t)finished));
}

void http_sitting_grade(http_req *r)
{
    ks_error err;
    ks_exam_grading g;
    if (ks_exam_regrade(&r->ctx->exam, r->params[0], &g, &err))
        http_fail_error(r, &err);
    else
        reply_sitting(r, json_pack("{sI si sI sI sI}", "graded", (json_int_t)g.graded,
                                   "version", g.version, "changed", (json_int_t)g.changed,
                                   "flagged", (json_int_t)g.flagged, "cleared",
                                   (json_int_t)g.cleared));
}

void http_results(http_req *r)
{
    char *text = NULL;
    ks_error err;
    if (ks_exam_results(&r->ctx->exam, r->params[0], 0, &text, &err))
        http_fail_error(r, &err);
    else
        http_reply(r, 200, json_pack("{so}", "results", json_loads(text, 0, NULL)));
    free(text);
}

void http_amendments(http_req *r)
{
    char *text = NULL;
    ks_error err;
    if (ks_exam_amendments(&r->ctx->exam, r->params[0], &text, &err))
        http_fail_error(r, &err);
    else
        http_reply(r, 200, json_loads(text, 0, NULL));
    free(text);
}

void http_sitting_publish(http_req *r)
{
    ks_error err;
    size_t count;
    if (ks_exam_publish(&r->ctx->exam, r->params[0], &count, &err))
        http_fail_error(r, &err);
    else
        reply_sitting(r, json_pack("{sI}", "published", (json_int_t)count));
}

/* Replies with attempt id's state and clock after an action, or the error. */
static void reply_attempt(http_req *r, int64_t id, ks_status rc, const ks_error *action_err)
{
    ks_attempt a;
    ks_error err;
    if (rc) {
        http_fail_error(r, action_err);
    } else if (ks_store_attempt_get(r->ctx->store, id, &a, &err)) {
        http_fail_error(r, &err);
    } else {
        http_reply(r, 200, http_attempt_json(r->ctx, &a));
        ks_attempt_free(&a);
    }
}

void http_extend(http_req *r)
{
    int64_t id = http_param_id(r, 0);
    json_t *minutes = json_object_get(r->json, "minutes");
    ks_error err;
    if (!id)
        return;
    if (!json_is_integer(minutes) || json_integer_value(minutes) < 1 ||
        json_integer_value(minutes) > 24 * 60) {
        http_fail(r, 400, "invalid", "minutes: expected a whole number from 1 to 1440");
        return;
    }
    ks_status rc = ks_exam_extend(&r->ctx->exam, id, json_integer_value(minutes) * 60000, NULL,
                                  &err);
    reply_attempt(r, id, rc, &err);
}

void http_pause(http_req *r)
{
    int64_t id = http_param_id(r, 0);
    ks_error err;
    if (id)
        reply_attempt(r, id, ks_exam_pause(&r->ctx->exam, id, &err), &err);
}

void http_resume(http_req *r)
{
    int64_t id = http_param_id(r, 0);
    ks_error err;
    if (id)
        reply_attempt(r, id, ks_exam_resume(&r->ctx->exam, id, NULL, &err), &err);
}

void http_force_submit(http_req *r)
{
    int64_t id = http_param_id(r, 0);
    ks_error err;
    if (id)
        reply_attempt(r, id, ks_exam_submit(&r->ctx->exam, id, "forced", &err), &err);
}

void http_note(http_req *r)
{
    int64_t id = http_param_id(r, 0);
    const char *text = http_body_string(r, "text");
    ks_error err;
    if (!id)
        return;
    if (!text) {
        http_fail(r, 400, "invalid", "text: expected the note's text");
        return;
    }
    reply_attempt(r, id, ks_exam_note(&r->ctx->exam, id, text, &err), &err);
}

void http_marking(http_req *r)
{
    char *text = NULL;
    ks_error err;
    if (ks_exam_marking_blind(&r->ctx->exam, r->params[0], &text, &err)) {
        http_fail_error(r, &err);
        return;
    }
    http_reply(r, 200, json_loads(text, 0, NULL));
    free(text);
}

/* Replies with the attempt's result after a change of its marks, or the
 * error. */
static void reply_result(http_req *r, int64_t id, ks_status rc, const ks_error *mark_err)
{
    ks_result res;
    ks_error err;
    if (rc) {
        http_fail_error(r, mark_err);
    } else if (ks_store_result_get(r->ctx->store, id, &res, &err)) {
        http_fail_error(r, &err);
    } else {
        http_reply(r, 200, json_pack("{sI sf sf so}", "attempt", (json_int_t)id, "score",
                                     res.score, "max_score", res.max_score, "passed",
                                     res.passed < 0 ? json_null() : json_boolean(res.passed)));
        ks_result_free(&res);
    }
}

void http_mark(http_req *r)
{
    int64_t id = http_param_id(r, 0);
    json_t *question = json_object_get(r->json, "question");
    json_t *fraction = json_object_get(r->json, "fraction");
    json_t *comment = json_object_get(r->json, "comment");
    json_t *override = json_object_get(r->json, "override");
    ks_error err;
    if (!id)
        return;
    if (!json_is_integer(question) || json_integer_value(question) < 1 ||
        json_integer_value(question) > 100000) {
        http_fail(r, 400, "invalid", "question: expected a question number from 1");
    } else if (!json_is_number(fraction) || json_number_value(fraction) < 0 ||
               json_number_value(fraction) > 1) {
        http_fail(r, 400, "invalid", "fraction: expected a number from 0 to 1");
    } else if (comment && !json_is_string(comment)) {
        http_fail(r, 400, "invalid", "comment: expected text");
    } else if (override && !json_is_boolean(override)) {
        http_fail(r, 400, "invalid", "override: expected true or false");
    } else {
        int slot = (int)json_integer_value(question) - 1;
        double f = json_number_value(fraction);
        const char *grader = r->session.subject, *text = json_string_value(comment);
        reply_result(r, id,
                     json_is_true(override)
                         ? ks_exam_override(&r->ctx->exam, id, slot, f, grader, text, &err)
                         : ks_exam_mark(&r->ctx->exam, id, slot, f, grader, text, &err),
                     &err);
    }
}

void http_mark_clear(http_req *r)
{
    int64_t id = http_param_id(r, 0), question = id ? http_param_id(r, 1) : 0;
    json_t *comment = json_object_get(r->json, "comment");
    ks_error err;
    if (!question)
        return;
    if (question > 100000)
        http_fail(r, 404, "not_found", "没有这道题");
    else if (comment && !json_is_string(comment))
        http_fail(r, 400, "invalid", "comment: expected text");
    else
        reply_result(r, id,
                     ks_exam_mark_clear(&r->ctx->exam, id, (int)question - 1,
                                        r->session.subject, json_string_value(comment), &err),
                     &err);
}
