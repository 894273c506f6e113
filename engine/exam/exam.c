/* The exam lifecycle: sittings, enrollment, attempts, answers, grading.
 * See include/kaoshi/exam.h. */
#include "kaoshi/exam.h"

#include <dirent.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exam/exam_impl.h"

/* ---- certifications on disk --------------------------------------------- */

static int is_lua(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".lua") == 0 && name[0] != '.';
}

typedef struct path_list {
    char **paths;
    size_t n, cap;
} path_list;

static int add_path(path_list *l, char *p)
{
    if (!p)
        return -1;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        char **grown = realloc(l->paths, l->cap * sizeof *grown);
        if (!grown) {
            free(p);
            return -1;
        }
        l->paths = grown;
    }
    l->paths[l->n++] = p;
    return 0;
}

/* Adds the .lua files below root/rel (recursively), skipping scripts/lib. */
static int scan(const char *root, const char *rel, path_list *l)
{
    char *dir = NULL;
    if (asprintf(&dir, "%s/%s", root, rel) < 0)
        return -1;
    DIR *d = opendir(dir);
    free(dir);
    if (!d)
        return 0;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *child = NULL;
        if (asprintf(&child, "%s/%s", rel, e->d_name) < 0) {
            rc = -1;
            break;
        }
        char *full = NULL;
        struct stat sb;
        if (asprintf(&full, "%s/%s", root, child) >= 0 && stat(full, &sb) == 0 &&
            S_ISDIR(sb.st_mode)) {
            if (strcmp(child, "scripts/lib") != 0)
                rc = scan(root, child, l);
            free(child);
        } else if (is_lua(e->d_name)) {
            rc = add_path(l, child);
        } else {
            free(child);
        }
        free(full);
    }
    closedir(d);
    return rc;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

