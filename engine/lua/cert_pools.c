/* Certifications: what the pools of a loaded certification give, groups
 * counted (kaoshi/groups.h): each section's units, the range of a form's
 * maximum score, the home section of each unit several sections share (for
 * the draw), and the checks made once the pools are built — errors when
 * a form can never be drawn or a section's minimum never met, warnings when
 * a draw may come up short or retakes must repeat a question or a group.
 * Each message names the section's line in the script when it is found. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/declscan.h"
#include "kaoshi/groups.h"
#include "lua/cert_impl.h"

static int ascending_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static int ascending_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* "SCRIPT:LINE" of section s (from 0) in the declaration, or "SCRIPT". */
static void section_place(ks_cert *c, size_t s, char *buf, size_t cap)
{
    ks_declscan_key path[2] = {{.name = "sections", .len = 8}, {.index = s + 1}};
    size_t line = cert_decl_line(c, path, 2);
    if (line)
        snprintf(buf, cap, "%s:%zu", c->script_path, line);
    else
        snprintf(buf, cap, "%s", c->script_path);
}

/* Numbers every item's unit and keeps each section's distinct units. */
static ks_status number_units(ks_cert *c)
{
    size_t *unit_of = malloc((c->nitems + 1) * sizeof *unit_of);
    size_t nunits = unit_of ? ks_groups_number(c->items, c->nitems, unit_of) : SIZE_MAX;
    c->info.unit_of = unit_of;
    if (nunits == SIZE_MAX)
        return KS_EINTERNAL;
    c->info.nunits = nunits;
    for (size_t s = 0; s < c->info.nsections; s++) {
        ks_cert_section *sec = &c->sections[s];
        size_t *units = malloc((sec->pool_size + 1) * sizeof *units), n = 0;
        if (!units)
            return KS_EINTERNAL;
        for (size_t i = 0; i < sec->pool_size; i++)
            units[i] = unit_of[sec->pool[i]];
        qsort(units, sec->pool_size, sizeof *units, ascending_size);
        for (size_t i = 0; i < sec->pool_size; i++)
            if (n == 0 || units[i] != units[n - 1])
                units[n++] = units[i];
        sec->units = units;
        sec->nunits = n;
    }
    return KS_OK;
}

/* The lowest and highest maximum section s can have on a form: the sums of
 * the pick lowest and highest points its pool offers (an item's own, else
 * the section's). 0 and 0 when the pool is short. */
static ks_status section_bounds(ks_cert *c, const ks_cert_section *sec, double *lo, double *hi)
{
    size_t n = sec->pool_size, pick = (size_t)sec->pick;
    *lo = *hi = 0;
    if (n < pick)
        return KS_OK;
    double *points = malloc((n + 1) * sizeof *points);
    if (!points)
        return KS_EINTERNAL;
    for (size_t i = 0; i < n; i++) {
        double own = c->items[sec->pool[i]].points;
        points[i] = own > 0 ? own : sec->points;
    }
    qsort(points, n, sizeof *points, ascending_double);
    for (size_t i = 0; i < pick; i++) {
        *lo += points[i];
        *hi += points[n - 1 - i];
    }
    free(points);
    return KS_OK;
}

/* The section's errors: too few items, too few units, a minimum above the
 * most points it can give. Returns whether there was one. */
static int section_errors(ks_cert *c, size_t s, double most, ks_diags *diags)
{
    const ks_cert_section *sec = &c->sections[s];
    char at[512];
    section_place(c, s, at, sizeof at);
    if (sec->pool_size < (size_t)sec->pick) {
        ks_diags_add(diags, "%s: section %zu (%s): draws %d questions but only %zu items match "
                     "(%s)", at, s + 1, sec->title, sec->pick, sec->pool_size, sec->rule);
    } else if (sec->nunits < (size_t)sec->pick) {
        ks_diags_add(diags, "%s: section %zu (%s): draws %d questions but its %zu items give "
                     "only %zu that can share a form: items of one group never do (%s)", at,
                     s + 1, sec->title, sec->pick, sec->pool_size, sec->nunits, sec->rule);
    } else if (sec->min_points > most) {
        ks_diags_add(diags, "%s: section %zu (%s): 'min' is %g points but the section gives "
                     "at most %g", at, s + 1, sec->title, sec->min_points, most);
    } else {
        return 0;
    }
    return 1;
}

