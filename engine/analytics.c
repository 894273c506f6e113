/* Exam analytics: the report of a data set (include/kaoshi/analytics.h).
 *
 * The formulas are those of Moodle's developer documentation, "Quiz
 * statistics calculations" (docs.moodle.org/dev/Quiz_statistics_calculations),
 * as its quiz statistics report computes them; docs/analytics.md restates
 * them. For S attempts s, slots i with maximum m_i, points x_i(s), test score
 * T(s) = Σ_i x_i(s) and the rest of the test X_i(s) = T(s) − x_i(s):
 *
 *   test   mean T̄; median (the mean of the two middle scores when S is even);
 *          SD = √(Σ(T−T̄)²/(S−1));
 *          m_k = Σ(T−T̄)^k/S, k2 = S·m2/(S−1), k3 = S²·m3/((S−1)(S−2)),
 *          k4 = S²·((S+1)·m4 − 3(S−1)·m2²)/((S−1)(S−2)(S−3)),
 *          skewness = k3/k2^(3/2) (S > 2), kurtosis = k4/k2² (S > 3);
 *          CIC = 100·P/(P−1)·(1 − Σ_i V(x_i)/V(T)), variances over S−1
 *          (Cronbach's alpha, ks_stats_cronbach_alpha); error ratio
 *          ER = 100·√(1 − CIC/100); standard error SE = ER·SD/100.
 *   slot   facility F = 100·x̄/m; SD = 100·√V(x)/m with V over S−1;
 *          intended weight 100·m_i/Σ_j m_j;
 *          effective weight 100·√C(x_i,T)/Σ_{j: C(x_j,T) ≥ 0} √C(x_j,T), none
 *          when C(x_i,T) < 0 (Moodle's "negative covariance");
 *          discrimination index 100·r(x_i, X_i) = 100·C(x_i,X_i)/√(V(x_i)V(X_i));
 *          discriminative efficiency 100·C(x_i,X_i)/C_max(x_i,X_i), where
 *          C_max pairs x_i and X_i each sorted ascending (the largest
 *          covariance those values allow); covariances over S−1.
 *   item   the same over the attempts that drew the item (Moodle's
 *          sub-questions of a random question), with the fraction x/m of each
 *          attempt's slot for F and SD, and the rest of that attempt's test
 *          for the discrimination (Moodle's code correlates sub-questions with
 *          the whole score; the documented formula, used here, with the rest);
 *          effective weight over the slots' denominator.
 *
 * Added to Moodle's figures, from classical item analysis: p, the share of
 * attempts with full points; the point-biserial r(x, T); the upper-lower
 * index D over the upper and lower 27 % (g = max(1, ⌊0.27·n + 0.5⌋), at most
 * ⌊n/2⌋, attempts ranked by score descending, then in data set order; the
 * upper group is the first g, the lower the last g, so they never overlap);
 * KR-20 through ks_stats_kr20 when every slot is scored all or nothing.
 * Depends on the statistics core (its two-pass sums and Pearson r). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics_impl.h"
#include "stats_util.h"

enum { G_MIDDLE, G_UPPER, G_LOWER };

static const char *const flag_names[KS_ANALYTICS_FLAG_COUNT] = {
    "negative_discrimination", "weak_discrimination", "low_efficiency", "below_guess",
    "too_hard", "too_easy", "distractor_upper", "distractor_unused"};

static const char *const flag_texts[KS_ANALYTICS_FLAG_COUNT] = {
    "区分度为负：总分高的考生反而得分更少，题目或答案可能有误",
    "区分度弱（低于 20%）",
    "区分效率低于 15%（Moodle 的可疑题标准）",
    "难度指数低于随机猜测得分",
    "难度指数低于 5%：几乎无人得分",
    "难度指数高于 95%：几乎人人得满分",
    "有错误选项被高分组选得比低分组多",
    "有错误选项无人选择"};

const char *ks_analytics_flag_name(ks_analytics_flag f)
{
    return (unsigned)f < KS_ANALYTICS_FLAG_COUNT ? flag_names[f] : NULL;
}

const char *ks_analytics_flag_text(ks_analytics_flag f)
{
    return (unsigned)f < KS_ANALYTICS_FLAG_COUNT ? flag_texts[f] : NULL;
}

/* ---- groups ------------------------------------------------------------------ */

/* g of the upper and lower groups among n attempts. */
static size_t group_size(size_t n)
{
    if (n < 2)
        return 0;
    size_t g = (size_t)fmax(1.0, floor(KS_ANALYTICS_GROUP_FRAC * (double)n + 0.5));
    return g > n / 2 ? n / 2 : g;
}

