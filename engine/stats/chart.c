/* SVG control charts, scatter plots and histograms: see
 * include/kaoshi/chart.h. The picture is written element by element into a
 * growing buffer; numbers are printed with fixed precision and no locale, so
 * the output is a pure function of the input. Depends on libm and the
 * statistics core (the scatter plot's least-squares line). */
#include "kaoshi/chart.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaoshi/stats.h"

/* The plot area inside the canvas; the margins hold the title, the tick and
 * axis labels and, on the right, the names of the control lines. */
enum { LEFT = 72, RIGHT = KS_CHART_WIDTH - 56, TOP = 44, BOTTOM = KS_CHART_HEIGHT - 64 };

#define MAX_MAGNITUDE 1e15 /* larger values overflow the scale arithmetic */
#define MAX_DECIMALS 12

#define COLOR_SERIES "#1f77b4"
#define COLOR_LIMIT "#d62728"
#define COLOR_ZONE "#999999"
#define COLOR_CENTER "#2ca02c"
#define COLOR_GRID "#e5e5e5"
#define COLOR_INK "#333333"

/* ---- output buffer ----------------------------------------------------------- */

typedef struct buf {
    char *p;
    size_t len, cap;
    bool failed; /* out of memory: later writes are ignored */
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(buf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = true;
            return;
        }
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap : 4096;
        while (cap <= b->len + (size_t)n)
            cap *= 2;
        char *grown = realloc(b->p, cap);
        if (!grown) {
            b->failed = true;
            return;
        }
        b->p = grown;
        b->cap = cap;
    }
}

/* ---- text ---------------------------------------------------------------------- */

/* Length of the UTF-8 sequence starting at s (1..4), or 0 when it is invalid
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] >= 0x90))
        return 0;
    return n;
}

static bool utf8_valid(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_seq(p);
        if (!n)
            return false;
        p += n;
    }
    return true;
}

/* Appends s (valid UTF-8) as XML character data: the five markup characters
 * become entities and control characters, which XML 1.0 forbids, are
 * dropped. */
static void put_escaped(buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': put(b, "&amp;"); break;
        case '<': put(b, "&lt;"); break;
        case '>': put(b, "&gt;"); break;
        case '"': put(b, "&quot;"); break;
        case '\'': put(b, "&#39;"); break;
        default:
            if (*p >= 0x20 && *p != 0x7F)
                put(b, "%c", *p);
        }
    }
}

/* Approximate drawn width of s in pixels at the tick font size: wide
 * (CJK) characters count 12, others 7. */
static double text_width(const char *s)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_seq(p);
        w += n >= 3 ? 12 : 7;
        p += n ? n : 1;
    }
    return w;
}

static bool has_text(const char *s) { return s && *s; }

static ks_status check_texts(const ks_chart_text *t, ks_error *err)
{
    const char *texts[] = {t->title, t->x_label, t->y_label};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i] && !utf8_valid(texts[i]))
            return ks_error_set(err, KS_EINPUT, "a title or label is not valid UTF-8");
    return KS_OK;
}

/* ---- axes ---------------------------------------------------------------------- */

/* A linear scale from lo to hi with ticks every step, printed with
 * `decimals` digits after the point. */
typedef struct axis {
    double lo, hi, step;
    int decimals;
} axis;

/* A scale covering [min, max] with about five ticks at 1, 2 or 5 × 10^k. */
static axis nice_axis(double min, double max)
{
    if (max == min) {
        double pad = fabs(min) > 0 ? fabs(min) * 0.1 : 1;
        min -= pad;
        max += pad;
    }
    double span = max - min;
    min -= span * 0.02;
    max += span * 0.02;
    double raw = (max - min) / 5;
    double mag = pow(10, floor(log10(raw)));
    double norm = raw / mag;
    double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    axis a = {floor(min / step) * step, ceil(max / step) * step, step, 0};
    if (step < 1)
        a.decimals = (int)fmin(ceil(-log10(step) - 1e-9), MAX_DECIMALS);
    return a;
}

static int tick_count(const axis *a) { return (int)lround((a->hi - a->lo) / a->step); }

