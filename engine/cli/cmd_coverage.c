/* kaoshi coverage [CODE|SCRIPT...] [--forms N]: for each certification,
 * every section (for CCOM: every syllabus bullet) with its pool by question
 * type, its items in exclusive groups and how many disjoint forms the pool
 * supports (a group gives a form at most one item); fails when a section
 * has no item or the pools cannot give every allowed attempt a fresh form.
 * With --forms, the difficulty of the forms seeds 1..N draw. */
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaoshi/coverage.h"

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"

/* Counts the pool of a section by type into a JSON object. */
static json_t *types_of(const ks_cert *cert, const ks_cert_section *sec)
{
    json_t *counts = json_object();
    for (size_t i = 0; i < sec->pool_size; i++) {
        const char *type = ks_cert_item(cert, sec->pool[i])->type;
        json_t *n = json_object_get(counts, type);
        json_object_set_new(counts, type, json_integer(n ? json_integer_value(n) + 1 : 1));
    }
    return counts;
}

/* How many items of a section's pool belong to a group. */
static size_t grouped_items(const ks_cert *cert, const ks_cert_section *sec)
{
    size_t n = 0;
    for (size_t i = 0; i < sec->pool_size; i++)
        n += ks_cert_item(cert, sec->pool[i])->group != NULL;
    return n;
}

static void print_types(json_t *counts)
{
    const char *type;
    json_t *n;
    int first = 1;
    json_object_foreach(counts, type, n) {
        printf("%s%s %lld", first ? "" : ", ", type, (long long)json_integer_value(n));
        first = 0;
    }
}

enum { OPT_FORMS = 1 };
#define MAX_FORMS 10000u

/* Adds the difficulty of nforms forms to the report (and prints it). */
static ks_status report_difficulty(const cli_ctx *c, ks_cert *cert, unsigned nforms,
                                   json_t *entry)
{
    ks_coverage_difficulty d;
    ks_error err;
    ks_status rc = ks_coverage_difficulty_of(cert, nforms, &d, &err);
    if (rc) {
        cli_fail(&err);
        return rc;
    }
    if (!c->json)
        printf("  => difficulty of the forms of seeds 1-%u (items' 1-5 labels): mean %.2f, "
               "sd %.2f, from %.2f to %.2f\n", nforms, d.mean, d.sd, d.min, d.max);
    json_object_set_new(entry, "difficulty",
                        json_pack("{sI sf sf sf sf}", "forms", (json_int_t)d.forms, "mean", d.mean,
                                  "sd", d.sd, "min", d.min, "max", d.max));
    return KS_OK;
}

/* Reports one certification; returns 1 when its coverage falls short. */
static int cover(const cli_ctx *c, const char *ref, unsigned nforms, json_t *report)
{
    ks_fileset *fs;
    ks_cert *cert;
    ks_diags diags = {0}, warnings = {0};
    ks_status rc = ks_exam_find_cert(c->root, ref, &fs, &cert, &diags, &warnings);
    for (size_t i = 0; i < diags.count; i++)
        fprintf(stderr, "%s\n", diags.lines[i]);
    ks_diags_free(&diags);
    ks_diags_free(&warnings);
    if (rc)
        return 1;
    const ks_cert_info *in = ks_cert_info_of(cert);
    size_t forms = ks_coverage_forms(in);
    int short_pool = 0;
    json_t *sections = json_array();
    if (!c->json)
        printf("%s %s (%d attempts allowed)\n", in->code, in->title, in->attempts);
    for (size_t s = 0; s < in->nsections; s++) {
        const ks_cert_section *sec = &in->sections[s];
        size_t supports = ks_coverage_section_forms(sec);
        /* the units are the groups and the items without one */
        size_t grouped = grouped_items(cert, sec);
        size_t groups = sec->nunits - (sec->pool_size - grouped);
        short_pool |= sec->pool_size == 0;
        json_t *types = types_of(cert, sec);
        if (!c->json) {
            printf("  %2zu. %s: %zu item%s (", s + 1, sec->title, sec->pool_size,
                   sec->pool_size == 1 ? "" : "s");
            print_types(types);
            if (grouped)
                printf("; %zu of them in %zu group%s", grouped, groups, groups == 1 ? "" : "s");
            printf("), draws %d, %zu disjoint form%s%s\n", sec->pick, supports,
                   supports == 1 ? "" : "s",
                   supports < (size_t)in->attempts ? "  <- too few" : "");
        }
        json_array_append_new(
            sections, json_pack("{ss ss sI sI sI si so sI}", "title", sec->title, "rule",
                                sec->rule, "items", (json_int_t)sec->pool_size, "grouped",
                                (json_int_t)grouped, "groups", (json_int_t)groups, "pick",
                                sec->pick, "types", types, "forms", (json_int_t)supports));
    }
    int failed = short_pool || forms < (size_t)in->attempts;
    if (!c->json)
        printf("  => %zu disjoint forms for %d attempts: %s\n", forms, in->attempts,
               failed ? "NOT ENOUGH" : "ok");
    json_t *entry = json_pack("{ss ss si sI sb so}", "code", in->code, "title", in->title,
                              "attempts", in->attempts, "forms", (json_int_t)forms, "ok", !failed,
                              "sections", sections);
    if (nforms && report_difficulty(c, cert, nforms, entry))
        failed = 1;
    json_array_append_new(report, entry);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    return failed;
}

static int on_option(int val, const char *arg, void *ud)
{
    unsigned *nforms = ud;
    size_t digits = strspn(arg, "0123456789");
    unsigned long n = digits && digits <= 5 && !arg[digits] ? strtoul(arg, NULL, 10) : ULONG_MAX;
    if (val != OPT_FORMS || n < 1 || n > MAX_FORMS)
        return cli_usage_error("coverage", "--forms: expected a whole number from 1 to %u, "
                               "found '%s'", MAX_FORMS, arg);
    *nforms = (unsigned)n;
    return CLI_OK;
}

int cmd_coverage(int argc, char **argv)
{
    static const struct option options[] = {{"forms", required_argument, NULL, OPT_FORMS}, {0}};
    cli_ctx c;
    unsigned nforms = 0;
    int first, rc = cli_ctx_parse(&c, "coverage", argc, argv, options, on_option, &nforms, &first);
    if (rc)
        return rc;
    json_t *report = json_array();
    int failed = 0;
    if (first == argc) {
        char **paths;
        size_t n;
        ks_error err;
        if (ks_exam_script_paths(c.root, &paths, &n, &err)) {
            json_decref(report);
            return cli_fail(&err);
        }
        for (size_t i = 0; i < n; i++)
            failed += cover(&c, paths[i], nforms, report);
        ks_cert_free_ids(paths, n);
    }
    for (int i = first; i < argc; i++)
        failed += cover(&c, argv[i], nforms, report);
    if (c.json) {
        char *text = json_dumps(report, JSON_INDENT(2));
        puts(text);
        free(text);
    }
    json_decref(report);
    return failed ? CLI_FAILED : CLI_OK;
}
