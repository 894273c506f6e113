/* The statistics functions called by name with JSON inputs and outputs, for
 * integrators, the CLI (`kaoshi stats NAME`) and tests. Inputs and outputs
 * carry the names of docs/statistics.md; outputs are in its order, NaN and
 * ±infinity are written as the strings "nan", "inf" and "-inf", and counts
 * and indices as JSON integers. Depends on jansson and kaoshi/stats.h. */
#ifndef KAOSHI_STATS_JSON_H
#define KAOSHI_STATS_JSON_H

#include <jansson.h>

#include "kaoshi/error.h"
#include "kaoshi/stats.h"

/* The name of function i (0-based, in the contract's order), or NULL past
 * the last one. */
const char *ks_stats_json_name(size_t i);

/* Calls the function `name` with the named inputs in `input`, a JSON object
 * (optional inputs take the contract's defaults). On KS_OK, *output is a new
 * object and *stat the contract status: for KS_STAT_OK the outputs, for a
 * contract error {"error": "E_...", "message": "..."}. Otherwise *output is
 * NULL and err says why:
 *   KS_ENOTFOUND  there is no function of that name
 *   KS_EINPUT     input is not an object, or has an unknown key, lacks a
 *                 required one, or holds a value of the wrong JSON type
 *   KS_EINTERNAL  out of memory */
ks_status ks_stats_json_call(const char *name, const json_t *input, json_t **output,
                             ks_stat_status *stat, ks_error *err);

#endif
