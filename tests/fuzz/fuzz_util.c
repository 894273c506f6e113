/* Helpers shared by the libFuzzer targets: see tests/fuzz/fuzz_util.h. */
#include "fuzz_util.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kaoshi/fileset.h"

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(stderr);
    abort();
}

static int is_root(const char *dir)
{
    char probe[PATH_MAX];
    snprintf(probe, sizeof probe, "%s/scripts/demo.lua", dir);
    return access(probe, R_OK) == 0;
}

/* Walks up from dir (modified in place) to a project root; 1 when found. */
static int find_upwards(char *dir)
{
    for (;;) {
        if (is_root(dir))
            return 1;
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            return 0;
        *slash = '\0';
    }
}

const char *fuzz_root(void)
{
    static char root[PATH_MAX];
    if (root[0])
        return root;
    const char *env = getenv("KAOSHI_ROOT");
    if (env && *env) {
        snprintf(root, sizeof root, "%s", env);
        if (!is_root(root))
            fuzz_fail("KAOSHI_ROOT=%s holds no scripts/demo.lua", env);
        return root;
    }
    ssize_t n = readlink("/proc/self/exe", root, sizeof root - 1);
    if (n > 0) {
        root[n] = '\0';
        if (find_upwards(root))
            return root;
    }
    if (getcwd(root, sizeof root) && find_upwards(root))
        return root;
    root[0] = '\0';
    fuzz_fail("cannot find the project root (scripts/demo.lua); set KAOSHI_ROOT");
}

static char tmpdir[PATH_MAX];
static pid_t tmpdir_owner;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tmpdir(void)
{
    if (tmpdir[0] && getpid() == tmpdir_owner)
        nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Removes the scratch directories of fuzzers that ended without cleaning up
 * (a crash aborts without running atexit): "kaoshi-fuzz-PID-..." whose PID
 * is gone. */
static void remove_stale(const char *base)
{
    DIR *d = opendir(base);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid;
        char path[PATH_MAX];
        if (sscanf(e->d_name, "kaoshi-fuzz-%ld-", &pid) == 1 && pid > 0 &&
            kill((pid_t)pid, 0) != 0 && errno == ESRCH &&
            (size_t)snprintf(path, sizeof path, "%s/%s", base, e->d_name) < sizeof path)
            nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    closedir(d);
}

const char *fuzz_tmpdir(void)
{
    if (tmpdir[0])
        return tmpdir;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    remove_stale(base);
    snprintf(tmpdir, sizeof tmpdir, "%s/kaoshi-fuzz-%ld-XXXXXX", base, (long)getpid());
    if (!mkdtemp(tmpdir))
        fuzz_fail("cannot create a scratch directory %s", tmpdir);
    tmpdir_owner = getpid();
    atexit(remove_tmpdir);
    return tmpdir;
}

char *fuzz_path(char *buf, size_t size, const char *dir, const char *name)
{
    if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size)
        fuzz_fail("path too long: %s/%s", dir, name);
    return buf;
}

char *fuzz_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

void fuzz_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        fuzz_fail("cannot write %s", path);
}

static char *copy_bytes(const char *data, size_t len)
{
    char *out = malloc(len + 1);
    if (!out)
        fuzz_fail("out of memory");
    memcpy(out, data, len);
    out[len] = '\0';
    return out;
}

static ks_source source_copy(const char *path, const char *kind, const char *content, size_t len,
                             const char *sha256)
{
    ks_source src = {.path = copy_bytes(path, strlen(path)),
                     .kind = copy_bytes(kind, strlen(kind)),
                     .content = copy_bytes(content, len),
                     .len = len};
    if (sha256) {
        src.sha256 = copy_bytes(sha256, strlen(sha256));
    } else {
        char hex[65];
        ks_sha256_hex(content, len, hex);
        src.sha256 = copy_bytes(hex, 64);
    }
    return src;
}

void fuzz_sources_add(fuzz_sources *s, const char *path, const char *kind, const char *content,
                      size_t len)
{
    ks_source src = source_copy(path, kind, content, len, NULL);
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->list[i].path, path) == 0) {
            ks_source_free(&s->list[i]);
            s->list[i] = src;
            return;
        }
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 8;
        s->list = realloc(s->list, s->cap * sizeof *s->list);
        if (!s->list)
            fuzz_fail("out of memory");
    }
    s->list[s->n++] = src;
}

void fuzz_sources_add_file(fuzz_sources *s, const char *path, const char *kind)
{
    char full[PATH_MAX];
    fuzz_path(full, sizeof full, fuzz_root(), path);
    size_t len;
    char *text = fuzz_read_file(full, &len);
    if (!text)
        fuzz_fail("cannot read %s", full);
    fuzz_sources_add(s, path, kind, text, len);
    free(text);
}

ks_fileset *fuzz_sources_fileset(const fuzz_sources *s)
{
    ks_source *copy = calloc(s->n ? s->n : 1, sizeof *copy);
    if (!copy)
        fuzz_fail("out of memory");
    for (size_t i = 0; i < s->n; i++)
        copy[i] = source_copy(s->list[i].path, s->list[i].kind, s->list[i].content,
                              s->list[i].len, s->list[i].sha256);
    ks_fileset *fs = ks_fileset_frozen(copy, s->n);
    if (!fs)
        fuzz_fail("out of memory");
    return fs;
}

void fuzz_sources_free(fuzz_sources *s)
{
    for (size_t i = 0; i < s->n; i++)
        ks_source_free(&s->list[i]);
    free(s->list);
    s->list = NULL;
    s->n = s->cap = 0;
}
