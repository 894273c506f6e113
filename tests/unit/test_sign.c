/* Unit tests for the signing key (engine/sign.c): RFC 8032 test vector 1
 * (with the fingerprints of its key and signature), key files (mode, no
 * overwrite, malformed), tampered messages. */
#include "unit.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kaoshi/sign.h"

/* RFC 8032 section 7.1, TEST 1: secret seed, public key and the signature of
 * the empty message, the latter two in base64. */
#define RFC_SEED "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define RFC_PK "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define RFC_SIG "5VZDAMNgrHKQhuLMgG6CioSHfx645dl02HPgZSJJAVVfuIIVkKM7rMYeOXAc+bRr0lv18FlbviRlUUFDjnoQCw=="

static char key_path[64];

static const char *fresh_path(void)
{
    snprintf(key_path, sizeof key_path, "/tmp/kaoshi-test-sign-%d.key", (int)getpid());
    unlink(key_path);
    return key_path;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

static void test_rfc8032_vector(void)
{
    const char *path = fresh_path();
    write_file(path, "kaoshi-ed25519-seed " RFC_SEED "\n", 0600);
    ks_sign_key key;
    ks_error err;
    CHECK_INT(ks_sign_key_load(path, &key, &err), KS_OK);
    char pk[KS_SIGN_PUBLIC_TEXT], sig[KS_SIGN_TEXT], fp[KS_SIGN_FINGERPRINT];
    ks_sign_public_text(key.pk, pk);
    CHECK_STR(pk, RFC_PK);
    ks_sign_message(&key, "", 0, sig);
    CHECK_STR(sig, RFC_SIG);
    ks_sign_fingerprint(key.pk, fp);
    CHECK_STR(fp, "c466-07ca-b5cd-8e90");
    CHECK_INT(ks_sign_signature_fingerprint(RFC_SIG, fp), 0);
    CHECK_STR(fp, "4ef2-e0ee-e5f1-7cb0");
    CHECK_INT(ks_sign_signature_fingerprint("not base64", fp), -1);
    CHECK_STR(fp, "");
    CHECK_INT(ks_sign_check(key.pk, "", 0, RFC_SIG), 1);
    ks_sign_key_wipe(&key);
    unlink(path);
}

static void test_create_mode_and_no_overwrite(void)
{
    const char *path = fresh_path();
    ks_sign_key key, again, loaded;
    ks_error err;
    mode_t old = umask(0);
    CHECK_INT(ks_sign_key_create(path, &key, &err), KS_OK);
    umask(old);
    struct stat st;
    CHECK_INT(stat(path, &st), 0);
    CHECK_INT(st.st_mode & 0777, 0600);
    CHECK_INT(st.st_size, 85);
    CHECK_INT(ks_sign_key_create(path, &again, &err), KS_ESTATE);
    CHECK(strstr(err.message, "never overwritten") != NULL);
    CHECK_INT(ks_sign_key_load(path, &loaded, &err), KS_OK);
    CHECK_INT(memcmp(loaded.pk, key.pk, sizeof key.pk), 0);
    CHECK_INT(memcmp(loaded.sk, key.sk, sizeof key.sk), 0);
    unlink(path);
}

static void test_load_refusals(void)
{
    const char *path = fresh_path();
    ks_sign_key key;
    ks_error err;
    CHECK_INT(ks_sign_key_load(path, &key, &err), KS_ENOTFOUND);
    write_file(path, "kaoshi-ed25519-seed " RFC_SEED "\n", 0644);
    CHECK_INT(ks_sign_key_load(path, &key, &err), KS_ESTATE);
    CHECK(strstr(err.message, "mode 644") != NULL);
    write_file(path, "kaoshi-ed25519-seed 9d61\n", 0600);
    CHECK_INT(ks_sign_key_load(path, &key, &err), KS_EINPUT);
    write_file(path, "kaoshi-ed25519-seed " RFC_SEED "\nmore\n", 0600);
    CHECK_INT(ks_sign_key_load(path, &key, &err), KS_EINPUT);
    unlink(path);
}

static void test_tampering_fails(void)
{
    const char *path = fresh_path();
    ks_sign_key key, other;
    ks_error err;
    CHECK_INT(ks_sign_key_create(path, &key, &err), KS_OK);
    unlink(path);
    CHECK_INT(ks_sign_key_create(path, &other, &err), KS_OK);
    unlink(path);
    const char *msg = "{\"name\":\"张三\",\"score\":82}";
    char sig[KS_SIGN_TEXT];
    ks_sign_message(&key, msg, strlen(msg), sig);
    CHECK_INT(ks_sign_check(key.pk, msg, strlen(msg), sig), 1);
    CHECK_INT(ks_sign_check(key.pk, "{\"name\":\"张三\",\"score\":92}", strlen(msg), sig), 0);
    CHECK_INT(ks_sign_check(other.pk, msg, strlen(msg), sig), 0);
    CHECK_INT(ks_sign_check(key.pk, msg, strlen(msg), "not base64!"), 0);
    CHECK_INT(ks_sign_check(key.pk, msg, strlen(msg), RFC_PK), 0);

    unsigned char pk[KS_SIGN_PUBLIC_BYTES];
    CHECK_INT(ks_sign_public_parse(RFC_PK, pk, &err), KS_OK);
    CHECK_INT(ks_sign_check(pk, "", 0, RFC_SIG), 1);
    CHECK_INT(ks_sign_public_parse(RFC_SIG, pk, &err), KS_EINPUT);
}

UNIT_MAIN(T(test_rfc8032_vector), T(test_create_mode_and_no_overwrite), T(test_load_refusals),
          T(test_tampering_fails))
