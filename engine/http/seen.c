/* When each attempt's page last reached the server, for the proctor's live
 * table: an in-memory map from attempt id to time (open addressing). After a
 * restart the table falls back to the last answer saved. See
 * engine/http/app.h. */
#include <stdlib.h>

#include "http/app.h"

struct http_seen {
    pthread_mutex_t lock;
    int64_t *keys, *values; /* key 0: empty */
    size_t cap, n;
};

http_seen *http_seen_new(void)
{
    http_seen *s = calloc(1, sizeof *s);
    if (s)
        pthread_mutex_init(&s->lock, NULL);
    return s;
}

void http_seen_free(http_seen *s)
{
    if (!s)
        return;
    pthread_mutex_destroy(&s->lock);
    free(s->keys);
    free(s->values);
    free(s);
}

static size_t slot_of(const http_seen *s, int64_t key)
{
    size_t i = (size_t)((uint64_t)key * 11400714819323198485ull) & (s->cap - 1);
    while (s->keys[i] && s->keys[i] != key)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static int grow(http_seen *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024;
    http_seen bigger = {.keys = calloc(cap, sizeof *s->keys),
                        .values = calloc(cap, sizeof *s->values), .cap = cap};
    if (!bigger.keys || !bigger.values) {
        free(bigger.keys);
        free(bigger.values);
        return -1;
    }
    for (size_t i = 0; i < s->cap; i++) {
        if (s->keys[i]) {
            size_t j = slot_of(&bigger, s->keys[i]);
            bigger.keys[j] = s->keys[i];
            bigger.values[j] = s->values[i];
        }
    }
    free(s->keys);
    free(s->values);
    s->keys = bigger.keys;
    s->values = bigger.values;
    s->cap = cap;
    return 0;
}

void http_seen_mark(http_seen *s, int64_t attempt_id, int64_t at)
{
    pthread_mutex_lock(&s->lock);
    if ((s->n + 1) * 2 <= s->cap || grow(s) == 0) {
        size_t i = slot_of(s, attempt_id);
        if (!s->keys[i]) {
            s->keys[i] = attempt_id;
            s->n++;
        }
        s->values[i] = at;
    }
    pthread_mutex_unlock(&s->lock);
}

int64_t http_seen_get(http_seen *s, int64_t attempt_id)
{
    pthread_mutex_lock(&s->lock);
    int64_t at = s->cap ? s->values[slot_of(s, attempt_id)] : 0;
    pthread_mutex_unlock(&s->lock);
    return at;
}
