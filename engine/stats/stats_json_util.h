/* How the statistics write a number in JSON, shared by engine/stats_json.c
 * and the analytics report (engine/analytics_json.c); not part of the public
 * API. Depends on jansson. */
#ifndef KAOSHI_STATS_JSON_UTIL_H
#define KAOSHI_STATS_JSON_UTIL_H

#include <jansson.h>

/* v as a JSON real, or NaN and ±infinity, which JSON cannot hold, as the
 * strings "nan", "inf" and "-inf" (NULL when out of memory). */
json_t *ks_stats_json_number(double v);

#endif
