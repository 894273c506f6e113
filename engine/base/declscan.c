/* The declaration of a certification read from its script's text: a
 * scanner of Lua's lexical syntax that finds the `certification { ... }`
 * call, follows key paths through its table and reads plain string values.
 * See base/declscan.h. */
#include "base/declscan.h"

#include <string.h>

/* ---- tokens ------------------------------------------------------------------ */

typedef enum { T_END, T_NAME, T_STRING, T_NUMBER, T_PUNCT } token_kind;

typedef struct token {
    token_kind kind;
    size_t start, end;   /* its bytes; a T_END is empty at the end of the text */
    size_t vstart, vend; /* a string's contents */
    int plain;           /* a string whose contents are its value (no escapes) */
} token;

typedef struct lexer {
    const char *s;
    size_t n, i;
} lexer;

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_newline(unsigned char c) { return c == '\n' || c == '\r'; }

/* Whether a long bracket opens at i ("[", level '=', "["); sets *level. */
static int long_open(const lexer *lx, size_t i, size_t *level)
{
    size_t j = i + 1;
    while (j < lx->n && lx->s[j] == '=')
        j++;
    *level = j - i - 1;
    return j < lx->n && lx->s[j] == '[';
}

/* Reads past the long bracket of that level that closes at or after the
 * lexer's position; sets *inner_end to where its contents end (the end of
 * the text when it never closes). Each ']' is followed only by its own run
 * of '=', so this is linear. */
static void long_close(lexer *lx, size_t level, size_t *inner_end)
{
    for (size_t i = lx->i; i < lx->n; i++) {
        if (lx->s[i] != ']')
            continue;
        size_t j = i + 1;
        while (j < lx->n && lx->s[j] == '=')
            j++;
        if (j - i - 1 == level && j < lx->n && lx->s[j] == ']') {
            *inner_end = i;
            lx->i = j + 1;
            return;
        }
    }
    *inner_end = lx->i = lx->n;
}

/* Skips one line break ("\n", "\r", "\r\n" or "\n\r") at the position. */
static void skip_newline(lexer *lx)
{
    char c = lx->s[lx->i++];
    if (lx->i < lx->n && is_newline((unsigned char)lx->s[lx->i]) && lx->s[lx->i] != c)
        lx->i++;
}

static void skip_space_and_comments(lexer *lx)
{
    while (lx->i < lx->n) {
        if (is_space((unsigned char)lx->s[lx->i])) {
            lx->i++;
        } else if (lx->s[lx->i] == '-' && lx->i + 1 < lx->n && lx->s[lx->i + 1] == '-') {
            size_t level, end;
            lx->i += 2;
            if (lx->i < lx->n && lx->s[lx->i] == '[' && long_open(lx, lx->i, &level)) {
                lx->i += level + 2;
                long_close(lx, level, &end);
            } else {
                while (lx->i < lx->n && !is_newline((unsigned char)lx->s[lx->i]))
                    lx->i++;
            }
        } else {
            return;
        }
    }
}

/* A short string from its quote: escapes are skipped ("\z" with the space
 * after it, a backslash before a line break with the break); it ends at
 * its closing quote, or unfinished before a line break or at the end. */
static void read_short_string(lexer *lx, token *t)
{
    char quote = lx->s[lx->i++];
    t->vstart = lx->i;
    t->plain = 1;
    while (lx->i < lx->n && lx->s[lx->i] != quote && !is_newline((unsigned char)lx->s[lx->i])) {
        if (lx->s[lx->i++] != '\\')
            continue;
        t->plain = 0;
        if (lx->i >= lx->n)
            break;
        if (is_newline((unsigned char)lx->s[lx->i])) {
            skip_newline(lx);
        } else if (lx->s[lx->i++] == 'z') {
            while (lx->i < lx->n && is_space((unsigned char)lx->s[lx->i]))
                lx->i++;
        }
    }
    t->vend = lx->i;
    if (lx->i < lx->n && lx->s[lx->i] == quote)
        lx->i++;
    else
        t->plain = 0; /* unfinished */
}

/* A long string from its opening bracket; a line break right after the
 * bracket is not part of it. */
