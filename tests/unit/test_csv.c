/* Unit tests for CSV field output (engine/csv.c): RFC 4180 quoting. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "kaoshi/csv.h"

/* The bytes ks_csv_field writes for text and sep, checked against want. */
static void check_field(const char *text, char sep, const char *want)
{
    char *got = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&got, &size);
    CHECK(f != NULL);
    if (!f)
        return;
    ks_csv_field(f, text, sep);
    fclose(f);
    CHECK_STR(got, want);
    free(got);
}

static void plain_fields(void)
{
    check_field("C0001", ',', "C0001,");
    check_field("张三", '\n', "张三\n");
    check_field("", ',', ",");
    check_field("a;b 'c'", ',', "a;b 'c',");
}

static void quoted_fields(void)
{
    check_field("Li, Wei", ',', "\"Li, Wei\",");
    check_field("say \"hi\"", '\n', "\"say \"\"hi\"\"\"\n");
    check_field("\"", ',', "\"\"\"\",");
    check_field("two\nlines", ',', "\"two\nlines\",");
    check_field("cr\r", ',', "\"cr\r\",");
}

UNIT_MAIN(T(plain_fields), T(quoted_fields))
