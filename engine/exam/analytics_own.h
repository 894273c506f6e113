/* The analysis data of items of question types an author defines, derived
 * from their views (engine/exam/analytics_own.c), for the analytics loader
 * (engine/exam/analytics_load.c). Not a public header. */
#ifndef KAOSHI_EXAM_ANALYTICS_OWN_H
#define KAOSHI_EXAM_ANALYTICS_OWN_H

#include <stdint.h>

#include "kaoshi/analytics.h"
#include "kaoshi/cert.h"

/* What has been derived so far of one certification's items. */
typedef struct analytics_own analytics_own;

analytics_own *analytics_own_new(ks_cert *cert);
void analytics_own_free(analytics_own *o);

/* The analysis data of item `it` (of the certification, of an own type),
 * derived once from a trial form: options and key for choice, choices and
 * truth views, a random guess score for choice and truth. info->stem is
 * left NULL; its strings live as long as o. */
ks_status analytics_own_info(analytics_own *o, const ks_item *it, ks_analytics_item_info *info,
                             ks_error *err);

/* The options (a bit set over info's options) that a saved response to
 * slot of a form (JSON) chooses, read through the view the slot presents. */
ks_status analytics_own_chosen(analytics_own *o, const ks_analytics_item_info *info,
                               const ks_item *it, const char *form, size_t slot,
                               const char *response_json, uint32_t *chosen, ks_error *err);

#endif