static double tick_value(const axis *a, int i)
{
    double v = a->lo + i * a->step;
    return fabs(v) < a->step * 1e-9 ? 0 : v; /* never print "-0" */
}

static double y_pos(const axis *a, double v)
{
    return TOP + (a->hi - v) / (a->hi - a->lo) * (BOTTOM - TOP);
}

static double x_pos(const axis *a, double v)
{
    return LEFT + (v - a->lo) / (a->hi - a->lo) * (RIGHT - LEFT);
}

/* Horizontal grid lines and value labels of the y axis. */
static void put_y_axis(buf *b, const axis *y)
{
    put(b, "<g class=\"y-axis\" font-size=\"11\" fill=\"" COLOR_INK "\" text-anchor=\"end\">\n");
    for (int i = 0; i <= tick_count(y); i++) {
        double v = tick_value(y, i), py = y_pos(y, v);
        put(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"" COLOR_GRID "\"/>\n",
            LEFT, py, RIGHT, py);
        put(b, "<text x=\"%d\" y=\"%.1f\">%.*f</text>\n", LEFT - 6, py + 4, y->decimals, v);
    }
    put(b, "</g>\n");
}

/* The opening tag, the background, the title and the axis labels. */
static void put_head(buf *b, const ks_chart_text *t, const char *kind)
{
    put(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"%s\" width=\"%d\" height=\"%d\" "
           "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
        kind, KS_CHART_WIDTH, KS_CHART_HEIGHT, KS_CHART_WIDTH, KS_CHART_HEIGHT);
    if (has_text(t->title)) {
        put(b, "<title>");
        put_escaped(b, t->title);
        put(b, "</title>\n");
    }
    put(b, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", KS_CHART_WIDTH,
        KS_CHART_HEIGHT);
    if (has_text(t->title)) {
        put(b, "<text class=\"title\" x=\"%d\" y=\"26\" text-anchor=\"middle\" font-size=\"16\" "
               "fill=\"" COLOR_INK "\">", (LEFT + RIGHT) / 2);
        put_escaped(b, t->title);
        put(b, "</text>\n");
    }
    if (has_text(t->x_label)) {
        put(b, "<text class=\"x-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
               "fill=\"" COLOR_INK "\">", (LEFT + RIGHT) / 2, KS_CHART_HEIGHT - 14);
        put_escaped(b, t->x_label);
        put(b, "</text>\n");
    }
    if (has_text(t->y_label)) {
        put(b, "<text class=\"y-label\" transform=\"translate(18 %d) rotate(-90)\" "
               "text-anchor=\"middle\" fill=\"" COLOR_INK "\">", (TOP + BOTTOM) / 2);
        put_escaped(b, t->y_label);
        put(b, "</text>\n");
    }
}

static void put_frame_and_tail(buf *b)
{
    put(b, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
           "stroke=\"" COLOR_INK "\"/>\n</svg>\n",
        LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP);
}

