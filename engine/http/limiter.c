/* Login rate limiting: failed logins are counted per key (an account, or a
 * client address) within a window; a key that reaches its limit waits until
 * the window ends. In memory: a restart forgets, which only ever lets a
 * guesser start over at the same slow rate. See engine/http/app.h. */
#include <stdlib.h>
#include <string.h>

#include "http/app.h"

#define WINDOW_MS (5 * 60 * 1000)
#define BUCKETS 1024

typedef struct entry {
    char *key;
    int64_t window_start, locked_until;
    int failures;
    struct entry *next;
} entry;

struct http_limiter {
    pthread_mutex_t lock;
    entry *buckets[BUCKETS];
};

http_limiter *http_limiter_new(void)
{
    http_limiter *l = calloc(1, sizeof *l);
    if (l)
        pthread_mutex_init(&l->lock, NULL);
    return l;
}

void http_limiter_free(http_limiter *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < BUCKETS; i++) {
        for (entry *e = l->buckets[i], *next; e; e = next) {
            next = e->next;
            free(e->key);
            free(e);
        }
    }
    pthread_mutex_destroy(&l->lock);
    free(l);
}

static size_t bucket_of(const char *key)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % BUCKETS;
}

/* The key's entry, dropping entries whose window and lock are over; with
 * create, a new entry when there is none. Called with the lock held. */
static entry *find(http_limiter *l, const char *key, int64_t now, int create)
{
    entry **slot = &l->buckets[bucket_of(key)], *found = NULL;
    while (*slot) {
        entry *e = *slot;
        if (now >= e->window_start + WINDOW_MS && now >= e->locked_until) {
            *slot = e->next;
            free(e->key);
            free(e);
            continue;
        }
        if (strcmp(e->key, key) == 0)
            found = e;
        slot = &e->next;
    }
    if (!found && create && (found = calloc(1, sizeof *found))) {
        if (!(found->key = strdup(key))) {
            free(found);
            return NULL;
        }
        found->window_start = now;
        *slot = found;
    }
    return found;
}

int http_limiter_wait(http_limiter *l, const char *key, int64_t now)
{
    pthread_mutex_lock(&l->lock);
    entry *e = find(l, key, now, 0);
    int64_t wait = e && e->locked_until > now ? e->locked_until - now : 0;
    pthread_mutex_unlock(&l->lock);
    return (int)((wait + 999) / 1000);
}

void http_limiter_fail(http_limiter *l, const char *key, int limit, int64_t now)
{
    pthread_mutex_lock(&l->lock);
    entry *e = find(l, key, now, 1);
    if (e) {
        if (now >= e->window_start + WINDOW_MS) {
            e->window_start = now;
            e->failures = 0;
        }
        if (++e->failures >= limit)
            e->locked_until = e->window_start + WINDOW_MS;
    }
    pthread_mutex_unlock(&l->lock);
}

void http_limiter_clear(http_limiter *l, const char *key, int64_t now)
{
    pthread_mutex_lock(&l->lock);
    entry *e = find(l, key, now, 0);
    if (e)
        e->failures = 0;
    pthread_mutex_unlock(&l->lock);
}
