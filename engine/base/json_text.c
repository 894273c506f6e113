/* JSON text with the shortest reals (see include/kaoshi/json_text.h). */
#include "kaoshi/json_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes d as the shortest text that reads back as d: the fewest significant
 * digits that do, laid out as %.17g would (fixed for decimal exponents -4 to
 * 16, else an exponent without '+' or leading zeros, as jansson writes it),
 * with ".0" added to a whole number so that it stays a real. */
static void shortest_real(double d, char out[40])
{
    char sci[40];
    int digits = 1;
    for (;; digits++) {
        snprintf(sci, sizeof sci, "%.*e", digits - 1, d);
        if (digits == 17 || strtod(sci, NULL) == d)
            break;
    }
    char *e = strchr(sci, 'e');
    int exponent = atoi(e + 1);
    if (exponent >= -4 && exponent < 17) {
        int decimals = digits - 1 - exponent;
        snprintf(out, 40, "%.*f", decimals > 0 ? decimals : 0, d);
        if (!strchr(out, '.'))
            strcat(out, ".0");
    } else {
        snprintf(out, 40, "%.*se%d", (int)(e - sci), sci, exponent);
    }
}

/* The length of what starts at p: a string literal (quotes included), a
 * number, or the text up to the next of these. */
static size_t token_length(const char *p)
{
    size_t i = 1;
    if (*p == '-' || (*p >= '0' && *p <= '9'))
        return strspn(p, "+-.0123456789eE");
    if (*p != '"')
        return strcspn(p, "\"-0123456789");
    while (p[i] && p[i] != '"')
        i += p[i] == '\\' && p[i + 1] ? 2 : 1;
    return p[i] ? i + 1 : i;
}

/* Rewrites in place each real number of JSON text (a number token with '.',
 * 'e' or 'E') as shortest_real writes it, which is never longer than the
 * %.17g text it reads back as (kept as it is if it were). */
static void rewrite_reals(char *text)
{
    char *w = text, real[40];
    for (const char *r = text; *r;) {
        size_t n = token_length(r), len = n;
        const char *from = r;
        if ((*r == '-' || (*r >= '0' && *r <= '9')) && strcspn(r, ".eE") < n) {
            shortest_real(strtod(r, NULL), real);
            if (strlen(real) <= n) {
                from = real;
                len = strlen(real);
            }
        }
        memmove(w, from, len);
        w += len;
        r += n;
    }
    *w = '\0';
}

char *ks_json_text(const json_t *v, size_t flags)
{
    char *text = json_dumps(v, flags | JSON_REAL_PRECISION(17));
    if (text)
        rewrite_reals(text);
    return text;
}
