/* fuzz_http: raw HTTP request bytes against the real server of `kaoshi
 * serve` (engine/http/: libmicrohttpd, the route table, sessions, CSRF,
 * handlers, group commit), run in-process once. At start it builds a
 * scratch database on a fixed fake clock: sitting s1 (DEMO-CS) open now,
 * with C001's attempt running (one answer saved) and C002's submitted, C003
 * enrolled; sitting s2 closed and graded, C003's attempt waiting for an
 * essay mark; proctor alice; a session for C001 and one for alice with known
 * tokens. It keeps a copy as the template, starts http_serve on a free
 * loopback port in a thread (with 127.0.0.1 as the trusted proxy, so
 * X-Forwarded-For is read) and waits until it answers.
 *
 * Each input, after these substitutions, is sent as is on a new connection,
 * which is then half-closed, and the replies are read (see exchange):
 *   @C@ / @c@   C001's session token / CSRF token
 *   @P@ / @p@   alice's session token / CSRF token
 *   @K@         C001's access code
 *   @L@         the length of what follows the first blank line (the body)
 * Checked: no reply is 500 (an internal error), the server answers (or
 * closes) within 20 s, and it never crashes (the sanitizers watch its
 * threads too). Before each input the database is reset to the template,
 * so an input does the same whatever ran before it. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "http/server.h"
#include "kaoshi/exam.h"
#include "kaoshi/sign.h"

#define REPLY_WAIT_MS 20000
#define MAX_REPLY (16u << 20)

/* Session tokens: 43 base64url characters, as session.c makes them. */
static const char cand_token[] = "fuzzCandidateSessionC001xxxxxxxxxxxxxxxxxxx";
static const char cand_csrf[] = "fuzzCandidateCsrfC001xxxxxxxxxxxxxxxxxxxxxx";
static const char proc_token[] = "fuzzProctorSessionAlicexxxxxxxxxxxxxxxxxxxx";
static const char proc_csrf[] = "fuzzProctorCsrfAlicexxxxxxxxxxxxxxxxxxxxxxx";
static char access_code[KS_ACCESS_CODE_LEN + 1];

static ks_clock clock_;
static ks_sign_key key;
static http_config cfg;
static char db_path[PATH_MAX], tpl_path[PATH_MAX];
static sqlite3 *db; /* our connection, for the resets */
static char **tables;
static size_t ntables;
static int port;
static volatile int server_done;
static int verbose; /* FUZZ_HTTP_VERBOSE=1: print each request and reply */
static ks_error server_err;

/* ---- the scratch database ------------------------------------------------------ */

static void must(ks_status rc, const ks_error *err, const char *what)
{
    if (rc)
        fuzz_fail("setting up: %s: %s", what, err->message);
}

static void session(ks_store *st, const char *token, const char *csrf, const char *kind,
                    int64_t subject_id, const char *subject, int64_t sitting_id, int64_t now)
{
    unsigned char digest[32];
    char hash[65];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)token, strlen(token),
                       NULL, 0);
    sodium_bin2hex(hash, sizeof hash, digest, sizeof digest);
    ks_session s = {.token_hash = hash, .kind = (char *)kind, .subject_id = subject_id,
                    .subject = (char *)subject, .sitting_id = sitting_id, .csrf = (char *)csrf,
                    .created_at = now, .expires_at = now + 12LL * 3600 * 1000};
    ks_error err;
    must(ks_store_session_put(st, &s, &err), &err, "a session");
}

