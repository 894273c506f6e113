/* What grading an attempt again changes beyond its result: the change a new
 * version of the sitting's sources made (before -> after), and the flag on
 * its certificate when the result no longer passes, naming the cause (a
 * new version, or a person's mark), cleared when it passes again (a flag
 * never revokes). Runs inside the grading's transaction. See
 * exam/exam_impl.h. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "exam/exam_impl.h"
#include "kaoshi/store_certs.h"

static int differs(const ks_result *a, const ks_result *b)
{
    return fabs(a->score - b->score) > 1e-9 || fabs(a->max_score - b->max_score) > 1e-9 ||
           a->passed != b->passed;
}

/* Why the certificate is flagged, in Chinese: "第 2 版（REASON）重新评分后为
 * 68.0%，不再通过" ("第 1 版..." when the version gives no reason), or
 * "人工评分调整后为 68.0%，不再通过". */
static ks_status flag_reason(ks_exam *x, const ks_sitting *s, const ks_result *after,
                             exam_cause cause, char *buf, size_t cap, ks_error *err)
{
    double percent = after->max_score > 0 ? 100 * after->score / after->max_score : 0;
    if (cause == EXAM_BY_MARK) {
        snprintf(buf, cap, "人工评分调整后为 %.1f%%，不再通过", percent);
        return KS_OK;
    }
    ks_sitting_version *list = NULL;
    size_t n = 0;
    ks_status rc = ks_store_versions(x->store, s->id, &list, &n, err);
    const char *reason = "";
    for (size_t i = 0; !rc && i < n; i++)
        if (list[i].version == s->version)
            reason = list[i].reason;
    snprintf(buf, cap, "第 %d 版%s%s%s重新评分后为 %.1f%%，不再通过", s->version,
             *reason ? "（" : "", reason, *reason ? "）" : "", percent);
    ks_sitting_version_list_free(list, n);
    return rc;
}

/* Flags the certificate (at > 0) or clears its flag (at 0), audited. */
static ks_status set_flag(ks_exam *x, const ks_certificate *c, int64_t at, const char *reason,
                          ks_error *err)
{
    ks_status rc = ks_store_certificate_flag(x->store, c->number, at, reason, err);
    if (!rc)
        rc = exam_audit_packed(x, at ? "certificate.flag" : "certificate.unflag",
                               c->sitting_id, c->attempt_id,
                               json_pack("{ss ss}", "number", c->number, "reason",
                                         at ? reason : c->flag_reason),
                               err);
    return rc;
}

/* Flags or clears the certificate of the attempt after its new result. */
static ks_status review_certificate(ks_exam *x, const ks_sitting *s, const ks_result *after,
                                    exam_cause cause, ks_exam_grading *tally, ks_error *err)
{
    ks_certificate c = {0};
    ks_status rc = ks_store_certificate_of_attempt(x->store, after->attempt_id, &c, err);
    if (rc)
        return rc == KS_ENOTFOUND ? KS_OK : rc;
    if (!c.revoked_at && after->passed == 0 && !c.flagged_at) {
        char reason[KS_EXAM_MAX_NOTE + 128];
        if (!(rc = flag_reason(x, s, after, cause, reason, sizeof reason, err)) &&
            !(rc = set_flag(x, &c, ks_clock_now(x->clock), reason, err)) && tally)
            tally->flagged++;
    } else if (!c.revoked_at && after->passed == 1 && c.flagged_at) {
        if (!(rc = set_flag(x, &c, 0, "", err)) && tally)
            tally->cleared++;
    }
    ks_certificate_free(&c);
    return rc;
}

ks_status exam_regraded(ks_exam *x, const ks_sitting *s, const ks_attempt *a,
                        const ks_result *before, const ks_result *after, exam_cause cause,
                        ks_exam_grading *tally, ks_error *err)
{
    ks_status rc = KS_OK;
    if (before && before->version < after->version && differs(before, after)) {
        ks_result_change c = {.attempt_id = a->id, .version = after->version,
                              .at = after->graded_at, .score_before = before->score,
                              .max_before = before->max_score,
                              .passed_before = before->passed, .score_after = after->score,
                              .max_after = after->max_score, .passed_after = after->passed};
        if (!(rc = ks_store_result_change_put(x->store, &c, err)) && tally)
            tally->changed++;
    }
    return rc ? rc : review_certificate(x, s, after, cause, tally, err);
}
