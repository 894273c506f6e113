/* Question banks (include/kaoshi/bank.h): the bank rules applied to the node
 * tree of engine/node.c (top-level fields, every item's common fields,
 * unique ids), reporting every problem rather than the first, and loading a
 * bank file within the size limit. Depends on engine/node.c and the C
 * library. */
#include "base/node.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bank as allocated: the public part first, so a ks_bank pointer is a
 * pointer to this. */
typedef struct bank_impl {
    ks_bank pub;
    const ks_item **by_id; /* every item, sorted by id, for ks_bank_find */
} bank_impl;

typedef struct checker {
    const char *path;
    ks_diags *diags;
    bool failed; /* a problem has been reported */
} checker;

#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define DIGITS "0123456789"
static const char bank_chars[] = LOWER DIGITS "_-";
static const char id_chars[] = LOWER "ABCDEFGHIJKLMNOPQRSTUVWXYZ" DIGITS "._-";
static const char type_first[] = LOWER "_";
static const char type_rest[] = LOWER DIGITS "_";
#define ID_MAX 64

/* What each field expects, as messages say it. */
#define BANK_WANTED "a bank name (lowercase letters, digits, '_' and '-')"
#define ID_WANTED "an id (1 to 64 letters, digits, '.', '_' and '-')"
#define TYPE_WANTED "a question type name"
#define TEXT_WANTED "a non-empty text"
#define POINTS_WANTED "a positive number of points, at most 1000"
#define ANGOFF_WANTED "a probability from 0.01 to 1 (a borderline candidate's chance)"
#define GROUP_WANTED "a group name (a non-empty text)"

