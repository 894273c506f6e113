/* Survey sample size for a proportion (docs/statistics.md §8), with
 * Cochran's finite-population correction. Depends on libm and stats_dist.c
 * (normal quantile). */
#include "kaoshi/stats.h"
#include "stats/stats_util.h"

#include <math.h>

static bool in_open_unit(double v) { return v > 0.0 && v < 1.0; }

ks_stat_status ks_stats_sample_size_proportion(double conf, const double *z, double margin,
                                               double p, const double *population,
                                               ks_stats_sample_size_result *out)
{
    if (!in_open_unit(margin) || !in_open_unit(p) || (!z && !in_open_unit(conf)) ||
        (z && !(*z > 0.0 && isfinite(*z))) || (population && !(*population >= 1.0)))
        return KS_STAT_E_DOMAIN;
    out->z = z ? *z : ks_stats_normal_quantile(1.0 - (1.0 - conf) / 2.0);
    out->n0 = out->z * out->z * p * (1.0 - p) / (margin * margin);
    out->n = ks_stats_ceil_eps(out->n0);
    out->has_population = population != NULL;
    out->n_fpc_real = out->n_fpc = NAN;
    if (population) {
        out->n_fpc_real = out->n0 / (1.0 + (out->n0 - 1.0) / *population);
        out->n_fpc = ks_stats_ceil_eps(out->n_fpc_real);
    }
    return KS_STAT_OK;
}