static void read_long_string(lexer *lx, size_t level, token *t)
{
    lx->i += level + 2;
    if (lx->i < lx->n && is_newline((unsigned char)lx->s[lx->i]))
        skip_newline(lx);
    t->vstart = lx->i;
    t->plain = 1;
    long_close(lx, level, &t->vend);
}

static void read_number(lexer *lx)
{
    while (lx->i < lx->n) {
        unsigned char c = (unsigned char)lx->s[lx->i++];
        int exponent = c == 'e' || c == 'E' || c == 'p' || c == 'P';
        if (exponent && lx->i < lx->n && (lx->s[lx->i] == '+' || lx->s[lx->i] == '-'))
            lx->i++;
        else if (!is_alpha(c) && !is_digit(c) && c != '.') {
            lx->i--;
            return;
        }
    }
}

/* The operators of two or three characters; anything else is one. */
static size_t punct_len(const lexer *lx)
{
    const char *p = lx->s + lx->i;
    size_t room = lx->n - lx->i;
    if (room >= 3 && memcmp(p, "...", 3) == 0)
        return 3;
    if (room < 2)
        return 1;
    if ((p[0] == '=' || p[0] == '~' || p[0] == '<' || p[0] == '>') && p[1] == '=')
        return 2;
    if ((p[0] == '.' || p[0] == ':' || p[0] == '/' || p[0] == '<' || p[0] == '>') &&
        p[1] == p[0])
        return 2;
    return 1;
}

static token next_token(lexer *lx)
{
    token t = {T_END, 0, 0, 0, 0, 0};
    skip_space_and_comments(lx);
    t.start = lx->i;
    if (lx->i >= lx->n) {
        t.end = lx->n;
        return t;
    }
    unsigned char c = (unsigned char)lx->s[lx->i];
    size_t level;
    if (is_alpha(c)) {
        t.kind = T_NAME;
        while (lx->i < lx->n && (is_alpha((unsigned char)lx->s[lx->i]) ||
                                 is_digit((unsigned char)lx->s[lx->i])))
            lx->i++;
    } else if (is_digit(c) || (c == '.' && lx->i + 1 < lx->n &&
                               is_digit((unsigned char)lx->s[lx->i + 1]))) {
        t.kind = T_NUMBER;
        read_number(lx);
    } else if (c == '"' || c == '\'') {
        t.kind = T_STRING;
        read_short_string(lx, &t);
    } else if (c == '[' && long_open(lx, lx->i, &level)) {
        t.kind = T_STRING;
        read_long_string(lx, level, &t);
    } else {
        t.kind = T_PUNCT;
        lx->i += punct_len(lx);
    }
    t.end = lx->i;
    return t;
}

static int is_punct(const char *s, token t, char c)
{
    return t.kind == T_PUNCT && t.end - t.start == 1 && s[t.start] == c;
}

static int is_name(const char *s, token t, const char *name)
{
    size_t n = strlen(name);
    return t.kind == T_NAME && t.end - t.start == n && memcmp(s + t.start, name, n) == 0;
}

static int is_opener(const char *s, token t)
{
    return is_punct(s, t, '{') || is_punct(s, t, '(') || is_punct(s, t, '[');
}

static int is_closer(const char *s, token t)
{
    return is_punct(s, t, '}') || is_punct(s, t, ')') || is_punct(s, t, ']');
}

static int is_separator(const char *s, token t)
{
    return is_punct(s, t, ',') || is_punct(s, t, ';');
}

/* Whether the token ends a table entry: a separator or a closing bracket. */
static int ends_entry(const char *s, token t) { return is_separator(s, t) || is_closer(s, t); }

/* ---- values and table entries ------------------------------------------------- */

/* The blocks open after the name t: function, do, if and repeat open one,
 * end and until close one. */
static size_t block_step(const char *s, token t, size_t blocks)
{
    if (is_name(s, t, "function") || is_name(s, t, "do") || is_name(s, t, "if") ||
        is_name(s, t, "repeat"))
        return blocks + 1;
    if ((is_name(s, t, "end") || is_name(s, t, "until")) && blocks > 0)
        return blocks - 1;
    return blocks;
}

