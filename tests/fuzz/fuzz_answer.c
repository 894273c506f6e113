/* fuzz_answer: the answer path, JSON response text -> Lua -> each built-in
 * question type's score(). At start it loads the demo certification
 * (scripts/demo.lua with banks/demo.yaml, which holds items of every built-in
 * type) and, from the same files kept in memory, a variant whose one section
 * draws every item of the bank; it builds a form of each from a fixed seed.
 * Each input is the candidate's responses: split at NUL bytes, piece i is
 * slot i's response (missing pieces: unanswered); without a NUL the whole
 * input answers every slot. An answer reaches grading as the lifecycle
 * stores it (ks_exam_answer: a JSON object of at most KS_EXAM_MAX_RESPONSE
 * bytes, re-serialised with sorted keys, of the shape its question's widget
 * takes: ks_cert_check_response); the input's raw pieces are graded
 * as well, since ks_cert_grade takes any text. Checked: grading the stored
 * form of answers never fails; grading raw text fails only cleanly
 * (KS_EINPUT or KS_ESCRIPT with a message); every slot's points lie in 0 ..
 * its points and its fraction in 0 .. 1, the total is their sum, within
 * 0 .. max_score, and max_score is the form's. FUZZ_ALLOW=TEXT lets
 * through a grading failure whose message holds TEXT (a known finding). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "kaoshi/cert.h"
#include "kaoshi/exam.h"

#define SEED 20270718u

typedef struct form {
    const char *name;
    ks_cert *cert;
    ks_fileset *fs;
    char *json;
    size_t nslots;
    double *points; /* per slot, from the form */
    double max;
} form;

static form forms[2];
/* FUZZ_ALLOW=TEXT lets a grading failure whose message holds TEXT pass, to
 * fuzz on past a finding already reported. */
static const char *allow;
static unsigned long allowed_seen;

static double num(const json_t *v) { return json_is_number(v) ? json_number_value(v) : NAN; }

static void load(form *f, fuzz_sources *src, const char *script)
{
    ks_diags diags = {0}, warnings = {0};
    f->fs = fuzz_sources_fileset(src);
    if (ks_cert_load(f->fs, script, &f->cert, &diags, &warnings))
        fuzz_fail("%s does not load: %s", script, diags.count ? diags.lines[0] : "?");
    ks_diags_free(&diags);
    ks_diags_free(&warnings);
    ks_error err;
    if (ks_cert_build_form(f->cert, SEED, NULL, 0, &f->json, &err))
        fuzz_fail("%s: no form: %s", script, err.message);
    json_error_t jerr;
    json_t *j = json_loads(f->json, 0, &jerr);
    json_t *slots = json_object_get(j, "slots");
    f->nslots = json_array_size(slots);
    f->points = calloc(f->nslots + 1, sizeof *f->points);
    if (!f->nslots || !f->points)
        fuzz_fail("%s: a form without slots: %s", script, f->json);
    for (size_t i = 0; i < f->nslots; i++) {
        f->points[i] = num(json_object_get(json_array_get(slots, i), "points"));
        f->max += f->points[i];
    }
    json_decref(j);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    allow = getenv("FUZZ_ALLOW");
    fuzz_sources src = {0};
    fuzz_sources_add_file(&src, "scripts/demo.lua", "script");
    fuzz_sources_add_file(&src, "scripts/lib/ccom_generators.lua", "module");
    fuzz_sources_add_file(&src, "banks/demo.yaml", "bank");
    forms[0].name = "demo";
    load(&forms[0], &src, "scripts/demo.lua");

    size_t nitems = ks_cert_info_of(forms[0].cert)->nitems;
    char script[512];
    snprintf(script, sizeof script,
             "return certification {\n"
             "  code = \"FUZZ-ALL\", title = \"every item\", banks = { \"demo\" },\n"
             "  duration = \"30m\", generators = require \"ccom_generators\",\n"
             "  sections = { { title = \"all\", from = {}, pick = %zu, points = 3 } },\n"
             "}\n", nitems);
    fuzz_sources_add(&src, "scripts/all.lua", "script", script, strlen(script));
    forms[1].name = "all";
    load(&forms[1], &src, "scripts/all.lua");
    fuzz_sources_free(&src);
    return 0;
}

/* The response to slot of f as ks_exam_answer stores it, or NULL when it
 * would refuse it (too long, not an object, or not of the shape the slot's
 * widget takes: the refusal must say why). */
