/* The events hub: long polls for audit entries wait here, their connections
 * suspended, so none holds a libmicrohttpd thread. One thread with its own
 * database connection checks each poll as it arrives (entries it missed are
 * answered at once), then every 250 ms reads the newest audit id and, only
 * when it has moved, the new entries, answering each poll they concern;
 * polls past their wait are answered with none, and a stopping server
 * answers the rest 503. See engine/http/app.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "http/app.h"

#define TICK_MS 250
#define CHUNK 500           /* audit entries read at once, and events in one reply at most */
#define SENT_WITHIN_MS 2000 /* how long a stop waits for its 503 replies to go out */
#define SUPERSEDED_RETRY_MS 2000 /* when a poll answered for a newer one may come again */

typedef struct waiter {
    http_req *r;
    int64_t sitting_id, attempt_id;
    int64_t after;  /* the entries up to this id are accounted for */
    int64_t until;  /* the end of the wait, on the monotonic clock (ms) */
    http_event_fn event;
    json_t *events; /* found so far, or NULL */
    struct waiter *next;
} waiter;

struct http_events {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* a poll arrived, or the hub is stopping */
    pthread_cond_t sent; /* a reply of the stop went out */
    /* under the lock */
    waiter *arrived;     /* not checked yet */
    size_t count, max;   /* polls arrived or waiting, and the most allowed */
    size_t unsent;       /* replies of the stop not sent yet */
    int stopping, joined;
    /* the thread's own */
    waiter *waiting;     /* checked: nothing for them yet */
    int64_t newest;      /* the audit entries up to this id have been read */
    int failing;         /* the store could not be read: said once */
    int64_t wait_ms;
    ks_store *store;
};

static int64_t monotonic_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static struct timespec monotonic_in(int64_t ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000;
    if (t.tv_nsec >= 1000000000) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000;
    }
    return t;
}

/* An operator sees when the events cannot be read, and when they can again,
 * once each. */
static void report(http_events *ev, const ks_error *err)
{
    if (err && !ev->failing)
        fprintf(stderr, "kaoshi serve: events cannot be read (long polls wait): %s\n",
                err->message);
    else if (!err && ev->failing)
        fprintf(stderr, "kaoshi serve: events are read again\n");
    ev->failing = err != NULL;
}

/* Hands w's request back with its reply built and forgets w. */
static void resume(http_events *ev, waiter *w)
{
    http_req *r = w->r;
    json_decref(w->events);
    free(w);
    pthread_mutex_lock(&ev->lock);
    ev->count--;
    pthread_mutex_unlock(&ev->lock);
    MHD_resume_connection(r->conn);
}

static void answer(http_events *ev, waiter *w, int64_t cursor)
{
    http_reply(w->r, 200, json_pack("{sI so}", "cursor", (json_int_t)cursor, "events",
                                    w->events ? json_incref(w->events) : json_array()));
    resume(ev, w);
}

/* A candidate's page polls once at a time: a newer poll of the same attempt
 * (a reload, a second tab, or a client that does not wait) answers the
 * older one at once, with no events and a retry_ms, so that one candidate
 * never holds more than one waiting connection, nor two tabs a busy loop. */
static void supersede(http_events *ev, const waiter *newer)
{
    for (waiter **p = &ev->waiting; newer->attempt_id && *p;) {
        waiter *w = *p;
        if (w->attempt_id != newer->attempt_id) {
            p = &w->next;
            continue;
        }
        *p = w->next;
        http_reply(w->r, 200, json_pack("{sI s[] si}", "cursor", (json_int_t)w->after, "events",
                                        "retry_ms", SUPERSEDED_RETRY_MS));
        resume(ev, w);
    }
}

/* Adds to w's events those of rows (oldest first) it is shown. */
static void collect(waiter *w, const ks_audit_entry *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (rows[i].sitting_id != w->sitting_id || rows[i].id <= w->after)
            continue;
        json_t *e = w->event(&rows[i], w->attempt_id);
        if (!e)
            continue;
        if (!w->events)
            w->events = json_array();
        json_array_append_new(w->events, e);
    }
}

