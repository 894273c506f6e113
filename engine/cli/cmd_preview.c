/* kaoshi preview CODE|SCRIPT --seed N: draws the form that seed gives and
 * prints every question with its key and explanation, for authors (--json:
 * everything as JSON, pictures included; text: pictures as a note of their
 * size). */
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

static void print_row(json_t *row)
{
    json_t *cell;
    size_t i;
    printf("     ");
    json_array_foreach(row, i, cell) {
        char *text = json_is_string(cell) ? strdup(json_string_value(cell))
                                          : json_dumps(cell, JSON_ENCODE_ANY);
        printf("%s%s", i ? " | " : "", text ? text : "");
        free(text);
    }
    printf("\n");
}

/* Prints a table {columns: [...], rows: [[...], ...]} one row per line. */
static void print_table(json_t *table)
{
    json_t *row;
    size_t i;
    print_row(json_object_get(table, "columns"));
    json_array_foreach(json_object_get(table, "rows"), i, row) print_row(row);
}

/* Prints one field of a view: a picture as a note of its size, a table row
 * by row, a text of several lines as an indented block, anything else as
 * compact JSON. */
static void print_field(const char *prefix, const char *name, json_t *value)
{
    const char *s = json_string_value(value);
    if (s && strncmp(s, "<svg", 4) == 0) {
        printf("   %s%s: SVG, %.1f KB\n", prefix, name, (double)strlen(s) / 1024);
    } else if (s && strchr(s, '\n')) {
        printf("   %s%s:\n", prefix, name);
        for (const char *line = s; *line;) {
            size_t n = strcspn(line, "\n");
            printf("     %.*s\n", (int)n, line);
            line += n + (line[n] == '\n');
        }
    } else if (json_is_array(json_object_get(value, "columns")) &&
               json_is_array(json_object_get(value, "rows"))) {
        printf("   %s%s:\n", prefix, name);
        print_table(value);
    } else {
        char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
        printf("   %s%s: %s\n", prefix, name, text);
        free(text);
    }
}

/* Prints a view field by field: stem first, then the rest (print_field). */
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
        print_field("", name, value);
    }
    json_object_foreach(key, name, value) {
        if (strcmp(name, "stem") == 0 || strcmp(name, "type") == 0 || strcmp(name, "id") == 0)
            continue;
        print_field("key.", name, value);
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
