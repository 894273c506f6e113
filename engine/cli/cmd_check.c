/* kaoshi check [FILE...] [--seeds N] [--json]: loads certification scripts
 * (and the banks they name) and exercises every hook of every item on N seeds
 * (include/kaoshi/exercise.h), or checks lone banks against the built-in
 * question types (include/kaoshi/cert_bank.h); reports every problem as
 * file:line[:column], warnings and notes after "warning: ", or all of it as
 * one JSON object. */
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "kaoshi/bank.h"
#include "kaoshi/cert_bank.h"
#include "kaoshi/exercise.h"

#define MAX_SEEDS 1000u

enum { OPT_SEEDS = 1 };

/* What checking one file found. */
typedef struct checked {
    ks_diags problems, warnings, notes;
    json_t *facts; /* once loaded, for the "ok" line and the JSON: code, title, ... */
} checked;

static void checked_free(checked *k)
{
    ks_diags_free(&k->problems);
    ks_diags_free(&k->warnings);
    ks_diags_free(&k->notes);
    json_decref(k->facts);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Copies the lines of from into to, "FULL..." written as "PATH...": the path
 * as the author gave it. */
static void add_as_given(ks_diags *to, const ks_diags *from, const char *full, const char *path)
{
    size_t n = strlen(full);
    for (size_t i = 0; i < from->count; i++) {
        const char *line = from->lines[i];
        if (strncmp(line, full, n) == 0)
            ks_diags_add(to, "%s%s", path, line + n);
        else
            ks_diags_add(to, "%s", line);
    }
}

static void check_bank(const cli_ctx *c, const char *path, checked *k)
{
    /* a relative path is found from --root, as the certifications find banks */
    char full[4096];
    if (path[0] == '/')
        snprintf(full, sizeof full, "%s", path);
    else
        snprintf(full, sizeof full, "%s/%s", c->root, path);
    ks_bank *bank = NULL;
    ks_diags problems = {0}, notes = {0};
    if (ks_bank_load(full, &bank, &problems) == KS_OK) {
        k->facts = json_pack("{ss sI}", "bank", bank->name, "items", (json_int_t)bank->count);
        ks_cert_check_bank(bank, &problems, &notes);
    }
    add_as_given(&k->problems, &problems, full, path);
    add_as_given(&k->notes, &notes, full, path);
    ks_diags_free(&problems);
    ks_diags_free(&notes);
    ks_bank_free(bank);
}

/* path relative to the root: scripts are loaded from a file set rooted there
 * (so that they find their modules and banks); an absolute path must lie
 * under the root. NULL, with the reason in problems, when it does not. */
static const char *under_root(const cli_ctx *c, const char *path, char *rel, size_t size,
                              ks_diags *problems)
{
    if (path[0] != '/')
        return path;
    /* both resolved, so links and ".." compare as the files they name */
    char *root = realpath(c->root, NULL), *full = realpath(path, NULL);
    const char *file = full ? full : path;
    size_t n = root ? strlen(root) : 0;
    int inside = root && strncmp(file, root, n) == 0 && file[n] == '/';
    if (inside)
        snprintf(rel, size, "%s", file + n + 1);
    else
        ks_diags_add(problems, "kaoshi check: %s is not under the root %s (scripts find their "
                     "modules and banks from the root; use --root)", path, root ? root : c->root);
    free(root);
    free(full);
    return inside ? rel : NULL;
}

static json_t *cert_facts(const ks_cert *cert)
{
    const ks_cert_info *in = ks_cert_info_of(cert);
    int questions = 0;
    for (size_t i = 0; i < in->nsections; i++)
        questions += in->sections[i].pick;
    /* items with points of their own make forms differ: the range */
    return json_pack("{ss ss sI si sf sf sI}", "code", in->code, "title", in->title, "items",
                     (json_int_t)in->nitems, "questions", questions, "points",
                     in->max_score_max, "points_min", in->max_score_min, "minutes",
                     (json_int_t)(in->duration_ms / 60000));
}

/* Loads the script and exercises its hooks on `seeds` seeds. rel receives
 * the path as checked (relative to the root), or as given when it is not
 * under the root. */
static void check_script(const cli_ctx *c, const char *path, unsigned seeds, checked *k,
                         char *rel, size_t size)
{
    const char *inside = under_root(c, path, rel, size, &k->problems);
    if (inside != rel)
        snprintf(rel, size, "%s", inside ? inside : path);
    if (!inside)
        return;
    ks_fileset *fs = ks_fileset_disk(c->root);
    if (!fs) {
        ks_diags_add(&k->problems, "out of memory");
        return;
    }
    ks_cert *cert = NULL;
    if (ks_cert_load(fs, rel, &cert, &k->problems, &k->warnings) == KS_OK) {
        k->facts = cert_facts(cert);
        if (seeds > 0)
            ks_exam_exercise(cert, seeds, &k->problems, &k->notes);
    }
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

static void print_lines(const ks_diags *d, const char *prefix)
{
    for (size_t i = 0; i < d->count; i++)
        fprintf(stderr, "%s%s\n", prefix, d->lines[i]);
}

static void print_text(const char *path, const checked *k)
{
    print_lines(&k->problems, "");
    print_lines(&k->warnings, "warning: ");
    print_lines(&k->notes, "warning: ");
    json_t *f = k->facts;
    if (!f || k->problems.count)
        return;
    if (json_object_get(f, "bank")) {
        printf("ok %s: bank %s, %lld items\n", path,
               json_string_value(json_object_get(f, "bank")),
               (long long)json_integer_value(json_object_get(f, "items")));
        return;
    }
    double lo = json_real_value(json_object_get(f, "points_min"));
    double hi = json_real_value(json_object_get(f, "points"));
    char points[64];
    if (lo == hi)
        snprintf(points, sizeof points, "%g", hi);
    else
        snprintf(points, sizeof points, "%g–%g", lo, hi);
    printf("ok %s: %s %s, %lld items, %lld questions, %s points, %lld minutes\n", path,
           json_string_value(json_object_get(f, "code")),
           json_string_value(json_object_get(f, "title")),
           (long long)json_integer_value(json_object_get(f, "items")),
           (long long)json_integer_value(json_object_get(f, "questions")), points,
           (long long)json_integer_value(json_object_get(f, "minutes")));
}

static json_t *lines_json(const ks_diags *d)
{
    json_t *list = json_array();
    for (size_t i = 0; i < d->count; i++)
        json_array_append_new(list, json_string(d->lines[i]));
    return list;
}

/* The JSON entry of one checked file: its path, ok, its facts when it
 * loaded, its problems, warnings and notes. */
static json_t *entry_json(const char *path, const checked *k)
{
    json_t *e = json_pack("{ss sb so so so}", "path", path, "ok", k->problems.count == 0,
                          "problems", lines_json(&k->problems), "warnings",
                          lines_json(&k->warnings), "notes", lines_json(&k->notes));
    if (e && k->facts)
        json_object_update(e, k->facts);
    return e;
}

/* The run's checks: the JSON document (--json) or nothing (text). */
typedef struct run {
    const cli_ctx *c;
    unsigned seeds;
    json_t *doc;
    int failed;
} run;

/* Checks one file and reports it as the run prints. */
static void check_file(run *r, const char *path, int is_bank)
{
    checked k = {0};
    char rel[4096];
    if (is_bank)
        check_bank(r->c, path, &k);
    else
        check_script(r->c, path, r->seeds, &k, rel, sizeof rel);
    /* a script is named relative to the root, as it was loaded */
    const char *shown = is_bank ? path : rel;
    if (!k.facts && !k.problems.count)
        ks_diags_add(&k.problems, "%s: out of memory", path);
    r->failed |= k.problems.count > 0;
    if (r->doc)
        json_array_append_new(json_object_get(r->doc, is_bank ? "banks" : "certifications"),
                              entry_json(shown, &k));
    else
        print_text(shown, &k);
    checked_free(&k);
}

static int on_option(int val, const char *arg, void *ud)
{
    unsigned *seeds = ud;
    size_t digits = strspn(arg, "0123456789");
    unsigned long n = digits && digits <= 4 && !arg[digits] ? strtoul(arg, NULL, 10) : ULONG_MAX;
    if (val != OPT_SEEDS || n > MAX_SEEDS)
        return cli_usage_error("check", "--seeds: expected a whole number from 0 to %u, "
                               "found '%s'", MAX_SEEDS, arg);
    *seeds = (unsigned)n;
    return CLI_OK;
}

/* Every script under scripts/; CLI_OK or the exit code after saying why not. */
static int check_every_script(run *r)
{
    char **paths;
    size_t n;
    ks_error err;
    if (ks_exam_script_paths(r->c->root, &paths, &n, &err))
        return cli_fail(&err);
    if (n == 0) {
        fprintf(stderr, "kaoshi check: no certification scripts under %s/scripts\n",
                r->c->root);
        ks_cert_free_ids(paths, n);
        return CLI_FAILED;
    }
    for (size_t i = 0; i < n; i++)
        check_file(r, paths[i], 0);
    ks_cert_free_ids(paths, n);
    return CLI_OK;
}

int cmd_check(int argc, char **argv)
{
    static const struct option options[] = {{"seeds", required_argument, NULL, OPT_SEEDS},
                                            {0}};
    cli_ctx c;
    unsigned seeds = KS_EXERCISE_SEEDS;
    int first, rc = cli_ctx_parse(&c, "check", argc, argv, options, on_option, &seeds, &first);
    if (rc)
        return rc;
    for (int i = first; i < argc; i++)
        if (!ends_with(argv[i], ".yaml") && !ends_with(argv[i], ".yml") &&
            !ends_with(argv[i], ".lua"))
            return cli_usage_error("check", "'%s' is neither a script (.lua) nor a bank (.yaml)",
                                   argv[i]);
    run r = {&c, seeds, NULL, 0};
    if (c.json && !(r.doc = json_pack("{sI s[] s[]}", "seeds", (json_int_t)seeds,
                                      "certifications", "banks")))
        return cli_fail(&(ks_error){KS_EINTERNAL, "out of memory"});
    rc = first == argc ? check_every_script(&r) : CLI_OK;
    for (int i = first; rc == CLI_OK && i < argc; i++)
        check_file(&r, argv[i], !ends_with(argv[i], ".lua"));
    if (rc == CLI_OK && r.doc) {
        json_object_set_new(r.doc, "ok", json_boolean(!r.failed));
        rc = cli_print_json(r.doc, JSON_INDENT(2) | JSON_SORT_KEYS);
    }
    json_decref(r.doc);
    return rc != CLI_OK ? rc : r.failed ? CLI_FAILED : CLI_OK;
}
