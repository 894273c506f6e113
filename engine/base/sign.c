/* Ed25519 keys and signatures for certificates (see kaoshi/sign.h). The key
 * file holds one line, "kaoshi-ed25519-seed " and the 32-byte seed in hex;
 * the key pair is derived from the seed. Depends on libsodium and POSIX file
 * calls. */
#include "kaoshi/sign.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_TAG "kaoshi-ed25519-seed "
#define SEED_HEX (2 * crypto_sign_SEEDBYTES)
#define KEY_FILE_LEN (sizeof KEY_TAG - 1 + SEED_HEX + 1)

static ks_status init(ks_error *err)
{
    if (sodium_init() < 0)
        return ks_error_set(err, KS_EINTERNAL, "libsodium failed to initialise");
    return KS_OK;
}

static ks_status write_all(int fd, const char *buf, size_t n, const char *path, ks_error *err)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return ks_error_set(err, KS_EIO, "%s: %s", path, strerror(errno));
        buf += w;
        n -= (size_t)w;
    }
    return KS_OK;
}

ks_status ks_sign_key_create(const char *path, ks_sign_key *key, ks_error *err)
{
    ks_status rc = init(err);
    if (rc)
        return rc;
    unsigned char seed[crypto_sign_SEEDBYTES];
    char line[KEY_FILE_LEN + 1];
    randombytes_buf(seed, sizeof seed);
    crypto_sign_seed_keypair(key->pk, key->sk, seed);
    memcpy(line, KEY_TAG, sizeof KEY_TAG - 1);
    sodium_bin2hex(line + sizeof KEY_TAG - 1, SEED_HEX + 1, seed, sizeof seed);
    line[KEY_FILE_LEN - 1] = '\n';
    sodium_memzero(seed, sizeof seed);

    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = errno == EEXIST
                 ? ks_error_set(err, KS_ESTATE, "%s exists; a signing key is never overwritten",
                                path)
                 : ks_error_set(err, KS_EIO, "%s: %s", path, strerror(errno));
    } else {
        /* The umask may only narrow 0600; fchmod makes it exact. */
        if (fchmod(fd, 0600) != 0)
            rc = ks_error_set(err, KS_EIO, "%s: %s", path, strerror(errno));
        if (!rc)
            rc = write_all(fd, line, KEY_FILE_LEN, path, err);
        if (!rc && fsync(fd) != 0)
            rc = ks_error_set(err, KS_EIO, "%s: %s", path, strerror(errno));
        if (close(fd) != 0 && !rc)
            rc = ks_error_set(err, KS_EIO, "%s: %s", path, strerror(errno));
        if (rc)
            unlink(path);
    }
    sodium_memzero(line, sizeof line);
    if (rc)
        ks_sign_key_wipe(key);
    return rc;
}

ks_status ks_sign_key_load(const char *path, ks_sign_key *key, ks_error *err)
{
    ks_status rc = init(err);
    if (rc)
        return rc;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ks_error_set(err, errno == ENOENT ? KS_ENOTFOUND : KS_EIO,
                            "%s: %s (create the key with 'kaoshi keys init')", path,
                            strerror(errno));
    struct stat st;
    char buf[KEY_FILE_LEN + 2];
    unsigned char seed[crypto_sign_SEEDBYTES];
    ssize_t n = 0;
    if (fstat(fd, &st) != 0) {
        rc = ks_error_set(err, KS_EIO, "%s: %s", path, strerror(errno));
    } else if (st.st_mode & 077) {
        rc = ks_error_set(err, KS_ESTATE,
                          "%s: group or others may access the signing key (mode %03o); "
                          "run chmod 600 on it",
                          path, (unsigned)(st.st_mode & 0777));
    } else {
        do
            n = read(fd, buf, sizeof buf);
        while (n < 0 && errno == EINTR);
        if (n < 0)
            rc = ks_error_set(err, KS_EIO, "%s: %s", path, strerror(errno));
    }
    close(fd);
    size_t hexlen = 0;
    if (!rc && ((size_t)n != KEY_FILE_LEN || memcmp(buf, KEY_TAG, sizeof KEY_TAG - 1) != 0 ||
                buf[KEY_FILE_LEN - 1] != '\n' ||
                sodium_hex2bin(seed, sizeof seed, buf + sizeof KEY_TAG - 1, SEED_HEX, NULL,
                               &hexlen, NULL) != 0 ||
                hexlen != sizeof seed))
        rc = ks_error_set(err, KS_EINPUT, "%s is not a kaoshi signing key", path);
    if (!rc)
        crypto_sign_seed_keypair(key->pk, key->sk, seed);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(buf, sizeof buf);
    return rc;
}

