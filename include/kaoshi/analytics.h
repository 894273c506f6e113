/* Exam analytics: the test and item statistics of one or more sittings, as
 * Moodle's quiz statistics report defines them (facility index, standard
 * deviation, random guess score, intended and effective weight,
 * discrimination index, discriminative efficiency; the test's mean, median,
 * SD, skewness, kurtosis, coefficient of internal consistency, error ratio
 * and standard error), with the classical upper/lower 27 % index, a
 * distractor analysis, dubious-question flags with reasons, a comparison of
 * two groups (Welch's t-test) and renderers to JSON, CSV and a
 * self-contained HTML report in Chinese. docs/analytics.md cites every
 * formula.
 *
 * Forms are drawn at random, so like Moodle's random questions the figures
 * come twice: per SLOT (section and position, which every attempt has; the
 * test's CIC, error ratio and standard error use these) and per ITEM (the
 * bank item drawn into slots, over the attempts that drew it).
 *
 * Plain C on the statistics core (kaoshi/stats.h), the SVG charts
 * (kaoshi/chart.h) and jansson; knows nothing of the store or Lua (the data
 * set comes from kaoshi/analytics_load.h, or from the caller). */
#ifndef KAOSHI_ANALYTICS_H
#define KAOSHI_ANALYTICS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kaoshi/error.h"
#include "kaoshi/stats.h"

/* Options of a choice item are numbered 1..KS_ANALYTICS_MAX_OPTIONS in the
 * bank's order; a set of them is a bit mask (bit k-1: option k). */
#define KS_ANALYTICS_MAX_OPTIONS 32

/* The share of attempts in each of the upper and lower groups. */
#define KS_ANALYTICS_GROUP_FRAC 0.27

/* ---- the data set ------------------------------------------------------------ */

typedef struct ks_analytics_data ks_analytics_data;

/* One slot of the form: every attempt has the same slots, in order. */
typedef struct ks_analytics_slot_info {
    int section;               /* from 1 */
    const char *section_title; /* may be NULL */
    double points;             /* the slot's maximum, > 0 */
} ks_analytics_slot_info;

/* A bank item that attempts drew. */
typedef struct ks_analytics_item_info {
    const char *id;
    const char *type;
    const char *stem; /* for display; may be NULL */
    /* Options in the bank's numbering (0 for a type without options, e.g.
     * fill-in or calculated); their texts (NULL, or noptions strings). */
    int noptions;
    const char *const *options;
    uint32_t key;  /* the right options */
    double guess;  /* expected fraction from a random guess; NaN unknown */
} ks_analytics_item_info;

/* What one attempt did in one slot. */
typedef struct ks_analytics_response {
    const char *item;  /* the item id drawn into the slot */
    double points;     /* earned, 0 .. the slot's points (partial credit allowed) */
    bool answered;     /* false: no answer was saved */
    uint32_t chosen;   /* the options chosen (0 when none or no options) */
} ks_analytics_response;

/* A finished, graded attempt; responses has one entry per slot. */
typedef struct ks_analytics_attempt {
    const char *sitting;   /* a sitting added with ks_analytics_data_add_sitting */
    const char *candidate; /* candidate number */
    int number;            /* 1 for the candidate's first attempt, 2 a retake, ... */
    uint64_t seed;         /* the form's seed */
    const ks_analytics_response *responses;
} ks_analytics_attempt;

/* A new, empty data set of the certification code (title may be NULL);
 * NULL when out of memory. Every function below copies what it is given. */
ks_analytics_data *ks_analytics_data_new(const char *code, const char *title);
void ks_analytics_data_free(ks_analytics_data *d);

/* Names a sitting the data come from (in report order); adding a name twice
 * is KS_EINPUT. */
ks_status ks_analytics_data_add_sitting(ks_analytics_data *d, const char *name, ks_error *err);

/* Sets the slots. Setting them again is accepted only when they are the same
 * (sections and points): KS_EINPUT otherwise, as for a section that is not a
 * positive number or points that are not positive. */
ks_status ks_analytics_data_set_layout(ks_analytics_data *d, const ks_analytics_slot_info *slots,
                                       size_t n, ks_error *err);

/* Adds an item. The same id again is accepted when nothing differs but the
 * texts; KS_EINPUT for different options, key, type or guess, an option count
 * outside 0..KS_ANALYTICS_MAX_OPTIONS, or a key naming no option. */
ks_status ks_analytics_data_add_item(ks_analytics_data *d, const ks_analytics_item_info *item,
                                     ks_error *err);

