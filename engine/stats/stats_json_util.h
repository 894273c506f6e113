/* Internals of the statistics' JSON interface (include/kaoshi/stats_json.h),
 * shared by engine/stats/stats_json.c (reading the named inputs, the call)
 * and engine/stats/stats_json_functions.c (the table of functions with their
 * calls and writers), and how the statistics write a number in JSON, which
 * the analytics report (engine/analytics/analytics_json.c) uses too; not
 * part of the public API. Depends on jansson and kaoshi/stats.h. */
#ifndef KAOSHI_STATS_JSON_UTIL_H
#define KAOSHI_STATS_JSON_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "kaoshi/stats.h"

/* v as a JSON real, or NaN and ±infinity, which JSON cannot hold, as the
 * strings "nan", "inf" and "-inf" (NULL when out of memory). */
json_t *ks_stats_json_number(double v);

#define STATS_JSON_MAX_INPUTS 6

typedef enum stats_json_kind {
    IN_VECTOR,  /* array of numbers */
    IN_MATRIX,  /* array of equally long arrays of numbers, stored row-major */
    IN_NUMBER,  /* number */
    IN_INTEGER  /* number with a whole value; a fractional one is E_DOMAIN */
} stats_json_kind;

typedef enum stats_json_need { IN_REQUIRED, IN_DEFAULTED, IN_OPTIONAL } stats_json_need;

/* One input of a function. */
typedef struct stats_json_input {
    const char *key;
    stats_json_kind kind;
    stats_json_need need;
    double def; /* the value when an IN_DEFAULTED input is absent */
} stats_json_input;

/* Parsed inputs, by position in the function's list of inputs. */
typedef struct stats_json_args {
    double *vec[STATS_JSON_MAX_INPUTS]; /* IN_VECTOR, IN_MATRIX */
    size_t len[STATS_JSON_MAX_INPUTS];
    size_t rows, cols; /* the shape of the IN_MATRIX input */
    double num[STATS_JSON_MAX_INPUTS];
    int integer[STATS_JSON_MAX_INPUTS]; /* IN_INTEGER, clamped to the range of int */
    bool given[STATS_JSON_MAX_INPUTS];
} stats_json_args;

typedef union stats_json_result {
    ks_stats_cv_result cv;
    ks_stats_zscores_result zscores;
    ks_stats_xmr_result xmr;
    ks_stats_sd_limits_result sd_limits;
    ks_stats_p_chart_result p_chart;
    ks_stats_rules_result rules;
    ks_stats_pearson_result pearson;
    ks_stats_linreg_result linreg;
    ks_stats_ttest2_result ttest2;
    ks_stats_paired_result paired;
    ks_stats_forecast_result forecast;
    ks_stats_trend_result trend;
    ks_stats_seasonal_result seasonal;
    ks_stats_mape_result mape;
    ks_stats_erlang_result erlang;
    ks_stats_agents_result agents;
    ks_stats_shrinkage_result shrinkage;
    ks_stats_sample_size_result sample;
    ks_stats_items_result items;
    ks_stats_alpha_result alpha;
    double value;
} stats_json_result;

/* Builds the output object; ok turns false when jansson runs out of memory. */
typedef struct stats_json_writer {
    json_t *obj;
    bool ok;
} stats_json_writer;

/* A function: one row of the table. */
typedef struct stats_json_fn {
    const char *name;
    stats_json_input in[STATS_JSON_MAX_INPUTS];
    ks_stat_status (*call)(const stats_json_args *a, stats_json_result *r);
    void (*write)(stats_json_writer *w, const stats_json_result *r);
    void (*release)(stats_json_result *r); /* NULL when the result owns no arrays */
    /* An input rule beyond the table (NULL: none): returns the complaint. */
    const char *(*check)(const stats_json_args *a);
} stats_json_fn;

/* The function called name, or NULL. */
const stats_json_fn *stats_json_find(const char *name);

#endif
