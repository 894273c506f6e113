/* kaoshi proctor add|list|status|extend|pause|resume|submit|note|notes:
 * proctor accounts (for the web console), a sitting's candidates with their
 * attempts and extra time, and the proctor's actions on one attempt from the
 * command line. --as NAME names the acting proctor in the audit log
 * (default "cli"). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"

enum { OPT_AS = 1 };

static int on_as(int val, const char *arg, void *ud)
{
    (void)val;
    *(const char **)ud = arg;
    return CLI_OK;
}

static void print_json(json_t *v)
{
    char *text = json_dumps(v, JSON_INDENT(2) | JSON_SORT_KEYS);
    puts(text);
    free(text);
    json_decref(v);
}

/* The password: the first line of stdin, without its line ending. */
static int read_password(char *buf, size_t size)
{
    if (!fgets(buf, (int)size, stdin))
        buf[0] = '\0';
    size_t n = strcspn(buf, "\r\n");
    if (n == size - 1 && buf[n] == '\0')
        return cli_usage_error("proctor add", "the password is longer than 1024 bytes");
    buf[n] = '\0';
    return CLI_OK;
}

static int add(int argc, char **argv)
{
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, "proctor add", argc, argv, NULL, NULL, NULL, &first);
    if (rc)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("proctor add", "expected one proctor name (the password is "
                               "read from stdin)");
    char password[1026];
    if ((rc = read_password(password, sizeof password)) || (rc = cli_ctx_open(&c)))
        return rc;
    ks_error err;
    if (ks_exam_proctor_add(&c.exam, argv[first], password, &err))
        rc = cli_fail(&err);
    else
        printf("added proctor %s\n", argv[first]);
    cli_ctx_close(&c);
    return rc;
}

static int list(int argc, char **argv)
{
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, "proctor list", argc, argv, NULL, NULL, NULL, &first);
    if (rc)
        return rc;
    if (argc != first)
        return cli_usage_error("proctor list", "expected no arguments");
    if ((rc = cli_ctx_open(&c)))
        return rc;
    ks_proctor *all;
    size_t n;
    ks_error err;
    if (ks_store_proctor_list(c.store, &all, &n, &err)) {
        cli_ctx_close(&c);
        return cli_fail(&err);
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        char at[KS_TIME_BUF];
        ks_time_format(all[i].created_at, 0, at);
        if (c.json)
            json_array_append_new(arr, json_pack("{ss ss}", "name", all[i].name, "created_at",
                                                 at));
        else
            printf("%-20s added %s\n", all[i].name, at);
    }
    if (c.json)
        print_json(arr);
    else
        json_decref(arr);
    ks_proctor_list_free(all, n);
    cli_ctx_close(&c);
    return CLI_OK;
}

static int notes(int argc, char **argv)
{
    cli_ctx c;
    ks_sitting s;
    int rc = cli_ctx_open_sitting(&c, "proctor notes", argc, argv, &s);
    if (rc)
        return rc;
    ks_note *all = NULL;
    size_t n = 0;
    ks_error err;
    if (ks_store_notes(c.store, s.id, &all, &n, &err)) {
        rc = cli_fail(&err);
    } else {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            char at[KS_TIME_BUF];
            cli_time(&s, all[i].at, at);
            if (c.json)
                json_array_append_new(arr, json_pack("{sI ss ss ss}", "attempt",
                                                     (json_int_t)all[i].attempt_id, "at", at,
                                                     "author", all[i].author, "text",
                                                     all[i].text));
            else
                printf("%s %s attempt %lld: %s\n", at, all[i].author,
                       (long long)all[i].attempt_id, all[i].text);
        }
        if (c.json)
            print_json(arr);
        else
            json_decref(arr);
    }
    ks_note_list_free(all, n);
    ks_sitting_free(&s);
    cli_ctx_close(&c);
    return rc;
}

/* The state of a candidate's latest attempt, as the console names it. */
static const char *attempt_state(const ks_attempt *a)
{
    if (!a)
        return "not_started";
    if (a->state != KS_ATTEMPT_ACTIVE)
        return "finished";
    return a->paused_at ? "paused" : "running";
}

/* One candidate of the sitting: their latest attempt and its extra time (or
 * theirs when they have not started); NULL when their number or name is no
 * UTF-8. */