static char *stored_form(const form *f, size_t slot, const char *text)
{
    if (strlen(text) > KS_EXAM_MAX_RESPONSE)
        return NULL;
    json_t *v = json_loads(text, 0, NULL);
    char *out = json_is_object(v) ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(v);
    ks_error err;
    if (out && ks_cert_check_response(f->json, slot, out, &err)) {
        if (err.code != KS_EINPUT || !strstr(err.message, "the answer to question "))
            fuzz_fail("%s: slot %zu: a refusal without its reason: %s", f->name, slot,
                      err.message);
        free(out);
        out = NULL;
    }
    return out;
}

static void check_result(const form *f, const char *result, double score, double max,
                         const char *what)
{
    const double eps = 1e-9 * (f->max + 1);
    if (!(max == f->max))
        fuzz_fail("%s/%s: max_score %g, the form's %g", f->name, what, max, f->max);
    if (!(score >= 0 && score <= max + eps))
        fuzz_fail("%s/%s: score %g outside 0..%g", f->name, what, score, max);
    json_t *r = json_loads(result, 0, NULL);
    json_t *items = json_object_get(r, "items");
    if (json_array_size(items) != f->nslots)
        fuzz_fail("%s/%s: the result has %zu items for %zu slots: %s", f->name, what,
                  json_array_size(items), f->nslots, result);
    double sum = 0;
    for (size_t i = 0; i < f->nslots; i++) {
        json_t *it = json_array_get(items, i);
        double points = num(json_object_get(it, "points"));
        double max_points = num(json_object_get(it, "max_points"));
        json_t *fraction = json_object_get(it, "fraction");
        if (!(max_points == f->points[i]))
            fuzz_fail("%s/%s: slot %zu max_points %g, the form's %g", f->name, what, i,
                      max_points, f->points[i]);
        if (!(points >= 0 && points <= max_points + eps))
            fuzz_fail("%s/%s: slot %zu (%s) has %g points of %g", f->name, what, i,
                      json_string_value(json_object_get(it, "id")), points, max_points);
        if (fraction && !json_is_null(fraction) &&
            !(num(fraction) >= 0 && num(fraction) <= 1))
            fuzz_fail("%s/%s: slot %zu fraction %g", f->name, what, i, num(fraction));
        sum += points;
    }
    if (!(fabs(sum - score) <= eps))
        fuzz_fail("%s/%s: items add up to %g, score %g", f->name, what, sum, score);
    json_decref(r);
}

static void grade(const form *f, const char *const *responses, int strict, const char *what)
{
    char *result = NULL;
    double score = -1, max = -1;
    int passed = -2;
    ks_error err;
    ks_status rc = ks_cert_grade(f->cert, f->json, responses, NULL, f->nslots, &result, &score,
                                 &max, &passed, &err);
    if (rc) {
        if (result)
            fuzz_fail("%s/%s: failed (%s) but left a result", f->name, what,
                      ks_status_name(rc));
        if (allow && *allow && rc == KS_ESCRIPT && strstr(err.message, allow)) {
            if (!allowed_seen++)
                fprintf(stderr, "fuzz: let through (FUZZ_ALLOW): %s\n", err.message);
            return;
        }
        if (strict || (rc != KS_EINPUT && rc != KS_ESCRIPT) || !err.message[0])
            fuzz_fail("%s/%s: grading failed: %s: %s", f->name, what, ks_status_name(rc),
                      err.message);
        return;
    }
    if (!result || passed < -1 || passed > 1)
        fuzz_fail("%s/%s: no result, or passed = %d", f->name, what, passed);
    check_result(f, result, score, max, what);
    free(result);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the pieces, NUL-terminated copies */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    size_t npieces = 1;
    for (size_t i = 0; i < size; i++)
        npieces += text[i] == '\0';
    const char **pieces = calloc(npieces, sizeof *pieces);
    size_t at = 0;
    for (size_t k = 0; k < npieces; k++) {
        pieces[k] = text + at;
        at += strlen(text + at) + 1;
    }
    for (size_t fi = 0; fi < sizeof forms / sizeof *forms; fi++) {
        const form *f = &forms[fi];
        const char **raw = calloc(f->nslots, sizeof *raw);
        const char **stored = calloc(f->nslots, sizeof *stored);
        for (size_t i = 0; i < f->nslots; i++) {
            raw[i] = npieces == 1 ? pieces[0] : i < npieces ? pieces[i] : NULL;
            stored[i] = raw[i] ? stored_form(f, i, raw[i]) : NULL;
        }
        grade(f, stored, 1, "stored");
        grade(f, raw, 0, "raw");
        for (size_t i = 0; i < f->nslots; i++)
            free((char *)stored[i]);
        free(stored);
        free(raw);
    }
    free(pieces);
    free(text);
    return 0;
}
