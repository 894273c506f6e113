/* Unit tests of engine/base/declscan.c: finding the `certification { ... }`
 * call in a script's text, the place a key path leads to, plain string
 * values; comments, strings and function bodies that look like the table;
 * every prefix of a script and random bytes read without a fault. */
#include "unit.h"

#include <stdlib.h>

#include "base/declscan.h"

/* "LINE:COL/DEPTH" of PATH (elements split at '/', digits are positions)
 * in the declaration of text, or "none" when there is no declaration. */
static const char *where(const char *text, const char *path)
{
    static char out[64];
    char copy[256];
    ks_declscan_key keys[KS_DECLSCAN_MAX_PATH + 4];
    size_t n = 0;
    ks_declscan d;
    if (!ks_declscan_find(text, strlen(text), &d))
        return "none";
    snprintf(copy, sizeof copy, "%s", path);
    size_t cap = sizeof keys / sizeof keys[0];
    for (char *p = strtok(copy, "/"); p && n < cap; p = strtok(NULL, "/")) {
        int digits = p[strspn(p, "0123456789")] == '\0';
        keys[n].name = digits ? NULL : p;
        keys[n].len = strlen(p);
        keys[n++].index = digits ? (size_t)atoi(p) : 0;
    }
    ks_declscan_pos pos = ks_declscan_locate(&d, keys, n);
    snprintf(out, sizeof out, "%zu:%zu/%zu", pos.line, pos.col, pos.depth);
    return out;
}

/* The plain string value of the top-level key, or "(none)". */
static const char *string_of(const char *text, const char *key)
{
    static char out[128];
    ks_declscan d;
    const char *v;
    size_t len;
    if (!ks_declscan_find(text, strlen(text), &d) || !ks_declscan_string(&d, key, &v, &len))
        return "(none)";
    snprintf(out, sizeof out, "%.*s", (int)len, v);
    return out;
}

static const char demo[] =
    "-- a comment: return certification { code = \"NOT\" }\n" /* 1 */
    "return certification {\n"                                 /* 2 */
    "  code = \"DEMO-CS\",\n"                                  /* 3 */
    "  title = \"客户服务\", duration = \"30m\",\n"            /* 4 */
    "  window = { opens = \"09:00\",\n"                        /* 5 */
    "             closes = \"12:00\" },\n"                     /* 6 */
    "  sections = {\n"                                         /* 7 */
    "    { title = \"一\", from = { chapter = 1 }, pick = 4, points = 10 },\n" /* 8 */
    "    { title = \"二\",\n"                                  /* 9 */
    "      from = { chapter = 0, tags = { \"a\", \"b\" } }, pick = 3 },\n"     /* 10 */
    "  },\n"                                                   /* 11 */
    "  question_types = {\n"                                   /* 12 */
    "    yn = { fields = { stem = \"text\" },\n"               /* 13 */
    "           present = 5 },\n"                              /* 14 */
    "  },\n"                                                   /* 15 */
    "}\n";

static void test_keys_and_positions(void)
{
    CHECK_STR(where(demo, ""), "2:8/0");
    CHECK_STR(where(demo, "code"), "3:3/1");
    CHECK_STR(where(demo, "duration"), "4:19/1"); /* columns count characters */
    CHECK_STR(where(demo, "window/opens"), "5:14/2");
    CHECK_STR(where(demo, "window/closes"), "6:14/2");
    CHECK_STR(where(demo, "sections"), "7:3/1");
    CHECK_STR(where(demo, "sections/1"), "8:5/2");
    CHECK_STR(where(demo, "sections/2"), "9:5/2");
    CHECK_STR(where(demo, "sections/2/from"), "10:7/3");
    CHECK_STR(where(demo, "sections/2/from/chapter"), "10:16/4");
    CHECK_STR(where(demo, "sections/2/from/tags/2"), "10:43/5");
    CHECK_STR(where(demo, "sections/2/pick"), "10:52/3");
    CHECK_STR(where(demo, "question_types/yn/present"), "14:12/3");
}

static void test_missing_keys_stop_at_the_deepest_found(void)
{
    CHECK_STR(where(demo, "titel"), "2:8/0");
    CHECK_STR(where(demo, "sections/2/points"), "9:5/2");
    CHECK_STR(where(demo, "sections/3/title"), "7:3/1");
    CHECK_STR(where(demo, "sections/0"), "7:3/1");
    CHECK_STR(where(demo, "question_types/yn/score"), "13:5/2");
    CHECK_STR(where(demo, "code/x"), "3:3/1"); /* into a string: the key */
    char deep[KS_DECLSCAN_MAX_PATH * 2 + 32] = "a";
    const char *text = "return certification { a = { a = { a = { a = { a = { a = { a = { a "
                       "= { a = { a = { a = { a = { a = { a = { a = { a = { a = { a = 1 } } } "
                       "} } } } } } } } } } } } } } }";
    for (int i = 1; i < KS_DECLSCAN_MAX_PATH + 2; i++)
        strcat(deep, "/a");
    CHECK(strstr(where(text, deep), "/16") != NULL); /* followed no further */
}

