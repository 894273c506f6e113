/* A sitting's results as data, for kaoshi results and the proctor console:
 * every attempt with its outcome, score, the reason its grading gives and
 * its certificate's state; and the sitting's amendments with the results
 * each changed and the certificates flagged since. See
 * include/kaoshi/exam.h. */
#include "kaoshi/exam.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "exam/exam_impl.h"
#include "kaoshi/store_certs.h"

/* A sitting's attempts (by id) and the people who made them. */
typedef struct roster {
    ks_sitting s;
    ks_attempt *attempts;
    ks_enrollment *people;
    size_t na, np;
} roster;

static int by_candidate(const void *a, const void *b)
{
    int64_t x = ((const ks_enrollment *)a)->candidate_id;
    int64_t y = ((const ks_enrollment *)b)->candidate_id;
    return (x > y) - (x < y);
}

static ks_status roster_load(ks_exam *x, const char *sitting, roster *r, ks_error *err)
{
    memset(r, 0, sizeof *r);
    ks_status rc = ks_store_sitting_get(x->store, sitting, &r->s, err);
    if (rc)
        return rc;
    if (!(rc = ks_exam_finalize_overdue(x, r->s.id, NULL, err)) &&
        !(rc = ks_store_attempts_in(x->store, r->s.id, &r->attempts, &r->na, err)) &&
        !(rc = ks_store_enrollments(x->store, r->s.id, &r->people, &r->np, err)))
        qsort(r->people, r->np, sizeof *r->people, by_candidate);
    return rc;
}

static void roster_free(roster *r)
{
    ks_enrollment_list_free(r->people, r->np);
    ks_attempt_list_free(r->attempts, r->na);
    ks_sitting_free(&r->s);
}

/* For a value json_pack could not make of what the sitting stores. */
static ks_status unpacked(ks_error *err)
{
    return ks_error_set(err, KS_EINTERNAL, "a text stored with this sitting (a candidate's name, "
                        "a reason) is not UTF-8, or memory ran out");
}

/* {candidate, name, attempt (the candidate's number of it), id} of a, or
 * NULL (unpacked). */
static json_t *who_json(const roster *r, const ks_attempt *a)
{
    ks_enrollment key = {.candidate_id = a->candidate_id};
    const ks_enrollment *e = bsearch(&key, r->people, r->np, sizeof *r->people, by_candidate);
    return json_pack("{ss ss si sI}", "candidate", e ? e->number : "?", "name",
                     e ? e->name : "?", "attempt", a->number, "id", (json_int_t)a->id);
}

static int by_attempt_id(const void *key, const void *entry)
{
    int64_t x = *(const int64_t *)key, y = ((const ks_attempt *)entry)->id;
    return (x > y) - (x < y);
}

static const char *outcome(int passed)
{
    return passed < 0 ? "pending" : passed ? "pass" : "fail";
}

static double percent(double score, double max_score)
{
    return max_score > 0 ? 100 * score / max_score : 0;
}

/* {number, state, reason} of the attempt's certificate into *out, or NULL
 * when it has none. */
static ks_status certificate_json(ks_exam *x, int64_t attempt_id, json_t **out, ks_error *err)
{
    ks_certificate c;
    *out = NULL;
    ks_status rc = ks_store_certificate_of_attempt(x->store, attempt_id, &c, err);
    if (rc)
        return rc == KS_ENOTFOUND ? KS_OK : rc;
    const char *state = c.revoked_at ? "revoked" : c.flagged_at ? "flagged" : "valid";
    *out = json_pack("{ss ss ss}", "number", c.number, "state", state, "reason",
                     c.revoked_at ? c.revoke_reason : c.flag_reason);
    ks_certificate_free(&c);
    return *out ? KS_OK : unpacked(err);
}

/* One row of the results: the attempt, its outcome and, once graded, its
 * result. */
static ks_status result_row(ks_exam *x, const roster *r, const ks_attempt *a, int details,
                            json_t *rows, ks_error *err)
{
    ks_result res;
    ks_status got = ks_store_result_get(x->store, a->id, &res, err);
    if (got && got != KS_ENOTFOUND)
        return got;
    int running = a->state == KS_ATTEMPT_ACTIVE;
    json_t *row = who_json(r, a);
    if (!row) {
        if (!got)
            ks_result_free(&res);
        return unpacked(err);
    }
    json_object_set_new(row, "state", json_string(running ? "running" : "finished"));
    if (!running) /* what the candidate's receipt says, for a dispute */
        json_object_set_new(row, "receipt", json_string(a->receipt ? a->receipt : ""));
    json_object_set_new(row, "outcome", json_string(running ? "running"
                                                    : got    ? "ungraded"
                                                             : outcome(res.passed)));
    if (!got) {
        json_t *detail = json_loads(res.detail, 0, NULL);
        json_object_set_new(row, "score", json_real(res.score));
        json_object_set_new(row, "max_score", json_real(res.max_score));
        json_object_set_new(row, "percent", json_real(percent(res.score, res.max_score)));
        json_object_set_new(row, "version", json_integer(res.version));
        if (json_is_string(json_object_get(detail, "reason")))
            json_object_set(row, "reason", json_object_get(detail, "reason"));
        if (details)
            json_object_set(row, "detail", detail);
        json_decref(detail);
        ks_result_free(&res);
    }
    json_t *cert;
    ks_status rc = certificate_json(x, a->id, &cert, err);
    if (cert)
        json_object_set_new(row, "certificate", cert);
    json_array_append_new(rows, row);
    return rc;
}

