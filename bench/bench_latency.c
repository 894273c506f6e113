/* bench_latency: latency under a realistic exam-room load, in open loop (as
 * wrk2) and corrected for coordinated omission. N candidates (10,000 and
 * 30,000) have started their attempts, from forms drawn ahead, and keep
 * their pages' connections open. Each saves an answer at exponentially
 * distributed intervals with a mean of 10 s, and loads its questions (GET
 * /api/attempts/ID, the form with its answers) at intervals with a mean of
 * 30 s: 1,000 and 3,000 saves/s offered. A request's latency counts from
 * the time it was due, not from when it left (bench_http_run_open), so a
 * server that stalls is charged for every request it delayed. Figures, over
 * the measured window after a warm-up: p50, p99 and p99.9 of all requests,
 * the p99 of saves alone, and the requests that failed (any reply but 200).
 *
 * Ceiling, in the same run with the same schedule: the bare libmicrohttpd
 * server over SQLite (bench_blob_server.h) holding each candidate's stored
 * view, where a save is one group-committed UPDATE (POST /api/attempts) and
 * a question load sends the stored view.
 *
 * A case needs a descriptor per connection in this process and in the
 * server: one beyond RLIMIT_NOFILE's hard limit (20,000 on the 2-core VMs
 * here, which may not raise it) is skipped with a message.
 *
 * Usage: bench_latency [--seconds S] [--warmup S] [--cases N,N,...]
 * One JSON line per figure on stdout, as bench/run expects. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench_blob_server.h"
#include "bench_site.h"
#include "bench_util.h"
#include "kaoshi/clock.h"

#define MAX_CASES 8
#define NS 1000000000LL
#define SAVE_MEAN_S 10.0
#define VIEW_MEAN_S 30.0

typedef struct options {
    double seconds, warmup;
    size_t cases[MAX_CASES], ncases;
} options;

typedef struct figures {
    double p50_ms, p99_ms, p999_ms, save_p99_ms, per_s;
    double cores; /* the server's CPU time over the run's wall time */
    size_t errors;
} figures;

/* One open-loop run over a site's candidates, against kaoshi serve or the
 * bare server (bare: a save is POST /api/attempts). */
typedef struct load {
    bench_site *s;
    int bare;
    char *view;              /* per candidate: its current request loads the questions */
    int64_t start, from, to; /* the first request's earliest time; the measured window */
    bench_samples all, saves; /* ms */
    size_t errors;
    uint64_t rng;
} load;

/* An exponentially distributed interval with the given mean, in ns. */
static int64_t exponential_ns(uint64_t *rng, double mean_s)
{
    double u = ((double)(bench_random(rng) >> 11) + 0.5) / 9007199254740992.0; /* (0,1) */
    return (int64_t)(-log(u) * mean_s * NS);
}

/* Saves and question loads are two Poisson processes per candidate; their
 * merge is one, whose every event is a load with probability
 * (1/VIEW) / (1/SAVE + 1/VIEW). */
static int64_t load_when(void *ud, size_t i, int64_t last)
{
    load *l = ud;
    double rate = 1 / SAVE_MEAN_S + 1 / VIEW_MEAN_S;
    l->view[i] = (double)(bench_random(&l->rng) % 1000000) / 1e6 < (1 / VIEW_MEAN_S) / rate;
    return (last ? last : l->start) + exponential_ns(&l->rng, 1 / rate);
}

static size_t load_next(void *ud, size_t i, char *buf, size_t cap)
{
    load *l = ud;
    if (l->view[i]) {
        char path[64];
        snprintf(path, sizeof path, "/api/attempts/%lld", (long long)l->s->cand[i].attempt_id);
        return bench_site_request(l->s, i, "GET", path, NULL, buf, cap);
    }
    if (l->bare)
        return bench_site_request(l->s, i, "POST", "/api/attempts", "{}", buf, cap);
    return bench_site_save_request(l->s, i, &l->rng, buf, cap);
}

static void load_done(void *ud, size_t i, const bench_reply *r)
{
    load *l = ud;
    int ok = l->view[i] || l->bare ? r->status == 200 : bench_site_saved(l->s, i, r) == 0;
    if (r->sent_ns < l->from || r->sent_ns >= l->to)
        return;
    if (!ok) {
        if (l->errors++ < 3)
            fprintf(stderr, "bench_latency: HTTP %d %.*s\n", r->status,
                    (int)(r->body_len > 200 ? 200 : r->body_len), r->body ? r->body : "");
        return;
    }
    double ms = (double)(r->done_ns - r->sent_ns) / 1e6;
    bench_samples_add(&l->all, ms);
    if (!l->view[i])
        bench_samples_add(&l->saves, ms);
}

/* Runs the schedule against the server on port, process server (the
 * candidates started there), and fills f; 0 or -1. */
