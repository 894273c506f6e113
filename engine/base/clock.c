/* Clocks, time text and deadlines: see include/kaoshi/clock.h. */
#include "kaoshi/clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t system_now_ms(const ks_clock *self)
{
    (void)self;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t fake_now_ms(const ks_clock *self) { return self->fake_ms; }

const ks_clock *ks_clock_system(void)
{
    static const ks_clock system_clock = {system_now_ms, 0};
    return &system_clock;
}

void ks_clock_fake_init(ks_clock *c, int64_t ms)
{
    c->now_ms = fake_now_ms;
    c->fake_ms = ms;
}

void ks_clock_fake_set(ks_clock *c, int64_t ms) { c->fake_ms = ms; }

void ks_clock_fake_advance(ks_clock *c, int64_t delta_ms) { c->fake_ms += delta_ms; }

int64_t ks_clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), valid for every year Kaoshi will see. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

int ks_time_parse(const char *text, int64_t *ms, int *offset_min)
{
    const char *p = text;
    int y, mo, d, h, mi, s = 0, frac = 0, off = 0;
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
        digits(&p, 2, &d) || (*p != 'T' && *p != ' '))
        return -1;
    p++;
    if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
        return -1;
    if (*p == ':') {
        p++;
        if (digits(&p, 2, &s))
            return -1;
        if (*p == '.') {
            p++;
            if (digits(&p, 3, &frac))
                return -1;
        }
    }
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 14 || om > 59)
            return -1;
        off = sign * (oh * 60 + om);
    } else {
        return -1;
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
        mi > 59 || s > 59)
        return -1;
    int64_t secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
                   mi * 60 + s - off * 60;
    *ms = secs * 1000 + frac;
    if (offset_min)
        *offset_min = off;
    return 0;
}

int ks_duration_parse(const char *text, int64_t *ms)
{
    const char *p = text;
    int64_t total = 0;
    int parts = 0;
    if (!*p)
        return -1;
    while (*p) {
        if (!isdigit((unsigned char)*p))
            return -1;
        char *end;
        long long v = strtoll(p, &end, 10);
        if (v > 1000000)
            return -1;
        p = end;
        int64_t unit;
        switch (*p) {
        case 'd': unit = 86400000; p++; break;
        case 'h': unit = 3600000; p++; break;
        case 'm': unit = 60000; p++; break;
        case 's': unit = 1000; p++; break;
        case '\0':
            if (parts)
                return -1;
            unit = 1000;
            break;
        default: return -1;
        }
        total += v * unit;
        parts++;
    }
    *ms = total;
    return 0;
}

char *ks_time_format(int64_t ms, int offset_min, char *buf)
{
    int64_t secs = ms / 1000 - (ms % 1000 < 0) + (int64_t)offset_min * 60;
    int64_t days = secs / 86400 - (secs % 86400 < 0);
    int64_t rem = secs - days * 86400;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    int n = snprintf(buf, KS_TIME_BUF, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d,
                     (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
    if (offset_min == 0)
        snprintf(buf + n, KS_TIME_BUF - (size_t)n, "Z");
    else
        snprintf(buf + n, KS_TIME_BUF - (size_t)n, "%c%02d:%02d", offset_min < 0 ? '-' : '+',
                 abs(offset_min) / 60, abs(offset_min) % 60);
    return buf;
}

int64_t ks_deadline(int64_t started_ms, int64_t duration_ms, int64_t closes_ms,
                    int64_t extra_ms)
{
    int64_t end = started_ms + duration_ms;
    if (end > closes_ms)
        end = closes_ms;
    return end + extra_ms;
}