static void build_database(void)
{
    ks_store *st;
    ks_error err;
    must(ks_store_open(db_path, &st, &err), &err, "ks_store_open");
    ks_exam x = {.store = st, .clock = &clock_, .root = fuzz_root(), .actor = "fuzz"};
    ks_sitting s1, s2;
    must(ks_exam_sitting_create(&x, "s1", "DEMO-CS", "2027-07-18", 0, 0, 0, &s1, &err), &err,
         "sitting s1");
    must(ks_exam_sitting_open(&x, "s1", &err), &err, "opening s1");
    must(ks_exam_sitting_create(&x, "s2", "DEMO-CS", "2027-07-18", 0, 0, 0, &s2, &err), &err,
         "sitting s2");
    must(ks_exam_sitting_open(&x, "s2", &err), &err, "opening s2");

    ks_enrollee people[] = {{"C001", "张三"}, {"C002", "李四"}, {"C003", "王五"}};
    char codes[3][KS_ACCESS_CODE_LEN + 1], codes2[1][KS_ACCESS_CODE_LEN + 1];
    size_t bad;
    must(ks_exam_enroll(&x, "s1", people, 3, codes, &bad, &err), &err, "enrolling in s1");
    must(ks_exam_enroll(&x, "s2", &people[2], 1, codes2, &bad, &err), &err, "enrolling in s2");
    memcpy(access_code, codes[0], sizeof access_code);

    ks_attempt a;
    int resumed;
    int64_t seq;
    /* fixed seeds, so each run of the target has the same forms */
    const uint64_t seeds[] = {11, 12, 13};
    must(ks_exam_start_with(&x, "s1", "C001", NULL, &seeds[0], &a, &resumed, NULL, &err), &err,
         "C001 starts");
    int64_t running = a.id;
    ks_attempt_free(&a);
    must(ks_exam_answer(&x, running, 0, "{\"choice\":1}", "k1", &seq, &err), &err, "an answer");
    must(ks_exam_start_with(&x, "s1", "C002", NULL, &seeds[1], &a, &resumed, NULL, &err), &err,
         "C002 starts");
    must(ks_exam_answer(&x, a.id, 1, "{\"choice\":2}", NULL, &seq, &err), &err, "an answer");
    must(ks_exam_submit(&x, a.id, "submitted", &err), &err, "C002 submits");
    ks_attempt_free(&a);
    must(ks_exam_start_with(&x, "s2", "C003", NULL, &seeds[2], &a, &resumed, NULL, &err), &err,
         "C003 starts");
    for (int slot = 0; slot < 8; slot++)
        ks_exam_answer(&x, a.id, slot, "{\"text\":\"先道歉，再跟进。\",\"choice\":1}", NULL,
                       &seq, NULL);
    must(ks_exam_submit(&x, a.id, "submitted", &err), &err, "C003 submits");
    ks_attempt_free(&a);
    size_t n;
    must(ks_exam_sitting_close(&x, "s2", &n, &err), &err, "closing s2");
    must(ks_exam_grade(&x, "s2", &n, &err), &err, "grading s2");

    must(ks_exam_proctor_add(&x, "alice", "correct horse battery", &err), &err, "a proctor");
    ks_proctor p;
    must(ks_store_proctor_get(st, "alice", &p, &err), &err, "the proctor");
    ks_enrollment e;
    must(ks_store_enrollment_get(st, s1.id, "C001", &e, &err), &err, "C001's enrollment");
    int64_t now = ks_clock_now(&clock_);
    session(st, cand_token, cand_csrf, "candidate", e.candidate_id, "C001", s1.id, now);
    session(st, proc_token, proc_csrf, "proctor", p.id, "alice", 0, now);
    ks_enrollment_free(&e);
    ks_proctor_free(&p);
    ks_sitting_free(&s1);
    ks_sitting_free(&s2);
    ks_store_close(st);
}

static void exec_sql(const char *text)
{
    char *msg = NULL;
    if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
        fuzz_fail("%s: %s", text, msg ? msg : sqlite3_errmsg(db));
}

/* Copies the database to the template and lists its tables. */
static void make_template(void)
{
    if (sqlite3_open(db_path, &db) != SQLITE_OK)
        fuzz_fail("sqlite3_open %s", db_path);
    sqlite3_busy_timeout(db, 10000);
    char *text = sqlite3_mprintf("VACUUM INTO %Q; ATTACH %Q AS tpl; PRAGMA synchronous = OFF",
                                 tpl_path, tpl_path);
    exec_sql(text);
    sqlite3_free(text);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name FROM tpl.sqlite_master WHERE type = 'table' AND "
                           "name NOT LIKE 'sqlite_%' ORDER BY name", -1, &st, NULL) != SQLITE_OK)
        fuzz_fail("listing tables: %s", sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        tables = realloc(tables, (ntables + 1) * sizeof *tables);
        tables[ntables++] = strdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
}

