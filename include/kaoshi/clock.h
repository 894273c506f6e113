/* Time for the exam engine. The server's clock is the only clock: every
 * timestamp Kaoshi stores is milliseconds since the Unix epoch (UTC) read from
 * a ks_clock. Production uses the system clock; tests use a fake clock that
 * only moves when told to, so deadlines are tested without sleeping.
 * Also: ISO 8601 parsing/formatting and the deadline rule. Plain C. */
#ifndef KAOSHI_CLOCK_H
#define KAOSHI_CLOCK_H

#include <stdint.h>
#include <stddef.h>

typedef struct ks_clock {
    int64_t (*now_ms)(const struct ks_clock *self);
    int64_t fake_ms; /* the fake clock's current time */
} ks_clock;

/* The system's real-time clock (CLOCK_REALTIME). */
const ks_clock *ks_clock_system(void);

/* A clock fixed at ms until ks_clock_fake_set/advance move it. */
void ks_clock_fake_init(ks_clock *c, int64_t ms);
void ks_clock_fake_set(ks_clock *c, int64_t ms);
void ks_clock_fake_advance(ks_clock *c, int64_t delta_ms);

static inline int64_t ks_clock_now(const ks_clock *c) { return c->now_ms(c); }

/* Monotonic nanoseconds, for measuring durations (never stored). */
int64_t ks_clock_mono_ns(void);

/* Parses "YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)" (a space may replace T).
 * Returns 0 and sets *ms (UTC) and *offset_min (the written offset), or -1. */
int ks_time_parse(const char *text, int64_t *ms, int *offset_min);

/* Parses a duration: "90m", "1h30m", "45s", "2h", "7d", "1d12h", or plain
 * seconds "5400".
 * Returns 0 and sets *ms, or -1. */
int ks_duration_parse(const char *text, int64_t *ms);

/* Formats ms as "YYYY-MM-DDTHH:MM:SS±HH:MM" (or "...Z" for offset 0) at the
 * given offset; buf needs KS_TIME_BUF bytes. Returns buf. */
#define KS_TIME_BUF 32
char *ks_time_format(int64_t ms, int offset_min, char *buf);

/* The deadline of an attempt started at started_ms: the earlier of
 * started + duration and the window's close, pushed back by extra_ms
 * (proctor extensions and paused time). */
int64_t ks_deadline(int64_t started_ms, int64_t duration_ms, int64_t closes_ms,
                    int64_t extra_ms);

#endif