/* Marks group[k] upper, middle or lower for the n scores: the first g and
 * the last g of the ranking; false when out of memory. */
static bool rank_groups(const double *scores, size_t n, size_t g, unsigned char *group)
{
    size_t *order = ks_stats_calloc(n, sizeof *order);
    if (!order || !ks_stats_rank_desc(scores, n, order)) {
        free(order);
        return false;
    }
    for (size_t k = 0; k < n; k++)
        group[order[k]] = k < g ? G_UPPER : k >= n - g ? G_LOWER : G_MIDDLE;
    free(order);
    return true;
}

/* ---- one slot or item ------------------------------------------------------------ */

/* The attempts a statistic covers: per attempt its points, the slot's
 * maximum, its test score, the item's guess fraction and its group. */
typedef struct stat_input {
    size_t n, g;
    const double *x, *m, *total, *guess;
    const unsigned char *group;
    double max_score;
} stat_input;

static int by_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

static void set_undefined(ks_analytics_stat *s)
{
    s->points = s->mean = s->facility = s->sd = s->guess = s->intended_weight = NAN;
    s->effective_weight = s->discrimination_index = s->discriminative_efficiency = NAN;
    s->p = s->point_biserial = s->d = NAN;
}

/* Fills s (all but the effective weight and the flags) and *cov_total =
 * C(x, T) (NaN when n < 2); false when out of memory. */
static bool compute_stat(const stat_input *in, ks_analytics_stat *s, double *cov_total)
{
    size_t n = in->n;
    *s = (ks_analytics_stat){.n = n};
    set_undefined(s);
    *cov_total = NAN;
    if (n == 0)
        return true;
    double *f = ks_stats_calloc(n, sizeof *f), *rest = ks_stats_calloc(n, sizeof *rest);
    double *xs = ks_stats_calloc(n, sizeof *xs), *rs = ks_stats_calloc(n, sizeof *rs);
    if (!f || !rest || !xs || !rs) {
        free(f);
        free(rest);
        free(xs);
        free(rs);
        return false;
    }
    double guess = 0, full = 0, upper = 0, lower = 0;
    for (size_t a = 0; a < n; a++) {
        f[a] = in->x[a] / in->m[a];
        rest[a] = in->total[a] - in->x[a];
        guess += in->guess[a];
        full += in->x[a] >= in->m[a];
        if (in->group[a] == G_UPPER)
            upper += f[a];
        else if (in->group[a] == G_LOWER)
            lower += f[a];
    }
    s->points = ks_stats_mean_of(in->m, n);
    s->mean = ks_stats_mean_of(in->x, n);
    s->facility = 100 * ks_stats_mean_of(f, n);
    s->guess = 100 * guess / (double)n;
    s->intended_weight = 100 * s->points / in->max_score;
    s->p = full / (double)n;
    if (in->g > 0)
        s->d = (upper - lower) / (double)in->g;
    if (n >= 2) {
        double df = (double)(n - 1);
        s->sd = 100 * sqrt(ks_stats_ss_dev(f, n, ks_stats_mean_of(f, n)) / df);
        double mx = s->mean, mr = ks_stats_mean_of(rest, n);
        double mt = ks_stats_mean_of(in->total, n);
        double cov_rest = ks_stats_sp_dev(in->x, rest, n, mx, mr) / df;
        *cov_total = ks_stats_sp_dev(in->x, in->total, n, mx, mt) / df;
        s->negative_covariance = *cov_total < 0;
        s->discrimination_index = 100 * ks_stats_pearson_r(in->x, rest, n, NULL, NULL);
        s->point_biserial = ks_stats_pearson_r(in->x, in->total, n, NULL, NULL);
        memcpy(xs, in->x, n * sizeof *xs);
        memcpy(rs, rest, n * sizeof *rs);
        qsort(xs, n, sizeof *xs, by_double);
        qsort(rs, n, sizeof *rs, by_double);
        double cov_max = ks_stats_sp_dev(xs, rs, n, mx, mr) / df;
        if (cov_max != 0)
            s->discriminative_efficiency = 100 * cov_rest / cov_max;
    }
    free(f);
    free(rest);
    free(xs);
    free(rs);
    return true;
}

static void effective_weight(ks_analytics_stat *s, double cov_total, double sum_sqrt)
{
    s->effective_weight = cov_total >= 0 && sum_sqrt > 0 ? 100 * sqrt(cov_total) / sum_sqrt : NAN;
}

