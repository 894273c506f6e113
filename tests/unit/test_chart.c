/* Unit tests for engine/chart.c: the elements each chart holds and where,
 * escaping of every text, nothing active or external in the SVG, identical
 * bytes for identical input, and the inputs refused. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kaoshi/chart.h"
#include "unit.h"

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static int has(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const double values5[] = {10, 12, 11, 13, 30};
static const size_t flag4[] = {4};

static ks_chart_control zone_chart(void)
{
    ks_chart_control c = {
        .text = {"日均 AHT", "日期", "秒"},
        .values = values5,
        .n = 5,
        .center = 15.2,
        .sigma = 2,
        .flagged = flag4,
        .nflagged = 1,
    };
    return c;
}

/* No scripts, event handlers, links, styles or embedded resources. */
static void check_inert(const char *svg)
{
    CHECK(!has(svg, "<script"));
    CHECK(!has(svg, "href"));
    CHECK(!has(svg, "<style"));
    CHECK(!has(svg, "url("));
    CHECK(!has(svg, "<image"));
    CHECK(!has(svg, "<use"));
    CHECK(!has(svg, "<foreignObject"));
    CHECK(!has(svg, " on"));
}

static void control_chart_with_zones(void)
{
    ks_chart_control c = zone_chart();
    char *svg;
    ks_error err;
    CHECK_INT(ks_chart_control_svg(&c, &svg, &err), KS_OK);
    CHECK(starts(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"control-chart\" "
                      "width=\"640\" height=\"400\" viewBox=\"0 0 640 400\""));
    CHECK(strcmp(svg + strlen(svg) - 7, "</svg>\n") == 0);
    CHECK_INT(count(svg, "<svg"), 1);
    CHECK_INT(count(svg, "class=\"point\""), 5);
    CHECK_INT(count(svg, "class=\"flagged\""), 1);
    CHECK_INT(count(svg, "class=\"zone\""), 4);
    CHECK_INT(count(svg, "class=\"limit\""), 2);
    CHECK_INT(count(svg, "class=\"center\""), 1);
    CHECK_INT(count(svg, "class=\"series\""), 1);
    CHECK(has(svg, ">UCL</text>") && has(svg, ">LCL</text>") && has(svg, ">CL</text>"));
    CHECK(has(svg, ">+2σ</text>") && has(svg, ">−1σ</text>"));
    /* y scale 5..35 over 44..336; point 5 (index 4) is at x 72 + 4.5 × 102.4 */
    CHECK(has(svg, "<circle class=\"flagged\" cx=\"532.8\" cy=\"92.7\""));
    CHECK(has(svg, "<circle class=\"point\" cx=\"123.2\" cy=\"287.3\" r=\"3\" fill=\"#1f77b4\""));
    CHECK(has(svg, ">35</text>") && has(svg, ">5</text>"));
    /* UCL at 15.2 + 6 = 21.2 */
    CHECK(has(svg, "<line class=\"limit\" x1=\"72\" y1=\"178.3\" x2=\"584\" y2=\"178.3\""));
    CHECK(has(svg, "<title>日均 AHT</title>"));
    CHECK(has(svg, ">日期</text>") && has(svg, ">秒</text>"));
    for (int i = 1; i <= 5; i++) {
        char tick[32];
        snprintf(tick, sizeof tick, ">%d</text>", i);
        CHECK(has(svg, tick));
    }
    check_inert(svg);
    free(svg);
}

static void control_chart_with_per_point_limits(void)
{
    const double p[] = {0.05, 0.08, 0.2, 0.06};
    const double ucl[] = {0.15, 0.14, 0.16, 0.15}, lcl[] = {0, 0, 0.01, 0};
    ks_chart_control c = {.values = p, .n = 4, .center = 0.07, .ucl = ucl, .lcl = lcl};
    char *svg;
    ks_error err;
    CHECK_INT(ks_chart_control_svg(&c, &svg, &err), KS_OK);
    CHECK_INT(count(svg, "<polyline class=\"limit\""), 2);
    CHECK_INT(count(svg, "class=\"zone\""), 0);
    CHECK_INT(count(svg, "class=\"flagged\""), 0);
    CHECK_INT(count(svg, "class=\"point\""), 4);
    CHECK(!has(svg, "<title>"));
    /* step 0.05: two decimals on the y axis */
    CHECK(has(svg, ">0.00</text>") && has(svg, ">0.20</text>"));
    free(svg);

    c.center = NAN;
    c.ucl = c.lcl = NULL;
    CHECK_INT(ks_chart_control_svg(&c, &svg, &err), KS_OK);
    CHECK_INT(count(svg, "class=\"center\""), 0);
    CHECK_INT(count(svg, "class=\"limit\""), 0);
    free(svg);
}

