/* Internals shared by the analytics files (engine/analytics*.c): the data
 * set's layout in memory. Not a public header. */
#ifndef KAOSHI_ANALYTICS_IMPL_H
#define KAOSHI_ANALYTICS_IMPL_H

#include "kaoshi/analytics.h"

/* A response as stored: the item by its index in data->items. */
typedef struct analytics_cell {
    size_t item;
    double points;
    bool answered;
    uint32_t chosen;
} analytics_cell;

typedef struct analytics_attempt {
    size_t sitting; /* index into data->sittings */
    char *candidate;
    int number;
    uint64_t seed;
} analytics_attempt;

struct ks_analytics_data {
    char *code, *title;
    char **sittings;
    size_t nsittings;
    ks_analytics_slot_info *slots; /* owned titles */
    size_t nslots;
    bool has_layout;
    ks_analytics_item_info *items; /* in the order added; owned strings */
    size_t *by_id;                 /* indices into items, sorted by id */
    size_t nitems, items_cap, by_id_cap;
    analytics_attempt *attempts;
    size_t nattempts, attempts_cap;
    analytics_cell *cells; /* nattempts × nslots, row-major */
    size_t cells_cap;
};

/* The index of the item with this id, or (size_t)-1. */
size_t analytics_item_index(const ks_analytics_data *d, const char *id);

/* The cells of attempt a (nslots of them). */
const analytics_cell *analytics_cells_of(const ks_analytics_data *d, size_t a);

/* Frees a comparison and its labels (c may be NULL). */
void analytics_comparison_free(ks_analytics_comparison *c);

#endif
