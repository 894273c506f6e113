/* kaoshi certificate issue|list|show|verify|revoke|pdf: certificates for
 * the passed attempts of a sitting, signed with the key of 'kaoshi keys
 * init', those of a sitting with their state (valid, flagged by a regrade,
 * revoked), and the PDF of one (kaoshi/certificate_pdf.h). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "kaoshi/certificate.h"
#include "kaoshi/certificate_pdf.h"

enum { OPT_KEY = 1, OPT_FILE, OPT_PUBLIC, OPT_REASON, OPT_URL, OPT_OUTPUT = 'o' };

typedef struct opts {
    const char *key, *file, *public_key, *reason, *url, *output;
} opts;

static int on_opt(int val, const char *arg, void *ud)
{
    opts *o = ud;
    switch (val) {
    case OPT_KEY: o->key = arg; break;
    case OPT_FILE: o->file = arg; break;
    case OPT_PUBLIC: o->public_key = arg; break;
    case OPT_URL: o->url = arg; break;
    case OPT_OUTPUT: o->output = arg; break;
    default: o->reason = arg; break;
    }
    return CLI_OK;
}

static const struct option options[] = {
    {"key", required_argument, NULL, OPT_KEY},
    {"file", required_argument, NULL, OPT_FILE},
    {"public-key", required_argument, NULL, OPT_PUBLIC},
    {"reason", required_argument, NULL, OPT_REASON},
    {"url", required_argument, NULL, OPT_URL},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {0},
};

static int issue(cli_ctx *c, const opts *o, const char *sitting)
{
    ks_sign_key key;
    ks_error err;
    if (ks_sign_key_load(o->key, &key, &err))
        return cli_fail(&err);
    ks_diags issued = {0}, notes = {0};
    ks_status rc = ks_certificate_issue(&c->exam, sitting, &key, &issued, &notes, &err);
    ks_sign_key_wipe(&key);
    for (size_t i = 0; i < notes.count; i++)
        fprintf(stderr, "note: %s\n", notes.lines[i]);
    for (size_t i = 0; i < issued.count; i++)
        printf("issued %s\n", issued.lines[i]);
    if (!rc)
        printf("%zu certificate%s issued\n", issued.count, issued.count == 1 ? "" : "s");
    ks_diags_free(&issued);
    ks_diags_free(&notes);
    return rc ? cli_fail(&err) : CLI_OK;
}

/* The certificates of a sitting's attempts, from its results. */
static int list(cli_ctx *c, const char *sitting)
{
    char *text = NULL;
    ks_error err;
    if (ks_exam_results(&c->exam, sitting, 0, &text, &err))
        return cli_fail(&err);
    json_t *rows = json_loads(text, 0, NULL), *out = json_array(), *row;
    free(text);
    size_t i, flagged = 0, revoked = 0;
    json_array_foreach(rows, i, row) {
        json_t *cert = json_object_get(row, "certificate");
        if (!cert)
            continue;
        const char *state = json_string_value(json_object_get(cert, "state"));
        const char *reason = json_string_value(json_object_get(cert, "reason"));
        flagged += strcmp(state, "flagged") == 0;
        revoked += strcmp(state, "revoked") == 0;
        json_array_append_new(out, json_pack("{sO sO sO sO ss ss}", "number",
                                             json_object_get(cert, "number"), "candidate",
                                             json_object_get(row, "candidate"), "name",
                                             json_object_get(row, "name"), "attempt",
                                             json_object_get(row, "id"), "state", state,
                                             "reason", reason));
        if (c->json)
            continue;
        printf("%s  ", json_string_value(json_object_get(cert, "number")));
        cli_print_padded(json_string_value(json_object_get(row, "candidate")), 13);
        cli_print_padded(json_string_value(json_object_get(row, "name")), 17);
        printf("%s%s%s\n", state, *reason ? ": " : "", reason);
    }
    int rc = CLI_OK;
    if (c->json)
        rc = cli_print_json(out, JSON_INDENT(2) | JSON_SORT_KEYS);
    else
        printf("%zu certificate%s, %zu flagged, %zu revoked\n", json_array_size(out),
               json_array_size(out) == 1 ? "" : "s", flagged, revoked);
    json_decref(out);
    json_decref(rows);
    return rc;
}

