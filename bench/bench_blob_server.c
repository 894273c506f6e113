/* The bare blob server of bench_blob_server.h, run in a child process so
 * that its connections count against its own descriptor limit, not the
 * load generator's (10,000 connections each side would not fit in one
 * process on this machine). */
#include "bench_blob_server.h"

#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define BATCH_MAX 512 /* as engine/http/writer.c */
#define THREADS 4     /* kaoshi serve's default --threads */
#define MAX_THREADS 64

/* A start waiting for its commit. */
typedef struct start_job {
    struct MHD_Connection *conn;
    size_t candidate;
    int done;
    struct start_job *next;
} start_job;

typedef struct blob_daemon {
    const bench_site *site;
    char db[PATH_MAX + 16];
    size_t *slots; /* open-addressing table of candidate index + 1 by token hash */
    size_t nslots;
    struct MHD_Daemon *daemon;
    pthread_t writer;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    start_job *head, *tail;
    int stopping;
    sqlite3 *wdb;
    pthread_mutex_t readers_lock;
    sqlite3 *readers[MAX_THREADS]; /* one connection per daemon thread */
    pthread_t reader_threads[MAX_THREADS];
    size_t nreaders;
} blob_daemon;

struct bench_blob_server {
    pid_t pid;
};

static uint64_t hash_of(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static void index_tokens(blob_daemon *b)
{
    for (size_t i = 0; i < b->site->n; i++) {
        const char *t = b->site->cand[i].token;
        size_t k = hash_of(t, strlen(t)) % b->nslots;
        while (b->slots[k])
            k = (k + 1) % b->nslots;
        b->slots[k] = i + 1;
    }
}

/* The candidate whose token the Cookie header carries, or SIZE_MAX. */
static size_t candidate_of(blob_daemon *b, struct MHD_Connection *conn)
{
    const char *t = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "ks_session");
    if (!t)
        return SIZE_MAX;
    size_t n = strlen(t);
    for (size_t k = hash_of(t, n) % b->nslots; b->slots[k]; k = (k + 1) % b->nslots) {
        size_t i = b->slots[k] - 1;
        if (strcmp(b->site->cand[i].token, t) == 0)
            return i;
    }
    return SIZE_MAX;
}