/* Puts every table back as the template has it, in one transaction. */
static void reset_database(void)
{
    static char *script;
    if (!script) {
        size_t cap = 64 + ntables * 160;
        script = malloc(cap);
        size_t at = (size_t)snprintf(script, cap, "BEGIN IMMEDIATE;");
        for (size_t i = 0; i < ntables; i++)
            at += (size_t)snprintf(script + at, cap - at,
                                   "DELETE FROM main.\"%s\"; INSERT INTO main.\"%s\" "
                                   "SELECT * FROM tpl.\"%s\";",
                                   tables[i], tables[i], tables[i]);
        snprintf(script + at, cap - at, "COMMIT;");
    }
    char *msg = NULL;
    if (sqlite3_exec(db, script, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "fuzz: resetting the database: %s\n", msg ? msg : "?");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        fuzz_fail("the database could not be reset");
    }
}

/* ---- the server ------------------------------------------------------------------ */

static void *serve(void *arg)
{
    (void)arg;
    ks_status rc = http_serve(&cfg, &server_err);
    if (rc)
        fprintf(stderr, "fuzz: http_serve: %s\n", server_err.message);
    server_done = 1;
    return NULL;
}

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(s, (struct sockaddr *)&a, &len) != 0)
        fuzz_fail("finding a free port: %s", strerror(errno));
    close(s);
    return ntohs(a.sin_port);
}

static int connect_server(void)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0)
        return s;
    if (s >= 0)
        close(s);
    return -1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (sodium_init() < 0)
        fuzz_fail("sodium_init");
    const char *v = getenv("FUZZ_HTTP_VERBOSE");
    verbose = v && *v && strcmp(v, "0") != 0;
    const char *dir = fuzz_tmpdir();
    char key_path[PATH_MAX];
    fuzz_path(db_path, sizeof db_path, dir, "http.db");
    fuzz_path(tpl_path, sizeof tpl_path, dir, "template.db");
    fuzz_path(key_path, sizeof key_path, dir, "signing.key");
    int64_t t0;
    ks_time_parse("2027-07-18T10:00:00+08:00", &t0, NULL); /* inside DEMO-CS's window */
    ks_clock_fake_init(&clock_, t0);
    ks_error err;
    must(ks_sign_key_create(key_path, &key, &err), &err, "a signing key");
    build_database();
    make_template();

    port = free_port();
    cfg = (http_config){.address = "127.0.0.1", .port = port, .db_path = db_path,
                        .root = fuzz_root(), .clock = &clock_, .threads = 2,
                        .max_connections = 64, .per_ip_connections = 0,
                        .idle_timeout_s = 3, .trusted_proxy = "127.0.0.1",
                        .public_key = key.pk};
    pthread_t t;
    if (pthread_create(&t, NULL, serve, NULL) != 0)
        fuzz_fail("pthread_create");
    pthread_detach(t);
    for (int i = 0; i < 300; i++) {
        int s = connect_server();
        if (s >= 0) {
            close(s);
            return 0;
        }
        if (server_done)
            break;
        usleep(20000);
    }
    fuzz_fail("the server did not start on port %d", port);
}

/* ---- one request ------------------------------------------------------------------ */

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static void put(buf *b, const void *data, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            fuzz_fail("out of memory");
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
    b->p[b->n] = '\0';
}

/* The input with the placeholders replaced; each @L@ (at most 4) is filled
 * in once the body's length is known. */
