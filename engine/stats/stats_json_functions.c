/* The statistics functions of include/kaoshi/stats_json.h as data: one
 * table row each with its inputs (key, JSON shape, default), the call into
 * stats.h and the writer of its outputs, and the output helpers the writers
 * share. engine/stats/stats_json.c reads the inputs and makes the call.
 * Depends on jansson and the stats core. */
#include "kaoshi/stats_json.h"
#include "stats/stats_json_util.h"

#include <math.h>
#include <string.h>

/* ---- output values ------------------------------------------------------- */

json_t *ks_stats_json_number(double v)
{
    if (isnan(v))
        return json_string("nan");
    if (isinf(v))
        return json_string(v > 0 ? "inf" : "-inf");
    return json_real(v);
}

/* A whole number held in a double (agents, sample sizes, test totals). */
static json_t *count(double v)
{
    if (v == floor(v) && fabs(v) <= 0x1p53)
        return json_integer((json_int_t)v);
    return ks_stats_json_number(v);
}

/* Appends item to arr; on failure frees both and returns NULL. */
static json_t *append(json_t *arr, json_t *item)
{
    if (!arr || !item || json_array_append_new(arr, item) != 0) {
        json_decref(arr);
        json_decref(item);
        return NULL;
    }
    return arr;
}

static json_t *numbers(const double *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        arr = append(arr, ks_stats_json_number(v[i]));
    return arr;
}

static json_t *counts(const double *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        arr = append(arr, count(v[i]));
    return arr;
}

static json_t *ints(const int *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        arr = append(arr, json_integer(v[i]));
    return arr;
}

static json_t *indices(const size_t *idx, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        arr = append(arr, json_integer((json_int_t)idx[i]));
    return arr;
}

static void put(stats_json_writer *w, const char *key, json_t *value)
{
    if (!value || json_object_set_new(w->obj, key, value) != 0)
        w->ok = false;
}

static void put_num(stats_json_writer *w, const char *key, double v)
{
    put(w, key, ks_stats_json_number(v));
}
static void put_int(stats_json_writer *w, const char *key, size_t v)
{
    put(w, key, json_integer((json_int_t)v));
}
static void put_bool(stats_json_writer *w, const char *key, bool v)
{
    put(w, key, json_boolean(v));
}
static void put_nums(stats_json_writer *w, const char *key, const double *v, size_t n)
{
    put(w, key, numbers(v, n));
}
static void put_list(stats_json_writer *w, const char *key, const ks_stats_index_list *list)
{
    put(w, key, indices(list->idx, list->count));
}

/* ---- calls and writers, one pair per function ------------------------------ */

#define VEC(i) a->vec[i], a->len[i]
#define MATRIX(i) a->vec[i], a->rows, a->cols

static ks_stat_status call_cv(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_cv(VEC(0), a->integer[1], &r->cv);
}
static void write_cv(stats_json_writer *w, const stats_json_result *r)
{
    put_int(w, "n", r->cv.n);
    put_num(w, "mean", r->cv.mean);
    put_num(w, "sd", r->cv.sd);
    put_num(w, "cv", r->cv.cv);
    put_num(w, "cv_percent", r->cv.cv_percent);
}

static ks_stat_status call_zscores(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_zscores(VEC(0), a->integer[1], &r->zscores);
}
static void write_zscores(stats_json_writer *w, const stats_json_result *r)
{
    put_num(w, "mean", r->zscores.mean);
    put_num(w, "sd", r->zscores.sd);
    put_nums(w, "z", r->zscores.z, r->zscores.n);
    put(w, "band", ints(r->zscores.band, r->zscores.n));
}
static void release_zscores(stats_json_result *r) { ks_stats_zscores_free(&r->zscores); }

static ks_stat_status call_xmr(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_xmr_limits(VEC(0), &r->xmr);
}
static void write_xmr(stats_json_writer *w, const stats_json_result *r)
{
    const ks_stats_xmr_result *x = &r->xmr;
    put_num(w, "center", x->center);
    put_nums(w, "mr", x->mr, x->n_mr);
    put_num(w, "mr_bar", x->mr_bar);
    put_num(w, "sigma", x->sigma);
    put_num(w, "ucl", x->ucl);
    put_num(w, "lcl", x->lcl);
    put_num(w, "ucl_e2", x->ucl_e2);
    put_num(w, "lcl_e2", x->lcl_e2);
    put_num(w, "mr_ucl", x->mr_ucl);
    put_num(w, "mr_lcl", x->mr_lcl);
}
static void release_xmr(stats_json_result *r) { ks_stats_xmr_free(&r->xmr); }