static ks_status finish(buf *b, char **svg, ks_error *err)
{
    if (b->failed) {
        free(b->p);
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    *svg = b->p;
    return KS_OK;
}

/* ---- control chart ----------------------------------------------------------- */

/* Finite and small enough that scales and positions stay finite. */
static bool all_drawable(const double *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        if (!(fabs(v[i]) <= MAX_MAGNITUDE))
            return false;
    return true;
}

static ks_status check_control(const ks_chart_control *c, ks_error *err)
{
    if (c->n < 1 || c->n > KS_CHART_MAX_POINTS)
        return ks_error_set(err, KS_EINPUT, "a control chart needs 1 to %d points (got %zu)",
                            KS_CHART_MAX_POINTS, c->n);
    if (!all_drawable(c->values, c->n))
        return ks_error_set(err, KS_EINPUT, "every point must be a finite number up to 1e15");
    if (!isnan(c->center) && !(fabs(c->center) <= MAX_MAGNITUDE))
        return ks_error_set(err, KS_EINPUT, "the centre line must be finite (or NaN for none)");
    if (!(c->sigma >= 0 && c->sigma <= MAX_MAGNITUDE))
        return ks_error_set(err, KS_EINPUT, "sigma must be a finite number >= 0");
    if (c->sigma > 0 && isnan(c->center))
        return ks_error_set(err, KS_EINPUT, "zones (sigma > 0) need a centre line");
    if (c->sigma > 0 && (c->ucl || c->lcl))
        return ks_error_set(err, KS_EINPUT, "give either sigma or per-point limits");
    if (!all_drawable(c->ucl, c->n) || !all_drawable(c->lcl, c->n))
        return ks_error_set(err, KS_EINPUT, "every limit must be a finite number up to 1e15");
    for (size_t i = 0; i < c->nflagged; i++)
        if (c->flagged[i] >= c->n)
            return ks_error_set(err, KS_EINPUT, "flagged index %zu is past the last point (%zu)",
                                c->flagged[i], c->n - 1);
    for (size_t i = 0; c->labels && i < c->n; i++)
        if (!c->labels[i] || !utf8_valid(c->labels[i]))
            return ks_error_set(err, KS_EINPUT, "label %zu is missing or not valid UTF-8",
                                i + 1);
    return check_texts(&c->text, err);
}

/* The smallest and largest of v[0..n-1] folded into *lo, *hi (v may be NULL). */
static void widen(const double *v, size_t n, double *lo, double *hi)
{
    for (size_t i = 0; v && i < n; i++) {
        if (v[i] < *lo)
            *lo = v[i];
        if (v[i] > *hi)
            *hi = v[i];
    }
}

static double point_x(const ks_chart_control *c, size_t i)
{
    return LEFT + ((double)i + 0.5) * (RIGHT - LEFT) / (double)c->n;
}

/* Point numbers (or the given labels) under the x axis, every k-th one when
 * they would overlap. */
static void put_x_ticks(buf *b, const ks_chart_control *c)
{
    double widest = 0;
    for (size_t i = 0; i < c->n; i++) {
        char num[24];
        snprintf(num, sizeof num, "%zu", i + 1);
        double w = text_width(c->labels ? c->labels[i] : num) + 6;
        if (w > widest)
            widest = w;
    }
    size_t every = (size_t)ceil(widest * (double)c->n / (RIGHT - LEFT));
    if (every < 1)
        every = 1;
    put(b, "<g class=\"x-axis\" font-size=\"11\" fill=\"" COLOR_INK "\" text-anchor=\"middle\">\n");
    for (size_t i = 0; i < c->n; i += every) {
        put(b, "<text x=\"%.1f\" y=\"%d\">", point_x(c, i), BOTTOM + 18);
        if (c->labels)
            put_escaped(b, c->labels[i]);
        else
            put(b, "%zu", i + 1);
        put(b, "</text>\n");
    }
    put(b, "</g>\n");
}

/* A horizontal line across the plot with its name at the right. */
static void put_level(buf *b, const axis *y, double v, const char *cls, const char *color,
                      const char *dash, const char *name)
{
    double py = y_pos(y, v);
    put(b, "<line class=\"%s\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"%s%s%s/>\n",
        cls, LEFT, py, RIGHT, py, color, dash ? " stroke-dasharray=\"" : "", dash ? dash : "",
        dash ? "\"" : "");
    if (name)
        put(b, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"%s\">%s</text>\n", RIGHT + 4,
            py + 4, color, name);
}

/* Per-point limits as a step line: flat across each point's slot. */
static void put_steps(buf *b, const ks_chart_control *c, const axis *y, const double *lim,
                      const char *name)
{
    double half = (RIGHT - LEFT) / (double)c->n / 2;
    put(b, "<polyline class=\"limit\" fill=\"none\" stroke=\"" COLOR_LIMIT "\" "
           "stroke-dasharray=\"6 4\" points=\"");
    for (size_t i = 0; i < c->n; i++) {
        double x = point_x(c, i), py = y_pos(y, lim[i]);
        put(b, "%s%.1f,%.1f %.1f,%.1f", i ? " " : "", x - half, py, x + half, py);
    }
    put(b, "\"/>\n");
    put(b, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"" COLOR_LIMIT "\">%s</text>\n",
        RIGHT + 4, y_pos(y, lim[c->n - 1]) + 4, name);
}

/* The least distance in pixels between two levels for both to be named: a
 * label is 11 px high. */
#define LABEL_GAP 12.0

static void put_lines(buf *b, const ks_chart_control *c, const axis *y)
{
    if (c->sigma > 0) {
        static const char *const names[] = {"+1σ", "+2σ", "UCL", "−1σ", "−2σ", "LCL"};
        /* zones too narrow to name (a far outlier stretches the axis) keep
         * their lines; CL, UCL and LCL keep their names */
        int zone_names = fabs(y_pos(y, c->center + c->sigma) - y_pos(y, c->center)) >= LABEL_GAP;
        for (int k = 1; k <= 3; k++) {
            for (int side = 0; side < 2; side++) {
                double v = c->center + (side ? -k : k) * c->sigma;
                if (k == 3)
                    put_level(b, y, v, "limit", COLOR_LIMIT, "6 4", names[side * 3 + 2]);
                else
                    put_level(b, y, v, "zone", COLOR_ZONE, "2 3",
                              zone_names ? names[side * 3 + k - 1] : NULL);
            }
        }
    } else {
        if (c->ucl)
            put_steps(b, c, y, c->ucl, "UCL");
        if (c->lcl)
            put_steps(b, c, y, c->lcl, "LCL");
    }
    if (!isnan(c->center))
        put_level(b, y, c->center, "center", COLOR_CENTER, NULL, "CL");
}

static void put_series(buf *b, const ks_chart_control *c, const axis *y, const bool *flag)
{
    put(b, "<polyline class=\"series\" fill=\"none\" stroke=\"" COLOR_SERIES "\" "
           "stroke-width=\"1.5\" points=\"");
    for (size_t i = 0; i < c->n; i++)
        put(b, "%s%.1f,%.1f", i ? " " : "", point_x(c, i), y_pos(y, c->values[i]));
    put(b, "\"/>\n");
    for (size_t i = 0; i < c->n; i++)
        put(b, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
            point_x(c, i), y_pos(y, c->values[i]), flag[i] ? COLOR_LIMIT : COLOR_SERIES);
    for (size_t i = 0; i < c->n; i++)
        if (flag[i])
            put(b, "<circle class=\"flagged\" cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\"none\" "
                   "stroke=\"" COLOR_LIMIT "\" stroke-width=\"2\"/>\n",
                point_x(c, i), y_pos(y, c->values[i]));
}

ks_status ks_chart_control_svg(const ks_chart_control *c, char **svg, ks_error *err)
{
    *svg = NULL;
    ks_status rc = check_control(c, err);
    if (rc)
        return rc;
    bool *flag = calloc(c->n, sizeof *flag);
    if (!flag)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    for (size_t i = 0; i < c->nflagged; i++)
        flag[c->flagged[i]] = true;

    double lo = c->values[0], hi = c->values[0];
    widen(c->values, c->n, &lo, &hi);
    if (!isnan(c->center)) {
        double around[2] = {c->center - 3 * c->sigma, c->center + 3 * c->sigma};
        widen(around, 2, &lo, &hi);
    }
    widen(c->ucl, c->n, &lo, &hi);
    widen(c->lcl, c->n, &lo, &hi);
    axis y = nice_axis(lo, hi);

    buf b = {0};
    put_head(&b, &c->text, "control-chart");
    put_y_axis(&b, &y);
    put_x_ticks(&b, c);
    put_lines(&b, c, &y);
    put_series(&b, c, &y, flag);
    put_frame_and_tail(&b);
    free(flag);
    return finish(&b, svg, err);
}

/* ---- scatter plot ---------------------------------------------------------------- */

static void put_x_axis(buf *b, const axis *x)
{
    put(b, "<g class=\"x-axis\" font-size=\"11\" fill=\"" COLOR_INK "\" text-anchor=\"middle\">\n");
    for (int i = 0; i <= tick_count(x); i++) {
        double v = tick_value(x, i), px = x_pos(x, v);
        put(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"" COLOR_GRID "\"/>\n",
            px, TOP, px, BOTTOM);
        put(b, "<text x=\"%.1f\" y=\"%d\">%.*f</text>\n", px, BOTTOM + 18, x->decimals, v);
    }
    put(b, "</g>\n");
}

ks_status ks_chart_scatter_svg(const ks_chart_scatter *s, char **svg, ks_error *err)
{
    *svg = NULL;
    if (s->n < 1 || s->n > KS_CHART_MAX_POINTS)
        return ks_error_set(err, KS_EINPUT, "a scatter plot needs 1 to %d points (got %zu)",
                            KS_CHART_MAX_POINTS, s->n);
    if (!all_drawable(s->x, s->n) || !all_drawable(s->y, s->n))
        return ks_error_set(err, KS_EINPUT, "every point must be a finite number up to 1e15");
    ks_status rc = check_texts(&s->text, err);
    if (rc)
        return rc;

    double xlo = s->x[0], xhi = s->x[0], ylo = s->y[0], yhi = s->y[0];
    widen(s->x, s->n, &xlo, &xhi);
    widen(s->y, s->n, &ylo, &yhi);
    ks_stats_linreg_result fit = {0};
    bool line = false;
    if (s->line) {
        ks_stat_status st = ks_stats_linreg(s->x, s->n, s->y, s->n, &fit);
        if (st == KS_STAT_E_NOMEM)
            return ks_error_set(err, KS_EINTERNAL, "out of memory");
        line = st == KS_STAT_OK; /* no line through a single point or a constant x */
        ks_stats_linreg_free(&fit);
    }
    double ends[2] = {fit.intercept + fit.slope * xlo, fit.intercept + fit.slope * xhi};
    if (line)
        widen(ends, 2, &ylo, &yhi);
    axis x = nice_axis(xlo, xhi), y = nice_axis(ylo, yhi);

    buf b = {0};
    put_head(&b, &s->text, "scatter-plot");
    put_y_axis(&b, &y);
    put_x_axis(&b, &x);
    if (line)
        put(&b, "<line class=\"fit\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"" COLOR_LIMIT "\" stroke-width=\"1.5\"/>\n",
            x_pos(&x, xlo), y_pos(&y, ends[0]), x_pos(&x, xhi), y_pos(&y, ends[1]));
    for (size_t i = 0; i < s->n; i++)
        put(&b, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"" COLOR_SERIES
                "\" fill-opacity=\"0.8\"/>\n",
            x_pos(&x, s->x[i]), y_pos(&y, s->y[i]));
    put_frame_and_tail(&b);
    return finish(&b, svg, err);
}

/* ---- histogram ------------------------------------------------------------------- */

static double bin_edge(const ks_chart_histogram *h, size_t i)
{
    return h->lo + (h->hi - h->lo) * (double)i / (double)h->bins;
}

/* The digits after the point (0 to 3) that print every bin edge exactly, or 3. */
static int edge_decimals(const ks_chart_histogram *h)
{
    for (int d = 0; d < 3; d++) {
        double scale = pow(10, d);
        bool exact = true;
        for (size_t i = 0; exact && i <= h->bins; i++) {
            double v = bin_edge(h, i) * scale;
            exact = fabs(v - round(v)) <= 1e-9 * fmax(1, fabs(v));
        }
        if (exact)
            return d;
    }
    return 3;
}

static ks_status check_histogram(const ks_chart_histogram *h, ks_error *err)
{
    if (h->n < 1 || h->n > KS_CHART_MAX_VALUES)
        return ks_error_set(err, KS_EINPUT, "a histogram needs 1 to %d values (got %zu)",
                            KS_CHART_MAX_VALUES, h->n);
    if (h->bins < 1 || h->bins > KS_CHART_MAX_BINS)
        return ks_error_set(err, KS_EINPUT, "a histogram needs 1 to %d bins (got %zu)",
                            KS_CHART_MAX_BINS, h->bins);
    if (!(fabs(h->lo) <= MAX_MAGNITUDE && fabs(h->hi) <= MAX_MAGNITUDE && h->lo < h->hi))
        return ks_error_set(err, KS_EINPUT, "the range of a histogram must be finite, from a "
                            "low to a higher value");
    for (size_t i = 0; i < h->n; i++)
        if (!(h->values[i] >= h->lo && h->values[i] <= h->hi))
            return ks_error_set(err, KS_EINPUT, "value %zu (%g) is outside the histogram's "
                                "range %g to %g", i + 1, h->values[i], h->lo, h->hi);
    if (!isnan(h->marker) && !(h->marker >= h->lo && h->marker <= h->hi))
        return ks_error_set(err, KS_EINPUT, "the marker must lie in the histogram's range (or "
                            "be NaN for none)");
    if (h->marker_label && !utf8_valid(h->marker_label))
        return ks_error_set(err, KS_EINPUT, "the marker's label is not valid UTF-8");
    return check_texts(&h->text, err);
}

/* The bin edges under the x axis, every k-th one when they would overlap. */
static void put_edges(buf *b, const ks_chart_histogram *h)
{
    int decimals = edge_decimals(h);
    double widest = 0;
    for (size_t i = 0; i <= h->bins; i++) {
        char label[64];
        snprintf(label, sizeof label, "%.*f", decimals, bin_edge(h, i));
        widest = fmax(widest, text_width(label) + 6);
    }
    size_t every = (size_t)ceil(widest * (double)(h->bins + 1) / (RIGHT - LEFT));
    if (every < 1)
        every = 1;
    double width = (double)(RIGHT - LEFT) / (double)h->bins;
    put(b, "<g class=\"x-axis\" font-size=\"11\" fill=\"" COLOR_INK "\" text-anchor=\"middle\">\n");
    for (size_t i = 0; i <= h->bins; i += every)
        put(b, "<text x=\"%.1f\" y=\"%d\">%.*f</text>\n", LEFT + (double)i * width, BOTTOM + 18,
            decimals, bin_edge(h, i));
    put(b, "</g>\n");
}

ks_status ks_chart_histogram_svg(const ks_chart_histogram *h, char **svg, ks_error *err)
{
    *svg = NULL;
    ks_status rc = check_histogram(h, err);
    if (rc)
        return rc;
    size_t *counts = calloc(h->bins, sizeof *counts), most = 0;
    if (!counts)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    for (size_t i = 0; i < h->n; i++) {
        /* multiplying first keeps whole-number edges exact: 30·10/100 is 3 */
        size_t bin = (size_t)floor((h->values[i] - h->lo) * (double)h->bins / (h->hi - h->lo));
        if (bin >= h->bins)
            bin = h->bins - 1;
        if (++counts[bin] > most)
            most = counts[bin];
    }
    axis y = nice_axis(0, (double)most);
    if (y.lo < 0)
        y.lo = 0;
    if (y.step < 1) /* counts are whole numbers */
        y = (axis){0, ceil(y.hi), 1, 0};

    buf b = {0};
    put_head(&b, &h->text, "histogram");
    put_y_axis(&b, &y);
    put_edges(&b, h);
    double width = (double)(RIGHT - LEFT) / (double)h->bins;
    for (size_t i = 0; i < h->bins; i++) {
        double x0 = LEFT + (double)i * width, top = y_pos(&y, (double)counts[i]);
        put(&b, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "fill=\"" COLOR_SERIES "\" fill-opacity=\"0.85\"/>\n",
            x0 + 1, top, fmax(width - 2, 1), BOTTOM - top);
        if (counts[i])
            put(&b, "<text class=\"count\" x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                    "text-anchor=\"middle\" fill=\"" COLOR_INK "\">%zu</text>\n",
                x0 + width / 2, top - 4, counts[i]);
    }
    if (!isnan(h->marker)) {
        double px = LEFT + (h->marker - h->lo) / (h->hi - h->lo) * (RIGHT - LEFT);
        put(&b, "<line class=\"marker\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                "stroke=\"" COLOR_LIMIT "\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
            px, TOP, px, BOTTOM);
        if (has_text(h->marker_label)) {
            put(&b, "<text class=\"marker-label\" x=\"%.1f\" y=\"%d\" font-size=\"11\" "
                    "text-anchor=\"middle\" fill=\"" COLOR_LIMIT "\">", px, TOP - 5);
            put_escaped(&b, h->marker_label);
            put(&b, "</text>\n");
        }
    }
    put_frame_and_tail(&b);
    free(counts);
    return finish(&b, svg, err);
}
