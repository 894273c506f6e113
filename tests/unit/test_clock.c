/* Unit tests for engine/clock.c: fake clock, ISO 8601 text, durations and the
 * deadline rule. */
#include "unit.h"

#include "kaoshi/clock.h"

static void fake_clock_moves_only_when_told(void)
{
    ks_clock c;
    ks_clock_fake_init(&c, 1000);
    CHECK_INT(ks_clock_now(&c), 1000);
    ks_clock_fake_advance(&c, 500);
    CHECK_INT(ks_clock_now(&c), 1500);
    ks_clock_fake_set(&c, 7);
    CHECK_INT(ks_clock_now(&c), 7);
    CHECK(ks_clock_now(ks_clock_system()) > 1700000000000LL);
}

static void parses_iso8601_with_offsets(void)
{
    int64_t ms;
    int off;
    CHECK_INT(ks_time_parse("1970-01-01T00:00:00Z", &ms, &off), 0);
    CHECK_INT(ms, 0);
    CHECK_INT(ks_time_parse("2027-07-18T15:30+08:00", &ms, &off), 0);
    CHECK_INT(ms, 1815895800000LL);
    CHECK_INT(off, 480);
    CHECK_INT(ks_time_parse("2027-07-18 07:30:00.250Z", &ms, &off), 0);
    CHECK_INT(ms, 1815895800250LL);
    CHECK_INT(ks_time_parse("2024-02-29T00:00:00-05:30", &ms, &off), 0);
    CHECK_INT(off, -330);
}

static void rejects_malformed_times(void)
{
    int64_t ms;
    CHECK_INT(ks_time_parse("2027-07-18T15:30", &ms, NULL), -1);       /* no zone */
    CHECK_INT(ks_time_parse("2027-02-29T15:30Z", &ms, NULL), -1);      /* not leap */
    CHECK_INT(ks_time_parse("2027-13-01T15:30Z", &ms, NULL), -1);
    CHECK_INT(ks_time_parse("2027-07-18T24:00Z", &ms, NULL), -1);
    CHECK_INT(ks_time_parse("2027-07-18T15:30Zjunk", &ms, NULL), -1);
    CHECK_INT(ks_time_parse("", &ms, NULL), -1);
}

static void formats_round_trip(void)
{
    char buf[KS_TIME_BUF];
    CHECK_STR(ks_time_format(1815895800000LL, 480, buf), "2027-07-18T15:30:00+08:00");
    CHECK_STR(ks_time_format(0, 0, buf), "1970-01-01T00:00:00Z");
    CHECK_STR(ks_time_format(-1000, 0, buf), "1969-12-31T23:59:59Z");
    CHECK_STR(ks_time_format(1709164800000LL, -330, buf), "2024-02-28T18:30:00-05:30");
}

static void parses_durations(void)
{
    int64_t ms;
    CHECK_INT(ks_duration_parse("90m", &ms), 0);
    CHECK_INT(ms, 5400000);
    CHECK_INT(ks_duration_parse("1h30m", &ms), 0);
    CHECK_INT(ms, 5400000);
    CHECK_INT(ks_duration_parse("45s", &ms), 0);
    CHECK_INT(ms, 45000);
    CHECK_INT(ks_duration_parse("5400", &ms), 0);
    CHECK_INT(ms, 5400000);
    CHECK_INT(ks_duration_parse("7d", &ms), 0);
    CHECK(ms == 7 * 86400000LL);
    CHECK_INT(ks_duration_parse("1d12h", &ms), 0);
    CHECK(ms == 36 * 3600000LL);
    CHECK_INT(ks_duration_parse("", &ms), -1);
    CHECK_INT(ks_duration_parse("10x", &ms), -1);
    CHECK_INT(ks_duration_parse("1h30", &ms), -1);
    CHECK_INT(ks_duration_parse("-5m", &ms), -1);
}

static void deadline_is_capped_by_window_and_extended(void)
{
    /* 90 minutes from 15:30 ends at 17:00, the window's close */
    CHECK_INT(ks_deadline(0, 5400000, 5400000, 0), 5400000);
    /* a late start is cut at the close */
    CHECK_INT(ks_deadline(900000, 5400000, 5400000, 0), 5400000);
    /* an extension pushes the deadline past the close */
    CHECK_INT(ks_deadline(900000, 5400000, 5400000, 600000), 6000000);
    /* an early finish time is not moved by a later close */
    CHECK_INT(ks_deadline(0, 60000, 5400000, 0), 60000);
}

UNIT_MAIN(T(fake_clock_moves_only_when_told), T(parses_iso8601_with_offsets),
          T(rejects_malformed_times), T(formats_round_trip), T(parses_durations),
          T(deadline_is_capped_by_window_and_extended))
