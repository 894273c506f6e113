/* kaoshi serve: runs the web server (engine/http/server.h) on the database
 * of --db until SIGINT or SIGTERM, with the public key that verifies
 * certificates when the installation has one. */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "http/server.h"
#include "kaoshi/certificate_pdf.h"
#include "kaoshi/clock.h"

enum {
    OPT_ADDRESS = 1, OPT_PORT, OPT_THREADS, OPT_MAX_CONN, OPT_PER_IP, OPT_TIMEOUT, OPT_PROXY,
    OPT_SECURE, OPT_KEY, OPT_PUBLIC, OPT_URL, OPT_EVENTS_WAIT, OPT_PREPARE_AHEAD
};

/* From one address: a room of candidates behind one NAT address needs about
 * two per candidate (raise it there); an address opening hundreds of idle
 * connections is refused beyond it rather than starving everyone else. */
#define DEFAULT_PER_IP 128
#define DEFAULT_TIMEOUT_S 10
/* A long poll for events is answered after this long without any: under the
 * minute after which proxies commonly give up on a silent reply. */
#define DEFAULT_EVENTS_WAIT_S 25
/* a page's long poll is its sign of life: the console shows a candidate
 * offline after 30 s without a request, so no poll may wait that long */
#define MAX_EVENTS_WAIT_S 25
/* The forms of candidates enrolled after the opening are drawn this long
 * before the window opens. */
#define DEFAULT_PREPARE_AHEAD_MS (60 * 60 * 1000)

typedef struct serve_opts {
    http_config cfg;
    const char *key, *public_key; /* --key, --public-key */
    int per_ip_given;
} serve_opts;

static int number(const char *name, const char *text, long min, long max, long *out)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (*end || !*text || v < min || v > max)
        return cli_usage_error("serve", "%s: expected a whole number from %ld to %ld, found "
                               "'%s'", name, min, max, text);
    *out = v;
    return CLI_OK;
}

static int on_option(int val, const char *arg, void *ud)
{
    serve_opts *o = ud;
    http_config *cfg = &o->cfg;
    long v = 0;
    int rc = CLI_OK;
    switch (val) {
    case OPT_ADDRESS: cfg->address = arg; break;
    case OPT_PORT:
        if (!(rc = number("--port", arg, 0, 65535, &v)))
            cfg->port = (int)v;
        break;
    case OPT_THREADS:
        if (!(rc = number("--threads", arg, 1, 64, &v)))
            cfg->threads = (int)v;
        break;
    case OPT_MAX_CONN:
        if (!(rc = number("--max-connections", arg, 1, 100000, &v)))
            cfg->max_connections = (unsigned)v;
        break;
    case OPT_PER_IP:
        if (!(rc = number("--per-ip", arg, 0, 100000, &v)))
            cfg->per_ip_connections = (unsigned)v;
        o->per_ip_given = 1;
        break;
    case OPT_TIMEOUT:
        if (!(rc = number("--timeout", arg, 1, 3600, &v)))
            cfg->idle_timeout_s = (unsigned)v;
        break;
    case OPT_PROXY: cfg->trusted_proxy = arg; break;
    case OPT_SECURE: cfg->secure_cookies = 1; break;
    case OPT_KEY: o->key = arg; break;
    case OPT_PUBLIC: o->public_key = arg; break;
    case OPT_URL: cfg->public_url = arg; break;
    case OPT_EVENTS_WAIT:
        if (!(rc = number("--events-wait", arg, 1, MAX_EVENTS_WAIT_S, &v)))
            cfg->events_wait_s = (int)v;
        break;
    case OPT_PREPARE_AHEAD:
        if (ks_duration_parse(arg, &cfg->prepare_ahead_ms) != 0)
            rc = cli_usage_error("serve", "--prepare-ahead: expected a duration such as 1h, "
                                 "30m or 0 (never), found '%s'", arg);
        break;
    default: rc = CLI_USAGE;
    }
    return rc;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"address", required_argument, NULL, OPT_ADDRESS},
        {"port", required_argument, NULL, OPT_PORT},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"max-connections", required_argument, NULL, OPT_MAX_CONN},
        {"per-ip", required_argument, NULL, OPT_PER_IP},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"trust-proxy", required_argument, NULL, OPT_PROXY},
        {"secure-cookies", no_argument, NULL, OPT_SECURE},
        {"key", required_argument, NULL, OPT_KEY},
        {"public-key", required_argument, NULL, OPT_PUBLIC},
        {"url", required_argument, NULL, OPT_URL},
        {"events-wait", required_argument, NULL, OPT_EVENTS_WAIT},
        {"prepare-ahead", required_argument, NULL, OPT_PREPARE_AHEAD},
        {0},
    };
    serve_opts o = {.cfg = {.address = "127.0.0.1", .port = 8080, .threads = 4,
                            .max_connections = 1000, .per_ip_connections = DEFAULT_PER_IP,
                            .idle_timeout_s = DEFAULT_TIMEOUT_S,
                            .events_wait_s = DEFAULT_EVENTS_WAIT_S,
                            .prepare_ahead_ms = DEFAULT_PREPARE_AHEAD_MS}};
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, "serve", argc, argv, opts, on_option, &o, &first);
    if (rc)
        return rc;
    if (argc != first)
        return cli_usage_error("serve", "expected no arguments");
    if (o.key && o.public_key)
        return cli_usage_error("serve", "give --key or --public-key, not both");
    http_config cfg = o.cfg;
    /* long polls wait with their connections open: at most half of them, so
     * the other half is always free for saves and pages */
    cfg.events_waiters = cfg.max_connections > 1 ? cfg.max_connections / 2 : 1;
    ks_error err;
    /* the proxy's address as the server writes a peer's, to compare */
    unsigned char proxy[sizeof(struct in6_addr)];
    char proxy_text[INET6_ADDRSTRLEN];
    if (cfg.trusted_proxy) {
        int family = inet_pton(AF_INET, cfg.trusted_proxy, proxy) == 1    ? AF_INET
                     : inet_pton(AF_INET6, cfg.trusted_proxy, proxy) == 1 ? AF_INET6
                                                                          : 0;
        if (!family || !inet_ntop(family, proxy, proxy_text, sizeof proxy_text))
            return cli_usage_error("serve", "--trust-proxy: expected an IPv4 or IPv6 "
                                   "address, found '%s'", cfg.trusted_proxy);
        cfg.trusted_proxy = proxy_text;
    }
    /* every connection comes from the proxy, which limits each client itself */
    if (cfg.trusted_proxy && !o.per_ip_given)
        cfg.per_ip_connections = 0;
    if (cfg.public_url && ks_certificate_pdf_check_url(cfg.public_url, &err))
        return cli_usage_error("serve", "--url: %s", err.message);
    /* without --key, --public-key or $KAOSHI_KEY, ./kaoshi.key when there is one */
    unsigned char pk[KS_SIGN_PUBLIC_BYTES];
    const char *key = o.key ? o.key : cmd_keys_default_path();
    const char *env = getenv("KAOSHI_KEY");
    if (o.key || o.public_key || (env && *env) || access(key, F_OK) == 0) {
        if ((rc = cmd_keys_public(key, o.public_key, pk)))
            return rc;
        cfg.public_key = pk;
    } else {
        fprintf(stderr, "kaoshi serve: no signing key at %s; certificates cannot be verified "
                        "or downloaded here (see --key and --public-key)\n", key);
    }
    cfg.db_path = c.db_path;
    cfg.root = c.root;
    cfg.clock = &c.clock;
    if (http_serve(&cfg, &err))
        return cli_fail(&err);
    return CLI_OK;
}