static void problem(checker *c, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(checker *c, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ks_diags_vadd_at(c->diags, c->path, line, col, fmt, ap);
    va_end(ap);
    c->failed = true;
}

#define AT(n) (n)->line, (n)->col

static void out_of_memory(checker *c)
{
    ks_diags_add(c->diags, "%s: out of memory", c->path);
    c->failed = true;
}

/* "WHO field 'FIELD': expected WANTED, found ..." at value, or at where when
 * the field is absent (value NULL). who is "" or "item '...': ". Missing
 * top-level fields are "found nothing"; missing item fields use missing(). */
static void expected(checker *c, const ks_node *where, const char *who, const char *field,
                     const ks_node *value, const char *wanted)
{
    char found[64];
    ks_node_describe(value, found, sizeof found);
    problem(c, AT(value ? value : where), "%sfield '%s': expected %s, found %s", who, field,
            wanted, found);
}

static void missing(checker *c, const ks_node *item, const char *who, const char *field,
                    const char *wanted)
{
    problem(c, AT(item), "%sfield '%s': missing, expected %s", who, field, wanted);
}

static bool is_text(const ks_node *n)
{
    return n && n->kind == KS_NODE_SCALAR && n->type == KS_SCALAR_STRING && n->len > 0;
}

/* A name or id: a string (or, when numbers is set, a number as written) of
 * 1..max characters, the first from first and the rest from rest. */
static bool is_word(const ks_node *n, bool numbers, const char *first, const char *rest,
                    size_t max)
{
    if (!n || n->kind != KS_NODE_SCALAR ||
        !(n->type == KS_SCALAR_STRING ||
          (numbers && (n->type == KS_SCALAR_INT || n->type == KS_SCALAR_FLOAT))))
        return false;
    return n->len >= 1 && n->len <= max && strchr(first, n->text[0]) &&
           strspn(n->text + 1, rest) == n->len - 1;
}

static char *copy_text(checker *c, const ks_node *n)
{
    char *s = strdup(n->text);
    if (!s)
        out_of_memory(c);
    return s;
}

/* An integer field in [lo, hi]: its value, or 0 (reported) when value is
 * not one. */
static int int_field(checker *c, const char *who, const char *field, const ks_node *value,
                     int lo, int hi, const char *wanted)
{
    if (value->kind == KS_NODE_SCALAR && value->type == KS_SCALAR_INT && value->ival >= lo &&
        value->ival <= hi)
        return (int)value->ival;
    expected(c, value, who, field, value, wanted);
    return 0;
}

static void check_tags(checker *c, const char *who, const ks_node *tags, ks_item *it)
{
    if (tags->kind != KS_NODE_SEQ) {
        expected(c, tags, who, "tags", tags, "a sequence of tags");
        return;
    }
    if (tags->count == 0)
        return;
    it->tags = malloc(tags->count * sizeof *it->tags);
    if (!it->tags) {
        out_of_memory(c);
        return;
    }
    for (size_t i = 0; i < tags->count; i++) {
        if (is_text(tags->items[i]))
            it->tags[it->ntags++] = tags->items[i]->text;
        else
            expected(c, tags, who, "tags", tags->items[i], TEXT_WANTED " for each tag");
    }
}

/* Checks the common fields of item number index (from 0) into it. Problems
 * come in file order: missing fields (at the item's start), then each field
 * as it appears. */
static void check_item(checker *c, size_t index, const ks_node *item, ks_item *it)
{
    char who[96], found[64];
    it->node = item;
    if (item->kind != KS_NODE_MAP) {
        ks_node_describe(item, found, sizeof found);
        problem(c, AT(item), "item #%zu: expected a mapping of item fields, found %s",
                index + 1, found);
        return;
    }
    const ks_node *id = ks_node_get(item, "id");
    if (is_word(id, true, id_chars, id_chars, ID_MAX)) {
        it->id = id->text;
        snprintf(who, sizeof who, "item '%s': ", it->id);
    } else {
        snprintf(who, sizeof who, "item #%zu: ", index + 1);
    }
    if (!id)
        missing(c, item, who, "id", ID_WANTED);
    if (!ks_node_get(item, "type"))
        missing(c, item, who, "type", TYPE_WANTED);

    for (size_t i = 0; i < item->count; i++) {
        const char *key = item->keys[i]->text;
        const ks_node *v = item->items[i];
        if (strcmp(key, "id") == 0) {
            if (!it->id)
                expected(c, v, who, "id", v, ID_WANTED);
        } else if (strcmp(key, "type") == 0) {
            if (is_word(v, false, type_first, type_rest, SIZE_MAX))
                it->type = v->text;
            else
                expected(c, v, who, "type", v, TYPE_WANTED);
        } else if (strcmp(key, "chapter") == 0) {
            it->chapter = int_field(c, who, key, v, 1, INT_MAX, "an integer from 1 up");
        } else if (strcmp(key, "topic") == 0) {
            if (is_text(v))
                it->topic = v->text;
            else
                expected(c, v, who, "topic", v, TEXT_WANTED);
        } else if (strcmp(key, "difficulty") == 0) {
            it->difficulty = int_field(c, who, key, v, 1, 5, "an integer from 1 to 5");
        } else if (strcmp(key, "angoff") == 0) {
            if (v->kind == KS_NODE_SCALAR &&
                (v->type == KS_SCALAR_INT || v->type == KS_SCALAR_FLOAT) && v->fval >= 0.01 &&
                v->fval <= 1)
                it->angoff = v->fval;
            else
                expected(c, v, who, "angoff", v, ANGOFF_WANTED);
        } else if (strcmp(key, "tags") == 0) {
            check_tags(c, who, v, it);
        } else if (strcmp(key, "points") == 0) {
            if (v->kind == KS_NODE_SCALAR &&
                (v->type == KS_SCALAR_INT || v->type == KS_SCALAR_FLOAT) && v->fval > 0 &&
                v->fval <= 1000)
                it->points = v->fval;
            else
                expected(c, v, who, "points", v, POINTS_WANTED);
        } else if (strcmp(key, "group") == 0) {
            if (is_text(v))
                it->group = v->text;
            else
                expected(c, v, who, "group", v, GROUP_WANTED);
        }
    }
}

static void check_items(checker *c, ks_bank *bank, const ks_node *items)
{
    if (items->kind != KS_NODE_SEQ) {
        expected(c, items, "", "items", items, "a sequence of items");
        return;
    }
    if (items->count == 0)
        return;
    bank->items = calloc(items->count, sizeof *bank->items);
    if (!bank->items) {
        out_of_memory(c);
        return;
    }
    bank->count = items->count;
    for (size_t i = 0; i < items->count; i++)
        check_item(c, i, items->items[i], &bank->items[i]);
}

static void check_top(checker *c, ks_bank *bank)
{
    const ks_node *root = bank->root;
    if (!root || root->kind != KS_NODE_MAP) {
        char found[64];
        ks_node_describe(root, found, sizeof found);
        problem(c, root ? root->line : 1, root ? root->col : 1,
                "top level: expected a mapping with the fields bank, title and items, found %s",
                found);
        return;
    }
    if (!ks_node_key(root, "bank"))
        expected(c, root, "", "bank", NULL, BANK_WANTED);
    if (!ks_node_key(root, "items"))
        expected(c, root, "", "items", NULL, "a sequence of items");
    for (size_t i = 0; i < root->count; i++) {
        const ks_node *key = root->keys[i], *value = root->items[i];
        if (strcmp(key->text, "bank") == 0) {
            if (is_word(value, true, bank_chars, bank_chars, SIZE_MAX))
                bank->name = copy_text(c, value);
            else
                expected(c, value, "", "bank", value, BANK_WANTED);
        } else if (strcmp(key->text, "title") == 0) {
            if (is_text(value))
                bank->title = copy_text(c, value);
            else
                expected(c, value, "", "title", value, TEXT_WANTED);
        } else if (strcmp(key->text, "items") == 0) {
            check_items(c, bank, value);
        } else {
            char name[48];
            ks_node_clip(key, name, sizeof name);
            problem(c, AT(key), "unknown field '%s'; expected one of: bank, title, items", name);
        }
    }
}

/* Orders item pointers by id, then by place in the file. */
static int compare_items(const void *a, const void *b)
{
    const ks_item *x = *(const ks_item *const *)a, *y = *(const ks_item *const *)b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x > y) - (x < y);
}