static ks_stat_status call_sd_limits(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_sd_limits(VEC(0), a->integer[1], a->num[2], &r->sd_limits);
}
static void write_sd_limits(stats_json_writer *w, const stats_json_result *r)
{
    put_num(w, "center", r->sd_limits.center);
    put_num(w, "sigma", r->sd_limits.sigma);
    put_num(w, "ucl", r->sd_limits.ucl);
    put_num(w, "lcl", r->sd_limits.lcl);
}

static ks_stat_status call_p_chart(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_p_chart(VEC(0), VEC(1), &r->p_chart);
}
static void write_p_chart(stats_json_writer *w, const stats_json_result *r)
{
    const ks_stats_p_chart_result *p = &r->p_chart;
    put_nums(w, "p", p->p, p->m);
    put_num(w, "p_bar", p->p_bar);
    put_nums(w, "sigma", p->sigma, p->m);
    put_nums(w, "ucl", p->ucl, p->m);
    put_nums(w, "lcl", p->lcl, p->m);
    put_nums(w, "z", p->z, p->m);
    put_list(w, "beyond_limits", &p->beyond_limits);
}
static void release_p_chart(stats_json_result *r) { ks_stats_p_chart_free(&r->p_chart); }

static ks_stat_status call_rules(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_control_rules(VEC(0), a->num[1], a->num[2], &r->rules);
}
/* {"rule1": [...], ..., "rule8": [...]} from one list per rule. */
static json_t *by_rule(const ks_stats_index_list *lists)
{
    stats_json_writer sub = {json_object(), true};
    if (!sub.obj)
        return NULL;
    for (int i = 0; i < KS_STATS_RULE_COUNT; i++)
        put_list(&sub, ks_stats_rule_name(i), &lists[i]);
    if (!sub.ok) {
        json_decref(sub.obj);
        return NULL;
    }
    return sub.obj;
}
static void write_rules(stats_json_writer *w, const stats_json_result *r)
{
    put(w, "signals", by_rule(r->rules.signals));
    put(w, "pattern_points", by_rule(r->rules.pattern_points));
    put_list(w, "any_signal", &r->rules.any_signal);
}
static void release_rules(stats_json_result *r) { ks_stats_rules_free(&r->rules); }

static ks_stat_status call_pearson(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_pearson_test(VEC(0), VEC(1), a->num[2], &r->pearson);
}
static void write_pearson(stats_json_writer *w, const stats_json_result *r)
{
    const ks_stats_pearson_result *p = &r->pearson;
    put_int(w, "n", p->n);
    put_int(w, "df", p->df);
    put_num(w, "r", p->r);
    put_num(w, "r2", p->r2);
    put_num(w, "t", p->t);
    put_num(w, "p_two_sided", p->p_two_sided);
    put_num(w, "t_crit", p->t_crit);
    put_num(w, "r_crit", p->r_crit);
    put_bool(w, "significant", p->significant);
}

static ks_stat_status call_linreg(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_linreg(VEC(0), VEC(1), &r->linreg);
}
static void write_linreg(stats_json_writer *w, const stats_json_result *r)
{
    const ks_stats_linreg_result *l = &r->linreg;
    put_num(w, "slope", l->slope);
    put_num(w, "intercept", l->intercept);
    put_nums(w, "fitted", l->fitted, l->n);
    put_num(w, "sse", l->sse);
    put_num(w, "sst", l->sst);
    put_num(w, "r2", l->r2);
}
static void release_linreg(stats_json_result *r) { ks_stats_linreg_free(&r->linreg); }

static ks_stat_status call_student(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_ttest_student(VEC(0), VEC(1), a->num[2], &r->ttest2);
}
static ks_stat_status call_welch(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_ttest_welch(VEC(0), VEC(1), a->num[2], &r->ttest2);
}
/* Student's and Welch's outputs: Student's df is a whole number and it has a
 * pooled variance. */
