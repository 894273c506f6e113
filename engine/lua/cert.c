/* Certifications: loading one. Loads the author API (engine/lua/author.lua,
 * types.lua) and the script into a sandbox, parses the banks the script
 * names, checks every item and pool; the entry points the lifecycle then
 * calls are in cert_hooks.c. See include/kaoshi/cert.h. */
#include "kaoshi/cert.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/declscan.h"
#include "kaoshi/bank.h"
#include "kaoshi/clock.h"
#include "kaoshi/draw.h"
#include "lua/cert_impl.h"
#include "lua/embedded.h"
#include "lua/lchart.h"
#include "lua/lrng.h"
#include "lua/lscore.h"
#include "lua/lstats.h"
#include "lua/sandbox.h"

#define CHECK_CHUNK 500 /* items checked per protected call */
#define CHECK_SEED 1    /* seeds the generator handed to checks for trial runs */

/* ---- helpers --------------------------------------------------------------- */

lua_State *cert_lua(ks_cert *c) { return ks_sandbox_lua(c->sb); }

void cert_push_ref(ks_cert *c, int ref) { lua_rawgeti(cert_lua(c), LUA_REGISTRYINDEX, ref); }

void cert_push_entry(ks_cert *c, const char *name)
{
    cert_push_ref(c, c->ref_entry);
    lua_getfield(cert_lua(c), -1, name);
    lua_remove(cert_lua(c), -2);
}

double cert_num_field(lua_State *L, int idx, const char *key, double dflt)
{
    lua_getfield(L, idx, key);
    double v = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : dflt;
    lua_pop(L, 1);
    return v;
}

/* A copy of s (NULL read as "") that lives as long as c; NULL, with
 * c->out_of_memory set, when out of memory. */
static const char *keep(ks_cert *c, const char *s)
{
    char **grown = realloc(c->strings, (c->nstrings + 1) * sizeof *grown);
    char *copy = grown ? strdup(s ? s : "") : NULL;
    if (grown)
        c->strings = grown;
    if (!copy) {
        c->out_of_memory = 1;
        return NULL;
    }
    c->strings[c->nstrings++] = copy;
    return copy;
}

/* ---- the `kaoshi` module: small engine services for scripts ---------------- */

static int l_duration_ms(lua_State *L)
{
    int64_t ms;
    if (ks_duration_parse(luaL_checkstring(L, 1), &ms) != 0)
        return 0;
    lua_pushinteger(L, (lua_Integer)ms);
    return 1;
}

static const luaL_Reg kaoshi_functions[] = {
    {"duration_ms", l_duration_ms},
    {NULL, NULL},
};

/* ---- loading ----------------------------------------------------------------- */

static ks_status module_loader(void *ud, const char *name, const char **text, size_t *len,
                               const char **chunkname, ks_error *err)
{
    ks_cert *c = ud;
    char path[300];
    snprintf(path, sizeof path, "scripts/lib/%s.lua", name);
    for (char *p = path + strlen("scripts/lib/"); *p; p++)
        if (*p == '.' && strcmp(p, ".lua") != 0)
            *p = '/';
    const ks_source *src;
    ks_status rc = ks_fileset_read(c->fs, path, "module", &src, err);
    if (rc)
        return rc;
    *text = src->content;
    *len = src->len;
    *chunkname = src->path;
    return KS_OK;
}

/* Runs an embedded Lua file with nargs arguments below it; leaves one result. */
static ks_status run_embedded(ks_cert *c, const char *name, int nargs, ks_error *err)
{
    for (const ks_embedded_file *f = ks_embedded_lua; f->name; f++) {
        if (strcmp(f->name, name) != 0)
            continue;
        ks_status rc = ks_sandbox_load(c->sb, f->chunkname + 1, f->text, f->len, err);
        if (rc) {
            lua_pop(cert_lua(c), nargs);
            return rc;
        }
        lua_insert(cert_lua(c), -1 - nargs);
        return ks_sandbox_call(c->sb, nargs, 1, name, err);
    }
    lua_pop(cert_lua(c), nargs);
    return ks_error_set(err, KS_EINTERNAL, "embedded Lua file '%s' is missing", name);
}

