/* The site under test of the HTTP benchmarks: a temporary directory with a
 * database holding an opened sitting of a CCOM role and N enrolled
 * candidates, each with a real session, and `kaoshi serve` (the release
 * binary built next to the benchmarks) started on it as a child process on a
 * free loopback port.
 *
 * Candidate 0 is enrolled through the lifecycle (an argon2id-hashed access
 * code) and logs in through POST /api/login. Hashing and checking 10,000
 * codes would take the benchmark's whole time budget, so the others are
 * written to the store as that enrollment and login write them: the same
 * access hash, and a session row holding the BLAKE2b hash of a fresh random
 * token (sent in the ks_session cookie) and a CSRF token (sent in
 * X-CSRF-Token). The server checks them exactly as it checks a login's.
 *
 * Paths: KAOSHI (the binary; default BUILD/kaoshi next to BUILD/bench/) and
 * KAOSHI_ROOT (the project with scripts/ and banks/; default the current
 * directory). Temporary files go under TMPDIR (default /tmp) and are
 * removed by bench_site_free; the server dies with the benchmark. */
#ifndef KAOSHI_BENCH_SITE_H
#define KAOSHI_BENCH_SITE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bench_http.h"

#define BENCH_CERT "CCOM-WFMP"
#define BENCH_SITTING "bench"

typedef struct bench_candidate {
    char number[16];
    int64_t candidate_id;
    char token[48], csrf[48]; /* the session cookie's value and its CSRF token */
    int64_t attempt_id;       /* 0 until started */
    int64_t seq[64];          /* per slot: the last save's seq, sent as "base" */
    /* the slots of its form whose question is a single choice (widget
     * "choice"), and their options: a save of {"choice": 1..n} fits them */
    int choice_slot[64], choice_options[64];
    int nchoice;
    size_t saves;             /* sent so far: the next save's question */
    int saving;               /* the slot of the save in flight */
} bench_candidate;

typedef struct bench_site {
    char *dir;                /* from bench_tempdir */
    char db[PATH_MAX], root[PATH_MAX], kaoshi[PATH_MAX];
    int64_t sitting_id;
    size_t nslots;            /* questions on a form of BENCH_CERT */
    bench_candidate *cand;
    size_t n;
    char code0[16];           /* candidate 0's access code */
    pid_t pid;                /* the server; 0 when it is not running */
    int out_fd;               /* its stdout */
    uint16_t port;
} bench_site;

/* Raises RLIMIT_NOFILE to its hard limit, or to need when the hard limit is
 * lower and the process may raise it (root); the server inherits it. 0, or
 * -1 when fewer than need descriptors are allowed. */
int bench_site_raise_nofile(size_t need);

/* Creates the directory, the database, the sitting (open now, for three
 * hours) and n candidates with their sessions; 0 or -1 (reported on
 * stderr). */
int bench_site_create(bench_site *s, size_t n);

/* Starts kaoshi serve with room for max_conn connections (--max-connections
 * and --per-ip), no forms drawn ahead in the background (--prepare-ahead 0)
 * and an idle timeout of a minute (--timeout 60: in a burst on a loaded
 * 2-core machine a request may wait its turn longer than the default 10 s,
 * and the benchmarks measure throughput, not that limit), waits until it
 * listens and logs candidate 0 in through POST /api/login; 0 or -1. */
int bench_site_serve(bench_site *s, size_t max_conn);

/* SIGTERM, then waits for the server's exit; its exit status (-1 when it
 * failed or was not running), with what it wrote on stderr when not 0. */
int bench_site_stop(bench_site *s);

/* Stops the server if it runs, frees s and removes its directory. */
void bench_site_free(bench_site *s);

/* Writes into buf the request candidate i's exam page would send (browser
 * headers, the session cookie and, for a body, the CSRF token) and returns
 * its length (0 if it does not fit). body may be NULL. */
size_t bench_site_request(const bench_site *s, size_t i, const char *method, const char *path,
                          const char *body, char *buf, size_t cap);

/* Starts the attempts of candidates first..first+count-1 over the
 * connections of h (connection k is candidate first+k), as their pages do
 * when "start" is pressed: POST /api/attempts, then, with fetch_form, GET
 * /api/attempts/ID (the form, presented). Every start is sent at once.
 * latency_ns[k] (may be NULL) gets candidate first+k's time from sending
 * the start to the last reply; *span_ns (may be NULL) the time from the
 * first start sent to the last reply. Returns the number of candidates that
 * did not get all their 200 replies. */
/* Reads each started candidate's form from the database (the server may be
 * running) and fills its choice_slot list; 0, or -1 when a form has none. */
int bench_site_choice_slots(bench_site *s);

size_t bench_site_start(bench_site *s, bench_http *h, size_t first, size_t count,
                        int fetch_form, int64_t *latency_ns, int64_t *span_ns);

/* Draws ahead every candidate's form (ks_exam_prepare, as 'kaoshi sitting
 * prepare' does) before serving, in *seconds, and reads back each one's
 * stored view into views[i] (malloc'd); 0 or -1. */
int bench_site_prepare(bench_site *s, double *seconds, char **views);
/* Writes into buf the save candidate i's page sends next and returns its
 * length (0 if it does not fit): PUT /api/attempts/ID/answers/SLOT, the
 * form's single-choice questions in turn (bench_site_choice_slots), a
 * random option, a fresh idempotency key and the slot's last seq as "base",
 * with the body the page sends ({"response", "key", "base"}). */
size_t bench_site_save_request(bench_site *s, size_t i, uint64_t *rng, char *buf, size_t cap);
/* Takes the reply to candidate i's save: 0 when it was acknowledged (200;
 * its seq becomes the slot's next base), else -1. */
int bench_site_saved(bench_site *s, size_t i, const bench_reply *r);
/* The integer value of "field" in a JSON reply body (a flat search, enough
 * for Kaoshi's small replies), or -1. */
long long bench_reply_int(const bench_reply *r, const char *field);

#endif
