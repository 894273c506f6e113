/* kaoshi preview CODE|SCRIPT --seed N: draws the form that seed gives and
 * prints the aids the certification permits and every question with its key
 * and explanation, for authors (--json: everything as JSON, pictures
 * included; text: pictures as a note of their size). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "kaoshi/json_text.h"

enum { OPT_SEED = 1 };

typedef struct preview_opts {
    uint64_t seed;
    int have_seed;
} preview_opts;

static int on_option(int val, const char *arg, void *ud)
{
    preview_opts *o = ud;
    char *end;
    unsigned long long v = strtoull(arg, &end, 10);
    if (val != OPT_SEED || *end || !*arg || arg[0] == '-' || v > 0x7fffffffffffffffULL)
        return cli_usage_error("preview", "--seed: expected a whole number, found '%s'", arg);
    o->seed = v;
    o->have_seed = 1;
    return CLI_OK;
}

/* s, or `instead` when a view or form leaves it out (NULL: not a string). */
static const char *text_or(const char *s, const char *instead)
{
    return s ? s : instead;
}

/* Prints a JSON value as compact text, reals as the page shows them. */
static void print_json(const char *before, json_t *value)
{
    char *text = ks_json_text(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
    printf("%s%s", before, text ? text : "(not printable)");
    free(text);
}

static void print_row(json_t *row)
{
    json_t *cell;
    size_t i;
    printf("     ");
    json_array_foreach(row, i, cell) {
        if (json_is_string(cell))
            printf("%s%s", i ? " | " : "", json_string_value(cell));
        else
            print_json(i ? " | " : "", cell);
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
        printf("   %s%s", prefix, name);
        print_json(": ", value);
        printf("\n");
    }
}

/* Prints question `number` of the form: its type and the item id the form
 * holds (a question type's reveal may leave the id out of the key), its
 * points when the item's own differ from its section's (sec), the
 * stem when it is text, the view's parts (a text, a table, a picture) in
 * order, then every other field of the view and of its key (print_field); a
 * key that is not a table is printed as one field. */
static void print_text(size_t number, json_t *slot, json_t *sec, json_t *view)
{
    json_t *key = json_object_get(view, "key");
    const char *stem = json_string_value(json_object_get(view, "stem"));
    double points = json_number_value(json_object_get(slot, "points"));
    printf("%zu. [%s] %s", number,
           text_or(json_string_value(json_object_get(view, "type")), "no type"),
           text_or(json_string_value(json_object_get(slot, "id")), "no item id"));
    if (points != json_number_value(json_object_get(sec, "points")))
        printf(" (%g points)", points);
    printf("\n");
    if (stem)
        printf("   %s\n", stem);
    const char *name;
    json_t *value;
    json_t *part;
    size_t i;
    json_array_foreach(json_object_get(view, "parts"), i, part) { /* {text|table|chart: ...} */
        json_object_foreach(part, name, value) print_field("", name, value);
    }
    json_object_foreach(view, name, value) {
        if ((stem && strcmp(name, "stem") == 0) || strcmp(name, "type") == 0 ||
            strcmp(name, "key") == 0 || (strcmp(name, "parts") == 0 && json_is_array(value)))
            continue;
        print_field("", name, value);
    }
    if (key && !json_is_object(key))
        print_field("", "key", key);
    json_object_foreach(key, name, value) {
        if (strcmp(name, "stem") == 0 || strcmp(name, "type") == 0 || strcmp(name, "id") == 0)
            continue;
        print_field("key.", name, value);
    }
}

/* The section of the form that slot is in. */
static json_t *section_of(json_t *form, json_t *slot)
{
    size_t si = (size_t)json_integer_value(json_object_get(slot, "section"));
    return json_array_get(json_object_get(form, "sections"), si - 1);
}

/* Prints the heading of the section slot i opens, if it opens one. */
static void print_section(json_t *form, json_t *slot, size_t i)
{
    json_t *sec = section_of(form, slot);
    if ((size_t)json_integer_value(json_object_get(sec, "first")) != i + 1)
        return;
    printf("\n== %s (%lld × %g points)\n",
           text_or(json_string_value(json_object_get(sec, "title")), "untitled section"),
           (long long)json_integer_value(json_object_get(sec, "count")),
           json_number_value(json_object_get(sec, "points")));
}

/* Prints the permitted aids: the calculator's kind (or none), then each
 * note on a line of its own. */
static void print_aids(const ks_cert_aids *aids)
{
    if (aids->calculator)
        printf("permitted aids: %s calculator (on screen)\n", aids->calculator);
    else
        printf("permitted aids: no calculator\n");
    for (size_t i = 0; i < aids->nnotes; i++)
        printf("  - %s\n", aids->notes[i]);
}

/* Presents every question of form (with its key): printed as text after
 * the form's heading and its aids, or appended to questions for --json
 * (questions is NULL for text). */
static int present_all(ks_cert *cert, const char *form, uint64_t seed,
                       const ks_cert_aids *aids, json_t *questions)
{
    const ks_cert_info *in = ks_cert_info_of(cert);
    json_t *parsed = json_loads(form, 0, NULL), *slots = json_object_get(parsed, "slots");
    size_t n = json_array_size(slots);
    int rc = CLI_OK;
    double points = 0; /* the form's maximum: items may have points of their own */
    for (size_t i = 0; i < n; i++)
        points += json_number_value(json_object_get(json_array_get(slots, i), "points"));
    if (!questions)
        printf("%s %s: seed %llu, %zu questions, %g points, %lld minutes\n",
               text_or(in->code, "?"), text_or(in->title, "?"), (unsigned long long)seed, n,
               points, (long long)(in->duration_ms / 60000));
    if (!questions)
        print_aids(aids);
    for (size_t i = 0; i < n && !rc; i++) {
        json_t *slot = json_array_get(slots, i);
        char *view = NULL;
        ks_error err;
        if (ks_cert_present(cert, form, i, 1, &view, &err)) {
            rc = cli_fail(&err);
            break;
        }
        json_t *v = json_loads(view, 0, NULL);
        free(view);
        if (questions) {
            json_array_append_new(questions, v);
            continue;
        }
        print_section(parsed, slot, i);
        print_text(i + 1, slot, section_of(parsed, slot), v);
        json_decref(v);
    }
    json_decref(parsed);
    return rc;
}

int cmd_preview(int argc, char **argv)
{
    static const struct option opts[] = {{"seed", required_argument, NULL, OPT_SEED}, {0}};
    cli_ctx c;
    preview_opts o = {0};
    int first, rc = cli_ctx_parse(&c, "preview", argc, argv, opts, on_option, &o, &first);
    if (rc)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("preview", "expected one certification code or script");
    if (!o.have_seed)
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
    json_t *questions = c.json ? json_array() : NULL;
    ks_cert_aids aids;
    if (ks_cert_aids_get(cert, &aids, &err) ||
        ks_cert_build_form(cert, o.seed, NULL, 0, &form, &err))
        rc = cli_fail(&err);
    else
        rc = present_all(cert, form, o.seed, &aids, questions);
    if (!rc && c.json) {
        json_t *doc = json_pack("{ss ss sI so sO}", "code", text_or(in->code, ""), "title",
                                text_or(in->title, ""), "seed", (json_int_t)o.seed,
                                "aids", ks_cert_aids_json(&aids), "questions", questions);
        rc = doc ? cli_print_json(doc, JSON_INDENT(2) | JSON_SORT_KEYS)
                 : cli_fail(&(ks_error){KS_EINTERNAL, "out of memory"});
        json_decref(doc);
    }
    json_decref(questions);
    ks_cert_aids_free(&aids);
    free(form);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    return rc;
}
