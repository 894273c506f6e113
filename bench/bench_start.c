/* bench_start: the synchronized start. N enrolled candidates (1,000 and
 * 10,000), logged in beforehand with their pages' connections open, press
 * "start" at the same instant: every POST /api/attempts is written at once,
 * and each page then fetches its form (GET /api/attempts/ID), as the exam
 * page does. Figures: the time from the first start sent until every form
 * has been drawn, stored and served (all replies 200), and the p99 of each
 * candidate's time from pressing start to having the form.
 *
 * Ceiling, measured in the same run on a fresh sitting of the same size: the
 * core doing the same work in one process without HTTP, on two threads (one
 * per core, each with its own database connection and the certification
 * already loaded, as each server worker has): ks_exam_start_with (checks,
 * retake policy, draw, store, audit, commit) then ks_cert_present of every
 * question (what serving the form asks of the core), for each candidate.
 * Two threads because the server also uses both cores; the draws overlap
 * while SQLite serializes the commits. Its p99 is that of the times at which
 * the core had each candidate's form ready, counted from the common start.
 *
 * With forms drawn ahead (ks_exam_prepare before serving, as 'kaoshi sitting
 * prepare' or the server itself does before the window), a start only marks
 * the attempt started and the form's fetch sends the stored view. Ceiling:
 * a bare libmicrohttpd server over SQLite (bench_blob_server.h) answering
 * the same requests with one group-committed UPDATE per start and the
 * candidate's stored view as a blob per fetch.
 *
 * Usage: bench_start [--cases N,N,...]
 * One JSON line per figure on stdout, as bench/run expects. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_blob_server.h"
#include "bench_site.h"
#include "bench_util.h"
#include "kaoshi/exam.h"

#define MAX_CASES 8
#define THREADS 2
#define NS 1000000000LL

typedef struct result {
    double seconds, p99_ms;
    double cpu_s; /* CPU time used: the server's, or the core's (this process) */
} result;

/* ---- over HTTP ---------------------------------------------------------------- */

static int burst(bench_site *s, uint16_t port, result *out);

static int http_case(size_t n, result *out)
{
    bench_site s = {.out_fd = -1};
    int rc = -1;
    if (bench_site_create(&s, n) == 0 && bench_site_serve(&s, n + 64) == 0) {
        double cpu = bench_cpu_of(s.pid);
        rc = burst(&s, s.port, out);
        out->cpu_s = bench_cpu_of(s.pid) - cpu;
        if (bench_site_stop(&s) != 0)
            rc = -1;
    }
    bench_site_free(&s);
    return rc;
}

/* ---- the core alone --------------------------------------------------------------- */

typedef struct core_worker {
    pthread_t thread;
    const bench_site *s;
    pthread_barrier_t *ready;
    size_t first, count;
    int64_t *done_ns; /* per candidate: when its form was ready */
    int failed;
} core_worker;

/* Draws, stores and presents the forms of candidates first..first+count-1. */
static int run_core(core_worker *w, ks_exam *x, ks_cert *cert)
{
    for (size_t i = w->first; i < w->first + w->count; i++) {
        ks_attempt a;
        int resumed;
        ks_error err;
        if (ks_exam_start_with(x, BENCH_SITTING, w->s->cand[i].number, cert, NULL, &a,
                               &resumed, NULL, &err)) {
            fprintf(stderr, "bench_start: core: %s\n", err.message);
            return -1;
        }
        for (size_t slot = 0; slot < a.nslots; slot++) {
            char *view = NULL;
            if (ks_cert_present(cert, a.form, slot, 0, &view, &err)) {
                fprintf(stderr, "bench_start: core: %s\n", err.message);
                ks_attempt_free(&a);
                return -1;
            }
            free(view);
        }
        ks_attempt_free(&a);
        w->done_ns[i] = ks_clock_mono_ns();
    }
    return 0;
}

