/* A certification's declaration read from its script's source text, without
 * running it: the table constructor of the `certification { ... }` (or
 * `certification({ ... })`) call, the place in the text a key path of that
 * table leads to (errors of the declaration name their line with it), and
 * the text a top-level key is set to when it is a plain string literal (a
 * script's `code`, to find a certification by code without running every
 * script). Private to the engine ("base/declscan.h"); plain C, no Lua.
 *
 * A scanner of Lua's lexical syntax, not a parser: it knows comments (`--`,
 * `--[[ ]]`, `--[==[ ]==]`), short strings with their escapes, long strings
 * (`[[ ]]`, `[=[ ]=]`), brackets and the keywords that open and close
 * blocks (so a `function ... end` inside the table is one value). On any
 * text, however broken, it returns an answer without reading outside the
 * text, and its work is linear in the text's length (times at most
 * KS_DECLSCAN_MAX_PATH for a key path). */
#ifndef KAOSHI_BASE_DECLSCAN_H
#define KAOSHI_BASE_DECLSCAN_H

#include <stddef.h>

#define KS_DECLSCAN_NONE ((size_t)-1) /* no offset */
#define KS_DECLSCAN_MAX_PATH 16        /* elements of a key path followed */

/* The declaration call of a script, as ks_declscan_find found it. */
typedef struct ks_declscan {
    const char *text; /* the script's text (not owned; must outlive this) */
    size_t len;
    size_t call;   /* offset of the name `certification` of the call */
    size_t table;  /* offset of the '{' of the table it is called with, or
                      KS_DECLSCAN_NONE (called with a variable, say) */
    int qualified; /* called as a field, lib.certification { ... }: a
                      function of the script's own, which may change the
                      table before it reaches the declaration */
} ks_declscan;

/* One element of a key path: a string key (name, len bytes), or, when name
 * is NULL, the index-th positional entry (from 1) of a table. */
typedef struct ks_declscan_key {
    const char *name;
    size_t len;
    size_t index;
} ks_declscan_key;

/* A place in the text. */
typedef struct ks_declscan_pos {
    size_t line; /* from 1 (a line ends at "\n", "\r", "\r\n" or "\n\r", as Lua counts) */
    size_t col;  /* from 1, in UTF-8 characters */
    size_t depth; /* how many elements of the path were found: 0 is the call */
} ks_declscan_pos;

/* Finds the declaration call in the text (len bytes, NUL not needed): the
 * name `certification`, outside comments and strings, called with a table
 * constructor, a parenthesised argument list or a string. Prefers a bare
 * call (certification { ... }); without one, takes a call written as a
 * field (lib.certification { ... }) and sets d->qualified. Returns 1 with d
 * filled when there is exactly one call of the kind it takes, else 0 (no
 * call, or several: which one runs is not known without running). */
int ks_declscan_find(const char *text, size_t len, ks_declscan *d);

/* Where the key path (n elements; string keys and positions) of the
 * declaration's table is written: the key of a `key = value` entry (or the
 * '[' of `["key"] = value`), or the first token of a positional entry, of
 * the deepest element found. Where the path leads into a value that is not
 * a table constructor (a call, a variable), the deepest place is that key's;
 * where nothing of it is found, the call's `certification` (depth 0). When
 * a key is written twice, the last one counts, as in Lua. Follows at most
 * KS_DECLSCAN_MAX_PATH elements. */
ks_declscan_pos ks_declscan_locate(const ks_declscan *d, const ks_declscan_key *path, size_t n);

/* When the top-level key KEY (a NUL-terminated name) of the declaration's
 * table is set to one plain string literal (a short string without escapes,
 * or a long string) and nothing else, sets *value (pointing into the text)
 * and *len to its contents and returns 1; else returns 0. */
int ks_declscan_string(const ks_declscan *d, const char *key, const char **value, size_t *len);

#endif
