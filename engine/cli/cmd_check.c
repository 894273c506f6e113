/* kaoshi check [FILE...]: loads certification scripts (and the banks they
 * name) or lone banks, and reports every problem as file:line[:column]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "kaoshi/bank.h"

static void print_diags(const ks_diags *d, const char *prefix)
{
    for (size_t i = 0; i < d->count; i++)
        fprintf(stderr, "%s%s\n", prefix, d->lines[i]);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int check_bank(const cli_ctx *c, const char *path)
{
    /* a relative path is found from --root, as the certifications find banks */
    char full[4096];
    if (path[0] == '/')
        snprintf(full, sizeof full, "%s", path);
    else
        snprintf(full, sizeof full, "%s/%s", c->root, path);
    ks_bank *bank;
    ks_diags diags = {0};
    ks_status rc = ks_bank_load(full, &bank, &diags);
    if (rc) {
        /* report the path as the author gave it */
        for (size_t i = 0; i < diags.count; i++) {
            const char *line = diags.lines[i];
            if (strncmp(line, full, strlen(full)) == 0)
                fprintf(stderr, "%s%s\n", path, line + strlen(full));
            else
                fprintf(stderr, "%s\n", line);
        }
        ks_diags_free(&diags);
        return 1;
    }
    printf("ok %s: bank %s, %zu items\n", path, bank->name, bank->count);
    ks_bank_free(bank);
    return 0;
}

/* path relative to the root: scripts are loaded from a file set rooted there
 * (so that they find their modules and banks); an absolute path must lie
 * under the root. NULL, with the reason printed, when it does not. */
static const char *under_root(const cli_ctx *c, const char *path, char *rel, size_t size)
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
        fprintf(stderr, "kaoshi check: %s is not under the root %s (scripts find their "
                "modules and banks from the root; use --root)\n", path, root ? root : c->root);
    free(root);
    free(full);
    return inside ? rel : NULL;
}

static int check_script(const cli_ctx *c, const char *path)
{
    char rel[4096];
    path = under_root(c, path, rel, sizeof rel);
    if (!path)
        return 1;
    ks_fileset *fs = ks_fileset_disk(c->root);
    if (!fs) {
        fprintf(stderr, "kaoshi: out of memory\n");
        return 1;
    }
    ks_cert *cert = NULL;
    ks_diags diags = {0}, warnings = {0};
    ks_status rc = ks_cert_load(fs, path, &cert, &diags, &warnings);
    print_diags(&diags, "");
    print_diags(&warnings, "warning: ");
    if (!rc) {
        const ks_cert_info *in = ks_cert_info_of(cert);
        int questions = 0;
        for (size_t i = 0; i < in->nsections; i++)
            questions += in->sections[i].pick;
        printf("ok %s: %s %s, %zu items, %d questions, %g points, %lld minutes\n", path,
               in->code, in->title, in->nitems, questions, in->max_score,
               (long long)(in->duration_ms / 60000));
    }
    ks_diags_free(&diags);
    ks_diags_free(&warnings);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    return rc != KS_OK;
}

int cmd_check(int argc, char **argv)
{
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, "check", argc, argv, NULL, NULL, NULL, &first);
    if (rc)
        return rc;
    int failed = 0;
    if (first == argc) {
        char **paths;
        size_t n;
        ks_error err;
        if (ks_exam_script_paths(c.root, &paths, &n, &err))
            return cli_fail(&err);
        if (n == 0) {
            fprintf(stderr, "kaoshi check: no certification scripts under %s/scripts\n", c.root);
            return CLI_FAILED;
        }
        for (size_t i = 0; i < n; i++)
            failed += check_script(&c, paths[i]);
        ks_cert_free_ids(paths, n);
    }
    for (int i = first; i < argc; i++) {
        if (ends_with(argv[i], ".yaml") || ends_with(argv[i], ".yml"))
            failed += check_bank(&c, argv[i]);
        else if (ends_with(argv[i], ".lua"))
            failed += check_script(&c, argv[i]);
        else
            return cli_usage_error("check", "'%s' is neither a script (.lua) nor a bank (.yaml)",
                                   argv[i]);
    }
    return failed ? CLI_FAILED : CLI_OK;
}
