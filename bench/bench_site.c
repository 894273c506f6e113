/* The site under test of the HTTP benchmarks. See bench/bench_site.h. */
#include "bench_site.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"
#include "kaoshi/exam.h"

#define TOKEN_BYTES 32
#define SESSION_MS (12LL * 3600 * 1000)

int bench_site_raise_nofile(size_t need)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return -1;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
        rl.rlim_max = need; /* allowed to root (CAP_SYS_RESOURCE) up to fs.nr_open */
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        fprintf(stderr, "bench: %zu file descriptors needed, the hard limit is %llu\n", need,
                (unsigned long long)rl.rlim_cur);
        return -1;
    }
    return 0;
}

/* A random token as the server makes them: 32 bytes, base64url. */
static void random_token(char out[48])
{
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, 48, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* The session row a login writes, for candidate c. */
static ks_status put_session(ks_store *st, int64_t sitting_id, bench_candidate *c, int64_t now,
                             ks_error *err)
{
    unsigned char digest[32];
    char hash[65];
    random_token(c->token);
    random_token(c->csrf);
    crypto_generichash(digest, sizeof digest, (const unsigned char *)c->token,
                       strlen(c->token), NULL, 0);
    sodium_bin2hex(hash, sizeof hash, digest, sizeof digest);
    ks_session row = {.token_hash = hash, .kind = "candidate", .subject_id = c->candidate_id,
                      .subject = c->number, .sitting_id = sitting_id, .csrf = c->csrf,
                      .created_at = now, .expires_at = now + SESSION_MS};
    return ks_store_session_put(st, &row, err);
}

static size_t form_size(ks_exam *x, const ks_sitting *sitting, ks_error *err)
{
    ks_fileset *fs;
    ks_cert *cert;
    if (ks_exam_frozen_cert(x, sitting, &fs, &cert, err))
        return 0;
    const ks_cert_info *info = ks_cert_info_of(cert);
    size_t n = 0;
    for (size_t i = 0; i < info->nsections; i++)
        n += (size_t)info->sections[i].pick;
    ks_cert_free(cert);
    ks_fileset_free(fs);
    return n;
}

/* The sitting and its candidates, in the open store. */
static ks_status populate(bench_site *s, ks_store *st, ks_error *err)
{
    ks_exam x = {.store = st, .clock = ks_clock_system(), .root = s->root, .actor = "bench"};
    int64_t now = ks_clock_now(x.clock);
    ks_sitting sitting;
    ks_status rc = ks_exam_sitting_create(&x, BENCH_SITTING, BENCH_CERT, NULL, now - 60000,
                                          now + 3 * 3600 * 1000, 480, &sitting, err);
    if (rc)
        return rc;
    s->sitting_id = sitting.id;
    char codes[1][KS_ACCESS_CODE_LEN + 1];
    ks_enrollee first = {s->cand[0].number, "考生 0"};
    size_t bad;
    ks_enrollment e = {0};
    if (!(rc = ks_exam_sitting_open(&x, BENCH_SITTING, err)) &&
        !(rc = ks_exam_enroll(&x, BENCH_SITTING, &first, 1, codes, &bad, err)) &&
        !(rc = ks_store_enrollment_get(st, sitting.id, s->cand[0].number, &e, err)) &&
        !(rc = ks_store_begin(st, err))) {
        snprintf(s->code0, sizeof s->code0, "%s", codes[0]);
        s->cand[0].candidate_id = e.candidate_id;
        for (size_t i = 1; !rc && i < s->n; i++) {
            char name[32];
            snprintf(name, sizeof name, "考生 %zu", i);
            if (!(rc = ks_store_enroll(st, sitting.id, s->cand[i].number, name, e.access_hash,
                                       NULL, now, &s->cand[i].candidate_id, err)))
                rc = put_session(st, sitting.id, &s->cand[i], now, err);
        }
        if (rc)
            ks_store_rollback(st);
        else
            rc = ks_store_commit(st, err);
    }
    if (!rc) {
        ks_sitting_free(&sitting);
        if (!(rc = ks_store_sitting_by_id(st, s->sitting_id, &sitting, err)) &&
            !(s->nslots = form_size(&x, &sitting, err)))
            rc = err->code ? err->code : KS_EINTERNAL;
    }
    if (!rc && s->nslots > sizeof s->cand[0].seq / sizeof s->cand[0].seq[0])
        rc = ks_error_set(err, KS_EINTERNAL, "%s forms have %zu questions; at most 64 "
                          "are supported", BENCH_CERT, s->nslots);
    ks_enrollment_free(&e);
    ks_sitting_free(&sitting);
    return rc;
}

static int find_paths(bench_site *s)
{
    const char *root = getenv("KAOSHI_ROOT");
    if (!realpath(root && *root ? root : ".", s->root)) {
        fprintf(stderr, "bench: KAOSHI_ROOT: %s\n", strerror(errno));
        return -1;
    }
    const char *bin = getenv("KAOSHI");
    if (bin && *bin) {
        snprintf(s->kaoshi, sizeof s->kaoshi, "%s", bin);
    } else {
        char self[PATH_MAX - 16];
        ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
        self[k > 0 ? k : 0] = '\0';
        char *slash = strrchr(self, '/');
        if (slash)
            *slash = '\0';
        snprintf(s->kaoshi, sizeof s->kaoshi, "%s/../kaoshi", self);
    }
    if (access(s->kaoshi, X_OK) != 0) {
        fprintf(stderr, "bench: %s: not an executable (set KAOSHI)\n", s->kaoshi);
        return -1;
    }
    return 0;
}

int bench_site_create(bench_site *s, size_t n)
{
    memset(s, 0, sizeof *s);
    s->out_fd = -1;
    if (find_paths(s) != 0)
        return -1;
    if (sodium_init() < 0 || !(s->cand = calloc(n ? n : 1, sizeof *s->cand)))
        return -1;
    s->n = n;
    for (size_t i = 0; i < n; i++)
        snprintf(s->cand[i].number, sizeof s->cand[i].number, "B%06u", (unsigned)i);
    if (!(s->dir = bench_tempdir("site"))) {
        fprintf(stderr, "bench: cannot create a directory under TMPDIR: %s\n", strerror(errno));
        return -1;
    }
    snprintf(s->db, sizeof s->db, "%s/bench.db", s->dir);
    ks_store *st;
    ks_error err;
    ks_status rc = ks_store_open(s->db, &st, &err);
    if (!rc) {
        rc = populate(s, st, &err);
        ks_store_close(st);
    }
    if (rc) {
        fprintf(stderr, "bench: setting up the sitting: %s\n", err.message);
        return -1;
    }
    return 0;
}

/* Candidate 0 logs in like a person: POST /api/login with the access code. */
typedef struct login {
    bench_site *s;
    int sent, ok;
} login;

static size_t login_next(void *ud, size_t conn, char *buf, size_t cap)
{
    (void)conn;
    login *l = ud;
    if (l->sent++)
        return 0;
    char body[160];
    snprintf(body, sizeof body, "{\"sitting\":\"%s\",\"number\":\"%s\",\"code\":\"%s\"}",
             BENCH_SITTING, l->s->cand[0].number, l->s->code0);
    return bench_site_request(l->s, 0, "POST", "/api/login", body, buf, cap);
}

static void login_done(void *ud, size_t conn, const bench_reply *r)
{
    (void)conn;
    login *l = ud;
    bench_candidate *c = &l->s->cand[0];
    const char *cookie = r->status == 200 ? memmem(r->head, r->head_len, "ks_session=", 11) : NULL;
    const char *csrf = r->status == 200 ? memmem(r->body, r->body_len, "\"csrf\":\"", 8) : NULL;
    if (!cookie || !csrf || sscanf(cookie + 11, "%47[A-Za-z0-9_-]", c->token) != 1 ||
        sscanf(csrf + 8, "%47[A-Za-z0-9_-]", c->csrf) != 1) {
        fprintf(stderr, "bench: candidate 0's login failed (HTTP %d): %.*s\n", r->status,
                (int)r->body_len, r->body ? r->body : "");
        return;
    }
    l->ok = 1;
}

/* Copies what the server wrote on stderr to ours, after a failure (the
 * directory holding it is removed with the site). */
static void show_server_log(const bench_site *s)
{
    char path[PATH_MAX + 16], buf[4096];
    snprintf(path, sizeof path, "%s/serve.err", s->dir);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    fprintf(stderr, "bench: kaoshi serve said: %.*s\n", (int)n, buf);
}

static int wait_listening(bench_site *s)
{
    char line[256];
    size_t len = 0;
    for (int tries = 0; tries < 1000 && len < sizeof line - 1; tries++) {
        ssize_t k = read(s->out_fd, line + len, sizeof line - 1 - len);
        if (k > 0) {
            len += (size_t)k;
            line[len] = '\0';
            unsigned port;
            if (strchr(line, '\n') && sscanf(line, "serving http://127.0.0.1:%u/", &port) == 1) {
                s->port = (uint16_t)port;
                return 0;
            }
        } else if (k == 0) {
            break;
        } else if (errno == EAGAIN) {
            usleep(10000);
        } else if (errno != EINTR) {
            break;
        }
    }
    fprintf(stderr, "bench: kaoshi serve did not start\n");
    show_server_log(s);
    return -1;
}

int bench_site_serve(bench_site *s, size_t max_conn)
{
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0)
        return -1;
    char limit[32], errpath[PATH_MAX + 16];
    snprintf(limit, sizeof limit, "%zu", max_conn);
    snprintf(errpath, sizeof errpath, "%s/serve.err", s->dir);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* the server never outlives the benchmark */
        if (getppid() != parent)
            _exit(127);
        int err = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(out[1], 1);
        if (err >= 0)
            dup2(err, 2);
        unsetenv("KAOSHI_NOW");
        execl(s->kaoshi, s->kaoshi, "serve", "--db", s->db, "--root", s->root, "--address",
              "127.0.0.1", "--port", "0", "--max-connections", limit, "--per-ip", limit,
              "--prepare-ahead", "0", "--timeout", "60", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    s->pid = pid;
    s->out_fd = out[0];
    fcntl(s->out_fd, F_SETFL, O_NONBLOCK);
    if (wait_listening(s) != 0)
        return -1;
    login l = {s, 0, 0};
    bench_http *h = bench_http_open(s->port, 1);
    if (h)
        bench_http_run(h, login_next, login_done, &l, 0);
    bench_http_close(h);
    return l.ok ? 0 : -1;
}

int bench_site_stop(bench_site *s)
{
    if (!s->pid)
        return -1;
    int status = 0;
    kill(s->pid, SIGTERM);
    pid_t got;
    while ((got = waitpid(s->pid, &status, 0)) < 0 && errno == EINTR)
        ;
    s->pid = 0;
    if (s->out_fd >= 0)
        close(s->out_fd);
    s->out_fd = -1;
    int rc = got > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (rc != 0) {
        fprintf(stderr, "bench: kaoshi serve did not exit cleanly after SIGTERM (%d)\n", rc);
        show_server_log(s);
    }
    return rc;
}

void bench_site_free(bench_site *s)
{
    if (s->pid)
        bench_site_stop(s);
    bench_tempdir_remove(s->dir);
    free(s->cand);
    memset(s, 0, sizeof *s);
    s->out_fd = -1;
}

size_t bench_site_request(const bench_site *s, size_t i, const char *method, const char *path,
                          const char *body, char *buf, size_t cap)
{
    const bench_candidate *c = &s->cand[i];
    char cookie[96] = "", sending[256] = "";
    if (c->token[0])
        snprintf(cookie, sizeof cookie, "Cookie: ks_session=%s\r\n", c->token);
    if (body)
        snprintf(sending, sizeof sending,
                 "Origin: http://127.0.0.1:%u\r\n"
                 "Content-Type: application/json\r\n"
                 "%s%s%s"
                 "Content-Length: %zu\r\n",
                 s->port, c->csrf[0] ? "X-CSRF-Token: " : "", c->csrf, c->csrf[0] ? "\r\n" : "",
                 strlen(body));
    int n = snprintf(buf, cap,
                     "%s %s HTTP/1.1\r\n"
                     "Host: 127.0.0.1:%u\r\n"
                     "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, "
                     "like Gecko) Chrome/126.0.0.0 Safari/537.36\r\n"
                     "Accept: application/json\r\n"
                     "Accept-Language: zh-CN,zh;q=0.9\r\n"
                     "Accept-Encoding: gzip, deflate, br\r\n"
                     "Sec-Fetch-Site: same-origin\r\n"
                     "Sec-Fetch-Mode: cors\r\n"
                     "Sec-Fetch-Dest: empty\r\n"
                     "%s%s\r\n%s",
                     method, path, s->port, sending, cookie, body ? body : "");
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

int bench_site_prepare(bench_site *s, double *seconds, char **views)
{
    ks_store *st = NULL;
    ks_exam x = {.clock = ks_clock_system(), .root = s->root, .actor = "bench"};
    ks_prepared done;
    ks_error err;
    int64_t t0 = ks_clock_mono_ns();
    if (ks_store_open(s->db, &st, &err) ||
        (x.store = st, ks_exam_prepare(&x, BENCH_SITTING, NULL, &done, &err))) {
        fprintf(stderr, "bench: preparing: %s\n", err.message);
        ks_store_close(st);
        return -1;
    }
    *seconds = (double)(ks_clock_mono_ns() - t0) / 1e9;
    int rc = done.drawn == s->n ? 0 : -1;
    for (size_t i = 0; !rc && i < s->n; i++) {
        ks_drawn_form d;
        if (ks_store_drawn_get(st, s->sitting_id, s->cand[i].candidate_id, &d, &err)) {
            rc = -1;
        } else {
            views[i] = d.view;
            d.view = NULL;
            ks_drawn_form_free(&d);
        }
    }
    if (rc)
        fprintf(stderr, "bench: %zu of %zu forms drawn ahead\n", done.drawn, s->n);
    ks_store_close(st);
    return rc;
}

size_t bench_site_save_request(bench_site *s, size_t i, uint64_t *rng, char *buf, size_t cap)
{
    bench_candidate *c = &s->cand[i];
    size_t k = (c->saves++ + i) % (size_t)c->nchoice;
    c->saving = c->choice_slot[k];
    char key[33], path[96], body[160];
    bench_random_key(rng, key);
    snprintf(path, sizeof path, "/api/attempts/%lld/answers/%d", (long long)c->attempt_id,
             c->saving);
    snprintf(body, sizeof body, "{\"response\":{\"choice\":%d},\"key\":\"%s\",\"base\":%lld}",
             (int)(bench_random(rng) % (uint64_t)c->choice_options[k]) + 1, key,
             (long long)c->seq[c->saving]);
    return bench_site_request(s, i, "PUT", path, body, buf, cap);
}

int bench_site_saved(bench_site *s, size_t i, const bench_reply *r)
{
    if (r->status != 200)
        return -1;
    bench_candidate *c = &s->cand[i];
    c->seq[c->saving] = bench_reply_int(r, "seq");
    return 0;
}

long long bench_reply_int(const bench_reply *r, const char *field)
{
    char key[64];
    int k = snprintf(key, sizeof key, "\"%s\":", field);
    const char *at = r->body ? memmem(r->body, r->body_len, key, (size_t)k) : NULL;
    return at ? strtoll(at + k, NULL, 10) : -1;
}

/* ---- starting attempts ------------------------------------------------------ */

typedef struct starter {
    bench_site *s;
    size_t first;
    int fetch_form;
    int *step;         /* per connection: 0 start, 1 fetch the form, 2 done */
    int64_t *t0, *latency_ns;
    int64_t first_sent, last_done;
    size_t failed;
} starter;

static size_t start_next(void *ud, size_t k, char *buf, size_t cap)
{
    starter *st = ud;
    size_t i = st->first + k;
    if (st->step[k] == 0)
        return bench_site_request(st->s, i, "POST", "/api/attempts", "{}", buf, cap);
    if (st->step[k] == 1) {
        char path[64];
        snprintf(path, sizeof path, "/api/attempts/%lld", (long long)st->s->cand[i].attempt_id);
        return bench_site_request(st->s, i, "GET", path, NULL, buf, cap);
    }
    return 0;
}

static void start_done(void *ud, size_t k, const bench_reply *r)
{
    starter *st = ud;
    bench_candidate *c = &st->s->cand[st->first + k];
    if (st->step[k] == 0) {
        st->t0[k] = r->sent_ns;
        if (!st->first_sent || r->sent_ns < st->first_sent)
            st->first_sent = r->sent_ns;
        c->attempt_id = r->status == 200 ? bench_reply_int(r, "attempt") : 0;
    }
    if (r->done_ns > st->last_done)
        st->last_done = r->done_ns;
    if (r->status != 200 || c->attempt_id <= 0) {
        if (st->failed++ < 3)
            fprintf(stderr, "bench: candidate %s: HTTP %d %.*s\n", c->number, r->status,
                    (int)(r->body_len > 200 ? 200 : r->body_len), r->body ? r->body : "");
        st->step[k] = 2;
        return;
    }
    st->step[k] = st->step[k] == 0 && st->fetch_form ? 1 : 2;
    if (st->step[k] == 2 && st->latency_ns)
        st->latency_ns[k] = r->done_ns - st->t0[k];
}

size_t bench_site_start(bench_site *s, bench_http *h, size_t first, size_t count,
                        int fetch_form, int64_t *latency_ns, int64_t *span_ns)
{
    size_t nconn = bench_http_count(h);
    starter st = {s, first, fetch_form, calloc(nconn + 1, sizeof *st.step),
                  calloc(nconn + 1, sizeof *st.t0), latency_ns, 0, 0, 0};
    if (!st.step || !st.t0 || count > nconn || first + count > s->n) {
        free(st.step);
        free(st.t0);
        return count;
    }
    for (size_t k = count; k < nconn; k++)
        st.step[k] = 2; /* connections beyond count stay idle */
    bench_http_run(h, start_next, start_done, &st, 0);
    if (span_ns)
        *span_ns = st.last_done - st.first_sent;
    free(st.step);
    free(st.t0);
    return st.failed;
}

/* ---- the forms' single-choice questions -------------------------------------- */

/* Fills c's choice slots from its form (JSON): the slots whose kept shape is
 * a "choice" widget. */
static void choice_slots_of(bench_candidate *c, const char *form_json)
{
    json_t *form = json_loads(form_json, 0, NULL), *slot;
    size_t i;
    c->nchoice = 0;
    json_array_foreach(json_object_get(form, "slots"), i, slot) {
        json_t *shape = json_object_get(slot, "shape");
        const char *widget = json_string_value(json_object_get(shape, "widget"));
        if (i < 64 && widget && strcmp(widget, "choice") == 0) {
            c->choice_slot[c->nchoice] = (int)i;
            c->choice_options[c->nchoice++] = (int)json_array_size(json_object_get(shape, "ids"));
        }
    }
    json_decref(form);
}

int bench_site_choice_slots(bench_site *s)
{
    sqlite3 *db;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(s->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT form FROM attempts WHERE id = ?", -1, &st, NULL)) {
        fprintf(stderr, "bench: cannot read the forms: %s\n", sqlite3_errmsg(db));
        sqlite3_close(db);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < s->n && !rc; i++) {
        bench_candidate *c = &s->cand[i];
        if (!c->attempt_id)
            continue;
        sqlite3_bind_int64(st, 1, c->attempt_id);
        if (sqlite3_step(st) == SQLITE_ROW)
            choice_slots_of(c, (const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
        if (!c->nchoice) {
            fprintf(stderr, "bench: candidate %s's form has no single-choice question\n",
                    c->number);
            rc = -1;
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}