/* Sets *json_out to v's text (malloc'd) and frees v. */
static ks_status dump(json_t *v, ks_status rc, char **json_out, ks_error *err)
{
    if (!rc && !v)
        rc = unpacked(err);
    if (!rc && !(*json_out = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS)))
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    json_decref(v);
    return rc;
}

ks_status ks_exam_results(ks_exam *x, const char *sitting, int details, char **json_out,
                          ks_error *err)
{
    roster r;
    *json_out = NULL;
    json_t *rows = json_array();
    ks_status rc = roster_load(x, sitting, &r, err);
    for (size_t i = 0; !rc && i < r.na; i++)
        rc = result_row(x, &r, &r.attempts[i], details, rows, err);
    roster_free(&r);
    return dump(rows, rc, json_out, err);
}

static json_t *side_json(double score, double max_score, int passed)
{
    return json_pack("{sf sf sf ss}", "score", score, "max_score", max_score, "percent",
                     percent(score, max_score), "outcome", outcome(passed));
}

/* The results the amendments changed, each with its attempt's certificate. */
static ks_status changes_json(ks_exam *x, const roster *r, json_t *list, ks_error *err)
{
    ks_result_change *changes = NULL;
    size_t n = 0;
    ks_status rc = ks_store_result_changes(x->store, r->s.id, &changes, &n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        const ks_result_change *c = &changes[i];
        const ks_attempt *a =
            bsearch(&c->attempt_id, r->attempts, r->na, sizeof *r->attempts, by_attempt_id);
        if (!a)
            continue;
        json_t *row = who_json(r, a), *cert;
        if (!row) {
            rc = unpacked(err);
            break;
        }
        json_object_update_new(
            row, json_pack("{si sI so so}", "version", c->version, "at", (json_int_t)c->at,
                           "before", side_json(c->score_before, c->max_before, c->passed_before),
                           "after", side_json(c->score_after, c->max_after, c->passed_after)));
        rc = certificate_json(x, a->id, &cert, err);
        json_object_set_new(row, "certificate", cert ? cert : json_null());
        json_array_append_new(list, row);
    }
    free(changes);
    return rc;
}

/* The sitting's certificates flagged now. */
static ks_status flagged_json(ks_exam *x, const roster *r, json_t *list, ks_error *err)
{
    ks_status rc = KS_OK;
    for (size_t i = 0; !rc && i < r->na; i++) {
        ks_certificate c;
        ks_status got = ks_store_certificate_of_attempt(x->store, r->attempts[i].id, &c, err);
        if (got) {
            rc = got == KS_ENOTFOUND ? KS_OK : got;
            continue;
        }
        if (c.flagged_at && !c.revoked_at) {
            json_t *row = who_json(r, &r->attempts[i]);
            json_t *flag = json_pack("{ss sI ss}", "number", c.number, "flagged_at",
                                     (json_int_t)c.flagged_at, "reason", c.flag_reason);
            if (!row || !flag)
                rc = unpacked(err);
            json_object_update_new(row, flag);
            json_array_append_new(list, row);
        }
        ks_certificate_free(&c);
    }
    return rc;
}

ks_status ks_exam_amendments(ks_exam *x, const char *sitting, char **json_out, ks_error *err)
{
    roster r;
    *json_out = NULL;
    ks_sitting_version *versions = NULL;
    size_t nv = 0;
    json_t *vlist = json_array(), *changes = json_array(), *flagged = json_array();
    ks_status rc = roster_load(x, sitting, &r, err);
    if (!rc)
        rc = ks_store_versions(x->store, r.s.id, &versions, &nv, err);
    for (size_t i = 0; !rc && i < nv; i++)
        if (json_array_append_new(vlist, json_pack("{si sI ss ss ss}", "version",
                                                   versions[i].version, "at",
                                                   (json_int_t)versions[i].at, "actor",
                                                   versions[i].actor, "reason",
                                                   versions[i].reason, "sources_hash",
                                                   versions[i].sources_hash)))
            rc = unpacked(err);
    if (!rc)
        rc = changes_json(x, &r, changes, err);
    if (!rc)
        rc = flagged_json(x, &r, flagged, err);
    json_t *all = json_pack("{si so so so}", "version", r.s.version, "versions", vlist,
                            "changes", changes, "flagged", flagged);
    ks_sitting_version_list_free(versions, nv);
    roster_free(&r);
    return dump(all, rc, json_out, err);
}