/* Warns that section s's minimum in points is more than the least its forms
 * give (items with points of their own make forms differ): a candidate whose
 * form draws the cheaper items can never meet it. */
static void warn_unreachable_min(ks_cert *c, size_t s, double least, ks_diags *warnings)
{
    const ks_cert_section *sec = &c->sections[s];
    char at[512];
    section_place(c, s, at, sizeof at);
    ks_diags_add(warnings, "%s: section %zu (%s): 'min' is %g points but some forms give the "
                 "section only %g: a candidate with such a form can never meet it", at, s + 1,
                 sec->title, sec->min_points, least);
}

/* The section's warning: too few items (or groups) for every attempt to
 * be fresh. (A first form never comes up short once one can be drawn:
 * every section draws first from the units at home in it, ks_groups_homes.) */
static void section_warnings(ks_cert *c, size_t s, ks_diags *warnings)
{
    const ks_cert_section *sec = &c->sections[s];
    size_t pick = (size_t)sec->pick, attempts = (size_t)c->info.attempts;
    if (sec->nunits >= pick * attempts)
        return;
    char at[512];
    section_place(c, s, at, sizeof at);
    if (sec->nunits == sec->pool_size)
        ks_diags_add(warnings, "%s: section %zu (%s): %zu items match (%s), fewer than the "
                     "%d × %d needed for %d attempts without repeating a question", at, s + 1,
                     sec->title, sec->pool_size, sec->rule, c->info.attempts, sec->pick,
                     c->info.attempts);
    else
        ks_diags_add(warnings, "%s: section %zu (%s): %zu items match (%s) but, items of "
                     "one group counted once, only %zu, fewer than the %d × %d needed for %d "
                     "attempts without repeating a question or a group", at, s + 1,
                     sec->title, sec->pool_size, sec->rule, sec->nunits, c->info.attempts,
                     sec->pick, c->info.attempts);
}

/* Warns about the items of a shared group that only sections other than
 * the group's home draw: a form takes them only when such a section runs
 * out of units of its own, so they are all but never drawn. home: each
 * unit's home section (SIZE_MAX: none). KS_EINTERNAL when out of memory. */
static ks_status warn_away_items(ks_cert *c, const size_t *home, const unsigned char *drawn_by,
                                 ks_diags *warnings)
{
    size_t *home_draws = calloc(c->nitems + 1, sizeof *home_draws); /* 0, or home + 1 */
    if (!home_draws)
        return KS_EINTERNAL;
    for (size_t s = 0; s < c->info.nsections; s++)
        for (size_t i = 0; i < c->sections[s].pool_size; i++)
            if (home[c->info.unit_of[c->sections[s].pool[i]]] == s)
                home_draws[c->sections[s].pool[i]] = s + 1;
    for (size_t s = 0; s < c->info.nsections; s++) {
        const ks_cert_section *sec = &c->sections[s];
        for (size_t i = 0; i < sec->pool_size; i++) {
            size_t item = sec->pool[i], u = c->info.unit_of[item];
            if (drawn_by[u] < 2 || home[u] == SIZE_MAX || home_draws[item])
                continue;
            home_draws[item] = SIZE_MAX; /* warned once */
            const ks_item *it = &c->items[item];
            ks_diags_add(warnings, "%s:%u:%u: item '%s' is all but never drawn: its group "
                         "'%s' is at home in section %zu (%s), which cannot draw it, so "
                         "section %zu (%s) takes it only when it runs out of questions of "
                         "its own (put the item in a group of its own section's, or in none)",
                         cert_bank_of(c, item)->path, it->node->line, it->node->col, it->id,
                         it->group, home[u] + 1, c->sections[home[u]].title, s + 1, sec->title);
        }
    }
    free(home_draws);
    return KS_OK;
}