void ks_sign_key_wipe(ks_sign_key *key)
{
    sodium_memzero(key, sizeof *key);
}

void ks_sign_public_text(const unsigned char pk[KS_SIGN_PUBLIC_BYTES],
                         char out[KS_SIGN_PUBLIC_TEXT])
{
    sodium_bin2base64(out, KS_SIGN_PUBLIC_TEXT, pk, KS_SIGN_PUBLIC_BYTES,
                      sodium_base64_VARIANT_ORIGINAL);
}

/* The first 8 bytes of the BLAKE2b hash of data in hex, grouped by four. */
static void fingerprint(const unsigned char *data, size_t n, char out[KS_SIGN_FINGERPRINT])
{
    unsigned char h[8];
    char hex[2 * sizeof h + 1];
    crypto_generichash(h, sizeof h, data, n, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(out, KS_SIGN_FINGERPRINT, "%.4s-%.4s-%.4s-%.4s", hex, hex + 4, hex + 8, hex + 12);
}

void ks_sign_fingerprint(const unsigned char pk[KS_SIGN_PUBLIC_BYTES],
                         char out[KS_SIGN_FINGERPRINT])
{
    fingerprint(pk, KS_SIGN_PUBLIC_BYTES, out);
}

/* Decodes base64 text of exactly n bytes; 0 on success. */
static int decode_exact(const char *text, unsigned char *out, size_t n)
{
    size_t got = 0;
    const char *end = NULL;
    if (sodium_base642bin(out, n, text, strlen(text), NULL, &got, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return -1;
    return got == n && *end == '\0' ? 0 : -1;
}

int ks_sign_signature_fingerprint(const char *sig, char out[KS_SIGN_FINGERPRINT])
{
    unsigned char raw[KS_SIGN_BYTES];
    out[0] = '\0';
    if (sodium_init() < 0 || decode_exact(sig, raw, sizeof raw) != 0)
        return -1;
    fingerprint(raw, sizeof raw, out);
    return 0;
}

ks_status ks_sign_public_parse(const char *text, unsigned char pk[KS_SIGN_PUBLIC_BYTES],
                               ks_error *err)
{
    if (decode_exact(text, pk, KS_SIGN_PUBLIC_BYTES) != 0)
        return ks_error_set(err, KS_EINPUT, "'%s' is not an Ed25519 public key in base64", text);
    return KS_OK;
}

void ks_sign_message(const ks_sign_key *key, const char *msg, size_t len,
                     char sig[KS_SIGN_TEXT])
{
    unsigned char raw[KS_SIGN_BYTES];
    crypto_sign_detached(raw, NULL, (const unsigned char *)msg, len, key->sk);
    sodium_bin2base64(sig, KS_SIGN_TEXT, raw, sizeof raw, sodium_base64_VARIANT_ORIGINAL);
}

int ks_sign_check(const unsigned char pk[KS_SIGN_PUBLIC_BYTES], const char *msg, size_t len,
                  const char *sig)
{
    unsigned char raw[KS_SIGN_BYTES];
    if (sodium_init() < 0 || decode_exact(sig, raw, sizeof raw) != 0)
        return 0;
    return crypto_sign_verify_detached(raw, (const unsigned char *)msg, len, pk) == 0;
}