static unsigned stat_flags(const ks_analytics_stat *s)
{
    unsigned f = 0;
    double di = s->discrimination_index;
    if (di < 0)
        f |= 1u << KS_ANALYTICS_NEGATIVE_DISCRIMINATION;
    else if (di < 20)
        f |= 1u << KS_ANALYTICS_WEAK_DISCRIMINATION;
    if (s->discriminative_efficiency < 15 && !(di < 0))
        f |= 1u << KS_ANALYTICS_LOW_EFFICIENCY;
    if (s->facility < s->guess)
        f |= 1u << KS_ANALYTICS_BELOW_GUESS;
    if (s->facility < 5)
        f |= 1u << KS_ANALYTICS_TOO_HARD;
    if (s->facility > 95)
        f |= 1u << KS_ANALYTICS_TOO_EASY;
    return f;
}

/* ---- the test ---------------------------------------------------------------------- */

static double median_of(const double *v, size_t n, double *work)
{
    memcpy(work, v, n * sizeof *work);
    qsort(work, n, sizeof *work, by_double);
    return n % 2 ? work[n / 2] : (work[n / 2 - 1] + work[n / 2]) / 2;
}

/* Mean, median, SD, skewness and kurtosis of the scores (the power sums of
 * Moodle's quiz calculator). */
static void describe_scores(ks_analytics_test_stat *t, double *work)
{
    size_t n = t->n;
    t->mean = t->median = t->sd = t->skewness = t->kurtosis = NAN;
    if (n == 0)
        return;
    t->mean = ks_stats_mean_of(t->scores, n);
    t->median = median_of(t->scores, n, work);
    if (n < 2)
        return;
    double p2 = 0, p3 = 0, p4 = 0, s = (double)n;
    for (size_t k = 0; k < n; k++) {
        double d = t->scores[k] - t->mean;
        p2 += d * d;
        p3 += d * d * d;
        p4 += d * d * d * d;
    }
    t->sd = sqrt(p2 / (s - 1));
    double m2 = p2 / s, m3 = p3 / s, m4 = p4 / s;
    double k2 = s * m2 / (s - 1);
    if (n < 3 || k2 == 0)
        return;
    double k3 = s * s * m3 / ((s - 1) * (s - 2));
    t->skewness = k3 / pow(k2, 1.5);
    if (n < 4)
        return;
    double k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3));
    t->kurtosis = k4 / (k2 * k2);
}

/* CIC, error ratio, standard error and (all or nothing slots) KR-20 from the
 * n × P matrix of points. */
static bool reliability(ks_analytics_test_stat *t, const double *points, const double *max,
                        size_t p)
{
    size_t n = t->n;
    t->cic = t->error_ratio = t->standard_error = t->kr20 = NAN;
    ks_stats_alpha_result alpha;
    ks_stat_status st = ks_stats_cronbach_alpha(points, n, p, &alpha);
    if (st == KS_STAT_E_NOMEM)
        return false;
    if (st == KS_STAT_OK) {
        t->cic = 100 * alpha.alpha;
        t->error_ratio = 100 * sqrt(1 - t->cic / 100);
        t->standard_error = t->error_ratio * t->sd / 100;
    }
    double *binary = ks_stats_calloc(n * p, sizeof *binary);
    if (!binary)
        return false;
    bool dichotomous = true;
    for (size_t k = 0; dichotomous && k < n * p; k++) {
        binary[k] = points[k] / max[k % p];
        dichotomous = points[k] == 0 || points[k] == max[k % p];
    }
    double kr20;
    if (dichotomous && n > 0 && ks_stats_kr20(binary, n, p, &kr20) == KS_STAT_OK)
        t->kr20 = kr20;
    free(binary);
    return true;
}

/* ---- the report ------------------------------------------------------------------------ */

/* Scratch arrays for one computation. */
typedef struct work {
    size_t *sel;         /* the data set's attempts analysed */
    double *points;      /* n × P */
    double *max;         /* P: the slots' points */
    unsigned char *group; /* n: the test's groups */
    double *cov;         /* P: C(x_i, T) */
    double *x, *m, *total, *guess; /* n: one statistic's input */
    unsigned char *igroup;
    size_t *occ_start, *occ, *occ_fill; /* per item: its occurrences (attempt·P + slot) */
    double *icov;        /* per item: C(x, T) */
} work;

