/* The proctor's side of the lifecycle: proctor accounts with argon2id
 * passwords, and the actions on one running attempt (extend, pause, resume,
 * incident notes). Each change is one write transaction that reads the
 * attempt again after BEGIN, so concurrent actions cannot interleave, and
 * writes its audit entry naming x->actor. See include/kaoshi/exam.h. */
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "exam/exam_impl.h"

/* The interactive argon2id cost: a person logs in rarely, a guesser often. */
#define PASSWORD_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PASSWORD_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

/* Verified against when the name is unknown, so that a wrong name costs the
 * same time as a wrong password. */
static const char unknown_name_hash[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=65536,t=2,p=1$ip6ejYFene6dOxAiRBm+mA$"
    "Bk1EhjPaDoHE1gqNgI5THYV+qxpppQMMaRhvaQuq+Ys";

#define MAX_EXTENSION_MS (24LL * 3600 * 1000)

static int valid_name(const char *name)
{
    size_t n = strlen(name);
    return n >= 1 && n <= 64 &&
           strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == n;
}

ks_status ks_exam_proctor_add(ks_exam *x, const char *name, const char *password,
                              ks_error *err)
{
    if (!valid_name(name))
        return ks_error_set(err, KS_EINPUT, "proctor name '%s': expected 1 to 64 letters, "
                            "digits, '-', '_' or '.'", name);
    size_t len = strlen(password);
    if (len < 8 || len > 1024)
        return ks_error_set(err, KS_EINPUT, "the password must be 8 to 1024 bytes long");
    char hash[crypto_pwhash_STRBYTES];
    if (sodium_init() < 0 ||
        crypto_pwhash_str(hash, password, len, PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT) != 0)
        return ks_error_set(err, KS_EINTERNAL, "out of memory hashing a password");
    ks_status rc = ks_store_begin(x->store, err);
    if (rc)
        return rc;
    rc = ks_store_proctor_add(x->store, name, hash, ks_clock_now(x->clock), err);
    if (!rc)
        rc = exam_audit(x, "proctor.add", 0, 0, json_pack("{ss}", "name", name), err);
    return exam_finish_tx(x, rc, err);
}

ks_status ks_exam_proctor_check(ks_exam *x, const char *name, const char *password,
                                ks_error *err)
{
    ks_proctor p = {0};
    ks_status rc = ks_store_proctor_get(x->store, name, &p, err);
    if (rc && rc != KS_ENOTFOUND)
        return rc;
    const char *hash = rc ? unknown_name_hash : p.password_hash;
    int ok = sodium_init() >= 0 &&
             crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 && !rc;
    ks_proctor_free(&p);
    return ok ? KS_OK : ks_error_set(err, KS_EINPUT, "wrong proctor name or password");
}

/* One change to a running attempt, inside the write transaction. */
typedef ks_status (*attempt_change)(ks_exam *x, const ks_attempt *a, const ks_sitting *s,
                                    int64_t now, void *ctx, ks_error *err);

/* Applies the deadline first (exam_load_attempt), then runs change on the
 * attempt as read inside one write transaction. With running_only, a
 * finished attempt is refused. */
static ks_status change_attempt(ks_exam *x, int64_t id, int running_only,
                                attempt_change change, void *ctx, ks_error *err)
{
    ks_attempt a;
    ks_sitting s;
    ks_status rc = exam_load_attempt(x, id, &a, &s, err);
    if (rc)
        return rc;
    ks_attempt_free(&a);
    if (!(rc = ks_store_begin(x->store, err))) {
        if (!(rc = ks_store_attempt_get(x->store, id, &a, err))) {
            if (running_only && a.state != KS_ATTEMPT_ACTIVE) {
                char when[KS_TIME_BUF];
                ks_time_format(a.finished_at, s.tz_offset_min, when);
                rc = ks_error_set(err, KS_ESTATE, "attempt %lld already ended at %s (%s)",
                                  (long long)a.id, when, a.finish_reason);
            } else {
                rc = change(x, &a, &s, ks_clock_now(x->clock), ctx, err);
            }
            ks_attempt_free(&a);
        }
        rc = exam_finish_tx(x, rc, err);
    }
    ks_sitting_free(&s);
    return rc;
}

/* Sets the attempt's extra time, moving the deadline (into *deadline) by as
 * much as the extra time changes: the time it was started with (the
 * candidate's accommodation included) stays. */
static ks_status set_extra(ks_exam *x, const ks_attempt *a, int64_t extra_ms,
                           int64_t *deadline, ks_error *err)
{
    *deadline = a->deadline_at + (extra_ms - a->extra_ms);
    return ks_store_attempt_extend(x->store, a->id, extra_ms, *deadline, err);
}

typedef struct extension {
    int64_t delta_ms, deadline;
} extension;

static ks_status extend_in_tx(ks_exam *x, const ks_attempt *a, const ks_sitting *s,
                              int64_t now, void *ctx, ks_error *err)
{
    (void)s;
    (void)now;
    extension *e = ctx;
    ks_status rc = set_extra(x, a, a->extra_ms + e->delta_ms, &e->deadline, err);
    if (!rc)
        rc = exam_audit(x, "attempt.extend", a->sitting_id, a->id,
                        json_pack("{sI sI}", "extra_ms", (json_int_t)e->delta_ms, "deadline",
                                  (json_int_t)e->deadline),
                        err);
    return rc;
}

ks_status ks_exam_extend(ks_exam *x, int64_t attempt_id, int64_t delta_ms, int64_t *deadline,
                         ks_error *err)
{
    if (delta_ms < 1000 || delta_ms > MAX_EXTENSION_MS)
        return ks_error_set(err, KS_EINPUT, "an extension must be from 1 second to 24 hours");
    extension e = {delta_ms, 0};
    ks_status rc = change_attempt(x, attempt_id, 1, extend_in_tx, &e, err);
    if (!rc && deadline)
        *deadline = e.deadline;
    return rc;
}

static ks_status pause_in_tx(ks_exam *x, const ks_attempt *a, const ks_sitting *s, int64_t now,
                             void *ctx, ks_error *err)
{
    (void)s;
    (void)ctx;
    ks_status rc = ks_store_pause_begin(x->store, a->id, now, err);
    if (!rc)
        rc = exam_audit(x, "attempt.pause", a->sitting_id, a->id,
                        json_pack("{sI}", "left_ms", (json_int_t)ks_exam_time_left(a, now)),
                        err);
    return rc;
}

ks_status ks_exam_pause(ks_exam *x, int64_t attempt_id, ks_error *err)
{
    return change_attempt(x, attempt_id, 1, pause_in_tx, NULL, err);
}

static ks_status resume_in_tx(ks_exam *x, const ks_attempt *a, const ks_sitting *s,
                              int64_t now, void *ctx, ks_error *err)
{
    (void)s;
    int64_t *deadline = ctx;
    ks_status rc = ks_store_pause_end(x->store, a->id, now, err);
    int64_t paused = now - a->paused_at;
    if (!rc)
        rc = set_extra(x, a, a->extra_ms + paused, deadline, err);
    if (!rc)
        rc = exam_audit(x, "attempt.resume", a->sitting_id, a->id,
                        json_pack("{sI sI}", "paused_ms", (json_int_t)paused, "deadline",
                                  (json_int_t)*deadline),
                        err);
    return rc;
}

ks_status ks_exam_resume(ks_exam *x, int64_t attempt_id, int64_t *deadline, ks_error *err)
{
    int64_t d = 0;
    ks_status rc = change_attempt(x, attempt_id, 1, resume_in_tx, &d, err);
    if (!rc && deadline)
        *deadline = d;
    return rc;
}

static ks_status note_in_tx(ks_exam *x, const ks_attempt *a, const ks_sitting *s, int64_t now,
                            void *ctx, ks_error *err)
{
    (void)s;
    const char *text = ctx;
    ks_status rc = ks_store_note_add(x->store, a->sitting_id, a->id, now, x->actor, text, err);
    if (!rc)
        rc = exam_audit(x, "attempt.note", a->sitting_id, a->id,
                        json_pack("{ss}", "text", text), err);
    return rc;
}

ks_status ks_exam_note(ks_exam *x, int64_t attempt_id, const char *text, ks_error *err)
{
    ks_status rc = exam_text_check("a note", text, 1, err);
    return rc ? rc : change_attempt(x, attempt_id, 0, note_in_tx, (void *)text, err);
}
