/* fuzz_bank: any bytes as a question bank. Stage 1 parses them with
 * ks_bank_parse (engine/base/bank.c, node.c) and checks the contract: a
 * failure is KS_EINPUT with at least one "PATH:..." diagnostic and no bank; a
 * bank holds only valid UTF-8 scalars, unique mapping keys, nesting within
 * KS_BANK_MAX_DEPTH and items whose common fields are as bank.h says. Stage 2
 * (when the bank parsed) loads it into a certification through ks_cert_load,
 * so every question type's checks run on it (engine/lua, types.lua) with the
 * calculated items' generators of scripts/lib/ccom_generators.lua: a failure
 * must be KS_EINPUT or KS_ESCRIPT with diagnostics; a certification that
 * loads must draw a form, present each question and grade it. Stage 2 is off
 * with FUZZ_BANK_CERT=0. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "kaoshi/bank.h"
#include "kaoshi/cert.h"

#define PATH "banks/fuzz.yaml"

static fuzz_sources base; /* the generators' module, read once */
static int cert_stage = 1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *env = getenv("FUZZ_BANK_CERT");
    cert_stage = !(env && strcmp(env, "0") == 0);
    fuzz_sources_add_file(&base, "scripts/lib/ccom_generators.lua", "module");
    return 0;
}

/* Valid UTF-8 as json_stringn judges it (no overlongs, no surrogates). */
static int valid_utf8(const char *s, size_t len)
{
    json_t *j = json_stringn(s, len);
    json_decref(j);
    return j != NULL;
}

static void check_node(const ks_node *n, unsigned depth)
{
    if (depth > KS_BANK_MAX_DEPTH + 1)
        fuzz_fail("a node nested %u deep, past KS_BANK_MAX_DEPTH", depth);
    if (n->line == 0 || n->col == 0)
        fuzz_fail("a node at %u:%u (positions are 1-based)", n->line, n->col);
    char desc[24];
    ks_node_describe(n, desc, sizeof desc);
    if (strlen(desc) >= sizeof desc)
        fuzz_fail("ks_node_describe overran its buffer");
    switch (n->kind) {
    case KS_NODE_SCALAR:
        if (!n->text || n->text[n->len] != '\0')
            fuzz_fail("scalar at %u:%u is not NUL-terminated at its length", n->line, n->col);
        if (!valid_utf8(n->text, n->len))
            fuzz_fail("scalar at %u:%u is not valid UTF-8", n->line, n->col);
        if (n->type == KS_SCALAR_BOOL && n->ival != 0 && n->ival != 1)
            fuzz_fail("bool scalar at %u:%u has ival %lld", n->line, n->col, n->ival);
        if (n->count)
            fuzz_fail("scalar at %u:%u has %zu children", n->line, n->col, n->count);
        break;
    case KS_NODE_SEQ:
        if (n->keys)
            fuzz_fail("sequence at %u:%u has keys", n->line, n->col);
        for (size_t i = 0; i < n->count; i++)
            check_node(n->items[i], depth + 1);
        break;
    case KS_NODE_MAP:
        for (size_t i = 0; i < n->count; i++) {
            const ks_node *k = n->keys[i];
            if (k->kind != KS_NODE_SCALAR || k->type != KS_SCALAR_STRING)
                fuzz_fail("mapping at %u:%u has a key that is not a string", n->line, n->col);
            check_node(k, depth + 1);
            check_node(n->items[i], depth + 1);
            if (ks_node_get(n, k->text) != n->items[i] || ks_node_key(n, k->text) != k)
                fuzz_fail("mapping at %u:%u: key '%s' is repeated or not found", n->line,
                          n->col, k->text);
        }
        break;
    default:
        fuzz_fail("node of unknown kind %d", (int)n->kind);
    }
}

static int word(const char *s, const char *allowed)
{
    return s && *s && strspn(s, allowed) == strlen(s);
}

