/* The analytics report as JSON (for integrators, the CLI and the server) and
 * as CSV, one row per item (for spreadsheets). Undefined figures are "nan" in
 * JSON, as in kaoshi/stats_json.h, and empty cells in CSV. Depends on
 * jansson and kaoshi/csv.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "analytics/analytics_impl.h"
#include "kaoshi/csv.h"
#include "stats/stats_json_util.h"

/* ---- JSON ------------------------------------------------------------------- */

/* Builds the object; ok turns false when jansson runs out of memory. set
 * and add take v's reference whatever happens (jansson's *_new calls release
 * it on failure, and fail on a NULL container or value). */
typedef struct writer {
    bool ok;
} writer;

static void set(writer *w, json_t *o, const char *key, json_t *v)
{
    if (json_object_set_new(o, key, v) != 0)
        w->ok = false;
}

static void add(writer *w, json_t *a, json_t *v)
{
    if (json_array_append_new(a, v) != 0)
        w->ok = false;
}

static json_t *count(size_t v) { return json_integer((json_int_t)v); }

static json_t *text_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *flag_list(writer *w, unsigned flags)
{
    json_t *a = json_array();
    for (int f = 0; f < KS_ANALYTICS_FLAG_COUNT; f++)
        if (flags & (1u << f))
            add(w, a, json_string(ks_analytics_flag_name((ks_analytics_flag)f)));
    return a;
}

/* Adds the figures of s to o. */
static void put_stat(writer *w, json_t *o, const ks_analytics_stat *s)
{
    set(w, o, "n", count(s->n));
    set(w, o, "points", ks_stats_json_number(s->points));
    set(w, o, "mean", ks_stats_json_number(s->mean));
    set(w, o, "facility", ks_stats_json_number(s->facility));
    set(w, o, "sd", ks_stats_json_number(s->sd));
    set(w, o, "random_guess_score", ks_stats_json_number(s->guess));
    set(w, o, "intended_weight", ks_stats_json_number(s->intended_weight));
    set(w, o, "effective_weight", ks_stats_json_number(s->effective_weight));
    set(w, o, "negative_covariance", json_boolean(s->negative_covariance));
    set(w, o, "discrimination_index", ks_stats_json_number(s->discrimination_index));
    set(w, o, "discriminative_efficiency", ks_stats_json_number(s->discriminative_efficiency));
    set(w, o, "p", ks_stats_json_number(s->p));
    set(w, o, "point_biserial", ks_stats_json_number(s->point_biserial));
    set(w, o, "d", ks_stats_json_number(s->d));
    set(w, o, "flags", flag_list(w, s->flags));
}

static json_t *option_json(writer *w, const ks_analytics_option *o, const char *text)
{
    json_t *j = json_object();
    if (o->option) {
        set(w, j, "option", json_integer(o->option));
        set(w, j, "text", text_or_null(text));
        set(w, j, "key", json_boolean(o->key));
    }
    set(w, j, "count", count(o->count));
    set(w, j, "upper", count(o->upper));
    set(w, j, "middle", count(o->middle));
    set(w, j, "lower", count(o->lower));
    set(w, j, "proportion", ks_stats_json_number(o->proportion));
    set(w, j, "mean_total", ks_stats_json_number(o->mean_total));
    return j;
}

static json_t *test_json(writer *w, const ks_analytics_test_stat *t)
{
    json_t *o = json_object();
    set(w, o, "n", count(t->n));
    set(w, o, "max_score", ks_stats_json_number(t->max_score));
    set(w, o, "mean", ks_stats_json_number(t->mean));
    set(w, o, "mean_percent", ks_stats_json_number(100 * t->mean / t->max_score));
    set(w, o, "median", ks_stats_json_number(t->median));
    set(w, o, "sd", ks_stats_json_number(t->sd));
    set(w, o, "skewness", ks_stats_json_number(t->skewness));
    set(w, o, "kurtosis", ks_stats_json_number(t->kurtosis));
    set(w, o, "cic", ks_stats_json_number(t->cic));
    set(w, o, "error_ratio", ks_stats_json_number(t->error_ratio));
    set(w, o, "standard_error", ks_stats_json_number(t->standard_error));
    set(w, o, "kr20", ks_stats_json_number(t->kr20));
    set(w, o, "group_size", count(t->group_size));
    return o;
}

static json_t *slot_json(writer *w, const ks_analytics_report *r, size_t i)
{
    const ks_analytics_slot_stat *s = &r->slots[i];
    json_t *o = json_object(), *items = json_array();
    set(w, o, "slot", count(i + 1));
    set(w, o, "section", json_integer(s->section));
    set(w, o, "position", json_integer(s->position));
    set(w, o, "section_title", text_or_null(s->section_title));
    for (size_t k = 0; k < s->nitems; k++)
        add(w, items, json_string(r->items[s->items[k]].info->id));
    set(w, o, "items", items);
    put_stat(w, o, &s->stat);
    return o;
}

