/* The benchmark helpers of bench_util.h: libc, /proc and kaoshi/clock.h. */
#include "bench_util.h"

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kaoshi/clock.h"

double bench_seconds(void)
{
    return (double)ks_clock_mono_ns() / 1e9;
}

int bench_samples_add(bench_samples *s, double x)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        double *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return 0;
}

int bench_samples_merge(bench_samples *dst, const bench_samples *src)
{
    for (size_t i = 0; i < src->n; i++)
        if (bench_samples_add(dst, src->v[i]))
            return -1;
    return 0;
}

double bench_repeat(void (*fn)(void *ud), void *ud, int min_calls, double min_seconds)
{
    bench_samples times = {0};
    double start = bench_seconds(), now = start;
    for (int calls = 0; calls < min_calls || now - start < min_seconds; calls++) {
        double t0 = now;
        fn(ud);
        now = bench_seconds();
        if (bench_samples_add(&times, now - t0))
            break;
    }
    double median = bench_samples_percentile(&times, 50);
    bench_samples_free(&times);
    return median;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_samples_percentile(bench_samples *s, double p)
{
    if (!s->n)
        return NAN;
    qsort(s->v, s->n, sizeof *s->v, cmp_double);
    double rank = p / 100.0 * (double)(s->n - 1);
    if (rank <= 0)
        return s->v[0];
    if (rank >= (double)(s->n - 1))
        return s->v[s->n - 1];
    size_t lo = (size_t)rank;
    double frac = rank - (double)lo;
    return s->v[lo] + frac * (s->v[lo + 1] - s->v[lo]);
}

void bench_samples_free(bench_samples *s)
{
    free(s->v);
    *s = (bench_samples){0};
}

/* Writes text as a JSON string (UTF-8 passes through). */
static void put_string(const char *text)
{
    putchar('"');
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\')
            printf("\\%c", *c);
        else if (*c < 0x20)
            printf("\\u%04x", *c);
        else
            putchar(*c);
    }
    putchar('"');
}

static void put_number(double x)
{
    if (isfinite(x))
        printf("%.8g", x);
    else
        fputs("null", stdout);
}

void bench_print(const char *bench, const char *case_name, const char *metric, double value,
                 double ceiling, const char *better, const char *unit, const char *ceiling_what)
{
    fputs("{\"bench\":", stdout);
    put_string(bench);
    fputs(",\"case\":", stdout);
    put_string(case_name);
    fputs(",\"metric\":", stdout);
    put_string(metric);
    fputs(",\"value\":", stdout);
    put_number(value);
    fputs(",\"ceiling\":", stdout);
    put_number(ceiling);
    fputs(",\"better\":", stdout);
    put_string(better);
    fputs(",\"unit\":", stdout);
    put_string(unit);
    fputs(",\"ceiling_what\":", stdout);
    put_string(ceiling_what);
    fputs("}\n", stdout);
    fflush(stdout);
}

/* The "<field>:   N kB" line of /proc/PID/status (pid 0: this process), in
 * bytes; -1 if absent. */
static long long status_kib(int pid, const char *field)
{
    char path[64];
    if (pid)
        snprintf(path, sizeof path, "/proc/%d/status", pid);
    else
        snprintf(path, sizeof path, "/proc/self/status");
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    size_t len = strlen(field);
    long long kib = -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, field, len) && line[len] == ':') {
            kib = strtoll(line + len + 1, NULL, 10);
            break;
        }
    fclose(f);
    return kib < 0 ? -1 : kib * 1024;
}

long long bench_rss_bytes(void)
{
    return status_kib(0, "VmRSS");
}

long long bench_peak_bytes(void)
{
    return status_kib(0, "VmHWM");
}

double bench_cpu_of(int pid)
{
    char path[64];
    if (pid)
        snprintf(path, sizeof path, "/proc/%d/stat", pid);
    else
        snprintf(path, sizeof path, "/proc/self/stat");
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[1024];
    char *close = fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;
    fclose(f);
    unsigned long long user, sys;
    /* after "pid (comm)": state and 10 more fields, then utime and stime */
    if (!close || sscanf(close + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                         &user, &sys) != 2)
        return -1;
    return (double)(user + sys) / (double)sysconf(_SC_CLK_TCK);
}

long long bench_rss_of(int pid)
{
    return status_kib(pid, "VmRSS");
}

long long bench_peak_of(int pid)
{
    return status_kib(pid, "VmHWM");
}

int bench_peak_reset(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w"); /* "5" resets VmHWM (Linux 4.0+) */
    if (!f)
        return -1;
    int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

char *bench_tempdir(const char *tag)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    size_t size = strlen(base) + strlen(tag) + 32;
    char *dir = malloc(size);
    if (!dir)
        return NULL;
    snprintf(dir, size, "%s/kaoshi-bench-%s-XXXXXX", base, tag);
    if (!mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    return dir;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void bench_tempdir_remove(char *dir)
{
    if (!dir)
        return;
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

uint64_t bench_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

void bench_random_key(uint64_t *state, char out[33])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t a = bench_random(state), b = bench_random(state);
    for (int i = 0; i < 16; i++) {
        out[i] = hex[(a >> (4 * i)) & 15];
        out[16 + i] = hex[(b >> (4 * i)) & 15];
    }
    out[32] = '\0';
}
