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
 * KR-20 (ks_stats_kr20's formula) when every slot is scored all or nothing.
 *
 * The computation streams: every slot's and item's sums are added response
 * by response in two passes over the data set (means, then deviations from
 * them), each sum in the order the formulas' arrays would add it, so the
 * figures are those of ks_stats_mean_of, ks_stats_ss_dev and ks_stats_sp_dev
 * over the arrays to the bit. The attempts are ranked once: every item's
 * upper and lower groups are cut from that ranking, and C_max merges the
 * rests of the test, ascending within each distinct value of x, instead of
 * sorting them (see sorted_products in analytics_sums.c).
 * Depends on the statistics core (its running means, sums and formulas). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analytics_impl.h"
#include "analytics/analytics_sums.h"
#include "stats/stats_util.h"

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

/* ---- the passes over the data set ------------------------------------------------ */

/* Scratch for one computation. */
typedef struct work {
    size_t n, p;
    size_t *sel;            /* n: the data set's attempts analysed */
    double *max;            /* P: the slots' points */
    double *cov;            /* P: C(x_i, T) */
    double *fractions;      /* n: Σ_i x_i/m_i, the totals of KR-20's 0/1 matrix */
    bool dichotomous;       /* every response has all or none of its slot's points */
    double mean_total;      /* of the test scores */
    size_t *order;          /* n: the attempts by test score, highest first */
    double *total_asc;      /* n: the test scores ascending */
    unsigned char *group;   /* n: the test's groups */
    stat_sums *sums;        /* the P slots, then the data set's items */
    unsigned char *drawn;   /* items × P: item j drawn into slot i */
    unsigned char *igroup;  /* n × P: each response's group among its item's */
    size_t *report_item;    /* per data set item: its index in r->items */
    unsigned char *ranked_values; /* 2·n·P: the slots', then the items' */
    double *ranked_totals;  /* n·P: the items' */
    double *ranked_x;       /* the slots' and items' with too many values */
    double *scratch;        /* 2 × the most responses of a slot or item, and P */
} work;

static void work_free(work *w)
{
    free(w->sel);
    free(w->max);
    free(w->cov);
    free(w->fractions);
    free(w->order);
    free(w->total_asc);
    free(w->group);
    free(w->sums);
    free(w->drawn);
    free(w->igroup);
    free(w->report_item);
    free(w->ranked_values);
    free(w->ranked_totals);
    free(w->ranked_x);
    free(w->scratch);
}

static bool work_alloc(work *w, size_t nitems)
{
    size_t n = w->n, p = w->p;
    w->max = ks_stats_calloc(p, sizeof *w->max);
    w->cov = ks_stats_calloc(p, sizeof *w->cov);
    w->fractions = ks_stats_calloc(n, sizeof *w->fractions);
    w->order = ks_stats_calloc(n, sizeof *w->order);
    w->total_asc = ks_stats_calloc(n, sizeof *w->total_asc);
    w->group = ks_stats_calloc(n, sizeof *w->group);
    w->sums = ks_stats_calloc(p + nitems, sizeof *w->sums);
    w->drawn = ks_stats_calloc(nitems * p, sizeof *w->drawn);
    w->igroup = ks_stats_calloc(n * p, sizeof *w->igroup);
    w->report_item = ks_stats_calloc(nitems, sizeof *w->report_item);
    w->ranked_values = ks_stats_calloc(2 * n * p, sizeof *w->ranked_values);
    w->ranked_totals = ks_stats_calloc(n * p, sizeof *w->ranked_totals);
    if (!w->max || !w->cov || !w->fractions || !w->order || !w->total_asc || !w->group ||
        !w->sums || !w->drawn || !w->igroup || !w->report_item || !w->ranked_values ||
        !w->ranked_totals)
        return false;
    for (size_t s = 0; s < p + nitems; s++)
        analytics_sums_init(&w->sums[s]);
    return true;
}

/* The test scores, KR-20's totals and the first pass of every sum. */
static void first_pass(const ks_analytics_data *d, work *w, double *scores)
{
    size_t p = w->p;
    bool dichotomous = true;
    for (size_t k = 0; k < w->n; k++) {
        const analytics_cell *row = analytics_cells_of(d, w->sel[k]);
        double t = 0, fractions = 0;
        for (size_t i = 0; i < p; i++) {
            t += row[i].points;
            dichotomous &= row[i].points == 0 || row[i].points == w->max[i];
        }
        scores[k] = t;
        for (size_t i = 0; i < p; i++) {
            size_t j = row[i].item;
            double x = row[i].points, f = x / w->max[i], guess = d->items[j].guess;
            fractions += f;
            add_first(&w->sums[i], x, w->max[i], f, t, guess, false);
            add_first(&w->sums[p + j], x, w->max[i], f, t, guess, true);
            w->drawn[j * p + i] = 1;
        }
        w->fractions[k] = fractions;
    }
    w->dichotomous = dichotomous;
}

/* Ends the first pass (a slot's mean m is its points, its mean t the test's)
 * and gives every slot and item its place in ranked_values (or ranked_x) and
 * every item its place in ranked_totals; false when out of memory. */
static bool end_first_pass(work *w, size_t nitems, const double *scores)
{
    size_t p = w->p, many = 0, most = p; /* reliability's P facilities fit too */
    w->mean_total = w->n > 0 ? ks_stats_mean_of(scores, w->n) : NAN;
    for (size_t s = 0; s < p + nitems; s++) {
        analytics_sums_end_first(&w->sums[s], s >= p);
        if (s < p) {
            w->sums[s].mm = w->max[s];
            w->sums[s].mt = w->mean_total;
        }
        if (w->sums[s].nvalues > MAX_VALUES)
            many += w->sums[s].n;
        most = w->sums[s].n > most ? w->sums[s].n : most;
    }
    w->ranked_x = ks_stats_calloc(many, sizeof *w->ranked_x);
    w->scratch = ks_stats_calloc(2 * most, sizeof *w->scratch);
    if (!w->ranked_x || !w->scratch)
        return false;
    size_t values = 0, totals = 0, x = 0;
    for (size_t s = 0; s < p + nitems; s++) {
        stat_sums *u = &w->sums[s];
        if (s < p) {
            u->ranked_total = w->total_asc;
        } else {
            u->ranked_total = w->ranked_totals + totals;
            totals += u->n;
        }
        if (u->nvalues > MAX_VALUES) {
            u->ranked_x = w->ranked_x + x;
            x += u->n;
        } else {
            u->ranked_value = w->ranked_values + values;
            values += u->n;
        }
    }
    return true;
}

/* Ranks the attempts by test score once: the test's groups, every item's
 * groups (its responses in the order of that ranking, then by slot, as
 * ranking them alone would order them) and the ascending rankings of
 * sorted_products. */
static bool rank_attempts(const ks_analytics_data *d, const double *scores, size_t g, work *w)
{
    size_t n = w->n, p = w->p;
    if (!ks_stats_rank_desc(scores, n, w->order))
        return false;
    for (size_t rank = 0; rank < n; rank++) {
        size_t k = w->order[rank], asc = n - 1 - rank;
        w->group[k] = group_at(rank, n, g);
        w->total_asc[asc] = scores[k];
        const analytics_cell *row = analytics_cells_of(d, w->sel[k]);
        for (size_t i = 0; i < p; i++) {
            stat_sums *item = &w->sums[p + row[i].item];
            size_t at = item->ranked++;
            w->igroup[k * p + i] = group_at(at, item->n, item->g);
            put_ranked(&w->sums[i], asc, row[i].points);
            item->ranked_total[item->n - 1 - at] = scores[k];
            put_ranked(item, item->n - 1 - at, row[i].points);
        }
    }
    return true;
}

static void count_option(ks_analytics_option *o, unsigned char group, double total)
{
    o->count++;
    o->upper += group == G_UPPER;
    o->middle += group == G_MIDDLE;
    o->lower += group == G_LOWER;
    o->mean_total += total; /* a sum until finish_option */
}

/* The second pass of every sum (a slot's Σ(t − t̄)² is the test's) and the
 * distractor counts. */
static void second_pass(const ks_analytics_data *d, ks_analytics_report *r, work *w)
{
    size_t p = w->p;
    for (size_t k = 0; k < w->n; k++) {
        const analytics_cell *row = analytics_cells_of(d, w->sel[k]);
        double t = r->test.scores[k];
        for (size_t i = 0; i < p; i++) {
            const analytics_cell *c = &row[i];
            unsigned char group = w->igroup[k * p + i];
            double x = c->points, f = x / w->max[i];
            add_second(&w->sums[i], x, f, t, w->group[k], false);
            add_second(&w->sums[p + c->item], x, f, t, group, true);
            ks_analytics_item_stat *is = &r->items[w->report_item[c->item]];
            if (!c->answered)
                count_option(&is->omitted, group, t);
            int o = 0;
            for (uint32_t chosen = c->chosen; chosen; chosen >>= 1, o++)
                if (chosen & 1)
                    count_option(&is->options[o], group, t);
        }
    }
    double ss_total = ks_stats_ss_dev(r->test.scores, w->n, w->mean_total);
    for (size_t i = 0; i < p; i++)
        w->sums[i].ss_total = ss_total;
}

/* ---- the test ---------------------------------------------------------------------- */

/* Mean, median, SD, skewness and kurtosis of the scores (the power sums of
 * Moodle's quiz calculator); sorted holds them ascending. */
static void describe_scores(ks_analytics_test_stat *t, const double *sorted)
{
    size_t n = t->n;
    t->mean = t->median = t->sd = t->skewness = t->kurtosis = NAN;
    if (n == 0)
        return;
    t->mean = ks_stats_mean_of(t->scores, n);
    t->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
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
 * slots' sums: what ks_stats_cronbach_alpha and ks_stats_kr20 give for the
 * n × P matrix of points and of fractions x/m, whose columns the slots' sums
 * are. */
static void reliability(ks_analytics_test_stat *t, const work *w)
{
    size_t n = t->n, p = w->p;
    t->cic = t->error_ratio = t->standard_error = t->kr20 = NAN;
    if (n < 2 || p < 2)
        return;
    double item_var = 0.0, total_var = w->sums[0].ss_total / (double)(n - 1);
    for (size_t i = 0; i < p; i++)
        item_var += w->sums[i].ss_x / (double)(n - 1);
    if (total_var != 0) {
        t->cic = 100 * ks_stats_alpha_of(p, item_var, total_var);
        t->error_ratio = 100 * sqrt(1 - t->cic / 100);
        t->standard_error = t->error_ratio * t->sd / 100;
    }
    if (!w->dichotomous)
        return;
    double var = ks_stats_ss_dev(w->fractions, n, ks_stats_mean_of(w->fractions, n)) / (double)n;
    if (var != 0) {
        double *facility = w->scratch;
        for (size_t i = 0; i < p; i++)
            facility[i] = w->sums[i].mf;
        t->kr20 = ks_stats_kr20_of(facility, p, var);
    }
}

/* ---- the report ------------------------------------------------------------------------ */

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

/* The scores, the first pass and the ranking; the test's figures. */
static bool compute_test(ks_analytics_report *r, const ks_analytics_data *d, work *w)
{
    ks_analytics_test_stat *t = &r->test;
    size_t n = t->n, p = w->p;
    t->max_score = 0;
    for (size_t i = 0; i < p; i++) {
        w->max[i] = d->slots[i].points;
        t->max_score += w->max[i];
    }
    t->scores = ks_stats_calloc(n, sizeof *t->scores);
    if (!t->scores)
        return false;
    first_pass(d, w, t->scores);
    t->group_size = analytics_group_size(n);
    t->upper = ks_stats_calloc(t->group_size, sizeof *t->upper);
    t->lower = ks_stats_calloc(t->group_size, sizeof *t->lower);
    if (!t->upper || !t->lower || !end_first_pass(w, d->nitems, t->scores) ||
        !rank_attempts(d, t->scores, t->group_size, w))
        return false;
    size_t nu = 0, nl = 0;
    for (size_t k = 0; k < n; k++) {
        if (w->group[k] == G_UPPER)
            t->upper[nu++] = k;
        else if (w->group[k] == G_LOWER)
            t->lower[nl++] = k;
    }
    describe_scores(t, w->total_asc);
    return true;
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

/* Item j as the report's item is: its slots, groups and empty options. */
static bool start_item(ks_analytics_item_stat *is, const ks_analytics_data *d, const work *w,
                       size_t j)
{
    size_t p = w->p;
    const unsigned char *drawn = &w->drawn[j * p];
    is->info = &d->items[j];
    for (size_t i = 0; i < p; i++)
        is->nslots += drawn[i];
    is->slots = ks_stats_calloc(is->nslots, sizeof *is->slots);
    int k_opts = is->info->noptions;
    is->options = ks_stats_calloc((size_t)k_opts, sizeof *is->options);
    if (!is->slots || !is->options)
        return false;
    for (size_t i = 0, at = 0; i < p; i++)
        if (drawn[i])
            is->slots[at++] = i;
    is->group_size = w->sums[p + j].g;
    for (int k = 0; k < k_opts; k++)
        is->options[k] = (ks_analytics_option){.option = k + 1,
                                               .key = (is->info->key >> k) & 1};
    is->omitted = (ks_analytics_option){0};
    return true;
}

static bool start_items(ks_analytics_report *r, const ks_analytics_data *d, work *w)
{
    size_t p = w->p;
    item_order *order = ks_stats_calloc(d->nitems, sizeof *order);
    if (!order)
        return false;
    size_t count = 0;
    for (size_t j = 0; j < d->nitems; j++) {
        if (w->sums[p + j].n == 0)
            continue;
        item_order *io = &order[count++];
        *io = (item_order){0, j, d->items[j].id};
        while (!w->drawn[j * p + io->first_slot])
            io->first_slot++;
    }
    qsort(order, count, sizeof *order, by_first_slot);
    r->items = ks_stats_calloc(count, sizeof *r->items);
    bool ok = r->items != NULL;
    r->nitems = ok ? count : 0;
    for (size_t c = 0; ok && c < count; c++) {
        w->report_item[order[c].item] = c;
        ok = start_item(&r->items[c], d, w, order[c].item);
    }
    free(order);
    return ok;
}

static bool compute_slots(ks_analytics_report *r, const ks_analytics_data *d, work *w,
                          double *sum_sqrt)
{
    size_t p = w->p;
    r->slots = ks_stats_calloc(p, sizeof *r->slots);
    if (!r->slots)
        return false;
    r->nslots = p;
    *sum_sqrt = 0;
    int section = 0, position = 0;
    double *cov = w->cov;
    for (size_t i = 0; i < p; i++) {
        ks_analytics_slot_stat *ss = &r->slots[i];
        position = d->slots[i].section == section ? position + 1 : 1;
        section = d->slots[i].section;
        ss->section = section;
        ss->position = position;
        ss->section_title = d->slots[i].section_title;
        analytics_compute_stat(&w->sums[i], r->test.max_score, w->scratch, &ss->stat, &cov[i]);
        ss->stat.points = w->max[i];
        ss->stat.intended_weight = 100 * w->max[i] / r->test.max_score;
        if (cov[i] >= 0)
            *sum_sqrt += sqrt(cov[i]);
    }
    for (size_t i = 0; i < p; i++) {
        analytics_effective_weight(&r->slots[i].stat, cov[i], *sum_sqrt);
        r->slots[i].stat.flags = analytics_stat_flags(&r->slots[i].stat);
    }
    return true;
}

static void finish_option(ks_analytics_option *o, size_t n)
{
    o->proportion = (double)o->count / (double)n;
    o->mean_total = o->count ? o->mean_total / (double)o->count : NAN;
}

static void compute_items(ks_analytics_report *r, const work *w, double sum_sqrt)
{
    for (size_t c = 0; c < r->nitems; c++) {
        ks_analytics_item_stat *is = &r->items[c];
        const stat_sums *u = &w->sums[w->p + (size_t)(is->info - r->data->items)];
        double cov;
        analytics_compute_stat(u, r->test.max_score, w->scratch, &is->stat, &cov);
        analytics_effective_weight(&is->stat, cov, sum_sqrt);
        is->stat.flags = analytics_stat_flags(&is->stat);
        finish_option(&is->omitted, u->n);
        for (int k = 0; k < is->info->noptions; k++) {
            ks_analytics_option *opt = &is->options[k];
            finish_option(opt, u->n);
            if (!opt->key && opt->upper > opt->lower)
                is->stat.flags |= 1u << KS_ANALYTICS_DISTRACTOR_UPPER;
            if (!opt->key && opt->count == 0)
                is->stat.flags |= 1u << KS_ANALYTICS_DISTRACTOR_UNUSED;
        }
    }
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

ks_status ks_analytics_compute(const ks_analytics_data *d, ks_analytics_which which,
                               ks_analytics_report **out, ks_error *err)
{
    *out = NULL;
    ks_analytics_report *r = calloc(1, sizeof *r);
    work w = {.p = d->nslots};
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
    for (size_t a = 0; ok && a < d->nattempts; a++)
        if (which == KS_ANALYTICS_ALL || d->attempts[a].number == 1)
            w.sel[w.n++] = a;
    double sum_sqrt = 0;
    if (ok) {
        r->test.n = w.n;
        ok = work_alloc(&w, d->nitems) && compute_test(r, d, &w) && start_items(r, d, &w);
    }
    if (ok) {
        second_pass(d, r, &w);
        reliability(&r->test, &w);
        ok = compute_slots(r, d, &w, &sum_sqrt);
    }
    if (ok) {
        compute_items(r, &w, sum_sqrt);
        ok = link_slots(r);
    }
    work_free(&w);
    if (!ok) {
        ks_analytics_report_free(r);
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    *out = r;
    return KS_OK;
}
