/* Helpers shared by the unit tests of loaded certifications (test_cert.c,
 * test_balance.c): a script and a bank held in memory as scripts/t.lua and
 * banks/t.yaml, loaded with their problems and warnings as text. Include
 * after unit.h. */
#ifndef KAOSHI_TEST_CERT_UNIT_H
#define KAOSHI_TEST_CERT_UNIT_H

#include <stdlib.h>
#include <string.h>

#include "kaoshi/cert.h"
#include "kaoshi/fileset.h"

static inline ks_source source(const char *path, const char *kind, const char *text)
{
    return (ks_source){strdup(path), strdup(kind), strdup(text), strlen(text), strdup("")};
}

/* Loads scripts/t.lua with banks/t.yaml from these texts. Returns the
 * certification, or NULL with the problems (joined by '\n') in problems;
 * warnings likewise. */
static inline ks_cert *load_text(const char *script, const char *bank, ks_fileset **fs,
                                 char *problems, char *warnings, size_t cap)
{
    ks_source *files = malloc(2 * sizeof *files);
    files[0] = source("scripts/t.lua", "script", script);
    files[1] = source("banks/t.yaml", "bank", bank);
    *fs = ks_fileset_frozen(files, 2);
    ks_diags diags = {0}, warned = {0};
    ks_cert *cert = NULL;
    ks_cert_load(*fs, "scripts/t.lua", &cert, &diags, &warned);
    const ks_diags *lists[2] = {&diags, &warned};
    char *outs[2] = {problems, warnings};
    for (int k = 0; k < 2; k++) {
        outs[k][0] = '\0';
        for (size_t i = 0; i < lists[k]->count; i++)
            snprintf(outs[k] + strlen(outs[k]), cap - strlen(outs[k]), "%s%s", i ? "\n" : "",
                     lists[k]->lines[i]);
    }
    ks_diags_free(&diags);
    ks_diags_free(&warned);
    return cert;
}

/* The problems loading fails with (checked to fail). */
static inline const char *load_fails(const char *script, const char *bank)
{
    static char problems[4096];
    char warnings[4096];
    ks_fileset *fs;
    ks_cert *cert = load_text(script, bank, &fs, problems, warnings, sizeof problems);
    CHECK(cert == NULL);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    return problems;
}

#endif