static json_t *item_json(writer *w, const ks_analytics_item_stat *it)
{
    const ks_analytics_item_info *info = it->info;
    json_t *o = json_object(), *slots = json_array(), *key = json_array(),
           *options = json_array();
    set(w, o, "id", json_string(info->id));
    set(w, o, "type", json_string(info->type));
    set(w, o, "stem", text_or_null(info->stem));
    for (size_t k = 0; k < it->nslots; k++)
        add(w, slots, count(it->slots[k] + 1));
    set(w, o, "slots", slots);
    set(w, o, "group_size", count(it->group_size));
    put_stat(w, o, &it->stat);
    for (int k = 0; k < info->noptions; k++) {
        if ((info->key >> k) & 1)
            add(w, key, json_integer(k + 1));
        add(w, options,
            option_json(w, &it->options[k], info->options ? info->options[k] : NULL));
    }
    set(w, o, "key", key);
    set(w, o, "options", options);
    set(w, o, "omitted", option_json(w, &it->omitted, NULL));
    return o;
}

static json_t *comparison_json(writer *w, const ks_analytics_comparison *c)
{
    json_t *o = json_object();
    const ks_stats_ttest2_result *t = &c->t;
    set(w, o, "test", json_string("welch"));
    set(w, o, "scores", json_string("percent"));
    set(w, o, "a", json_string(c->label_a));
    set(w, o, "b", json_string(c->label_b));
    set(w, o, "status", json_string(ks_stats_status_name(c->status)));
    if (c->status != KS_STAT_OK)
        return o;
    set(w, o, "n1", count(t->n1));
    set(w, o, "n2", count(t->n2));
    set(w, o, "mean1", ks_stats_json_number(t->mean1));
    set(w, o, "mean2", ks_stats_json_number(t->mean2));
    set(w, o, "var1", ks_stats_json_number(t->var1));
    set(w, o, "var2", ks_stats_json_number(t->var2));
    set(w, o, "mean_diff", ks_stats_json_number(t->mean_diff));
    set(w, o, "se", ks_stats_json_number(t->se));
    set(w, o, "t", ks_stats_json_number(t->t));
    set(w, o, "df", ks_stats_json_number(t->df));
    set(w, o, "p_two_sided", ks_stats_json_number(t->p_two_sided));
    set(w, o, "t_crit", ks_stats_json_number(t->t_crit));
    set(w, o, "significant", json_boolean(t->significant));
    return o;
}

json_t *ks_analytics_json(const ks_analytics_report *r)
{
    writer w = {true};
    json_t *o = json_object(), *sittings = json_array(), *slots = json_array(),
           *items = json_array();
    set(&w, o, "code", json_string(r->code));
    set(&w, o, "title", text_or_null(r->title));
    for (size_t i = 0; i < r->nsittings; i++)
        add(&w, sittings, json_string(r->sittings[i]));
    set(&w, o, "sittings", sittings);
    set(&w, o, "attempts", json_string(r->which == KS_ANALYTICS_FIRST ? "first" : "all"));
    set(&w, o, "test", test_json(&w, &r->test));
    for (size_t i = 0; i < r->nslots; i++)
        add(&w, slots, slot_json(&w, r, i));
    set(&w, o, "slots", slots);
    for (size_t j = 0; j < r->nitems; j++)
        add(&w, items, item_json(&w, &r->items[j]));
    set(&w, o, "items", items);
    if (r->comparison)
        set(&w, o, "comparison", comparison_json(&w, r->comparison));
    if (!w.ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ---- CSV ---------------------------------------------------------------------- */

static void csv_number(FILE *f, double v, char sep)
{
    if (isfinite(v))
        fprintf(f, "%.4f", v);
    fputc(sep, f);
}

ks_status ks_analytics_csv(const ks_analytics_report *r, char **csv, ks_error *err)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    fputs("item,type,slots,n,facility,sd,random_guess_score,intended_weight,effective_weight,"
          "discrimination_index,discriminative_efficiency,p,point_biserial,d,flags\n", f);
    for (size_t j = 0; j < r->nitems; j++) {
        const ks_analytics_item_stat *it = &r->items[j];
        const ks_analytics_stat *s = &it->stat;
        ks_csv_field(f, it->info->id, ',');
        ks_csv_field(f, it->info->type, ',');
        for (size_t k = 0; k < it->nslots; k++)
            fprintf(f, "%s%zu", k ? ";" : "", it->slots[k] + 1);
        fprintf(f, ",%zu,", s->n);
        const double figures[] = {s->facility, s->sd, s->guess, s->intended_weight,
                                  s->effective_weight, s->discrimination_index,
                                  s->discriminative_efficiency, s->p, s->point_biserial, s->d};
        for (size_t k = 0; k < sizeof figures / sizeof figures[0]; k++)
            csv_number(f, figures[k], ',');
        const char *sep = "";
        for (int fl = 0; fl < KS_ANALYTICS_FLAG_COUNT; fl++)
            if (s->flags & (1u << fl)) {
                fprintf(f, "%s%s", sep, ks_analytics_flag_name((ks_analytics_flag)fl));
                sep = ";";
            }
        fputc('\n', f);
    }
    if (fclose(f) != 0 || !text) {
        free(text);
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    *csv = text;
    return KS_OK;
}
