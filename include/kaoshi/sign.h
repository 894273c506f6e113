/* The installation's Ed25519 signing key (libsodium): creating it in a file
 * only its owner may read, loading it, signing messages and checking
 * signatures. Public keys and signatures travel as standard base64 text.
 * Implemented in engine/sign.c; depends on libsodium only. */
#ifndef KAOSHI_SIGN_H
#define KAOSHI_SIGN_H

#include <stddef.h>

#include "kaoshi/error.h"

#define KS_SIGN_PUBLIC_BYTES 32
#define KS_SIGN_SECRET_BYTES 64
#define KS_SIGN_BYTES 64
/* Buffer sizes for the text forms, terminating NUL included. */
#define KS_SIGN_PUBLIC_TEXT 45 /* base64 of 32 bytes */
#define KS_SIGN_TEXT 89        /* base64 of 64 bytes */
#define KS_SIGN_FINGERPRINT 24 /* "xxxx-xxxx-xxxx-xxxx" */

typedef struct ks_sign_key {
    unsigned char pk[KS_SIGN_PUBLIC_BYTES];
    unsigned char sk[KS_SIGN_SECRET_BYTES];
} ks_sign_key;

/* Generates a new key pair and writes its secret part to path with mode
 * 0600. Refuses (KS_ESTATE) when path exists: a key is never overwritten. */
ks_status ks_sign_key_create(const char *path, ks_sign_key *key, ks_error *err);

/* Reads the key written by ks_sign_key_create. Refuses a file that group or
 * others may read or write (KS_ESTATE) and a malformed one (KS_EINPUT). */
ks_status ks_sign_key_load(const char *path, ks_sign_key *key, ks_error *err);

/* Zeroes the key's memory. */
void ks_sign_key_wipe(ks_sign_key *key);

/* The public key as base64 text, and its short fingerprint (the first 8
 * bytes of its BLAKE2b hash in hex, grouped by four). */
void ks_sign_public_text(const unsigned char pk[KS_SIGN_PUBLIC_BYTES],
                         char out[KS_SIGN_PUBLIC_TEXT]);
void ks_sign_fingerprint(const unsigned char pk[KS_SIGN_PUBLIC_BYTES],
                         char out[KS_SIGN_FINGERPRINT]);

/* The short fingerprint of a signature (base64 text), formed the same way,
 * for printing on a certificate next to its number. -1 (out "") when sig is
 * not a signature's text. */
int ks_sign_signature_fingerprint(const char *sig, char out[KS_SIGN_FINGERPRINT]);

/* Parses base64 public key text; KS_EINPUT when it is not 32 bytes. */
ks_status ks_sign_public_parse(const char *text, unsigned char pk[KS_SIGN_PUBLIC_BYTES],
                               ks_error *err);

/* The detached signature of msg, as base64 text. */
void ks_sign_message(const ks_sign_key *key, const char *msg, size_t len,
                     char sig[KS_SIGN_TEXT]);

/* 1 when sig (base64 text) is a valid signature of msg by pk, else 0
 * (malformed signature text included). */
int ks_sign_check(const unsigned char pk[KS_SIGN_PUBLIC_BYTES], const char *msg, size_t len,
                  const char *sig);

#endif