ks_status cert_start_sandbox(ks_cert *c, ks_error *err)
{
    c->sb = ks_sandbox_new(NULL, err);
    if (!c->sb)
        return KS_EINTERNAL;
    lua_State *L = cert_lua(c);
    ks_sandbox_set_loader(c->sb, module_loader, c);
    /* one namespace, kaoshi.*, and the short names score, stats and chart */
    luaL_newlib(L, kaoshi_functions);
    static const struct {
        const char *name;
        int (*open)(lua_State *);
    } modules[] = {{"score", luaopen_score}, {"stats", luaopen_stats}, {"chart", luaopen_chart}};
    for (size_t i = 0; i < sizeof modules / sizeof *modules; i++) {
        modules[i].open(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, modules[i].name);
        ks_sandbox_set_global(c->sb, modules[i].name);
    }
    ks_sandbox_set_global(c->sb, "kaoshi");
    ks_status rc = run_embedded(c, "author", 0, err);
    if (rc)
        return rc;
    lua_getfield(L, -1, "entry");
    c->ref_entry = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_getfield(L, -1, "builtins");
    c->ref_types = luaL_ref(L, LUA_REGISTRYINDEX);
    static const char *const after_author[] = {"types", "balance", "declare", "exercise", NULL};
    for (const char *const *file = after_author; *file; file++) {
        lua_pushvalue(L, -1);
        if ((rc = run_embedded(c, *file, 1, err))) {
            lua_pop(L, 1);
            return rc;
        }
        lua_pop(L, 1);
    }
    lua_getfield(L, -1, "certification");
    ks_sandbox_set_global(c->sb, "certification");
    lua_pop(L, 1);
    return KS_OK;
}

static int opt_int_field(lua_State *L, int idx, const char *key, int dflt)
{
    lua_getfield(L, idx, key);
    int v = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : dflt;
    lua_pop(L, 1);
    return v;
}

static const char *str_field(ks_cert *c, int idx, const char *key)
{
    lua_State *L = cert_lua(c);
    lua_getfield(L, idx, key);
    const char *v = lua_type(L, -1) == LUA_TSTRING ? keep(c, lua_tostring(L, -1)) : NULL;
    lua_pop(L, 1);
    return v;
}

static int minutes_of(const char *hhmm) { return atoi(hhmm) * 60 + atoi(hhmm + 3); }

/* Reads measure `name` of the balance table at idx: its target and
 * tolerance, left 0 when the balance does not name it. */
static void read_balance(lua_State *L, int idx, const char *name, double *target, double *within)
{
    lua_getfield(L, idx, name);
    if (lua_istable(L, -1)) {
        *target = cert_num_field(L, lua_gettop(L), "target", 0);
        *within = cert_num_field(L, lua_gettop(L), "within", 0);
    }
    lua_pop(L, 1);
}

/* Reads the declaration table on top of the stack into c->info;
 * KS_EINTERNAL when out of memory. */
