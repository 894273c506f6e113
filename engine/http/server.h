/* kaoshi serve: the HTTP server for candidates' pages, the proctor console
 * and the JSON API (docs/api.md), on libmicrohttpd. The front end of the
 * exam lifecycle (kaoshi/exam.h), as the CLI is. */
#ifndef KAOSHI_HTTP_SERVER_H
#define KAOSHI_HTTP_SERVER_H

#include "kaoshi/clock.h"
#include "kaoshi/error.h"
#include "kaoshi/sign.h"

typedef struct http_config {
    const char *address;         /* "127.0.0.1", or an IPv6 address */
    int port;                    /* 0 picks a free port */
    const char *db_path;
    const char *root;            /* project directory (scripts/, banks/) */
    const ks_clock *clock;       /* the server's clock */
    int threads;                 /* worker threads, each with its database connection */
    unsigned max_connections;    /* in all */
    unsigned per_ip_connections; /* from one address; 0 for no limit */
    unsigned idle_timeout_s;     /* a connection silent this long is closed */
    const char *trusted_proxy;   /* the reverse proxy's address, whose X-Forwarded-For
                                  * names the client; NULL: none is trusted */
    int secure_cookies;          /* add Secure to cookies (behind a TLS proxy) */
    /* The installation's public key, which verifies certificates; NULL when
     * the server has none (verification and certificate downloads answer 503). */
    const unsigned char *public_key;
    const char *public_url;      /* the server's address as its users reach it, printed
                                  * on certificates; NULL: the path /verify/NUMBER alone */
    int events_wait_s;           /* how long a long poll for events waits, at most */
    unsigned events_waiters;     /* long polls waiting at once, at most */
    int64_t prepare_ahead_ms;    /* draw forms ahead this long before a window opens
                                  * (and while it is open); 0: never */
} http_config;

/* Serves until SIGINT or SIGTERM, then stops accepting, lets answer saves
 * in flight commit and returns KS_OK. Prints "serving http://ADDR:PORT/" on
 * stdout once it listens. */
ks_status http_serve(const http_config *cfg, ks_error *err);

#endif