ks_status ks_exam_script_paths(const char *root, char ***paths, size_t *n, ks_error *err)
{
    path_list l = {0};
    if (scan(root, "scripts", &l) != 0) {
        ks_cert_free_ids(l.paths, l.n);
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    qsort(l.paths, l.n, sizeof *l.paths, by_string);
    *paths = l.paths;
    *n = l.n;
    return KS_OK;
}

ks_status ks_exam_find_cert(const char *root, const char *ref, ks_fileset **fs,
                            ks_cert **cert, ks_diags *diags, ks_diags *warnings)
{
    *fs = NULL;
    *cert = NULL;
    if (is_lua(ref)) {
        *fs = ks_fileset_disk(root);
        ks_status rc = ks_cert_load(*fs, ref, cert, diags, warnings);
        if (rc) {
            ks_fileset_free(*fs);
            *fs = NULL;
        }
        return rc;
    }
    char **paths;
    size_t n;
    ks_error err;
    if (ks_exam_script_paths(root, &paths, &n, &err)) {
        ks_diags_add(diags, "%s", err.message);
        return err.code;
    }
    ks_status rc = KS_ENOTFOUND;
    for (size_t i = 0; i < n && rc == KS_ENOTFOUND; i++) {
        ks_fileset *f = ks_fileset_disk(root);
        ks_cert *c = NULL;
        ks_diags quiet = {0}, quiet_warn = {0};
        if (ks_cert_load(f, paths[i], &c, &quiet, &quiet_warn) == KS_OK &&
            strcmp(ks_cert_info_of(c)->code, ref) == 0) {
            *fs = f;
            *cert = c;
            for (size_t w = 0; w < quiet_warn.count; w++)
                ks_diags_add(warnings, "%s", quiet_warn.lines[w]);
            rc = KS_OK;
        } else {
            ks_cert_free(c);
            ks_fileset_free(f);
        }
        ks_diags_free(&quiet);
        ks_diags_free(&quiet_warn);
    }
    ks_cert_free_ids(paths, n);
    if (rc == KS_ENOTFOUND)
        ks_diags_add(diags, "no certification with code '%s' under %s/scripts (or it fails "
                     "'kaoshi check')", ref, root);
    return rc;
}

ks_status ks_exam_frozen_cert(ks_exam *x, const ks_sitting *s, ks_fileset **fs,
                              ks_cert **cert, ks_error *err)
{
    ks_source *sources;
    size_t n;
    ks_status rc = ks_store_sources(x->store, s->id, &sources, &n, err);
    if (rc)
        return rc;
    *fs = ks_fileset_frozen(sources, n);
    if (!*fs)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    ks_diags diags = {0}, warnings = {0};
    rc = ks_cert_load(*fs, s->script, cert, &diags, &warnings);
    if (rc) {
        ks_error_set(err, KS_EINTERNAL, "the frozen certification of sitting '%s' no longer "
                     "loads: %s", s->name, diags.count ? diags.lines[0] : "unknown error");
        ks_fileset_free(*fs);
        *fs = NULL;
    }
    ks_diags_free(&diags);
    ks_diags_free(&warnings);
    return rc;
}

/* ---- helpers ------------------------------------------------------------ */

static ks_status first_diag(ks_diags *diags, ks_status rc, ks_error *err)
{
    ks_error_set(err, rc, "%s%s", diags->count ? diags->lines[0] : "the certification fails",
                 diags->count > 1 ? " (and more: run 'kaoshi check')" : "");
    ks_diags_free(diags);
    return rc;
}

ks_status exam_audit(ks_exam *x, const char *action, int64_t sitting, int64_t attempt,
                     json_t *detail, ks_error *err)
{
    char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(detail);
    ks_status rc = ks_store_audit(x->store, ks_clock_now(x->clock), x->actor, action, sitting,
                                  attempt, text, err);
    free(text);
    return rc;
}

ks_status exam_finish_tx(ks_exam *x, ks_status rc, ks_error *err)
{
    if (rc) {
        ks_store_rollback(x->store);
        return rc;
    }
    return ks_store_commit(x->store, err);
}

static void format_time(const ks_sitting *s, int64_t ms, char buf[KS_TIME_BUF])
{
    ks_time_format(ms, s->tz_offset_min, buf);
}

/* ---- sittings ----------------------------------------------------------- */

ks_status ks_exam_sitting_create(ks_exam *x, const char *name, const char *ref,
                                 const char *date, int64_t opens, int64_t closes,
                                 int tz_offset_min, ks_sitting *out, ks_error *err)
{
    ks_fileset *fs;
    ks_cert *cert;
    ks_diags diags = {0}, warnings = {0};
    ks_status rc = ks_exam_find_cert(x->root, ref, &fs, &cert, &diags, &warnings);
    ks_diags_free(&warnings);
    if (rc)
        return first_diag(&diags, rc == KS_ENOTFOUND ? KS_EINPUT : rc, err);
    const ks_cert_info *info = ks_cert_info_of(cert);
    if (date) {
        int64_t midnight;
        char text[40];
        snprintf(text, sizeof text, "%.10sT00:00%s", date, info->timezone);
        if (strlen(date) != 10 || ks_time_parse(text, &midnight, NULL) != 0) {
            rc = ks_error_set(err, KS_EINPUT, "--date: expected YYYY-MM-DD, found '%s'", date);
        } else if (!info->has_window) {
            rc = ks_error_set(err, KS_EINPUT, "--date: certification %s declares no daily "
                              "window; give --opens and --closes", info->code);
        } else {
            opens = midnight + (int64_t)info->window_opens_min * 60000;
            closes = midnight + (int64_t)info->window_closes_min * 60000;
            tz_offset_min = info->tz_offset_min;
        }
    } else if (closes <= opens) {
        rc = ks_error_set(err, KS_EINPUT, "the window must close after it opens");
    }
    char script[512];
    snprintf(script, sizeof script, "%s", ks_fileset_at(fs, 0)->path);
    char code[64];
    snprintf(code, sizeof code, "%s", info->code);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    if (rc)
        return rc;
    ks_sitting s = {.name = (char *)name, .code = code, .script = script, .opens_at = opens,
                    .closes_at = closes, .tz_offset_min = tz_offset_min,
                    .created_at = ks_clock_now(x->clock)};
    if ((rc = ks_store_begin(x->store, err)))
        return rc;
    rc = ks_store_sitting_create(x->store, &s, err);
    if (!rc)
        rc = exam_audit(x, "sitting.create", s.id, 0,
                        json_pack("{ss ss}", "code", code, "script", script), err);
    if ((rc = exam_finish_tx(x, rc, err)))
        return rc;
    return out ? ks_store_sitting_by_id(x->store, s.id, out, err) : KS_OK;
}

ks_status ks_exam_sitting_open(ks_exam *x, const char *name, ks_error *err)
{
    ks_sitting s;
    ks_status rc = ks_store_sitting_get(x->store, name, &s, err);
    if (rc)
        return rc;
    ks_fileset *fs = ks_fileset_disk(x->root);
    ks_cert *cert = NULL;
    ks_diags diags = {0}, warnings = {0};
    rc = ks_cert_load(fs, s.script, &cert, &diags, &warnings);
    ks_diags_free(&warnings);
    if (rc) {
        ks_fileset_free(fs);
        ks_sitting_free(&s);
        return first_diag(&diags, rc, err);
    }
    const ks_cert_info *info = ks_cert_info_of(cert);
    if (strcmp(info->code, s.code) != 0) {
        rc = ks_error_set(err, KS_EINPUT, "%s now declares code %s, but sitting '%s' is for %s",
                          s.script, info->code, name, s.code);
    } else if (s.state != KS_SITTING_DRAFT) {
        rc = ks_error_set(err, KS_ESTATE, "sitting '%s' is %s; only a draft can be opened",
                          name, ks_sitting_state_name(s.state));
    }
    if (!rc && !(rc = ks_store_begin(x->store, err))) {
        for (size_t i = 0; !rc && i < ks_fileset_count(fs); i++)
            rc = ks_store_source_put(x->store, s.id, ks_fileset_at(fs, i), err);
        char hash[65];
        ks_fileset_hash(fs, hash);
        if (!rc)
            rc = ks_store_sitting_open(x->store, s.id, ks_clock_now(x->clock), hash,
                                       info->duration_ms, info->grace_ms, err);
        if (!rc)
            rc = exam_audit(x, "sitting.open", s.id, 0,
                            json_pack("{ss si}", "sources_hash", hash, "files",
                                      (json_int_t)ks_fileset_count(fs)),
                            err);
        rc = exam_finish_tx(x, rc, err);
    }
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_sitting_free(&s);
    return rc;
}

ks_status exam_finish_attempt(ks_exam *x, const ks_attempt *a, int64_t at, const char *reason,
                              ks_error *err)
{
    ks_status rc = ks_store_attempt_finish(x->store, a->id, at, reason, err);
    if (!rc && a->paused_at)
        rc = ks_store_pause_end(x->store, a->id, at, err);
    if (!rc)
        rc = exam_audit(x, "attempt.finish", a->sitting_id, a->id,
                        json_pack("{ss}", "reason", reason), err);
    return rc;
}

ks_status ks_exam_sitting_close(ks_exam *x, const char *name, size_t *finished, ks_error *err)
{
    ks_sitting s;
    ks_status rc = ks_store_sitting_get(x->store, name, &s, err);
    if (rc)
        return rc;
    *finished = 0;
    if ((rc = ks_exam_finalize_overdue(x, s.id, NULL, err)) ||
        (rc = ks_store_begin(x->store, err))) {
        ks_sitting_free(&s);
        return rc;
    }
    ks_attempt *list = NULL;
    size_t n = 0;
    rc = ks_store_attempts_in(x->store, s.id, &list, &n, err);
    int64_t now = ks_clock_now(x->clock);
    for (size_t i = 0; !rc && i < n; i++) {
        if (list[i].state == KS_ATTEMPT_ACTIVE) {
            rc = exam_finish_attempt(x, &list[i], now, "closed", err);
            (*finished)++;
        }
    }
    if (!rc)
        rc = ks_store_sitting_close(x->store, s.id, now, err);
    if (!rc)
        rc = exam_audit(x, "sitting.close", s.id, 0, NULL, err);
    rc = exam_finish_tx(x, rc, err);
    ks_attempt_list_free(list, n);
    ks_sitting_free(&s);
    return rc;
}

/* ---- enrollment ----------------------------------------------------------- */

/* Unambiguous letters and digits: no 0/O, 1/I/L. */
static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/* Access codes are random (about 50 bits), so a moderate argon2id cost keeps
 * enrolling thousands quick while an offline guess stays expensive. */
#define ACCESS_OPSLIMIT 2
#define ACCESS_MEMLIMIT (4u << 20)

/* The hash of a candidate enrolled without an access code: not an argon2id
 * string, so no code ever matches it. */
#define NO_ACCESS_CODE "-"

static ks_status check_enrollee(const ks_enrollee *e, ks_error *err)
{
    if (!*e->number || strlen(e->number) > 64 || strpbrk(e->number, " \t\r\n,\"'"))
        return ks_error_set(err, KS_EINPUT, "candidate number '%s': expected 1 to 64 "
                            "characters without spaces, commas or quotes", e->number);
    if (!*e->name || strlen(e->name) > 200)
        return ks_error_set(err, KS_EINPUT, "candidate %s: the name must be 1 to 200 bytes",
                            e->number);
    return KS_OK;
}

ks_status ks_exam_enroll(ks_exam *x, const char *sitting, const ks_enrollee *list, size_t n,
                         char (*codes)[KS_ACCESS_CODE_LEN + 1], size_t *bad, ks_error *err)
{
    *bad = n;
    for (size_t i = 0; i < n; i++) {
        if (check_enrollee(&list[i], err)) {
            *bad = i;
            return KS_EINPUT;
        }
    }
    ks_sitting s;
    ks_status rc = ks_store_sitting_get(x->store, sitting, &s, err);
    if (rc)
        return rc;
    if (s.state == KS_SITTING_CLOSED) {
        ks_sitting_free(&s);
        return ks_error_set(err, KS_ESTATE, "sitting '%s' is closed", sitting);
    }
    if ((rc = ks_store_begin(x->store, err))) {
        ks_sitting_free(&s);
        return rc;
    }
    int64_t now = ks_clock_now(x->clock);
    for (size_t i = 0; !rc && i < n; i++) {
        char hash[crypto_pwhash_STRBYTES] = NO_ACCESS_CODE;
        if (codes) {
            char *code = codes[i];
            for (int k = 0; k < KS_ACCESS_CODE_LEN; k++)
                code[k] = code_alphabet[randombytes_uniform(sizeof code_alphabet - 1)];
            code[KS_ACCESS_CODE_LEN] = '\0';
            if (crypto_pwhash_str(hash, code, KS_ACCESS_CODE_LEN, ACCESS_OPSLIMIT,
                                  ACCESS_MEMLIMIT))
                rc = ks_error_set(err, KS_EINTERNAL, "out of memory hashing an access code");
        }
        if (!rc)
            rc = ks_store_enroll(x->store, s.id, list[i].number, list[i].name, hash, now, NULL,
                                 err);
        if (!rc)
            rc = exam_audit(x, "enroll", s.id, 0, json_pack("{ss}", "candidate", list[i].number),
                            err);
        if (rc)
            *bad = i;
    }
    rc = exam_finish_tx(x, rc, err);
    ks_sitting_free(&s);
    return rc;
}

/* ---- attempts ----------------------------------------------------------- */

/* History for the retake policy and the ids already seen, from the
 * candidate's earlier attempts at this code. */
static ks_status history_of(ks_exam *x, const ks_attempt *list, size_t n, char **history,
                            char ***seen, size_t *nseen, ks_error *err)
{
    json_t *h = json_array();
    path_list ids = {0};
    ks_status rc = KS_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *e = json_pack("{si sb sI}", "number", list[i].number, "finished",
                              list[i].state == KS_ATTEMPT_FINISHED, "finished_at",
                              (json_int_t)list[i].finished_at);
        ks_result r;
        ks_error ignore;
        if (ks_store_result_get(x->store, list[i].id, &r, &ignore) == KS_OK) {
            if (r.passed >= 0)
                json_object_set_new(e, "passed", json_boolean(r.passed));
            json_object_set_new(e, "percent",
                                json_real(r.max_score > 0 ? 100 * r.score / r.max_score : 0));
            ks_result_free(&r);
        }
        json_array_append_new(h, e);
        char **form_ids;
        size_t nform;
        if ((rc = ks_cert_form_ids(list[i].form, &form_ids, &nform, err)))
            break;
        for (size_t j = 0; !rc && j < nform; j++) {
            if (add_path(&ids, form_ids[j]) != 0)
                rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
            form_ids[j] = NULL; /* now owned by ids, or freed by add_path */
        }
        ks_cert_free_ids(form_ids, nform);
    }
    *history = json_dumps(h, JSON_COMPACT);
    json_decref(h);
    *seen = ids.paths;
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

/* A form drawn before a start's write transaction, with the candidate's
 * history it was drawn for: drawing is most of a start's work, and outside
 * the transaction simultaneous starts draw in parallel instead of one after
 * another. The transaction uses it only if that history is still the
 * candidate's (else it draws again). */
typedef struct start_draft {
    char *history, *form; /* form NULL: nothing drawn */
    uint64_t seed;
} start_draft;

/* Draws the form the start would store when the certification is loaded and
 * the candidate may start a new attempt; otherwise (resume, refusal, error)
 * leaves d->form NULL for the transaction to decide alone. */
static void draft_start(ks_exam *x, const ks_sitting *s, const ks_enrollment *e, ks_cert *cert,
                        const uint64_t *given_seed, start_draft *d)
{
    ks_attempt *list = NULL;
    size_t n = 0, nseen = 0;
    char **seen = NULL, *reason = NULL;
    int running = 0, allowed = 0;
    ks_error ignore;
    if (!cert || ks_store_attempts_of(x->store, e->candidate_id, s->code, &list, &n, &ignore))
        return;
    for (size_t i = 0; i < n; i++)
        running |= list[i].state == KS_ATTEMPT_ACTIVE;
    if (!running && !history_of(x, list, n, &d->history, &seen, &nseen, &ignore) &&
        !ks_cert_may_start(cert, d->history, ks_clock_now(x->clock), &allowed, &reason,
                           &ignore) &&
        allowed) {
        d->seed = start_seed(given_seed);
        if (ks_cert_build_form(cert, d->seed, (const char *const *)seen, nseen, &d->form,
                               &ignore))
            d->form = NULL;
    }
    free(reason);
    ks_cert_free_ids(seen, nseen);
    ks_attempt_list_free(list, n);
}

/* The body of ks_exam_start, inside the write transaction, with the
 * caller's frozen certification and seed when they are not NULL and the
 * form drawn before it (draft) when the history still matches. A refusal by
 * the retake policy leaves its reason in *refusal (when not NULL). */
static ks_status start_in_tx(ks_exam *x, const ks_sitting *s, const ks_enrollment *e,
                             ks_cert *given_cert, const uint64_t *given_seed,
                             start_draft *draft, ks_attempt *out, int *resumed, char **refusal,
                             ks_error *err)
{
    int64_t now = ks_clock_now(x->clock);
    ks_attempt *list = NULL;
    size_t n = 0;
    ks_status rc = ks_store_attempts_of(x->store, e->candidate_id, s->code, &list, &n, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (list[i].state == KS_ATTEMPT_ACTIVE && list[i].sitting_id == s->id) {
            *resumed = 1;
            *out = list[i];
            memset(&list[i], 0, sizeof list[i]);
            ks_attempt_list_free(list, n);
            return KS_OK;
        }
        if (list[i].state == KS_ATTEMPT_ACTIVE) {
            ks_attempt_list_free(list, n);
            return ks_error_set(err, KS_ESTATE, "candidate %s has a running attempt in "
                                "another sitting", e->number);
        }
    }
    ks_fileset *fs = NULL;
    ks_cert *cert = given_cert;
    char *history = NULL, **seen = NULL, *reason = NULL, *form = NULL;
    size_t nseen = 0;
    int allowed = 0;
    if (!(rc = cert ? KS_OK : ks_exam_frozen_cert(x, s, &fs, &cert, err)) &&
        !(rc = history_of(x, list, n, &history, &seen, &nseen, err)) &&
        !(rc = ks_cert_may_start(cert, history, now, &allowed, &reason, err)) && !allowed) {
        rc = ks_error_set(err, KS_ESTATE, "candidate %s may not start another attempt: %s",
                          e->number, reason ? reason : "");
        if (refusal) {
            *refusal = reason ? reason : strdup("");
            reason = NULL;
        }
    }
    uint64_t seed = 0;
    if (!rc && draft->form && strcmp(draft->history, history) == 0) {
        /* nothing changed since the draw: its form stands */
        seed = draft->seed;
        form = draft->form;
        draft->form = NULL;
    } else if (!rc) {
        seed = start_seed(given_seed);
        rc = ks_cert_build_form(cert, seed, (const char *const *)seen, nseen, &form, err);
    }
    if (!rc) {
        *out = (ks_attempt){.sitting_id = s->id, .candidate_id = e->candidate_id,
                            .code = strdup(s->code), .number = (int)n + 1, .seed = seed,
                            .form = form, .started_at = now,
                            .deadline_at = ks_deadline(now, s->duration_ms, s->closes_at, 0),
                            .finish_reason = strdup("")};
        form = NULL;
        rc = ks_store_attempt_insert(x->store, out, err);
        if (!rc)
            rc = exam_audit(x, "attempt.start", s->id, out->id,
                            json_pack("{ss si}", "candidate", e->number, "number", out->number),
                            err);
        if (rc)
            ks_attempt_free(out);
    }
    *resumed = 0;
    free(form);
    free(reason);
    free(history);
    ks_cert_free_ids(seen, nseen);
    if (cert != given_cert)
        ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_attempt_list_free(list, n);
    return rc;
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

ks_status ks_exam_start_with(ks_exam *x, const char *sitting, const char *number,
                             ks_cert *cert, const uint64_t *seed, ks_attempt *out,
                             int *resumed, char **refusal, ks_error *err)
{
    if (refusal)
        *refusal = NULL;
    ks_sitting s;
    ks_status rc = ks_store_sitting_get(x->store, sitting, &s, err);
    if (rc)
        return rc;
    ks_enrollment e = {0};
    start_draft draft = {0};
    int64_t now = ks_clock_now(x->clock);
    char when[KS_TIME_BUF];
    if ((rc = ks_exam_finalize_overdue(x, s.id, NULL, err)) ||
        (rc = ks_store_enrollment_get(x->store, s.id, number, &e, err))) {
        /* reported as is */
    } else if (s.state != KS_SITTING_OPEN) {
        rc = ks_error_set(err, KS_ESTATE, "sitting '%s' is %s", sitting,
                          s.state == KS_SITTING_DRAFT ? "not open yet" : "closed");
    } else if (now < s.opens_at) {
        format_time(&s, s.opens_at, when);
        rc = ks_error_set(err, KS_ESTATE, "sitting '%s' opens at %s", sitting, when);
    } else {
        draft_start(x, &s, &e, cert, seed, &draft);
        if (!(rc = ks_store_begin(x->store, err))) {
            rc = start_in_tx(x, &s, &e, cert, seed, &draft, out, resumed, refusal, err);
            if (!rc && !*resumed && now >= s.closes_at) {
                format_time(&s, s.closes_at, when);
                ks_attempt_free(out);
                rc = ks_error_set(err, KS_ESTATE, "sitting '%s' closed at %s", sitting, when);
            }
            rc = exam_finish_tx(x, rc, err);
        }
    }
    free(draft.history);
    free(draft.form);
    ks_enrollment_free(&e);
    ks_sitting_free(&s);
    return rc;
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

size_t exam_form_size(const char *form_json)
{
    json_t *form = json_loads(form_json, 0, NULL);
    size_t n = json_array_size(json_object_get(form, "slots"));
    json_decref(form);
    return n;
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
 * not), the slot on its form and, when base_seq >= 0, no newer save of the
 * slot stored since. A returned error other than the save's own ends the
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
    } else if (v->base_seq >= 0 &&
               (rc = ks_store_answer_last_seq(x->store, a.id, v->slot, &last, err)) == KS_OK &&
               last > v->base_seq) {
        v->conflict = 1;
        rc = ks_error_set(err, KS_ESTATE, "question %d was saved again (save %lld) after save "
                          "%lld; the answer was not saved", v->slot + 1, (long long)last,
                          (long long)v->base_seq);
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
    if (!rc && (rc = v.status))
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

/* ---- grading -------------------------------------------------------------- */

ks_status exam_compute(ks_exam *x, ks_cert *cert, const ks_attempt *a, char **detail,
                       double *score, double *max_score, int *passed, ks_error *err)
{
    ks_answer *answers = NULL;
    ks_mark *marks = NULL;
    size_t na = 0, nm = 0;
    ks_status rc = ks_store_answers_latest(x->store, a->id, &answers, &na, err);
    if (!rc)
        rc = ks_store_marks(x->store, a->id, &marks, &nm, err);
    size_t nslots = exam_form_size(a->form);
    const char **responses = calloc(nslots + 1, sizeof *responses);
    double *fractions = calloc(nslots + 1, sizeof *fractions);
    if (!rc && (!responses || !fractions))
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    if (!rc) {
        for (size_t i = 0; i < nslots; i++)
            fractions[i] = -1;
        for (size_t i = 0; i < na; i++)
            if ((size_t)answers[i].slot < nslots)
                responses[answers[i].slot] = answers[i].response;
        for (size_t i = 0; i < nm; i++)
            if ((size_t)marks[i].slot < nslots)
                fractions[marks[i].slot] = marks[i].fraction;
        rc = ks_cert_grade(cert, a->form, responses, fractions, nslots, detail, score,
                           max_score, passed, err);
    }
    free(fractions);
    free(responses);
    ks_mark_list_free(marks, nm);
    ks_answer_list_free(answers, na);
    return rc;
}

ks_status exam_grade_attempt(ks_exam *x, ks_cert *cert, const ks_attempt *a, ks_error *err)
{
    char *detail = NULL;
    double score, max_score;
    int passed;
    ks_status rc = exam_compute(x, cert, a, &detail, &score, &max_score, &passed, err);
    if (!rc) {
        ks_result r = {.attempt_id = a->id, .score = score, .max_score = max_score,
                       .passed = passed, .detail = detail,
                       .graded_at = ks_clock_now(x->clock)};
        if (!(rc = ks_store_begin(x->store, err))) {
            rc = ks_store_result_put(x->store, &r, err);
            if (!rc)
                rc = exam_audit(x, "attempt.grade", a->sitting_id, a->id,
                                json_pack("{sf sf si}", "score", score, "max_score", max_score,
                                          "passed", passed),
                                err);
            rc = exam_finish_tx(x, rc, err);
        }
    }
    free(detail);
    return rc;
}

ks_status ks_exam_opened_sitting(ks_exam *x, const char *name, ks_sitting *out,
                                 ks_error *err)
{
    ks_status rc = ks_store_sitting_get(x->store, name, out, err);
    if (!rc && out->state == KS_SITTING_DRAFT) {
        ks_sitting_free(out);
        rc = ks_error_set(err, KS_ESTATE, "sitting '%s' has not been opened", name);
    }
    return rc;
}

ks_status ks_exam_grade(ks_exam *x, const char *sitting, size_t *graded, ks_error *err)
{
    ks_sitting s;
    *graded = 0;
    ks_status rc = ks_exam_opened_sitting(x, sitting, &s, err);
    if (rc)
        return rc;
    ks_fileset *fs = NULL;
    ks_cert *cert = NULL;
    ks_attempt *list = NULL;
    size_t n = 0;
    if (!(rc = ks_exam_finalize_overdue(x, s.id, NULL, err)) &&
        !(rc = ks_exam_frozen_cert(x, &s, &fs, &cert, err)) &&
        !(rc = ks_store_attempts_in(x->store, s.id, &list, &n, err))) {
        for (size_t i = 0; !rc && i < n; i++) {
            if (list[i].state != KS_ATTEMPT_FINISHED)
                continue;
            if (!(rc = exam_grade_attempt(x, cert, &list[i], err)))
                (*graded)++;
        }
    }
    ks_attempt_list_free(list, n);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_sitting_free(&s);
    return rc;
}
