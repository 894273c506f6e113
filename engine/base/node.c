/* The node tree of a bank file (engine/node.h): libyaml's event parser turned
 * into ks_node trees that keep 1-based source positions, plain scalars
 * resolved under the YAML 1.2 core schema, and the public read-only node
 * accessors of include/kaoshi/bank.h. Hostile input is refused at the first
 * sign (an anchor, one level too deep, one node too many), so no file costs
 * more than linear time and bounded memory. Depends on libyaml only.
 *
 * A tree lives in an arena: its nodes, their texts and their child arrays
 * are carved from a few large blocks freed together, since a big bank holds
 * millions of small nodes and a malloc for each costs time and memory. */
#include "base/node.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* One block of a tree's arena. The first block starts with the root node,
 * so ks_node_free finds the arena from the root. */
typedef struct block {
    struct block *next; /* the block allocated after this one */
    size_t used, cap;   /* bytes of data */
    max_align_t data[];
} block;

#define BLOCK_FIRST (16u << 10) /* bytes; each next block twice as big, up to: */
#define BLOCK_MAX (1u << 20)

/* A sequence or mapping still open in the event stream. */
typedef struct frame {
    ks_node *node;
    size_t first; /* where its children start on the builder's stack */
    ks_node *key; /* mappings: the key waiting for its value, or NULL */
} frame;

typedef struct builder {
    const char *path;
    const char *text;
    ks_diags *diags;
    ks_node *root;
    block *first, *last; /* the arena */
    /* The children of the open collections, in order (a mapping's as key,
     * value, key, ...); each collection's are copied into the arena when it
     * ends, so its arrays are allocated once, at their final size. */
    ks_node **stack;
    size_t nstack, stack_cap;
    frame open[KS_BANK_MAX_DEPTH];
    size_t depth;
    size_t nodes;
    int documents;
    bool failed; /* a problem has been reported */
} builder;

