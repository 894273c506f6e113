/* A load generator for Kaoshi's HTTP API: many keep-alive HTTP/1.1
 * connections to one loopback server, all driven by one epoll loop over
 * non-blocking sockets, one request in flight per connection (as a browser
 * tab sends its saves one after another), either each as soon as the last
 * is answered (closed loop) or at scheduled times (open loop). The caller
 * says what each connection sends next and sees every reply with its
 * timing. Replies must carry a Content-Length (every reply of kaoshi serve
 * does). Linux only. */
#ifndef KAOSHI_BENCH_HTTP_H
#define KAOSHI_BENCH_HTTP_H

#include <stddef.h>
#include <stdint.h>

typedef struct bench_http bench_http;

typedef struct bench_reply {
    int status;          /* HTTP status; 0 when the connection failed */
    const char *head;    /* status line and headers; valid during the callback */
    size_t head_len;
    const char *body;    /* follows head; not NUL-terminated */
    size_t body_len;
    int64_t sent_ns;     /* when the request's first byte was written */
    int64_t done_ns;     /* when the reply's last byte was read */
} bench_reply;

/* Writes the next request of connection conn into buf (cap bytes) and returns
 * its length; 0 when the connection has nothing to send (it stays idle for
 * the rest of this run). */
typedef size_t (*bench_http_next)(void *ud, size_t conn, char *buf, size_t cap);
/* Sees one reply (or a failed connection: status 0). */
typedef void (*bench_http_done)(void *ud, size_t conn, const bench_reply *r);

/* Opens n connections to 127.0.0.1:port and waits until all are
 * established; NULL (with a message on stderr) on failure. */
bench_http *bench_http_open(uint16_t port, size_t n);
void bench_http_close(bench_http *h);

/* First asks every connection for a request, then writes them all (so that
 * they leave together), then keeps each connection busy: after each reply,
 * done() and next() again. Returns when no request is in flight and none is
 * wanted, or once stop_ns (ks_clock_mono_ns time; 0 for none) has passed
 * and the requests in flight have been answered. Returns the number of
 * failed connections (reset, closed or timed out mid-request; reconnected
 * for the next run). */
size_t bench_http_run(bench_http *h, bench_http_next next, bench_http_done done, void *ud,
                      int64_t stop_ns);

/* The intended time (ks_clock_mono_ns) of connection conn's next request,
 * given that of its last one (0 before the first); 0 for none. */
typedef int64_t (*bench_http_when)(void *ud, size_t conn, int64_t last_ns);
/* Open loop, as wrk2 drives a server: each connection sends its requests at
 * the times when() schedules (next() builds each when it is due), one in
 * flight per connection, so a request whose time comes while the previous
 * reply is still awaited leaves as soon as that reply is in. A reply's
 * sent_ns is the request's intended time, so a server that stalls is
 * charged for every request it delayed (coordinated omission corrected).
 * Nothing is sent at or after stop_ns; returns once the requests in flight
 * are answered, with the number of failed connections. Timing is to the
 * millisecond (epoll's). */
size_t bench_http_run_open(bench_http *h, bench_http_when when, bench_http_next next,
                           bench_http_done done, void *ud, int64_t stop_ns);
/* The connections' count. */
size_t bench_http_count(const bench_http *h);

#endif
