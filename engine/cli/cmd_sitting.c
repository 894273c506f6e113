/* kaoshi sitting create|list|show|open|amend|close|log: the proctor's
 * sittings, the versions of their frozen sources and their audit log. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"

enum { OPT_CERT = 1, OPT_DATE, OPT_OPENS, OPT_CLOSES, OPT_REASON, OPT_AS };

typedef struct create_opts {
    const char *cert, *date, *opens, *closes;
} create_opts;

static int on_create_option(int val, const char *arg, void *ud)
{
    create_opts *o = ud;
    switch (val) {
    case OPT_CERT: o->cert = arg; break;
    case OPT_DATE: o->date = arg; break;
    case OPT_OPENS: o->opens = arg; break;
    case OPT_CLOSES: o->closes = arg; break;
    default: return CLI_USAGE;
    }
    return CLI_OK;
}

static int parse_time_option(const char *name, const char *text, int64_t *ms, int *off)
{
    if (ks_time_parse(text, ms, off) != 0)
        return cli_usage_error("sitting create", "%s: expected a time like "
                               "2027-07-18T15:30+08:00, found '%s'", name, text);
    return CLI_OK;
}

static int create(int argc, char **argv)
{
    static const struct option opts[] = {
        {"cert", required_argument, NULL, OPT_CERT},
        {"date", required_argument, NULL, OPT_DATE},
        {"opens", required_argument, NULL, OPT_OPENS},
        {"closes", required_argument, NULL, OPT_CLOSES},
        {0},
    };
    cli_ctx c;
    create_opts o = {0};
    int first, rc = cli_ctx_parse(&c, "sitting create", argc, argv, opts, on_create_option, &o,
                                  &first);
    if (rc)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("sitting create", "expected one sitting name");
    const char *name = argv[first];
    if (!*name || strlen(name) > 64 || strspn(name, "abcdefghijklmnopqrstuvwxyz"
                                                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
                                             != strlen(name))
        return cli_usage_error("sitting create", "sitting name '%s': expected 1 to 64 letters, "
                               "digits, '-', '_' or '.'", name);
    if (!o.cert)
        return cli_usage_error("sitting create", "--cert CODE|SCRIPT is required");
    if (!o.date == !(o.opens || o.closes) || (!o.date && !(o.opens && o.closes)))
        return cli_usage_error("sitting create", "give either --date YYYY-MM-DD or both "
                               "--opens and --closes");
    int64_t opens = 0, closes = 0;
    int off = 0, off2 = 0;
    if (!o.date && ((rc = parse_time_option("--opens", o.opens, &opens, &off)) ||
                    (rc = parse_time_option("--closes", o.closes, &closes, &off2))))
        return rc;
    if ((rc = cli_ctx_open(&c)))
        return rc;
    ks_sitting s;
    ks_error err;
    if (ks_exam_sitting_create(&c.exam, name, o.cert, o.date, opens, closes, off, &s, &err)) {
        rc = cli_fail(&err);
    } else {
        char a[KS_TIME_BUF], b[KS_TIME_BUF];
        printf("created sitting %s: %s, %s to %s (draft; 'kaoshi sitting open %s' freezes it)\n",
               s.name, s.code, cli_time(&s, s.opens_at, a), cli_time(&s, s.closes_at, b), s.name);
        ks_sitting_free(&s);
    }
    cli_ctx_close(&c);
    return rc;
}

static json_t *sitting_json(const ks_sitting *s)
{
    char a[KS_TIME_BUF], b[KS_TIME_BUF], o[KS_TIME_BUF], cl[KS_TIME_BUF];
    return json_pack("{ss ss ss ss ss ss ss ss ss sI sI}", "name", s->name, "code", s->code,
                     "script", s->script, "state", ks_sitting_state_name(s->state), "opens_at",
                     cli_time(s, s->opens_at, a), "closes_at", cli_time(s, s->closes_at, b),
                     "opened_at", cli_time(s, s->opened_at, o), "closed_at",
                     cli_time(s, s->closed_at, cl), "sources_hash", s->sources_hash,
                     "duration_ms", (json_int_t)s->duration_ms, "grace_ms",
                     (json_int_t)s->grace_ms);
}

/* The versions of a sitting's frozen sources, oldest first, as JSON. */
static json_t *versions_json(const ks_sitting *s, const ks_sitting_version *v, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        char at[KS_TIME_BUF];
        json_array_append_new(list, json_pack("{si ss ss ss ss}", "version", v[i].version,
                                              "at", cli_time(s, v[i].at, at), "actor",
                                              v[i].actor, "reason", v[i].reason,
                                              "sources_hash", v[i].sources_hash));
    }
    return list;
}

static void print_json(json_t *v)
{
    char *text = json_dumps(v, JSON_INDENT(2) | JSON_SORT_KEYS);
    puts(text);
    free(text);
    json_decref(v);
}

