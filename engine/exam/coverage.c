/* Disjoint forms of a certification's pools, and the difficulty of the
 * forms it draws: see include/kaoshi/coverage.h. */
#include "kaoshi/coverage.h"

#include <math.h>
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

/* The mean difficulty label of the items of the form seed draws; 0 when
 * none has a label. */
static ks_status form_difficulty(ks_cert *cert, uint64_t seed, double *mean, ks_error *err)
{
    char *form = NULL, **ids = NULL;
    size_t n = 0;
    ks_status rc = ks_cert_build_form(cert, seed, NULL, 0, &form, err);
    if (!rc)
        rc = ks_cert_form_ids(form, &ids, &n, err);
    free(form);
    double total = 0;
    size_t labelled = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        size_t at = ks_cert_item_index(cert, ids[i]);
        int d = at == SIZE_MAX ? 0 : ks_cert_item(cert, at)->difficulty;
        total += d;
        labelled += d != 0;
    }
    if (!rc)
        ks_cert_free_ids(ids, n);
    *mean = labelled ? total / (double)labelled : 0;
    return rc;
}

ks_status ks_coverage_difficulty_of(ks_cert *cert, unsigned nforms, ks_coverage_difficulty *out,
                                    ks_error *err)
{
    double sum = 0, squares = 0;
    *out = (ks_coverage_difficulty){0};
    for (unsigned seed = 1; seed <= nforms; seed++) {
        double mean;
        ks_status rc = form_difficulty(cert, seed, &mean, err);
        if (rc)
            return rc;
        if (mean == 0)
            continue;
        out->min = out->forms == 0 || mean < out->min ? mean : out->min;
        out->max = mean > out->max ? mean : out->max;
        out->forms++;
        sum += mean;
        squares += mean * mean;
    }
    if (out->forms) {
        out->mean = sum / (double)out->forms;
        double var = squares / (double)out->forms - out->mean * out->mean;
        out->sd = var > 0 ? sqrt(var) : 0;
    }
    return KS_OK;
}