static void work_free(work *w)
{
    free(w->sel);
    free(w->points);
    free(w->max);
    free(w->group);
    free(w->cov);
    free(w->x);
    free(w->m);
    free(w->total);
    free(w->guess);
    free(w->igroup);
    free(w->occ_start);
    free(w->occ);
    free(w->occ_fill);
    free(w->icov);
}

static bool work_alloc(work *w, size_t n, size_t p, size_t nitems)
{
    w->points = ks_stats_calloc(n * p, sizeof *w->points);
    w->max = ks_stats_calloc(p, sizeof *w->max);
    w->group = ks_stats_calloc(n, sizeof *w->group);
    w->cov = ks_stats_calloc(p, sizeof *w->cov);
    w->x = ks_stats_calloc(n, sizeof *w->x);
    w->m = ks_stats_calloc(n, sizeof *w->m);
    w->total = ks_stats_calloc(n, sizeof *w->total);
    w->guess = ks_stats_calloc(n, sizeof *w->guess);
    w->igroup = ks_stats_calloc(n, sizeof *w->igroup);
    w->occ_start = ks_stats_calloc(nitems + 1, sizeof *w->occ_start);
    w->occ = ks_stats_calloc(n * p, sizeof *w->occ);
    w->occ_fill = ks_stats_calloc(nitems, sizeof *w->occ_fill);
    w->icov = ks_stats_calloc(nitems, sizeof *w->icov);
    return w->points && w->max && w->group && w->cov && w->x && w->m && w->total && w->guess &&
           w->igroup && w->occ_start && w->occ && w->occ_fill && w->icov;
}

void ks_analytics_report_free(ks_analytics_report *r)
{
    if (!r)
        return;
    free(r->test.scores);
    free(r->test.upper);
    free(r->test.lower);
    for (size_t i = 0; r->slots && i < r->nslots; i++)
        free(r->slots[i].items);
    free(r->slots);
    for (size_t j = 0; r->items && j < r->nitems; j++) {
        free(r->items[j].slots);
        free(r->items[j].options);
    }
    free(r->items);
    analytics_comparison_free(r->comparison);
    free(r);
}

static bool compute_test(ks_analytics_report *r, const ks_analytics_data *d, work *w)
{
    ks_analytics_test_stat *t = &r->test;
    size_t n = t->n, p = d->nslots;
    t->max_score = 0;
    for (size_t i = 0; i < p; i++) {
        w->max[i] = d->slots[i].points;
        t->max_score += w->max[i];
    }
    t->scores = ks_stats_calloc(n, sizeof *t->scores);
    if (!t->scores)
        return false;
    for (size_t k = 0; k < n; k++) {
        const analytics_cell *row = analytics_cells_of(d, w->sel[k]);
        double sum = 0;
        for (size_t i = 0; i < p; i++)
            sum += w->points[k * p + i] = row[i].points;
        t->scores[k] = sum;
    }
    describe_scores(t, w->x);
    if (!reliability(t, w->points, w->max, p))
        return false;
    t->group_size = group_size(n);
    t->upper = ks_stats_calloc(t->group_size, sizeof *t->upper);
    t->lower = ks_stats_calloc(t->group_size, sizeof *t->lower);
    if (!t->upper || !t->lower || !rank_groups(t->scores, n, t->group_size, w->group))
        return false;
    size_t nu = 0, nl = 0;
    for (size_t k = 0; k < n; k++) {
        if (w->group[k] == G_UPPER)
            t->upper[nu++] = k;
        else if (w->group[k] == G_LOWER)
            t->lower[nl++] = k;
    }
    return true;
}

static bool compute_slots(ks_analytics_report *r, const ks_analytics_data *d, work *w,
                          double *sum_sqrt)
{
    size_t n = r->test.n, p = d->nslots;
    r->slots = ks_stats_calloc(p, sizeof *r->slots);
    if (!r->slots)
        return false;
    r->nslots = p;
    *sum_sqrt = 0;
    int section = 0, position = 0;
    for (size_t i = 0; i < p; i++) {
        ks_analytics_slot_stat *ss = &r->slots[i];
        position = d->slots[i].section == section ? position + 1 : 1;
        section = d->slots[i].section;
        ss->section = section;
        ss->position = position;
        ss->section_title = d->slots[i].section_title;
        for (size_t k = 0; k < n; k++) {
            const analytics_cell *c = &analytics_cells_of(d, w->sel[k])[i];
            w->x[k] = c->points;
            w->m[k] = w->max[i];
            w->guess[k] = d->items[c->item].guess;
        }
        stat_input in = {n, r->test.group_size, w->x, w->m, r->test.scores, w->guess, w->group,
                         r->test.max_score};
        if (!compute_stat(&in, &ss->stat, &w->cov[i]))
            return false;
        ss->stat.points = w->max[i];
        ss->stat.intended_weight = 100 * w->max[i] / r->test.max_score;
        if (w->cov[i] >= 0)
            *sum_sqrt += sqrt(w->cov[i]);
    }
    for (size_t i = 0; i < p; i++) {
        effective_weight(&r->slots[i].stat, w->cov[i], *sum_sqrt);
        r->slots[i].stat.flags = stat_flags(&r->slots[i].stat);
    }
    return true;
}

