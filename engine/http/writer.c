/* Group commit: answer saves and planned starts from every worker thread are
 * queued to one writer thread, which takes everything queued (up to
 * BATCH_MAX), saves the answers in one transaction (ks_exam_answer_batch)
 * and commits the starts in another (ks_exam_start_batch), and only then
 * resumes the waiting requests, so each reply follows its commit while
 * thousands of candidates share a handful of fsyncs. When idle it finishes overdue attempts (the
 * automatic submission at the deadline) and deletes expired sessions. See
 * engine/http/app.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "http/app.h"

#define BATCH_MAX 512
#define SWEEP_MS 1000

struct http_writer {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    http_write_job *head, *tail;
    int stopping, joined;
    int failing_saves, failing_starts; /* the last batch of each failed: said once,
                                          and again when they are saved again */
    ks_store *store;
    ks_exam exam;
};

/* Says once when a kind of write (answers, starts) starts failing, and once
 * when it works again, rather than a line per refused request. */
static void report(int *failing, ks_status rc, const ks_error *err, const char *what,
                   const char *one)
{
    if (rc && !*failing)
        fprintf(stderr, "kaoshi serve: %s cannot be saved (every %s is refused with 503 "
                        "until they can): %s\n", what, one, err->message);
    else if (!rc && *failing)
        fprintf(stderr, "kaoshi serve: %s are saved again\n", what);
    *failing = rc != KS_OK;
}

/* Saves the batch's answers in one transaction. */
static void save_batch(http_writer *w, http_write_job *jobs, size_t n)
{
    ks_exam_save *saves = calloc(n, sizeof *saves);
    ks_error err;
    size_t i = 0;
    if (saves) {
        for (http_write_job *j = jobs; j; j = j->next)
            if (!j->start.plan)
                saves[i++] = j->save;
        report(&w->failing_saves, ks_exam_answer_batch(&w->exam, saves, n, &err), &err,
               "answers", "save");
    }
    i = 0;
    for (http_write_job *j = jobs; j; j = j->next) {
        if (j->start.plan)
            continue;
        if (saves) {
            j->save = saves[i++];
        } else {
            j->save.status = KS_EINTERNAL;
            ks_error_set(&j->save.err, KS_EINTERNAL, "out of memory");
        }
    }
    free(saves);
}

/* Commits the batch's planned starts in one transaction. */
static void start_batch(http_writer *w, http_write_job *jobs, size_t n)
{
    ks_exam_start_job **starts = calloc(n, sizeof *starts);
    ks_error err;
    size_t i = 0;
    for (http_write_job *j = jobs; starts && j; j = j->next)
        if (j->start.plan)
            starts[i++] = &j->start;
    if (starts) {
        report(&w->failing_starts, ks_exam_start_batch(&w->exam, starts, n, &err), &err,
               "starts", "start");
    } else {
        for (http_write_job *j = jobs; j; j = j->next)
            if (j->start.plan) /* the job's start stays planned: its request fails it */
                j->start.status = ks_error_set(&j->start.err, KS_EINTERNAL, "out of memory");
    }
    free(starts);
}

static void run_batch(http_writer *w, http_write_job *jobs)
{
    size_t nsaves = 0, nstarts = 0;
    for (http_write_job *j = jobs; j; j = j->next)
        *(j->start.plan ? &nstarts : &nsaves) += 1;
    if (nsaves)
        save_batch(w, jobs, nsaves);
    if (nstarts)
        start_batch(w, jobs, nstarts);
    for (http_write_job *j = jobs, *next; j; j = next) {
        next = j->next; /* j belongs to its request again once resumed */
        MHD_resume_connection(j->conn);
    }
}

static void sweep(http_writer *w)
{
    ks_error err;
    if (ks_exam_finalize_overdue(&w->exam, 0, NULL, &err) ||
        ks_store_sessions_expire(w->store, ks_clock_now(w->exam.clock), &err))
        fprintf(stderr, "kaoshi serve: %s\n", err.message);
}

/* Takes up to BATCH_MAX queued jobs; called with the lock held. */
static http_write_job *take(http_writer *w)
{
    http_write_job *first = w->head, *last = first;
    for (int n = 1; last->next && n < BATCH_MAX; n++)
        last = last->next;
    w->head = last->next;
    if (!w->head)
        w->tail = NULL;
    last->next = NULL;
    return first;
}

static void *writer_main(void *arg)
{
    http_writer *w = arg;
    struct timespec next_sweep;
    clock_gettime(CLOCK_REALTIME, &next_sweep);
    pthread_mutex_lock(&w->lock);
    for (;;) {
        if (w->head) {
            http_write_job *jobs = take(w);
            pthread_mutex_unlock(&w->lock);
            run_batch(w, jobs);
            pthread_mutex_lock(&w->lock);
        } else if (w->stopping) {
            break;
        } else if (pthread_cond_timedwait(&w->wake, &w->lock, &next_sweep) == ETIMEDOUT) {
            pthread_mutex_unlock(&w->lock);
            sweep(w);
            clock_gettime(CLOCK_REALTIME, &next_sweep);
            next_sweep.tv_sec += SWEEP_MS / 1000;
            pthread_mutex_lock(&w->lock);
        }
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

ks_status http_writer_start(const http_config *cfg, http_writer **out, ks_error *err)
{
    http_writer *w = calloc(1, sizeof *w);
    if (!w)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    ks_status rc = ks_store_open(cfg->db_path, &w->store, err);
    if (rc) {
        free(w);
        return rc;
    }
    w->exam = (ks_exam){.store = w->store, .clock = cfg->clock, .root = cfg->root,
                        .actor = "server"};
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        w->joined = 1;
        http_writer_free(w);
        return ks_error_set(err, KS_EINTERNAL, "cannot start the writer thread");
    }
    *out = w;
    return KS_OK;
}

void http_write_job_free(http_write_job *job)
{
    if (!job)
        return;
    free(job->response);
    free(job->key);
    ks_exam_start_job_free(&job->start);
    free(job->sitting);
    free(job->actor);
    free(job);
}

int http_writer_submit(http_writer *w, http_write_job *job)
{
    pthread_mutex_lock(&w->lock);
    int refused = w->stopping;
    if (!refused) {
        job->next = NULL;
        if (w->tail)
            w->tail->next = job;
        else
            w->head = job;
        w->tail = job;
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->lock);
    return refused ? -1 : 0;
}

void http_writer_stop(http_writer *w)
{
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_cond_signal(&w->wake);
    int joined = w->joined;
    w->joined = 1;
    pthread_mutex_unlock(&w->lock);
    if (!joined)
        pthread_join(w->thread, NULL);
}

void http_writer_free(http_writer *w)
{
    if (!w)
        return;
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    ks_store_close(w->store);
    free(w);
}