static void check_bank(const ks_bank *b)
{
    if (!b->root || !b->path || strcmp(b->path, PATH) != 0)
        fuzz_fail("bank without root or path");
    check_node(b->root, 1);
    if (!word(b->name, "abcdefghijklmnopqrstuvwxyz0123456789_-"))
        fuzz_fail("bank name '%s' is not [a-z0-9_-]+", b->name ? b->name : "(null)");
    if (b->count && !b->items)
        fuzz_fail("bank of %zu items without items", b->count);
    for (size_t i = 0; i < b->count; i++) {
        const ks_item *it = &b->items[i];
        if (!word(it->id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"))
            fuzz_fail("item %zu: id '%s' is not [A-Za-z0-9._-]+", i, it->id ? it->id : "");
        if (!it->type || !*it->type)
            fuzz_fail("item '%s' has no type", it->id);
        if (it->chapter < 0 || it->difficulty < 0 || it->difficulty > 5)
            fuzz_fail("item '%s': chapter %d, difficulty %d", it->id, it->chapter,
                      it->difficulty);
        if (it->ntags && !it->tags)
            fuzz_fail("item '%s' has %zu tags without a list", it->id, it->ntags);
        for (size_t t = 0; t < it->ntags; t++)
            if (!it->tags[t])
                fuzz_fail("item '%s': tag %zu is NULL", it->id, t);
        if (!it->node || it->node->kind != KS_NODE_MAP)
            fuzz_fail("item '%s' has no mapping", it->id);
        if (ks_bank_find(b, it->id) != it)
            fuzz_fail("ks_bank_find('%s') does not find its item (ids not unique?)", it->id);
    }
}

static void check_diags(const ks_diags *d, const char *what, ks_status rc)
{
    if (d->count == 0)
        fuzz_fail("%s failed (%s) without a diagnostic", what, ks_status_name(rc));
    for (size_t i = 0; i < d->count; i++) {
        if (!d->lines[i] || !*d->lines[i])
            fuzz_fail("%s: diagnostic %zu is empty", what, i);
        if (!valid_utf8(d->lines[i], strlen(d->lines[i])))
            fuzz_fail("%s: diagnostic %zu is not valid UTF-8: %s", what, i, d->lines[i]);
    }
}

/* A script drawing one question from every item of bank NAME. */
static void cert_stage_run(const ks_bank *bank, const uint8_t *data, size_t size)
{
    char script[512], bank_path[128];
    snprintf(script, sizeof script,
             "return certification {\n"
             "  code = \"FUZZ-BANK\", title = \"fuzz\", banks = { \"%s\" },\n"
             "  duration = \"30m\", generators = require \"ccom_generators\",\n"
             "  sections = { { title = \"all\", from = {}, pick = %zu, points = 2 } },\n"
             "}\n",
             bank->name, bank->count ? bank->count : 1);
    snprintf(bank_path, sizeof bank_path, "banks/%s.yaml", bank->name);
    fuzz_sources s = {0};
    for (size_t i = 0; i < base.n; i++)
        fuzz_sources_add(&s, base.list[i].path, base.list[i].kind, base.list[i].content,
                         base.list[i].len);
    fuzz_sources_add(&s, "scripts/fuzz.lua", "script", script, strlen(script));
    fuzz_sources_add(&s, bank_path, "bank", (const char *)data, size);
    ks_fileset *fs = fuzz_sources_fileset(&s);
    fuzz_sources_free(&s);

    ks_cert *cert = NULL;
    ks_diags diags = {0}, warnings = {0};
    ks_status rc = ks_cert_load(fs, "scripts/fuzz.lua", &cert, &diags, &warnings);
    if (rc) {
        if (cert)
            fuzz_fail("ks_cert_load failed but returned a certification");
        if (rc != KS_EINPUT && rc != KS_ESCRIPT)
            fuzz_fail("ks_cert_load: %s: %s", ks_status_name(rc),
                      diags.count ? diags.lines[0] : "(no diagnostic)");
        check_diags(&diags, "ks_cert_load", rc);
    } else {
        if (!cert)
            fuzz_fail("ks_cert_load succeeded without a certification");
        const ks_cert_info *info = ks_cert_info_of(cert);
        if (info->nitems != bank->count)
            fuzz_fail("the certification has %zu items, the bank %zu", info->nitems,
                      bank->count);
        char *form = NULL;
        ks_error err;
        rc = ks_cert_build_form(cert, 7, NULL, 0, &form, &err);
        if (rc && rc != KS_ESCRIPT && rc != KS_EINPUT)
            fuzz_fail("ks_cert_build_form: %s: %s", ks_status_name(rc), err.message);
        char **ids = NULL;
        size_t n = 0;
        if (!rc && ks_cert_form_ids(form, &ids, &n, &err))
            fuzz_fail("ks_cert_form_ids of a form just built: %s", err.message);
        for (size_t i = 0; !rc && i < n; i++) {
            char *view = NULL;
            ks_status prc = ks_cert_present(cert, form, i, 1, &view, &err);
            if (prc && prc != KS_ESCRIPT)
                fuzz_fail("ks_cert_present slot %zu: %s: %s", i, ks_status_name(prc),
                          err.message);
            free(view);
        }
        if (!rc) {
            const char **responses = calloc(n + 1, sizeof *responses);
            char *result = NULL;
            double score = -1, max = -1;
            int passed;
            if (!responses)
                fuzz_fail("out of memory");
            ks_status grc = ks_cert_grade(cert, form, responses, NULL, n, &result, &score, &max,
                                          &passed, &err);
            if (grc && grc != KS_ESCRIPT)
                fuzz_fail("ks_cert_grade: %s: %s", ks_status_name(grc), err.message);
            if (!grc && (score != 0 || max != 2.0 * (double)n))
                fuzz_fail("an unanswered form scored %g of %g (expected 0 of %g)", score, max,
                          2.0 * (double)n);
            free(result);
            free(responses);
        }
        ks_cert_free_ids(ids, n);
        free(form);
        ks_cert_free(cert);
    }
    ks_diags_free(&diags);
    ks_diags_free(&warnings);
    ks_fileset_free(fs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ks_bank *bank = (ks_bank *)1;
    ks_diags diags = {0};
    ks_status rc = ks_bank_parse(PATH, (const char *)data, size, &bank, &diags);
    if (rc) {
        if (rc != KS_EINPUT)
            fuzz_fail("ks_bank_parse returned %s", ks_status_name(rc));
        if (bank)
            fuzz_fail("ks_bank_parse failed but left a bank");
        check_diags(&diags, "ks_bank_parse", rc);
        for (size_t i = 0; i < diags.count; i++)
            if (strncmp(diags.lines[i], PATH ":", strlen(PATH) + 1) != 0)
                fuzz_fail("diagnostic does not start with the path: %s", diags.lines[i]);
    } else {
        if (!bank)
            fuzz_fail("ks_bank_parse succeeded without a bank");
        if (diags.count)
            fuzz_fail("ks_bank_parse succeeded with diagnostics: %s", diags.lines[0]);
        check_bank(bank);
        if (cert_stage)
            cert_stage_run(bank, data, size);
        ks_bank_free(bank);
    }
    ks_diags_free(&diags);
    return 0;
}
