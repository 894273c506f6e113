/* Worker contexts: a fixed pool, one per worker thread, each with its own
 * database connection and its own cache of frozen certifications, one per
 * sitting at the version of its sources it was loaded for: a request that
 * finds the sitting amended (its version read with it) loads the new
 * version, and the one it replaces is freed once the request ends. A request
 * holds one context while its handler runs. See engine/http/app.h. */
#include <stdlib.h>
#include <string.h>

#include "http/app.h"

ks_status http_pool_init(http_pool *p, size_t n, const http_config *cfg, ks_error *err)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    if (n < 1 || !(p->ctx = calloc(n, sizeof *p->ctx)))
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        http_ctx *c = &p->ctx[i];
        ks_status rc = ks_store_open(cfg->db_path, &c->store, err);
        if (rc)
            return rc;
        p->n++;
        c->exam = (ks_exam){.store = c->store, .clock = cfg->clock, .root = cfg->root,
                             .actor = "web"};
    }
    return KS_OK;
}

static void certs_free(http_cert *list, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        ks_cert_free(list[k].cert);
        ks_fileset_free(list[k].fs);
    }
    free(list);
}

void http_pool_free(http_pool *p)
{
    for (size_t i = 0; i < p->n; i++) {
        http_ctx *c = &p->ctx[i];
        certs_free(c->certs, c->ncerts);
        certs_free(c->stale, c->nstale);
        ks_store_close(c->store);
    }
    free(p->ctx);
    pthread_cond_destroy(&p->freed);
    pthread_mutex_destroy(&p->lock);
    memset(p, 0, sizeof *p);
}

http_ctx *http_pool_acquire(http_pool *p)
{
    pthread_mutex_lock(&p->lock);
    for (;;) {
        for (size_t i = 0; i < p->n; i++) {
            if (!p->ctx[i].busy) {
                p->ctx[i].busy = 1;
                pthread_mutex_unlock(&p->lock);
                return &p->ctx[i];
            }
        }
        pthread_cond_wait(&p->freed, &p->lock);
    }
}

void http_pool_release(http_pool *p, http_ctx *c)
{
    certs_free(c->stale, c->nstale);
    c->stale = NULL;
    c->nstale = 0;
    pthread_mutex_lock(&p->lock);
    c->busy = 0;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

/* Loads s's certification into e (its old one, if any, kept in the
 * context's stale list until the request ends). */
static ks_status load(http_ctx *c, const ks_sitting *s, http_cert *e, ks_error *err)
{
    http_cert fresh = {.sitting_id = s->id, .version = s->version};
    ks_status rc = ks_exam_frozen_cert(&c->exam, s, &fresh.fs, &fresh.cert, err);
    if (rc)
        return rc;
    if (e->cert) {
        http_cert *grown = realloc(c->stale, (c->nstale + 1) * sizeof *grown);
        if (!grown) {
            ks_cert_free(fresh.cert);
            ks_fileset_free(fresh.fs);
            return ks_error_set(err, KS_EINTERNAL, "out of memory");
        }
        c->stale = grown;
        c->stale[c->nstale++] = *e;
    }
    *e = fresh;
    return KS_OK;
}

ks_status http_ctx_cert(http_ctx *c, const ks_sitting *s, ks_cert **cert, ks_error *err)
{
    if (s->state == KS_SITTING_DRAFT)
        return ks_error_set(err, KS_ESTATE, "sitting '%s' has not been opened", s->name);
    http_cert *e = NULL;
    for (size_t i = 0; i < c->ncerts && !e; i++)
        if (c->certs[i].sitting_id == s->id)
            e = &c->certs[i];
    if (!e) {
        http_cert *grown = realloc(c->certs, (c->ncerts + 1) * sizeof *grown);
        if (!grown)
            return ks_error_set(err, KS_EINTERNAL, "out of memory");
        c->certs = grown;
        e = &c->certs[c->ncerts++];
        *e = (http_cert){.sitting_id = s->id};
    }
    /* a sitting read before an amendment another request has loaded keeps
     * the newer version */
    ks_status rc = !e->cert || e->version < s->version ? load(c, s, e, err) : KS_OK;
    if (!rc)
        *cert = e->cert;
    return rc;
}