/* Sorts the items that have an id into impl->by_id and reports, in file
 * order, every id used by an earlier item. */
static void index_ids(checker *c, bank_impl *impl)
{
    ks_item *items = impl->pub.items;
    size_t count = impl->pub.count, n = 0;
    if (count == 0)
        return;
    const ks_item **by_id = malloc(count * sizeof *by_id);
    const ks_item **first = calloc(count, sizeof *first);
    if (!by_id || !first) {
        free(by_id);
        free(first);
        out_of_memory(c);
        return;
    }
    for (size_t i = 0; i < count; i++)
        if (items[i].id)
            by_id[n++] = &items[i];
    qsort(by_id, n, sizeof *by_id, compare_items);
    for (size_t i = 1, head = 0; i < n; i++) {
        if (strcmp(by_id[i]->id, by_id[head]->id) != 0)
            head = i;
        else
            first[by_id[i] - items] = by_id[head];
    }
    for (size_t i = 0; i < count; i++) {
        if (first[i])
            problem(c, AT(ks_node_get(items[i].node, "id")),
                    "item '%s': duplicate id; first defined at line %u", items[i].id,
                    ks_node_get(first[i]->node, "id")->line);
    }
    free(first);
    impl->by_id = by_id;
}

ks_status ks_bank_parse(const char *path, const char *text, size_t len, ks_bank **out,
                        ks_diags *diags)
{
    *out = NULL;
    if (len > KS_BANK_MAX_BYTES) {
        ks_diags_add(diags, "%s: too large; a bank may be at most %u bytes", path,
                     KS_BANK_MAX_BYTES);
        return KS_EINPUT;
    }
    ks_node *root;
    if (ks_node_parse(path, text, len, &root, diags) != KS_OK)
        return KS_EINPUT;
    checker c = {.path = path, .diags = diags};
    bank_impl *impl = calloc(1, sizeof *impl);
    if (!impl) {
        ks_node_free(root);
        out_of_memory(&c);
        return KS_EINPUT;
    }
    impl->pub.root = root;
    impl->pub.path = strdup(path);
    if (!impl->pub.path)
        out_of_memory(&c);
    check_top(&c, &impl->pub);
    index_ids(&c, impl);
    if (c.failed) {
        ks_bank_free(&impl->pub);
        return KS_EINPUT;
    }
    *out = &impl->pub;
    return KS_OK;
}

ks_status ks_bank_load(const char *path, ks_bank **out, ks_diags *diags)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ks_diags_add(diags, "%s: cannot read: %s", path, strerror(errno));
        return KS_EIO;
    }
    /* Read at most one byte past the limit: enough to know it is exceeded. */
    size_t cap = 1u << 16, len = 0;
    char *text = malloc(cap);
    while (text) {
        len += fread(text + len, 1, cap - len, f);
        if (len < cap || cap > KS_BANK_MAX_BYTES)
            break;
        size_t grown = cap * 2 > KS_BANK_MAX_BYTES ? KS_BANK_MAX_BYTES + 1u : cap * 2;
        char *bigger = realloc(text, grown);
        if (!bigger)
            free(text);
        text = bigger;
        cap = grown;
    }
    int read_errno = errno;
    bool read_failed = ferror(f);
    fclose(f);
    if (!text || read_failed) {
        ks_diags_add(diags, "%s: cannot read: %s", path, strerror(text ? read_errno : ENOMEM));
        free(text);
        return KS_EIO;
    }
    ks_status st = ks_bank_parse(path, text, len, out, diags);
    free(text);
    return st;
}

void ks_bank_free(ks_bank *bank)
{
    if (!bank)
        return;
    bank_impl *impl = (bank_impl *)bank;
    for (size_t i = 0; i < bank->count; i++)
        free(bank->items[i].tags);
    free(bank->items);
    free(impl->by_id);
    free(bank->path);
    free(bank->name);
    free(bank->title);
    ks_node_free(bank->root);
    free(impl);
}

static int compare_id_to_item(const void *key, const void *elem)
{
    return strcmp(key, (*(const ks_item *const *)elem)->id);
}

const ks_item *ks_bank_find(const ks_bank *bank, const char *id)
{
    const bank_impl *impl = (const bank_impl *)bank;
    if (bank->count == 0)
        return NULL;
    const ks_item *const *hit =
        bsearch(id, impl->by_id, bank->count, sizeof *impl->by_id, compare_id_to_item);
    return hit ? *hit : NULL;
}
