/* A lone bank checked without a certification (`kaoshi check banks/x.yaml`):
 * its items of built-in types go through the same check as a certification's
 * (cert.c's cert_check_items) in a sandbox with the author API, against a
 * stand-in declaration that declares no types of its own. Items of other
 * types, and the generators calculated items name, can only be checked with a
 * certification: they are notes. See include/kaoshi/cert_bank.h. */
#include "kaoshi/cert_bank.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "lua/cert_impl.h"

/* __index of a stand-in generator's data: every stem placeholder has a text. */
static int any_placeholder(lua_State *L)
{
    lua_pushliteral(L, "?");
    return 1;
}

/* The generator a calculated item names, standing in for the certification's
 * (which only it has): a valid result whose data fill any stem, so that the
 * check of the item stops short of what only the real generator can show. */
static int stand_in_generator(lua_State *L)
{
    lua_createtable(L, 0, 3);
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, any_placeholder);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_setfield(L, -2, "data");
    lua_pushinteger(L, 0);
    lua_setfield(L, -2, "key");
    lua_pushliteral(L, "(checked only with a certification)");
    lua_setfield(L, -2, "explanation");
    return 1;
}

/* Whether the author API has a built-in question type of this name. */
static int is_builtin(ks_cert *c, const char *type)
{
    lua_State *L = cert_lua(c);
    cert_push_ref(c, c->ref_types);
    lua_pushstring(L, type);
    int found = lua_rawget(L, -2) == LUA_TTABLE;
    lua_pop(L, 2);
    return found;
}

/* Puts the items of built-in types into c->items (the others are notes) and
 * the stand-in declaration { types = {}, generators = {NAME = stand-in} }
 * into c->ref_cert. */
static void pick_items(ks_cert *c, const ks_bank *bank, ks_diags *notes)
{
    lua_State *L = cert_lua(c);
    lua_createtable(L, 0, 2);
    lua_newtable(L);
    lua_setfield(L, -2, "types");
    lua_newtable(L);
    for (size_t i = 0; i < bank->count; i++) {
        const ks_item *item = &bank->items[i];
        const ks_node *at = ks_node_get(item->node, "type");
        if (!is_builtin(c, item->type)) {
            ks_diags_add(notes, "%s:%u:%u: item '%s': needs a certification that declares "
                         "question type '%s'", bank->path, at->line, at->col, item->id,
                         item->type);
            continue;
        }
        c->items[c->nitems++] = *item;
        const ks_node *g = ks_node_get(item->node, "generator");
        if (strcmp(item->type, "calculated") != 0 || !g || g->kind != KS_NODE_SCALAR ||
            g->type != KS_SCALAR_STRING)
            continue;
        ks_diags_add(notes, "%s:%u:%u: item '%s': generator '%s': checked only with a "
                     "certification", bank->path, g->line, g->col, item->id, g->text);
        lua_pushcfunction(L, stand_in_generator);
        lua_setfield(L, -2, g->text);
    }
    lua_setfield(L, -2, "generators");
    c->ref_cert = luaL_ref(L, LUA_REGISTRYINDEX);
}

ks_status ks_cert_check_bank(const ks_bank *bank, ks_diags *problems, ks_diags *notes)
{
    ks_cert *c = calloc(1, sizeof *c);
    if (c) {
        c->banks = malloc(sizeof *c->banks);
        c->bank_first = calloc(1, sizeof *c->bank_first);
        c->items = calloc(bank->count + 1, sizeof *c->items);
    }
    ks_error err;
    ks_status rc = c && c->banks && c->bank_first && c->items
                       ? cert_start_sandbox(c, &err)
                       : ks_error_set(&err, KS_EINTERNAL, "out of memory");
    if (rc) {
        ks_diags_add(problems, "%s: %s", bank->path, err.message);
    } else {
        c->banks[0] = (ks_bank *)bank; /* borrowed: not counted in nbanks, so not freed */
        pick_items(c, bank, notes);
        rc = cert_check_items(c, problems);
    }
    ks_cert_free(c);
    return rc;
}