static void write_ttest2(stats_json_writer *w, const ks_stats_ttest2_result *t, bool pooled)
{
    put_int(w, "n1", t->n1);
    put_int(w, "n2", t->n2);
    put_num(w, "mean1", t->mean1);
    put_num(w, "mean2", t->mean2);
    put_num(w, "var1", t->var1);
    put_num(w, "var2", t->var2);
    put_num(w, "mean_diff", t->mean_diff);
    put_num(w, "se", t->se);
    put_num(w, "t", t->t);
    put(w, "df", pooled ? count(t->df) : ks_stats_json_number(t->df));
    if (pooled)
        put_num(w, "pooled_var", t->pooled_var);
    put_num(w, "p_two_sided", t->p_two_sided);
    put_num(w, "t_crit", t->t_crit);
    put_bool(w, "significant", t->significant);
}
static void write_student(stats_json_writer *w, const stats_json_result *r)
{
    write_ttest2(w, &r->ttest2, true);
}
static void write_welch(stats_json_writer *w, const stats_json_result *r)
{
    write_ttest2(w, &r->ttest2, false);
}

static ks_stat_status call_paired(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_ttest_paired(VEC(0), VEC(1), a->num[2], &r->paired);
}
static void write_paired(stats_json_writer *w, const stats_json_result *r)
{
    const ks_stats_paired_result *p = &r->paired;
    put_int(w, "n", p->n);
    put_num(w, "mean_diff", p->mean_diff);
    put_num(w, "sd_diff", p->sd_diff);
    put_num(w, "se", p->se);
    put_num(w, "t", p->t);
    put_int(w, "df", p->df);
    put_num(w, "p_two_sided", p->p_two_sided);
    put_num(w, "t_crit", p->t_crit);
    put_bool(w, "significant", p->significant);
}

static ks_stat_status call_moving_average(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_moving_average(VEC(0), a->integer[1], &r->forecast);
}
static ks_stat_status call_ses(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_ses(VEC(0), a->num[1], &r->forecast);
}
static void write_forecast(stats_json_writer *w, const stats_json_result *r)
{
    const ks_stats_forecast_result *f = &r->forecast;
    put_nums(w, "forecasts", f->forecasts, f->n_forecasts);
    put_num(w, "next", f->next);
    put_num(w, "mae", f->mae);
    put_num(w, "mape_percent", f->mape_percent);
}
static void release_forecast(stats_json_result *r) { ks_stats_forecast_free(&r->forecast); }

static ks_stat_status call_trend(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_linear_trend(VEC(0), a->integer[1], &r->trend);
}
static void write_trend(stats_json_writer *w, const stats_json_result *r)
{
    const ks_stats_trend_result *t = &r->trend;
    put_num(w, "slope", t->slope);
    put_num(w, "intercept", t->intercept);
    put_num(w, "r2", t->r2);
    put_nums(w, "fitted", t->fitted, t->n);
    put_nums(w, "forecast", t->forecast, t->horizon);
}
static void release_trend(stats_json_result *r) { ks_stats_trend_free(&r->trend); }

static ks_stat_status call_seasonal(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_seasonal_index(VEC(0), a->integer[1], &r->seasonal);
}
static void write_seasonal(stats_json_writer *w, const stats_json_result *r)
{
    const ks_stats_seasonal_result *s = &r->seasonal;
    put_nums(w, "season_means", s->season_means, s->L);
    put_num(w, "grand_mean", s->grand_mean);
    put_nums(w, "index", s->index, s->L);
    put_nums(w, "index_percent", s->index_percent, s->L);
}
static void release_seasonal(stats_json_result *r) { ks_stats_seasonal_free(&r->seasonal); }

static ks_stat_status call_mape(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_mape(VEC(0), VEC(1), &r->mape);
}
static void write_mape(stats_json_writer *w, const stats_json_result *r)
{
    put_num(w, "mape_percent", r->mape.mape_percent);
    put_num(w, "mae", r->mape.mae);
}

static ks_stat_status call_erlang_c(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_erlang_c(a->num[0], a->num[1], a->num[2], a->num[3], a->num[4], &r->erlang);
}
static void write_erlang_c(stats_json_writer *w, const stats_json_result *r)
{
    const ks_stats_erlang_result *e = &r->erlang;
    put_num(w, "traffic_erlangs", e->traffic_erlangs);
    put_num(w, "occupancy", e->occupancy);
    put_num(w, "p_wait", e->p_wait);
    put_num(w, "service_level", e->service_level);
    put_num(w, "asa_s", e->asa_s);
    put_bool(w, "stable", e->stable);
}

