/* Certifications on disk: the scripts under a project's scripts/ folder,
 * finding one by code or path (by code: by the code each script's text
 * declares, so that only the script with that code runs), and loading the
 * copy frozen with a sitting. See include/kaoshi/exam.h. */
#include "kaoshi/exam.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/declscan.h"
#include "exam/exam_impl.h"

static int is_lua(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".lua") == 0 && name[0] != '.';
}

/* Adds the .lua files below root/rel (recursively), skipping scripts/lib. */
static int scan(const char *root, const char *rel, exam_string_list *l)
{
    char *dir = NULL;
    if (asprintf(&dir, "%s/%s", root, rel) < 0)
        return -1;
    DIR *d = opendir(dir);
    free(dir);
    if (!d)
        return 0;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *child = NULL;
        if (asprintf(&child, "%s/%s", rel, e->d_name) < 0) {
            rc = -1;
            break;
        }
        char *full = NULL;
        struct stat sb;
        if (asprintf(&full, "%s/%s", root, child) >= 0 && stat(full, &sb) == 0 &&
            S_ISDIR(sb.st_mode)) {
            if (strcmp(child, "scripts/lib") != 0)
                rc = scan(root, child, l);
            free(child);
        } else if (is_lua(e->d_name)) {
            rc = exam_string_list_add(l, child);
        } else {
            free(child);
        }
        free(full);
    }
    closedir(d);
    return rc;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

ks_status ks_exam_script_paths(const char *root, char ***paths, size_t *n, ks_error *err)
{
    exam_string_list l = {0};
    if (scan(root, "scripts", &l) != 0) {
        ks_cert_free_ids(l.strings, l.n);
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    qsort(l.strings, l.n, sizeof *l.strings, by_string);
    *paths = l.strings;
    *n = l.n;
    return KS_OK;
}

static ks_status out_of_memory(ks_diags *diags)
{
    ks_diags_add(diags, "out of memory");
    return KS_EINTERNAL;
}

/* What a script's text says of its code, read without running it. */
enum declared_code {
    CODE_OTHER,    /* `certification { code = "LITERAL", ... }` with another code */
    CODE_MATCHES,  /* that, with the code looked for: loaded first */
    CODE_COMPUTED, /* no literal (or one handed to lib.certification, which may
                      change it): loaded only when no literal matches */
};

static enum declared_code declared_code(ks_fileset *texts, const char *path, const char *ref)
{
    const ks_source *src;
    ks_error err;
    ks_declscan d;
    const char *code;
    size_t len;
    if (ks_fileset_read(texts, path, "script", &src, &err) ||
        !ks_declscan_find(src->content, src->len, &d) ||
        !ks_declscan_string(&d, "code", &code, &len))
        return CODE_COMPUTED;
    if (len == strlen(ref) && memcmp(code, ref, len) == 0)
        return CODE_MATCHES;
    return d.qualified ? CODE_COMPUTED : CODE_OTHER;
}

/* Loads the script at path: KS_OK with *fs and *cert set (and its warnings
 * added to warnings) when it loads and its code is ref; KS_ENOTFOUND when
 * it has another code, or fails to load and its text does not declare ref
 * (literally): a script that does fails the lookup with its own errors. */
static ks_status load_if_code(const char *root, const char *path, const char *ref,
                              int literal, ks_fileset **fs, ks_cert **cert, ks_diags *diags,
                              ks_diags *warnings)
{
    ks_fileset *f = ks_fileset_disk(root);
    if (!f)
        return out_of_memory(diags);
    ks_status rc = KS_ENOTFOUND;
    ks_cert *c = NULL;
    ks_diags quiet = {0}, quiet_warn = {0};
    ks_status loaded = ks_cert_load(f, path, &c, &quiet, &quiet_warn);
    if (loaded && literal) {
        for (size_t e = 0; e < quiet.count; e++)
            ks_diags_add(diags, "%s", quiet.lines[e]);
        rc = loaded;
    }
    if (!loaded && strcmp(ks_cert_info_of(c)->code, ref) == 0) {
        *fs = f;
        *cert = c;
        for (size_t w = 0; w < quiet_warn.count; w++)
            ks_diags_add(warnings, "%s", quiet_warn.lines[w]);
        rc = KS_OK;
    } else {
        ks_cert_free(c);
        ks_fileset_free(f);
    }
    ks_diags_free(&quiet);
    ks_diags_free(&quiet_warn);
    return rc;
}

/* Finds the script of code ref among the n paths: those whose text declares
 * ref, in order, then those whose code only running them tells. */
static ks_status find_by_code(const char *root, char **paths, size_t n, const char *ref,
                              ks_fileset **fs, ks_cert **cert, ks_diags *diags,
                              ks_diags *warnings)
{
    enum declared_code *declared = calloc(n ? n : 1, sizeof *declared);
    ks_fileset *texts = ks_fileset_disk(root);
    ks_status rc = declared && texts ? KS_ENOTFOUND : out_of_memory(diags);
    for (size_t i = 0; i < n && rc == KS_ENOTFOUND; i++)
        declared[i] = declared_code(texts, paths[i], ref);
    ks_fileset_free(texts);
    static const enum declared_code order[] = {CODE_MATCHES, CODE_COMPUTED};
    for (size_t o = 0; o < 2 && rc == KS_ENOTFOUND; o++)
        for (size_t i = 0; i < n && rc == KS_ENOTFOUND; i++)
            if (declared[i] == order[o])
                rc = load_if_code(root, paths[i], ref, order[o] == CODE_MATCHES, fs, cert,
                                  diags, warnings);
    free(declared);
    return rc;
}

ks_status ks_exam_find_cert(const char *root, const char *ref, ks_fileset **fs,
                            ks_cert **cert, ks_diags *diags, ks_diags *warnings)
{
    *fs = NULL;
    *cert = NULL;
    if (is_lua(ref)) {
        if (!(*fs = ks_fileset_disk(root)))
            return out_of_memory(diags);
        ks_status rc = ks_cert_load(*fs, ref, cert, diags, warnings);
        if (rc) {
            ks_fileset_free(*fs);
            *fs = NULL;
        }
        return rc;
    }
    char **paths;
    size_t n;
    ks_error err;
    if (ks_exam_script_paths(root, &paths, &n, &err)) {
        ks_diags_add(diags, "%s", err.message);
        return err.code;
    }
    ks_status rc = find_by_code(root, paths, n, ref, fs, cert, diags, warnings);
    ks_cert_free_ids(paths, n);
    if (rc == KS_ENOTFOUND)
        ks_diags_add(diags, "no certification with code '%s' under %s/scripts (or it fails "
                     "'kaoshi check')", ref, root);
    return rc;
}

ks_status ks_exam_frozen_cert(ks_exam *x, const ks_sitting *s, ks_fileset **fs,
                              ks_cert **cert, ks_error *err)
{
    ks_source *sources;
    size_t n;
    ks_status rc = ks_store_sources(x->store, s->id, s->version, &sources, &n, err);
    if (rc)
        return rc;
    *fs = ks_fileset_frozen(sources, n);
    if (!*fs)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    ks_diags diags = {0}, warnings = {0};
    rc = ks_cert_load(*fs, s->script, cert, &diags, &warnings);
    if (rc) {
        ks_error_set(err, KS_EINTERNAL, "the frozen certification of sitting '%s' no longer "
                     "loads: %s", s->name, diags.count ? diags.lines[0] : "unknown error");
        ks_fileset_free(*fs);
        *fs = NULL;
    }
    ks_diags_free(&diags);
    ks_diags_free(&warnings);
    return rc;
}
