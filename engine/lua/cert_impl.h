/* Internals shared by the certification binding's files: the loaded
 * certification (struct ks_cert) and the helpers that reach into its
 * sandbox. cert.c loads a certification, cert_pools.c checks what its pools
 * give; cert_hooks.c calls the author API's entry points on it. Not a public
 * header. */
#ifndef KAOSHI_CERT_IMPL_H
#define KAOSHI_CERT_IMPL_H

#include <jansson.h>
#include <lua.h>

#include "base/declscan.h"
#include "kaoshi/cert.h"
#include "lua/sandbox.h"

struct ks_cert {
    ks_sandbox *sb;
    ks_fileset *fs;
    char *script_path;
    ks_bank **banks;
    size_t nbanks;
    ks_item *items; /* every bank's items, bank after bank */
    size_t nitems;
    size_t *bank_first; /* index of each bank's first item in items */
    int ref_entry, ref_types, ref_cert, ref_items, ref_by_id, ref_pools;
    int ref_code; /* the script's main function, for cert_fresh */
    ks_cert_info info;
    ks_cert_section *sections;
    char **strings; /* strings owned by info and sections */
    size_t nstrings;
    int out_of_memory; /* keep() failed: the load fails */
    /* the last form presented, parsed: a page presents every question of one
     * form in a row, and parsing the form for each took most of the time */
    char *form_text;
    json_t *form;
};

/* The certification's Lua state. */
lua_State *cert_lua(ks_cert *c);

/* Pushes the registry value ref (one of c->ref_...). */
void cert_push_ref(ks_cert *c, int ref);

/* Pushes entry[name] (a function of the author API). */
void cert_push_entry(ks_cert *c, const char *name);

/* Runs the script's main function again in a fresh environment, with every
 * module run afresh too (compiled once, at loading), and
 * makes the new declaration the one hooks are called on: no state a hook
 * kept at module level survives it. Called before each call on behalf of
 * another attempt, so nothing flows between candidates or attempts. */
ks_status cert_fresh(ks_cert *c, ks_error *err);

/* The number t[key] of the table t at idx, or dflt when it is not a number. */
double cert_num_field(lua_State *L, int idx, const char *key, double dflt);

/* The line of the script where the key path (n elements) of its
 * `certification { ... }` table is written (base/declscan.h), or 0 when the
 * script's text does not show it (a declaration made by a function of the
 * script's own). */
size_t cert_decl_line(ks_cert *c, const ks_declscan_key *path, size_t n);

/* The bank item (an index into c->items) was read from. */
const ks_bank *cert_bank_of(const ks_cert *c, size_t item);

/* For cert.c, from cert_pools.c, once every section's pool is built: the
 * units of items and sections, the bounds of a form's maximum score and the
 * checks of what the pools give (problems in diags, warnings in warnings).
 * KS_EINPUT when a form can never be drawn; KS_EINTERNAL when out of
 * memory. */
ks_status cert_check_pools(ks_cert *c, ks_diags *diags, ks_diags *warnings);

/* For cert_bank.c (a lone bank checked without a script), from cert.c: a
 * sandbox with the author API and the built-in types in c->sb; and every
 * item of c->items checked against its type with the declaration c->ref_cert
 * (problems in diags, as "BANK:LINE:COL: item 'ID': ..."). */
ks_status cert_start_sandbox(ks_cert *c, ks_error *err);
ks_status cert_check_items(ks_cert *c, ks_diags *diags);

#endif
