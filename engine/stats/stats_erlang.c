/* Erlang C staffing (docs/statistics.md §7): waiting probability, service
 * level and ASA for N agents, the agents needed for a service-level target, and
 * scheduling with shrinkage. Erlang B is built by its recursion, so nothing
 * overflows at A = 480 where A^N/N! would. Times are in seconds.
 * Depends on libm only. */
#include "kaoshi/stats.h"
#include "stats/stats_util.h"

#include <math.h>

/* The domain rules shared by erlang_c and erlang_agents_required; on success
 * *traffic is A = calls·aht_s/interval_s, at most KS_STATS_ERLANG_MAX_TRAFFIC
 * (the loops below run once per agent). */
static ks_stat_status traffic_of(double calls, double interval_s, double aht_s,
                                 double target_s, double *traffic)
{
    if (!(calls >= 0.0 && interval_s > 0.0 && aht_s > 0.0 && target_s >= 0.0) ||
        !isfinite(calls) || !isfinite(interval_s) || !isfinite(aht_s) || !isfinite(target_s))
        return KS_STAT_E_DOMAIN;
    *traffic = calls * aht_s / interval_s;
    return *traffic <= KS_STATS_ERLANG_MAX_TRAFFIC ? KS_STAT_OK : KS_STAT_E_DOMAIN;
}

/* Erlang B at N = k from its value at k - 1. */
static double erlang_b_next(double a, double b_prev, double k)
{
    return a * b_prev / (k + a * b_prev);
}

/* The results for N agents given B = Erlang B(A, N) (unused when unstable). */
static void evaluate(double a, double n, double b, double aht_s, double target_s,
                     ks_stats_erlang_result *out)
{
    out->traffic_erlangs = a;
    if (a == 0.0) {
        out->occupancy = out->p_wait = out->asa_s = 0.0;
        out->service_level = 1.0;
        out->stable = true;
        return;
    }
    out->occupancy = a / n;
    out->stable = n > a;
    if (!out->stable) {
        out->p_wait = 1.0;
        out->service_level = 0.0;
        out->asa_s = INFINITY;
        return;
    }
    double c = n * b / (n - a * (1.0 - b));
    out->p_wait = c;
    out->service_level = 1.0 - c * exp(-(n - a) * target_s / aht_s);
    out->asa_s = c * aht_s / (n - a);
}

ks_stat_status ks_stats_erlang_c(double calls, double interval_s, double aht_s, double agents,
                                 double target_s, ks_stats_erlang_result *out)
{
    double a;
    if (traffic_of(calls, interval_s, aht_s, target_s, &a) != KS_STAT_OK)
        return KS_STAT_E_DOMAIN;
    if (!(agents >= 0.0 && agents <= KS_STATS_ERLANG_MAX_AGENTS) || agents != floor(agents) ||
        (a > 0.0 && agents == 0.0))
        return KS_STAT_E_DOMAIN;
    double b = 1.0;
    if (a > 0.0 && agents > a)
        for (double k = 1.0; k <= agents && b > 0.0; k += 1.0) /* B stays 0 once it underflows */
            b = erlang_b_next(a, b, k);
    evaluate(a, agents, b, aht_s, target_s, out);
    return KS_STAT_OK;
}

ks_stat_status ks_stats_erlang_agents_required(double calls, double interval_s, double aht_s,
                                               double target_sl, double target_s,
                                               const double *max_occupancy,
                                               ks_stats_agents_result *out)
{
    double a;
    if (traffic_of(calls, interval_s, aht_s, target_s, &a) != KS_STAT_OK)
        return KS_STAT_E_DOMAIN;
    if (!(target_sl > 0.0 && target_sl < 1.0) ||
        (max_occupancy && !(*max_occupancy > 0.0 && *max_occupancy <= 1.0)))
        return KS_STAT_E_DOMAIN;
    double n = 0.0, b = 1.0;
    ks_stats_erlang_result at;
    if (a > 0.0) {
        n = floor(a) + 1.0; /* the smallest stable N */
        for (double k = 1.0; k <= n; k += 1.0)
            b = erlang_b_next(a, b, k);
        evaluate(a, n, b, aht_s, target_s, &at);
        while (at.service_level < target_sl) {
            if (n >= KS_STATS_ERLANG_MAX_AGENTS)
                return KS_STAT_E_DOMAIN;
            n += 1.0;
            b = erlang_b_next(a, b, n);
            evaluate(a, n, b, aht_s, target_s, &at);
        }
        double cap = max_occupancy ? ks_stats_ceil_eps(a / *max_occupancy) : 0.0;
        if (cap > KS_STATS_ERLANG_MAX_AGENTS)
            return KS_STAT_E_DOMAIN;
        while (n < cap) {
            n += 1.0;
            b = erlang_b_next(a, b, n);
        }
    }
    evaluate(a, n, b, aht_s, target_s, &at);
    out->agents = n;
    out->traffic_erlangs = at.traffic_erlangs;
    out->service_level = at.service_level;
    out->p_wait = at.p_wait;
    out->asa_s = at.asa_s;
    out->occupancy = at.occupancy;
    return KS_STAT_OK;
}

ks_stat_status ks_stats_staff_with_shrinkage(double agents, double shrinkage,
                                             ks_stats_shrinkage_result *out)
{
    if (!(shrinkage >= 0.0 && shrinkage < 1.0) || !(agents >= 0.0) || isinf(agents))
        return KS_STAT_E_DOMAIN;
    out->raw = agents / (1.0 - shrinkage);
    out->scheduled = ks_stats_ceil_eps(out->raw);
    return KS_STAT_OK;
}
