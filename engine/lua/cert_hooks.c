/* Certifications: the author API's entry points the exam lifecycle calls on a
 * loaded certification (drawing a form, presenting a question, grading, the
 * retake policy), with forms, answers and results crossing as JSON text. See
 * include/kaoshi/cert.h; loading is in cert.c. */
#include "kaoshi/cert.h"

#include <jansson.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua/cert_impl.h"
#include "lua/ljson.h"
#include "lua/lrng.h"
#include "lua/sandbox.h"
#include "lua/widget.h"

static ks_status push_json_text(lua_State *L, const char *text, const char *what, ks_error *err)
{
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!v)
        return ks_error_set(err, KS_EINPUT, "%s is not valid JSON: %s (column %d)", what,
                            jerr.text, jerr.column);
    ks_ljson_push(L, v);
    json_decref(v);
    return KS_OK;
}

/* Converts the value on top to JSON (popping it) into *out. */
static ks_status pop_json(lua_State *L, const char *what, json_t **out, ks_error *err)
{
    char why[128] = "";
    *out = ks_ljson_to_json(L, -1, why, sizeof why);
    lua_pop(L, 1);
    return *out ? KS_OK : ks_error_set(err, KS_ESCRIPT, "%s cannot be stored: %s", what, why);
}

/* JSON text of v (taking its reference) into *out. */
static ks_status dump_json(json_t *v, char **out, ks_error *err)
{
    *out = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    json_decref(v);
    return *out ? KS_OK : ks_error_set(err, KS_EINTERNAL, "out of memory");
}

/* Converts the value on top to JSON text (popping it). */
static ks_status pop_json_text(lua_State *L, const char *what, char **out, ks_error *err)
{
    json_t *v;
    ks_status rc = pop_json(L, what, &v, err);
    return rc ? rc : dump_json(v, out, err);
}

/* Pushes t[key] of the table at idx without metamethods: what a script made
 * may have any, and host code runs unprotected. */
static int raw_field(lua_State *L, int idx, const char *key)
{
    idx = lua_absindex(L, idx);
    lua_pushstring(L, key);
    return lua_rawget(L, idx);
}

/* Whether field KEY of the table on top has a JSON form; if not, writes
 * "WHAT cannot be stored: WHY" to text. */
static int field_storable(lua_State *L, const char *key, const char *what, char *text,
                          size_t cap)
{
    char why[128] = "";
    raw_field(L, -1, key);
    json_t *v = ks_ljson_to_json(L, -1, why, sizeof why);
    lua_pop(L, 1);
    json_decref(v);
    if (!v)
        snprintf(text, cap, "%s cannot be stored: %s", what, why);
    return v != NULL;
}

/* Pushes the function HOOK of the question type on top (a name, replaced),
 * or nil: the certification's own type of that name, else the built-in one. */
static void push_named_hook(ks_cert *c, const char *hook)
{
    lua_State *L = cert_lua(c);
    int name = lua_gettop(L);
    int found = 0;
    if (lua_type(L, name) == LUA_TSTRING) {
        cert_push_ref(c, c->ref_cert);
        raw_field(L, -1, "types");
        lua_pushvalue(L, name);
        if (lua_type(L, -2) != LUA_TTABLE || lua_rawget(L, -2) != LUA_TTABLE) {
            cert_push_ref(c, c->ref_types); /* not its own: a built-in one */
            lua_pushvalue(L, name);
            lua_rawget(L, -2);
        }
        found = lua_type(L, -1) == LUA_TTABLE && raw_field(L, -1, hook) == LUA_TFUNCTION;
    }
    if (found)
        lua_replace(L, name);
    lua_settop(L, name);
    if (!found) {
        lua_pushnil(L);
        lua_replace(L, name);
    }
}

/* Pushes the function HOOK of the question type of the item (a table) at
 * idx, or nil. */
static void push_type_hook(ks_cert *c, int item, const char *hook)
{
    raw_field(cert_lua(c), item, "type");
    push_named_hook(c, hook);
}

int ks_cert_hook_at(ks_cert *c, const char *type, const char *hook, char *buf, size_t cap)
{
    lua_State *L = cert_lua(c);
    lua_pushstring(L, type);
    push_named_hook(c, hook);
    int placed = ks_sandbox_defined_at(L, -1, buf, cap);
    lua_pop(L, 1);
    return placed;
}

