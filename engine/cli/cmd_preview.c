/* kaoshi preview CODE|SCRIPT --seed N: draws the form that seed gives and
 * prints every question with its key and explanation, for authors. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"

enum { OPT_SEED = 1 };

static int on_option(int val, const char *arg, void *ud)
{
    char *end;
    unsigned long long v = strtoull(arg, &end, 10);
    if (val != OPT_SEED || *end || !*arg || arg[0] == '-' || v > 0x7fffffffffffffffULL)
        return cli_usage_error("preview", "--seed: expected a whole number, found '%s'", arg);
    *(uint64_t *)ud = v;
    return CLI_OK;
}

/* Prints a view field by field: stem first, then the rest as compact JSON. */
static void print_text(size_t number, json_t *view)
{
    json_t *key = json_object_get(view, "key");
    printf("%zu. [%s] %s\n", number, json_string_value(json_object_get(view, "type")),
           json_string_value(json_object_get(key, "id")));
    printf("   %s\n", json_string_value(json_object_get(view, "stem")));
    const char *name;
    json_t *value;
    json_object_foreach(view, name, value) {
        if (strcmp(name, "stem") == 0 || strcmp(name, "type") == 0 || strcmp(name, "key") == 0)
            continue;
        char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
        printf("   %s: %s\n", name, text);
        free(text);
    }
    json_object_foreach(key, name, value) {
        if (strcmp(name, "stem") == 0 || strcmp(name, "type") == 0 || strcmp(name, "id") == 0)
            continue;
        char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
        printf("   key.%s: %s\n", name, text);
        free(text);
    }
}

int cmd_preview(int argc, char **argv)
{
    static const struct option opts[] = {{"seed", required_argument, NULL, OPT_SEED}, {0}};
    cli_ctx c;
    uint64_t seed = 0;
    int have_seed = 0;
    for (int i = 1; i < argc; i++)
        have_seed |= strncmp(argv[i], "--seed", 6) == 0;
    int first, rc = cli_ctx_parse(&c, "preview", argc, argv, opts, on_option, &seed, &first);
    if (rc)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("preview", "expected one certification code or script");
    if (!have_seed)
        return cli_usage_error("preview", "--seed N is required, so the form can be drawn again");
    ks_fileset *fs;
    ks_cert *cert;
    ks_diags diags = {0}, warnings = {0};
    if (ks_exam_find_cert(c.root, argv[first], &fs, &cert, &diags, &warnings)) {
        for (size_t i = 0; i < diags.count; i++)
            fprintf(stderr, "%s\n", diags.lines[i]);
        ks_diags_free(&diags);
        ks_diags_free(&warnings);
        return CLI_FAILED;
    }
    ks_diags_free(&warnings);
    const ks_cert_info *in = ks_cert_info_of(cert);
    ks_error err;
    char *form = NULL;
    json_t *out = json_array();
    if (ks_cert_build_form(cert, seed, NULL, 0, &form, &err)) {
        rc = cli_fail(&err);
    } else {
        json_t *parsed = json_loads(form, 0, NULL);
        size_t n = json_array_size(json_object_get(parsed, "slots"));
        json_t *sections = json_object_get(parsed, "sections");
        if (!c.json)
            printf("%s %s: seed %llu, %zu questions, %g points, %lld minutes\n", in->code,
                   in->title, (unsigned long long)seed, n, in->max_score,
                   (long long)(in->duration_ms / 60000));
        for (size_t i = 0; i < n && !rc; i++) {
            json_t *slot = json_array_get(json_object_get(parsed, "slots"), i);
            size_t si = (size_t)json_integer_value(json_object_get(slot, "section"));
            json_t *sec = json_array_get(sections, si - 1);
            if (!c.json && (size_t)json_integer_value(json_object_get(sec, "first")) == i + 1)
                printf("\n== %s (%lld × %g points)\n",
                       json_string_value(json_object_get(sec, "title")),
                       (long long)json_integer_value(json_object_get(sec, "count")),
                       json_number_value(json_object_get(sec, "points")));
            char *view = NULL;
            if (ks_cert_present(cert, form, i, 1, &view, &err)) {
                rc = cli_fail(&err);
                break;
            }
            json_t *v = json_loads(view, 0, NULL);
            free(view);
            if (c.json)
                json_array_append_new(out, v);
            else {
                print_text(i + 1, v);
                json_decref(v);
            }
        }
        json_decref(parsed);
    }
    if (!rc && c.json) {
        json_t *doc = json_pack("{ss ss sI so}", "code", in->code, "title", in->title, "seed",
                                (json_int_t)seed, "questions", out);
        out = NULL;
        char *text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
        puts(text);
        free(text);
        json_decref(doc);
    }
    json_decref(out);
    free(form);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    return rc;
}