/* Reads one value from its first token t up to the token after it: a ',' or
 * ';' outside brackets and blocks, a closing bracket that no bracket of the
 * value opened, or the end of the text; returns that token, read. */
static token skip_value(lexer *lx, token t)
{
    size_t brackets = 0, blocks = 0;
    for (;; t = next_token(lx)) {
        if (t.kind == T_END)
            return t;
        if (is_opener(lx->s, t)) {
            brackets++;
        } else if (is_closer(lx->s, t)) {
            if (brackets == 0)
                return t;
            brackets--;
        } else if (is_separator(lx->s, t) && !brackets && !blocks) {
            return t;
        } else if (t.kind == T_NAME) {
            blocks = block_step(lx->s, t, blocks);
        }
    }
}

/* One entry of a table constructor. */
typedef struct entry {
    int keyed;         /* key = value, or [key] = value */
    size_t name, len;  /* a key that is a name or a plain string: its bytes */
    size_t index;      /* a positional entry's number, from 1 */
    size_t at;         /* the key's first token, or the positional value's */
    token value;       /* the value's first token */
    int single;        /* the value is that one token */
} entry;

/* A table constructor being read, entry by entry. */
typedef struct table_reader {
    lexer lx;
    size_t positional; /* positional entries read */
    int done;
} table_reader;

static table_reader open_table(const ks_declscan *d, size_t brace)
{
    table_reader r = {{d->text, d->len, brace + 1}, 0, 0};
    return r;
}

/* Reads the rest of a key in brackets, the lexer being past the '[':
 * ["name"] = or [expression] =. Returns the token after the '=' (or what
 * stands there instead). */
static token read_bracket_key(lexer *lx, entry *e)
{
    lexer before = *lx;
    token k = next_token(lx), close = next_token(lx);
    if (k.kind == T_STRING && k.plain && is_punct(lx->s, close, ']')) {
        e->name = k.vstart;
        e->len = k.vend - k.vstart;
    } else {
        *lx = before;
        e->name = KS_DECLSCAN_NONE;
        skip_value(lx, next_token(lx)); /* up to the ']' */
    }
    token eq = next_token(lx);
    return is_punct(lx->s, eq, '=') ? next_token(lx) : eq;
}

/* Reads the key of the entry whose first token is t, and the first token of
 * its value into e. */
static void read_key(table_reader *r, token t, entry *e)
{
    e->at = t.start;
    e->keyed = 1;
    if (is_punct(r->lx.s, t, '[')) {
        e->value = read_bracket_key(&r->lx, e);
        return;
    }
    lexer before = r->lx;
    if (t.kind == T_NAME && is_punct(r->lx.s, next_token(&r->lx), '=')) {
        e->name = t.start;
        e->len = t.end - t.start;
        e->value = next_token(&r->lx);
        return;
    }
    r->lx = before;
    e->keyed = 0;
    e->index = ++r->positional;
    e->value = t;
}

/* Reads the next entry into e; 0 at the end of the table. */
static int next_entry(table_reader *r, entry *e)
{
    const char *s = r->lx.s;
    token t;
    do {
        if (r->done)
            return 0;
        t = next_token(&r->lx);
    } while (is_separator(s, t)); /* stray ones */
    if (t.kind == T_END || ends_entry(s, t)) {
        r->done = 1;
        return 0;
    }
    read_key(r, t, e);
    lexer at_value = r->lx;
    e->single = e->value.kind != T_END && ends_entry(s, next_token(&r->lx));
    r->lx = at_value;
    token after = skip_value(&r->lx, e->value);
    if (!is_separator(s, after))
        r->done = 1;
    return 1;
}

static int entry_matches(const ks_declscan *d, const entry *e, const ks_declscan_key *key)
{
    if (!key->name)
        return !e->keyed && e->index == key->index;
    return e->keyed && e->name != KS_DECLSCAN_NONE && e->len == key->len &&
           memcmp(d->text + e->name, key->name, key->len) == 0;
}

/* Finds the entry for key in the table whose '{' is at brace: the last one
 * written with that key. */
