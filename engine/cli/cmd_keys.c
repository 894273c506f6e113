/* kaoshi keys init|show: the installation's Ed25519 key that signs
 * certificates. The secret key lives in --key FILE, else $KAOSHI_KEY, else
 * ./kaoshi.key; 'init' creates it (mode 0600, never overwriting), 'show'
 * prints the public key and its fingerprint. Also the public key that the
 * commands verifying certificates use. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "kaoshi/sign.h"

enum { OPT_KEY = 1 };

static int on_key(int val, const char *arg, void *ud)
{
    (void)val;
    *(const char **)ud = arg;
    return CLI_OK;
}

static void print_public(const ks_sign_key *key, int json)
{
    char pk[KS_SIGN_PUBLIC_TEXT], fp[KS_SIGN_FINGERPRINT];
    ks_sign_public_text(key->pk, pk);
    ks_sign_fingerprint(key->pk, fp);
    if (json)
        printf("{\"public_key\": \"%s\", \"fingerprint\": \"%s\"}\n", pk, fp);
    else
        printf("public key   %s\nfingerprint  %s\n", pk, fp);
}

const char *cmd_keys_default_path(void)
{
    const char *env = getenv("KAOSHI_KEY");
    return env && *env ? env : "kaoshi.key";
}

int cmd_keys_public(const char *key_path, const char *public_text,
                    unsigned char pk[KS_SIGN_PUBLIC_BYTES])
{
    ks_error err;
    if (public_text)
        return ks_sign_public_parse(public_text, pk, &err) ? cli_fail(&err) : CLI_OK;
    ks_sign_key key;
    if (ks_sign_key_load(key_path, &key, &err))
        return cli_fail(&err);
    memcpy(pk, key.pk, KS_SIGN_PUBLIC_BYTES);
    ks_sign_key_wipe(&key);
    return CLI_OK;
}

int cmd_keys(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("keys", "expected init or show");
    const char *sub = argv[1];
    int init = strcmp(sub, "init") == 0;
    if (!init && strcmp(sub, "show") != 0)
        return cli_usage_error("keys", "unknown subcommand '%s'; expected init or show", sub);
    static const struct option opts[] = {{"key", required_argument, NULL, OPT_KEY}, {0}};
    const char *path = cmd_keys_default_path();
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, init ? "keys init" : "keys show", argc - 1, argv + 1, opts,
                                  on_key, &path, &first);
    if (rc)
        return rc;
    if (first != argc - 1)
        return cli_usage_error(c.cmd, "expected no arguments");
    ks_sign_key key;
    ks_error err;
    if (init ? ks_sign_key_create(path, &key, &err) : ks_sign_key_load(path, &key, &err))
        return cli_fail(&err);
    if (init && !c.json)
        printf("created signing key %s (keep it secret; back it up)\n", path);
    print_public(&key, c.json);
    ks_sign_key_wipe(&key);
    return CLI_OK;
}