/* Pushes the generator of the certification that the item at idx names and
 * writes "generator 'NAME'" to label; pushes nothing and returns 0 when it
 * names none. */
static int push_generator(ks_cert *c, int item, char *label, size_t cap)
{
    lua_State *L = cert_lua(c);
    item = lua_absindex(L, item);
    int top = lua_gettop(L);
    cert_push_ref(c, c->ref_cert);
    int found = raw_field(L, top + 1, "generators") == LUA_TTABLE &&
                raw_field(L, item, "generator") == LUA_TSTRING;
    char name[128] = "";
    if (found) {
        snprintf(name, sizeof name, "%s", lua_tostring(L, top + 3));
        found = lua_rawget(L, top + 2) == LUA_TFUNCTION;
    }
    if (found) {
        snprintf(label, cap, "generator '%s'", name);
        lua_replace(L, top + 1);
    }
    lua_settop(L, top + found);
    return found;
}

/* Sets err to "FILE:LINE: HOOK of question N (item 'ID', type 'TYPE'): TEXT"
 * for the item at idx; HOOK, the function on top (popped), made a value the
 * engine cannot use, and FILE:LINE is where a script defines it. */
static void hook_error(ks_cert *c, int item, const char *hook, size_t slot, const char *text,
                       ks_error *err)
{
    lua_State *L = cert_lua(c);
    item = lua_absindex(L, item);
    char at[96];
    int placed = ks_sandbox_defined_at(L, -1, at, sizeof at);
    raw_field(L, item, "id");
    raw_field(L, item, "type");
    ks_error_set(err, KS_ESCRIPT, "%s%s%s of question %zu (item '%s', type '%s'): %s", at,
                 placed ? ": " : "", hook, slot + 1,
                 lua_tostring(L, -2) ? lua_tostring(L, -2) : "?",
                 lua_tostring(L, -1) ? lua_tostring(L, -1) : "?", text);
    lua_pop(L, 3);
}

/* For the form on top, which no JSON can hold: names in err the first slot
 * whose data cannot be stored and who made them, the type's prepare() or,
 * for a built-in type, the generator the item names. Leaves err as it is
 * when no slot's data are to blame. */
static void name_form_hook(ks_cert *c, ks_error *err)
{
    lua_State *L = cert_lua(c);
    int top = lua_gettop(L);
    char text[192], hook[160] = "prepare()", at[96];
    raw_field(L, -1, "slots");
    size_t n = lua_rawlen(L, -1), i = 1;
    for (; i <= n; i++) {
        lua_rawgeti(L, top + 1, (lua_Integer)i);
        if (!field_storable(L, "data", "its data", text, sizeof text))
            break;
        lua_pop(L, 1);
    }
    if (i <= n) { /* slots slot */
        cert_push_ref(c, c->ref_by_id);
        raw_field(L, top + 2, "id");
        if (lua_rawget(L, -2) == LUA_TTABLE) { /* the item */
            push_type_hook(c, -1, "prepare");
            if (!ks_sandbox_defined_at(L, -1, at, sizeof at) &&
                push_generator(c, -2, hook, sizeof hook))
                lua_remove(L, -2);
            hook_error(c, -2, hook, i - 1, text, err);
        }
    }
    lua_settop(L, top);
}

static ks_status present(ks_cert *c, const char *form_json, size_t slot, int with_key,
                         int fresh, char **view_json, ks_error *err);

/* The view of question slot of a form (a new reference in *view),
 * presented in the state as it is. */
static ks_status view_of(ks_cert *c, const char *form_json, size_t slot, json_t **view,
                         ks_error *err)
{
    char *text = NULL;
    ks_status rc = present(c, form_json, slot, 0, 0, &text, err);
    *view = rc ? NULL : json_loads(text, 0, NULL);
    free(text);
    return rc || *view ? rc : ks_error_set(err, KS_EINTERNAL, "out of memory");
}

/* Presents every question of the new form (so that a failing present()
 * stops the start, before any clock runs) and keeps with each slot the shape
 * its answers must have, for ks_cert_check_response. */