/* Collects each item's occurrences (k·P + i, in attempt order) into w->occ,
 * item j's from w->occ_start[j] to w->occ_start[j+1]. */
static void collect_occurrences(const ks_analytics_data *d, size_t n, work *w)
{
    size_t p = d->nslots;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < p; i++)
            w->occ_start[analytics_cells_of(d, w->sel[k])[i].item + 1]++;
    for (size_t j = 0; j < d->nitems; j++)
        w->occ_start[j + 1] += w->occ_start[j];
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < p; i++) {
            size_t j = analytics_cells_of(d, w->sel[k])[i].item;
            w->occ[w->occ_start[j] + w->occ_fill[j]++] = k * p + i;
        }
}

/* The report's items: the data set's items drawn at least once, ordered by
 * the first slot each appeared in, then by id. */
typedef struct item_order {
    size_t first_slot, item;
    const char *id;
} item_order;

static int by_first_slot(const void *pa, const void *pb)
{
    const item_order *a = pa, *b = pb;
    if (a->first_slot != b->first_slot)
        return a->first_slot < b->first_slot ? -1 : 1;
    return strcmp(a->id, b->id);
}

static void count_option(ks_analytics_option *o, unsigned char group, double total)
{
    o->count++;
    o->upper += group == G_UPPER;
    o->middle += group == G_MIDDLE;
    o->lower += group == G_LOWER;
    o->mean_total += total; /* a sum until finish_option */
}

static void finish_option(ks_analytics_option *o, size_t n)
{
    o->proportion = (double)o->count / (double)n;
    o->mean_total = o->count ? o->mean_total / (double)o->count : NAN;
}

/* The distractor analysis of item `is` over its n attempts (in w->x etc.). */
static bool analyse_options(ks_analytics_item_stat *is, const ks_analytics_data *d,
                            const work *w, size_t from, size_t n)
{
    int k_opts = is->info->noptions;
    is->options = ks_stats_calloc((size_t)k_opts, sizeof *is->options);
    if (!is->options)
        return false;
    for (int k = 0; k < k_opts; k++)
        is->options[k] = (ks_analytics_option){.option = k + 1,
                                               .key = (is->info->key >> k) & 1};
    is->omitted = (ks_analytics_option){0};
    size_t p = d->nslots;
    for (size_t a = 0; a < n; a++) {
        size_t o = w->occ[from + a];
        const analytics_cell *c = &analytics_cells_of(d, w->sel[o / p])[o % p];
        if (!c->answered)
            count_option(&is->omitted, w->igroup[a], w->total[a]);
        for (int k = 0; k < k_opts; k++)
            if ((c->chosen >> k) & 1)
                count_option(&is->options[k], w->igroup[a], w->total[a]);
    }
    finish_option(&is->omitted, n);
    for (int k = 0; k < k_opts; k++) {
        ks_analytics_option *opt = &is->options[k];
        finish_option(opt, n);
        if (!opt->key && opt->upper > opt->lower)
            is->stat.flags |= 1u << KS_ANALYTICS_DISTRACTOR_UPPER;
        if (!opt->key && opt->count == 0)
            is->stat.flags |= 1u << KS_ANALYTICS_DISTRACTOR_UNUSED;
    }
    return true;
}

