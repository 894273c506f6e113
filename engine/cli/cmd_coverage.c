/* kaoshi coverage [CODE|SCRIPT...] [--forms N]: for each certification,
 * every section (for CCOM: every syllabus bullet) with its pool by question
 * type, its items in exclusive groups and how many disjoint forms the pool
 * supports (a group gives a form at most one item); fails when a section
 * has no item or the pools cannot give every allowed attempt a fresh form.
 * With --forms, the difficulty of the forms seeds 1..N draw. */
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
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

enum { OPT_FORMS = 1, OPT_ANGOFF };
#define MAX_FORMS 10000u
#define ANGOFF_FORMS 20u    /* forms --angoff lists without --forms */
#define ANGOFF_WITHIN 3.0   /* the band around the pass mark without a balance */

typedef struct options {
    unsigned nforms;
    int angoff;
} options;

static json_t *stats_json(const ks_coverage_stats *st)
{
    return json_pack("{sI sf sf sf sf}", "forms", (json_int_t)st->forms, "mean", st->mean, "sd",
                     st->sd, "min", st->min, "max", st->max);
}

/* The balance the certification declares, printed and as JSON; 1 when some
 * forms lie outside it. */
static int report_balance(const cli_ctx *c, const ks_cert_info *in, const ks_coverage_sample *s,
                          json_t *entry)
{
    if (in->balance_difficulty_within <= 0 && in->balance_angoff_within <= 0)
        return 0;
    json_t *balance = json_pack("{sI}", "outside", (json_int_t)s->off_balance);
    if (!c->json)
        printf("  => balance (");
    if (in->balance_difficulty_within > 0) {
        json_object_set_new(balance, "difficulty",
                            json_pack("{sf sf}", "target", in->balance_difficulty, "within",
                                      in->balance_difficulty_within));
        if (!c->json)
            printf("difficulty %g ± %g", in->balance_difficulty, in->balance_difficulty_within);
    }
    if (in->balance_angoff_within > 0) {
        json_object_set_new(balance, "angoff",
                            json_pack("{sf sf}", "target", in->balance_angoff, "within",
                                      in->balance_angoff_within));
        if (!c->json)
            printf("%sangoff %g ± %g", in->balance_difficulty_within > 0 ? ", " : "",
                   in->balance_angoff, in->balance_angoff_within);
    }
    if (!c->json) {
        printf("): %zu of %zu forms within", s->nforms - s->off_balance, s->nforms);
        if (s->off_balance) {
            printf(", outside: seeds");
            for (size_t i = 0, shown = 0; i < s->nforms && shown < 10; i++)
                if (!ks_coverage_balanced(in, &s->forms[i]))
                    printf("%s %zu", shown++ ? "," : "", i + 1);
            printf(s->off_balance > 10 ? ", …  <- NOT BALANCED\n" : "  <- NOT BALANCED\n");
        } else {
            printf("\n");
        }
    }
    json_object_set_new(entry, "balance", balance);
    return s->off_balance > 0;
}

/* Each form's Angoff score against the declared balance, else the pass mark
 * ± ANGOFF_WITHIN; 1 when a form lies outside or has unrated items. */
static int report_angoff(const cli_ctx *c, const ks_cert_info *in, const ks_coverage_sample *s,
                         json_t *entry)
{
    double target = in->balance_angoff_within > 0 ? in->balance_angoff : in->pass_mark;
    double within = in->balance_angoff_within > 0 ? in->balance_angoff_within : ANGOFF_WITHIN;
    size_t unrated = s->nforms - s->angoff.forms, outside = 0;
    json_t *scores = json_array();
    if (!c->json)
        printf("  => Angoff score (%% of the points a borderline candidate is expected to "
               "earn) of the forms of seeds 1-%zu:\n", s->nforms);
    for (size_t i = 0; i < s->nforms; i++) {
        double a = s->forms[i].angoff;
        int off = a >= 0 && target >= 0 && fabs(a - target) > within + 1e-9;
        outside += off;
        json_array_append_new(scores, a >= 0 ? json_real(a) : json_null());
        if (c->json)
            continue;
        /* six a line: "seed   1:  70.2 " ("!" for the blank when outside) */
        if (i % 6 == 0)
            printf("    ");
        if (a >= 0)
            printf(" seed %3zu: %5.1f", i + 1, a);
        else
            printf(" seed %3zu:     -", i + 1);
        int last = i % 6 == 5 || i + 1 == s->nforms;
        printf("%s", off ? (last ? "!\n" : "!") : (last ? "\n" : " "));
    }
    if (!c->json) {
        if (s->angoff.forms)
            printf("     mean %.1f, sd %.1f, from %.1f to %.1f", s->angoff.mean, s->angoff.sd,
                   s->angoff.min, s->angoff.max);
        if (target >= 0)
            printf("%s target %g ± %g: %zu outside (marked !)", s->angoff.forms ? ";" : "    ",
                   target, within, outside);
        printf("\n");
        if (unrated)
            printf("     %zu form%s hold items without an angoff rating (-): no score  "
                   "<- UNRATED\n", unrated, unrated == 1 ? "" : "s");
    }
    json_t *angoff = stats_json(&s->angoff);
    json_object_set_new(angoff, "scores", scores);
    json_object_set_new(angoff, "outside", json_integer((json_int_t)outside));
    json_object_set_new(angoff, "unrated_forms", json_integer((json_int_t)unrated));
    if (target >= 0)
        json_object_set_new(angoff, "target",
                            json_pack("{sf sf}", "target", target, "within", within));
    json_object_set_new(entry, "angoff", angoff);
    return outside > 0 || unrated > 0;
}

