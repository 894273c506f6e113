/* bench_memory: the server's memory with 1,000 and 10,000 active attempts.
 *
 * A fresh `kaoshi serve` (bench_site.h) per case: its resident set is read
 * from /proc/PID/status once it listens (idle), then N candidates start over
 * their own connections (POST /api/attempts, then the form, as the exam page
 * does) and save ANSWERS answers each (default 5) with the page's body, and
 * the resident set (VmRSS) and its peak (VmHWM) are read again while the N
 * keep-alive connections are still open, as exam pages keep them.
 *
 * Ceiling: the idle server's resident set plus the bytes of the attempts'
 * data as stored (each form, and the latest answer of each question), read
 * from the database: a server that kept nothing but that data would need
 * that much, so the ratio shows the overhead (per connection, per attempt,
 * caches) on top of it.
 *
 * Usage: bench_memory [--cases N,N,...] [--answers K]
 * One JSON line per figure on stdout, as bench/run expects. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_site.h"
#include "bench_util.h"

#define MAX_CASES 8
#define MIB (1024.0 * 1024.0)

typedef struct saver {
    bench_site *s;
    int *left;     /* per connection: answers still to save */
    int *slot;     /* the slot of the save in flight */
    size_t errors;
} saver;

static size_t save_next(void *ud, size_t i, char *buf, size_t cap)
{
    saver *v = ud;
    if (v->left[i] <= 0)
        return 0;
    bench_candidate *c = &v->s->cand[i];
    /* the form's single-choice questions in turn, each answer of their shape */
    size_t k = (i + (size_t)v->left[i]--) % (size_t)c->nchoice;
    int slot = c->choice_slot[k];
    v->slot[i] = slot;
    char path[96], body[160];
    snprintf(path, sizeof path, "/api/attempts/%lld/answers/%d", (long long)c->attempt_id,
             slot);
    snprintf(body, sizeof body,
             "{\"response\":{\"choice\":%d},\"key\":\"%016zx%016x\",\"base\":%lld}",
             slot % c->choice_options[k] + 1, i, (unsigned)v->left[i], (long long)c->seq[slot]);
    return bench_site_request(v->s, i, "PUT", path, body, buf, cap);
}

static void save_done(void *ud, size_t i, const bench_reply *r)
{
    saver *v = ud;
    if (r->status != 200) {
        if (v->errors++ < 3)
            fprintf(stderr, "bench_memory: HTTP %d %.*s\n", r->status,
                    (int)(r->body_len > 200 ? 200 : r->body_len), r->body ? r->body : "");
        v->left[i] = 0;
        return;
    }
    v->s->cand[i].seq[v->slot[i]] = bench_reply_int(r, "seq");
}

/* Bytes of the sitting's forms and of the latest answer to each question. */
static long long stored_bytes(const bench_site *s)
{
    static const char sql[] =
        "SELECT (SELECT coalesce(sum(length(form)), 0) FROM attempts WHERE sitting_id = ?1)"
        " + (SELECT coalesce(sum(length(a.response)), 0) FROM answers a"
        "    JOIN attempts t ON t.id = a.attempt_id WHERE t.sitting_id = ?1"
        "    AND a.seq = (SELECT max(seq) FROM answers b WHERE b.attempt_id = a.attempt_id"
        "    AND b.slot = a.slot))";
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    long long bytes = -1;
    if (sqlite3_open_v2(s->db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, s->sitting_id);
        if (sqlite3_step(q) == SQLITE_ROW)
            bytes = sqlite3_column_int64(q, 0);
    }
    if (bytes < 0)
        fprintf(stderr, "bench_memory: reading %s: %s\n", s->db, sqlite3_errmsg(db));
    sqlite3_finalize(q);
    sqlite3_close(db);
    return bytes;
}

static int run_case(size_t n, int answers)
{
    bench_site s = {.out_fd = -1};
    bench_http *h = NULL;
    saver v = {&s, calloc(n, sizeof *v.left), calloc(n, sizeof *v.slot), 0};
    int rc = -1;
    if (!v.left || !v.slot || bench_site_create(&s, n) != 0 || bench_site_serve(&s, n + 64) != 0)
        goto done;
    long long idle = bench_rss_of(s.pid);
    if (!(h = bench_http_open(s.port, n)) || bench_site_start(&s, h, 0, n, 1, NULL, NULL) ||
        bench_site_choice_slots(&s) != 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        v.left[i] = answers;
    bench_http_run(h, save_next, save_done, &v, 0);
    long long rss = bench_rss_of(s.pid), peak = bench_peak_of(s.pid);
    long long data = stored_bytes(&s);
    if (v.errors || idle < 0 || rss < 0 || peak < 0 || data < 0)
        goto done;
    fprintf(stderr, "bench_memory: %zu attempts: idle %.1f MiB, now %.1f MiB, peak %.1f MiB, "
            "data %.1f MiB\n", n, idle / MIB, rss / MIB, peak / MIB, data / MIB);
    char name[64], what[256];
    snprintf(name, sizeof name, "%zu active attempts", n);
    snprintf(what, sizeof what, "idle server (%.1f MiB) + the attempts' forms and latest "
             "answers as stored (%.1f MiB); %zu keep-alive connections open, %d answers "
             "saved per attempt", idle / MIB, data / MIB, n, answers);
    bench_print("memory", name, "server RSS", rss / MIB, (idle + data) / MIB, "lower", "MiB",
                what);
    bench_print("memory", name, "server peak RSS", peak / MIB, (idle + data) / MIB, "lower",
                "MiB", what);
    bench_print("memory", name, "RSS per attempt", (rss - idle) / 1024.0 / n,
                data / 1024.0 / n, "lower", "KiB",
                "the attempt's form and latest answers as stored, per attempt");
    rc = 0;
done:
    bench_http_close(h);
    if (s.pid && bench_site_stop(&s) != 0)
        rc = -1;
    bench_site_free(&s);
    free(v.left);
    free(v.slot);
    return rc;
}

int main(int argc, char **argv)
{
    size_t cases[MAX_CASES] = {1000, 10000}, ncases = 2, most = 0;
    int answers = 5, bad = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--answers") == 0 && i + 1 < argc) {
            answers = atoi(argv[++i]);
            bad |= answers < 0 || answers > 1000;
        } else if (strcmp(argv[i], "--cases") == 0 && i + 1 < argc) {
            ncases = 0;
            for (char *p = argv[++i]; *p && ncases < MAX_CASES; p += *p == ',') {
                cases[ncases++] = strtoul(p, &p, 10);
                bad |= (*p && *p != ',') || cases[ncases - 1] < 1 || cases[ncases - 1] > 100000;
            }
            bad |= !ncases;
        } else {
            bad = 1;
        }
    }
    if (bad) {
        fprintf(stderr, "usage: bench_memory [--cases N,N,...] [--answers K]\n");
        return 2;
    }
    for (size_t i = 0; i < ncases; i++)
        most = cases[i] > most ? cases[i] : most;
    if (bench_site_raise_nofile(most + 256) != 0)
        return 1;
    for (size_t i = 0; i < ncases; i++)
        if (run_case(cases[i], answers) != 0)
            return 1;
    return 0;
}