static int list(int argc, char **argv)
{
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, "sitting list", argc, argv, NULL, NULL, NULL, &first);
    if (rc || (rc = cli_ctx_open(&c)))
        return rc;
    ks_sitting *all;
    size_t n;
    ks_error err;
    if (ks_store_sitting_list(c.store, &all, &n, &err)) {
        cli_ctx_close(&c);
        return cli_fail(&err);
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        char a[KS_TIME_BUF], b[KS_TIME_BUF];
        if (c.json)
            json_array_append_new(arr, sitting_json(&all[i]));
        else
            printf("%-20s %-12s %-7s %s .. %s\n", all[i].name, all[i].code,
                   ks_sitting_state_name(all[i].state), cli_time(&all[i], all[i].opens_at, a),
                   cli_time(&all[i], all[i].closes_at, b));
    }
    if (c.json)
        print_json(arr);
    else
        json_decref(arr);
    ks_sitting_list_free(all, n);
    cli_ctx_close(&c);
    return CLI_OK;
}

static int show(int argc, char **argv)
{
    cli_ctx c;
    const char *name = NULL;
    int rc = cli_ctx_parse_sitting(&c, "sitting show", argc, argv, NULL, NULL, NULL, &name);
    if (rc || (rc = cli_ctx_open(&c)))
        return rc;
    ks_sitting s;
    ks_error err;
    ks_enrollment *en = NULL;
    ks_attempt *at = NULL;
    ks_sitting_version *versions = NULL;
    size_t ne = 0, na = 0, nv = 0;
    if (ks_store_sitting_get(c.store, name, &s, &err) ||
        ks_store_enrollments(c.store, s.id, &en, &ne, &err) ||
        ks_store_attempts_in(c.store, s.id, &at, &na, &err) ||
        ks_store_versions(c.store, s.id, &versions, &nv, &err)) {
        cli_ctx_close(&c);
        return cli_fail(&err);
    }
    size_t running = 0;
    for (size_t i = 0; i < na; i++)
        running += at[i].state == KS_ATTEMPT_ACTIVE;
    json_t *v = sitting_json(&s);
    json_object_set_new(v, "enrolled", json_integer((json_int_t)ne));
    json_object_set_new(v, "attempts", json_integer((json_int_t)na));
    json_object_set_new(v, "running", json_integer((json_int_t)running));
    json_object_set_new(v, "version", json_integer(s.version));
    json_object_set_new(v, "versions", versions_json(&s, versions, nv));
    if (c.json) {
        print_json(v);
    } else {
        const char *keys[] = {"name", "code", "script", "state", "opens_at", "closes_at",
                              "opened_at", "closed_at", "sources_hash"};
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
            printf("%-13s %s\n", keys[i], json_string_value(json_object_get(v, keys[i])));
        printf("%-13s %lld minutes (+%lld s grace)\n", "duration",
               (long long)(s.duration_ms / 60000), (long long)(s.grace_ms / 1000));
        printf("%-13s %zu enrolled, %zu attempts, %zu running\n", "candidates", ne, na, running);
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(v, "versions"), i, e) {
            const char *reason = json_string_value(json_object_get(e, "reason"));
            char label[32];
            snprintf(label, sizeof label, "version %d", versions[i].version);
            const char *actor = versions[i].actor;
            printf("%-13s %s%s%s, sha256 %s%s%s\n", label,
                   json_string_value(json_object_get(e, "at")), *actor ? " by " : "", actor,
                   versions[i].sources_hash, *reason ? ": " : "", reason);
        }
        json_decref(v);
    }
    ks_sitting_version_list_free(versions, nv);
    ks_enrollment_list_free(en, ne);
    ks_attempt_list_free(at, na);
    ks_sitting_free(&s);
    cli_ctx_close(&c);
    return CLI_OK;
}

/* "drew N forms ahead ..." for what ks_exam_prepare did in sitting name. */
static void print_prepared(const char *name, const ks_prepared *p)
{
    printf("sitting %s: drew %zu form%s ahead (%zu drawn before, %zu candidate%s started, "
           "%zu may not start)\n", name, p->drawn, p->drawn == 1 ? "" : "s", p->kept,
           p->started, p->started == 1 ? "" : "s", p->refused);
}

static int prepare(int argc, char **argv)
{
    cli_ctx c;
    const char *name = NULL;
    int rc = cli_ctx_parse_sitting(&c, "sitting prepare", argc, argv, NULL, NULL, NULL, &name);
    if (rc || (rc = cli_ctx_open(&c)))
        return rc;
    ks_error err;
    ks_prepared p;
    if (ks_exam_prepare(&c.exam, name, NULL, &p, &err))
        rc = cli_fail(&err);
    else
        print_prepared(name, &p);
    cli_ctx_close(&c);
    return rc;
}

