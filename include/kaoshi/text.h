/* Normalising short text answers before comparing them, for candidates who
 * type Chinese with full-width forms, stray spaces and punctuation. Works on
 * UTF-8 code points with small fixed tables (no locale, no ICU); plain C.
 * Not a full Unicode normalisation: only the folds below are applied. */
#ifndef KAOSHI_TEXT_H
#define KAOSHI_TEXT_H

enum {
    /* Full-width ASCII U+FF01–FF5E -> U+0021–007E; ideographic space U+3000
     * -> U+0020. */
    KS_TEXT_FOLD_WIDTH = 1u << 0,
    /* A–Z -> a–z, and full-width Ａ–Ｚ -> ａ–ｚ. No other letters change. */
    KS_TEXT_FOLD_CASE = 1u << 1,
    /* Drop every Unicode White_Space character: U+0009–000D, U+0020, U+0085,
     * U+00A0, U+1680, U+2000–200A, U+2028, U+2029, U+202F, U+205F, U+3000. */
    KS_TEXT_DROP_SPACE = 1u << 2,
    /* Drop punctuation: the 32 ASCII punctuation characters !"#$%&'()*+,-./
     * :;<=>?@[\]^_`{|}~ and their full-width forms (U+FF01–FF5E minus digits
     * and letters); U+FF5F–FF65; Latin-1 ¡§«¶·»¿; the katakana middle dot
     * U+30FB; all of U+2000–206F except its spaces (dashes, quotes “”‘’, …,
     * and invisible format characters); and the punctuation of U+3000–303F
     * (、。〃 〈〉《》「」『』【】 and the other brackets, 〜 〰 〽) but not its
     * letters and numbers (々 〆 〇 〡–〩). Note that this makes "1.5" equal
     * "15" and "-3" equal "3": numbers belong to ks_score_numeric. */
    KS_TEXT_DROP_PUNCT = 1u << 3,
    KS_TEXT_DEFAULT = KS_TEXT_FOLD_WIDTH | KS_TEXT_FOLD_CASE | KS_TEXT_DROP_SPACE |
                      KS_TEXT_DROP_PUNCT
};

/* s normalised with flags (applied to each code point in the order listed
 * above), as a new malloc'd NUL-terminated string; NULL when s is not valid
 * UTF-8 (overlong forms, surrogates and values past U+10FFFF are invalid) or
 * memory runs out. */
char *ks_text_normalize(const char *s, unsigned flags);

/* 1 when a and b are valid UTF-8 and equal after normalising both with flags,
 * else 0. Allocates nothing. */
int ks_text_equal(const char *a, const char *b, unsigned flags);

#endif
