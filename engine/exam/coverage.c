/* Disjoint forms of a certification's pools: see include/kaoshi/coverage.h. */
#include "kaoshi/coverage.h"

#include <stdint.h>

size_t ks_coverage_section_forms(const ks_cert_section *sec)
{
    return sec->pick > 0 ? sec->pool_size / (size_t)sec->pick : 0;
}

size_t ks_coverage_forms(const ks_cert_info *info)
{
    size_t forms = SIZE_MAX;
    for (size_t s = 0; s < info->nsections; s++) {
        size_t f = ks_coverage_section_forms(&info->sections[s]);
        if (f < forms)
            forms = f;
    }
    return forms == SIZE_MAX ? 0 : forms;
}