static void substitute(const uint8_t *data, size_t size, buf *out)
{
    static const struct { const char *name, *value; } subs[] = {
        {"@C@", cand_token}, {"@c@", cand_csrf}, {"@P@", proc_token},
        {"@p@", proc_csrf},  {"@K@", access_code},
    };
    const size_t nsubs = sizeof subs / sizeof *subs;
    buf tmp = {0};
    size_t marks[4], nmarks = 0;
    for (size_t i = 0; i < size;) {
        if (i + 3 <= size && data[i] == '@' && data[i + 2] == '@') {
            size_t k = 0;
            while (k < nsubs && subs[k].name[1] != data[i + 1])
                k++;
            if (k < nsubs) {
                put(&tmp, subs[k].value, strlen(subs[k].value));
                i += 3;
                continue;
            }
            if (data[i + 1] == 'L' && nmarks < 4) {
                marks[nmarks++] = tmp.n;
                i += 3;
                continue;
            }
        }
        put(&tmp, data + i, 1);
        i++;
    }
    /* the body: what follows the first blank line */
    const char *end = tmp.n ? memmem(tmp.p, tmp.n, "\r\n\r\n", 4) : NULL;
    size_t body = end ? tmp.n - (size_t)(end + 4 - tmp.p) : 0;
    char len[24];
    int nlen = snprintf(len, sizeof len, "%zu", body);
    size_t from = 0;
    for (size_t m = 0; m < nmarks; m++) {
        put(out, tmp.p + from, marks[m] - from);
        put(out, len, (size_t)nlen);
        from = marks[m];
    }
    put(out, tmp.p ? tmp.p + from : "", tmp.n - from);
    free(tmp.p);
}

/* The value of header name (case-insensitive) in the head h..end, or NULL. */
static const char *header(const char *h, const char *end, const char *name)
{
    size_t n = strlen(name);
    for (const char *line = h; line < end;) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol)
            eol = end;
        if ((size_t)(eol - line) > n && strncasecmp(line, name, n) == 0 && line[n] == ':')
            return line + n + 1;
        line = eol + 1;
    }
    return NULL;
}

/* True when the head at h starts with "METHOD TARGET HTTP/1.x\r\n", METHOD
 * an upper-case token and TARGET without spaces or control characters. */
static int request_line(const char *h, const char *end)
{
    const char *p = h;
    while (p < end && *p >= 'A' && *p <= 'Z')
        p++;
    if (p == h || p >= end || *p++ != ' ')
        return 0;
    const char *target = p;
    while (p < end && (unsigned char)*p > ' ' && *p != 0x7f)
        p++;
    return p > target && end - p >= 11 && memcmp(p, " HTTP/1.", 8) == 0 &&
           (p[8] == '0' || p[8] == '1') && p[9] == '\r' && p[10] == '\n';
}

/* Splits a stream of HTTP messages as far as they are complete: at most max
 * messages, each's head ending in a blank line and followed by its
 * Content-Length of body (none when no_body[i], or for a 1xx/204/304 reply).
 * Returns how many are complete; methods (when not NULL) gets whether each
 * was a HEAD request; a message with a Transfer-Encoding ends the count. */
static size_t complete_messages(const char *p, size_t n, int replies, const int *no_body,
                                int *is_head, size_t max)
{
    size_t count = 0, at = 0;
    while (count < max && at < n) {
        while (!replies && at < n && (p[at] == '\r' || p[at] == '\n'))
            at++;
        const char *start = p + at;
        const char *end = memmem(start, n - at, "\r\n\r\n", 4);
        if (!end)
            break;
        const char *cl = header(start, end, "Content-Length");
        if (header(start, end, "Transfer-Encoding"))
            break;
        unsigned long long body = cl ? strtoull(cl, NULL, 10) : 0;
        int informational = 0;
        if (replies) {
            int status = n - at > 12 ? atoi(start + 9) : 0;
            informational = status / 100 == 1;
            if (informational || status == 204 || status == 304 || (no_body && no_body[count]))
                body = 0;
        } else {
            if (!request_line(start, end))
                break; /* the server refuses it, or waits for its idle timeout */
            if (is_head)
                is_head[count] = strncmp(start, "HEAD ", 5) == 0;
        }
        size_t head_len = (size_t)(end + 4 - start);
        if (body > n - at - head_len)
            break;
        at += head_len + (size_t)body;
        if (!informational)
            count++;
    }
    return count;
}