static ks_status read_info(ks_cert *c)
{
    lua_State *L = cert_lua(c);
    int t = lua_gettop(L);
    ks_cert_info *in = &c->info;
    in->code = str_field(c, t, "code");
    in->title = str_field(c, t, "title");
    in->review = str_field(c, t, "review");
    in->timezone = str_field(c, t, "timezone");
    in->duration_ms = (int64_t)cert_num_field(L, t, "duration_ms", 0);
    in->grace_ms = (int64_t)cert_num_field(L, t, "grace_ms", 0);
    in->attempts = opt_int_field(L, t, "attempts", 1);
    in->retake_wait_ms = (int64_t)cert_num_field(L, t, "retake_wait_ms", 0);
    in->max_score = cert_num_field(L, t, "max_score", 0);
    in->pass_mark = cert_num_field(L, t, "pass_mark", -1);
    lua_getfield(L, t, "balance");
    if (lua_istable(L, -1)) {
        read_balance(L, lua_gettop(L), "difficulty", &in->balance_difficulty,
                     &in->balance_difficulty_within);
        read_balance(L, lua_gettop(L), "angoff", &in->balance_angoff,
                     &in->balance_angoff_within);
    }
    lua_pop(L, 1);
    const char *opens = NULL, *closes = NULL;
    lua_getfield(L, t, "window");
    if (lua_istable(L, -1)) {
        in->has_window = 1;
        opens = str_field(c, lua_gettop(L), "opens");
        closes = str_field(c, lua_gettop(L), "closes");
    }
    lua_pop(L, 1);
    lua_getfield(L, t, "certificate");
    if (lua_istable(L, -1)) {
        int ct = lua_gettop(L);
        in->cert_title = str_field(c, ct, "title");
        in->cert_role = str_field(c, ct, "role");
        in->cert_series = str_field(c, ct, "series");
        in->cert_issuer = str_field(c, ct, "issuer");
    }
    lua_pop(L, 1);
    lua_getfield(L, t, "sections");
    size_t n = (size_t)luaL_len(L, -1);
    c->sections = calloc(n ? n : 1, sizeof *c->sections);
    for (size_t i = 0; c->sections && i < n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        int s = lua_gettop(L);
        c->sections[i].title = str_field(c, s, "title");
        c->sections[i].pick = opt_int_field(L, s, "pick", 0);
        c->sections[i].points = cert_num_field(L, s, "points", 0);
        c->sections[i].min_percent = cert_num_field(L, s, "min_percent", -1);
        c->sections[i].min_points = cert_num_field(L, s, "min_points", -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (!c->sections || c->out_of_memory)
        return KS_EINTERNAL;
    in->nsections = n;
    in->sections = c->sections;
    const char *tz = in->timezone;
    in->tz_offset_min = (tz[0] == '-' ? -1 : 1) * (atoi(tz + 1) * 60 + atoi(tz + 4));
    if (in->has_window) {
        in->window_opens_min = minutes_of(opens);
        in->window_closes_min = minutes_of(closes);
    }
    return KS_OK;
}

/* Pushes a bank node as a plain Lua value. */
static void push_node(lua_State *L, const ks_node *n)
{
    luaL_checkstack(L, 3, "bank nested too deep");
    switch (n->kind) {
    case KS_NODE_SCALAR:
        switch (n->type) {
        case KS_SCALAR_NULL: lua_pushnil(L); break;
        case KS_SCALAR_BOOL: lua_pushboolean(L, (int)n->ival); break;
        case KS_SCALAR_INT: lua_pushinteger(L, (lua_Integer)n->ival); break;
        case KS_SCALAR_FLOAT: lua_pushnumber(L, n->fval); break;
        case KS_SCALAR_STRING: lua_pushlstring(L, n->text, n->len); break;
        }
        break;
    case KS_NODE_SEQ:
        lua_createtable(L, (int)n->count, 0);
        for (size_t i = 0; i < n->count; i++) {
            push_node(L, n->items[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    case KS_NODE_MAP:
        lua_createtable(L, 0, (int)n->count);
        for (size_t i = 0; i < n->count; i++) {
            push_node(L, n->items[i]);
            lua_setfield(L, -2, n->keys[i]->text);
        }
        break;
    }
}

const ks_bank *cert_bank_of(const ks_cert *c, size_t item)
{
    size_t b = 0;
    while (b + 1 < c->nbanks && c->bank_first[b + 1] <= item)
        b++;
    return c->banks[b];
}

static ks_status load_banks(ks_cert *c, ks_diags *diags)
{
    lua_State *L = cert_lua(c);
    cert_push_ref(c, c->ref_cert);
    lua_getfield(L, -1, "banks");
    size_t n = (size_t)luaL_len(L, -1);
    c->banks = calloc(n, sizeof *c->banks);
    c->bank_first = calloc(n, sizeof *c->bank_first);
    if (!c->banks || !c->bank_first) {
        lua_pop(L, 2);
        return KS_EINTERNAL;
    }
    ks_status status = KS_OK;
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        char path[300];
        snprintf(path, sizeof path, "banks/%s.yaml", lua_tostring(L, -1));
        lua_pop(L, 1);
        const ks_source *src;
        ks_error err;
        if (ks_fileset_read(c->fs, path, "bank", &src, &err)) {
            ks_diags_add(diags, "%s: certification: 'banks': %s", c->script_path, err.message);
            status = KS_EINPUT;
            continue;
        }
        ks_bank *bank;
        if (ks_bank_parse(src->path, src->content, src->len, &bank, diags)) {
            status = KS_EINPUT;
            continue;
        }
        c->banks[c->nbanks++] = bank;
    }
    lua_pop(L, 2);
    if (status)
        return status;
    size_t total = 0;
    for (size_t b = 0; b < c->nbanks; b++)
        total += c->banks[b]->count;
    c->items = calloc(total ? total : 1, sizeof *c->items);
    if (!c->items)
        return KS_EINTERNAL;
    for (size_t b = 0; b < c->nbanks; b++) {
        c->bank_first[b] = c->nitems;
        for (size_t i = 0; i < c->banks[b]->count; i++) {
            const ks_item *item = &c->banks[b]->items[i];
            for (size_t e = 0; e < c->bank_first[b]; e++) {
                if (strcmp(c->items[e].id, item->id) == 0) {
                    ks_diags_add(diags, "%s:%u:%u: item '%s': duplicate id; also in %s",
                                 c->banks[b]->path, item->node->line, item->node->col,
                                 item->id, cert_bank_of(c, e)->path);
                    status = KS_EINPUT;
                }
            }
            c->items[c->nitems++] = *item;
        }
    }
    c->info.nitems = c->nitems;
    return status;
}

/* Pushes every item into Lua (a list and an id -> item map) and checks each
 * against its question type, with the declaration (for the generators items
 * name) and a generator seeded with CHECK_SEED for trial runs. */
ks_status cert_check_items(ks_cert *c, ks_diags *diags)
{
    lua_State *L = cert_lua(c);
    lua_createtable(L, (int)c->nitems, 0);
    lua_createtable(L, 0, (int)c->nitems);
    for (size_t i = 0; i < c->nitems; i++) {
        push_node(L, c->items[i].node);
        /* the id as written: "2" stays text, so forms find the item by it */
        lua_pushstring(L, c->items[i].id);
        lua_setfield(L, -2, "id");
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, c->items[i].id);
        lua_rawseti(L, -3, (lua_Integer)i + 1);
    }
    c->ref_by_id = luaL_ref(L, LUA_REGISTRYINDEX);
    c->ref_items = luaL_ref(L, LUA_REGISTRYINDEX);
    ks_status status = KS_OK;
    for (size_t first = 0; first < c->nitems; first += CHECK_CHUNK) {
        size_t last = first + CHECK_CHUNK < c->nitems ? first + CHECK_CHUNK : c->nitems;
        cert_push_entry(c, "check_items");
        lua_createtable(L, (int)(last - first), 0);
        cert_push_ref(c, c->ref_items);
        for (size_t i = first; i < last; i++) {
            lua_rawgeti(L, -1, (lua_Integer)i + 1);
            lua_rawseti(L, -3, (lua_Integer)(i - first) + 1);
        }
        lua_pop(L, 1);
        cert_push_ref(c, c->ref_cert);
        ks_lrng_push(L, CHECK_SEED);
        ks_error err;
        if (ks_sandbox_call(c->sb, 3, 1, "checking items", &err)) {
            ks_diags_add(diags, "%s", err.message);
            return KS_ESCRIPT;
        }
        size_t np = (size_t)luaL_len(L, -1);
        for (size_t p = 1; p <= np; p++) {
            lua_rawgeti(L, -1, (lua_Integer)p);
            int t = lua_gettop(L);
            size_t index = first + (size_t)opt_int_field(L, t, "index", 1) - 1;
            const ks_item *item = &c->items[index];
            const char *path = cert_bank_of(c, index)->path;
            lua_getfield(L, t, "field");
            const char *field = lua_tostring(L, -1);
            lua_getfield(L, t, "expected");
            const char *expected = lua_tostring(L, -1);
            lua_getfield(L, t, "unknown");
            const char *unknown = lua_tostring(L, -1);
            lua_getfield(L, t, "missing");
            int missing = lua_toboolean(L, -1);
            const ks_node *at = item->node;
            if (unknown) {
                at = ks_node_key(item->node, field);
                ks_diags_add(diags, "%s:%u:%u: item '%s': unknown field '%s'; expected one of: %s",
                             path, at->line, at->col, item->id, field, unknown);
            } else if (missing) {
                ks_diags_add(diags, "%s:%u:%u: item '%s': field '%s': missing, expected %s",
                             path, at->line, at->col, item->id, field, expected);
            } else {
                const ks_node *value = ks_node_get(item->node, field);
                char found[96];
                ks_node_describe(value, found, sizeof found);
                if (value)
                    at = value;
                ks_diags_add(diags, "%s:%u:%u: item '%s': field '%s': expected %s, found %s",
                             path, at->line, at->col, item->id, field, expected, found);
            }
            lua_pop(L, 5);
            status = KS_EINPUT;
        }
        lua_pop(L, 1);
    }
    return status;
}

/* The draw rules of section i in words, e.g. "chapter 2, topic \"业务量预测\"". */
static const char *describe_rules(ks_cert *c, const ks_draw_filter *f, const char *bank)
{
    char buf[512] = "";
    size_t n = 0;
#define ADD(...) n += (size_t)snprintf(buf + n, n < sizeof buf ? sizeof buf - n : 0, __VA_ARGS__)
    if (bank)
        ADD("%sbank %s", n ? ", " : "", bank);
    if (f->chapter)
        ADD("%schapter %d", n ? ", " : "", f->chapter);
    if (f->topic)
        ADD("%stopic \"%s\"", n ? ", " : "", f->topic);
    if (f->type)
        ADD("%stype %s", n ? ", " : "", f->type);
    for (size_t i = 0; i < f->ntags; i++)
        ADD("%stag \"%s\"", n ? ", " : "", f->tags[i]);
    if (f->difficulty_min)
        ADD("%sdifficulty %d..%d", n ? ", " : "", f->difficulty_min, f->difficulty_max);
#undef ADD
    return keep(c, n ? buf : "any item");
}

/* Warns about a group only one item has (a misspelt group name, say, which
 * would silently let its pair share a form); needs the items' units
 * (cert_pools.c). KS_EINTERNAL when out of memory. */
static ks_status warn_lone_groups(ks_cert *c, ks_diags *warnings)
{
    const size_t *unit_of = c->info.unit_of;
    size_t *members = unit_of ? calloc(c->info.nunits + 1, sizeof *members) : NULL;
    if (!unit_of)
        return KS_OK;
    if (!members)
        return KS_EINTERNAL;
    for (size_t i = 0; i < c->nitems; i++)
        members[unit_of[i]]++;
    for (size_t i = 0; i < c->nitems; i++) {
        const ks_item *item = &c->items[i];
        if (item->group && members[unit_of[i]] == 1)
            ks_diags_add(warnings, "%s:%u:%u: item '%s' is the only item of group '%s', so "
                         "the group keeps nothing off its forms (is the name misspelt?)",
                         cert_bank_of(c, i)->path, item->node->line, item->node->col, item->id,
                         item->group);
    }
    free(members);
    return KS_OK;
}

/* drawn[i] is 1 when some section can draw item i (malloc'd; NULL when
 * out of memory). */
static unsigned char *drawable_items(const ks_cert *c)
{
    unsigned char *drawn = calloc(c->nitems + 1, 1);
    for (size_t s = 0; drawn && s < c->info.nsections; s++)
        for (size_t i = 0; i < c->sections[s].pool_size; i++)
            drawn[c->sections[s].pool[i]] = 1;
    return drawn;
}

/* Warns about items no section can draw (a mistyped topic, say): they would
 * silently never appear on a form. KS_EINTERNAL when out of memory. */
static ks_status warn_undrawable(ks_cert *c, ks_diags *warnings)
{
    unsigned char *drawn = drawable_items(c);
    if (!drawn)
        return KS_EINTERNAL;
    for (size_t i = 0; i < c->nitems; i++) {
        if (drawn[i])
            continue;
        const ks_item *item = &c->items[i];
        ks_diags_add(warnings, "%s:%u:%u: item '%s' matches no section's draw rules, so no "
                     "form will ever hold it", cert_bank_of(c, i)->path, item->node->line,
                     item->node->col, item->id);
    }
    free(drawn);
    return KS_OK;
}

/* Under an angoff balance, every item a section can draw needs a rating:
 * the balance weighs each form's items by it. Problems in diags; returns
 * KS_EINPUT when one is missing, KS_EINTERNAL when out of memory. */
static ks_status check_rated(ks_cert *c, ks_diags *diags)
{
    if (c->info.balance_angoff_within <= 0)
        return KS_OK;
    unsigned char *drawn = drawable_items(c);
    if (!drawn)
        return KS_EINTERNAL;
    ks_status status = KS_OK;
    for (size_t i = 0; i < c->nitems; i++) {
        const ks_item *item = &c->items[i];
        if (!drawn[i] || item->angoff > 0)
            continue;
        ks_diags_add(diags, "%s:%u:%u: item '%s': field 'angoff' is missing: the certification "
                     "balances its forms by angoff, so every item a section can draw needs a "
                     "rating (a probability from 0.01 to 1)", cert_bank_of(c, i)->path,
                     item->node->line, item->node->col, item->id);
        status = KS_EINPUT;
    }
    free(drawn);
    return status;
}

/* Computes each section's pool with ks_draw_match; keeps them in Lua; then
 * checks what they give (cert_pools.c). KS_EINTERNAL when out of memory. */
static ks_status build_pools(ks_cert *c, ks_diags *diags, ks_diags *warnings)
{
    lua_State *L = cert_lua(c);
    size_t *out = malloc((c->nitems + 1) * sizeof *out);
    if (!out)
        return KS_EINTERNAL;
    ks_status status = KS_OK;
    lua_createtable(L, (int)c->info.nsections, 0);
    int pools = lua_gettop(L);
    cert_push_ref(c, c->ref_cert);
    lua_getfield(L, -1, "sections");
    int sections = lua_gettop(L);
    for (size_t s = 0; s < c->info.nsections; s++) {
        lua_rawgeti(L, -1, (lua_Integer)s + 1);
        lua_getfield(L, -1, "from");
        int from = lua_gettop(L);
        ks_draw_filter f = {0};
        const char *tags[32];
        f.chapter = opt_int_field(L, from, "chapter", 0);
        lua_getfield(L, from, "topic");
        f.topic = lua_tostring(L, -1);
        lua_getfield(L, from, "type");
        f.type = lua_tostring(L, -1);
        lua_getfield(L, from, "bank");
        const char *bank = lua_tostring(L, -1);
        lua_getfield(L, from, "tags");
        for (lua_Integer t = 1; lua_istable(L, -1) && t <= luaL_len(L, -1) && t <= 32; t++) {
            lua_rawgeti(L, -1, t);
            tags[f.ntags++] = lua_tostring(L, -1);
            lua_pop(L, 1); /* the string stays alive in the tags table */
        }
        f.tags = tags;
        lua_getfield(L, from, "difficulty");
        if (lua_isinteger(L, -1)) {
            f.difficulty_min = f.difficulty_max = (int)lua_tointeger(L, -1);
        } else if (lua_istable(L, -1)) {
            lua_rawgeti(L, -1, 1);
            f.difficulty_min = (int)lua_tointeger(L, -1);
            lua_rawgeti(L, -2, 2);
            f.difficulty_max = (int)lua_tointeger(L, -1);
            lua_pop(L, 2);
        }
        size_t first = 0, count = c->nitems;
        int bank_known = !bank;
        for (size_t b = 0; bank && b < c->nbanks; b++) {
            if (strcmp(c->banks[b]->name, bank) == 0) {
                first = c->bank_first[b];
                count = c->banks[b]->count;
                bank_known = 1;
            }
        }
        ks_cert_section *sec = &c->sections[s];
        sec->rule = describe_rules(c, &f, bank);
        size_t n = bank_known ? ks_draw_match(c->items + first, count, &f, out) : 0;
        size_t *pool = malloc((n + 1) * sizeof *pool);
        if (!sec->rule || !pool) {
            free(pool);
            status = KS_EINTERNAL;
            break;
        }
        for (size_t i = 0; i < n; i++)
            pool[i] = first + out[i];
        sec->pool = pool;
        sec->pool_size = n;
        lua_createtable(L, (int)n, 0);
        for (size_t i = 0; i < n; i++) {
            lua_pushinteger(L, (lua_Integer)(first + out[i]) + 1);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_rawseti(L, pools, (lua_Integer)s + 1);
        lua_settop(L, sections);
        if (!bank_known) {
            ks_diags_add(diags, "%s: section %zu (%s): from: bank '%s' is not among the "
                         "certification's banks", c->script_path, s + 1, sec->title, bank);
            status = KS_EINPUT;
        }
    }
    lua_settop(L, pools);
    c->ref_pools = luaL_ref(L, LUA_REGISTRYINDEX);
    if (status == KS_OK)
        status = check_rated(c, diags);
    if (status == KS_OK)
        status = cert_check_pools(c, diags, warnings);
    if (status != KS_EINTERNAL &&
        (warn_undrawable(c, warnings) != KS_OK || warn_lone_groups(c, warnings) != KS_OK))
        status = KS_EINTERNAL;
    free(out);
    return status;
}

/* Keeps the script's main function (on top) for cert_fresh. */
static ks_status keep_code(ks_cert *c, ks_error *err)
{
    lua_pushvalue(cert_lua(c), -1);
    c->ref_code = ks_sandbox_keep_code(c->sb);
    return c->ref_code == LUA_REFNIL ? ks_error_set(err, KS_EINTERNAL, "no script") : KS_OK;
}

/* Replaces what the script returned (on top) with the engine's declaration
 * behind it; KS_EINPUT when it is no certification{}'s result. */
static ks_status declaration_of(ks_cert *c, ks_error *err)
{
    lua_State *L = cert_lua(c);
    cert_push_entry(c, "is_certification");
    lua_pushvalue(L, -2);
    ks_status rc = ks_sandbox_call(c->sb, 1, 1, "is_certification", err);
    if (rc) {
        lua_pop(L, 1);
        return KS_EINTERNAL;
    }
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        rc = ks_error_set(err, KS_EINPUT, "%s: the script must end with 'return certification "
                          "{ ... }' (it returned %s)", c->script_path, luaL_typename(L, -1));
        lua_pop(L, 1);
        return rc;
    }
    lua_replace(L, -2);
    return KS_OK;
}

ks_status cert_fresh(ks_cert *c, ks_error *err)
{
    lua_State *L = cert_lua(c);
    ks_sandbox_forget_modules(c->sb);
    /* the one-form cache belongs to the state before */
    free(c->form_text);
    json_decref(c->form);
    c->form_text = NULL;
    c->form = NULL;
    ks_status rc = ks_sandbox_load_kept(c->sb, c->ref_code, err);
    if (rc || (rc = ks_sandbox_call(c->sb, 0, 1, NULL, err)))
        return rc;
    if ((rc = declaration_of(c, err)))
        return rc == KS_EINPUT ? KS_ESCRIPT : rc;
    luaL_unref(L, LUA_REGISTRYINDEX, c->ref_cert);
    c->ref_cert = luaL_ref(L, LUA_REGISTRYINDEX);
    return KS_OK;
}

/* A load's failure when an allocation failed. */
static ks_status out_of_memory(const char *script_path, ks_diags *diags)
{
    ks_diags_add(diags, "out of memory loading %s", script_path);
    return KS_EINTERNAL;
}

/* ---- a failed run of the script -------------------------------------------- */

/* The place a failure of the declaration blames, as engine/lua/declare.lua
 * recorded it in entry.declaration_error. */
struct blamed {
    const char *message; /* the failure's message, which the record must go with */
    int found;
    ks_declscan_key path[KS_DECLSCAN_MAX_PATH];
    size_t depth;
};

/* Whether the message a failure shows is the text raised, whole or cut to
 * a start that ends in "…" (ks_sandbox_call's cap). */
static int shows(const char *shown, const char *raised)
{
    static const char ellipsis[] = "…";
    size_t n = strlen(shown), e = sizeof ellipsis - 1;
    return strcmp(shown, raised) == 0 ||
           (n >= e && strcmp(shown + n - e, ellipsis) == 0 && strncmp(shown, raised, n - e) == 0);
}

/* (entry, struct blamed) -> reads the record into the struct; run protected.
 * Its path's names point into strings of the record, which entry keeps. */
static int read_blamed(lua_State *L)
{
    struct blamed *b = lua_touserdata(L, 2);
    if (lua_getfield(L, 1, "declaration_error") != LUA_TTABLE)
        return 0;
    int record = lua_gettop(L);
    if (lua_getfield(L, record, "message") == LUA_TSTRING &&
        !shows(b->message, lua_tostring(L, -1)))
        return 0;
    if (lua_getfield(L, record, "path") != LUA_TTABLE)
        return 0;
    b->found = 1;
    for (; b->depth < KS_DECLSCAN_MAX_PATH; b->depth++, lua_pop(L, 1)) {
        ks_declscan_key *k = &b->path[b->depth];
        int t = lua_rawgeti(L, -1, (lua_Integer)b->depth + 1);
        if (t == LUA_TSTRING)
            k->name = lua_tolstring(L, -1, &k->len);
        else if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > 0)
            k->index = (size_t)lua_tointeger(L, -1);
        else
            break; /* the path's end, or a key no text can name */
    }
    return 0;
}

/* The line of the script that a failure of the declaration with this
 * message blames: where the record's path leads in the table of the
 * script's one `certification { ... }` (base/declscan.h), else that
 * `certification`; 0 without a record or such a call. */
static size_t blamed_line(ks_cert *c, const char *message)
{
    lua_State *L = cert_lua(c);
    struct blamed b = {.message = message};
    lua_pushcfunction(L, read_blamed);
    cert_push_ref(c, c->ref_entry);
    lua_pushlightuserdata(L, &b);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
        lua_pop(L, 1);
        return 0;
    }
    return b.found ? cert_decl_line(c, b.path, b.depth) : 0;
}

size_t cert_decl_line(ks_cert *c, const ks_declscan_key *path, size_t n)
{
    const ks_source *src;
    ks_error err;
    ks_declscan d;
    if (ks_fileset_read(c->fs, c->script_path, "script", &src, &err) ||
        !ks_declscan_find(src->content, src->len, &d) || d.qualified)
        return 0; /* a lib.certification { ... } may hand on another table */
    return ks_declscan_locate(&d, path, n).line;
}

const char *ks_cert_script(const ks_cert *c) { return c->script_path; }

int ks_cert_pass_at(ks_cert *c, char *buf, size_t cap)
{
    lua_State *L = cert_lua(c);
    cert_push_ref(c, c->ref_cert);
    lua_pushliteral(L, "pass");
    lua_rawget(L, -2);
    int placed = ks_sandbox_defined_at(L, -1, buf, cap);
    lua_pop(L, 2);
    return placed;
}

/* Reports a failed run of the script: as it is when its message names a
 * place in the script; else with the line the declaration's failure blames;
 * else naming the script. */
static void report_failed_run(ks_cert *c, const char *script_path, const char *message,
                              ks_diags *diags)
{
    size_t n = strlen(script_path), line;
    if (strncmp(message, script_path, n) == 0 && message[n] == ':')
        ks_diags_add(diags, "%s", message);
    else if ((line = blamed_line(c, message)))
        ks_diags_add(diags, "%s:%zu: %s", script_path, line, message);
    else
        ks_diags_add(diags, "%s: %s", script_path, message);
}

ks_status ks_cert_load(ks_fileset *fs, const char *script_path, ks_cert **out,
                       ks_diags *diags, ks_diags *warnings)
{
    *out = NULL;
    ks_cert *c = calloc(1, sizeof *c);
    if (!c || !(c->script_path = strdup(script_path))) {
        free(c);
        return out_of_memory(script_path, diags);
    }
    c->fs = fs;
    ks_error err;
    ks_status rc = cert_start_sandbox(c, &err);
    if (rc) {
        ks_diags_add(diags, "%s", err.message);
        ks_cert_free(c);
        return KS_EINTERNAL;
    }
    const ks_source *src;
    if ((rc = ks_fileset_read(fs, script_path, "script", &src, &err)) ||
        (rc = ks_sandbox_load(c->sb, src->path, src->content, src->len, &err)) ||
        (rc = keep_code(c, &err)) || (rc = ks_sandbox_call(c->sb, 0, 1, NULL, &err))) {
        /* declaration errors come from a tail call, so they carry no line:
         * the line they blame is found in the script's text */
        report_failed_run(c, script_path, err.message, diags);
        ks_cert_free(c);
        return rc == KS_ENOTFOUND ? KS_EINPUT : KS_ESCRIPT;
    }
    lua_State *L = cert_lua(c);
    if ((rc = declaration_of(c, &err))) {
        ks_diags_add(diags, "%s", err.message);
        ks_cert_free(c);
        return rc;
    }
    rc = read_info(c);
    c->ref_cert = luaL_ref(L, LUA_REGISTRYINDEX);
    if (rc || (rc = load_banks(c, diags)) || (rc = cert_check_items(c, diags)) ||
        (rc = build_pools(c, diags, warnings))) {
        ks_cert_free(c);
        /* these steps fail with KS_EINTERNAL only when out of memory */
        return rc == KS_EINTERNAL ? out_of_memory(script_path, diags) : rc;
    }
    *out = c;
    return KS_OK;
}

void ks_cert_free(ks_cert *c)
{
    if (!c)
        return;
    ks_sandbox_free(c->sb);
    for (size_t b = 0; b < c->nbanks; b++)
        ks_bank_free(c->banks[b]);
    free(c->banks);
    free(c->bank_first);
    free(c->items);
    for (size_t i = 0; c->sections && i < c->info.nsections; i++) {
        free((size_t *)c->sections[i].pool);
        free((size_t *)c->sections[i].units);
    }
    free((size_t *)c->info.unit_of);
    free(c->sections);
    for (size_t i = 0; i < c->nstrings; i++)
        free(c->strings[i]);
    free(c->strings);
    free(c->script_path);
    free(c->form_text);
    json_decref(c->form);
    free(c);
}

const ks_cert_info *ks_cert_info_of(const ks_cert *cert) { return &cert->info; }

const ks_item *ks_cert_item(const ks_cert *cert, size_t i) { return &cert->items[i]; }

size_t ks_cert_item_index(const ks_cert *cert, const char *id)
{
    for (size_t b = 0; b < cert->nbanks; b++) {
        const ks_item *hit = ks_bank_find(cert->banks[b], id);
        if (hit) /* the banks' items are copied in order (load_items) */
            return cert->bank_first[b] + (size_t)(hit - cert->banks[b]->items);
    }
    return SIZE_MAX;
}

int ks_cert_own_type(ks_cert *c, const char *name)
{
    lua_State *L = cert_lua(c);
    int top = lua_gettop(L);
    cert_push_ref(c, c->ref_cert);
    lua_pushliteral(L, "types");
    int own = lua_rawget(L, top + 1) == LUA_TTABLE;
    if (own) {
        lua_pushstring(L, name);
        own = lua_rawget(L, top + 2) == LUA_TTABLE;
    }
    lua_settop(L, top);
    return own;
}

