/* The view vocabulary: the widgets a question type's present() may answer
 * with (scripts/SCRIPTING.md, "Views"), checked in the engine so that no type
 * is special to the page. Checks a view, reduces it to the shape of the
 * response it asks for (stored with the form at draw time), and checks a
 * candidate's response against that shape before it is saved. */
#include "lua/widget.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* One widget: its name, the response's one field, and the view fields it
 * takes besides the common ones. */
typedef struct widget {
    const char *name, *field;
    const char *fields[3];
} widget;

static const widget WIDGETS[] = {
    {"choice", "choice", {"options"}},
    {"choices", "choices", {"options"}},
    {"truth", "value", {0}},
    {"blanks", "blanks", {"blanks", "labels"}},
    {"number", "value", {"unit"}},
    {"order", "order", {"items"}},
    {"match", "matches", {"left", "right"}},
    {"text", "text", {"max_chars"}},
    {"points", "points", {"npoints"}},
};
#define NWIDGETS (sizeof WIDGETS / sizeof *WIDGETS)

/* Keys every view may have; type, label and key are the engine's. */
static const char *const COMMON[] = {"stem", "parts", "widget", "type", "label", "key", NULL};

#define MAX_BLANKS 100
#define MAX_POINTS 1000
#define MAX_ENTRIES 1000 /* options, items, left or right entries, labels */
/* characters of a text answer (and of max_chars): 20,000 Chinese characters
 * are 60 KB of UTF-8, within the 64 KiB a save holds (KS_EXAM_MAX_RESPONSE) */
#define MAX_TEXT 20000

static int bad(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
    return -1;
}

static const widget *widget_named(const char *name)
{
    for (size_t i = 0; name && i < NWIDGETS; i++)
        if (strcmp(WIDGETS[i].name, name) == 0)
            return &WIDGETS[i];
    return NULL;
}

static int is_key_of(const widget *w, const char *key)
{
    for (const char *const *k = COMMON; *k; k++)
        if (strcmp(*k, key) == 0)
            return 1;
    for (size_t i = 0; i < 3 && w->fields[i]; i++)
        if (strcmp(w->fields[i], key) == 0)
            return 1;
    return 0;
}

static void list_widgets(char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NWIDGETS && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", WIDGETS[i].name);
}

/* A positive integer of at most max, or 0. */
static json_int_t count_of(const json_t *v, json_int_t max)
{
    json_int_t n = json_is_integer(v) ? json_integer_value(v) : 0;
    return n >= 1 && n <= max ? n : 0;
}

static int check_entries(const json_t *list, const char *field, size_t min, char *why,
                         size_t cap)
{
    if (!json_is_array(list) || json_array_size(list) < min ||
        json_array_size(list) > MAX_ENTRIES)
        return bad(why, cap,
                   "the view's '%s' must be a list of %zu to %d { id = N, text = \"...\" }",
                   field, min, MAX_ENTRIES);
    size_t i, j;
    json_t *e, *f;
    json_array_foreach(list, i, e) {
        json_t *id = json_object_get(e, "id");
        if (!json_is_object(e) || json_object_size(e) != 2 ||
            !json_is_string(json_object_get(e, "text")) || !json_is_integer(id) ||
            json_integer_value(id) < 1)
            return bad(why, cap,
                       "the view's '%s' entry %zu must be { id = N, text = \"...\" } with N a "
                       "positive integer", field, i + 1);
        json_array_foreach(list, j, f) {
            if (j < i && json_integer_value(json_object_get(f, "id")) == json_integer_value(id))
                return bad(why, cap,
                           "the view's '%s' entries %zu and %zu have the same id %lld", field,
                           j + 1, i + 1, (long long)json_integer_value(id));
        }
    }
    return 0;
}

static int check_strings(const json_t *list, const char *field, size_t min, size_t exact,
                         char *why, size_t cap)
{
    size_t i;
    json_t *e;
    if (!json_is_array(list) || json_array_size(list) < min ||
        json_array_size(list) > MAX_ENTRIES || (exact && json_array_size(list) != exact))
        goto wrong;
    json_array_foreach(list, i, e) if (!json_is_string(e)) goto wrong;
    return 0;
wrong:
    if (exact)
        return bad(why, cap, "the view's '%s' must be a list of %zu strings", field, exact);
    return bad(why, cap,
               "the view's '%s' must be a list of %zu to %d strings", field, min, MAX_ENTRIES);
}

static int check_part(const json_t *part, size_t i, char *why, size_t cap)
{
    const char *kind = json_object_size(part) == 1
                           ? json_object_iter_key(json_object_iter((json_t *)part))
                           : NULL;
    json_t *v = kind ? json_object_get(part, kind) : NULL;
    int ok = kind && ((strcmp(kind, "text") == 0 && json_is_string(v)) ||
                      (strcmp(kind, "table") == 0 && (json_is_array(v) || json_is_object(v))) ||
                      (strcmp(kind, "chart") == 0 && json_is_string(v) &&
                       strncmp(json_string_value(v), "<svg ", 5) == 0));
    if (!ok)
        return bad(why, cap, "the view's 'parts' entry %zu must be one of { text = \"...\" }, "
                   "{ table = {...} }, { chart = picture from chart.* }", i + 1);
    return 0;
}

