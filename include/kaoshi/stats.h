/* Statistics for calculated questions and exam analytics: dispersion,
 * control charts and the special-cause rules, correlation and regression,
 * t-tests, forecasting checks, Erlang C staffing, survey sample sizes and
 * item analysis. The contract (names, formulas, edge cases, error order) is
 * docs/statistics.md; section numbers below refer to it.
 * Plain C on top of libm and GSL (t and normal distributions).
 *
 * Conventions shared by every function:
 *   - Each returns a ks_stat_status and writes its outputs through `out`.
 *     When several errors apply, the first in this order is reported:
 *     LENGTH_MISMATCH > DOMAIN > N_TOO_SMALL > ZERO_VARIANCE / DIV_ZERO.
 *   - A secondary output that is undefined is NaN; the only infinite outputs
 *     are `t` of pearson_test at |r| = 1 and `asa_s` of an unstable system.
 *   - Arrays in a result are allocated by the function and owned by the
 *     result; release them with the matching ks_stats_*_free. After an error
 *     nothing is allocated (the pointers are NULL), so the free function may
 *     be called whatever the status. Empty arrays may be NULL with count 0.
 *   - Sums of squares use two passes (mean first, then squared deviations).
 *   - GSL: the first call that needs a distribution turns GSL's default
 *     abort-on-error handler off, once per process (pthread_once); a handler
 *     the host installed itself is left in place. */
#ifndef KAOSHI_STATS_H
#define KAOSHI_STATS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum ks_stat_status {
    KS_STAT_OK = 0,
    KS_STAT_E_LENGTH_MISMATCH, /* paired arrays differ in length */
    KS_STAT_E_DOMAIN,          /* a parameter is outside its allowed range */
    KS_STAT_E_N_TOO_SMALL,     /* too few observations for the statistic */
    KS_STAT_E_ZERO_VARIANCE,   /* a variance/SD/moving range divisor is exactly 0 */
    KS_STAT_E_DIV_ZERO,        /* another divisor is exactly 0 */
    KS_STAT_E_NOMEM            /* an output array could not be allocated */
} ks_stat_status;

/* The contract's name of a status: "OK", "E_LENGTH_MISMATCH", ..., "E_NOMEM". */
const char *ks_stats_status_name(ks_stat_status s);

/* One English sentence saying what the status means. */
const char *ks_stats_status_text(ks_stat_status s);

/* A list of 0-based indices in ascending order. */
typedef struct ks_stats_index_list {
    size_t *idx;
    size_t count;
} ks_stats_index_list;

/* ---- §1, §2 dispersion -------------------------------------------------- */

/* cv = sd/mean with sd at ddof (0 or 1); sd == 0 gives cv 0. */
typedef struct ks_stats_cv_result {
    size_t n;
    double mean, sd, cv, cv_percent;
} ks_stats_cv_result;
ks_stat_status ks_stats_cv(const double *x, size_t n, int ddof, ks_stats_cv_result *out);

/* z[i] = (x[i]-mean)/sd; band[i] = sign(z)·(0 if |z|<=1, 1 if <=2, 2 if <=3, else 3). */
typedef struct ks_stats_zscores_result {
    size_t n;
    double mean, sd;
    double *z;
    int *band;
} ks_stats_zscores_result;
ks_stat_status ks_stats_zscores(const double *x, size_t n, int ddof,
                                ks_stats_zscores_result *out);
void ks_stats_zscores_free(ks_stats_zscores_result *r);

/* ---- §3 control charts ---------------------------------------------------- */

/* Individuals / moving-range chart; mr has n-1 elements. */
typedef struct ks_stats_xmr_result {
    double center;
    double *mr;
    size_t n_mr;
    double mr_bar, sigma, ucl, lcl, ucl_e2, lcl_e2, mr_ucl, mr_lcl;
} ks_stats_xmr_result;
ks_stat_status ks_stats_xmr_limits(const double *x, size_t n, ks_stats_xmr_result *out);
void ks_stats_xmr_free(ks_stats_xmr_result *r);

/* mean ± k·sd chart. */
typedef struct ks_stats_sd_limits_result {
    double center, sigma, ucl, lcl;
} ks_stats_sd_limits_result;
ks_stat_status ks_stats_sd_limits(const double *x, size_t n, int ddof, double k,
                                  ks_stats_sd_limits_result *out);

/* Rate chart. defects[i] and sizes[i] must be integral, 0 <= defects <= size,
 * size > 0. Arrays p, sigma, ucl, lcl, z have m elements. */