/* Adds an attempt (the layout must be set). KS_EINPUT for an unknown sitting
 * or item, an attempt number below 1, points outside 0 .. the slot's points,
 * or chosen options the item does not have. */
ks_status ks_analytics_data_add_attempt(ks_analytics_data *d, const ks_analytics_attempt *a,
                                        ks_error *err);

/* ---- the report ---------------------------------------------------------------- */

/* Which attempts count (Moodle's "first attempt" / "all attempts"): every
 * finished, graded attempt of the data set, or only candidates' first
 * attempts at the certification (number 1). */
typedef enum ks_analytics_which { KS_ANALYTICS_ALL, KS_ANALYTICS_FIRST } ks_analytics_which;

/* Reasons to look at a slot or item again (docs/analytics.md, "Flags"). */
typedef enum ks_analytics_flag {
    KS_ANALYTICS_NEGATIVE_DISCRIMINATION, /* discrimination index < 0 */
    KS_ANALYTICS_WEAK_DISCRIMINATION,     /* 0 <= discrimination index < 20 % */
    KS_ANALYTICS_LOW_EFFICIENCY,          /* discriminative efficiency < 15 % (Moodle's
                                             "dubious"), discrimination not negative */
    KS_ANALYTICS_BELOW_GUESS,             /* facility below the random guess score */
    KS_ANALYTICS_TOO_HARD,                /* facility < 5 % */
    KS_ANALYTICS_TOO_EASY,                /* facility > 95 % */
    KS_ANALYTICS_DISTRACTOR_UPPER,        /* a wrong option drew more of the upper group
                                             than of the lower group (items only) */
    KS_ANALYTICS_DISTRACTOR_UNUSED,       /* a wrong option nobody chose (items only) */
    KS_ANALYTICS_FLAG_COUNT
} ks_analytics_flag;

/* The flag's English name ("negative_discrimination", ...) and its reason in
 * Chinese for proctors; NULL outside the range. */
const char *ks_analytics_flag_name(ks_analytics_flag f);
const char *ks_analytics_flag_text(ks_analytics_flag f);

/* The statistics of one slot or item over the n attempts it covers. Moodle's
 * figures are percentages; a figure that is undefined (too few attempts, a
 * zero variance) is NaN. */
typedef struct ks_analytics_stat {
    size_t n;
    double points;                    /* maximum (an item's: the mean over its slots) */
    double mean;                      /* mean points earned */
    double facility;                  /* 100·mean fraction */
    double sd;                        /* 100·SD of the fraction (n-1) */
    double guess;                     /* random guess score, % */
    double intended_weight;           /* 100·points / maximum test score */
    double effective_weight;          /* 100·√C(x,T) / Σ_slots √C(x_s,T), % */
    bool negative_covariance;         /* C(x,T) < 0: no effective weight */
    double discrimination_index;      /* 100·r(x, T−x) */
    double discriminative_efficiency; /* 100·C(x, T−x) / C_max(x, T−x) */
    double p;                         /* share of attempts with full points */
    double point_biserial;            /* r(x, T), the item included */
    double d;                         /* upper-lower index: mean fraction in the upper
                                         group minus in the lower group */
    unsigned flags;                   /* bit f: ks_analytics_flag f */
} ks_analytics_stat;

typedef struct ks_analytics_slot_stat {
    int section, position; /* from 1; position within the section */
    const char *section_title;
    ks_analytics_stat stat;
    size_t nitems;
    size_t *items; /* indices into report->items, the items drawn into this slot */
} ks_analytics_slot_stat;

/* How the attempts that saw an item answered one option (or, for
 * `omitted`, gave no answer). */
typedef struct ks_analytics_option {
    int option; /* from 1; 0 for omitted */
    bool key;
    size_t count;                /* attempts that chose it */
    size_t upper, middle, lower; /* of them, in the item's upper/middle/lower group */
    double proportion;           /* count / n */
    double mean_total;           /* mean test score of those who chose it; NaN when none */
} ks_analytics_option;

typedef struct ks_analytics_item_stat {
    const ks_analytics_item_info *info; /* the data set's copy */
    ks_analytics_stat stat;
    size_t nslots;
    size_t *slots;     /* the slots (0-based) it was drawn into, ascending */
    size_t group_size; /* of its own upper and lower groups */
    ks_analytics_option *options; /* info->noptions */
    ks_analytics_option omitted;
} ks_analytics_item_stat;