static json_t *status_row(const ks_sitting *s, const ks_enrollment *e, const ks_attempt *a,
                          int64_t now)
{
    char extra[KS_ACCOMMODATION_BUF], deadline[KS_TIME_BUF];
    ks_accommodation time = ks_exam_attempt_accommodation(e, a, s->duration_ms);
    json_t *row = json_pack("{ss ss ss ss}", "candidate", e->number, "name", e->name, "state",
                            attempt_state(a), "extra_time",
                            ks_exam_accommodation_text(&time, extra));
    if (row && a) {
        json_object_set_new(row, "attempt", json_integer((json_int_t)a->id));
        json_object_set_new(row, "deadline",
                            json_string(cli_time(s, a->deadline_at, deadline)));
        json_object_set_new(row, "time_left_ms",
                            json_integer((json_int_t)ks_exam_time_left(a, now)));
    }
    return row;
}

static void print_status_row(json_t *row)
{
    json_t *attempt = json_object_get(row, "attempt");
    long long left = json_integer_value(json_object_get(row, "time_left_ms")) / 1000;
    const char *extra = json_string_value(json_object_get(row, "extra_time"));
    cli_print_padded(json_string_value(json_object_get(row, "candidate")), 13);
    cli_print_padded(json_string_value(json_object_get(row, "name")), 17);
    printf("%-12s ", json_string_value(json_object_get(row, "state")));
    if (attempt)
        printf("%-8lld %-26s %lld:%02lld:%02lld  ", (long long)json_integer_value(attempt),
               json_string_value(json_object_get(row, "deadline")), left / 3600,
               left / 60 % 60, left % 60);
    else
        printf("%-8s %-26s %-7s  ", "-", "-", "-");
    printf("%s\n", strcmp(extra, "none") == 0 ? "-" : extra);
}

static int status(int argc, char **argv)
{
    cli_ctx c;
    ks_sitting s;
    int rc = cli_ctx_open_sitting(&c, "proctor status", argc, argv, &s);
    if (rc)
        return rc;
    ks_enrollment *en = NULL;
    ks_attempt *at = NULL;
    size_t ne = 0, na = 0;
    ks_error err;
    if (ks_exam_finalize_overdue(&c.exam, s.id, NULL, &err) ||
        ks_store_enrollments(c.store, s.id, &en, &ne, &err) ||
        ks_store_attempts_in(c.store, s.id, &at, &na, &err)) {
        rc = cli_fail(&err);
    } else {
        json_t *rows = json_array();
        int complete = 1;
        for (size_t i = 0; i < ne; i++) {
            const ks_attempt *latest = NULL;
            for (size_t k = 0; k < na; k++)
                if (at[k].candidate_id == en[i].candidate_id)
                    latest = &at[k];
            complete &= json_array_append_new(rows, status_row(&s, &en[i], latest,
                                                               ks_clock_now(&c.clock))) == 0;
        }
        if (!complete) {
            rc = cli_fail(&(ks_error){KS_EINTERNAL, "a candidate's number or name in this "
                                                    "sitting is not UTF-8 text"});
        } else if (c.json) {
            rc = cli_print_json(rows, JSON_INDENT(2) | JSON_SORT_KEYS);
        } else {
            printf("%-12s %-16s %-12s %-8s %-26s %-7s  %s\n", "candidate", "name", "state",
                   "attempt", "deadline", "left", "extra time");
            size_t i;
            json_t *row;
            json_array_foreach(rows, i, row)
                print_status_row(row);
        }
        json_decref(rows);
    }
    ks_attempt_list_free(at, na);
    ks_enrollment_list_free(en, ne);
    ks_sitting_free(&s);
    cli_ctx_close(&c);
    return rc;
}

/* ---- actions on one attempt ------------------------------------------------ */

/* Prints the attempt's deadline as "deadline TIME" in its sitting's zone. */
static int print_deadline(cli_ctx *c, int64_t id, const char *done)
{
    ks_attempt a;
    ks_sitting s;
    ks_error err;
    if (ks_store_attempt_get(c->store, id, &a, &err))
        return cli_fail(&err);
    ks_status rc = ks_store_sitting_by_id(c->store, a.sitting_id, &s, &err);
    if (!rc) {
        char when[KS_TIME_BUF];
        printf("%s attempt %lld; deadline %s\n", done, (long long)id,
               cli_time(&s, a.deadline_at, when));
        ks_sitting_free(&s);
    }
    ks_attempt_free(&a);
    return rc ? cli_fail(&err) : CLI_OK;
}