static int check_fields(const widget *w, const json_t *view, char *why, size_t cap)
{
    const char *name = w->name;
    if (strcmp(name, "choice") == 0 || strcmp(name, "choices") == 0)
        return check_entries(json_object_get(view, "options"), "options", 1, why, cap);
    if (strcmp(name, "order") == 0)
        return check_entries(json_object_get(view, "items"), "items", 2, why, cap);
    if (strcmp(name, "match") == 0)
        return check_strings(json_object_get(view, "left"), "left", 1, 0, why, cap) ||
               check_entries(json_object_get(view, "right"), "right", 1, why, cap);
    if (strcmp(name, "blanks") == 0) {
        json_int_t n = count_of(json_object_get(view, "blanks"), MAX_BLANKS);
        if (!n)
            return bad(why, cap,
                       "the view's 'blanks' must be the number of blanks, 1 to %d", MAX_BLANKS);
        json_t *labels = json_object_get(view, "labels");
        return labels ? check_strings(labels, "labels", 1, (size_t)n, why, cap) : 0;
    }
    if (strcmp(name, "number") == 0) {
        json_t *unit = json_object_get(view, "unit");
        return unit && !json_is_string(unit) ? bad(why, cap,
                   "the view's 'unit' must be a string") : 0;
    }
    if (strcmp(name, "text") == 0) {
        json_t *max = json_object_get(view, "max_chars");
        return max && !count_of(max, MAX_TEXT)
                   ? bad(why, cap,
                              "the view's 'max_chars' must be an integer from 1 to %d", MAX_TEXT)
                   : 0;
    }
    if (strcmp(name, "points") == 0 && !count_of(json_object_get(view, "npoints"), MAX_POINTS))
        return bad(why, cap,
                   "the view's 'npoints' must be the number of points, 1 to %d", MAX_POINTS);
    return 0;
}

int ks_widget_check_view(const json_t *view, char *why, size_t cap)
{
    if (!json_is_object(view))
        return bad(why, cap, "the view must be a table");
    json_t *widget_name = json_object_get(view, "widget");
    const widget *w = widget_named(json_string_value(widget_name));
    if (!w) {
        char names[128];
        list_widgets(names, sizeof names);
        return bad(why, cap, "the view's 'widget' must be one of %s (got %s)", names,
                   json_is_string(widget_name) ? json_string_value(widget_name) : "none");
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)view, key, v) {
        if (!is_key_of(w, key))
            return bad(why, cap, "the view has the key '%s', which widget '%s' does not take",
                       key, w->name);
    }
    json_t *stem = json_object_get(view, "stem");
    if (!json_is_string(stem))
        return bad(why, cap, "the view's 'stem' must be a string");
    json_t *parts = json_object_get(view, "parts");
    if (parts && !json_is_array(parts))
        return bad(why, cap, "the view's 'parts' must be a list");
    size_t i;
    json_array_foreach(parts, i, v) if (check_part(v, i, why, cap)) return -1;
    return check_fields(w, view, why, cap);
}

/* The ids of a list of { id, text }. */
static json_t *ids_of(const json_t *entries)
{
    json_t *ids = json_array(), *e;
    size_t i;
    json_array_foreach(entries, i, e) json_array_append(ids, json_object_get(e, "id"));
    return ids;
}

/* The entries of a view a response names by their id, their place on the
 * page: options, items to order or a match's right-hand entries; NULL when
 * it has none. */
static json_t *entries_of(const json_t *view)
{
    json_t *list = json_object_get(view, "options");
    if (!list)
        list = json_object_get(view, "items");
    if (!list)
        list = json_object_get(view, "right");
    return list;
}

json_t *ks_widget_places(const json_t *view)
{
    json_t *texts = json_array(), *e;
    size_t i;
    json_array_foreach(entries_of(view), i, e) json_array_append(texts, json_object_get(e, "text"));
    return texts;
}

json_t *ks_widget_shape(const json_t *view)
{
    const widget *w = widget_named(json_string_value(json_object_get(view, "widget")));
    if (!w)
        return NULL;
    json_t *shape = json_pack("{ss}", "widget", w->name);
    json_t *list = entries_of(view);
    if (list)
        json_object_set_new(shape, "ids", ids_of(list));
    json_t *n = json_object_get(view, "blanks");
    if (!n)
        n = json_object_get(view, "npoints");
    if (!n)
        n = json_object_get(view, "max_chars");
    if (json_is_integer(n))
        json_object_set(shape, "n", n);
    json_t *left = json_object_get(view, "left");
    if (left)
        json_object_set_new(shape, "left", json_integer((json_int_t)json_array_size(left)));
    return shape;
}

/* Whether the integer v is among ids. */
static int has_id(const json_t *ids, const json_t *v)
{
    size_t i;
    json_t *id;
    if (!json_is_integer(v))
        return 0;
    json_array_foreach(ids, i, id) if (json_integer_value(id) == json_integer_value(v)) return 1;
    return 0;
}

