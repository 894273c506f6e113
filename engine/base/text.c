/* Text normalisation: see include/kaoshi/text.h. A strict UTF-8 decoder feeds
 * code points through the folds and drops; normalising writes them out and
 * comparing walks two strings in step. Depends on the C library only. */
#include "kaoshi/text.h"

#include <stdlib.h>
#include <string.h>

/* What next_char returns besides a code point. */
enum { TEXT_END = -1, TEXT_INVALID = -2 };

/* Decodes the code point at *p and moves *p past it; TEXT_END at the NUL,
 * TEXT_INVALID (without moving) for a malformed sequence. */
static long decode(const unsigned char **p)
{
    const unsigned char *s = *p;
    long c, min;
    int len;
    if (s[0] == 0)
        return TEXT_END;
    if (s[0] < 0x80) {
        *p = s + 1;
        return s[0];
    }
    if ((s[0] & 0xE0) == 0xC0) {
        c = s[0] & 0x1F, len = 2, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        c = s[0] & 0x0F, len = 3, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        c = s[0] & 0x07, len = 4, min = 0x10000;
    } else {
        return TEXT_INVALID;
    }
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) /* also stops at the NUL */
            return TEXT_INVALID;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return TEXT_INVALID;
    *p = s + len;
    return c;
}

static int is_space(long c)
{
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

static int is_ascii_punct(long c)
{
    return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
           (c >= 0x7B && c <= 0x7E);
}

static int is_punct(long c)
{
    if (c < 0x80)
        return is_ascii_punct(c);
    if (c < 0x100)
        return c == 0xA1 || c == 0xA7 || c == 0xAB || c == 0xB6 || c == 0xB7 || c == 0xBB ||
               c == 0xBF;
    if (c >= 0x2000 && c <= 0x206F)
        return !is_space(c);
    if (c >= 0x3000 && c <= 0x303F)
        return (c >= 0x3001 && c <= 0x3003) || (c >= 0x3008 && c <= 0x3011) ||
               (c >= 0x3014 && c <= 0x301F) || c == 0x3030 || c == 0x303D;
    if (c >= 0xFF01 && c <= 0xFF5E)
        return is_ascii_punct(c - 0xFEE0);
    return (c >= 0xFF5F && c <= 0xFF65) || c == 0x30FB;
}

/* The next code point of *p that survives flags, folded; or TEXT_END or
 * TEXT_INVALID. */
static long next_char(const unsigned char **p, unsigned flags)
{
    for (;;) {
        long c = decode(p);
        if (c < 0)
            return c;
        if (flags & KS_TEXT_FOLD_WIDTH) {
            if (c >= 0xFF01 && c <= 0xFF5E)
                c -= 0xFEE0;
            else if (c == 0x3000)
                c = 0x20;
        }
        if (flags & KS_TEXT_FOLD_CASE) {
            if ((c >= 'A' && c <= 'Z') || (c >= 0xFF21 && c <= 0xFF3A))
                c += 0x20;
        }
        if ((flags & KS_TEXT_DROP_SPACE) && is_space(c))
            continue;
        if ((flags & KS_TEXT_DROP_PUNCT) && is_punct(c))
            continue;
        return c;
    }
}

/* Writes c as UTF-8 at out; returns the byte count. */
static size_t encode(long c, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | (c >> 6));
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (c >> 12));
        o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (c >> 18));
    o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

char *ks_text_normalize(const char *s, unsigned flags)
{
    /* No fold lengthens a code point's encoding, so the input length bounds
     * the output. */
    char *out = malloc(strlen(s) + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t len = 0;
    long c;
    while ((c = next_char(&p, flags)) >= 0)
        len += encode(c, out + len);
    if (c == TEXT_INVALID) {
        free(out);
        return NULL;
    }
    out[len] = '\0';
    return out;
}

int ks_text_equal(const char *a, const char *b, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    for (;;) {
        long c = next_char(&p, flags), d = next_char(&q, flags);
        if (c == TEXT_INVALID || d == TEXT_INVALID || c != d)
            return 0;
        if (c == TEXT_END)
            return 1;
    }
}
