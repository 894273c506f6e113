/* A minimal unit-test harness: TEST functions listed in a table, CHECK macros
 * that record a failure with file:line and keep going, and a main that prints
 * one line per failing test and a final "RESULT passed=N failed=M" line that
 * tests/run adds up. Include it from exactly one file per test binary. */
#ifndef KAOSHI_TEST_UNIT_H
#define KAOSHI_TEST_UNIT_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int unit_failed_checks;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            unit_failed_checks++;                                          \
            fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__,       \
                    __LINE__, #cond);                                      \
        }                                                                  \
    } while (0)

#define CHECK_INT(got, want)                                               \
    do {                                                                   \
        long long g_ = (long long)(got), w_ = (long long)(want);           \
        if (g_ != w_) {                                                    \
            unit_failed_checks++;                                          \
            fprintf(stderr, "  %s:%d: %s is %lld, expected %lld\n",        \
                    __FILE__, __LINE__, #got, g_, w_);                     \
        }                                                                  \
    } while (0)

#define CHECK_STR(got, want)                                               \
    do {                                                                   \
        const char *g_ = (got), *w_ = (want);                              \
        if (!g_ || strcmp(g_, w_) != 0) {                                  \
            unit_failed_checks++;                                          \
            fprintf(stderr, "  %s:%d: %s is \"%s\", expected \"%s\"\n",    \
                    __FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_);     \
        }                                                                  \
    } while (0)

/* |got - want| <= abs_tol + rel_tol * |want|; NaN equals NaN, inf equals inf. */
#define CHECK_NEAR(got, want, abs_tol, rel_tol)                            \
    do {                                                                   \
        double g_ = (got), w_ = (want);                                    \
        int ok_ = (isnan(g_) && isnan(w_)) || (isinf(w_) && g_ == w_) ||   \
                  fabs(g_ - w_) <= (abs_tol) + (rel_tol) * fabs(w_);       \
        if (!ok_) {                                                        \
            unit_failed_checks++;                                          \
            fprintf(stderr, "  %s:%d: %s is %.17g, expected %.17g\n",      \
                    __FILE__, __LINE__, #got, g_, w_);                     \
        }                                                                  \
    } while (0)

typedef struct unit_test {
    const char *name;
    void (*fn)(void);
} unit_test;

#define UNIT_MAIN(...)                                                     \
    int main(void)                                                         \
    {                                                                      \
        static const unit_test tests_[] = {__VA_ARGS__};                   \
        int passed = 0, failed = 0;                                        \
        for (size_t i = 0; i < sizeof tests_ / sizeof tests_[0]; i++) {    \
            int before = unit_failed_checks;                               \
            tests_[i].fn();                                                \
            if (unit_failed_checks == before) {                            \
                passed++;                                                  \
            } else {                                                       \
                failed++;                                                  \
                fprintf(stderr, "FAIL %s\n", tests_[i].name);              \
            }                                                              \
        }                                                                  \
        printf("RESULT passed=%d failed=%d\n", passed, failed);            \
        return failed ? 1 : 0;                                             \
    }

#define T(fn) {#fn, fn}

#endif