#define MAX_PIPELINED 64
#define QUIET_MS 300

/* Sends req and half-closes; reads until the server closes, or until a reply
 * came for every complete request sent (libmicrohttpd does not always close
 * a kept-alive connection at once when the client half-closed it, nor one
 * whose request is cut short), or, once at least one reply came or when no
 * request was complete, until QUIET_MS pass without a byte. A complete
 * request without any reply within REPLY_WAIT_MS is a finding. */
static void exchange(const buf *req, buf *reply)
{
    int s = connect_server();
    if (s < 0) {
        if (server_done)
            exit(0); /* the server was stopped by a signal: the run is over */
        fuzz_fail("the server refused a connection: %s", strerror(errno));
    }
    int is_head[MAX_PIPELINED];
    size_t nreq = complete_messages(req->p, req->n, 0, NULL, is_head, MAX_PIPELINED);
    size_t sent = 0;
    while (sent < req->n) {
        ssize_t w = send(s, req->p + sent, req->n - sent, MSG_NOSIGNAL);
        if (w <= 0)
            break; /* the server closed early (a refused body): read what it said */
        sent += (size_t)w;
    }
    shutdown(s, SHUT_WR);
    char chunk[16384];
    int64_t deadline = ks_clock_mono_ns() + (int64_t)REPLY_WAIT_MS * 1000000;
    for (;;) {
        size_t got = complete_messages(reply->p, reply->n, 1, is_head, NULL, MAX_PIPELINED);
        if (nreq && got >= nreq)
            break;
        int64_t left_ms = (deadline - ks_clock_mono_ns()) / 1000000;
        int quiet = got || !nreq; /* no complete request: nothing is owed */
        int wait_ms = quiet ? QUIET_MS : (int)(left_ms > 0 ? left_ms : 0);
        struct pollfd pfd = {.fd = s, .events = POLLIN};
        int ready = poll(&pfd, 1, wait_ms);
        if (ready == 0 && quiet)
            break;
        if (ready == 0)
            fuzz_fail("the server neither answered nor closed within %d ms (%zu bytes so far)",
                      REPLY_WAIT_MS, reply->n);
        if (ready < 0 && errno == EINTR)
            continue;
        ssize_t r = recv(s, chunk, sizeof chunk, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        if (reply->n + (size_t)r > MAX_REPLY)
            fuzz_fail("a reply of more than %u bytes", MAX_REPLY);
        put(reply, chunk, (size_t)r);
    }
    close(s);
}

/* Fails on any status line "HTTP/1.x 500" in the replies. */
static void check_replies(const buf *reply, const buf *req)
{
    for (size_t i = 0; i + 12 <= reply->n; i++) {
        if ((i == 0 || reply->p[i - 1] == '\n') && memcmp(reply->p + i, "HTTP/1.", 7) == 0 &&
            memcmp(reply->p + i + 8, " 500", 4) == 0) {
            size_t show = reply->n - i < 1500 ? reply->n - i : 1500;
            fprintf(stderr, "fuzz: the request (%zu bytes):\n%.*s\n", req->n,
                    (int)(req->n < 3000 ? req->n : 3000), req->p);
            fprintf(stderr, "fuzz: the reply:\n%.*s\n", (int)show, reply->p + i);
            fuzz_fail("the server answered 500");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t t0 = ks_clock_mono_ns();
    reset_database();
    int64_t t1 = ks_clock_mono_ns();
    buf req = {0}, reply = {0};
    substitute(data, size, &req);
    if (req.n)
        exchange(&req, &reply);
    if (verbose)
        fprintf(stderr, "---- request (%zu bytes)\n%.*s\n---- reply (%zu bytes; reset %.1f ms, "
                "exchange %.1f ms)\n%.*s\n----\n", req.n, (int)req.n, req.p ? req.p : "",
                reply.n, (t1 - t0) / 1e6, (ks_clock_mono_ns() - t1) / 1e6, (int)reply.n,
                reply.p ? reply.p : "");
    check_replies(&reply, &req);
    free(req.p);
    free(reply.p);
    return 0;
}