static ks_status keep_shapes(ks_cert *c, char **form_json, ks_error *err)
{
    json_t *form = json_loads(*form_json, 0, NULL), *slot;
    size_t i;
    ks_status rc = form ? KS_OK : ks_error_set(err, KS_EINTERNAL, "a form does not read back");
    json_array_foreach(json_object_get(form, "slots"), i, slot) {
        json_t *view;
        if ((rc = view_of(c, *form_json, i, &view, err)))
            break;
        json_object_set_new(slot, "shape", ks_widget_shape(view));
        json_decref(view);
    }
    char *text = rc ? NULL : json_dumps(form, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(form);
    if (!rc && !text)
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    if (!rc) {
        free(*form_json);
        *form_json = text;
    }
    return rc;
}

/* Turns the form a hook drew (on top, popped) into JSON text, naming the
 * hook whose data no JSON can hold, and keeps its shapes. */
static ks_status keep_form(ks_cert *c, char **form_json, ks_error *err)
{
    lua_State *L = cert_lua(c);
    lua_pushvalue(L, -1);
    ks_status rc = pop_json_text(L, "the form", form_json, err);
    if (rc == KS_ESCRIPT && err)
        name_form_hook(c, err);
    lua_pop(L, 1);
    if (rc == KS_OK && (rc = keep_shapes(c, form_json, err))) {
        free(*form_json);
        *form_json = NULL;
    }
    return rc;
}

ks_status ks_cert_build_form(ks_cert *c, uint64_t seed, const char *const *seen, size_t nseen,
                             char **form_json, ks_error *err)
{
    lua_State *L = cert_lua(c);
    ks_status rc = cert_fresh(c, err);
    if (rc)
        return rc;
    cert_push_entry(c, "build_form");
    cert_push_ref(c, c->ref_cert);
    cert_push_ref(c, c->ref_items);
    cert_push_ref(c, c->ref_pools);
    lua_createtable(L, 0, (int)nseen);
    for (size_t i = 0; i < nseen; i++) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, seen[i]);
    }
    ks_lrng_push(L, seed);
    rc = ks_sandbox_call(c->sb, 5, 1, "drawing a form", err);
    if (rc)
        return rc;
    char seedtext[32];
    snprintf(seedtext, sizeof seedtext, "%llu", (unsigned long long)seed);
    lua_pushstring(L, seedtext);
    lua_setfield(L, -2, "seed");
    return keep_form(c, form_json, err);
}

