/* Unit tests for engine/base/json_text.c: every real written as the shortest
 * text that reads back as the same double, in jansson's layout otherwise. */
#include "unit.h"

#include <stdlib.h>

#include "kaoshi/json_text.h"

/* The text ks_json_text writes for the real d, alone. */
static char *real_text(double d)
{
    json_t *v = json_real(d);
    char *text = ks_json_text(v, JSON_ENCODE_ANY);
    json_decref(v);
    return text;
}

static void reals_are_shortest_and_read_back_the_same(void)
{
    static const struct { double d; const char *text; } cases[] = {
        {6.3, "6.3"},
        {0.1 + 0.2, "0.30000000000000004"},
        {100.0, "100.0"},
        {-2.5, "-2.5"},
        {1.5e-7, "1.5e-7"},
        {0.0001, "0.0001"},
        {1e17, "1e17"},
        {123456789012345680.0, "1.2345678901234568e17"},
        {1.0 / 3.0, "0.3333333333333333"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *text = real_text(cases[i].d);
        CHECK_STR(text, cases[i].text);
        CHECK(text && strtod(text, NULL) == cases[i].d);
        free(text);
    }
}

static void strings_and_integers_are_left_as_jansson_writes_them(void)
{
    json_t *v = json_pack("{s s s i s f s [f s]}", "a", "x 6.2999999999999998 \"1.5\"", "n",
                          42, "r", 6.3, "l", 0.5, "e-1");
    char *text = ks_json_text(v, JSON_COMPACT);
    CHECK_STR(text, "{\"a\":\"x 6.2999999999999998 \\\"1.5\\\"\",\"n\":42,\"r\":6.3,"
                    "\"l\":[0.5,\"e-1\"]}");
    free(text);
    json_decref(v);
}

UNIT_MAIN(T(reals_are_shortest_and_read_back_the_same),
          T(strings_and_integers_are_left_as_jansson_writes_them))