typedef struct ks_stats_p_chart_result {
    size_t m;
    double *p;
    double p_bar;
    double *sigma, *ucl, *lcl, *z;
    ks_stats_index_list beyond_limits;
} ks_stats_p_chart_result;
ks_stat_status ks_stats_p_chart(const double *defects, size_t n_defects,
                                const double *sizes, size_t n_sizes,
                                ks_stats_p_chart_result *out);
void ks_stats_p_chart_free(ks_stats_p_chart_result *r);

/* The "6-8-1-3-5" rules, indexed in the contract's table order. */
enum {
    KS_STATS_RULE1,
    KS_STATS_RULE3,
    KS_STATS_RULE5,
    KS_STATS_RULE6,
    KS_STATS_RULE8,
    KS_STATS_RULE_COUNT
};

/* "rule1", "rule3", "rule5", "rule6", "rule8"; NULL outside the range. */
const char *ks_stats_rule_name(int rule);

typedef struct ks_stats_rules_result {
    ks_stats_index_list signals[KS_STATS_RULE_COUNT];
    ks_stats_index_list pattern_points[KS_STATS_RULE_COUNT];
    ks_stats_index_list any_signal;
} ks_stats_rules_result;
ks_stat_status ks_stats_control_rules(const double *x, size_t n, double center, double sigma,
                                      ks_stats_rules_result *out);
void ks_stats_rules_free(ks_stats_rules_result *r);

/* ---- §4 correlation and regression ---------------------------------------- */

typedef struct ks_stats_pearson_result {
    size_t n, df;
    double r, r2, t, p_two_sided, t_crit, r_crit;
    bool significant;
} ks_stats_pearson_result;
ks_stat_status ks_stats_pearson_test(const double *x, size_t nx, const double *y, size_t ny,
                                     double alpha, ks_stats_pearson_result *out);

/* fitted has n elements; r2 is NaN when sst == 0. */
typedef struct ks_stats_linreg_result {
    double slope, intercept;
    double *fitted;
    size_t n;
    double sse, sst, r2;
} ks_stats_linreg_result;
ks_stat_status ks_stats_linreg(const double *x, size_t nx, const double *y, size_t ny,
                               ks_stats_linreg_result *out);
void ks_stats_linreg_free(ks_stats_linreg_result *r);

/* ---- §5 t-tests ------------------------------------------------------------ */

/* Two independent samples. df is integral for Student; pooled_var is NaN for
 * Welch, which pools nothing. */
typedef struct ks_stats_ttest2_result {
    size_t n1, n2;
    double mean1, mean2, var1, var2, mean_diff, se, t, df, pooled_var;
    double p_two_sided, t_crit;
    bool significant;
} ks_stats_ttest2_result;
ks_stat_status ks_stats_ttest_student(const double *a, size_t na, const double *b, size_t nb,
                                      double alpha, ks_stats_ttest2_result *out);
ks_stat_status ks_stats_ttest_welch(const double *a, size_t na, const double *b, size_t nb,
                                    double alpha, ks_stats_ttest2_result *out);

typedef struct ks_stats_paired_result {
    size_t n, df;
    double mean_diff, sd_diff, se, t, p_two_sided, t_crit;
    bool significant;
} ks_stats_paired_result;
ks_stat_status ks_stats_ttest_paired(const double *a, size_t na, const double *b, size_t nb,
                                     double alpha, ks_stats_paired_result *out);

/* ---- §6 forecasting ------------------------------------------------------- */

/* moving_average and ses: forecasts[0..n_forecasts-1], the last being next.
 * mae/mape_percent are over the in-sample pairs; NaN when there are none, and
 * mape_percent is NaN when one of those actuals is 0. */
typedef struct ks_stats_forecast_result {
    double *forecasts;
    size_t n_forecasts;
    double next, mae, mape_percent;
} ks_stats_forecast_result;
ks_stat_status ks_stats_moving_average(const double *x, size_t n, int k,
                                       ks_stats_forecast_result *out);
ks_stat_status ks_stats_ses(const double *x, size_t n, double alpha,
                            ks_stats_forecast_result *out);
void ks_stats_forecast_free(ks_stats_forecast_result *r);

/* OLS of x on t = 1..n; fitted has n elements, forecast has horizon, from 0
 * to KS_STATS_MAX_HORIZON (E_DOMAIN beyond: the forecast is allocated). */
#define KS_STATS_MAX_HORIZON 10000
typedef struct ks_stats_trend_result {
    double slope, intercept, r2;
    double *fitted;
    size_t n;
    double *forecast;
    size_t horizon;
} ks_stats_trend_result;
ks_stat_status ks_stats_linear_trend(const double *x, size_t n, int horizon,
                                     ks_stats_trend_result *out);
void ks_stats_trend_free(ks_stats_trend_result *r);

