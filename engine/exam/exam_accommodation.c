/* Accommodations: extra time granted to a candidate at enrolment, as people
 * write it ("30m", "x1.25", "125%", "x1.25+10m"), what it adds to an
 * attempt (which keeps it), and changing it after enrolment (audited). See
 * include/kaoshi/exam.h. */
#include "kaoshi/exam.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "exam/exam_impl.h"

#define MAX_FACTOR_PCT 400
#define MAX_EXTRA_MS (24LL * 3600 * 1000)

const ks_accommodation exam_no_accommodation = {0, 100};

ks_status exam_accommodation_check(const ks_accommodation *t, const char *written,
                                   ks_error *err)
{
    char text[KS_ACCOMMODATION_BUF];
    if (!written)
        written = ks_exam_accommodation_text(t, text);
    if (t->factor_pct < 100 || t->factor_pct > MAX_FACTOR_PCT)
        return ks_error_set(err, KS_EINPUT, "expected a factor from x1 to x4, found '%s'",
                            written);
    if (t->extra_ms < 0 || t->extra_ms > MAX_EXTRA_MS)
        return ks_error_set(err, KS_EINPUT, "expected at most 24h of extra time, found '%s'",
                            written);
    return KS_OK;
}

/* Reads a whole number of 1 to digits digits at *p, advancing it; -1 when
 * there is none or it is longer. */
static int read_digits(const char **p, int digits)
{
    size_t n = strspn(*p, "0123456789");
    if (n == 0 || n > (size_t)digits)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (*p)[i] - '0';
    *p += n;
    return v;
}

/* Reads a factor at *p, advancing it: "x1.25", "X1.25", "×1.25" (at most two
 * decimals) or "125%". Returns 0, or -1 when *p holds none. */
static int read_factor(const char **p, int *pct)
{
    const char *q = *p;
    int value;
    if (*q == 'x' || *q == 'X' || strncmp(q, "\xc3\x97", 2) == 0) {
        q += *q == 'x' || *q == 'X' ? 1 : 2;
        if ((value = read_digits(&q, 3)) < 0)
            return -1;
        value *= 100;
        if (*q == '.') {
            const char *decimals = ++q;
            int hundredths = read_digits(&q, 2);
            if (hundredths < 0)
                return -1;
            value += q - decimals == 1 ? hundredths * 10 : hundredths;
        }
    } else if ((value = read_digits(&q, 4)) < 0 || *q++ != '%') {
        return -1;
    }
    *pct = value;
    *p = q;
    return 0;
}

/* A duration with its unit ("30m", "1h30m"): a bare number says neither
 * minutes nor seconds. Returns 0, or -1 when text is none. */
static int read_duration(const char *text, int64_t *ms)
{
    size_t len = strlen(text);
    return len > 0 && isalpha((unsigned char)text[len - 1]) ? ks_duration_parse(text, ms)
                                                             : -1;
}

ks_status ks_exam_accommodation_parse(const char *text, ks_accommodation *out, ks_error *err)
{
    *out = exam_no_accommodation;
    if (!*text || strcmp(text, "none") == 0)
        return KS_OK;
    const char *p = text;
    int ok;
    if (read_factor(&p, &out->factor_pct) == 0)
        ok = !*p || (*p == '+' && read_duration(p + 1, &out->extra_ms) == 0);
    else
        ok = read_duration(*p == '+' ? p + 1 : p, &out->extra_ms) == 0;
    if (!ok)
        return ks_error_set(err, KS_EINPUT, "expected extra time like 30m or 1h30m, a "
                            "factor like x1.25 or 125%%, or both like x1.25+10m, found '%s'",
                            text);
    return exam_accommodation_check(out, text, err);
}

const char *ks_exam_accommodation_text(const ks_accommodation *t,
                                       char buf[KS_ACCOMMODATION_BUF])
{
    char factor[16] = "", extra[32] = "";
    int pct = t->factor_pct;
    if (pct % 100 == 0 && pct != 100)
        snprintf(factor, sizeof factor, "x%d", pct / 100);
    else if (pct % 10 == 0 && pct != 100)
        snprintf(factor, sizeof factor, "x%d.%d", pct / 100, pct % 100 / 10);
    else if (pct != 100)
        snprintf(factor, sizeof factor, "x%d.%02d", pct / 100, pct % 100);
    long long secs = t->extra_ms / 1000;
    int used = 0;
    if (secs >= 3600)
        used += snprintf(extra + used, sizeof extra - (size_t)used, "%lldh", secs / 3600);
    if (secs % 3600 >= 60)
        used += snprintf(extra + used, sizeof extra - (size_t)used, "%lldm", secs % 3600 / 60);
    if (secs % 60 > 0)
        snprintf(extra + used, sizeof extra - (size_t)used, "%llds", secs % 60);
    snprintf(buf, KS_ACCOMMODATION_BUF, "%s%s%s", factor, *factor && *extra ? "+" : "", extra);
    return *buf ? buf : strcpy(buf, "none");
}

int64_t ks_exam_accommodation_ms(const ks_accommodation *t, int64_t duration_ms)
{
    return duration_ms * (t->factor_pct - 100) / 100 + t->extra_ms;
}

ks_accommodation ks_exam_attempt_accommodation(const ks_enrollment *e, const ks_attempt *a,
                                               int64_t duration_ms)
{
    if (!a || ks_exam_accommodation_ms(&e->time, duration_ms) == a->accommodation_ms)
        return e->time;
    return (ks_accommodation){a->accommodation_ms, 100};
}

ks_status ks_exam_accommodate(ks_exam *x, const char *sitting, const char *number,
                              const ks_accommodation *time, ks_accommodation *before,
                              ks_error *err)
{
    ks_status rc = exam_accommodation_check(time, NULL, err);
    if (rc)
        return rc;
    ks_sitting s;
    if ((rc = ks_store_sitting_get(x->store, sitting, &s, err)))
        return rc;
    ks_enrollment e = {0};
    if (s.state == KS_SITTING_CLOSED) {
        rc = ks_error_set(err, KS_ESTATE, "sitting '%s' is closed", sitting);
    } else if (!(rc = ks_store_begin(x->store, err))) {
        /* read inside the transaction: the accommodation replaced is the latest */
        if (!(rc = ks_store_enrollment_get(x->store, s.id, number, &e, err)) &&
            !(rc = ks_store_accommodation_set(x->store, s.id, e.candidate_id, time, err)))
            rc = exam_audit(x, "enroll.accommodate", s.id, 0,
                            json_pack("{ss sI si s{sI si}}", "candidate", number, "extra_ms",
                                      (json_int_t)time->extra_ms, "factor_pct",
                                      time->factor_pct, "before", "extra_ms",
                                      (json_int_t)e.time.extra_ms, "factor_pct",
                                      e.time.factor_pct),
                            err);
        rc = exam_finish_tx(x, rc, err);
    }
    if (!rc && before)
        *before = e.time;
    ks_enrollment_free(&e);
    ks_sitting_free(&s);
    return rc;
}
