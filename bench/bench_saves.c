/* bench_saves: durable answer saves through Kaoshi's HTTP API at 100, 2,000
 * and 10,000 concurrent keep-alive connections.
 *
 * A real `kaoshi serve` (bench_site.h) holds a sitting of a CCOM role whose
 * candidates have logged in and started their attempts over HTTP. Each
 * connection is one candidate's exam page saving answers one after another,
 * with the body the page sends ({"response", "key", "base"}), for a warm-up
 * and then a measured time: saves/s and the p50/p99 time from sending a
 * save to its acknowledgement (sent only after its commit).
 *
 * Ceiling, measured in the same run on the same database once the server has
 * stopped: the bare storage work of the same saves, i.e. the same INSERT into
 * the same answers table with the same durability (WAL, synchronous=FULL),
 * in group commit as the server does it (one writer thread committing up to
 * 512 queued saves per transaction, then acknowledging them), fed by two
 * producer threads (one per core) that keep as many clients as there were
 * connections each with one save in flight. No HTTP, no JSON, no checks.
 *
 * Usage: bench_saves [--seconds S] [--warmup S] [--cases N,N,...]
 * One JSON line per figure on stdout, as bench/run expects. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_site.h"
#include "bench_util.h"
#include "kaoshi/clock.h"

#define BATCH_MAX 512 /* as engine/http/writer.c */
#define PRODUCERS 2
#define MAX_CASES 8
#define NS 1000000000LL

typedef struct options {
    double seconds, warmup;
    size_t cases[MAX_CASES], ncases;
} options;

/* The figures of one case, from HTTP or from the bare program. */
typedef struct figures {
    double per_s, p50_ms, p99_ms;
    double cpu_us; /* CPU time per save: the server's, or the bare program's */
    size_t errors;
} figures;

/* ---- over HTTP ------------------------------------------------------------- */

typedef struct saver {
    bench_site *s;
    int64_t from, to;        /* the measured window */
    bench_samples lat;       /* ms */
    size_t acked, errors;
    uint64_t rng;
} saver;

static size_t save_next(void *ud, size_t i, char *buf, size_t cap)
{
    saver *v = ud;
    return bench_site_save_request(v->s, i, &v->rng, buf, cap);
}

static void save_done(void *ud, size_t i, const bench_reply *r)
{
    saver *v = ud;
    if (bench_site_saved(v->s, i, r) != 0) {
        if (v->errors++ < 3)
            fprintf(stderr, "bench_saves: HTTP %d %.*s\n", r->status,
                    (int)(r->body_len > 200 ? 200 : r->body_len), r->body ? r->body : "");
        return;
    }
    v->acked++;
    if (r->done_ns >= v->from && r->done_ns < v->to)
        bench_samples_add(&v->lat, (double)(r->done_ns - r->sent_ns) / 1e6);
}

static int http_case(bench_site *s, size_t conns, const options *o, figures *f)
{
    bench_http *h = bench_http_open(s->port, conns);
    saver v = {s, 0, 0, {0}, 0, 0, (uint64_t)ks_clock_mono_ns() | 1};
    int rc = -1;
    if (h) {
        int64_t now = ks_clock_mono_ns();
        v.from = now + (int64_t)(o->warmup * NS);
        v.to = v.from + (int64_t)(o->seconds * NS);
        double cpu = bench_cpu_of(s->pid);
        size_t failed = bench_http_run(h, save_next, save_done, &v, v.to);
        f->cpu_us = (bench_cpu_of(s->pid) - cpu) / (double)(v.acked ? v.acked : 1) * 1e6;
        f->per_s = (double)v.lat.n / o->seconds;
        f->p50_ms = bench_samples_percentile(&v.lat, 50);
        f->p99_ms = bench_samples_percentile(&v.lat, 99);
        f->errors = v.errors + failed;
        rc = 0;
    }
    bench_samples_free(&v.lat);
    bench_http_close(h);
    return rc;
}

/* ---- the bare ceiling ----------------------------------------------------------- */

typedef struct bare_job {
    int64_t attempt_id;
    int slot;
    char response[32], key[33];
    int64_t sent_ns, done_ns;
    struct producer *owner;
    struct bare_job *next;
} bare_job;

typedef struct producer {
    pthread_t thread;
    struct bare_run *b;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bare_job *done;          /* acknowledged, not yet seen */
    bare_job *jobs;          /* one per client */
    size_t first, count;     /* its clients: candidates first.. */
    size_t *answered;
    bench_samples lat;       /* ms */
    size_t acked;
    uint64_t rng;
} producer;