static void test_values_that_are_not_tables(void)
{
    const char *text = "local function make() return {} end\n"
                       "local w = { opens = \"x\" }\n"
                       "return certification {\n"
                       "  window = w,\n"
                       "  sections = make(),\n"
                       "  pass = function(r) local a, b = 1, { 2 } if a then return { x = 1 } end\n"
                       "    for i = 1, 2 do repeat until true end return a end,\n"
                       "  [\"title\"] = \"t\", [1 + 1] = { title = 2 }, \"first\";\n"
                       "  code = { \"a\" } .. x, title2 = ({ 1 }),\n"
                       "}\n";
    CHECK_STR(where(text, "window/opens"), "4:3/1");
    CHECK_STR(where(text, "sections/2/title"), "5:3/1");
    CHECK_STR(where(text, "title"), "8:3/1");
    CHECK_STR(where(text, "1"), "8:45/1");
    CHECK_STR(where(text, "2"), "3:8/0"); /* [2] = is not a positional entry */
    CHECK_STR(where(text, "title2/1"), "9:24/1");
    CHECK_STR(where(text, "code/1"), "9:12/2"); /* a table constructor first */
}

static void test_calls_written_with_parentheses_or_from_code(void)
{
    CHECK_STR(where("return certification({\n  title = 1,\n})", "title"), "2:3/1");
    CHECK_STR(where("local d = { title = 1 }\nreturn certification(d)", "title"), "2:8/0");
    CHECK_STR(where("return certification \"x\"", "title"), "1:8/0");
    CHECK_STR(where("local t = { x = certification }\nreturn t.x { title = 1 }", ""), "none");
    CHECK_STR(where("return certification{a=1}, certification{a=2}", "a"), "none");
    CHECK_STR(where("return 1", ""), "none");
    CHECK_STR(where("", ""), "none");
    /* a definition is not a call */
    CHECK_STR(where("local function certification(t) return t end\n"
                    "function M.certification(t) end\n"
                    "local certification = 1\n"
                    "return certification { a = 1 }", "a"), "4:24/1");
}

static void test_field_calls_count_only_without_a_bare_one(void)
{
    ks_declscan d;
    const char *lib = "local ccom = require \"ccom\"\n"
                      "return ccom.certification {\n  code = \"C\",\n}";
    CHECK(ks_declscan_find(lib, strlen(lib), &d));
    CHECK_INT(d.qualified, 1);
    CHECK_STR(string_of(lib, "code"), "C");
    const char *both = "x = lib.certification { code = \"A\" }\n"
                       "return certification { code = \"B\" }";
    CHECK(ks_declscan_find(both, strlen(both), &d));
    CHECK_INT(d.qualified, 0);
    CHECK_STR(string_of(both, "code"), "B");
    const char *two = "a:certification { code = \"A\" }\nreturn b.certification { code = \"B\" }";
    CHECK(!ks_declscan_find(two, strlen(two), &d));
}

static void test_comments_and_strings_hide_what_they_hold(void)
{
    const char *text =
        "#!/usr/bin/env lua certification { }\n"
        "--[==[ certification { code = \"A\" }\n ]] still a comment ]==]\n"
        "local s = \"certification { \\\" } \" .. 'a\\'b' .. \"\\\\\"\n"
        "local l = [[ certification { ]] .. [=[ ]] } ]=]\n"
        "return certification { -- title = 'no'\n"
        "  note = \"x\\z\n"
        "     y\", other = \"a\\\n"
        "b\", d = [==[\n"
        "}]]]=]]==], title = \"}\", e = --[[ } ]] 1,\n"
        "  code = [[\n"
        "LONG]], f = 1 // 2 .. 0x1p-4 ~= 3 == 4,\n"
        "  g = '--', h = 2,\n"
        "}\n";
    CHECK_STR(where(text, ""), "6:8/0");
    CHECK_STR(where(text, "title"), "10:13/1");
    CHECK_STR(where(text, "e"), "10:26/1");
    CHECK_STR(where(text, "f"), "12:9/1");
    CHECK_STR(where(text, "h"), "13:13/1");
    CHECK_STR(string_of(text, "code"), "LONG");
    CHECK_STR(string_of(text, "title"), "}");
    CHECK_STR(string_of(text, "note"), "(none)"); /* an escape */
}

