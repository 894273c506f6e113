/* Text columns for the command line's tables: a field padded to a width in
 * terminal columns, so that Chinese names (two columns a character) line up.
 * Widths come from the C library's wcwidth() under the C.UTF-8 locale. */
#include "cli/cli.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

size_t cli_columns(const char *text)
{
    static locale_t utf8;
    if (!utf8)
        utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    locale_t previous = utf8 ? uselocale(utf8) : (locale_t)0;
    mbstate_t state;
    memset(&state, 0, sizeof state);
    size_t columns = 0, left = strlen(text);
    const char *p = text;
    while (left > 0) {
        wchar_t wc;
        size_t used = mbrtowc(&wc, p, left, &state);
        if (used == (size_t)-1 || used == (size_t)-2) { /* not UTF-8: one column a byte */
            memset(&state, 0, sizeof state);
            used = 1;
            columns++;
        } else {
            int w = wcwidth(wc);
            columns += w > 0 ? (size_t)w : 0;
        }
        p += used;
        left -= used;
    }
    if (utf8)
        uselocale(previous);
    return columns;
}

void cli_print_padded(const char *text, size_t width)
{
    fputs(text, stdout);
    for (size_t used = cli_columns(text); used < width; used++)
        putchar(' ');
}