static int run_extend(cli_ctx *c, int64_t id, const char *duration)
{
    int64_t delta;
    ks_error err;
    if (ks_duration_parse(duration, &delta) != 0)
        return cli_usage_error("proctor extend", "DURATION: expected a duration such as 10m "
                               "or 1h30m, found '%s'", duration);
    if (ks_exam_extend(&c->exam, id, delta, NULL, &err))
        return cli_fail(&err);
    char done[64];
    snprintf(done, sizeof done, "gave %s more to", duration);
    return print_deadline(c, id, done);
}

static int run_pause(cli_ctx *c, int64_t id, const char *arg)
{
    (void)arg;
    ks_error err;
    ks_attempt a;
    if (ks_exam_pause(&c->exam, id, &err) || ks_store_attempt_get(c->store, id, &a, &err))
        return cli_fail(&err);
    int64_t left = ks_exam_time_left(&a, ks_clock_now(&c->clock)) / 1000;
    printf("paused attempt %lld with %lld:%02lld left\n", (long long)id, (long long)(left / 60),
           (long long)(left % 60));
    ks_attempt_free(&a);
    return CLI_OK;
}

static int run_resume(cli_ctx *c, int64_t id, const char *arg)
{
    (void)arg;
    ks_error err;
    if (ks_exam_resume(&c->exam, id, NULL, &err))
        return cli_fail(&err);
    return print_deadline(c, id, "resumed");
}

static int run_submit(cli_ctx *c, int64_t id, const char *arg)
{
    (void)arg;
    ks_error err;
    if (ks_exam_submit(&c->exam, id, "forced", &err))
        return cli_fail(&err);
    printf("force-submitted attempt %lld\n", (long long)id);
    return CLI_OK;
}

static int run_note(cli_ctx *c, int64_t id, const char *text)
{
    ks_error err;
    if (ks_exam_note(&c->exam, id, text, &err))
        return cli_fail(&err);
    printf("noted on attempt %lld\n", (long long)id);
    return CLI_OK;
}

typedef struct action {
    const char *name; /* "extend" */
    const char *args; /* the positional arguments, for the usage error */
    int nargs;        /* how many follow ATTEMPT */
    int (*run)(cli_ctx *c, int64_t id, const char *arg);
} action;

static const action actions[] = {
    {"extend", "ATTEMPT DURATION", 1, run_extend},
    {"pause", "ATTEMPT", 0, run_pause},
    {"resume", "ATTEMPT", 0, run_resume},
    {"submit", "ATTEMPT", 0, run_submit},
    {"note", "ATTEMPT TEXT", 1, run_note},
};

static int attempt_action(const action *a, int argc, char **argv)
{
    static const struct option opts[] = {{"as", required_argument, NULL, OPT_AS}, {0}};
    char cmd[32];
    snprintf(cmd, sizeof cmd, "proctor %s", a->name);
    const char *as = NULL;
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, cmd, argc, argv, opts, on_as, &as, &first);
    if (rc)
        return rc;
    if (argc - first != 1 + a->nargs)
        return cli_usage_error(cmd, "expected %s", a->args);
    char *end;
    long long id = strtoll(argv[first], &end, 10);
    if (*end || !*argv[first] || id < 1)
        return cli_usage_error(cmd, "ATTEMPT: expected a positive whole number, found '%s'",
                               argv[first]);
    if ((rc = cli_ctx_open(&c)))
        return rc;
    if (!(rc = cli_ctx_act_as(&c, as)))
        rc = a->run(&c, id, a->nargs ? argv[first + 1] : NULL);
    cli_ctx_close(&c);
    return rc;
}

int cmd_proctor(int argc, char **argv)
{
    static const char expected[] =
        "expected add, list, status, extend, pause, resume, submit, note or notes";
    if (argc < 2)
        return cli_usage_error("proctor", "%s", expected);
    const char *sub = argv[1];
    if (strcmp(sub, "add") == 0)
        return add(argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return list(argc - 1, argv + 1);
    if (strcmp(sub, "notes") == 0)
        return notes(argc - 1, argv + 1);
    if (strcmp(sub, "status") == 0)
        return status(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
        if (strcmp(sub, actions[i].name) == 0)
            return attempt_action(&actions[i], argc - 1, argv + 1);
    return cli_usage_error("proctor", "unknown subcommand '%s'; %s", sub, expected);
}