static int open_or_close(int argc, char **argv, int open)
{
    const char *cmd = open ? "sitting open" : "sitting close";
    cli_ctx c;
    const char *name = NULL;
    int rc = cli_ctx_parse_sitting(&c, cmd, argc, argv, NULL, NULL, NULL, &name);
    if (rc || (rc = cli_ctx_open(&c)))
        return rc;
    ks_error err;
    size_t finished = 0;
    if (open ? ks_exam_sitting_open(&c.exam, name, &err)
             : ks_exam_sitting_close(&c.exam, name, &finished, &err)) {
        rc = cli_fail(&err);
    } else if (open) {
        ks_sitting s;
        if (ks_store_sitting_get(c.store, name, &s, &err) == KS_OK) {
            printf("opened sitting %s; sources frozen (sha256 %s)\n", s.name, s.sources_hash);
            ks_sitting_free(&s);
        }
        /* the forms of the candidates enrolled before the opening */
        ks_prepared p;
        if (ks_exam_prepare(&c.exam, name, NULL, &p, &err))
            rc = cli_fail(&err);
        else if (p.drawn + p.kept + p.started + p.refused > 0)
            print_prepared(name, &p);
    } else {
        printf("closed sitting %s; %zu running attempts finished\n", name, finished);
    }
    cli_ctx_close(&c);
    return rc;
}

typedef struct amend_opts {
    const char *reason, *as;
} amend_opts;

static int on_amend_option(int val, const char *arg, void *ud)
{
    amend_opts *o = ud;
    if (val == OPT_REASON)
        o->reason = arg;
    else
        o->as = arg;
    return CLI_OK;
}

static int amend(int argc, char **argv)
{
    static const struct option opts[] = {{"reason", required_argument, NULL, OPT_REASON},
                                          {"as", required_argument, NULL, OPT_AS},
                                          {0}};
    cli_ctx c;
    const char *name = NULL;
    amend_opts o = {0};
    int rc = cli_ctx_parse_sitting(&c, "sitting amend", argc, argv, opts, on_amend_option, &o,
                                   &name);
    if (rc)
        return rc;
    if (!o.reason)
        return cli_usage_error("sitting amend", "--reason TEXT is required");
    if ((rc = cli_ctx_open(&c)))
        return rc;
    ks_exam_amended done;
    ks_error err;
    if ((rc = cli_ctx_act_as(&c, o.as))) {
        /* reported */
    } else if (ks_exam_sitting_amend(&c.exam, name, o.reason, &done, &err)) {
        rc = cli_fail(&err);
    } else {
        printf("amended sitting %s: version %d, sources frozen (sha256 %s)\n", name,
               done.version, done.sources_hash);
        for (size_t i = 0; i < done.nfiles; i++)
            puts(done.files[i]);
        printf("'kaoshi grade %s' regrades its finished attempts with version %d\n",
               name, done.version);
        for (size_t i = 0; i < done.nwarnings; i++)
            fprintf(stderr, "warning: %s\n", done.warnings[i]);
        ks_cert_free_ids(done.files, done.nfiles);
        ks_cert_free_ids(done.warnings, done.nwarnings);
    }
    cli_ctx_close(&c);
    return rc;
}

/* The sitting's audit log, oldest first: who did what when. */
static int audit_log(int argc, char **argv)
{
    cli_ctx c;
    ks_sitting s;
    int rc = cli_ctx_open_sitting(&c, "sitting log", argc, argv, &s);
    if (rc)
        return rc;
    ks_audit_entry *all = NULL;
    size_t n = 0;
    ks_error err;
    if (ks_store_audit_list(c.store, s.id, &all, &n, &err)) {
        rc = cli_fail(&err);
    } else {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            char at[KS_TIME_BUF];
            cli_time(&s, all[i].at, at);
            json_t *detail = json_loads(all[i].detail, 0, NULL);
            json_t *e = json_pack("{ss ss ss so}", "at", at, "actor", all[i].actor, "action",
                                  all[i].action, "detail", detail ? detail : json_null());
            if (all[i].attempt_id)
                json_object_set_new(e, "attempt", json_integer((json_int_t)all[i].attempt_id));
            if (c.json) {
                json_array_append_new(arr, e);
                continue;
            }
            printf("%s %s %s", at, all[i].actor, all[i].action);
            if (all[i].attempt_id)
                printf(" attempt %lld", (long long)all[i].attempt_id);
            printf("%s%s\n", *all[i].detail ? " " : "", all[i].detail);
            json_decref(e);
        }
        if (c.json)
            print_json(arr);
        else
            json_decref(arr);
    }
    ks_audit_entry_list_free(all, n);
    ks_sitting_free(&s);
    cli_ctx_close(&c);
    return rc;
}

int cmd_sitting(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("sitting", "expected create, list, show, open, prepare, amend, "
                               "close or log");
    const char *sub = argv[1];
    if (strcmp(sub, "create") == 0)
        return create(argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return list(argc - 1, argv + 1);
    if (strcmp(sub, "show") == 0)
        return show(argc - 1, argv + 1);
    if (strcmp(sub, "open") == 0)
        return open_or_close(argc - 1, argv + 1, 1);
    if (strcmp(sub, "prepare") == 0)
        return prepare(argc - 1, argv + 1);
    if (strcmp(sub, "amend") == 0)
        return amend(argc - 1, argv + 1);
    if (strcmp(sub, "close") == 0)
        return open_or_close(argc - 1, argv + 1, 0);
    if (strcmp(sub, "log") == 0)
        return audit_log(argc - 1, argv + 1);
    return cli_usage_error("sitting", "unknown subcommand '%s'; expected create, list, show, "
                           "open, prepare, amend, close or log", sub);
}
