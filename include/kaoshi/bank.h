/* Question banks: a YAML file parsed (with libyaml) into a tree of nodes that
 * keep their source positions, and the bank's items with their common fields
 * checked. Type-specific fields (stem, options, answer, ...) stay as nodes and
 * are checked by the item's question type, so every error can still point at
 * file:line:column. Depends on libyaml only; knows nothing of Lua or storage.
 *
 * Bank file format (docs: scripts/SCRIPTING.md, "Banks"):
 *   bank: NAME              required; [a-z0-9_-]+
 *   title: TEXT             optional
 *   items:                  required; a sequence of item mappings
 *     - id: ID              required; [A-Za-z0-9._-]+, unique in the bank
 *       type: NAME          required; a question type the script knows
 *       chapter: N          optional; integer >= 1
 *       topic: TEXT         optional
 *       difficulty: N       optional; integer 1 (easiest) .. 5 (hardest)
 *       angoff: P           optional; the probability (0.01 .. 1) that a
 *                           minimally competent candidate answers right
 *       tags: [TEXT, ...]   optional
 *       points: N           optional; a positive number: what the question is
 *                           worth, instead of its section's points
 *       group: TEXT         optional; items of one group never share a form
 *                           (nor a candidate's retakes, while others remain)
 *       ...                 any other key: checked by the question type */
#ifndef KAOSHI_BANK_H
#define KAOSHI_BANK_H

#include <stddef.h>

#include "kaoshi/error.h"

typedef enum ks_node_kind { KS_NODE_SCALAR, KS_NODE_SEQ, KS_NODE_MAP } ks_node_kind;

/* How a scalar resolves under the YAML 1.2 core schema. Quoted scalars are
 * always strings; plain ones may be null, bool, int or float. */
typedef enum ks_scalar_type {
    KS_SCALAR_NULL,
    KS_SCALAR_BOOL,
    KS_SCALAR_INT,
    KS_SCALAR_FLOAT,
    KS_SCALAR_STRING
} ks_scalar_type;

typedef struct ks_node ks_node;
struct ks_node {
    ks_node_kind kind;
    unsigned line, col; /* 1-based position of the node's first character */
    /* scalars */
    ks_scalar_type type;
    char *text; /* the scalar as written (NUL-terminated, valid UTF-8) */
    size_t len;
    long long ival; /* KS_SCALAR_INT and KS_SCALAR_BOOL (0/1) */
    double fval;    /* KS_SCALAR_FLOAT, and KS_SCALAR_INT converted */
    /* sequences (items) and mappings (keys[i] -> items[i]) */
    size_t count;
    ks_node **items;
    ks_node **keys; /* mappings only: scalar string nodes, unique */
};

typedef struct ks_item {
    const char *id;
    const char *type;
    const char *topic; /* NULL when absent */
    int chapter;       /* 0 when absent */
    int difficulty;    /* 0 when absent */
    double angoff;     /* 0 when absent */
    double points;     /* 0 when absent: the section's points count */
    const char *group; /* NULL when absent */
    const char **tags;
    size_t ntags;
    const ks_node *node; /* the whole item mapping */
} ks_item;

typedef struct ks_bank {
    char *path;  /* as given, used in every message */
    char *name;  /* the `bank:` field */
    char *title; /* NULL when absent */
    ks_item *items;
    size_t count;
    ks_node *root;
} ks_bank;

/* Limits that keep a hostile file from costing much. */
#define KS_BANK_MAX_BYTES (64u << 20)
#define KS_BANK_MAX_DEPTH 32
/* Nodes (keys, scalars, sequences, mappings) in one file: about 100 bytes of
 * memory each, so a file of tiny values cannot cost gigabytes. */
#define KS_BANK_MAX_NODES (4u << 20)

/* Parses text (len bytes) as a bank. path is used only in messages. On
 * success *out is the bank; on failure *out is NULL, every problem found is in
 * diags as "PATH:LINE:COL: ..." and the result is KS_EINPUT. */
ks_status ks_bank_parse(const char *path, const char *text, size_t len,
                        ks_bank **out, ks_diags *diags);

/* Reads the file at path and parses it; an unreadable or oversized file is
 * one diagnostic (KS_EIO when unreadable). */
ks_status ks_bank_load(const char *path, ks_bank **out, ks_diags *diags);

void ks_bank_free(ks_bank *bank);

/* The item with this id, or NULL. */
const ks_item *ks_bank_find(const ks_bank *bank, const char *id);

/* The value of key in a mapping node, or NULL (also when map is not a map). */
const ks_node *ks_node_get(const ks_node *map, const char *key);

/* The key node of key in a mapping (for its position), or NULL. */
const ks_node *ks_node_key(const ks_node *map, const char *key);

/* A short description of a node for "found ..." in messages: `"text"` for a
 * string, `12` for a number, `a sequence`, `a mapping`, `nothing` for null. */
void ks_node_describe(const ks_node *node, char *buf, size_t size);

#endif
