/* Where a certification's files come from. A disk file set reads files under
 * a root directory and remembers every file it served, with its SHA-256, so a
 * sitting can freeze exactly what its script used; a frozen file set serves
 * only the copies stored with a sitting. Scripts and banks are read only
 * through a file set, which keeps a running exam independent of later edits.
 * Plain C (libsodium for SHA-256). */
#ifndef KAOSHI_FILESET_H
#define KAOSHI_FILESET_H

#include <stddef.h>

#include "kaoshi/error.h"

typedef struct ks_source {
    char *path; /* as the script refers to it: "scripts/demo.lua", "banks/demo.yaml" */
    char *kind; /* "script", "module" or "bank" */
    char *content;
    size_t len;
    char *sha256; /* lower-case hex */
} ks_source;

void ks_source_free(ks_source *s);

typedef struct ks_fileset ks_fileset;

/* Files under root (paths are relative to it). */
ks_fileset *ks_fileset_disk(const char *root);
/* Takes ownership of the n sources (and the array). */
ks_fileset *ks_fileset_frozen(ks_source *sources, size_t n);
void ks_fileset_free(ks_fileset *fs);

/* The content of path, read once and kept; kind is recorded on first read.
 * KS_ENOTFOUND with "PATH: cannot read: REASON" when it is missing. The
 * returned source belongs to the file set. */
ks_status ks_fileset_read(ks_fileset *fs, const char *path, const char *kind,
                          const ks_source **out, ks_error *err);

/* The files served so far, in the order first read. */
size_t ks_fileset_count(const ks_fileset *fs);
const ks_source *ks_fileset_at(const ks_fileset *fs, size_t i);

/* SHA-256 over every served file ("path\0sha256\n" in path order), hex. */
void ks_fileset_hash(const ks_fileset *fs, char out[65]);

/* Hex SHA-256 of len bytes. */
void ks_sha256_hex(const void *data, size_t len, char out[65]);

#endif
