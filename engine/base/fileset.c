/* File sets: see include/kaoshi/fileset.h. */
#include "kaoshi/fileset.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE_BYTES (64u << 20)

struct ks_fileset {
    char *root; /* NULL for a frozen set */
    ks_source *files;
    size_t count, cap;
};

void ks_source_free(ks_source *s)
{
    free(s->path);
    free(s->kind);
    free(s->content);
    free(s->sha256);
    memset(s, 0, sizeof *s);
}

void ks_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

ks_fileset *ks_fileset_disk(const char *root)
{
    ks_fileset *fs = calloc(1, sizeof *fs);
    if (fs && !(fs->root = strdup(root))) {
        free(fs);
        return NULL;
    }
    return fs;
}

ks_fileset *ks_fileset_frozen(ks_source *sources, size_t n)
{
    ks_fileset *fs = calloc(1, sizeof *fs);
    if (!fs) {
        for (size_t i = 0; i < n; i++)
            ks_source_free(&sources[i]);
        free(sources);
        return NULL;
    }
    fs->files = sources;
    fs->count = fs->cap = n;
    return fs;
}

void ks_fileset_free(ks_fileset *fs)
{
    if (!fs)
        return;
    for (size_t i = 0; i < fs->count; i++)
        ks_source_free(&fs->files[i]);
    free(fs->files);
    free(fs->root);
    free(fs);
}

static ks_status read_whole(const char *full, const char *path, char **out, size_t *len,
                            ks_error *err)
{
    FILE *f = fopen(full, "rb");
    if (!f)
        return ks_error_set(err, KS_ENOTFOUND, "%s: cannot read: %s", path, strerror(errno));
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return ks_error_set(err, KS_EINTERNAL, "out of memory");
            }
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > MAX_FILE_BYTES) {
            free(buf);
            fclose(f);
            return ks_error_set(err, KS_EINPUT, "%s: larger than %u MiB", path,
                                MAX_FILE_BYTES >> 20);
        }
        if (got == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return ks_error_set(err, KS_EIO, "%s: cannot read", path);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return KS_OK;
}

ks_status ks_fileset_read(ks_fileset *fs, const char *path, const char *kind,
                          const ks_source **out, ks_error *err)
{
    for (size_t i = 0; i < fs->count; i++) {
        if (strcmp(fs->files[i].path, path) == 0) {
            *out = &fs->files[i];
            return KS_OK;
        }
    }
    if (!fs->root)
        return ks_error_set(err, KS_ENOTFOUND, "%s: not among the sitting's frozen files",
                            path);
    if (strstr(path, "..") || path[0] == '/')
        return ks_error_set(err, KS_EINPUT, "%s: paths must stay inside the project", path);
    char *full = NULL;
    if (asprintf(&full, "%s/%s", fs->root, path) < 0)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    char *content = NULL;
    size_t len = 0;
    ks_status rc = read_whole(full, path, &content, &len, err);
    free(full);
    if (rc)
        return rc;
    if (fs->count == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 8;
        ks_source *grown = realloc(fs->files, cap * sizeof *grown);
        if (!grown) {
            free(content);
            return ks_error_set(err, KS_EINTERNAL, "out of memory");
        }
        fs->files = grown;
        fs->cap = cap;
    }
    char hex[65];
    ks_sha256_hex(content, len, hex);
    ks_source *s = &fs->files[fs->count];
    *s = (ks_source){strdup(path), strdup(kind), content, len, strdup(hex)};
    if (!s->path || !s->kind || !s->sha256) {
        ks_source_free(s);
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    fs->count++;
    *out = s;
    return KS_OK;
}

size_t ks_fileset_count(const ks_fileset *fs) { return fs->count; }

const ks_source *ks_fileset_at(const ks_fileset *fs, size_t i) { return &fs->files[i]; }

static int by_path(const void *a, const void *b)
{
    return strcmp((*(const ks_source *const *)a)->path, (*(const ks_source *const *)b)->path);
}

void ks_fileset_hash(const ks_fileset *fs, char out[65])
{
    const ks_source **sorted = malloc((fs->count + 1) * sizeof *sorted);
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    if (sorted) {
        for (size_t i = 0; i < fs->count; i++)
            sorted[i] = &fs->files[i];
        qsort(sorted, fs->count, sizeof *sorted, by_path);
        for (size_t i = 0; i < fs->count; i++) {
            crypto_hash_sha256_update(&st, (const unsigned char *)sorted[i]->path,
                                      strlen(sorted[i]->path) + 1);
            crypto_hash_sha256_update(&st, (const unsigned char *)sorted[i]->sha256, 64);
            crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
        }
        free(sorted);
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}
