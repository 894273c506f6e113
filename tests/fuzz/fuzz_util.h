/* Helpers shared by the libFuzzer targets of tests/fuzz/: the entry points'
 * prototypes, a failure that aborts (so libFuzzer keeps the input), the
 * project root (scripts/, banks/) and a per-process scratch directory. */
#ifndef KAOSHI_FUZZ_UTIL_H
#define KAOSHI_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry points (defined by each target). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Prints "fuzz: MESSAGE" to stderr and aborts: a finding. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The project directory holding scripts/demo.lua and banks/: $KAOSHI_ROOT,
 * else the first directory upwards of the executable or of the working
 * directory that has them. Fails when there is none. */
const char *fuzz_root(void);

/* A directory of this process's own (under /dev/shm when it exists, which
 * makes SQLite's fsyncs cheap), removed with its contents at exit; those a
 * crashed fuzzer left behind are removed by the next one. */
const char *fuzz_tmpdir(void);

/* dir/name in a static buffer of the caller's (size bytes). */
char *fuzz_path(char *buf, size_t size, const char *dir, const char *name);

/* The whole file at path (NUL-terminated, *len without it), or NULL. */
char *fuzz_read_file(const char *path, size_t *len);

/* Writes len bytes to path; fails the run when it cannot. */
void fuzz_write_file(const char *path, const void *data, size_t len);

/* An in-memory file set under construction: sources added one by one, then
 * handed to ks_fileset_frozen (which takes them over). */
typedef struct fuzz_sources {
    struct ks_source *list;
    size_t n, cap;
} fuzz_sources;

/* Adds a copy of len bytes of content as path (kind "script", "module" or
 * "bank"), replacing an earlier source of that path. */
void fuzz_sources_add(fuzz_sources *s, const char *path, const char *kind, const char *content,
                      size_t len);
/* Adds the file path (relative to fuzz_root()); fails the run when it cannot. */
void fuzz_sources_add_file(fuzz_sources *s, const char *path, const char *kind);
/* A frozen file set of copies of the sources (s keeps its own). */
struct ks_fileset *fuzz_sources_fileset(const fuzz_sources *s);
void fuzz_sources_free(fuzz_sources *s);

#endif