typedef struct ks_analytics_test_stat {
    size_t n;         /* attempts analysed */
    double max_score; /* Σ slot points */
    double mean, median, sd; /* points; sd with n-1 */
    double skewness, kurtosis;
    double cic;            /* coefficient of internal consistency, % */
    double error_ratio;    /* % */
    double standard_error; /* points */
    double kr20;           /* NaN unless every slot's points are all or nothing */
    double *scores;        /* n: each analysed attempt's total, in data set order */
    size_t group_size;     /* g of the upper and lower 27 % groups */
    size_t *upper, *lower; /* g each: indices into scores, ascending */
} ks_analytics_test_stat;

/* Welch's t-test of two groups' scores in percent of the maximum score. */
typedef struct ks_analytics_comparison {
    char *label_a, *label_b;
    ks_stat_status status; /* OK, or why there is no test (E_N_TOO_SMALL, ...) */
    ks_stats_ttest2_result t;
} ks_analytics_comparison;

/* How many of the analysed attempts passed, which the data set does not
 * hold: a caller that knows the results counts them. */
typedef struct ks_analytics_outcome {
    size_t graded, passed;
    double pass_mark; /* percent of the maximum, or -1 when a function decides */
} ks_analytics_outcome;

typedef struct ks_analytics_report {
    const ks_analytics_data *data; /* borrowed: must outlive the report */
    const char *code, *title;
    size_t nsittings;
    const char *const *sittings;
    ks_analytics_which which;
    ks_analytics_test_stat test;
    size_t nslots;
    ks_analytics_slot_stat *slots;
    size_t nitems;
    ks_analytics_item_stat *items; /* the items drawn at least once, in the order of the
                                      first slot each appeared in, then by id */
    ks_analytics_comparison *comparison; /* NULL unless compared */
    /* NULL from ks_analytics_compute; the caller may point it at the pass
     * rate it counted (borrowed), which the HTML page then shows */
    const ks_analytics_outcome *outcome;
} ks_analytics_report;

/* Computes the report of the attempts `which` selects. With no attempt the
 * report has n = 0 and NaN figures. KS_EINTERNAL when out of memory. */
ks_status ks_analytics_compute(const ks_analytics_data *d, ks_analytics_which which,
                               ks_analytics_report **out, ks_error *err);
void ks_analytics_report_free(ks_analytics_report *r);

/* Compares the report's attempts (group A, labelled with its sittings) with
 * the attempts of `other` the same `which` selects (group B, labelled
 * label_b), replacing any earlier comparison. */
ks_status ks_analytics_compare(ks_analytics_report *r, const ks_analytics_data *other,
                               const char *label_b, ks_error *err);
/* Compares first attempts (A) with retakes (B) among the report's attempts;
 * KS_EINPUT when the report analyses first attempts only. */
ks_status ks_analytics_compare_retakes(ks_analytics_report *r, ks_error *err);

/* ---- renderers --------------------------------------------------------------------- */

/* The report as a JSON object (NaN written as "nan", as kaoshi/stats_json.h
 * does); NULL when out of memory. */
json_t *ks_analytics_json(const ks_analytics_report *r);

/* One CSV row per item (with a header row); *csv is malloc'd. */
ks_status ks_analytics_csv(const ks_analytics_report *r, char **csv, ks_error *err);

/* A link the page shows above its title (a server's way back, a download). */
typedef struct ks_analytics_link {
    const char *href, *text;
} ks_analytics_link;

/* How a server shows the page. A server that forbids inline styles (CSP
 * style-src 'self') gives stylesheet_href, where it serves
 * ks_analytics_css(). */
typedef struct ks_analytics_page {
    const char *stylesheet_href;    /* linked instead of a <style> element */
    const ks_analytics_link *links; /* nlinks, in a <nav>, in this order */
    size_t nlinks;
} ks_analytics_page;

/* A self-contained HTML page in Chinese for proctors: no script, no event
 * handler and no style attribute, every text escaped, the charts as inline
 * SVG that a click enlarges (an HTML popover; Esc closes it), a caveat above
 * the figures when fewer than KS_ANALYTICS_SMALL_SAMPLE attempts are
 * analysed. With page NULL it carries its style sheet in a <style> element
 * and links nowhere (a file to open or send). *html is malloc'd. */
#define KS_ANALYTICS_SMALL_SAMPLE 30
ks_status ks_analytics_html(const ks_analytics_report *r, const ks_analytics_page *page,
                            char **html, ks_error *err);
const char *ks_analytics_css(void);

#endif