static bool compute_item(ks_analytics_report *r, const ks_analytics_data *d, work *w,
                         ks_analytics_item_stat *is, size_t j, double sum_sqrt, bool *seen_slot)
{
    size_t p = d->nslots, from = w->occ_start[j], n = w->occ_start[j + 1] - from;
    is->info = &d->items[j];
    memset(seen_slot, 0, p * sizeof *seen_slot);
    for (size_t a = 0; a < n; a++) {
        size_t o = w->occ[from + a], k = o / p, i = o % p;
        w->x[a] = analytics_cells_of(d, w->sel[k])[i].points;
        w->m[a] = w->max[i];
        w->total[a] = r->test.scores[k];
        w->guess[a] = is->info->guess;
        if (!seen_slot[i]) {
            seen_slot[i] = true;
            is->nslots++;
        }
    }
    is->slots = ks_stats_calloc(is->nslots, sizeof *is->slots);
    if (!is->slots)
        return false;
    for (size_t i = 0, at = 0; i < p; i++)
        if (seen_slot[i])
            is->slots[at++] = i;
    is->group_size = group_size(n);
    if (!rank_groups(w->total, n, is->group_size, w->igroup))
        return false;
    stat_input in = {n, is->group_size, w->x, w->m, w->total, w->guess, w->igroup,
                     r->test.max_score};
    if (!compute_stat(&in, &is->stat, &w->icov[j]))
        return false;
    effective_weight(&is->stat, w->icov[j], sum_sqrt);
    is->stat.flags = stat_flags(&is->stat);
    return analyse_options(is, d, w, from, n);
}

/* Each slot's list of the report's items drawn into it. */
static bool link_slots(ks_analytics_report *r)
{
    for (size_t j = 0; j < r->nitems; j++)
        for (size_t s = 0; s < r->items[j].nslots; s++)
            r->slots[r->items[j].slots[s]].nitems++;
    for (size_t i = 0; i < r->nslots; i++) {
        r->slots[i].items = ks_stats_calloc(r->slots[i].nitems, sizeof *r->slots[i].items);
        if (!r->slots[i].items)
            return false;
        r->slots[i].nitems = 0;
    }
    for (size_t j = 0; j < r->nitems; j++)
        for (size_t s = 0; s < r->items[j].nslots; s++) {
            ks_analytics_slot_stat *ss = &r->slots[r->items[j].slots[s]];
            ss->items[ss->nitems++] = j;
        }
    return true;
}

static bool compute_items(ks_analytics_report *r, const ks_analytics_data *d, work *w,
                          double sum_sqrt)
{
    size_t n = r->test.n;
    collect_occurrences(d, n, w);
    item_order *order = ks_stats_calloc(d->nitems, sizeof *order);
    bool *seen_slot = ks_stats_calloc(d->nslots, sizeof *seen_slot);
    if (!order || !seen_slot) {
        free(order);
        free(seen_slot);
        return false;
    }
    size_t count = 0;
    for (size_t j = 0; j < d->nitems; j++) {
        if (w->occ_start[j + 1] == w->occ_start[j])
            continue;
        item_order *io = &order[count++];
        *io = (item_order){d->nslots, j, d->items[j].id};
        for (size_t o = w->occ_start[j]; o < w->occ_start[j + 1]; o++)
            if (w->occ[o] % d->nslots < io->first_slot)
                io->first_slot = w->occ[o] % d->nslots;
    }
    qsort(order, count, sizeof *order, by_first_slot);
    r->items = ks_stats_calloc(count, sizeof *r->items);
    bool ok = r->items != NULL;
    r->nitems = ok ? count : 0;
    for (size_t c = 0; ok && c < count; c++)
        ok = compute_item(r, d, w, &r->items[c], order[c].item, sum_sqrt, seen_slot);
    free(order);
    free(seen_slot);
    return ok && link_slots(r);
}

ks_status ks_analytics_compute(const ks_analytics_data *d, ks_analytics_which which,
                               ks_analytics_report **out, ks_error *err)
{
    *out = NULL;
    ks_analytics_report *r = calloc(1, sizeof *r);
    work w = {0};
    bool ok = r != NULL;
    if (ok) {
        r->data = d;
        r->code = d->code;
        r->title = d->title;
        r->nsittings = d->nsittings;
        r->sittings = (const char *const *)d->sittings;
        r->which = which;
        ok = (w.sel = ks_stats_calloc(d->nattempts, sizeof *w.sel)) != NULL;
    }
    size_t n = 0;
    for (size_t a = 0; ok && a < d->nattempts; a++)
        if (which == KS_ANALYTICS_ALL || d->attempts[a].number == 1)
            w.sel[n++] = a;
    double sum_sqrt = 0;
    if (ok) {
        r->test.n = n;
        ok = work_alloc(&w, n, d->nslots, d->nitems) && compute_test(r, d, &w) &&
             compute_slots(r, d, &w, &sum_sqrt) && compute_items(r, d, &w, sum_sqrt);
    }
    work_free(&w);
    if (!ok) {
        ks_analytics_report_free(r);
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    *out = r;
    return KS_OK;
}
