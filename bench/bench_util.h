/* Helpers shared by the benchmark programs (bench/bench_*.c): wall time,
 * samples and their percentiles, the one-JSON-line-per-figure output of the
 * benchmark protocol, the process's memory (VmRSS/VmHWM) and a scratch
 * directory under $TMPDIR. Plain C over libc and kaoshi/clock.h. */
#ifndef KAOSHI_BENCH_UTIL_H
#define KAOSHI_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Seconds on the monotonic clock (CLOCK_MONOTONIC), for measuring durations. */
double bench_seconds(void);

/* Calls fn(ud) at least min_calls times and until min_seconds have passed;
 * returns the median seconds of one call. */
double bench_repeat(void (*fn)(void *ud), void *ud, int min_calls, double min_seconds);

/* xorshift64 on *state (not 0): a load generator's randomness need not be
 * strong. */
uint64_t bench_random(uint64_t *state);
/* An idempotency key as the exam page makes it: 16 random bytes in hex. */
void bench_random_key(uint64_t *state, char out[33]);

/* A growing list of measurements (any unit). Zero-initialise; free with
 * bench_samples_free. */
typedef struct bench_samples {
    double *v;
    size_t n, cap;
} bench_samples;

/* Appends x (or all of src). Return 0, or -1 when out of memory. */
int bench_samples_add(bench_samples *s, double x);
int bench_samples_merge(bench_samples *dst, const bench_samples *src);

/* The p-th percentile (0..100), linear between the closest ranks; sorts the
 * samples in place. NAN when there are none. */
double bench_samples_percentile(bench_samples *s, double p);

void bench_samples_free(bench_samples *s);

/* Prints one figure as a JSON line on stdout (and flushes):
 * {"bench","case","metric","value","ceiling","better","unit","ceiling_what"}.
 * better is "higher" or "lower"; a non-finite value or ceiling prints null
 * (say why in ceiling_what). */
void bench_print(const char *bench, const char *case_name, const char *metric, double value,
                 double ceiling, const char *better, const char *unit, const char *ceiling_what);

/* This process's resident set now (VmRSS) and its peak (VmHWM), in bytes,
 * from /proc/self/status; -1 when unreadable. */
long long bench_rss_bytes(void);
long long bench_peak_bytes(void);
/* The same for another process (a server the benchmark started), from
 * /proc/PID/status. */
long long bench_rss_of(int pid);
long long bench_peak_of(int pid);

/* CPU time (user + system, all threads) process pid has used so far, in
 * seconds (pid 0: this process), from /proc/PID/stat; -1 when unreadable. */
double bench_cpu_of(int pid);

/* Resets the peak (VmHWM) to the current resident set, so a later
 * bench_peak_bytes() is the peak of what follows. Returns 0, or -1. */
int bench_peak_reset(void);

/* Creates a fresh directory $TMPDIR/kaoshi-bench-<tag>-XXXXXX (TMPDIR
 * defaults to /tmp). Returns its malloc'd path, or NULL. */
char *bench_tempdir(const char *tag);

/* Removes dir and everything under it, then frees the path. NULL is a no-op. */
void bench_tempdir_remove(char *dir);

#endif