typedef struct bare_run {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bare_job *head, *tail;
    int stopping, failed;
    sqlite3 *db;
    sqlite3_stmt *insert;
    const bench_site *s;
    int64_t from, to;
    producer prod[PRODUCERS];
} bare_run;

static void submit(bare_run *b, bare_job *first, bare_job *last)
{
    pthread_mutex_lock(&b->lock);
    last->next = NULL;
    if (b->tail)
        b->tail->next = first;
    else
        b->head = first;
    b->tail = last;
    pthread_cond_signal(&b->wake);
    pthread_mutex_unlock(&b->lock);
}

static int exec_ok(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* One batch in one transaction, as engine/http/writer.c commits them. */
static void commit_batch(bare_run *b, bare_job *jobs)
{
    int ok = exec_ok(b->db, "BEGIN IMMEDIATE");
    int64_t saved_at = ks_clock_now(ks_clock_system());
    for (bare_job *j = jobs; ok && j; j = j->next) {
        sqlite3_reset(b->insert);
        sqlite3_bind_int64(b->insert, 1, j->attempt_id);
        sqlite3_bind_int(b->insert, 2, j->slot);
        sqlite3_bind_text(b->insert, 3, j->response, -1, SQLITE_STATIC);
        sqlite3_bind_int64(b->insert, 4, saved_at);
        sqlite3_bind_text(b->insert, 5, j->key, -1, SQLITE_STATIC);
        ok = sqlite3_step(b->insert) == SQLITE_DONE;
    }
    ok = ok && exec_ok(b->db, "COMMIT");
    if (!ok) {
        fprintf(stderr, "bench_saves: bare commit: %s\n", sqlite3_errmsg(b->db));
        exec_ok(b->db, "ROLLBACK");
        b->failed = 1;
    }
    int64_t now = ks_clock_mono_ns();
    for (bare_job *j = jobs, *next; j; j = next) {
        next = j->next;
        j->done_ns = now;
        producer *p = j->owner;
        pthread_mutex_lock(&p->lock);
        j->next = p->done;
        p->done = j;
        pthread_cond_signal(&p->wake);
        pthread_mutex_unlock(&p->lock);
    }
}

static void *writer_main(void *arg)
{
    bare_run *b = arg;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        while (!b->head && !b->stopping)
            pthread_cond_wait(&b->wake, &b->lock);
        if (!b->head)
            break;
        bare_job *first = b->head, *last = first;
        for (int n = 1; last->next && n < BATCH_MAX; n++)
            last = last->next;
        b->head = last->next;
        if (!b->head)
            b->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&b->lock);
        commit_batch(b, first);
        pthread_mutex_lock(&b->lock);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* Fills client k's job with its next save. */
static void refill(producer *p, size_t k)
{
    bare_job *j = &p->jobs[k];
    const bench_candidate *c = &p->b->s->cand[p->first + k];
    j->attempt_id = c->attempt_id;
    j->slot = (int)((p->answered[k]++ + p->first + k) % p->b->s->nslots);
    snprintf(j->response, sizeof j->response, "{\"choice\":%d}",
             (int)(bench_random(&p->rng) % 4) + 1);
    bench_random_key(&p->rng, j->key);
    j->sent_ns = ks_clock_mono_ns();
}

static void *producer_main(void *arg)
{
    producer *p = arg;
    bare_run *b = p->b;
    for (size_t k = 0; k < p->count; k++) {
        refill(p, k);
        p->jobs[k].owner = p;
        p->jobs[k].next = k + 1 < p->count ? &p->jobs[k + 1] : NULL;
    }
    size_t outstanding = p->count;
    if (p->count)
        submit(b, &p->jobs[0], &p->jobs[p->count - 1]);
    while (outstanding) {
        pthread_mutex_lock(&p->lock);
        while (!p->done)
            pthread_cond_wait(&p->wake, &p->lock);
        bare_job *done = p->done;
        p->done = NULL;
        pthread_mutex_unlock(&p->lock);
        int64_t now = ks_clock_mono_ns();
        bare_job *first = NULL, *last = NULL;
        for (bare_job *j = done, *next; j; j = next) {
            next = j->next;
            outstanding--;
            p->acked++;
            if (j->done_ns >= b->from && j->done_ns < b->to)
                bench_samples_add(&p->lat, (double)(j->done_ns - j->sent_ns) / 1e6);
            if (now >= b->to || b->failed)
                continue;
            refill(p, (size_t)(j - p->jobs));
            j->next = NULL;
            if (last)
                last->next = j;
            else
                first = j;
            last = j;
            outstanding++;
        }
        if (first)
            submit(b, first, last);
    }
    return NULL;
}

static int bare_open(bare_run *b, const char *path)
{
    static const char insert[] =
        "INSERT INTO answers (attempt_id, slot, response, saved_at, client_key)"
        " VALUES (?, ?, ?, ?, ?)"; /* engine/store.c, Q_ANSWER_INSERT */
    if (sqlite3_open_v2(path, &b->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) ||
        !exec_ok(b->db, "PRAGMA journal_mode = WAL") ||
        !exec_ok(b->db, "PRAGMA synchronous = FULL") ||
        !exec_ok(b->db, "PRAGMA foreign_keys = ON") ||
        sqlite3_prepare_v2(b->db, insert, -1, &b->insert, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_saves: %s: %s\n", path, sqlite3_errmsg(b->db));
        return -1;
    }
    return 0;
}

static int bare_case(const bench_site *s, size_t clients, const options *o, figures *f)
{
    bare_run b = {.s = s};
    pthread_mutex_init(&b.lock, NULL);
    pthread_cond_init(&b.wake, NULL);
    int rc = bare_open(&b, s->db);
    pthread_t writer;
    int64_t now = ks_clock_mono_ns();
    b.from = now + (int64_t)(o->warmup * NS);
    b.to = b.from + (int64_t)(o->seconds * NS);
    size_t started = 0, acked = 0;
    double cpu = bench_cpu_of(0);
    if (!rc && pthread_create(&writer, NULL, writer_main, &b) != 0)
        rc = -1;
    for (size_t i = 0; !rc && i < PRODUCERS; i++) {
        producer *p = &b.prod[i];
        p->b = &b;
        p->first = clients * i / PRODUCERS;
        p->count = clients * (i + 1) / PRODUCERS - p->first;
        p->rng = (uint64_t)now * 0x2545f4914f6cdd1dULL + i + 1; /* fresh keys every case */
        p->jobs = calloc(p->count + 1, sizeof *p->jobs);
        p->answered = calloc(p->count + 1, sizeof *p->answered);
        pthread_mutex_init(&p->lock, NULL);
        pthread_cond_init(&p->wake, NULL);
        if (!p->jobs || !p->answered || pthread_create(&p->thread, NULL, producer_main, p))
            rc = -1;
        else
            started++;
    }
    bench_samples all = {0};
    for (size_t i = 0; i < started; i++) {
        pthread_join(b.prod[i].thread, NULL);
        bench_samples_merge(&all, &b.prod[i].lat);
        acked += b.prod[i].acked;
    }
    if (started || !rc) {
        pthread_mutex_lock(&b.lock);
        b.stopping = 1;
        pthread_cond_signal(&b.wake);
        pthread_mutex_unlock(&b.lock);
        if (!rc || started)
            pthread_join(writer, NULL);
    }
    f->cpu_us = (bench_cpu_of(0) - cpu) / (double)(acked ? acked : 1) * 1e6;
    f->per_s = (double)all.n / o->seconds;
    f->p50_ms = bench_samples_percentile(&all, 50);
    f->p99_ms = bench_samples_percentile(&all, 99);
    f->errors = (size_t)b.failed;
    for (size_t i = 0; i < PRODUCERS; i++) {
        free(b.prod[i].jobs);
        free(b.prod[i].answered);
        bench_samples_free(&b.prod[i].lat);
        if (b.prod[i].b) {
            pthread_mutex_destroy(&b.prod[i].lock);
            pthread_cond_destroy(&b.prod[i].wake);
        }
    }
    bench_samples_free(&all);
    sqlite3_finalize(b.insert);
    sqlite3_close(b.db);
    pthread_cond_destroy(&b.wake);
    pthread_mutex_destroy(&b.lock);
    return rc || b.failed ? -1 : 0;
}

/* ---- main -------------------------------------------------------------------------- */

static int parse_options(int argc, char **argv, options *o)
{
    *o = (options){.seconds = 2, .warmup = 1, .cases = {100, 2000, 10000}, .ncases = 3};
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--seconds") == 0 && v) {
            o->seconds = atof(v);
        } else if (strcmp(argv[i], "--warmup") == 0 && v) {
            o->warmup = atof(v);
        } else if (strcmp(argv[i], "--cases") == 0 && v) {
            o->ncases = 0;
            for (char *p = (char *)v; *p && o->ncases < MAX_CASES; p += *p == ',') {
                o->cases[o->ncases++] = strtoul(p, &p, 10);
                if (*p && *p != ',')
                    return -1;
            }
        } else {
            return -1;
        }
        i++;
    }
    if (o->seconds <= 0 || o->warmup < 0 || !o->ncases)
        return -1;
    for (size_t i = 0; i < o->ncases; i++)
        if (o->cases[i] < 1 || o->cases[i] > 100000)
            return -1;
    return 0;
}