static void report_at(builder *b, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report_at(builder *b, size_t line, size_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ks_diags_vadd_at(b->diags, b->path, line, col, fmt, ap);
    va_end(ap);
    b->failed = true;
}

/* libyaml marks are 0-based; messages are 1-based. */
#define AT_MARK(m) (m).line + 1, (m).column + 1
#define AT_NODE(n) (size_t)(n)->line, (size_t)(n)->col

static void report_oom(builder *b)
{
    ks_diags_add(b->diags, "%s: out of memory", b->path);
    b->failed = true;
}

/* The length of the UTF-8 sequence that starts with byte lead. */
static size_t utf8_length(unsigned char lead)
{
    return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

/* The 1-based line and column (in characters, as libyaml counts them) of the
 * character holding byte offset in text; the bytes before it are valid UTF-8. */
static void position_of(const char *text, size_t offset, size_t *line, size_t *col)
{
    size_t i = 0;
    *line = *col = 1;
    if (offset >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3; /* a byte-order mark is not a column */
    while (i < offset) {
        unsigned char c = (unsigned char)text[i];
        size_t n = utf8_length(c);
        if (i + n > offset)
            break; /* offset is inside this character */
        if (c == '\n' || (c == '\r' && !(i + 1 < offset && text[i + 1] == '\n'))) {
            ++*line;
            *col = 1;
        } else {
            ++*col;
        }
        i += n;
    }
}

static void report_yaml_error(builder *b, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR) {
        report_oom(b);
    } else if (p->error == YAML_READER_ERROR) {
        size_t line, col;
        position_of(b->text, p->problem_offset, &line, &col);
        if (p->problem_value != -1)
            report_at(b, line, col, "YAML syntax error: %s (#x%X)", p->problem,
                      (unsigned)p->problem_value);
        else
            report_at(b, line, col, "YAML syntax error: %s", p->problem);
    } else if (p->context) {
        report_at(b, AT_MARK(p->problem_mark), "YAML syntax error: %s (%s at line %zu, column %zu)",
                  p->problem, p->context, AT_MARK(p->context_mark));
    } else {
        report_at(b, AT_MARK(p->problem_mark), "YAML syntax error: %s", p->problem);
    }
}

static bool is_one_of(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (strcmp(s, *words) == 0)
            return true;
    return false;
}

#define DIGITS "0123456789"

/* Plain-scalar integers of the core schema: [-+]?[0-9]+, 0o[0-7]+,
 * 0x[0-9a-fA-F]+. Sets *digits and *base for strtoll. */
static bool is_int(const char *s, const char **digits, int *base)
{
    size_t n;
    if (s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
        *base = s[1] == 'o' ? 8 : 16;
        *digits = s + 2;
        n = strspn(s + 2, *base == 8 ? "01234567" : DIGITS "abcdefABCDEF");
        return n > 0 && s[2 + n] == '\0';
    }
    *base = 10;
    *digits = s;
    size_t sign = s[0] == '-' || s[0] == '+';
    n = strspn(s + sign, DIGITS);
    return n > 0 && s[sign + n] == '\0';
}

/* Plain-scalar floats of the core schema (ints excluded by the caller):
 * [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE][-+]?[0-9]+ )? */
static bool is_float(const char *s)
{
    s += s[0] == '-' || s[0] == '+';
    size_t whole = strspn(s, DIGITS);
    s += whole;
    size_t frac = 0;
    if (*s == '.') {
        frac = strspn(s + 1, DIGITS);
        s += 1 + frac;
    } else if (whole == 0) {
        return false;
    }
    if (whole == 0 && frac == 0)
        return false;
    if (*s == 'e' || *s == 'E') {
        s += 1 + (s[1] == '-' || s[1] == '+');
        size_t exp = strspn(s, DIGITS);
        if (exp == 0)
            return false;
        s += exp;
    }
    return *s == '\0';
}

/* Resolves a plain scalar under the YAML 1.2 core schema. False for an
 * integer that does not fit in a long long (the node stays a string). */
static bool resolve_plain(ks_node *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"true", "True", "TRUE", NULL};
    static const char *const falses[] = {"false", "False", "FALSE", NULL};
    static const char *const infs[] = {".inf", ".Inf", ".INF", NULL};
    static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
    const char *s = n->text, *digits;
    int base;
    if (s[0] != '\0' && !strchr("~nNtTfF.+-" DIGITS, s[0]))
        return true; /* no null, boolean or number starts otherwise: a string */
    if (is_one_of(s, nulls)) {
        n->type = KS_SCALAR_NULL;
    } else if (is_one_of(s, trues) || is_one_of(s, falses)) {
        n->type = KS_SCALAR_BOOL;
        n->ival = s[0] == 't' || s[0] == 'T';
    } else if (is_int(s, &digits, &base)) {
        errno = 0;
        long long v = strtoll(digits, NULL, base);
        if (errno == ERANGE)
            return false;
        n->type = KS_SCALAR_INT;
        n->ival = v;
        n->fval = (double)v;
    } else if (is_one_of(s + (s[0] == '-' || s[0] == '+'), infs)) {
        n->type = KS_SCALAR_FLOAT;
        n->fval = s[0] == '-' ? -INFINITY : INFINITY;
    } else if (is_one_of(s, nans)) {
        n->type = KS_SCALAR_FLOAT;
        n->fval = NAN;
    } else if (is_float(s)) {
        n->type = KS_SCALAR_FLOAT;
        n->fval = strtod(s, NULL);
    }
    return true;
}

static void free_blocks(block *first)
{
    while (first) {
        block *next = first->next;
        free(first);
        first = next;
    }
}

/* size bytes from the arena, aligned for a node; NULL when out of memory
 * (reported). */
static void *arena_alloc(builder *b, size_t size)
{
    size = (size + _Alignof(ks_node) - 1) / _Alignof(ks_node) * _Alignof(ks_node);
    block *last = b->last;
    if (!last || last->cap - last->used < size) {
        size_t cap = !last ? BLOCK_FIRST : last->cap < BLOCK_MAX ? 2 * last->cap : BLOCK_MAX;
        if (cap < size)
            cap = size;
        block *fresh = malloc(sizeof *fresh + cap);
        if (!fresh) {
            report_oom(b);
            return NULL;
        }
        *fresh = (block){.cap = cap};
        if (last)
            last->next = fresh;
        else
            b->first = fresh;
        b->last = last = fresh;
    }
    void *p = (char *)last->data + last->used;
    last->used += size;
    return p;
}

/* A new node at mark, counted against KS_BANK_MAX_NODES; scalars get a copy
 * of their text right after the node. NULL when refused (reported). */
static ks_node *new_node(builder *b, ks_node_kind kind, yaml_mark_t mark, const char *text,
                         size_t len)
{
    if (b->nodes == KS_BANK_MAX_NODES) {
        report_at(b, AT_MARK(mark), "a bank may hold at most %u values", KS_BANK_MAX_NODES);
        return NULL;
    }
    ks_node *n = arena_alloc(b, sizeof *n + (kind == KS_NODE_SCALAR ? len + 1 : 0));
    if (!n)
        return NULL;
    *n = (ks_node){0};
    b->nodes++;
    n->kind = kind;
    n->line = (unsigned)mark.line + 1;
    n->col = (unsigned)mark.column + 1;
    if (kind == KS_NODE_SCALAR) {
        n->type = KS_SCALAR_STRING;
        n->text = (char *)(n + 1);
        memcpy(n->text, text, len);
        n->text[len] = '\0';
        n->len = len;
    }
    return n;
}

/* True when the next node of the open collection is a mapping key. */
static bool expecting_key(const builder *b)
{
    if (b->depth == 0)
        return false;
    const frame *f = &b->open[b->depth - 1];
    return f->node->kind == KS_NODE_MAP && !f->key;
}

static bool push(builder *b, ks_node *node)
{
    if (b->nstack == b->stack_cap) {
        size_t cap = b->stack_cap ? 2 * b->stack_cap : 256;
        ks_node **grown = realloc(b->stack, cap * sizeof *grown);
        if (!grown) {
            report_oom(b);
            return false;
        }
        b->stack = grown;
        b->stack_cap = cap;
    }
    b->stack[b->nstack++] = node;
    return true;
}

/* Puts node in its place: the root, a mapping's pending key, or on the
 * stack as a mapping's key and value or a sequence's next item. */
static bool attach(builder *b, ks_node *node)
{
    if (b->depth == 0) {
        b->root = node;
        return true;
    }
    frame *f = &b->open[b->depth - 1];
    if (f->node->kind == KS_NODE_SEQ)
        return push(b, node);
    if (!f->key) {
        f->key = node;
        return true;
    }
    bool ok = push(b, f->key) && push(b, node);
    f->key = NULL;
    return ok;
}

/* Ends the innermost open collection: its children move from the stack to
 * arrays of their final size in the arena. */
static bool close_collection(builder *b)
{
    frame *f = &b->open[--b->depth];
    ks_node *n = f->node;
    size_t count = b->nstack - f->first;
    b->nstack = f->first;
    if (count == 0) /* an empty collection; the stack may not even exist yet */
        return true;
    ks_node **children = b->stack + f->first;
    if (n->kind == KS_NODE_SEQ) {
        if (!(n->items = arena_alloc(b, count * sizeof *n->items)))
            return false;
        memcpy(n->items, children, count * sizeof *n->items);
        n->count = count;
        return true;
    }
    n->count = count / 2;
    n->keys = arena_alloc(b, n->count * sizeof *n->keys);
    n->items = n->keys ? arena_alloc(b, n->count * sizeof *n->items) : NULL;
    if (!n->items)
        return false;
    for (size_t i = 0; i < n->count; i++) {
        n->keys[i] = children[2 * i];
        n->items[i] = children[2 * i + 1];
    }
    return true;
}

/* Refuses the node properties a bank has no use for. */
static bool check_properties(builder *b, const yaml_event_t *ev, const yaml_char_t *anchor,
                             const yaml_char_t *tag)
{
    if (anchor) {
        report_at(b, AT_MARK(ev->start_mark), "anchors and aliases are not allowed in a bank");
        return false;
    }
    if (tag) {
        report_at(b, AT_MARK(ev->start_mark), "tags are not allowed in a bank");
        return false;
    }
    return true;
}

static bool add_scalar(builder *b, const yaml_event_t *ev)
{
    const char *value = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    bool key = expecting_key(b);
    ks_node *n = new_node(b, KS_NODE_SCALAR, ev->start_mark, value, len);
    if (!n)
        return false;
    if (memchr(value, '\0', len))
        report_at(b, AT_NODE(n), "a text may not contain the NUL character (\\0)");
    else if (!key && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !resolve_plain(n))
        report_at(b, AT_NODE(n), "integer out of range: %.40s", n->text);
    return attach(b, n);
}

static bool open_collection(builder *b, const yaml_event_t *ev, ks_node_kind kind)
{
    const char *what = kind == KS_NODE_SEQ ? "a sequence" : "a mapping";
    if (expecting_key(b)) {
        report_at(b, AT_MARK(ev->start_mark), "a mapping key must be a simple value, found %s",
                  what);
        return false;
    }
    if (b->depth == KS_BANK_MAX_DEPTH) {
        report_at(b, AT_MARK(ev->start_mark),
                  "%s nested more than %d levels deep; a bank may not nest that deep", what,
                  KS_BANK_MAX_DEPTH);
        return false;
    }
    ks_node *n = new_node(b, kind, ev->start_mark, NULL, 0);
    if (!n || !attach(b, n))
        return false;
    b->open[b->depth++] = (frame){.node = n, .first = b->nstack};
    return true;
}

/* Orders pointers into one mapping's keys array by key text, then by place. */
static int compare_key_slots(const void *a, const void *b)
{
    ks_node *const *x = *(ks_node *const *const *)a;
    ks_node *const *y = *(ks_node *const *const *)b;
    int c = strcmp((*x)->text, (*y)->text);
    return c ? c : (x > y) - (x < y);
}

/* Reports key i of map (a duplicate) and the line of its first occurrence. */
static void report_duplicate(builder *b, const ks_node *map, size_t i, const ks_node *first)
{
    char name[48];
    ks_node_clip(map->keys[i], name, sizeof name);
    report_at(b, AT_NODE(map->keys[i]), "duplicate key '%s'; first defined at line %u", name,
              first->line);
}

#define SMALL_MAP 16 /* keys compared pairwise up to this many; above, sorted */

/* Reports every key of map equal to an earlier one, in file order. Sorting
 * keeps this O(n log n) for a mapping of any size. */
static bool check_keys(builder *b, const ks_node *map)
{
    size_t n = map->count;
    if (n < 2)
        return true;
    if (n <= SMALL_MAP) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (strcmp(map->keys[i]->text, map->keys[j]->text) == 0) {
                    report_duplicate(b, map, i, map->keys[j]);
                    break;
                }
        return true;
    }
    ks_node ***slots = malloc(n * sizeof *slots);
    const ks_node **first = calloc(n, sizeof *first);
    if (!slots || !first) {
        free(slots);
        free(first);
        report_oom(b);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        slots[i] = &map->keys[i];
    qsort(slots, n, sizeof *slots, compare_key_slots);
    for (size_t i = 1, head = 0; i < n; i++) {
        if (strcmp((*slots[i])->text, (*slots[head])->text) != 0)
            head = i;
        else
            first[slots[i] - map->keys] = *slots[head];
    }
    for (size_t i = 0; i < n; i++)
        if (first[i])
            report_duplicate(b, map, i, first[i]);
    free(slots);
    free(first);
    return true;
}

/* Handles one event; false stops the parse (a problem has been reported). */
static bool on_event(builder *b, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (b->documents++ == 0)
            return true;
        report_at(b, AT_MARK(ev->start_mark),
                  "a bank is one YAML document; a second document starts here");
        return false;
    case YAML_ALIAS_EVENT:
        report_at(b, AT_MARK(ev->start_mark), "anchors and aliases are not allowed in a bank");
        return false;
    case YAML_SCALAR_EVENT:
        return check_properties(b, ev, ev->data.scalar.anchor, ev->data.scalar.tag) &&
               add_scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT:
        return check_properties(b, ev, ev->data.sequence_start.anchor,
                                ev->data.sequence_start.tag) &&
               open_collection(b, ev, KS_NODE_SEQ);
    case YAML_MAPPING_START_EVENT:
        return check_properties(b, ev, ev->data.mapping_start.anchor,
                                ev->data.mapping_start.tag) &&
               open_collection(b, ev, KS_NODE_MAP);
    case YAML_SEQUENCE_END_EVENT:
        return close_collection(b);
    case YAML_MAPPING_END_EVENT:
        return close_collection(b) && check_keys(b, b->open[b->depth].node);
    default: /* stream start and end, document end */
        return true;
    }
}

