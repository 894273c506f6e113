/* Certifications: the aids a certification permits (its `aids`
 * declaration, checked by engine/lua/declare.lua), read from the engine's
 * copy of the declaration. See include/kaoshi/cert.h. */
#include "kaoshi/cert.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "lua/cert_impl.h"

void ks_cert_aids_free(ks_cert_aids *aids)
{
    free(aids->calculator);
    for (size_t i = 0; i < aids->nnotes; i++)
        free(aids->notes[i]);
    free(aids->notes);
    memset(aids, 0, sizeof *aids);
}

/* Copies the aids table on top of L (declare.lua's check_aids: calculator,
 * maybe nil, and a list of notes) into out; -1 when out of memory. */
static int copy_aids(lua_State *L, ks_cert_aids *out)
{
    int t = lua_gettop(L), failed = 0;
    if (lua_getfield(L, t, "calculator") == LUA_TSTRING)
        failed |= !(out->calculator = strdup(lua_tostring(L, -1)));
    lua_getfield(L, t, "notes");
    size_t n = (size_t)lua_rawlen(L, -1);
    out->notes = calloc(n ? n : 1, sizeof *out->notes);
    failed |= !out->notes;
    for (size_t i = 0; !failed && i < n; i++, lua_pop(L, 1)) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        failed |= !(out->notes[out->nnotes++] = strdup(lua_tostring(L, -1)));
    }
    lua_settop(L, t);
    return failed ? -1 : 0;
}

json_t *ks_cert_aids_json(const ks_cert_aids *aids)
{
    json_t *notes = json_array();
    for (size_t i = 0; i < aids->nnotes; i++)
        json_array_append_new(notes, json_string(aids->notes[i]));
    return json_pack("{s:s? s:o}", "calculator", aids->calculator, "notes", notes);
}

ks_status ks_cert_aids_get(ks_cert *cert, ks_cert_aids *out, ks_error *err)
{
    memset(out, 0, sizeof *out);
    lua_State *L = cert_lua(cert);
    int top = lua_gettop(L);
    cert_push_ref(cert, cert->ref_cert);
    int declared = lua_getfield(L, -1, "aids") == LUA_TTABLE;
    int failed = declared && copy_aids(L, out) != 0;
    lua_settop(L, top);
    if (failed) {
        ks_cert_aids_free(out);
        return ks_error_set(err, KS_EINTERNAL, "out of memory reading the permitted aids");
    }
    return KS_OK;
}