static int exec_ok(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

static sqlite3 *open_db(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK || !exec_ok(db, "PRAGMA journal_mode=WAL") ||
        !exec_ok(db, "PRAGMA synchronous=FULL") || sqlite3_busy_timeout(db, 10000) != SQLITE_OK) {
        fprintf(stderr, "bench: blob server: %s\n", db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

/* Commits the batch's UPDATEs in one transaction, then resumes its
 * connections. */
static void commit_batch(blob_daemon *b, start_job *jobs)
{
    sqlite3_stmt *q = NULL;
    exec_ok(b->wdb, "BEGIN IMMEDIATE");
    sqlite3_prepare_v2(b->wdb, "UPDATE blobs SET started = started + 1 WHERE id = ?", -1, &q,
                       NULL);
    for (start_job *j = jobs; j; j = j->next) {
        sqlite3_bind_int64(q, 1, (sqlite3_int64)j->candidate + 1);
        sqlite3_step(q);
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    int ok = exec_ok(b->wdb, "COMMIT");
    for (start_job *j = jobs, *next; j; j = next) {
        next = j->next;
        j->done = ok ? 1 : -1;
        MHD_resume_connection(j->conn);
    }
}

static void *writer_main(void *arg)
{
    blob_daemon *b = arg;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        if (b->head) {
            start_job *first = b->head, *last = first;
            for (int n = 1; last->next && n < BATCH_MAX; n++)
                last = last->next;
            b->head = last->next;
            if (!b->head)
                b->tail = NULL;
            last->next = NULL;
            pthread_mutex_unlock(&b->lock);
            commit_batch(b, first);
            pthread_mutex_lock(&b->lock);
        } else if (b->stopping) {
            break;
        } else {
            pthread_cond_wait(&b->wake, &b->lock);
        }
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* The calling daemon thread's own connection. */
static sqlite3 *reader_db(blob_daemon *b)
{
    pthread_t self = pthread_self();
    pthread_mutex_lock(&b->readers_lock);
    sqlite3 *db = NULL;
    for (size_t i = 0; i < b->nreaders && !db; i++)
        if (pthread_equal(b->reader_threads[i], self))
            db = b->readers[i];
    if (!db && b->nreaders < MAX_THREADS && (db = open_db(b->db))) {
        b->reader_threads[b->nreaders] = self;
        b->readers[b->nreaders++] = db;
    }
    pthread_mutex_unlock(&b->readers_lock);
    return db;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const void *body,
                             size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_blob(blob_daemon *b, struct MHD_Connection *conn,
                                 long long id)
{
    sqlite3 *db = reader_db(b);
    sqlite3_stmt *q = NULL;
    enum MHD_Result ret;
    if (db && sqlite3_prepare_v2(db, "SELECT blob FROM blobs WHERE id = ?", -1, &q, NULL) ==
                  SQLITE_OK &&
        (sqlite3_bind_int64(q, 1, id), sqlite3_step(q) == SQLITE_ROW))
        ret = reply(conn, 200, sqlite3_column_blob(q, 0), (size_t)sqlite3_column_bytes(q, 0));
    else
        ret = reply(conn, 404, "{}", 2);
    sqlite3_finalize(q);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **state)
{
    (void)version;
    (void)upload_data;
    blob_daemon *b = cls;
    if (strcmp(method, "GET") == 0) {
        long long id = 0;
        if (sscanf(url, "/api/attempts/%lld", &id) != 1)
            return reply(conn, 404, "{}", 2);
        return send_blob(b, conn, id);
    }
    start_job *job = *state;
    if (!job) {
        if (!(job = calloc(1, sizeof *job)))
            return MHD_NO;
        job->conn = conn;
        job->candidate = candidate_of(b, conn);
        *state = job;
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0; /* the body ("{}") is not read */
        return MHD_YES;
    }
    if (job->done) {
        char body[64];
        int n = snprintf(body, sizeof body, "{\"attempt\":%zu}", job->candidate + 1);
        return job->done > 0 ? reply(conn, 200, body, (size_t)n) : reply(conn, 503, "{}", 2);
    }
    if (job->candidate == SIZE_MAX)
        return reply(conn, 401, "{}", 2);
    MHD_suspend_connection(conn);
    pthread_mutex_lock(&b->lock);
    job->next = NULL;
    if (b->tail)
        b->tail->next = job;
    else
        b->head = job;
    b->tail = job;
    pthread_cond_signal(&b->wake);
    pthread_mutex_unlock(&b->lock);
    return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)conn;
    (void)code;
    free(*state);
    *state = NULL;
}

/* Creates the blobs table with one row per candidate. */
static int fill(blob_daemon *b, char *const *blobs)
{
    sqlite3 *db = open_db(b->db);
    sqlite3_stmt *q = NULL;
    int ok = db && exec_ok(db, "CREATE TABLE blobs (id INTEGER PRIMARY KEY, "
                               "started INTEGER NOT NULL, blob BLOB NOT NULL)") &&
             exec_ok(db, "BEGIN") &&
             sqlite3_prepare_v2(db, "INSERT INTO blobs VALUES (?, 0, ?)", -1, &q, NULL) ==
                 SQLITE_OK;
    for (size_t i = 0; ok && i < b->site->n; i++) {
        sqlite3_bind_int64(q, 1, (sqlite3_int64)i + 1);
        sqlite3_bind_blob(q, 2, blobs[i], (int)strlen(blobs[i]), SQLITE_STATIC);
        ok = sqlite3_step(q) == SQLITE_DONE;
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    ok = ok && exec_ok(db, "COMMIT");
    sqlite3_close(db);
    return ok ? 0 : -1;
}

static void daemon_stop(blob_daemon *b);

/* Serves in this process; NULL on failure (said on stderr). */
static blob_daemon *daemon_start(const bench_site *s, char *const *blobs, uint16_t *port)
{
    blob_daemon *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->site = s;
    snprintf(b->db, sizeof b->db, "%s/blobs.db", s->dir);
    b->nslots = 2 * s->n + 1;
    pthread_mutex_init(&b->lock, NULL);
    pthread_mutex_init(&b->readers_lock, NULL);
    pthread_cond_init(&b->wake, NULL);
    if (!(b->slots = calloc(b->nslots, sizeof *b->slots)) || fill(b, blobs) != 0 ||
        !(b->wdb = open_db(b->db)) || pthread_create(&b->writer, NULL, writer_main, b) != 0) {
        fprintf(stderr, "bench: blob server: cannot start\n");
        sqlite3_close(b->wdb);
        free(b->slots);
        free(b);
        return NULL;
    }
    index_tokens(b);
    unsigned limit = (unsigned)s->n + 64;
    b->daemon = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME, 0,
                                 NULL, NULL, on_request, b, MHD_OPTION_THREAD_POOL_SIZE,
                                 (unsigned)THREADS, MHD_OPTION_CONNECTION_LIMIT, limit,
                                 MHD_OPTION_PER_IP_CONNECTION_LIMIT, limit,
                                 MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16 * 1024,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, b, MHD_OPTION_END);
    const union MHD_DaemonInfo *info =
        b->daemon ? MHD_get_daemon_info(b->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info) {
        fprintf(stderr, "bench: blob server: cannot listen\n");
        daemon_stop(b);
        return NULL;
    }
    *port = info->port;
    return b;
}

static void daemon_stop(blob_daemon *b)
{
    if (!b)
        return;
    if (b->daemon)
        MHD_stop_daemon(b->daemon);
    pthread_mutex_lock(&b->lock);
    b->stopping = 1;
    pthread_cond_signal(&b->wake);
    pthread_mutex_unlock(&b->lock);
    pthread_join(b->writer, NULL);
    for (size_t i = 0; i < b->nreaders; i++)
        sqlite3_close(b->readers[i]);
    sqlite3_close(b->wdb);
    pthread_cond_destroy(&b->wake);
    pthread_mutex_destroy(&b->lock);
    pthread_mutex_destroy(&b->readers_lock);
    free(b->slots);
    free(b);
}

bench_blob_server *bench_blob_server_start(const bench_site *s, char *const *blobs,
                                           uint16_t *port)
{
    int ready[2];
    bench_blob_server *b = calloc(1, sizeof *b);
    if (!b || pipe(ready) != 0) {
        free(b);
        return NULL;
    }
    b->pid = fork();
    if (b->pid == 0) {
        /* the child serves until SIGTERM, or until the benchmark dies */
        close(ready[0]);
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        sigset_t stop;
        sigemptyset(&stop);
        sigaddset(&stop, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &stop, NULL);
        uint16_t bound = 0;
        blob_daemon *d = daemon_start(s, blobs, &bound);
        (void)!write(ready[1], &bound, sizeof bound);
        close(ready[1]);
        int sig;
        if (d)
            sigwait(&stop, &sig);
        daemon_stop(d);
        _exit(d ? 0 : 1);
    }
    close(ready[1]);
    uint16_t bound = 0;
    ssize_t got;
    while ((got = read(ready[0], &bound, sizeof bound)) < 0 && errno == EINTR)
        ;
    close(ready[0]);
    if (b->pid < 0 || got != sizeof bound || !bound) {
        bench_blob_server_stop(b);
        return NULL;
    }
    *port = bound;
    return b;
}

void bench_blob_server_stop(bench_blob_server *b)
{
    if (!b)
        return;
    if (b->pid > 0) {
        kill(b->pid, SIGTERM);
        while (waitpid(b->pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    free(b);
}

int bench_blob_compare(size_t n, bench_blob_measure measure, void *ud, double *prepare_s)
{
    bench_site s = {.out_fd = -1};
    char **views = calloc(n, sizeof *views);
    bench_blob_server *b = NULL;
    uint16_t port = 0;
    int rc = -1;
    if (views && bench_site_create(&s, n) == 0 && bench_site_prepare(&s, prepare_s, views) == 0 &&
        bench_site_serve(&s, n + 64) == 0) {
        rc = measure(&s, s.port, s.pid, 0, ud);
        if (bench_site_stop(&s) != 0)
            rc = -1;
        if (!rc)
            rc = (b = bench_blob_server_start(&s, views, &port)) ? measure(&s, port, b->pid, 1, ud) : -1;
    }
    bench_blob_server_stop(b);
    bench_site_free(&s);
    for (size_t i = 0; views && i < n; i++)
        free(views[i]);
    free(views);
    return rc;
}
