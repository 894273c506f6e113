/* kaoshi simulate CODE|SCRIPT --candidates N: runs N synthetic candidates
 * through real forms in a throwaway database (or one kept with --db) and
 * prints what the sitting would look like (kaoshi/simulate.h). */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kaoshi/simmodel.h"
#include "kaoshi/simulate.h"

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"

#define CMD "simulate"
/* The sittings the simulation creates: simulation-1, simulation-2, ... */
#define SITTING "simulation"

enum { OPT_CANDIDATES = 1, OPT_SEED, OPT_ABILITY, OPT_PACE };

typedef struct sim_args {
    ks_simulate_options o;
    int have_candidates;
} sim_args;

static int parse_number(const char *text, double *out)
{
    char *end;
    *out = strtod(text, &end);
    return *text && !*end && isfinite(*out);
}

static int on_option(int val, const char *arg, void *ud)
{
    sim_args *a = ud;
    char *end;
    switch (val) {
    case OPT_CANDIDATES: {
        long long n = strtoll(arg, &end, 10);
        if (*end || !*arg || n < 1 || n > KS_SIMULATE_MAX_CANDIDATES)
            return cli_usage_error(CMD, "--candidates: expected a whole number from 1 to %d, "
                                   "found '%s'", KS_SIMULATE_MAX_CANDIDATES, arg);
        a->o.candidates = (size_t)n;
        a->have_candidates = 1;
        return CLI_OK;
    }
    case OPT_SEED: {
        unsigned long long v = strtoull(arg, &end, 10);
        if (*end || !*arg || arg[0] == '-' || v > 0x7fffffffffffffffULL)
            return cli_usage_error(CMD, "--seed: expected a whole number, found '%s'", arg);
        a->o.seed = v;
        return CLI_OK;
    }
    case OPT_ABILITY: {
        const char *comma = strchr(arg, ',');
        char mean[64];
        int ok = comma && (size_t)(comma - arg) < sizeof mean;
        if (ok) {
            snprintf(mean, sizeof mean, "%.*s", (int)(comma - arg), arg);
            ok = parse_number(mean, &a->o.ability_mean) &&
                 parse_number(comma + 1, &a->o.ability_sd) && a->o.ability_sd >= 0 &&
                 fabs(a->o.ability_mean) <= 20 && a->o.ability_sd <= 20;
        }
        if (!ok)
            return cli_usage_error(CMD, "--ability: expected MEAN,SD in logits (e.g. 0,1; SD "
                                   ">= 0, both within 20), found '%s'", arg);
        return CLI_OK;
    }
    case OPT_PACE:
        if (!parse_number(arg, &a->o.pace_s) || a->o.pace_s <= 0 || a->o.pace_s > 3600)
            return cli_usage_error(CMD, "--pace: expected seconds above 0 and at most 3600, "
                                   "found '%s'", arg);
        return CLI_OK;
    default:
        return CLI_USAGE;
    }
}

/* --db given on the command line (not $KAOSHI_DB: a simulation never writes
 * into the installation's database by default). */
static int db_given(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--db") == 0 || strncmp(argv[i], "--db=", 5) == 0)
            return 1;
    return 0;
}

/* ---- the text report ---------------------------------------------------------- */

