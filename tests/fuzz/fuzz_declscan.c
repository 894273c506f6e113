/* fuzz_declscan: the declaration scanner (engine/base/declscan.c) on any
 * script text. The input is the text; a key path of the scanner's own is
 * read from the input's last line when it starts with "--path " (elements
 * separated by '/', digits a position), else a fixed set of paths is tried.
 * Checked: nothing is read outside the text (AddressSanitizer, on an exact-
 * size copy), a place found is inside the text (its line at most the text's
 * line count, its column at least 1) and no deeper than the path, a string
 * value found lies inside the text, and the scan answers the same twice. */
#include <stdlib.h>
#include <string.h>

#include "base/declscan.h"
#include "fuzz_util.h"

static size_t lines_in(const char *text, size_t len)
{
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n')))
            lines++;
    return lines;
}

/* Splits "a/2/b" into path elements pointing into spec; returns how many. */
static size_t parse_path(char *spec, ks_declscan_key *path, size_t cap)
{
    size_t n = 0;
    for (char *part = strtok(spec, "/"); part && n < cap; part = strtok(NULL, "/")) {
        char *end;
        unsigned long index = strtoul(part, &end, 10);
        path[n++] = *end || end == part ? (ks_declscan_key){part, strlen(part), 0}
                                        : (ks_declscan_key){NULL, 0, index};
    }
    return n;
}

static void locate(const ks_declscan *d, const ks_declscan_key *path, size_t n, size_t lines)
{
    ks_declscan_pos a = ks_declscan_locate(d, path, n);
    ks_declscan_pos b = ks_declscan_locate(d, path, n);
    if (a.line != b.line || a.col != b.col || a.depth != b.depth)
        fuzz_fail("two scans of one path disagree");
    if (a.line < 1 || a.line > lines || a.col < 1 || a.depth > n)
        fuzz_fail("place %zu:%zu (depth %zu of %zu) outside a text of %zu lines", a.line,
                  a.col, a.depth, n, lines);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1); /* exact size: no NUL after it */
    if (!text)
        return 0;
    memcpy(text, data, size);
    ks_declscan d;
    size_t lines = lines_in(text, size);
    if (ks_declscan_find(text, size, &d)) {
        const char *last = size ? memrchr(text, '\n', size) : NULL;
        last = last ? last + 1 : text;
        size_t rest = size - (size_t)(last - text);
        ks_declscan_key path[KS_DECLSCAN_MAX_PATH + 2];
        if (rest > 7 && memcmp(last, "--path ", 7) == 0) {
            char spec[256];
            size_t k = rest - 7 < sizeof spec - 1 ? rest - 7 : sizeof spec - 1;
            memcpy(spec, last + 7, k);
            spec[k] = '\0';
            locate(&d, path, parse_path(spec, path, sizeof path / sizeof *path), lines);
        } else {
            char fixed[] = "sections/2/from/chapter";
            locate(&d, path, parse_path(fixed, path, sizeof path / sizeof *path), lines);
            path[0] = (ks_declscan_key){"titel", 5, 0};
            locate(&d, path, 1, lines);
        }
        const char *value;
        size_t len;
        if (ks_declscan_string(&d, "code", &value, &len) &&
            (value < text || value + len > text + size))
            fuzz_fail("the code's value lies outside the text");
    }
    free(text);
    return 0;
}