/* Simple-average seasonal index; the three arrays have L elements. */
typedef struct ks_stats_seasonal_result {
    size_t L;
    double *season_means;
    double grand_mean;
    double *index, *index_percent;
} ks_stats_seasonal_result;
ks_stat_status ks_stats_seasonal_index(const double *x, size_t n, int L,
                                       ks_stats_seasonal_result *out);
void ks_stats_seasonal_free(ks_stats_seasonal_result *r);

typedef struct ks_stats_mape_result {
    double mape_percent, mae;
} ks_stats_mape_result;
ks_stat_status ks_stats_mape(const double *actual, size_t na, const double *forecast,
                             size_t nf, ks_stats_mape_result *out);

/* ---- §7 Erlang C (times in seconds) --------------------------------------- */

/* agents must be a whole number >= 0 (a double so that a fractional value
 * can be refused with E_DOMAIN). Non-finite parameters, a load A over
 * KS_STATS_ERLANG_MAX_TRAFFIC Erlangs and more than KS_STATS_ERLANG_MAX_AGENTS
 * agents (given, or needed to meet a target) are E_DOMAIN: the work grows
 * with the agents, and these bounds keep every call to about a millisecond,
 * far above the largest contact centre. */
#define KS_STATS_ERLANG_MAX_TRAFFIC 100000.0
#define KS_STATS_ERLANG_MAX_AGENTS 200000.0
typedef struct ks_stats_erlang_result {
    double traffic_erlangs, occupancy, p_wait, service_level, asa_s;
    bool stable;
} ks_stats_erlang_result;
ks_stat_status ks_stats_erlang_c(double calls, double interval_s, double aht_s, double agents,
                                 double target_s, ks_stats_erlang_result *out);

/* The smallest stable N meeting target_sl, raised to ceil_eps(A/max_occupancy)
 * when max_occupancy is not NULL; agents is a whole number. */
typedef struct ks_stats_agents_result {
    double agents;
    double traffic_erlangs, service_level, p_wait, asa_s, occupancy;
} ks_stats_agents_result;
ks_stat_status ks_stats_erlang_agents_required(double calls, double interval_s, double aht_s,
                                               double target_sl, double target_s,
                                               const double *max_occupancy,
                                               ks_stats_agents_result *out);

/* raw = agents/(1-shrinkage); scheduled = ceil_eps(raw), a whole number. */
typedef struct ks_stats_shrinkage_result {
    double raw, scheduled;
} ks_stats_shrinkage_result;
ks_stat_status ks_stats_staff_with_shrinkage(double agents, double shrinkage,
                                             ks_stats_shrinkage_result *out);

/* ---- §8 survey sampling --------------------------------------------------- */

/* z is Φ⁻¹(1-(1-conf)/2) unless `z` is not NULL (then it must be > 0 and conf
 * is ignored). With population NULL, n_fpc_real and n_fpc are NaN and
 * has_population is false. n and n_fpc are whole numbers. */
typedef struct ks_stats_sample_size_result {
    double z, n0, n, n_fpc_real, n_fpc;
    bool has_population;
} ks_stats_sample_size_result;
ks_stat_status ks_stats_sample_size_proportion(double conf, const double *z, double margin,
                                               double p, const double *population,
                                               ks_stats_sample_size_result *out);

/* ---- §9 exam analytics ---------------------------------------------------- */
/* A score matrix is row-major: scores[i*n_items + j] is examinee i, item j. */

typedef struct ks_stats_items_result {
    size_t n_examinees, n_items;
    double *totals; /* n_examinees */
    double mean_total, var_total_pop, sd_total_pop;
    double *p, *r_pb, *r_pb_corrected; /* n_items each */
    size_t group_size;
    size_t *upper_group, *lower_group; /* group_size each, ascending */
    double *D;                         /* n_items */
    double kr20, sem;
} ks_stats_items_result;
ks_stat_status ks_stats_item_analysis(const double *scores, size_t n_examinees, size_t n_items,
                                      double group_frac, ks_stats_items_result *out);
void ks_stats_items_free(ks_stats_items_result *r);

/* KR-20 of a 0/1 matrix (a score other than 0/1 is E_DOMAIN). */
ks_stat_status ks_stats_kr20(const double *scores, size_t n_examinees, size_t n_items,
                             double *kr20);

typedef struct ks_stats_alpha_result {
    double alpha, sum_item_var, var_total;
} ks_stats_alpha_result;
ks_stat_status ks_stats_cronbach_alpha(const double *scores, size_t n_examinees,
                                       size_t n_items, ks_stats_alpha_result *out);

ks_stat_status ks_stats_sem(double sd, double reliability, double *sem);

#endif
