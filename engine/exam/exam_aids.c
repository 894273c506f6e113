/* Permitted aids: the audit entry that records a candidate's use of an aid
 * the certification permits (the exam page's on-screen calculator), once
 * per attempt and aid. See include/kaoshi/exam.h. */
#include <string.h>

#include "exam/exam_impl.h"

/* KS_OK when aid is one Kaoshi knows and cert permits; KS_EINPUT otherwise. */
static ks_status check_permitted(ks_cert *cert, const char *aid, ks_error *err)
{
    if (strcmp(aid, "calculator") != 0)
        return ks_error_set(err, KS_EINPUT, "unknown aid '%s'; expected calculator", aid);
    ks_cert_aids aids;
    ks_status rc = ks_cert_aids_get(cert, &aids, err);
    if (!rc && !aids.calculator)
        rc = ks_error_set(err, KS_EINPUT, "certification %s permits no calculator",
                          ks_cert_info_of(cert)->code);
    ks_cert_aids_free(&aids);
    return rc;
}

/* *yes: whether attempt a's use of aid is in the audit log already. Its
 * entries are few (start, pauses, extensions, finish), read a page at a time. */
static ks_status recorded(ks_exam *x, const ks_attempt *a, const char *aid, int *yes,
                          ks_error *err)
{
    enum { PAGE = 100 };
    int64_t after = 0;
    *yes = 0;
    for (;;) {
        ks_audit_entry *rows;
        size_t n;
        ks_status rc = ks_store_audit_after(x->store, a->sitting_id, a->id, after, PAGE, &rows,
                                            &n, err);
        if (rc)
            return rc;
        for (size_t i = 0; i < n && !*yes; i++) {
            json_t *detail = strcmp(rows[i].action, "attempt.aid") == 0
                                 ? json_loads(rows[i].detail, 0, NULL) : NULL;
            const char *used = json_string_value(json_object_get(detail, "aid"));
            *yes = used && strcmp(used, aid) == 0;
            json_decref(detail);
        }
        after = n ? rows[n - 1].id : after;
        ks_audit_entry_list_free(rows, n);
        if (*yes || n < PAGE)
            return KS_OK;
    }
}

ks_status ks_exam_aid_used(ks_exam *x, ks_cert *cert, int64_t attempt_id, const char *aid,
                           ks_error *err)
{
    ks_status rc = check_permitted(cert, aid, err);
    if (rc)
        return rc;
    ks_attempt a;
    ks_sitting s;
    if ((rc = exam_load_attempt(x, attempt_id, &a, &s, err)))
        return rc;
    if (a.state != KS_ATTEMPT_ACTIVE)
        rc = ks_error_set(err, KS_ESTATE, "attempt %lld has ended", (long long)a.id);
    else if (a.paused_at)
        rc = ks_error_set(err, KS_ESTATE, "attempt %lld is paused by a proctor", (long long)a.id);
    else {
        int already;
        if (!(rc = recorded(x, &a, aid, &already, err)) && !already)
            rc = exam_audit_packed(x, "attempt.aid", a.sitting_id, a.id,
                                   json_pack("{ss}", "aid", aid), err);
    }
    ks_attempt_free(&a);
    ks_sitting_free(&s);
    return rc;
}
