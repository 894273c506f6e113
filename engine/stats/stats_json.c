/* The statistics functions by name with JSON inputs and outputs: see
 * include/kaoshi/stats_json.h. The functions are data, one table row each
 * (engine/stats/stats_json_functions.c); this file reads the named inputs a
 * row lists, makes the call and writes its outputs or its contract error.
 * Depends on jansson and the stats core. */
#include "kaoshi/stats_json.h"
#include "stats/stats_json_util.h"
#include "stats/stats_util.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- inputs ----------------------------------------------------------------- */

static size_t input_count(const stats_json_fn *fn)
{
    size_t n = 0;
    while (n < STATS_JSON_MAX_INPUTS && fn->in[n].key)
        n++;
    return n;
}

/* True when arr is an array holding only numbers. */
static bool is_number_array(const json_t *arr)
{
    size_t i;
    const json_t *v;
    if (!json_is_array(arr))
        return false;
    json_array_foreach(arr, i, v) {
        if (!json_is_number(v))
            return false;
    }
    return true;
}

/* True when v is an array of arrays of numbers (of any lengths). */
static bool is_matrix(const json_t *v)
{
    size_t i;
    const json_t *row;
    if (!json_is_array(v))
        return false;
    json_array_foreach(v, i, row) {
        if (!is_number_array(row))
            return false;
    }
    return true;
}

/* Copies the numbers of arr (checked by is_number_array) to dst. */
static void copy_numbers(const json_t *arr, double *dst)
{
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v) dst[i] = json_number_value(v);
}

/* The first contract error found while reading inputs (fractional integer,
 * ragged matrix), ranked by the contract's order, which is the enum order. */
typedef struct early_error {
    ks_stat_status status;
    char message[160];
} early_error;

static void note_early(early_error *e, ks_stat_status st, const char *fn, const char *key,
                       const char *what)
{
    if (e->status == KS_STAT_OK || st < e->status) {
        e->status = st;
        snprintf(e->message, sizeof e->message, "%s: '%s' %s", fn, key, what);
    }
}

/* Reads input i of fn from v into a. */
static ks_status read_input(const stats_json_fn *fn, size_t i, const json_t *v, stats_json_args *a,
                            early_error *early, ks_error *err)
{
    const stats_json_input *in = &fn->in[i];
    switch (in->kind) {
    case IN_NUMBER:
    case IN_INTEGER: {
        if (!json_is_number(v))
            return ks_error_set(err, KS_EINPUT, "%s: input '%s' must be a number", fn->name,
                                in->key);
        double x = json_number_value(v);
        a->num[i] = x;
        if (in->kind == IN_INTEGER) {
            if (x != floor(x))
                note_early(early, KS_STAT_E_DOMAIN, fn->name, in->key, "must be a whole number");
            a->integer[i] = x <= INT_MIN ? INT_MIN : x >= INT_MAX ? INT_MAX : (int)x;
        }
        return KS_OK;
    }
    case IN_VECTOR: {
        if (!is_number_array(v))
            return ks_error_set(err, KS_EINPUT, "%s: input '%s' must be an array of numbers",
                                fn->name, in->key);
        size_t n = json_array_size(v);
        a->vec[i] = ks_stats_calloc(n, sizeof *a->vec[i]);
        if (!a->vec[i])
            return ks_error_set(err, KS_EINTERNAL, "out of memory");
        a->len[i] = n;
        copy_numbers(v, a->vec[i]);
        return KS_OK;
    }
    case IN_MATRIX: {
        if (!is_matrix(v))
            return ks_error_set(err, KS_EINPUT,
                                "%s: input '%s' must be an array of arrays of numbers",
                                fn->name, in->key);
        size_t rows = json_array_size(v);
        size_t cols = rows ? json_array_size(json_array_get(v, 0)) : 0;
        a->vec[i] = ks_stats_calloc(rows * cols, sizeof *a->vec[i]);
        if (!a->vec[i])
            return ks_error_set(err, KS_EINTERNAL, "out of memory");
        a->rows = rows;
        a->cols = cols;
        a->len[i] = rows * cols;
        for (size_t r = 0; r < rows; r++) {
            const json_t *row = json_array_get(v, r);
            if (json_array_size(row) == cols)
                copy_numbers(row, a->vec[i] + r * cols);
            else
                note_early(early, KS_STAT_E_LENGTH_MISMATCH, fn->name, in->key,
                           "has rows of different lengths");
        }
        return KS_OK;
    }
    }
    return ks_error_set(err, KS_EINTERNAL, "bad input kind");
}