static int show(cli_ctx *c, const char *number)
{
    ks_certificate cert;
    ks_error err;
    char *doc = NULL;
    if (ks_store_certificate_get(c->store, number, &cert, &err))
        return cli_fail(&err);
    ks_status rc = ks_certificate_document(&cert, &doc, &err);
    if (!rc)
        puts(doc);
    if (!rc && cert.flagged_at && !cert.revoked_at)
        fprintf(stderr, "note: %s is flagged (it stays valid unless revoked): %s\n",
                cert.number, cert.flag_reason);
    free(doc);
    ks_certificate_free(&cert);
    return rc ? cli_fail(&err) : CLI_OK;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    char buf[4096];
    size_t n;
    while (out && (n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, out);
    int bad = ferror(f);
    fclose(f);
    if (out)
        fclose(out);
    if (bad) {
        free(text);
        return NULL;
    }
    return text;
}

static int verify(cli_ctx *c, const opts *o, const char *number)
{
    unsigned char pk[KS_SIGN_PUBLIC_BYTES];
    int rc = cmd_keys_public(o->key, o->public_key, pk);
    if (rc)
        return rc;
    char *doc = NULL;
    if (o->file && !(doc = read_file(o->file))) {
        ks_error err;
        ks_error_set(&err, KS_EIO, "%s: cannot read it", o->file);
        return cli_fail(&err);
    }
    ks_verification v;
    ks_error err;
    if (ks_certificate_verify(c->store, pk, number, doc, &v, &err)) {
        free(doc);
        return cli_fail(&err);
    }
    free(doc);
    if (v.verdict == KS_VERDICT_VALID) {
        json_t *p = json_loads(v.cert.payload, 0, NULL);
        printf("valid: %s, %s (%s), %s, %s\n", v.cert.number,
               json_string_value(json_object_get(json_object_get(p, "candidate"), "name")),
               json_string_value(json_object_get(json_object_get(p, "candidate"), "number")),
               json_string_value(json_object_get(json_object_get(p, "certification"), "title")),
               json_string_value(json_object_get(p, "date")));
        json_decref(p);
        rc = CLI_OK;
    } else {
        printf("invalid: %s\n", v.reason);
        rc = CLI_FAILED;
    }
    ks_verification_free(&v);
    return rc;
}

static int revoke(cli_ctx *c, const opts *o, const char *number)
{
    ks_error err;
    if (!o->reason)
        return cli_usage_error("certificate revoke", "--reason TEXT is required");
    if (ks_certificate_revoke(&c->exam, number, o->reason, &err))
        return cli_fail(&err);
    printf("revoked %s\n", number);
    return CLI_OK;
}

/* Writes the PDF of a certificate that verifies to --output, else NUMBER.pdf. */
static int pdf(cli_ctx *c, const opts *o, const char *number)
{
    unsigned char pk[KS_SIGN_PUBLIC_BYTES];
    int rc = cmd_keys_public(o->key, o->public_key, pk);
    if (rc)
        return rc;
    char fallback[256];
    snprintf(fallback, sizeof fallback, "%s.pdf", number);
    const char *path = o->output ? o->output : fallback;
    ks_error err;
    if (ks_certificate_pdf_write(c->store, pk, number, o->url, path, &err))
        return cli_fail(&err);
    printf("wrote %s\n", path);
    return CLI_OK;
}

int cmd_certificate(int argc, char **argv)
{
    static const char *const subs[] = {"issue", "show", "verify", "revoke", "pdf", "list"};
    static const char expected[] = "expected issue, list, show, verify, revoke or pdf";
    if (argc < 2)
        return cli_usage_error("certificate", "%s", expected);
    size_t which = 0;
    while (which < 6 && strcmp(argv[1], subs[which]) != 0)
        which++;
    if (which == 6)
        return cli_usage_error("certificate", "unknown subcommand '%s'; %s", argv[1], expected);
    char cmd[32];
    snprintf(cmd, sizeof cmd, "certificate %s", subs[which]);
    opts o = {.key = cmd_keys_default_path()};
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, cmd, argc - 1, argv + 1, options, on_opt, &o, &first);
    if (rc)
        return rc;
    int npos = argc - 1 - first;
    const char *arg = npos == 1 ? argv[1 + first] : NULL;
    if (which == 2 && o.file ? npos != 0 : npos != 1)
        return cli_usage_error(cmd, which == 0 || which == 5 ? "expected one sitting name"
                                    : which == 2 ? "expected one certificate number, or --file"
                                                 : "expected one certificate number");
    if (o.file && which != 2)
        return cli_usage_error(cmd, "--file is for 'certificate verify'");
    if (o.public_key && which != 2 && which != 4)
        return cli_usage_error(cmd, "--public-key is for 'certificate verify' and 'pdf'");
    if ((o.url || o.output) && which != 4)
        return cli_usage_error(cmd, "--url and --output are for 'certificate pdf'");
    if (o.reason && which != 3)
        return cli_usage_error(cmd, "--reason is for 'certificate revoke'");
    if ((rc = cli_ctx_open(&c)))
        return rc;
    switch (which) {
    case 0: rc = issue(&c, &o, arg); break;
    case 1: rc = show(&c, arg); break;
    case 2: rc = verify(&c, &o, arg); break;
    case 3: rc = revoke(&c, &o, arg); break;
    case 4: rc = pdf(&c, &o, arg); break;
    default: rc = list(&c, arg); break;
    }
    cli_ctx_close(&c);
    return rc;
}
