/* Internals of the bank module: building the node tree of a bank file from
 * libyaml events (engine/node.c), used by engine/bank.c. The node type and
 * its read-only accessors are public, in include/kaoshi/bank.h. Not a public
 * header. */
#ifndef KAOSHI_NODE_H
#define KAOSHI_NODE_H

#include <stddef.h>

#include "kaoshi/bank.h"

/* Parses text (len bytes, at most KS_BANK_MAX_BYTES) as one YAML document.
 * On success *root is the document's top node (NULL for an empty file) and
 * the result is KS_OK. Otherwise *root is NULL, the problems are in diags as
 * "PATH:LINE:COL: ..." and the result is KS_EINPUT. Refused: syntax errors,
 * text that is not UTF-8, anchors and aliases, tags, more than one document,
 * nesting deeper than KS_BANK_MAX_DEPTH, more than KS_BANK_MAX_NODES nodes,
 * non-scalar mapping keys, duplicate keys, out-of-range integers and strings
 * containing NUL. Duplicate keys, out-of-range integers and NULs are all
 * reported; any other problem stops the parse at its first occurrence. */
ks_status ks_node_parse(const char *path, const char *text, size_t len, ks_node **root,
                        ks_diags *diags);

/* Frees a tree ks_node_parse returned (its root and everything below it,
 * held together in one arena); NULL is allowed. */
void ks_node_free(ks_node *root);

/* Writes a scalar's text to buf (size > 4) for a one-line message: control
 * characters shown as \n, \t or ?, and text that does not fit cut at a
 * character boundary and ended with "…". */
void ks_node_clip(const ks_node *scalar, char *buf, size_t size);

#endif
