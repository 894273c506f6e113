/* The t and normal distributions for the statistics module, from GSL.
 * GSL's t quantile is usually good to ~1e-14 but stops its own refinement
 * early in far tails (at df = 1, q = 1e-10 it is off by 5e-7 relative,
 * against scipy); a few Newton steps on the upper-tail CDF, which GSL gets
 * to ~1e-15, bring it to full double precision. GSL's default error
 * handler aborts the process; it is turned off once, before the first call,
 * unless the host installed its own handler. Depends on GSL, pthreads, libm. */
#include "stats/stats_util.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <pthread.h>

static pthread_once_t gsl_once = PTHREAD_ONCE_INIT;

/* gsl_set_error_handler_off returns the previous handler: NULL is GSL's
 * default (print and abort), anything else is the host's and is put back. */
static void quiet_gsl(void)
{
    gsl_error_handler_t *previous = gsl_set_error_handler_off();
    if (previous)
        gsl_set_error_handler(previous);
}

static void ensure_gsl(void) { pthread_once(&gsl_once, quiet_gsl); }

double ks_stats_t_sf(double t, double df)
{
    ensure_gsl();
    if (isinf(t))
        return t > 0 ? 0.0 : 1.0;
    return gsl_cdf_tdist_Q(t, df);
}

double ks_stats_t_isf(double q, double df)
{
    ensure_gsl();
    double x = gsl_cdf_tdist_Qinv(q, df);
    for (int i = 0; i < 8 && isfinite(x); i++) {
        double density = gsl_ran_tdist_pdf(x, df);
        if (!(density > 0))
            break;
        double step = (gsl_cdf_tdist_Q(x, df) - q) / density;
        if (!isfinite(step))
            break;
        x += step;
        if (fabs(step) <= 4e-16 * fabs(x))
            break;
    }
    return x;
}

double ks_stats_normal_quantile(double p)
{
    ensure_gsl();
    return gsl_cdf_ugaussian_Pinv(p);
}

void ks_stats_t_verdict(double t, double df, double alpha, double *p_two_sided,
                        double *t_crit, bool *significant)
{
    *p_two_sided = 2.0 * ks_stats_t_sf(fabs(t), df);
    *t_crit = ks_stats_t_isf(alpha / 2.0, df);
    *significant = fabs(t) > *t_crit;
}