static void every_text_is_escaped(void)
{
    const char *labels[] = {"<script>alert(1)</script>", "a&b", "\"q\"", "'s'", "x\x01y"};
    ks_chart_control c = zone_chart();
    c.text.title = "A<b> & \"c\" 'd'\x07";
    c.text.x_label = "</text><script>";
    c.text.y_label = "&lt;";
    c.labels = labels;
    char *svg;
    ks_error err;
    CHECK_INT(ks_chart_control_svg(&c, &svg, &err), KS_OK);
    CHECK(has(svg, "<title>A&lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;</title>"));
    CHECK(has(svg, ">&lt;/text&gt;&lt;script&gt;</text>"));
    CHECK(has(svg, ">&amp;lt;</text>"));
    CHECK(has(svg, ">&lt;script&gt;alert(1)&lt;/script&gt;</text>"));
    CHECK(has(svg, ">xy</text>"));
    check_inert(svg);
    free(svg);
}

static void crowded_labels_are_thinned(void)
{
    double v[48];
    char names[48][16];
    const char *labels[48];
    for (int i = 0; i < 48; i++) {
        v[i] = 100 + i % 7;
        snprintf(names[i], sizeof names[i], "L%02d", i);
        labels[i] = names[i];
    }
    ks_chart_control c = {.values = v, .n = 48, .center = NAN, .labels = labels};
    char *svg;
    ks_error err;
    CHECK_INT(ks_chart_control_svg(&c, &svg, &err), KS_OK);
    /* "L00" is about 27 px wide; 48 of them in 512 px: every third */
    CHECK(has(svg, ">L00</text>") && has(svg, ">L03</text>") && has(svg, ">L45</text>"));
    CHECK(!has(svg, ">L01</text>") && !has(svg, ">L02</text>") && !has(svg, ">L47</text>"));
    CHECK_INT(count(svg, "class=\"point\""), 48);
    free(svg);
}

/* A far outlier stretches the axis until the zones are a few pixels apart:
 * their lines stay, their names go; CL, UCL and LCL keep theirs. */
static void narrow_zones_are_not_named(void)
{
    static const double v[] = {400, 1200, 395, 410};
    ks_chart_control c = {.values = v, .n = 4, .center = 400, .sigma = 5};
    char *svg;
    ks_error err;
    CHECK_INT(ks_chart_control_svg(&c, &svg, &err), KS_OK);
    CHECK_INT(count(svg, "class=\"zone\""), 4);
    CHECK(!has(svg, "σ</text>"));
    CHECK(has(svg, ">UCL</text>") && has(svg, ">LCL</text>") && has(svg, ">CL</text>"));
    free(svg);
}

static void same_input_same_bytes(void)
{
    ks_chart_control c = zone_chart();
    char *a, *b, *d;
    ks_error err;
    CHECK_INT(ks_chart_control_svg(&c, &a, &err), KS_OK);
    CHECK_INT(ks_chart_control_svg(&c, &b, &err), KS_OK);
    CHECK(strcmp(a, b) == 0);
    double other[5] = {10, 12, 11, 13, 29};
    c.values = other;
    CHECK_INT(ks_chart_control_svg(&c, &d, &err), KS_OK);
    CHECK(strcmp(a, d) != 0);
    free(a);
    free(b);
    free(d);

    const double x[] = {1, 2, 3}, y[] = {3, 1, 2};
    ks_chart_scatter s = {.x = x, .y = y, .n = 3, .line = true};
    CHECK_INT(ks_chart_scatter_svg(&s, &a, &err), KS_OK);
    CHECK_INT(ks_chart_scatter_svg(&s, &b, &err), KS_OK);
    CHECK(strcmp(a, b) == 0);
    free(a);
    free(b);
}