static void test_line_breaks_as_lua_counts_them(void)
{
    CHECK_STR(where("return certification {\r\n a = 1,\r\r b = 2,\n\r c = 3 }", "a"), "2:2/1");
    CHECK_STR(where("return certification {\r\n a = 1,\r\r b = 2,\n\r c = 3 }", "b"), "4:2/1");
    CHECK_STR(where("return certification {\r\n a = 1,\r\r b = 2,\n\r c = 3 }", "c"), "5:2/1");
}

static void test_plain_string_values(void)
{
    CHECK_STR(string_of(demo, "code"), "DEMO-CS");
    CHECK_STR(string_of("return certification { code = 'X-1' }", "code"), "X-1");
    CHECK_STR(string_of("return certification { code = 'A', code = 'B' }", "code"), "B");
    CHECK_STR(string_of("return certification { [\"code\"] = 'Q' }", "code"), "Q");
    CHECK_STR(string_of("return certification { code = \"A\" .. \"B\" }", "code"), "(none)");
    CHECK_STR(string_of("return certification { code = \"A\":lower() }", "code"), "(none)");
    CHECK_STR(string_of("return certification { code = \"A\\45B\" }", "code"), "(none)");
    CHECK_STR(string_of("return certification { code = CODE }", "code"), "(none)");
    CHECK_STR(string_of("return certification { title = 'x' }", "code"), "(none)");
    CHECK_STR(string_of("return certification { sections = { code = 'x' } }", "code"), "(none)");
    CHECK_STR(string_of("return certification(d)", "code"), "(none)");
    CHECK_STR(string_of("return certification { code = \"A", "code"), "(none)");
    CHECK_STR(string_of("return certification { code = \"A\"", "code"), "(none)");
    CHECK_STR(string_of("return certification { code = \"A\"\n}", "code"), "A");
}

/* Every call on text copied to a buffer of exactly its length, so that
 * AddressSanitizer sees a read past it. */
static void scan_exactly(const char *text, size_t len)
{
    char *copy = malloc(len ? len : 1);
    if (!copy)
        return;
    memcpy(copy, text, len);
    ks_declscan d;
    if (ks_declscan_find(copy, len, &d)) {
        ks_declscan_key path[] = {{"sections", 8, 0}, {NULL, 0, 2}, {"from", 4, 0},
                                  {"chapter", 7, 0}};
        for (size_t n = 0; n <= 4; n++) {
            ks_declscan_pos p = ks_declscan_locate(&d, path, n);
            CHECK(p.line >= 1 && p.depth <= n);
        }
        const char *v;
        size_t vlen;
        if (ks_declscan_string(&d, "code", &v, &vlen))
            CHECK(v >= copy && v + vlen <= copy + len);
    }
    free(copy);
}

static void test_every_prefix_is_read_safely(void)
{
    const char *tails[] = {"--[==[", "[=[", "\"a\\", "'", "--", "[", "\\z"};
    size_t len = strlen(demo);
    for (size_t n = 0; n <= len; n++)
        scan_exactly(demo, n);
    for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
        char text[128];
        int n = snprintf(text, sizeof text, "return certification { code = %s", tails[t]);
        for (int i = 0; i <= n; i++)
            scan_exactly(text, (size_t)i);
    }
}

static void test_random_bytes_are_read_safely(void)
{
    static const char alphabet[] = "{}()[]=,;\"'\\-\n\r z.:certification function end do if ";
    unsigned long x = 12345;
    char text[300];
    for (int round = 0; round < 3000; round++) {
        size_t len = (size_t)(round % 300);
        for (size_t i = 0; i < len; i++) {
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            text[i] = round % 2 ? (char)(x >> 56) : alphabet[(x >> 33) % (sizeof alphabet - 1)];
        }
        scan_exactly(text, len);
    }
}

static void test_deep_nesting_is_not_recursion(void)
{
    size_t n = 1000000;
    char *text = malloc(2 * n + 64);
    if (!text)
        return;
    size_t len = (size_t)sprintf(text, "return certification { a = ");
    memset(text + len, '{', n);
    len += n;
    memset(text + len, '}', n);
    len += n;
    ks_declscan d;
    ks_declscan_key path[] = {{"a", 1, 0}, {NULL, 0, 1}, {NULL, 0, 1}};
    CHECK(ks_declscan_find(text, len, &d));
    CHECK_INT(ks_declscan_locate(&d, path, 3).depth, 3);
    free(text);
}

UNIT_MAIN(T(test_keys_and_positions), T(test_missing_keys_stop_at_the_deepest_found),
          T(test_values_that_are_not_tables), T(test_calls_written_with_parentheses_or_from_code),
          T(test_field_calls_count_only_without_a_bare_one),
          T(test_comments_and_strings_hide_what_they_hold), T(test_line_breaks_as_lua_counts_them),
          T(test_plain_string_values), T(test_every_prefix_is_read_safely),
          T(test_random_bytes_are_read_safely), T(test_deep_nesting_is_not_recursion))