/* Draws the forms the options ask for and adds what they show to the report
 * (and prints it); 1 when a form is off balance or off its Angoff target,
 * -1 when drawing failed. */
static int report_forms(const cli_ctx *c, ks_cert *cert, const options *o, json_t *entry)
{
    const ks_cert_info *in = ks_cert_info_of(cert);
    unsigned nforms = o->nforms ? o->nforms : ANGOFF_FORMS;
    ks_coverage_sample s;
    ks_error err;
    if (ks_coverage_sample_of(cert, nforms, &s, &err)) {
        cli_fail(&err);
        return -1;
    }
    int failed = 0;
    if (o->nforms) {
        if (!c->json)
            printf("  => difficulty of the forms of seeds 1-%u (items' 1-5 labels): mean %.2f, "
                   "sd %.2f, from %.2f to %.2f\n", nforms, s.difficulty.mean, s.difficulty.sd,
                   s.difficulty.min, s.difficulty.max);
        json_object_set_new(entry, "difficulty", stats_json(&s.difficulty));
        json_object_set_new(entry, "group_clashes", json_integer((json_int_t)s.clashing));
        if (s.clashing && !c->json)
            printf("  => %zu forms hold two items of one group  <- DRAW FAULT\n", s.clashing);
        failed |= s.clashing > 0;
        failed |= report_balance(c, in, &s, entry);
    }
    if (o->angoff)
        failed |= report_angoff(c, in, &s, entry);
    ks_coverage_sample_free(&s);
    return failed;
}

/* Reports one certification; returns 1 when its coverage falls short. */
static int cover(const cli_ctx *c, const char *ref, const options *o, json_t *report)
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
    if ((o->nforms || o->angoff) && report_forms(c, cert, o, entry))
        failed = 1;
    json_array_append_new(report, entry);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    return failed;
}

static int on_option(int val, const char *arg, void *ud)
{
    options *o = ud;
    if (val == OPT_ANGOFF) {
        o->angoff = 1;
        return CLI_OK;
    }
    size_t digits = strspn(arg, "0123456789");
    unsigned long n = digits && digits <= 5 && !arg[digits] ? strtoul(arg, NULL, 10) : ULONG_MAX;
    if (val != OPT_FORMS || n < 1 || n > MAX_FORMS)
        return cli_usage_error("coverage", "--forms: expected a whole number from 1 to %u, "
                               "found '%s'", MAX_FORMS, arg);
    o->nforms = (unsigned)n;
    return CLI_OK;
}

int cmd_coverage(int argc, char **argv)
{
    static const struct option longopts[] = {{"forms", required_argument, NULL, OPT_FORMS},
                                             {"angoff", no_argument, NULL, OPT_ANGOFF},
                                             {0}};
    cli_ctx c;
    options o = {0};
    int first, rc = cli_ctx_parse(&c, "coverage", argc, argv, longopts, on_option, &o, &first);
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
            failed += cover(&c, paths[i], &o, report);
        ks_cert_free_ids(paths, n);
    }
    for (int i = first; i < argc; i++)
        failed += cover(&c, argv[i], &o, report);
    if (c.json) {
        char *text = json_dumps(report, JSON_INDENT(2));
        puts(text);
        free(text);
    }
    json_decref(report);
    return failed ? CLI_FAILED : CLI_OK;
}