static void bad_control_input_is_refused(void)
{
    ks_chart_control c = zone_chart();
    char *svg = (char *)"untouched";
    ks_error err;
    c.n = 0;
    CHECK_INT(ks_chart_control_svg(&c, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "a control chart needs 1 to 1000 points (got 0)");
    CHECK(svg == NULL);

    double nan_values[] = {1, NAN, 3};
    c = zone_chart();
    c.values = nan_values;
    c.n = 3;
    c.nflagged = 0;
    CHECK_INT(ks_chart_control_svg(&c, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "every point must be a finite number up to 1e15");

    const size_t past[] = {5};
    c = zone_chart();
    c.flagged = past;
    CHECK_INT(ks_chart_control_svg(&c, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "flagged index 5 is past the last point (4)");

    c = zone_chart();
    c.center = NAN;
    CHECK_INT(ks_chart_control_svg(&c, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "zones (sigma > 0) need a centre line");

    c = zone_chart();
    c.sigma = -1;
    CHECK_INT(ks_chart_control_svg(&c, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "sigma must be a finite number >= 0");

    c = zone_chart();
    c.ucl = values5;
    CHECK_INT(ks_chart_control_svg(&c, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "give either sigma or per-point limits");

    c = zone_chart();
    c.text.title = "bad \xff byte";
    CHECK_INT(ks_chart_control_svg(&c, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "a title or label is not valid UTF-8");

    const char *labels[] = {"a", "b", "\xed\xa0\x80", "d", "e"}; /* a UTF-16 surrogate */
    c = zone_chart();
    c.labels = labels;
    CHECK_INT(ks_chart_control_svg(&c, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "label 3 is missing or not valid UTF-8");
}

static void scatter_plot_with_its_line(void)
{
    const double x[] = {1, 2, 3, 4}, y[] = {2, 4, 6, 8};
    ks_chart_scatter s = {.text = {"QA 与 CSAT", "QA 得分", "CSAT %"}, .x = x, .y = y, .n = 4,
                          .line = true};
    char *svg;
    ks_error err;
    CHECK_INT(ks_chart_scatter_svg(&s, &svg, &err), KS_OK);
    CHECK(starts(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"scatter-plot\""));
    CHECK_INT(count(svg, "class=\"point\""), 4);
    CHECK_INT(count(svg, "class=\"fit\""), 1);
    /* x scale 0.5..4.5 over 72..584, y scale 1..9 over 336..44; y = 2x */
    CHECK(has(svg, "<line class=\"fit\" x1=\"136.0\" y1=\"299.5\" x2=\"520.0\" y2=\"80.5\""));
    CHECK(has(svg, "<circle class=\"point\" cx=\"264.0\" cy=\"226.5\""));
    CHECK(has(svg, ">0.5</text>") && has(svg, ">4.5</text>") && has(svg, ">9</text>"));
    CHECK(has(svg, "<title>QA 与 CSAT</title>"));
    check_inert(svg);
    free(svg);

    s.line = false;
    CHECK_INT(ks_chart_scatter_svg(&s, &svg, &err), KS_OK);
    CHECK_INT(count(svg, "class=\"fit\""), 0);
    free(svg);

    const double same_x[] = {3, 3, 3};
    ks_chart_scatter flat = {.x = same_x, .y = y, .n = 3, .line = true};
    CHECK_INT(ks_chart_scatter_svg(&flat, &svg, &err), KS_OK);
    CHECK_INT(count(svg, "class=\"fit\""), 0);
    CHECK_INT(count(svg, "class=\"point\""), 3);
    free(svg);

    const double inf_y[] = {1, INFINITY};
    ks_chart_scatter bad = {.x = x, .y = inf_y, .n = 2};
    CHECK_INT(ks_chart_scatter_svg(&bad, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "every point must be a finite number up to 1e15");
    bad.n = 0;
    CHECK_INT(ks_chart_scatter_svg(&bad, &svg, &err), KS_EINPUT);
    CHECK_STR(err.message, "a scatter plot needs 1 to 1000 points (got 0)");
}

UNIT_MAIN(T(control_chart_with_zones), T(control_chart_with_per_point_limits),
          T(every_text_is_escaped), T(crowded_labels_are_thinned), T(narrow_zones_are_not_named), T(same_input_same_bytes),
          T(bad_control_input_is_refused), T(scatter_plot_with_its_line))