static int find_entry(const ks_declscan *d, size_t brace, const ks_declscan_key *key, entry *out)
{
    table_reader r = open_table(d, brace);
    entry e;
    int found = 0;
    while (next_entry(&r, &e)) {
        if (!entry_matches(d, &e, key))
            continue;
        *out = e;
        found = 1;
        if (!key->name)
            break; /* positions are unique */
    }
    return found;
}

/* ---- the declaration ------------------------------------------------------------ */

/* Reads what follows the name `certification` (the lexer is past it): sets
 * *table and returns 1 when it is called. */
static int read_call(lexer *lx, size_t *table)
{
    token a = next_token(lx);
    *table = KS_DECLSCAN_NONE;
    if (is_punct(lx->s, a, '{')) {
        *table = a.start;
    } else if (is_punct(lx->s, a, '(')) {
        token b = next_token(lx);
        if (is_punct(lx->s, b, '{'))
            *table = b.start;
    } else if (a.kind != T_STRING) {
        return 0;
    }
    return 1;
}

int ks_declscan_find(const char *text, size_t len, ks_declscan *d)
{
    lexer lx = {text, len, 0};
    if (len > 0 && text[0] == '#') /* Lua skips a first line like "#!/usr/bin/lua" */
        while (lx.i < len && !is_newline((unsigned char)text[lx.i]))
            lx.i++;
    ks_declscan calls[2] = {{text, len, 0, 0, 0}, {text, len, 0, 0, 1}}; /* bare, field */
    size_t count[2] = {0, 0};
    token prev = {T_END, 0, 0, 0, 0, 0}, t;
    int naming = 0; /* in the name of a function statement: function a.b.name( */
    while ((t = next_token(&lx)).kind != T_END) {
        lexer after = lx;
        size_t table;
        if (is_name(text, t, "certification") && !naming && !is_name(text, prev, "local") &&
            read_call(&after, &table)) {
            int qualified = is_punct(text, prev, '.') || is_punct(text, prev, ':');
            calls[qualified].call = t.start;
            calls[qualified].table = table;
            count[qualified]++;
        }
        if (is_name(text, t, "function"))
            naming = 1;
        else if (t.kind != T_NAME && !is_punct(text, t, '.') && !is_punct(text, t, ':'))
            naming = 0;
        prev = t;
    }
    int qualified = count[0] == 0;
    if (count[qualified] != 1)
        return 0;
    *d = calls[qualified];
    return 1;
}

/* The line and column of offset at. */
static ks_declscan_pos position_of(const ks_declscan *d, size_t at, size_t depth)
{
    ks_declscan_pos p = {1, 1, depth};
    lexer lx = {d->text, at < d->len ? at : d->len, 0};
    while (lx.i < lx.n) {
        if (is_newline((unsigned char)lx.s[lx.i])) {
            skip_newline(&lx);
            p.line++;
            p.col = 1;
        } else if (((unsigned char)lx.s[lx.i++] & 0xC0) != 0x80) {
            p.col++;
        }
    }
    return p;
}

ks_declscan_pos ks_declscan_locate(const ks_declscan *d, const ks_declscan_key *path, size_t n)
{
    size_t at = d->call, table = d->table, depth = 0;
    entry e;
    while (depth < n && depth < KS_DECLSCAN_MAX_PATH && table != KS_DECLSCAN_NONE &&
           find_entry(d, table, &path[depth], &e)) {
        at = e.at;
        depth++;
        table = is_punct(d->text, e.value, '{') ? e.value.start : KS_DECLSCAN_NONE;
    }
    return position_of(d, at, depth);
}

int ks_declscan_string(const ks_declscan *d, const char *key, const char **value, size_t *len)
{
    ks_declscan_key k = {key, strlen(key), 0};
    entry e;
    if (d->table == KS_DECLSCAN_NONE || !find_entry(d, d->table, &k, &e) ||
        e.value.kind != T_STRING || !e.value.plain || !e.single)
        return 0;
    *value = d->text + e.value.vstart;
    *len = e.value.vend - e.value.vstart;
    return 1;
}