static double num(const json_t *o, const char *path)
{
    char key[64];
    const char *dot = strchr(path, '.');
    if (!dot)
        return json_number_value(json_object_get(o, path));
    snprintf(key, sizeof key, "%.*s", (int)(dot - path), path);
    return num(json_object_get(o, key), dot + 1);
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void print_scores(const char *label, const json_t *s)
{
    if (num(s, "n") == 0)
        return;
    printf("  %-15s mean %.1f, sd %.1f; p10 %.1f, p25 %.1f, median %.1f, p75 %.1f, p90 %.1f\n",
           label, num(s, "mean"), num(s, "sd"), num(s, "p10"), num(s, "p25"),
           num(s, "median"), num(s, "p75"), num(s, "p90"));
}

static void print_counts(const json_t *counts)
{
    const char *name;
    json_t *n;
    int first = 1;
    json_object_foreach((json_t *)counts, name, n) {
        printf("%s%s: %lld", first ? "" : "; ", name, (long long)json_integer_value(n));
        first = 0;
    }
}

static void print_report(const json_t *r, const char *kept)
{
    const json_t *exam = json_object_get(r, "exam"), *model = json_object_get(r, "model");
    printf("%s %s: %.0f simulated candidates (seed %.0f; ability N(%g, %g) logits; pace %g s)\n",
           str(exam, "code"), str(exam, "title"), num(r, "candidates"), num(r, "seed"),
           num(model, "ability_mean"), num(model, "ability_sd"), num(model, "pace_s"));
    const json_t *mark = json_object_get(exam, "pass_mark");
    char pass[32] = "pass rule of the script";
    if (json_is_number(mark))
        snprintf(pass, sizeof pass, "pass mark %g%%", json_number_value(mark));
    printf("exam: %.0f questions, %g points, %s, %g minutes, %.0f attempts allowed\n",
           num(exam, "questions"), num(exam, "max_score"), pass, num(exam, "duration_min"),
           num(exam, "attempts_allowed"));
    const json_t *by = json_object_get(r, "by_attempt"), *k;
    size_t i;
    printf("attempts: %.0f\npass rate: %.1f%% on the first attempt; cumulative by attempt:",
           num(r, "attempts"), num(r, "pass_rate.first"));
    json_array_foreach(by, i, k) {
        printf("%s%.1f%%", i ? " -> " : " ", num(k, "cumulative_pass_rate"));
    }
    printf("\n");
    json_array_foreach(by, i, k) {
        printf("  attempt %.0f: %.0f sat, %.0f passed (%.1f%%), mean score %.1f%%, %.0f ran out "
               "of time\n", num(k, "number"), num(k, "attempts"), num(k, "passed"),
               num(k, "pass_rate"), num(k, "mean_score"), num(k, "ran_out"));
    }
    const json_t *refused = json_object_get(r, "refused");
    if (json_object_size(refused)) {
        printf("refused another attempt by the policy: ");
        print_counts(refused);
        printf("\n");
    }
    printf("scores (%% of the maximum):\n");
    print_scores("first attempts:", json_object_get(json_object_get(r, "scores"), "first"));
    print_scores("all attempts:", json_object_get(json_object_get(r, "scores"), "all"));
    const json_t *t = json_object_get(r, "time");
    printf("time: %g min allowed; used median %.1f, p90 %.1f min; needed median %.1f, p90 %.1f "
           "min; %.0f of %.0f attempts (%.1f%%) ran out of time\n", num(t, "allowed_min"),
           num(t, "used_median_min"), num(t, "used_p90_min"), num(t, "needed_median_min"),
           num(t, "needed_p90_min"), num(t, "ran_out"), num(r, "attempts"),
           num(t, "ran_out_rate"));
    const json_t *e = json_object_get(r, "exposure"), *never = json_object_get(e, "never_drawn");
    printf("exposure: %.0f of %.0f pool items drawn (%.1f%%); exposure rate max %.1f%%, mean "
           "%.1f%%; never drawn: ", num(e, "drawn"), num(e, "pool"), num(e, "drawn_rate"),
           num(e, "max_rate"), num(e, "mean_rate"));
    if (!json_array_size(never))
        printf("none");
    json_array_foreach(never, i, k) {
        if (i == 10) {
            printf(", ... (%zu in all)", json_array_size(never));
            break;
        }
        printf("%s%s", i ? ", " : "", json_string_value(k));
    }
    const json_t *rt = json_object_get(r, "retakes");
    printf("\nretakes: %.0f (%.0f with an item seen before, %.0f repeated items); no item "
           "repeated through attempt %.0f; the pools support %.0f disjoint forms for %.0f "
           "attempts (kaoshi coverage)\n", num(rt, "retakes"), num(rt, "with_repeats"),
           num(rt, "repeated_items"), num(rt, "fresh_through"), num(rt, "disjoint_forms"),
           num(rt, "attempts_allowed"));
    if (num(r, "essays_marked") > 0)
        printf("essays: %.0f answers need a person's mark; the simulation marked them (1 for an "
               "answer the model makes right, 0 for the empty one)\n", num(r, "essays_marked"));
    if (json_object_size(json_object_get(r, "unanswered"))) {
        printf("left unanswered (question types the model does not know): ");
        print_counts(json_object_get(r, "unanswered"));
        printf("\n");
    }
    if (kept) {
        const json_t *sittings = json_object_get(r, "sittings");
        printf("database: %s, sittings ", kept);
        json_array_foreach(sittings, i, k) printf("%s%s", i ? ", " : "", json_string_value(k));
        printf(" (e.g. kaoshi results %s --db %s)\n",
               json_string_value(json_array_get(sittings, 0)), kept);
    }
}

/* ---- the command ----------------------------------------------------------------- */

/* A fresh directory for the throwaway database. */
static char *temp_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = NULL;
    if (asprintf(&dir, "%s/kaoshi-simulate-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
        return NULL;
    if (!mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    return dir;
}

static void remove_db(char *dir, const char *db)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char *path = NULL;
        if (asprintf(&path, "%s%s", db, suffixes[i]) >= 0)
            unlink(path);
        free(path);
    }
    rmdir(dir);
    free(dir);
}

int cmd_simulate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"candidates", required_argument, NULL, OPT_CANDIDATES},
        {"seed", required_argument, NULL, OPT_SEED},
        {"ability", required_argument, NULL, OPT_ABILITY},
        {"pace", required_argument, NULL, OPT_PACE},
        {0}};
    sim_args a = {.o = {.sitting = SITTING, .seed = 1, .ability_sd = 1,
                        .pace_s = KS_SIMMODEL_PACE_S}};
    cli_ctx c;
    int keep = db_given(argc, argv);
    int first, rc = cli_ctx_parse(&c, CMD, argc, argv, opts, on_option, &a, &first);
    if (rc)
        return rc;
    if (argc - first != 1)
        return cli_usage_error(CMD, "expected one certification code or script");
    if (!a.have_candidates)
        return cli_usage_error(CMD, "--candidates N is required");
    if (keep && access(c.db_path, F_OK) == 0)
        return cli_usage_error(CMD, "--db: %s already exists; give a new file (a simulation "
                               "writes a database of its own)", c.db_path);
    char *dir = NULL, *db = NULL;
    if (!keep) {
        if (!(dir = temp_dir()) || asprintf(&db, "%s/simulate.db", dir) < 0) {
            ks_error err;
            ks_error_set(&err, KS_EIO, "cannot create a temporary directory for the "
                         "simulation's database");
            if (dir)
                rmdir(dir);
            free(dir);
            return cli_fail(&err);
        }
        c.db_path = db;
    }
    a.o.cert = argv[first];
    a.o.start_ms = ks_clock_now(&c.clock);
    json_t *report = NULL;
    if ((rc = cli_ctx_open(&c)) == CLI_OK) {
        ks_error err;
        ks_diags diags = {0};
        if (ks_simulate_run(c.store, c.root, &a.o, &report, &diags, &err)) {
            if (diags.count)
                for (size_t i = 0; i < diags.count; i++)
                    fprintf(stderr, "%s\n", diags.lines[i]);
            rc = diags.count ? CLI_FAILED : cli_fail(&err);
        }
        ks_diags_free(&diags);
        cli_ctx_close(&c);
    }
    if (report && c.json) {
        json_object_set_new(report, "database", keep ? json_string(c.db_path) : json_null());
        char *text =
            json_dumps(report, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(12));
        puts(text);
        free(text);
    } else if (report) {
        print_report(report, keep ? c.db_path : NULL);
    }
    json_decref(report);
    if (!keep)
        remove_db(dir, db);
    free(db);
    return rc;
}