ks_status ks_node_parse(const char *path, const char *text, size_t len, ks_node **root,
                        ks_diags *diags)
{
    builder b = {.path = path, .text = text, .diags = diags};
    yaml_parser_t parser;
    *root = NULL;
    if (!yaml_parser_initialize(&parser)) {
        report_oom(&b);
        return KS_EINPUT;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    for (bool done = false; !done;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            report_yaml_error(&b, &parser);
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        bool ok = on_event(&b, &ev);
        yaml_event_delete(&ev);
        if (!ok)
            break;
    }
    yaml_parser_delete(&parser);
    free(b.stack);
    if (b.failed) {
        free_blocks(b.first);
        return KS_EINPUT;
    }
    *root = b.root; /* the first node allocated: it starts the first block */
    return KS_OK;
}

void ks_node_free(ks_node *root)
{
    if (root)
        free_blocks((block *)((char *)root - offsetof(block, data)));
}

/* How text[i...] shows in a message: writes up to 4 bytes to out, sets *used
 * to the input bytes it stands for and returns the output length. */
static size_t clip_piece(const char *text, size_t i, char out[4], size_t *used)
{
    unsigned char c = (unsigned char)text[i];
    *used = 1;
    if (c == '\n' || c == '\t' || c == '\r') {
        out[0] = '\\';
        out[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
        return 2;
    }
    if (c < 0x20 || c == 0x7F) {
        out[0] = '?';
        return 1;
    }
    *used = utf8_length(c);
    memcpy(out, text + i, *used);
    return *used;
}

void ks_node_clip(const ks_node *scalar, char *buf, size_t size)
{
    static const char ellipsis[] = "\xE2\x80\xA6";
    char piece[4];
    size_t used, total = 0, out = 0;
    for (size_t i = 0; i < scalar->len; i += used)
        total += clip_piece(scalar->text, i, piece, &used);
    bool fits = total < size;
    size_t limit = fits ? size - 1 : size - sizeof ellipsis;
    for (size_t i = 0; i < scalar->len; i += used) {
        size_t n = clip_piece(scalar->text, i, piece, &used);
        if (out + n > limit)
            break;
        memcpy(buf + out, piece, n);
        out += n;
    }
    if (!fits) {
        memcpy(buf + out, ellipsis, sizeof ellipsis - 1);
        out += sizeof ellipsis - 1;
    }
    buf[out] = '\0';
}

/* The index of key in map, or SIZE_MAX when absent or map is not a mapping. */
static size_t key_index(const ks_node *map, const char *key)
{
    if (map && map->kind == KS_NODE_MAP)
        for (size_t i = 0; i < map->count; i++)
            if (strcmp(map->keys[i]->text, key) == 0)
                return i;
    return SIZE_MAX;
}

const ks_node *ks_node_key(const ks_node *map, const char *key)
{
    size_t i = key_index(map, key);
    return i == SIZE_MAX ? NULL : map->keys[i];
}

const ks_node *ks_node_get(const ks_node *map, const char *key)
{
    size_t i = key_index(map, key);
    return i == SIZE_MAX ? NULL : map->items[i];
}

void ks_node_describe(const ks_node *node, char *buf, size_t size)
{
    char text[44];
    if (!node || (node->kind == KS_NODE_SCALAR && node->type == KS_SCALAR_NULL)) {
        snprintf(buf, size, "nothing");
    } else if (node->kind == KS_NODE_SEQ) {
        snprintf(buf, size, "a sequence");
    } else if (node->kind == KS_NODE_MAP) {
        snprintf(buf, size, "a mapping");
    } else if (node->type == KS_SCALAR_BOOL) {
        snprintf(buf, size, "%s", node->ival ? "true" : "false");
    } else {
        ks_node_clip(node, text, sizeof text);
        const char *quote = node->type == KS_SCALAR_STRING ? "\"" : "";
        snprintf(buf, size, "%s%s%s", quote, text, quote);
    }
}