static ks_stat_status call_agents(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_erlang_agents_required(a->num[0], a->num[1], a->num[2], a->num[3],
                                           a->num[4], a->given[5] ? &a->num[5] : NULL,
                                           &r->agents);
}
static void write_agents(stats_json_writer *w, const stats_json_result *r)
{
    const ks_stats_agents_result *e = &r->agents;
    put(w, "agents", count(e->agents));
    put_num(w, "traffic_erlangs", e->traffic_erlangs);
    put_num(w, "service_level", e->service_level);
    put_num(w, "p_wait", e->p_wait);
    put_num(w, "asa_s", e->asa_s);
    put_num(w, "occupancy", e->occupancy);
}

static ks_stat_status call_shrinkage(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_staff_with_shrinkage(a->num[0], a->num[1], &r->shrinkage);
}
static void write_shrinkage(stats_json_writer *w, const stats_json_result *r)
{
    put_num(w, "raw", r->shrinkage.raw);
    put(w, "scheduled", count(r->shrinkage.scheduled));
}

static ks_stat_status call_sample(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_sample_size_proportion(a->num[0], a->given[1] ? &a->num[1] : NULL,
                                           a->num[2], a->num[3],
                                           a->given[4] ? &a->num[4] : NULL, &r->sample);
}
static const char *check_sample(const stats_json_args *a)
{
    return a->given[0] || a->given[1] ? NULL : "needs 'conf' or 'z'";
}
static void write_sample(stats_json_writer *w, const stats_json_result *r)
{
    const ks_stats_sample_size_result *s = &r->sample;
    put_num(w, "z", s->z);
    put_num(w, "n0", s->n0);
    put(w, "n", count(s->n));
    if (s->has_population) {
        put_num(w, "n_fpc_real", s->n_fpc_real);
        put(w, "n_fpc", count(s->n_fpc));
    }
}

static ks_stat_status call_items(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_item_analysis(MATRIX(0), a->num[1], &r->items);
}
static void write_items(stats_json_writer *w, const stats_json_result *r)
{
    const ks_stats_items_result *it = &r->items;
    put_int(w, "n_examinees", it->n_examinees);
    put_int(w, "n_items", it->n_items);
    put(w, "totals", counts(it->totals, it->n_examinees));
    put_num(w, "mean_total", it->mean_total);
    put_num(w, "var_total_pop", it->var_total_pop);
    put_num(w, "sd_total_pop", it->sd_total_pop);
    put_nums(w, "p", it->p, it->n_items);
    put_nums(w, "r_pb", it->r_pb, it->n_items);
    put_nums(w, "r_pb_corrected", it->r_pb_corrected, it->n_items);
    put_int(w, "group_size", it->group_size);
    put(w, "upper_group", indices(it->upper_group, it->group_size));
    put(w, "lower_group", indices(it->lower_group, it->group_size));
    put_nums(w, "D", it->D, it->n_items);
    put_num(w, "kr20", it->kr20);
    put_num(w, "sem", it->sem);
}
static void release_items(stats_json_result *r) { ks_stats_items_free(&r->items); }

static ks_stat_status call_kr20(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_kr20(MATRIX(0), &r->value);
}
static void write_kr20(stats_json_writer *w, const stats_json_result *r)
{
    put_num(w, "kr20", r->value);
}

static ks_stat_status call_alpha(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_cronbach_alpha(MATRIX(0), &r->alpha);
}
static void write_alpha(stats_json_writer *w, const stats_json_result *r)
{
    put_num(w, "alpha", r->alpha.alpha);
    put_num(w, "sum_item_var", r->alpha.sum_item_var);
    put_num(w, "var_total", r->alpha.var_total);
}

static ks_stat_status call_sem(const stats_json_args *a, stats_json_result *r)
{
    return ks_stats_sem(a->num[0], a->num[1], &r->value);
}
static void write_sem(stats_json_writer *w, const stats_json_result *r)
{
    put_num(w, "sem", r->value);
}

/* ---- the table ------------------------------------------------------------ */

#define VECTOR(key) {key, IN_VECTOR, IN_REQUIRED, 0}
#define NUMBER(key) {key, IN_NUMBER, IN_REQUIRED, 0}
#define INTEGER(key) {key, IN_INTEGER, IN_REQUIRED, 0}
#define MATRIX_IN(key) {key, IN_MATRIX, IN_REQUIRED, 0}
#define OPTIONAL_NUMBER(key) {key, IN_NUMBER, IN_OPTIONAL, 0}
#define DEFAULT_NUMBER(key, v) {key, IN_NUMBER, IN_DEFAULTED, v}
#define DDOF {"ddof", IN_INTEGER, IN_DEFAULTED, 1}
#define ALPHA DEFAULT_NUMBER("alpha", 0.05)

