/* Shared command context: see engine/cli/context.h. */
#include "cli/context.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "kaoshi/json_text.h"

enum { OPT_DB = 1000, OPT_ROOT, OPT_JSON, OPT_NOW };

/* TIME of --now or KAOSHI_NOW: epoch milliseconds (digits only) or an ISO
 * 8601 time with its zone. Returns 0, or -1 when it is neither. */
static int parse_now(const char *text, int64_t *ms)
{
    size_t digits = strspn(text, "0123456789");
    if (digits > 0 && digits <= 18 && text[digits] == '\0') {
        *ms = strtoll(text, NULL, 10);
        return 0;
    }
    return ks_time_parse(text, ms, NULL) == 0 ? 0 : -1;
}

/* The clock: fixed at `option` (--now) when given, else at $KAOSHI_NOW when
 * set and not empty, else the system's. */
static int init_clock(cli_ctx *c, const char *option)
{
    const char *env = getenv("KAOSHI_NOW");
    const char *now = option ? option : env && *env ? env : NULL;
    int64_t ms;
    if (!now) {
        c->clock = *ks_clock_system();
        return CLI_OK;
    }
    if (parse_now(now, &ms) != 0)
        return cli_usage_error(c->cmd, "%s: expected an ISO 8601 time with its zone (e.g. "
                               "2027-07-18T09:05+08:00) or epoch milliseconds, found '%s'",
                               option ? "--now" : "KAOSHI_NOW", now);
    ks_clock_fake_init(&c->clock, ms);
    return CLI_OK;
}

int cli_ctx_parse(cli_ctx *c, const char *cmd, int argc, char **argv,
                  const struct option *extra, int (*on_extra)(int val, const char *arg, void *ud),
                  void *ud, int *first)
{
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    c->db_path = getenv("KAOSHI_DB") && *getenv("KAOSHI_DB") ? getenv("KAOSHI_DB") : "kaoshi.db";
    c->root = ".";
    struct option opts[32] = {
        {"db", required_argument, NULL, OPT_DB},
        {"root", required_argument, NULL, OPT_ROOT},
        {"json", no_argument, NULL, OPT_JSON},
        {"now", required_argument, NULL, OPT_NOW},
    };
    const char *now = NULL;
    /* a leading ':' makes a missing value ':' rather than '?' */
    size_t n = 4, ns = 1;
    char shorts[64] = ":";
    for (const struct option *o = extra; o && o->name && n < 31; o++) {
        opts[n++] = *o;
        if (o->val > 0 && o->val < 128 && isalpha(o->val) && ns + 3 < sizeof shorts) {
            shorts[ns++] = (char)o->val;
            if (o->has_arg == required_argument)
                shorts[ns++] = ':';
        }
    }
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
        switch (ch) {
        case OPT_DB: c->db_path = optarg; break;
        case OPT_ROOT: c->root = optarg; break;
        case OPT_JSON: c->json = 1; break;
        case OPT_NOW: now = optarg; break;
        case ':': return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
        case '?': return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        default: {
            int rc = on_extra ? on_extra(ch, optarg, ud) : CLI_USAGE;
            if (rc != CLI_OK)
                return rc;
        }
        }
    }
    *first = optind;
    return init_clock(c, now);
}

int cli_ctx_parse_sitting(cli_ctx *c, const char *cmd, int argc, char **argv,
                          const struct option *extra,
                          int (*on_extra)(int val, const char *arg, void *ud), void *ud,
                          const char **name)
{
    int first, rc = cli_ctx_parse(c, cmd, argc, argv, extra, on_extra, ud, &first);
    if (rc)
        return rc;
    if (argc - first != 1)
        return cli_usage_error(cmd, "expected one sitting name");
    *name = argv[first];
    return CLI_OK;
}

int cli_ctx_open_sitting(cli_ctx *c, const char *cmd, int argc, char **argv, ks_sitting *s)
{
    const char *name = NULL;
    int rc = cli_ctx_parse_sitting(c, cmd, argc, argv, NULL, NULL, NULL, &name);
    if (rc || (rc = cli_ctx_open(c)))
        return rc;
    ks_error err;
    if (ks_store_sitting_get(c->store, name, s, &err)) {
        cli_ctx_close(c);
        return cli_fail(&err);
    }
    return CLI_OK;
}

int cli_ctx_open(cli_ctx *c)
{
    ks_error err;
    if (ks_store_open(c->db_path, &c->store, &err))
        return cli_fail(&err);
    c->exam = (ks_exam){.store = c->store, .clock = &c->clock, .root = c->root, .actor = "cli"};
    return CLI_OK;
}

int cli_ctx_act_as(cli_ctx *c, const char *as)
{
    if (!as)
        return CLI_OK;
    ks_proctor p;
    ks_error err;
    if (ks_store_proctor_get(c->store, as, &p, &err))
        return cli_fail(&err);
    ks_proctor_free(&p);
    snprintf(c->actor, sizeof c->actor, "proctor:%s", as);
    c->exam.actor = c->actor;
    return CLI_OK;
}

void cli_ctx_close(cli_ctx *c)
{
    ks_store_close(c->store);
    c->store = NULL;
}

int cli_print_json(const json_t *v, size_t flags)
{
    char *text = ks_json_text(v, flags);
    if (!text)
        return cli_fail(&(ks_error){KS_EINTERNAL, "out of memory"});
    puts(text);
    free(text);
    return CLI_OK;
}

const char *cli_time(const ks_sitting *s, int64_t ms, char buf[KS_TIME_BUF])
{
    if (ms == 0) {
        snprintf(buf, KS_TIME_BUF, "-");
        return buf;
    }
    return ks_time_format(ms, s->tz_offset_min, buf);
}
