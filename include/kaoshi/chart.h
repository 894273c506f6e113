/* Pictures for calculated questions and reports, drawn as SVG: a control
 * chart (the points joined in time order, a centre line, the ±1σ/±2σ/±3σ
 * zone lines or per-point control limits, highlighted points), a scatter
 * plot with its least-squares line and a histogram. Every picture is
 * KS_CHART_WIDTH × KS_CHART_HEIGHT, holds only shapes and text (no scripts,
 * styles, links or external references), escapes every text it is given,
 * and is a pure function of its input: the same input gives the same bytes.
 * Plain C; the scatter plot's line comes from the statistics core
 * (ks_stats_linreg). */
#ifndef KAOSHI_CHART_H
#define KAOSHI_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "kaoshi/error.h"

#define KS_CHART_WIDTH 640
#define KS_CHART_HEIGHT 400
#define KS_CHART_MAX_POINTS 1000

/* Texts of a picture, UTF-8; NULL or "" for none. */
typedef struct ks_chart_text {
    const char *title;
    const char *x_label;
    const char *y_label;
} ks_chart_text;

typedef struct ks_chart_control {
    ks_chart_text text;
    const double *values; /* the points in time order, 1..KS_CHART_MAX_POINTS */
    size_t n;
    /* n tick labels for the x axis ("09:00", "周一"), or NULL: points are
     * numbered 1..n. Crowded labels are thinned, never abbreviated. */
    const char *const *labels;
    double center; /* the centre line (CL); NaN: none */
    /* > 0: zone lines at center ± 1σ and ± 2σ, and the control limits (UCL,
     * LCL) at center ± 3σ. 0: the limits, if any, come from ucl/lcl. */
    double sigma;
    /* With sigma == 0: per-point limits (n each, either may be NULL), drawn
     * as steps around each point, e.g. a p chart whose limits vary with the
     * sample size. */
    const double *ucl, *lcl;
    const size_t *flagged; /* 0-based indices of points to highlight */
    size_t nflagged;
} ks_chart_control;

typedef struct ks_chart_scatter {
    ks_chart_text text;
    const double *x, *y; /* 1..KS_CHART_MAX_POINTS pairs */
    size_t n;
    bool line; /* draw the least-squares line of y on x (none when x is constant) */
} ks_chart_scatter;

#define KS_CHART_MAX_VALUES 1000000
#define KS_CHART_MAX_BINS 100

/* The values counted in `bins` bins of equal width from lo to hi (a value v
 * falls in bin ⌊(v−lo)·bins/(hi−lo)⌋, hi in the last), drawn as bars with
 * their counts above them, the bin edges on the x axis. */
typedef struct ks_chart_histogram {
    ks_chart_text text;
    const double *values; /* 1..KS_CHART_MAX_VALUES, each within [lo, hi] */
    size_t n;
    double lo, hi; /* lo < hi */
    size_t bins;   /* 1..KS_CHART_MAX_BINS */
    double marker; /* a vertical line at this value in [lo, hi] (e.g. the mean); NaN: none */
    const char *marker_label; /* its name, UTF-8; NULL or "" for none */
} ks_chart_histogram;

/* Draws the chart into *svg (malloc'd, NUL-terminated). KS_EINPUT with a
 * message when the input cannot be drawn: no points or too many, a value or
 * limit that is not finite (or, in a histogram, outside its range), a centre
 * line missing where zones need one, a negative sigma, a flagged index out of
 * range, a text that is not UTF-8; KS_EINTERNAL when out of memory. */
ks_status ks_chart_control_svg(const ks_chart_control *chart, char **svg, ks_error *err);
ks_status ks_chart_scatter_svg(const ks_chart_scatter *chart, char **svg, ks_error *err);
ks_status ks_chart_histogram_svg(const ks_chart_histogram *chart, char **svg, ks_error *err);

#endif
