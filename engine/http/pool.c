/* Worker contexts: a fixed pool, one per worker thread, each with its own
 * database connection and its own cache of frozen certifications (a sitting's
 * files never change once it is open, so an entry never goes stale). A
 * request holds one context while its handler runs. See engine/http/app.h. */
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
        c->exam = (ks_exam){c->store, cfg->clock, cfg->root, "web"};
    }
    return KS_OK;
}

void http_pool_free(http_pool *p)
{
    for (size_t i = 0; i < p->n; i++) {
        http_ctx *c = &p->ctx[i];
        for (size_t k = 0; k < c->ncerts; k++) {
            ks_cert_free(c->certs[k].cert);
            ks_fileset_free(c->certs[k].fs);
        }
        free(c->certs);
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
    pthread_mutex_lock(&p->lock);
    c->busy = 0;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

ks_status http_ctx_cert(http_ctx *c, const ks_sitting *s, ks_cert **cert, ks_error *err)
{
    for (size_t i = 0; i < c->ncerts; i++) {
        if (c->certs[i].sitting_id == s->id) {
            *cert = c->certs[i].cert;
            return KS_OK;
        }
    }
    if (s->state == KS_SITTING_DRAFT)
        return ks_error_set(err, KS_ESTATE, "sitting '%s' has not been opened", s->name);
    http_cert *grown = realloc(c->certs, (c->ncerts + 1) * sizeof *grown);
    if (!grown)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    c->certs = grown;
    http_cert *e = &c->certs[c->ncerts];
    ks_status rc = ks_exam_frozen_cert(&c->exam, s, &e->fs, &e->cert, err);
    if (rc)
        return rc;
    e->sitting_id = s->id;
    c->ncerts++;
    *cert = e->cert;
    return KS_OK;
}