static void *core_main(void *arg)
{
    core_worker *w = arg;
    ks_store *st = NULL;
    ks_exam x = {.clock = ks_clock_system(), .root = w->s->root, .actor = "bench"};
    ks_sitting sitting = {0};
    ks_fileset *fs = NULL;
    ks_cert *cert = NULL;
    ks_error err;
    if (ks_store_open(w->s->db, &st, &err) ||
        (x.store = st, ks_store_sitting_by_id(st, w->s->sitting_id, &sitting, &err)) ||
        ks_exam_frozen_cert(&x, &sitting, &fs, &cert, &err)) {
        fprintf(stderr, "bench_start: core: %s\n", err.message);
        w->failed = 1;
    }
    pthread_barrier_wait(w->ready); /* everyone starts together, certifications loaded */
    if (!w->failed)
        w->failed = run_core(w, &x, cert) != 0;
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_sitting_free(&sitting);
    ks_store_close(st);
    return NULL;
}

static int core_case(size_t n, result *out)
{
    bench_site s = {.out_fd = -1};
    int64_t *done = calloc(n, sizeof *done);
    core_worker w[THREADS] = {{0}};
    pthread_barrier_t ready;
    int rc = -1;
    if (done && bench_site_create(&s, n) == 0) {
        pthread_barrier_init(&ready, NULL, THREADS + 1);
        size_t started = 0;
        for (size_t t = 0; t < THREADS; t++) {
            w[t] = (core_worker){.s = &s, .ready = &ready, .first = n * t / THREADS,
                                 .count = n * (t + 1) / THREADS - n * t / THREADS,
                                 .done_ns = done};
            if (pthread_create(&w[t].thread, NULL, core_main, &w[t]) == 0)
                started++;
        }
        if (started == THREADS) {
            pthread_barrier_wait(&ready);
            int64_t t0 = ks_clock_mono_ns();
            double cpu = bench_cpu_of(0);
            rc = 0;
            for (size_t t = 0; t < THREADS; t++) {
                pthread_join(w[t].thread, NULL);
                rc |= w[t].failed ? -1 : 0;
            }
            out->cpu_s = bench_cpu_of(0) - cpu;
            bench_samples samples = {0};
            int64_t last = t0;
            for (size_t i = 0; i < n; i++) {
                bench_samples_add(&samples, (double)(done[i] - t0) / 1e6);
                last = done[i] > last ? done[i] : last;
            }
            out->seconds = (double)(last - t0) / NS;
            out->p99_ms = bench_samples_percentile(&samples, 99);
            bench_samples_free(&samples);
        } else {
            fprintf(stderr, "bench_start: cannot start threads\n");
            exit(1); /* threads wait on the barrier forever */
        }
        pthread_barrier_destroy(&ready);
    }
    bench_site_free(&s);
    free(done);
    return rc;
}

/* ---- forms drawn ahead: over HTTP, and the bare blob server ------------------------------- */

/* Starts every candidate over the connections of h (a server on port) and
 * fills out's time and p99; -1 when a candidate failed. */
static int burst(bench_site *s, uint16_t port, result *out)
{
    bench_http *h = bench_http_open(port, s->n);
    int64_t *lat = calloc(s->n, sizeof *lat), span = 0;
    int rc = -1;
    if (h && lat) {
        size_t failed = bench_site_start(s, h, 0, s->n, 1, lat, &span);
        if (failed) {
            fprintf(stderr, "bench_start: %zu of %zu candidates did not get their form\n",
                    failed, s->n);
        } else {
            bench_samples samples = {0};
            for (size_t i = 0; i < s->n; i++)
                bench_samples_add(&samples, (double)lat[i] / 1e6);
            out->seconds = (double)span / NS;
            out->p99_ms = bench_samples_percentile(&samples, 99);
            bench_samples_free(&samples);
            rc = 0;
        }
    }
    bench_http_close(h);
    free(lat);
    return rc;
}

/* The burst on kaoshi serve (with its CPU time) or on the bare server. */
typedef struct prepared_run {
    result *http, *bare;
} prepared_run;

static int prepared_burst(bench_site *s, uint16_t port, pid_t server, int bare, void *ud)
{
    prepared_run *run = ud;
    result *out = bare ? run->bare : run->http;
    double cpu = bench_cpu_of(server);
    int rc = burst(s, port, out);
    out->cpu_s = bench_cpu_of(server) - cpu;
    return rc;
}