/* Writes "a, b, c", the input names of fn, to buf. */
static void input_names(const stats_json_fn *fn, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < input_count(fn) && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", fn->in[i].key);
}

static ks_status read_inputs(const stats_json_fn *fn, const json_t *input, stats_json_args *a,
                             early_error *early, ks_error *err)
{
    if (!json_is_object(input))
        return ks_error_set(err, KS_EINPUT, "%s: the input must be a JSON object", fn->name);
    size_t n = input_count(fn);
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)input, key, v) {
        size_t i = 0;
        while (i < n && strcmp(fn->in[i].key, key) != 0)
            i++;
        if (i == n) {
            char names[200];
            input_names(fn, names, sizeof names);
            return ks_error_set(err, KS_EINPUT, "%s: unknown input '%s' (inputs: %s)", fn->name,
                                key, names);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const stats_json_input *in = &fn->in[i];
        v = json_object_get(input, in->key);
        a->given[i] = v != NULL;
        if (v) {
            ks_status st = read_input(fn, i, v, a, early, err);
            if (st != KS_OK)
                return st;
        } else if (in->need == IN_REQUIRED) {
            return ks_error_set(err, KS_EINPUT, "%s: missing input '%s'", fn->name, in->key);
        } else {
            a->num[i] = in->def;
            a->integer[i] = (int)in->def;
        }
    }
    const char *complaint = fn->check ? fn->check(a) : NULL;
    if (complaint)
        return ks_error_set(err, KS_EINPUT, "%s: %s", fn->name, complaint);
    return KS_OK;
}

static void free_args(stats_json_args *a)
{
    for (size_t i = 0; i < STATS_JSON_MAX_INPUTS; i++)
        free(a->vec[i]);
}

/* ---- the call --------------------------------------------------------------- */

static json_t *error_object(ks_stat_status st, const char *message)
{
    json_t *obj = json_object();
    if (obj && (json_object_set_new(obj, "error", json_string(ks_stats_status_name(st))) != 0 ||
                json_object_set_new(obj, "message", json_string(message)) != 0)) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

ks_status ks_stats_json_call(const char *name, const json_t *input, json_t **output,
                             ks_stat_status *stat, ks_error *err)
{
    *output = NULL;
    *stat = KS_STAT_OK;
    const stats_json_fn *fn = stats_json_find(name);
    if (!fn)
        return ks_error_set(err, KS_ENOTFOUND, "unknown function '%s'", name);

    stats_json_args a = {0};
    early_error early = {KS_STAT_OK, ""};
    ks_status st = read_inputs(fn, input, &a, &early, err);
    if (st != KS_OK) {
        free_args(&a);
        return st;
    }
    if (early.status != KS_STAT_OK) {
        free_args(&a);
        *stat = early.status;
        *output = error_object(early.status, early.message);
        return *output ? KS_OK : ks_error_set(err, KS_EINTERNAL, "out of memory");
    }

    stats_json_result r;
    memset(&r, 0, sizeof r);
    *stat = fn->call(&a, &r);
    free_args(&a);
    if (*stat == KS_STAT_E_NOMEM)
        return ks_error_set(err, KS_EINTERNAL, "%s: out of memory", fn->name);
    if (*stat != KS_STAT_OK) {
        char message[200];
        snprintf(message, sizeof message, "%s: %s", fn->name, ks_stats_status_text(*stat));
        *output = error_object(*stat, message);
    } else {
        stats_json_writer w = {json_object(), true};
        if (w.obj)
            fn->write(&w, &r);
        if (!w.ok) {
            json_decref(w.obj);
            w.obj = NULL;
        }
        *output = w.obj;
        if (fn->release)
            fn->release(&r);
    }
    return *output ? KS_OK : ks_error_set(err, KS_EINTERNAL, "out of memory");
}