/* "1 to 4" when ids are 1..n, else "one of 3, 5, 9". */
static void describe_ids(const json_t *ids, char *buf, size_t cap)
{
    size_t i, n = 0, count = json_array_size(ids);
    json_t *id;
    int plain = 1;
    json_array_foreach(ids, i, id) plain = plain && json_integer_value(id) == (json_int_t)i + 1;
    if (plain) {
        snprintf(buf, cap, "1 to %zu", count);
        return;
    }
    n = (size_t)snprintf(buf, cap, "one of ");
    json_array_foreach(ids, i, id) if (n < cap) n += (size_t)snprintf(
        buf + n, cap - n, "%s%lld", i ? ", " : "", (long long)json_integer_value(id));
}

/* Whether list holds distinct members of ids, all of them when whole. */
static int id_list(const json_t *list, const json_t *ids, int whole)
{
    size_t i, j;
    json_t *a, *b;
    if (!json_is_array(list) || (whole && json_array_size(list) != json_array_size(ids)))
        return 0;
    json_array_foreach(list, i, a) {
        if (!has_id(ids, a))
            return 0;
        json_array_foreach(list, j, b) if (j < i && json_equal(a, b)) return 0;
    }
    return 1;
}

static int strings_of(const json_t *list, size_t n)
{
    size_t i;
    json_t *s;
    if (!json_is_array(list) || json_array_size(list) != n)
        return 0;
    json_array_foreach(list, i, s) {
        if (!json_is_string(s) || json_string_length(s) > MAX_TEXT * 4)
            return 0;
    }
    return 1;
}

/* Characters (UTF-8) of the string s. */
static size_t chars_of(const json_t *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)json_string_value(s); *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

/* Whether value is what widget w's response field takes; what it takes in
 * expected otherwise. */
static int value_fits(const widget *w, const json_t *shape, const json_t *value,
                      char *expected, size_t cap)
{
    const char *name = w->name;
    const json_t *ids = json_object_get(shape, "ids");
    json_int_t n = json_integer_value(json_object_get(shape, "n"));
    char range[160];
    describe_ids(ids, range, sizeof range);
    if (strcmp(name, "choice") == 0) {
        snprintf(expected, cap, "an option id, %s", range);
        return has_id(ids, value);
    }
    if (strcmp(name, "choices") == 0) {
        snprintf(expected, cap, "a list of distinct option ids, %s", range);
        return id_list(value, ids, 0);
    }
    if (strcmp(name, "truth") == 0) {
        snprintf(expected, cap, "true or false");
        return json_is_boolean(value);
    }
    if (strcmp(name, "number") == 0) {
        snprintf(expected, cap, "a number");
        return json_is_number(value);
    }
    if (strcmp(name, "blanks") == 0) {
        snprintf(expected, cap, "a list of %lld strings", (long long)n);
        return strings_of(value, (size_t)n);
    }
    if (strcmp(name, "order") == 0) {
        snprintf(expected, cap, "every item id once, %s", range);
        return id_list(value, ids, 1);
    }
    if (strcmp(name, "match") == 0) {
        json_int_t left = json_integer_value(json_object_get(shape, "left"));
        /* null for a left entry not yet paired: a partial answer is saved,
         * and scored pair by pair */
        snprintf(expected, cap, "a list of %lld ids of the right-hand entries (%s) or null",
                 (long long)left, range);
        size_t i;
        json_t *m;
        if (!json_is_array(value) || json_array_size(value) != (size_t)left)
            return 0;
        json_array_foreach(value, i, m) if (!json_is_null(m) && !has_id(ids, m)) return 0;
        return 1;
    }
    if (strcmp(name, "text") == 0) {
        json_int_t max = n ? n : MAX_TEXT;
        snprintf(expected, cap, "a string of at most %lld characters", (long long)max);
        return json_is_string(value) && chars_of(value) <= (size_t)max;
    }
    /* points */
    snprintf(expected, cap, "a list of distinct point numbers from 1 to %lld", (long long)n);
    unsigned char seen[MAX_POINTS + 1] = {0};
    size_t i;
    json_t *p;
    if (!json_is_array(value))
        return 0;
    json_array_foreach(value, i, p) {
        json_int_t k = json_is_integer(p) ? json_integer_value(p) : 0;
        if (k < 1 || k > n || seen[k])
            return 0;
        seen[k] = 1;
    }
    return 1;
}

int ks_widget_check_response(const json_t *shape, const json_t *response, char *why,
                             size_t cap)
{
    const widget *w = widget_named(json_string_value(json_object_get(shape, "widget")));
    if (!w || json_object_size(response) == 0)
        return 0; /* a form drawn before shapes were kept, or {}: the answer withdrawn */
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)response, key, v) {
        if (strcmp(key, w->field) != 0)
            return bad(why, cap, "unknown field '%s'; expected only '%s'", key, w->field);
    }
    char expected[256];
    v = json_object_get(response, w->field);
    if (!v)
        return bad(why, cap, "missing field '%s'", w->field);
    if (!value_fits(w, shape, v, expected, sizeof expected))
        return bad(why, cap, "field '%s': expected %s", w->field, expected);
    return 0;
}