/* The synchronized start of n candidates whose forms were drawn ahead, over
 * HTTP, then the same burst against the bare blob server holding each
 * candidate's stored view. */
static int prepared_case(size_t n, result *http, result *bare, double *prepare_s)
{
    prepared_run run = {http, bare};
    return bench_blob_compare(n, prepared_burst, &run, prepare_s);
}

static void print_prepared(size_t n, const result *http, const result *bare, double prepare_s)
{
    fprintf(stderr, "bench_start: %zu candidates with forms drawn ahead (in %.1f s): HTTP %.2f "
            "s (p99 %.0f ms, server CPU %.1f s), bare %.2f s (p99 %.0f ms)\n", n, prepare_s,
            http->seconds, http->p99_ms, http->cpu_s, bare->seconds, bare->p99_ms);
    char name[64];
    snprintf(name, sizeof name, "%zu candidates, forms drawn ahead", n);
    bench_print("start", name, "all forms served", http->seconds, bare->seconds, "lower", "s",
                "bare libmicrohttpd over SQLite, same threads: one group-committed UPDATE per "
                "start, then the candidate's stored view (as a blob) per form fetch");
    bench_print("start", name, "p99 per candidate", http->p99_ms, bare->p99_ms, "lower", "ms",
                "p99 per candidate of the same bare server");
}

/* ---- main ------------------------------------------------------------------------------ */

static int parse_cases(int argc, char **argv, size_t *cases, size_t *n)
{
    cases[0] = 1000;
    cases[1] = 10000;
    *n = 2;
    if (argc == 1)
        return 0;
    if (argc != 3 || strcmp(argv[1], "--cases") != 0)
        return -1;
    *n = 0;
    for (char *p = argv[2]; *p && *n < MAX_CASES; p += *p == ',') {
        cases[(*n)++] = strtoul(p, &p, 10);
        if ((*p && *p != ',') || cases[*n - 1] < 1 || cases[*n - 1] > 100000)
            return -1;
    }
    return *n ? 0 : -1;
}

int main(int argc, char **argv)
{
    size_t cases[MAX_CASES], ncases, most = 0;
    if (parse_cases(argc, argv, cases, &ncases) != 0) {
        fprintf(stderr, "usage: bench_start [--cases N,N,...]\n");
        return 2;
    }
    for (size_t i = 0; i < ncases; i++)
        most = cases[i] > most ? cases[i] : most;
    if (bench_site_raise_nofile(most + 256) != 0)
        return 1;
    for (size_t i = 0; i < ncases; i++) {
        result http = {0}, core = {0}, ahead = {0}, bare = {0};
        double prepare_s = 0;
        if (prepared_case(cases[i], &ahead, &bare, &prepare_s) != 0)
            return 1;
        print_prepared(cases[i], &ahead, &bare, prepare_s);
        if (http_case(cases[i], &http) != 0 || core_case(cases[i], &core) != 0)
            return 1;
        fprintf(stderr, "bench_start: %zu candidates: HTTP %.2f s (p99 %.0f ms, server CPU "
                "%.1f s), core %.2f s (p99 %.0f ms, CPU %.1f s)\n", cases[i], http.seconds,
                http.p99_ms, http.cpu_s, core.seconds, core.p99_ms, core.cpu_s);
        char name[64];
        snprintf(name, sizeof name, "%zu candidates", cases[i]);
        bench_print("start", name, "all forms served", http.seconds, core.seconds, "lower", "s",
                    "the core alone on 2 threads (its own connection and loaded certification "
                    "each): ks_exam_start_with + ks_cert_present of every question, per "
                    "candidate, no HTTP");
        bench_print("start", name, "p99 per candidate", http.p99_ms, core.p99_ms, "lower", "ms",
                    "p99 of the times the core alone had each form ready, from the common "
                    "start");
        bench_print("start", name, "server CPU per candidate", http.cpu_s * 1e3 / cases[i],
                    core.cpu_s * 1e3 / cases[i], "lower", "ms",
                    "CPU time per candidate of the core alone (both threads); less sensitive "
                    "than wall time to other load on the machine");
    }
    return 0;
}