static const stats_json_fn functions[] = {
    {"cv", {VECTOR("x"), DDOF}, call_cv, write_cv, NULL, NULL},
    {"zscores", {VECTOR("x"), DDOF}, call_zscores, write_zscores, release_zscores, NULL},
    {"xmr_limits", {VECTOR("x")}, call_xmr, write_xmr, release_xmr, NULL},
    {"sd_limits", {VECTOR("x"), DDOF, DEFAULT_NUMBER("k", 3)}, call_sd_limits,
     write_sd_limits, NULL, NULL},
    {"p_chart", {VECTOR("defects"), VECTOR("sizes")}, call_p_chart, write_p_chart,
     release_p_chart, NULL},
    {"control_rules", {VECTOR("x"), NUMBER("center"), NUMBER("sigma")}, call_rules,
     write_rules, release_rules, NULL},
    {"pearson_test", {VECTOR("x"), VECTOR("y"), ALPHA}, call_pearson, write_pearson, NULL,
     NULL},
    {"linreg", {VECTOR("x"), VECTOR("y")}, call_linreg, write_linreg, release_linreg, NULL},
    {"ttest_student", {VECTOR("a"), VECTOR("b"), ALPHA}, call_student, write_student, NULL,
     NULL},
    {"ttest_welch", {VECTOR("a"), VECTOR("b"), ALPHA}, call_welch, write_welch, NULL, NULL},
    {"ttest_paired", {VECTOR("a"), VECTOR("b"), ALPHA}, call_paired, write_paired, NULL, NULL},
    {"moving_average", {VECTOR("x"), INTEGER("k")}, call_moving_average, write_forecast,
     release_forecast, NULL},
    {"ses", {VECTOR("x"), NUMBER("alpha")}, call_ses, write_forecast, release_forecast, NULL},
    {"linear_trend", {VECTOR("x"), INTEGER("horizon")}, call_trend, write_trend,
     release_trend, NULL},
    {"seasonal_index", {VECTOR("x"), INTEGER("L")}, call_seasonal, write_seasonal,
     release_seasonal, NULL},
    {"mape", {VECTOR("actual"), VECTOR("forecast")}, call_mape, write_mape, NULL, NULL},
    {"erlang_c",
     {NUMBER("calls"), NUMBER("interval_s"), NUMBER("aht_s"), NUMBER("agents"),
      NUMBER("target_s")},
     call_erlang_c, write_erlang_c, NULL, NULL},
    {"erlang_agents_required",
     {NUMBER("calls"), NUMBER("interval_s"), NUMBER("aht_s"), NUMBER("target_sl"),
      NUMBER("target_s"), OPTIONAL_NUMBER("max_occupancy")},
     call_agents, write_agents, NULL, NULL},
    {"staff_with_shrinkage", {NUMBER("agents"), NUMBER("shrinkage")}, call_shrinkage,
     write_shrinkage, NULL, NULL},
    {"sample_size_proportion",
     {OPTIONAL_NUMBER("conf"), OPTIONAL_NUMBER("z"), NUMBER("margin"), NUMBER("p"),
      OPTIONAL_NUMBER("population")},
     call_sample, write_sample, NULL, check_sample},
    {"item_analysis", {MATRIX_IN("matrix"), DEFAULT_NUMBER("group_frac", 0.27)}, call_items,
     write_items, release_items, NULL},
    {"kr20", {MATRIX_IN("matrix")}, call_kr20, write_kr20, NULL, NULL},
    {"cronbach_alpha", {MATRIX_IN("matrix")}, call_alpha, write_alpha, NULL, NULL},
    {"sem", {NUMBER("sd"), NUMBER("reliability")}, call_sem, write_sem, NULL, NULL},
};

#define N_FUNCTIONS (sizeof functions / sizeof functions[0])

const char *ks_stats_json_name(size_t i) { return i < N_FUNCTIONS ? functions[i].name : NULL; }

const stats_json_fn *stats_json_find(const char *name)
{
    for (size_t i = 0; i < N_FUNCTIONS; i++)
        if (strcmp(functions[i].name, name) == 0)
            return &functions[i];
    return NULL;
}
