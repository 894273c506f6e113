/* Forecasting and its checks (docs/statistics.md §6): moving average, simple
 * exponential smoothing, linear trend on t = 1..n, the simple-average
 * seasonal index, and MAPE/MAE. Depends on libm only. */
#include "kaoshi/stats.h"
#include "stats/stats_util.h"

#include <math.h>
#include <stdlib.h>

/* MAE and MAPE (percent, relative to the actual) of count pairs; both NaN
 * without pairs, MAPE NaN when an actual is 0. */
static void forecast_errors(const double *actual, const double *forecast, size_t count,
                            double *mae, double *mape_percent)
{
    if (count == 0) {
        *mae = *mape_percent = NAN;
        return;
    }
    double abs_sum = 0.0, rel_sum = 0.0;
    bool zero_actual = false;
    for (size_t i = 0; i < count; i++) {
        double e = fabs(actual[i] - forecast[i]);
        abs_sum += e;
        if (actual[i] == 0.0)
            zero_actual = true;
        else
            rel_sum += e / fabs(actual[i]);
    }
    *mae = abs_sum / (double)count;
    *mape_percent = zero_actual ? NAN : 100.0 / (double)count * rel_sum;
}

ks_stat_status ks_stats_moving_average(const double *x, size_t n, int k,
                                       ks_stats_forecast_result *out)
{
    *out = (ks_stats_forecast_result){0};
    if (k < 1)
        return KS_STAT_E_DOMAIN;
    size_t window = (size_t)k;
    if (window > n)
        return KS_STAT_E_N_TOO_SMALL;
    size_t count = n - window + 1;
    out->forecasts = ks_stats_calloc(count, sizeof *out->forecasts);
    if (!out->forecasts)
        return KS_STAT_E_NOMEM;
    out->n_forecasts = count;
    for (size_t j = 0; j < count; j++)
        out->forecasts[j] = ks_stats_mean_of(x + j, window);
    out->next = out->forecasts[count - 1];
    forecast_errors(x + window, out->forecasts, n - window, &out->mae, &out->mape_percent);
    return KS_STAT_OK;
}

ks_stat_status ks_stats_ses(const double *x, size_t n, double alpha,
                            ks_stats_forecast_result *out)
{
    *out = (ks_stats_forecast_result){0};
    if (!(alpha > 0.0 && alpha <= 1.0))
        return KS_STAT_E_DOMAIN;
    if (n == 0)
        return KS_STAT_E_N_TOO_SMALL;
    double *f = ks_stats_calloc(n + 1, sizeof *f);
    if (!f)
        return KS_STAT_E_NOMEM;
    f[0] = x[0];
    for (size_t t = 1; t <= n; t++)
        f[t] = alpha * x[t - 1] + (1.0 - alpha) * f[t - 1];
    out->forecasts = f;
    out->n_forecasts = n + 1;
    out->next = f[n];
    forecast_errors(x + 1, f + 1, n - 1, &out->mae, &out->mape_percent);
    return KS_STAT_OK;
}

void ks_stats_forecast_free(ks_stats_forecast_result *r)
{
    free(r->forecasts);
    *r = (ks_stats_forecast_result){0};
}

ks_stat_status ks_stats_linear_trend(const double *x, size_t n, int horizon,
                                     ks_stats_trend_result *out)
{
    *out = (ks_stats_trend_result){0};
    if (horizon < 0 || horizon > KS_STATS_MAX_HORIZON)
        return KS_STAT_E_DOMAIN;
    if (n < 2)
        return KS_STAT_E_N_TOO_SMALL;
    out->fitted = ks_stats_calloc(n, sizeof *out->fitted);
    out->forecast = ks_stats_calloc((size_t)horizon, sizeof *out->forecast);
    if (!out->fitted || !out->forecast) {
        ks_stats_trend_free(out);
        return KS_STAT_E_NOMEM;
    }
    out->n = n;
    out->horizon = (size_t)horizon;
    double mt = ((double)n + 1.0) / 2.0, mx = ks_stats_mean_of(x, n);
    double stt = 0.0, stx = 0.0;
    for (size_t i = 0; i < n; i++) {
        double dt = (double)(i + 1) - mt;
        stt += dt * dt;
        stx += dt * (x[i] - mx);
    }
    out->slope = stx / stt;
    out->intercept = mx - out->slope * mt;
    double sse = 0.0;
    for (size_t i = 0; i < n; i++) {
        out->fitted[i] = out->intercept + out->slope * (double)(i + 1);
        double e = x[i] - out->fitted[i];
        sse += e * e;
    }
    double sst = ks_stats_ss_dev(x, n, mx);
    out->r2 = sst == 0.0 ? NAN : 1.0 - sse / sst;
    for (size_t h = 1; h <= out->horizon; h++)
        out->forecast[h - 1] = out->intercept + out->slope * (double)(n + h);
    return KS_STAT_OK;
}

void ks_stats_trend_free(ks_stats_trend_result *r)
{
    free(r->fitted);
    free(r->forecast);
    *r = (ks_stats_trend_result){0};
}

ks_stat_status ks_stats_seasonal_index(const double *x, size_t n, int L,
                                       ks_stats_seasonal_result *out)
{
    *out = (ks_stats_seasonal_result){0};
    if (L < 2 || n % (size_t)L != 0)
        return KS_STAT_E_DOMAIN;
    if (n == 0)
        return KS_STAT_E_N_TOO_SMALL;
    size_t season = (size_t)L, cycles = n / season;
    double grand_mean = ks_stats_mean_of(x, n);
    if (grand_mean == 0.0)
        return KS_STAT_E_DIV_ZERO;
    out->season_means = ks_stats_calloc(season, sizeof *out->season_means);
    out->index = ks_stats_calloc(season, sizeof *out->index);
    out->index_percent = ks_stats_calloc(season, sizeof *out->index_percent);
    if (!out->season_means || !out->index || !out->index_percent) {
        ks_stats_seasonal_free(out);
        return KS_STAT_E_NOMEM;
    }
    out->L = season;
    out->grand_mean = grand_mean;
    for (size_t j = 0; j < season; j++) {
        double sum = 0.0;
        for (size_t c = 0; c < cycles; c++)
            sum += x[j + c * season];
        out->season_means[j] = sum / (double)cycles;
        out->index[j] = out->season_means[j] / grand_mean;
        out->index_percent[j] = 100.0 * out->index[j];
    }
    return KS_STAT_OK;
}

void ks_stats_seasonal_free(ks_stats_seasonal_result *r)
{
    free(r->season_means);
    free(r->index);
    free(r->index_percent);
    *r = (ks_stats_seasonal_result){0};
}

ks_stat_status ks_stats_mape(const double *actual, size_t na, const double *forecast,
                             size_t nf, ks_stats_mape_result *out)
{
    if (na != nf)
        return KS_STAT_E_LENGTH_MISMATCH;
    if (na == 0)
        return KS_STAT_E_N_TOO_SMALL;
    for (size_t i = 0; i < na; i++)
        if (actual[i] == 0.0)
            return KS_STAT_E_DIV_ZERO;
    forecast_errors(actual, forecast, na, &out->mae, &out->mape_percent);
    return KS_STAT_OK;
}