/* Sets pools.homes in the draw's pools table (engine/lua/author.lua): item
 * index -> home section (both from 1) for every item whose unit several
 * sections draw from and that the sharing out of ks_groups_homes gives to
 * one of them, over as many forms as attempts allowed; warns about the
 * items that sharing out leaves all but undrawn. */
static ks_status keep_homes(ks_cert *c, const ks_groups_pool *pools, ks_diags *warnings)
{
    size_t n = c->info.nsections, nunits = c->info.nunits;
    size_t *home = malloc((nunits + 1) * sizeof *home);
    unsigned char *drawn_by = calloc(nunits + 1, 1); /* 0, 1 or 2+ sections */
    if (!home || !drawn_by ||
        ks_groups_homes(pools, n, nunits, (size_t)c->info.attempts, home) == SIZE_MAX) {
        free(home);
        free(drawn_by);
        return KS_EINTERNAL;
    }
    for (size_t s = 0; s < n; s++)
        for (size_t i = 0; i < pools[s].n; i++)
            drawn_by[pools[s].units[i]] += drawn_by[pools[s].units[i]] < 2;
    lua_State *L = cert_lua(c);
    cert_push_ref(c, c->ref_pools);
    lua_newtable(L);
    for (size_t s = 0; s < n; s++) {
        const ks_cert_section *sec = &c->sections[s];
        for (size_t i = 0; i < sec->pool_size; i++) {
            size_t u = c->info.unit_of[sec->pool[i]];
            if (drawn_by[u] < 2 || home[u] == SIZE_MAX)
                continue;
            lua_pushinteger(L, (lua_Integer)home[u] + 1);
            lua_rawseti(L, -2, (lua_Integer)sec->pool[i] + 1);
        }
    }
    lua_setfield(L, -2, "homes");
    lua_pop(L, 1);
    ks_status rc = warn_away_items(c, home, drawn_by, warnings);
    free(home);
    free(drawn_by);
    return rc;
}

ks_status cert_check_pools(ks_cert *c, ks_diags *diags, ks_diags *warnings)
{
    if (number_units(c))
        return KS_EINTERNAL;
    size_t n = c->info.nsections;
    ks_groups_pool *pools = malloc((n + 1) * sizeof *pools);
    if (!pools)
        return KS_EINTERNAL;
    ks_status status = KS_OK;
    c->info.max_score_min = c->info.max_score_max = 0;
    for (size_t s = 0; s < n && status != KS_EINTERNAL; s++) {
        const ks_cert_section *sec = &c->sections[s];
        pools[s] = (ks_groups_pool){sec->units, sec->nunits, sec->pick};
        double lo, hi;
        if (section_bounds(c, sec, &lo, &hi)) {
            status = KS_EINTERNAL;
        } else {
            c->info.max_score_min += lo;
            c->info.max_score_max += hi;
            if (section_errors(c, s, hi, diags))
                status = KS_EINPUT;
            else if (sec->min_points > lo)
                warn_unreachable_min(c, s, lo, warnings);
        }
    }
    if (status == KS_OK) {
        size_t forms = ks_groups_forms(pools, n, c->info.nunits, 1);
        if (forms == SIZE_MAX) {
            status = KS_EINTERNAL;
        } else if (forms == 0) {
            ks_diags_add(diags, "%s: no form can be drawn: its sections share items or groups, "
                         "and what they share cannot give every section its pick at once",
                         c->script_path);
            status = KS_EINPUT;
        } else {
            status = keep_homes(c, pools, warnings);
        }
    }
    for (size_t s = 0; s < n && status == KS_OK; s++)
        section_warnings(c, s, warnings);
    free(pools);
    return status;
}