/* A poll as it arrives: answered at once when entries after its id are for
 * it, else waiting (in place of an older poll of the same attempt). What
 * this read misses has an id above ev->newest, which the next tick reads. */
static void check(http_events *ev, waiter *w)
{
    for (;;) {
        ks_audit_entry *rows = NULL;
        size_t n = 0;
        ks_error err;
        if (ks_store_audit_after(ev->store, w->sitting_id, w->attempt_id, w->after, CHUNK, &rows,
                                 &n, &err)) {
            http_fail_error(w->r, &err);
            resume(ev, w);
            return;
        }
        collect(w, rows, n);
        int64_t last = n ? rows[n - 1].id : w->after;
        ks_audit_entry_list_free(rows, n);
        if (n == CHUNK) { /* there may be more */
            w->after = last;
            if (w->events) {
                answer(ev, w, last);
                return;
            }
            continue;
        }
        /* every entry to now is accounted for */
        w->after = last > ev->newest ? last : ev->newest;
        if (w->events) {
            answer(ev, w, w->after);
        } else {
            supersede(ev, w);
            w->next = ev->waiting;
            ev->waiting = w;
        }
        return;
    }
}

/* Answers the waiting polls that have events, each with cursor. */
static void answer_found(http_events *ev, int64_t cursor)
{
    for (waiter **p = &ev->waiting; *p;) {
        waiter *w = *p;
        if (w->events) {
            *p = w->next;
            answer(ev, w, cursor);
        } else {
            p = &w->next;
        }
    }
}

/* Reads the entries written since the last tick, if any, and answers the
 * polls they concern. */
static void tick(http_events *ev)
{
    int64_t newest;
    ks_error err;
    if (ks_store_audit_newest(ev->store, &newest, &err)) {
        report(ev, &err);
        return;
    }
    if (!ev->waiting && newest > ev->newest)
        ev->newest = newest; /* no one to tell */
    while (ev->newest < newest) {
        ks_audit_entry *rows = NULL;
        size_t n = 0;
        if (ks_store_audit_after(ev->store, 0, 0, ev->newest, CHUNK, &rows, &n, &err)) {
            report(ev, &err);
            return;
        }
        for (waiter *w = ev->waiting; w; w = w->next)
            collect(w, rows, n);
        ev->newest = n ? rows[n - 1].id : newest;
        ks_audit_entry_list_free(rows, n);
        answer_found(ev, ev->newest);
    }
    report(ev, NULL);
}

/* Answers the polls whose wait is over with no events. */
static void expire(http_events *ev)
{
    int64_t now = monotonic_ms();
    for (waiter **p = &ev->waiting; *p;) {
        waiter *w = *p;
        if (w->until <= now) {
            *p = w->next;
            answer(ev, w, w->after > ev->newest ? w->after : ev->newest);
        } else {
            p = &w->next;
        }
    }
}

static void refuse(http_events *ev, waiter *w)
{
    http_fail(w->r, 503, "unavailable", "服务器正在停止，请稍后重试");
    w->r->stop_reply = 1;
    pthread_mutex_lock(&ev->lock);
    ev->unsent++;
    pthread_mutex_unlock(&ev->lock);
    resume(ev, w);
}

static void refuse_all(http_events *ev, waiter *list)
{
    for (waiter *w = list, *next; w; w = next) {
        next = w->next;
        refuse(ev, w);
    }
}

static void *events_main(void *arg)
{
    http_events *ev = arg;
    pthread_mutex_lock(&ev->lock);
    while (!ev->stopping) {
        waiter *arrived = ev->arrived;
        ev->arrived = NULL;
        pthread_mutex_unlock(&ev->lock);
        for (waiter *w = arrived, *next; w; w = next) {
            next = w->next;
            check(ev, w);
        }
        tick(ev);
        expire(ev);
        pthread_mutex_lock(&ev->lock);
        if (!ev->arrived && !ev->stopping) {
            struct timespec at = monotonic_in(TICK_MS);
            pthread_cond_timedwait(&ev->wake, &ev->lock, &at);
        }
    }
    waiter *arrived = ev->arrived;
    ev->arrived = NULL;
    pthread_mutex_unlock(&ev->lock);
    refuse_all(ev, arrived);
    refuse_all(ev, ev->waiting);
    ev->waiting = NULL;
    return NULL;
}