static void print_case(size_t conns, const figures *http, const figures *bare)
{
    char name[64];
    snprintf(name, sizeof name, "%zu connections", conns);
    bench_print("saves", name, "saves/s", http->per_s, bare->per_s, "higher", "saves/s",
                "bare C group commit of the same INSERTs into the same schema (WAL, "
                "synchronous=FULL, one writer, batches of up to 512), same number of clients");
    bench_print("saves", name, "p50 latency", http->p50_ms, bare->p50_ms, "lower", "ms",
                "p50 of the bare C group commit with as many clients");
    bench_print("saves", name, "p99 latency", http->p99_ms, bare->p99_ms, "lower", "ms",
                "p99 of the bare C group commit with as many clients");
    bench_print("saves", name, "server CPU per save", http->cpu_us, bare->cpu_us, "lower",
                "µs", "CPU time per save of the whole bare C program (writer and producers); "
                "less sensitive than saves/s to other load on the machine");
}

int main(int argc, char **argv)
{
    options o;
    if (parse_options(argc, argv, &o) != 0) {
        fprintf(stderr, "usage: bench_saves [--seconds S] [--warmup S] [--cases N,N,...]\n");
        return 2;
    }
    size_t most = 0;
    for (size_t i = 0; i < o.ncases; i++)
        most = o.cases[i] > most ? o.cases[i] : most;
    bench_site s;
    if (bench_site_raise_nofile(most + 256) != 0 || bench_site_create(&s, most) != 0 ||
        bench_site_serve(&s, most + 64) != 0) {
        bench_site_free(&s);
        return 1;
    }
    figures http[MAX_CASES] = {{0}}, bare[MAX_CASES] = {{0}};
    int rc = 0;
    int64_t t = ks_clock_mono_ns();
    bench_http *h = bench_http_open(s.port, most);
    size_t failed = h ? bench_site_start(&s, h, 0, most, 0, NULL, NULL) : most;
    /* a start whose connection the loaded server dropped: asked again, it
     * starts (or, when it had started, resumes) the attempt */
    for (int again = 0; h && failed && again < 3; again++)
        failed = bench_site_start(&s, h, 0, most, 0, NULL, NULL);
    bench_http_close(h);
    if (!failed && bench_site_choice_slots(&s) != 0)
        failed = most;
    fprintf(stderr, "bench_saves: %zu attempts started over HTTP in %.1f s\n", most - failed,
            (double)(ks_clock_mono_ns() - t) / NS);
    if (failed)
        rc = 1;
    for (size_t i = 0; !rc && i < o.ncases; i++) {
        rc = http_case(&s, o.cases[i], &o, &http[i]);
        fprintf(stderr, "bench_saves: HTTP, %zu connections: %.0f saves/s, p50 %.2f ms, "
                "p99 %.2f ms, %.0f us of server CPU per save, %zu errors\n", o.cases[i],
                http[i].per_s, http[i].p50_ms, http[i].p99_ms, http[i].cpu_us, http[i].errors);
    }
    if (bench_site_stop(&s) != 0)
        rc = 1;
    for (size_t i = 0; !rc && i < o.ncases; i++) {
        rc = bare_case(&s, o.cases[i], &o, &bare[i]);
        fprintf(stderr, "bench_saves: bare, %zu clients: %.0f saves/s, p50 %.2f ms, "
                "p99 %.2f ms, %.0f us of CPU per save\n", o.cases[i], bare[i].per_s,
                bare[i].p50_ms, bare[i].p99_ms, bare[i].cpu_us);
    }
    for (size_t i = 0; !rc && i < o.ncases; i++)
        print_case(o.cases[i], &http[i], &bare[i]);
    bench_site_free(&s);
    return rc ? 1 : 0;
}
