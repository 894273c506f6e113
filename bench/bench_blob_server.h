/* The ceiling of a start from forms drawn ahead (bench_start): a bare
 * libmicrohttpd server over SQLite holding one stored blob per candidate of
 * a bench_site, with kaoshi serve's daemon flags and threads. POST
 * /api/attempts marks the candidate's row started with one UPDATE,
 * committed in groups by one writer thread as kaoshi serve commits saves
 * (each reply waits for its commit; WAL, synchronous=FULL), and answers
 * {"attempt": ID}; GET /api/attempts/ID reads that row's blob and sends it.
 * The candidate is the one whose session token the ks_session cookie
 * carries, found in memory. No JSON, no checks, no Lua. */
#ifndef KAOSHI_BENCH_BLOB_SERVER_H
#define KAOSHI_BENCH_BLOB_SERVER_H

#include "bench_site.h"

typedef struct bench_blob_server bench_blob_server;

/* Writes blobs[i] (candidate i's) into a new database beside s's and
 * serves it on a free loopback port (*port); NULL on failure (said on
 * stderr). */
bench_blob_server *bench_blob_server_start(const bench_site *s, char *const *blobs,
                                           uint16_t *port);
/* Stops serving and frees everything. */
void bench_blob_server_stop(bench_blob_server *b);

#endif