ks_status http_events_start(const http_config *cfg, http_events **out, ks_error *err)
{
    http_events *ev = calloc(1, sizeof *ev);
    if (!ev)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    pthread_mutex_init(&ev->lock, NULL);
    pthread_condattr_t monotonic;
    pthread_condattr_init(&monotonic);
    pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
    pthread_cond_init(&ev->wake, &monotonic);
    pthread_cond_init(&ev->sent, &monotonic);
    pthread_condattr_destroy(&monotonic);
    ev->joined = 1; /* no thread yet */
    ev->max = cfg->events_waiters;
    ev->wait_ms = (int64_t)cfg->events_wait_s * 1000;
    ks_status rc = ks_store_open(cfg->db_path, &ev->store, err);
    if (!rc)
        rc = ks_store_audit_newest(ev->store, &ev->newest, err);
    if (!rc && pthread_create(&ev->thread, NULL, events_main, ev) != 0)
        rc = ks_error_set(err, KS_EINTERNAL, "cannot start the events thread");
    if (rc) {
        http_events_free(ev);
        return rc;
    }
    ev->joined = 0;
    *out = ev;
    return KS_OK;
}

http_wait http_events_wait(http_events *ev, http_req *r, int64_t sitting_id, int64_t attempt_id,
                           int64_t after, http_event_fn event, void (*done)(http_req *r))
{
    waiter *w = malloc(sizeof *w);
    if (!w)
        return HTTP_WAITERS_FULL;
    *w = (waiter){.r = r, .sitting_id = sitting_id, .attempt_id = attempt_id, .after = after,
                  .until = monotonic_ms() + ev->wait_ms, .event = event};
    pthread_mutex_lock(&ev->lock);
    http_wait result = ev->stopping ? HTTP_EVENTS_STOPPING
                       : ev->count >= ev->max ? HTTP_WAITERS_FULL
                                              : HTTP_WAITING;
    if (result == HTTP_WAITING) {
        /* suspended before the thread can see it (the thread never holds
         * the lock while it resumes a connection) */
        r->resumed = done;
        MHD_suspend_connection(r->conn);
        w->next = ev->arrived;
        ev->arrived = w;
        ev->count++;
        pthread_cond_signal(&ev->wake);
    }
    pthread_mutex_unlock(&ev->lock);
    if (result != HTTP_WAITING)
        free(w);
    return result;
}

void http_events_stop(http_events *ev)
{
    pthread_mutex_lock(&ev->lock);
    ev->stopping = 1;
    pthread_cond_signal(&ev->wake);
    int joined = ev->joined;
    ev->joined = 1;
    pthread_mutex_unlock(&ev->lock);
    if (joined)
        return;
    pthread_join(ev->thread, NULL);
    /* the replies go out before the daemon stops, which closes every
     * connection whatever it still has to send */
    struct timespec until = monotonic_in(SENT_WITHIN_MS);
    pthread_mutex_lock(&ev->lock);
    while (ev->unsent && pthread_cond_timedwait(&ev->sent, &ev->lock, &until) != ETIMEDOUT)
        ;
    pthread_mutex_unlock(&ev->lock);
}

void http_events_sent(http_events *ev)
{
    pthread_mutex_lock(&ev->lock);
    ev->unsent--;
    pthread_cond_signal(&ev->sent);
    pthread_mutex_unlock(&ev->lock);
}

void http_events_free(http_events *ev)
{
    if (!ev)
        return;
    http_events_stop(ev);
    ks_store_close(ev->store);
    pthread_cond_destroy(&ev->sent);
    pthread_cond_destroy(&ev->wake);
    pthread_mutex_destroy(&ev->lock);
    free(ev);
}