static int run_load(bench_site *s, uint16_t port, pid_t server, int bare, const options *o,
                    figures *f)
{
    bench_http *h = bench_http_open(port, s->n);
    load l = {.s = s, .bare = bare, .view = calloc(s->n, 1),
              .rng = (uint64_t)ks_clock_mono_ns() | 1};
    int rc = -1;
    if (h && l.view && bench_site_start(s, h, 0, s->n, 0, NULL, NULL) == 0 &&
        (bare || bench_site_choice_slots(s) == 0)) {
        l.start = ks_clock_mono_ns();
        l.from = l.start + (int64_t)(o->warmup * NS);
        l.to = l.from + (int64_t)(o->seconds * NS);
        double cpu = bench_cpu_of(server);
        size_t failed = bench_http_run_open(h, load_when, load_next, load_done, &l, l.to);
        f->cores = (bench_cpu_of(server) - cpu) / ((double)(ks_clock_mono_ns() - l.start) / NS);
        f->p50_ms = bench_samples_percentile(&l.all, 50);
        f->p99_ms = bench_samples_percentile(&l.all, 99);
        f->p999_ms = bench_samples_percentile(&l.all, 99.9);
        f->save_p99_ms = bench_samples_percentile(&l.saves, 99);
        f->per_s = (double)l.saves.n / o->seconds;
        f->errors = l.errors + failed;
        rc = 0;
    }
    bench_samples_free(&l.all);
    bench_samples_free(&l.saves);
    free(l.view);
    bench_http_close(h);
    return rc;
}

/* One case's options and figures, on kaoshi serve and on the bare server. */
typedef struct latency_run {
    const options *o;
    figures *http, *bare;
} latency_run;

static int measure_load(bench_site *s, uint16_t port, pid_t server, int bare, void *ud)
{
    latency_run *run = ud;
    return run_load(s, port, server, bare, run->o, bare ? run->bare : run->http);
}

static void print_case(size_t n, const figures *http, const figures *bare)
{
    fprintf(stderr, "bench_latency: %zu candidates, %.0f saves/s: p50 %.1f ms, p99 %.1f ms, "
            "p99.9 %.1f ms, %zu errors, server CPU %.2f cores; bare p50 %.1f, p99 %.1f, "
            "p99.9 %.1f ms, %.2f cores\n", n, http->per_s, http->p50_ms, http->p99_ms,
            http->p999_ms, http->errors, http->cores, bare->p50_ms, bare->p99_ms,
            bare->p999_ms, bare->cores);
    char name[64];
    snprintf(name, sizeof name, "%zu candidates, open loop", n);
    static const char what[] = "the bare libmicrohttpd server over SQLite under the same "
                               "schedule: a save is one group-committed UPDATE, a question "
                               "load the stored view";
    bench_print("latency", name, "p50", http->p50_ms, bare->p50_ms, "lower", "ms", what);
    bench_print("latency", name, "p99", http->p99_ms, bare->p99_ms, "lower", "ms", what);
    bench_print("latency", name, "p99.9", http->p999_ms, bare->p999_ms, "lower", "ms", what);
    bench_print("latency", name, "p99 of saves", http->save_p99_ms, bare->save_p99_ms, "lower",
                "ms", what);
    bench_print("latency", name, "server CPU", http->cores, bare->cores, "lower", "cores",
                "CPU time of the bare server over the same schedule (steadier than latency "
                "when other jobs load the machine: a server short of CPU falls behind)");
    bench_print("latency", name, "errors", (double)http->errors, (double)bare->errors, "lower",
                "requests", "failed requests of the bare server");
}

/* The descriptors this process (and the server it starts) may open. */
static size_t nofile_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 0;
    return rl.rlim_cur == RLIM_INFINITY ? SIZE_MAX : (size_t)rl.rlim_cur;
}

static int parse_options(int argc, char **argv, options *o)
{
    *o = (options){.seconds = 20, .warmup = 5, .cases = {10000, 30000}, .ncases = 2};
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc)
            return -1;
        if (strcmp(argv[i], "--seconds") == 0) {
            o->seconds = atof(argv[i + 1]);
        } else if (strcmp(argv[i], "--warmup") == 0) {
            o->warmup = atof(argv[i + 1]);
        } else if (strcmp(argv[i], "--cases") == 0) {
            o->ncases = 0;
            for (char *p = argv[i + 1]; *p && o->ncases < MAX_CASES; p += *p == ',') {
                o->cases[o->ncases++] = strtoul(p, &p, 10);
                if ((*p && *p != ',') || o->cases[o->ncases - 1] < 1 ||
                    o->cases[o->ncases - 1] > 100000)
                    return -1;
            }
        } else {
            return -1;
        }
    }
    return o->seconds > 0 && o->warmup >= 0 && o->ncases ? 0 : -1;
}

int main(int argc, char **argv)
{
    options o;
    size_t most = 0;
    if (parse_options(argc, argv, &o) != 0) {
        fprintf(stderr, "usage: bench_latency [--seconds S] [--warmup S] [--cases N,N,...]\n");
        return 2;
    }
    for (size_t i = 0; i < o.ncases; i++)
        most = o.cases[i] > most ? o.cases[i] : most;
    bench_site_raise_nofile(most + 256); /* a case that does not fit is skipped */
    for (size_t i = 0; i < o.ncases; i++) {
        figures http = {0}, bare = {0};
        if (o.cases[i] + 256 > nofile_limit()) {
            fprintf(stderr, "bench_latency: %zu candidates skipped: they need %zu open files "
                    "in the client and in the server, this machine allows %zu\n", o.cases[i],
                    o.cases[i] + 256, nofile_limit());
            continue;
        }
        latency_run run = {&o, &http, &bare};
        double prepare_s;
        if (bench_blob_compare(o.cases[i], measure_load, &run, &prepare_s) != 0)
            return 1;
        print_case(o.cases[i], &http, &bare);
    }
    return 0;
}
