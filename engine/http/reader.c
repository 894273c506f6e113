/* The reader thread: requests that read for long (the analytics report)
 * are queued here by their handlers, with their connections suspended, and
 * run one at a time with the reader's own worker context (a pool of one:
 * its own database connection and certifications), so no libmicrohttpd
 * thread, and none of the connections it serves, waits for them. SQLite's
 * WAL lets these reads run beside the group-commit writer without blocking
 * it. See engine/http/app.h. */
#include <stdlib.h>

#include "http/app.h"

struct http_reader {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    http_req *head, *tail;
    int stopping, joined;
    http_pool pool;
};

/* A read's reply is built before its connection resumes. */
static void read_done(http_req *r) { (void)r; }

static void refuse(http_req *r)
{
    http_fail(r, 503, "unavailable", "服务器正在停止，请稍后重试");
    MHD_resume_connection(r->conn);
}

static void run(http_reader *rd, http_req *r)
{
    http_ctx *c = http_pool_acquire(&rd->pool);
    r->read(r, c);
    http_pool_release(&rd->pool, c);
    MHD_resume_connection(r->conn);
}

/* Takes the first queued request; called with the lock held. */
static http_req *take(http_reader *rd)
{
    http_req *r = rd->head;
    rd->head = r->next_read;
    if (!rd->head)
        rd->tail = NULL;
    r->next_read = NULL;
    return r;
}

static void *reader_main(void *arg)
{
    http_reader *rd = arg;
    pthread_mutex_lock(&rd->lock);
    for (;;) {
        if (rd->head) {
            http_req *r = take(rd);
            int stopping = rd->stopping;
            pthread_mutex_unlock(&rd->lock);
            if (stopping)
                refuse(r);
            else
                run(rd, r);
            pthread_mutex_lock(&rd->lock);
        } else if (rd->stopping) {
            break;
        } else {
            pthread_cond_wait(&rd->wake, &rd->lock);
        }
    }
    pthread_mutex_unlock(&rd->lock);
    return NULL;
}

ks_status http_reader_start(const http_config *cfg, http_reader **out, ks_error *err)
{
    http_reader *rd = calloc(1, sizeof *rd);
    if (!rd)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    pthread_mutex_init(&rd->lock, NULL);
    pthread_cond_init(&rd->wake, NULL);
    rd->joined = 1; /* no thread yet */
    ks_status rc = http_pool_init(&rd->pool, 1, cfg, err);
    if (!rc && pthread_create(&rd->thread, NULL, reader_main, rd) != 0)
        rc = ks_error_set(err, KS_EINTERNAL, "cannot start the reader thread");
    if (rc) {
        http_reader_free(rd);
        return rc;
    }
    rd->joined = 0;
    *out = rd;
    return KS_OK;
}

void http_reader_submit(http_reader *rd, http_req *r, http_read_fn read)
{
    r->read = read;
    r->resumed = read_done;
    r->next_read = NULL;
    MHD_suspend_connection(r->conn);
    pthread_mutex_lock(&rd->lock);
    int refused = rd->stopping;
    if (!refused) {
        if (rd->tail)
            rd->tail->next_read = r;
        else
            rd->head = r;
        rd->tail = r;
        pthread_cond_signal(&rd->wake);
    }
    pthread_mutex_unlock(&rd->lock);
    if (refused)
        refuse(r);
}

void http_reader_stop(http_reader *rd)
{
    pthread_mutex_lock(&rd->lock);
    rd->stopping = 1;
    pthread_cond_signal(&rd->wake);
    int joined = rd->joined;
    rd->joined = 1;
    pthread_mutex_unlock(&rd->lock);
    if (!joined)
        pthread_join(rd->thread, NULL);
}

void http_reader_free(http_reader *rd)
{
    if (!rd)
        return;
    http_reader_stop(rd);
    http_pool_free(&rd->pool);
    pthread_cond_destroy(&rd->wake);
    pthread_mutex_destroy(&rd->lock);
    free(rd);
}
