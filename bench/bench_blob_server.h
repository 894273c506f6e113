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
 * serves it from a child process (its own descriptor limit, ended with the
 * benchmark) on a free loopback port (*port); NULL on failure (said on
 * stderr). */
bench_blob_server *bench_blob_server_start(const bench_site *s, char *const *blobs,
                                           uint16_t *port);
/* Stops the child and frees b. */
void bench_blob_server_stop(bench_blob_server *b);

/* Measures something on the server on port, process server: kaoshi serve
 * (bare 0) or the bare server (bare 1) holding the same site; 0 or -1. */
typedef int (*bench_blob_measure)(bench_site *s, uint16_t port, pid_t server, int bare,
                                  void *ud);
/* A comparison with forms drawn ahead: creates a site of n candidates,
 * draws their forms ahead (bench_site_prepare, in *prepare_s), serves it
 * with kaoshi serve and runs measure, stops it, then serves their stored
 * views from the bare server and runs measure again; 0 or -1. */
int bench_blob_compare(size_t n, bench_blob_measure measure, void *ud, double *prepare_s);

#endif