ks_status ks_cert_form_ids(const char *form_json, char ***ids, size_t *n, ks_error *err)
{
    json_t *form = json_loads(form_json, 0, NULL);
    json_t *slots = json_object_get(form, "slots");
    if (!json_is_array(slots)) {
        json_decref(form);
        return ks_error_set(err, KS_EINTERNAL, "a stored form has no slots");
    }
    size_t count = json_array_size(slots);
    char **out = calloc(count + 1, sizeof *out);
    size_t copied = 0;
    for (; out && copied < count; copied++) {
        const char *id =
            json_string_value(json_object_get(json_array_get(slots, copied), "id"));
        if (!(out[copied] = strdup(id ? id : "")))
            break;
    }
    json_decref(form);
    if (!out || copied < count) {
        ks_cert_free_ids(out, copied);
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    *ids = out;
    *n = count;
    return KS_OK;
}

void ks_cert_free_ids(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

/* The form parsed into *form (borrowed from c), from the one-form cache. */
static ks_status parsed_form(ks_cert *c, const char *form_json, int fresh, json_t **form,
                             ks_error *err)
{
    if (c->form && strcmp(c->form_text, form_json) == 0) {
        *form = c->form;
        return KS_OK;
    }
    ks_status rc = fresh ? cert_fresh(c, err) : KS_OK; /* another attempt's form */
    if (rc)
        return rc;
    json_error_t jerr;
    json_t *v = json_loads(form_json, 0, &jerr);
    if (!v)
        return ks_error_set(err, KS_EINPUT, "the form is not valid JSON: %s (column %d)",
                            jerr.text, jerr.column);
    char *copy = strdup(form_json);
    if (!copy) {
        json_decref(v);
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    free(c->form_text);
    json_decref(c->form);
    c->form_text = copy;
    c->form = v;
    *form = v;
    return KS_OK;
}

/* Pushes slots[slot] of the form and the item it holds; KS_EINPUT if none.
 * With fresh, a form other than the last one's gets a fresh state. */
static ks_status push_slot(ks_cert *c, const char *form_json, size_t slot, int fresh,
                           ks_error *err)
{
    lua_State *L = cert_lua(c);
    json_t *form = NULL;
    ks_status rc = parsed_form(c, form_json, fresh, &form, err);
    if (rc)
        return rc;
    json_t *entry = json_array_get(json_object_get(form, "slots"), slot);
    if (!json_is_object(entry))
        return ks_error_set(err, KS_EINPUT, "question %zu does not exist on this form", slot + 1);
    ks_ljson_push(L, entry);
    lua_getfield(L, -1, "id");
    cert_push_ref(c, c->ref_by_id);
    lua_rotate(L, -2, 1);
    lua_gettable(L, -2);
    lua_remove(L, -2);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 2);
        return ks_error_set(err, KS_EINTERNAL, "a form names an item the bank lacks");
    }
    return KS_OK;
}

/* ks_cert_present; with fresh, in a fresh state when the form is not the
 * last one's. */
static ks_status present(ks_cert *c, const char *form_json, size_t slot, int with_key,
                         int fresh, char **view_json, ks_error *err)
{
    lua_State *L = cert_lua(c);
    ks_status rc = push_slot(c, form_json, slot, fresh, err); /* slot, item */
    if (rc)
        return rc;
    cert_push_entry(c, "present");
    cert_push_ref(c, c->ref_cert);
    lua_pushvalue(L, -3);
    lua_pushvalue(L, -5);
    lua_pushboolean(L, with_key);
    if ((rc = ks_sandbox_call(c->sb, 4, 1, "present()", err))) {
        lua_pop(L, 2);
        return rc;
    }
    lua_pushvalue(L, -1);
    json_t *view = NULL;
    rc = pop_json(L, "its view", &view, err); /* slot item view */
    char text[sizeof err->message];
    if (rc == KS_ESCRIPT && err) { /* say whose view: the hook, the item, its type */
        snprintf(text, sizeof text, "%s", err->message);
        int by_reveal = with_key && !field_storable(L, "key", "its key", text, sizeof text);
        push_type_hook(c, -2, by_reveal ? "reveal" : "present");
        hook_error(c, -3, by_reveal ? "reveal()" : "present()", slot, text, err);
    } else if (rc == KS_OK && ks_widget_check_view(view, text, sizeof text)) {
        json_decref(view);
        push_type_hook(c, -2, "present");
        hook_error(c, -3, "present()", slot, text, err);
        rc = KS_ESCRIPT;
    } else if (rc == KS_OK) {
        rc = dump_json(view, view_json, err);
    }
    lua_pop(L, 3);
    return rc;
}

ks_status ks_cert_grade(ks_cert *c, const char *form_json, const char *const *responses,
                        const double *marks, size_t nslots, char **result_json,
                        double *score, double *max_score, int *passed, ks_error *err)
{
    lua_State *L = cert_lua(c);
    int top = lua_gettop(L);
    ks_status rc = cert_fresh(c, err);
    if (rc)
        return rc;
    cert_push_entry(c, "grade");
    cert_push_ref(c, c->ref_cert);
    rc = push_json_text(L, form_json, "the form", err);
    if (rc) {
        lua_settop(L, top);
        return rc;
    }
    cert_push_ref(c, c->ref_by_id);
    lua_createtable(L, 0, (int)nslots);
    lua_createtable(L, 0, 0);
    for (size_t i = 0; i < nslots; i++) {
        /* an answer withdrawn ({}, canonical) is no answer */
        if (responses[i] && strcmp(responses[i], "{}") != 0) {
            if (push_json_text(L, responses[i], "a saved answer", err) == KS_OK)
                lua_rawseti(L, -3, (lua_Integer)i + 1);
        }
        if (marks && marks[i] >= 0) {
            lua_pushnumber(L, marks[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
    }
    if ((rc = ks_sandbox_call(c->sb, 5, 1, "grading", err))) {
        lua_settop(L, top);
        return rc;
    }
    *score = cert_num_field(L, -1, "score", 0);
    *max_score = cert_num_field(L, -1, "max_score", 0);
    lua_getfield(L, -1, "passed");
    *passed = lua_isboolean(L, -1) ? lua_toboolean(L, -1) : -1;
    lua_pop(L, 1);
    return pop_json_text(L, "a result", result_json, err);
}

ks_status ks_cert_may_start(ks_cert *c, const char *history_json, int64_t now_ms,
                            int *allowed, char **reason, ks_error *err)
{
    lua_State *L = cert_lua(c);
    ks_status rc = cert_fresh(c, err);
    if (rc)
        return rc;
    cert_push_entry(c, "may_start");
    cert_push_ref(c, c->ref_cert);
    rc = push_json_text(L, history_json, "the attempt history", err);
    if (rc) {
        lua_pop(L, 2);
        return rc;
    }
    lua_pushinteger(L, (lua_Integer)now_ms);
    if ((rc = ks_sandbox_call(c->sb, 3, 2, "retake()", err)))
        return rc;
    int may = lua_toboolean(L, -2);
    char *why = lua_isstring(L, -1) ? strdup(lua_tostring(L, -1)) : NULL;
    int lost = lua_isstring(L, -1) && !why;
    lua_pop(L, 2);
    if (lost)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    *allowed = may;
    *reason = why;
    return KS_OK;
}

/* What presenting one question gave ks_cert_present_slots: {shape,
 * places} of its view, or {error} (its failure's message). */
static json_t *presented(const json_t *view, ks_status rc, const ks_error *why)
{
    if (!rc)
        return json_pack("{so? so}", "shape", ks_widget_shape(view), "places",
                         ks_widget_places(view));
    json_t *failed = json_pack("{ss}", "error", why->message);
    return failed ? failed
                  : json_pack("{ss}", "error", "present() failed (its message is not UTF-8)");
}

ks_status ks_cert_present_slots(ks_cert *c, const char *const *forms, const size_t *slots,
                                size_t n, char **out_json, ks_error *err)
{
    ks_status rc = cert_fresh(c, err);
    json_t *out = json_array();
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *view = NULL;
        ks_error why;
        ks_status got = view_of(c, forms[i], slots[i], &view, &why);
        if (got && got != KS_ESCRIPT)
            rc = ks_error_set(err, got, "%s", why.message);
        else if (json_array_append_new(out, presented(view, got, &why)))
            rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
        else if (got) /* the next question starts afresh */
            rc = cert_fresh(c, err);
        json_decref(view);
    }
    if (rc) {
        json_decref(out);
        return rc;
    }
    return dump_json(out, out_json, err);
}

ks_status ks_cert_present(ks_cert *c, const char *form_json, size_t slot, int with_key,
                          char **view_json, ks_error *err)
{
    /* a form is presented from its first question on: each presentation
     * starts from the state after loading, even of the same form */
    ks_status rc = slot == 0 ? cert_fresh(c, err) : KS_OK;
    return rc ? rc : present(c, form_json, slot, with_key, slot != 0, view_json, err);
}

/* Just past the JSON value at p (text up to end), or NULL: a string with
 * its escapes, an array or object by its brackets, a scalar up to the next
 * delimiter. For stepping over the values of a form this engine wrote
 * (jansson's output), not for reading them. */
static const char *past_value(const char *p, const char *end)
{
    int depth = 0;
    do {
        if (p >= end)
            return NULL;
        char ch = *p++;
        if (ch == '"') {
            while (p < end && *p != '"')
                p += *p == '\\' ? 2 : 1;
            if (p++ >= end)
                return NULL;
        } else if (ch == '[' || ch == '{') {
            depth++;
        } else if (ch == ']' || ch == '}') {
            depth--;
        } else if (depth == 0) {
            while (p < end && *p != ',' && *p != ']' && *p != '}')
                p++;
        }
    } while (depth > 0);
    return p;
}

/* Slot `slot` of a form (compact JSON, as ks_cert_build_form writes it),
 * parsed alone: a save checks its answer against one slot's shape, and
 * parsing a whole form with its generated data cost more than the save.
 * NULL when the text is not laid out as expected. */
static json_t *form_slot(const char *form_json, size_t slot)
{
    const char *p = form_json, *end = form_json + strlen(form_json);
    if (*p++ != '{')
        return NULL;
    while (p && p < end && *p == '"') { /* the members: "key":value */
        int slots = strncmp(p, "\"slots\":[", 9) == 0;
        if ((p = past_value(p, end)) == NULL || *p++ != ':')
            return NULL;
        if (slots) {
            p++; /* the '[' */
            for (size_t i = 0; p && i < slot; i++)
                p = (p = past_value(p, end)) && *p == ',' ? p + 1 : NULL;
            return p ? json_loadb(p, (size_t)(end - p), JSON_DISABLE_EOF_CHECK, NULL) : NULL;
        }
        if ((p = past_value(p, end)) && *p == ',')
            p++;
    }
    return NULL;
}

ks_status ks_cert_check_response(const char *form_json, size_t slot, const char *response_json,
                                 ks_error *err)
{
    json_t *entry = form_slot(form_json, slot), *form = NULL;
    if (!json_is_object(entry)) { /* not as expected: read the whole form */
        json_decref(entry);
        form = json_loads(form_json, 0, NULL);
        entry = json_incref(json_array_get(json_object_get(form, "slots"), slot));
    }
    json_t *response = json_loads(response_json, 0, NULL);
    char why[512];
    ks_status rc = KS_OK;
    if (json_is_object(response) &&
        ks_widget_check_response(json_object_get(entry, "shape"), response, why, sizeof why))
        rc = ks_error_set(err, KS_EINPUT, "the answer to question %zu: %s", slot + 1, why);
    json_decref(response);
    json_decref(entry);
    json_decref(form);
    return rc;
}

ks_status ks_cert_trial_form(ks_cert *c, size_t item, uint64_t seed, char **form_json,
                             ks_error *err)
{
    lua_State *L = cert_lua(c);
    ks_status rc = cert_fresh(c, err);
    if (rc)
        return rc;
    cert_push_entry(c, "trial_form");
    cert_push_ref(c, c->ref_cert);
    cert_push_ref(c, c->ref_items);
    lua_pushinteger(L, (lua_Integer)item + 1);
    ks_lrng_push(L, seed);
    rc = ks_sandbox_call(c->sb, 4, 1, "prepare()", err);
    if (rc)
        return rc;
    return keep_form(c, form_json, err);
}

/* Calls entry[name](cert, item, slot, extra...) for slot of the form, with
 * nextra arguments already on the stack; leaves nresults. */
static ks_status call_on_slot(ks_cert *c, const char *name, const char *form_json, size_t slot,
                              int nextra, int nresults, const char *what, ks_error *err)
{
    lua_State *L = cert_lua(c);
    int base = lua_gettop(L) - nextra;
    ks_status rc = push_slot(c, form_json, slot, 1, err); /* extra... slot item */
    if (rc) {
        lua_settop(L, base);
        return rc;
    }
    cert_push_entry(c, name);
    cert_push_ref(c, c->ref_cert);
    lua_pushvalue(L, -3); /* item */
    lua_pushvalue(L, -5); /* slot */
    for (int i = 1; i <= nextra; i++)
        lua_pushvalue(L, base + i);
    rc = ks_sandbox_call(c->sb, 3 + nextra, nresults, what, err);
    int results = rc ? 0 : nresults;
    lua_rotate(L, base + 1, results); /* results first */
    lua_settop(L, base + results);
    return rc;
}

ks_status ks_cert_solve(ks_cert *c, const char *form_json, size_t slot, char **response_json,
                        char **why, ks_error *err)
{
    lua_State *L = cert_lua(c);
    *response_json = NULL;
    *why = NULL;
    ks_status rc = call_on_slot(c, "solve", form_json, slot, 0, 2, "solve()", err);
    if (rc)
        return rc;
    if (lua_isnil(L, -2)) {
        *why = strdup(lua_isstring(L, -1) ? lua_tostring(L, -1) : "no response");
        lua_pop(L, 2);
        return *why ? KS_OK : ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    lua_pop(L, 1);
    return pop_json_text(L, "solve()'s response", response_json, err);
}

ks_status ks_cert_samples(ks_cert *c, const char *form_json, size_t slot, uint64_t seed,
                          char **list_json, ks_error *err)
{
    ks_lrng_push(cert_lua(c), seed);
    ks_status rc = call_on_slot(c, "samples", form_json, slot, 1, 1, "present()", err);
    return rc ? rc : pop_json_text(cert_lua(c), "the sample responses", list_json, err);
}
