/* Forms drawn ahead while serving: a preparer thread with its own database
 * connection wakes every PREPARE_SWEEP_MS and, for every open sitting whose
 * window opens within cfg->prepare_ahead_ms or is open now, draws ahead the
 * forms of the enrolled candidates who have none (ks_exam_prepare): those
 * enrolled after the sitting was opened, or all of them again after an
 * amendment. A sitting is prepared again only when its version or its count
 * of candidates without a form has changed since (a candidate the retake
 * policy refuses stays without one). Stopping cancels a preparation at its
 * next candidate, so a stop never waits for a whole sitting's forms (those
 * drawn so far are kept). See engine/http/app.h. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "http/app.h"

#define PREPARE_SWEEP_MS 5000

/* What the last preparation of a sitting left: redone when it changes. */
typedef struct prepared_state {
    int64_t sitting_id;
    int version;
    size_t undrawn;
} prepared_state;

struct http_preparer {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_int stopping; /* written under lock, read without it by the sweep */
    int joined;
    int64_t ahead_ms;
    ks_store *store;
    ks_exam exam;
    prepared_state *last;
    size_t nlast;
};

/* The state left by the last preparation of sitting id, or NULL. */
static prepared_state *last_of(http_preparer *p, int64_t id)
{
    for (size_t i = 0; i < p->nlast; i++)
        if (p->last[i].sitting_id == id)
            return &p->last[i];
    return NULL;
}

static void remember(http_preparer *p, const ks_sitting *s, size_t undrawn)
{
    prepared_state *st = last_of(p, s->id);
    if (!st) {
        prepared_state *grown = realloc(p->last, (p->nlast + 1) * sizeof *grown);
        if (!grown)
            return; /* prepared again next time: no harm */
        p->last = grown;
        st = &p->last[p->nlast++];
    }
    *st = (prepared_state){s->id, s->version, undrawn};
}

/* Prepares sitting s when its window is near and something changed. */
static void prepare_sitting(http_preparer *p, const ks_sitting *s, int64_t now)
{
    ks_error err;
    size_t undrawn;
    if (s->state != KS_SITTING_OPEN || now < s->opens_at - p->ahead_ms || now >= s->closes_at)
        return;
    if (ks_store_undrawn_count(p->store, s->id, s->version, &undrawn, &err)) {
        fprintf(stderr, "kaoshi serve: %s\n", err.message);
        return;
    }
    const prepared_state *st = last_of(p, s->id);
    if (undrawn == 0 || (st && st->version == s->version && st->undrawn == undrawn))
        return;
    ks_prepared done;
    if (ks_exam_prepare(&p->exam, s->name, NULL, &done, &err)) {
        fprintf(stderr, "kaoshi serve: sitting %s: drawing forms ahead failed: %s\n", s->name,
                err.message);
        return;
    }
    if (!done.cancelled)
        remember(p, s, undrawn - (done.drawn < undrawn ? done.drawn : undrawn));
    if (done.drawn)
        fprintf(stderr, "kaoshi serve: sitting %s: drew %zu form%s ahead\n", s->name,
                done.drawn, done.drawn == 1 ? "" : "s");
}

static void sweep(http_preparer *p)
{
    ks_sitting *all = NULL;
    size_t n = 0;
    ks_error err;
    if (ks_store_sitting_list(p->store, &all, &n, &err)) {
        fprintf(stderr, "kaoshi serve: %s\n", err.message);
        return;
    }
    int64_t now = ks_clock_now(p->exam.clock);
    for (size_t i = 0; i < n && !atomic_load(&p->stopping); i++)
        prepare_sitting(p, &all[i], now);
    ks_sitting_list_free(all, n);
}

static void *preparer_main(void *arg)
{
    http_preparer *p = arg;
    pthread_mutex_lock(&p->lock);
    while (!p->stopping) {
        pthread_mutex_unlock(&p->lock);
        sweep(p);
        struct timespec next;
        clock_gettime(CLOCK_REALTIME, &next);
        next.tv_sec += PREPARE_SWEEP_MS / 1000;
        pthread_mutex_lock(&p->lock);
        while (!p->stopping && pthread_cond_timedwait(&p->wake, &p->lock, &next) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

ks_status http_preparer_start(const http_config *cfg, http_preparer **out, ks_error *err)
{
    *out = NULL;
    if (cfg->prepare_ahead_ms <= 0)
        return KS_OK;
    http_preparer *p = calloc(1, sizeof *p);
    if (!p)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    ks_status rc = ks_store_open(cfg->db_path, &p->store, err);
    if (rc) {
        free(p);
        return rc;
    }
    p->ahead_ms = cfg->prepare_ahead_ms;
    p->exam = (ks_exam){.store = p->store, .clock = cfg->clock, .root = cfg->root,
                        .actor = "server", .cancel = &p->stopping};
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    if (pthread_create(&p->thread, NULL, preparer_main, p) != 0) {
        p->joined = 1;
        http_preparer_free(p);
        return ks_error_set(err, KS_EINTERNAL, "cannot start the preparer thread");
    }
    *out = p;
    return KS_OK;
}

void http_preparer_stop(http_preparer *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    pthread_cond_signal(&p->wake);
    int joined = p->joined;
    p->joined = 1;
    pthread_mutex_unlock(&p->lock);
    if (!joined)
        pthread_join(p->thread, NULL);
}

void http_preparer_free(http_preparer *p)
{
    if (!p)
        return;
    http_preparer_stop(p);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    ks_store_close(p->store);
    free(p->last);
    free(p);
}
