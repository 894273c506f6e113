/* Disjoint forms of a certification's pools: see include/kaoshi/coverage.h. */
#include "kaoshi/coverage.h"

#include <stdint.h>
#include <stdlib.h>

#include "kaoshi/groups.h"

size_t ks_coverage_section_forms(const ks_cert_section *sec)
{
    return sec->pick > 0 ? sec->nunits / (size_t)sec->pick : 0;
}

size_t ks_coverage_forms(const ks_cert_info *info)
{
    ks_groups_pool *pools = malloc((info->nsections + 1) * sizeof *pools);
    if (!pools)
        return 0;
    for (size_t s = 0; s < info->nsections; s++) {
        const ks_cert_section *sec = &info->sections[s];
        pools[s] = (ks_groups_pool){sec->units, sec->nunits, sec->pick};
    }
    size_t forms = ks_groups_forms(pools, info->nsections, info->nunits, SIZE_MAX);
    free(pools);
    return forms == SIZE_MAX ? 0 : forms;
}
