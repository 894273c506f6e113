/* The analytics report as one HTML page in Chinese for proctors (see
 * ks_analytics_html in include/kaoshi/analytics.h): a caveat when the sample
 * is small, the test's figures (with the pass rate when the caller counted
 * it) and a histogram of the scores, the comparison when there is one, the
 * slots and items that need a look and why, the slot and item tables with a
 * facility-discrimination scatter plot, each choice item's distractor
 * analysis, and what every figure means. Readable on a phone: tables scroll
 * inside their own box, charts enlarge on a tap (HTML popovers). No script,
 * event handler or style attribute anywhere, so the page passes a strict
 * Content-Security-Policy; every text from the data is escaped. Depends on
 * the SVG charts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analytics_impl.h"
#include "kaoshi/chart.h"

static const char css[] =
    "body{font-family:Inter,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,\"PingFang SC\","
    "\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"WenQuanYi Zen Hei\",sans-serif;color:#222;"
    "margin:0;background:#fafafa;line-height:1.5}\n"
    ".analytics-report{max-width:1100px;margin:0 auto;padding:1em 1.5em;background:#fff}\n"
    "h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;"
    "margin-top:1.8em}h3{font-size:1.05em;margin-bottom:.3em;overflow-wrap:anywhere}\n"
    ".table-wrap{overflow-x:auto;margin:.5em 0 1em;max-width:100%}table{border-collapse:collapse}\n"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:right;font-size:.9em;"
    "font-variant-numeric:tabular-nums}\n"
    "th{background:#f0f0f0}td.text,th.text{text-align:left}td.id{white-space:nowrap}\n"
    "tr.flagged td{background:#fff3e0}tr.key td{font-weight:bold}\n"
    "tr.suspect td{background:#fdecea}\n"
    ".figures th{text-align:left}.meta,.note{color:#555}\n"
    ".caveat{border-left:4px solid #b45309;background:#fff7e6;color:#6b3a00;"
    "padding:.5em .75em;margin:.75em 0}\n"
    "ul.flags li{margin:.3em 0}.reasons{color:#b23c17}.small-sample .reasons{color:#555}\n"
    "figure.chart{display:block;position:static;inset:auto;width:auto;height:auto;margin:1em 0;"
    "padding:0;border:0;overflow:visible;color:inherit;background:none}\n"
    "figure.chart:popover-open{position:fixed;inset:0;width:100%;height:100%;max-width:none;"
    "max-height:none;margin:0;padding:1em;overflow:auto;background:#fff}\n"
    "figure.chart::backdrop{background:rgba(0,0,0,.55)}\n"
    ".chart-zoom{display:block;max-width:100%;padding:0;border:1px solid #ccc;background:#fff;"
    "font:inherit;color:inherit;text-align:left;cursor:zoom-in}\n"
    ".chart-zoom svg{display:block;max-width:100%;height:auto}\n"
    ".chart-zoom .hint{display:block;padding:.2em .5em;font-size:.85em;color:#555}\n"
    ".chart-close,figure.chart:popover-open .hint-open,.hint-close{display:none}\n"
    "figure.chart:popover-open .chart-zoom{width:100%;cursor:zoom-out}\n"
    "figure.chart:popover-open .chart-zoom svg{width:max(100%,720px);max-width:none}\n"
    "figure.chart:popover-open .hint-close{display:block}\n"
    "figure.chart:popover-open .chart-close{display:inline-block;margin-bottom:.5em;"
    "padding:.4em 1em;font:inherit}\n"
    "dl dt{font-weight:bold;margin-top:.5em}dl dd{margin-left:1.5em}\n"
    ".report-links{display:flex;flex-wrap:wrap;gap:.5em 1.5em;margin:.25em 0 .5em}\n"
    ":focus-visible{outline:3px solid #f59e0b;outline-offset:2px}\n"
    "@media (max-width:600px){.analytics-report{padding:.75em}h1{font-size:1.35em}"
    "dl dd{margin-left:.75em}th{white-space:nowrap}td.text{min-width:8em}}\n"
    "@media print{.report-links,.chart-zoom .hint{display:none}}\n";

const char *ks_analytics_css(void) { return css; }

/* ---- text ---------------------------------------------------------------------- */

/* s as HTML text: the markup characters as entities, control characters
 * other than tab and newline dropped. */
static void put_text(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:
            if (*p >= 0x20 || *p == '\t' || *p == '\n')
                fputc(*p, f);
        }
    }
}

/* The box a wide table scrolls in on a narrow screen: a named region the
 * keyboard can reach (and so scroll), named label (escaped). */
static void put_table_wrap(FILE *f, const char *label)
{
    fputs("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"", f);
    put_text(f, label);
    fputs("\">", f);
}

/* A number with `decimals` digits, or a dash when it is undefined. */
static void put_num(FILE *f, double v, int decimals)
{
    if (isfinite(v))
        fprintf(f, "%.*f", decimals, v);
    else
        fputs("—", f);
}

static void cell(FILE *f, double v, int decimals)
{
    fputs("<td>", f);
    put_num(f, v, decimals);
    fputs("</td>", f);
}

static void row(FILE *f, const char *label, double v, int decimals, const char *unit)
{
    fprintf(f, "<tr><th>%s</th><td>", label);
    put_num(f, v, decimals);
    if (isfinite(v))
        fputs(unit, f);
    fputs("</td></tr>\n", f);
}

static void put_flags(FILE *f, unsigned flags)
{
    const char *sep = "";
    for (int fl = 0; fl < KS_ANALYTICS_FLAG_COUNT; fl++)
        if (flags & (1u << fl)) {
            fputs(sep, f);
            fputs(ks_analytics_flag_text((ks_analytics_flag)fl), f);
            sep = "；";
        }
}

static void slot_label(FILE *f, const ks_analytics_report *r, size_t i)
{
    const ks_analytics_slot_stat *s = &r->slots[i];
    fprintf(f, "第 %zu 题（第 %d 部分第 %d 题）", i + 1, s->section, s->position);
}

/* ---- sections ------------------------------------------------------------------------ */

static void put_links(FILE *f, const ks_analytics_page *page)
{
    if (!page || !page->nlinks)
        return;
    fputs("<nav class=\"report-links\">", f);
    for (size_t i = 0; i < page->nlinks; i++) {
        fputs("<a href=\"", f);
        put_text(f, page->links[i].href);
        fputs("\">", f);
        put_text(f, page->links[i].text);
        fputs("</a>", f);
    }
    fputs("</nav>\n", f);
}

/* Above the figures when the attempts are few: what not to conclude. */
static void put_caveat(FILE *f, const ks_analytics_report *r)
{
    if (r->test.n == 0 || r->test.n >= KS_ANALYTICS_SMALL_SAMPLE)
        return;
    fprintf(f, "<p class=\"caveat\" role=\"note\"><strong>样本量小（%zu 份作答，少于 %d 份）"
               "</strong>：信度系数（CIC、KR-20）、标准误和各题的统计量都很不稳定，仅供参考；"
               "请不要据此判断试卷质量，也不要仅凭“需要关注的题目”中的提示修改或删除题目。</p>\n",
            r->test.n, KS_ANALYTICS_SMALL_SAMPLE);
}

static void put_head(FILE *f, const ks_analytics_report *r, const ks_analytics_page *page)
{
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<link rel=\"icon\" href=\"data:,\">\n<title>考试分析报告 · ", f);
    put_text(f, r->code);
    fputs("</title>\n", f);
    if (page && page->stylesheet_href) {
        fputs("<link rel=\"stylesheet\" href=\"", f);
        put_text(f, page->stylesheet_href);
        fputs("\">\n", f);
    } else {
        fprintf(f, "<style>\n%s</style>\n", css);
    }
    fputs("</head>\n<body>\n<main class=\"analytics-report\">\n", f);
    put_links(f, page);
    fputs("<h1>考试分析报告</h1>\n<p class=\"meta\">认证：", f);
    put_text(f, r->code);
    if (r->title) {
        fputs(" ", f);
        put_text(f, r->title);
    }
    fputs("；场次：", f);
    for (size_t i = 0; i < r->nsittings; i++) {
        fputs(i ? "、" : "", f);
        put_text(f, r->sittings[i]);
    }
    fprintf(f, "；统计范围：%s。</p>\n",
            r->which == KS_ANALYTICS_FIRST ? "每位考生的首次作答（不含补考）"
                                           : "全部已完成并评分的作答（含补考）");
    put_caveat(f, r);
}

/* A chart (svg) in a figure that enlarges to the whole window when it is
 * clicked or tapped and shrinks back on a second click, the close button or
 * Esc: an HTML popover, so without a script. id is unique on the page. */
static void put_chart(FILE *f, const char *id, const char *svg, const char *caption)
{
    fprintf(f, "<figure class=\"chart\" id=\"%s\" popover>\n"
               "<button type=\"button\" class=\"chart-close\" popovertarget=\"%s\" "
               "popovertargetaction=\"hide\">关闭</button>\n"
               "<button type=\"button\" class=\"chart-zoom\" popovertarget=\"%s\">\n%s"
               "<span class=\"hint hint-open\">点按图表放大</span>"
               "<span class=\"hint hint-close\">点按图表、“关闭”或 Esc 键还原</span>"
               "</button>\n<figcaption>%s</figcaption>\n</figure>\n",
            id, id, id, svg, caption);
}

/* How many of the analysed attempts passed, with the pass mark. */
static void put_pass_rate(FILE *f, const ks_analytics_outcome *o)
{
    fputs("<tr><th>通过率</th><td>", f);
    put_num(f, o->graded ? 100.0 * (double)o->passed / (double)o->graded : NAN, 2);
    fprintf(f, "%s（%zu / %zu 通过；", o->graded ? "%" : "", o->passed, o->graded);
    if (o->pass_mark >= 0) {
        fputs("及格线 ", f);
        put_num(f, o->pass_mark, o->pass_mark == floor(o->pass_mark) ? 0 : 2);
        fputs("%）</td></tr>\n", f);
    } else {
        fputs("由认证脚本的 pass 函数判定）</td></tr>\n", f);
    }
}

static ks_status put_histogram(FILE *f, const ks_analytics_report *r, ks_error *err)
{
    const ks_analytics_test_stat *t = &r->test;
    double *pct = calloc(t->n, sizeof *pct);
    if (!pct)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    for (size_t k = 0; k < t->n; k++)
        pct[k] = fmin(100, 100 * t->scores[k] / t->max_score);
    ks_chart_histogram h = {.text = {"成绩分布", "得分率（%）", "人数"}, .values = pct,
                            .n = t->n, .lo = 0, .hi = 100, .bins = 10,
                            .marker = fmin(100, 100 * t->mean / t->max_score),
                            .marker_label = "平均分"};
    char *svg = NULL;
    ks_status rc = ks_chart_histogram_svg(&h, &svg, err);
    free(pct);
    if (rc)
        return rc;
    put_chart(f, "chart-histogram", svg, "得分率分布（每 10% 一组），虚线为平均分。");
    free(svg);
    return KS_OK;
}

static ks_status put_test(FILE *f, const ks_analytics_report *r, ks_error *err)
{
    const ks_analytics_test_stat *t = &r->test;
    fputs("<section id=\"test\">\n<h2>整体统计</h2>\n", f);
    put_table_wrap(f, "整体统计");
    fputs("<table class=\"figures\">\n", f);
    fprintf(f, "<tr><th>作答数</th><td>%zu</td></tr>\n", t->n);
    row(f, "满分", t->max_score, 2, "");
    row(f, "平均分", t->mean, 2, "");
    row(f, "平均得分率", 100 * t->mean / t->max_score, 2, "%");
    row(f, "中位数", t->median, 2, "");
    row(f, "标准差", t->sd, 2, "");
    row(f, "偏度", t->skewness, 4, "");
    row(f, "峰度", t->kurtosis, 4, "");
    row(f, "内部一致性系数 CIC", t->cic, 2, "%");
    row(f, "误差率 ER", t->error_ratio, 2, "%");
    row(f, "标准误 SE", t->standard_error, 2, "");
    row(f, "KR-20", t->kr20, 4, "");
    fprintf(f, "<tr><th>高分组、低分组人数</th><td>%zu</td></tr>\n", t->group_size);
    if (r->outcome)
        put_pass_rate(f, r->outcome);
    fputs("</table></div>\n", f);
    ks_status rc = t->n ? put_histogram(f, r, err) : KS_OK;
    if (!t->n)
        fputs("<p class=\"note\">没有已评分的作答。</p>\n", f);
    fputs("</section>\n", f);
    return rc;
}

static const char *why_no_test(ks_stat_status s)
{
    switch (s) {
    case KS_STAT_E_N_TOO_SMALL: return "每组至少需要 2 份作答";
    case KS_STAT_E_ZERO_VARIANCE: return "两组得分都没有差异（方差为 0）";
    default: return "无法计算";
    }
}

static void put_comparison(FILE *f, const ks_analytics_comparison *c)
{
    const ks_stats_ttest2_result *t = &c->t;
    fputs("<section id=\"comparison\">\n<h2>两组比较（Welch t 检验，按得分率）</h2>\n", f);
    fputs("<p>A 组：", f);
    put_text(f, c->label_a);
    fputs("；B 组：", f);
    put_text(f, c->label_b);
    fputs("。</p>\n", f);
    if (c->status != KS_STAT_OK) {
        fprintf(f, "<p class=\"note\">无法检验：%s。</p>\n</section>\n", why_no_test(c->status));
        return;
    }
    put_table_wrap(f, "比较");
    fputs("<table class=\"figures\">\n", f);
    fprintf(f, "<tr><th>A 组作答数</th><td>%zu</td></tr>\n", t->n1);
    fprintf(f, "<tr><th>B 组作答数</th><td>%zu</td></tr>\n", t->n2);
    row(f, "A 组平均得分率", t->mean1, 2, "%");
    row(f, "B 组平均得分率", t->mean2, 2, "%");
    row(f, "差值（A − B）", t->mean_diff, 2, "%");
    row(f, "t", t->t, 4, "");
    row(f, "自由度 df", t->df, 2, "");
    row(f, "双侧 p 值", t->p_two_sided, 4, "");
    fprintf(f, "</table></div>\n<p>结论：在 α = 0.05 下两组平均得分率的差异%s。</p>\n</section>\n",
            t->significant ? "显著" : "不显著");
}

static bool any_flag(const ks_analytics_report *r)
{
    for (size_t i = 0; i < r->nslots; i++)
        if (r->slots[i].stat.flags)
            return true;
    for (size_t j = 0; j < r->nitems; j++)
        if (r->items[j].stat.flags)
            return true;
    return false;
}

static void put_flagged(FILE *f, const ks_analytics_report *r)
{
    bool small = r->test.n < KS_ANALYTICS_SMALL_SAMPLE;
    fprintf(f, "<section id=\"flags\"%s>\n<h2>需要关注的题目</h2>\n",
            small ? " class=\"small-sample\"" : "");
    if (small && any_flag(r))
        fprintf(f, "<p class=\"note\">作答少于 %d 份，以下提示只说明数据如此，不足以说明题目有问题。"
                   "</p>\n", KS_ANALYTICS_SMALL_SAMPLE);
    if (!any_flag(r)) {
        fputs("<p>没有需要特别关注的题位或题目。</p>\n</section>\n", f);
        return;
    }
    fputs("<ul class=\"flags\">\n", f);
    for (size_t i = 0; i < r->nslots; i++) {
        if (!r->slots[i].stat.flags)
            continue;
        fputs("<li>题位 ", f);
        slot_label(f, r, i);
        fputs("：<span class=\"reasons\">", f);
        put_flags(f, r->slots[i].stat.flags);
        fputs("</span></li>\n", f);
    }
    for (size_t j = 0; j < r->nitems; j++) {
        if (!r->items[j].stat.flags)
            continue;
        fputs("<li>题目 <strong>", f);
        put_text(f, r->items[j].info->id);
        fputs("</strong>：<span class=\"reasons\">", f);
        put_flags(f, r->items[j].stat.flags);
        fputs("</span></li>\n", f);
    }
    fputs("</ul>\n</section>\n", f);
}

static const char stat_headers[] =
    "<th>作答数</th><th>难度指数 %</th><th>标准差 %</th><th>随机猜测得分 %</th>"
    "<th>预期权重 %</th><th>实际权重 %</th><th>区分度 %</th><th>区分效率 %</th>"
    "<th>满分率</th><th>点二列相关</th><th>D</th><th class=\"text\">提示</th>";

static void stat_cells(FILE *f, const ks_analytics_stat *s)
{
    fprintf(f, "<td>%zu</td>", s->n);
    cell(f, s->facility, 2);
    cell(f, s->sd, 2);
    cell(f, s->guess, 2);
    cell(f, s->intended_weight, 2);
    if (s->negative_covariance)
        fputs("<td>协方差为负</td>", f);
    else
        cell(f, s->effective_weight, 2);
    cell(f, s->discrimination_index, 2);
    cell(f, s->discriminative_efficiency, 2);
    cell(f, s->p, 3);
    cell(f, s->point_biserial, 3);
    cell(f, s->d, 3);
    fputs("<td class=\"text\">", f);
    put_flags(f, s->flags);
    fputs("</td></tr>\n", f);
}

static void put_slots(FILE *f, const ks_analytics_report *r)
{
    fputs("<section id=\"slots\">\n<h2>题位统计</h2>\n<p class=\"note\">题位是试卷上的位置"
          "（部分与题号）；每份试卷从题库随机抽题，同一题位上可能是不同的题目。</p>\n",
          f);
    put_table_wrap(f, "题位统计");
    fputs("<table>\n<tr><th>题位</th><th class=\"text\">部分</th><th>分值</th>"
          "<th>抽到的题目数</th>", f);
    fputs(stat_headers, f);
    fputs("</tr>\n", f);
    for (size_t i = 0; i < r->nslots; i++) {
        const ks_analytics_slot_stat *s = &r->slots[i];
        fprintf(f, "<tr%s><td>%zu</td><td class=\"text\">",
                s->stat.flags ? " class=\"flagged\"" : "", i + 1);
        if (s->section_title)
            put_text(f, s->section_title);
        else
            fprintf(f, "第 %d 部分", s->section);
        fprintf(f, " · 第 %d 题</td>", s->position);
        cell(f, s->stat.points, 2);
        fprintf(f, "<td>%zu</td>", s->nitems);
        stat_cells(f, &s->stat);
    }
    fputs("</table></div>\n</section>\n", f);
}

static ks_status put_scatter(FILE *f, const ks_analytics_report *r, ks_error *err)
{
    double *x = calloc(r->nitems + 1, sizeof *x), *y = calloc(r->nitems + 1, sizeof *y);
    size_t n = 0;
    for (size_t j = 0; x && y && j < r->nitems; j++) {
        const ks_analytics_stat *s = &r->items[j].stat;
        if (isfinite(s->facility) && isfinite(s->discrimination_index)) {
            x[n] = s->facility;
            y[n++] = s->discrimination_index;
        }
    }
    ks_status rc = x && y ? KS_OK : ks_error_set(err, KS_EINTERNAL, "out of memory");
    if (!rc && n >= 1 && n <= KS_CHART_MAX_POINTS) {
        ks_chart_scatter sc = {.text = {"难度与区分度", "难度指数（%）", "区分度（%）"},
                               .x = x, .y = y, .n = n, .line = false};
        char *svg = NULL;
        if (!(rc = ks_chart_scatter_svg(&sc, &svg, err))) {
            put_chart(f, "chart-scatter", svg, "每个点是一道题目：横轴为难度指数，纵轴为区分度；"
                                               "右上方的题目既不太难又能区分水平高低。");
            free(svg);
        }
    }
    free(x);
    free(y);
    return rc;
}

static ks_status put_items(FILE *f, const ks_analytics_report *r, ks_error *err)
{
    fputs("<section id=\"items\">\n<h2>题目统计</h2>\n<p class=\"note\">每道题目按抽到它的作答"
          "统计；区分度与该作答其余题目的得分相关。</p>\n", f);
    ks_status rc = put_scatter(f, r, err);
    if (rc)
        return rc;
    put_table_wrap(f, "题目统计");
    fputs("<table>\n<tr><th class=\"text\">题目</th><th class=\"text\">题型</th>"
          "<th class=\"text\">出现的题位</th>", f);
    fputs(stat_headers, f);
    fputs("</tr>\n", f);
    for (size_t j = 0; j < r->nitems; j++) {
        const ks_analytics_item_stat *it = &r->items[j];
        fprintf(f, "<tr%s><td class=\"text id\">", it->stat.flags ? " class=\"flagged\"" : "");
        put_text(f, it->info->id);
        fputs("</td><td class=\"text\">", f);
        put_text(f, it->info->type);
        fputs("</td><td class=\"text\">", f);
        for (size_t k = 0; k < it->nslots; k++)
            fprintf(f, "%s%zu", k ? "、" : "", it->slots[k] + 1);
        fputs("</td>", f);
        stat_cells(f, &it->stat);
    }
    fputs("</table></div>\n</section>\n", f);
    return KS_OK;
}

static void option_row(FILE *f, const ks_analytics_option *o, const char *label,
                       const char *text)
{
    bool suspect = o->option && !o->key && (o->upper > o->lower || o->count == 0);
    fprintf(f, "<tr%s><td class=\"text\">%s</td><td class=\"text\">",
            o->key ? " class=\"key\"" : suspect ? " class=\"suspect\"" : "", label);
    put_text(f, text);
    fprintf(f, "</td><td>%s</td><td>%zu</td>", o->key ? "是" : "", o->count);
    cell(f, 100 * o->proportion, 1);
    fprintf(f, "<td>%zu</td><td>%zu</td><td>%zu</td>", o->upper, o->middle, o->lower);
    cell(f, o->mean_total, 2);
    fputs("</tr>\n", f);
}

static void put_distractors(FILE *f, const ks_analytics_report *r)
{
    fputs("<section id=\"distractors\">\n<h2>选项分析</h2>\n<p class=\"note\">高分组、低分组："
          "抽到该题的作答按总分排序后的前、后 27%；选项按题库中的编号，与考生页面上的顺序无关。"
          "粗体为正确答案，红底为被高分组选得比低分组多或无人选择的错误选项。</p>\n", f);
    bool any = false;
    for (size_t j = 0; j < r->nitems; j++) {
        const ks_analytics_item_stat *it = &r->items[j];
        const ks_analytics_item_info *info = it->info;
        if (info->noptions == 0)
            continue;
        any = true;
        fputs("<h3>", f);
        put_text(f, info->id);
        fputs("</h3>\n", f);
        if (info->stem) {
            fputs("<p>", f);
            put_text(f, info->stem);
            fputs("</p>\n", f);
        }
        fprintf(f, "<p class=\"note\">作答 %zu 份，高分组、低分组各 %zu 份。</p>\n",
                it->stat.n, it->group_size);
        put_table_wrap(f, info->id);
        fputs("<table>\n<tr><th class=\"text\">选项</th><th class=\"text\">内容</th>"
              "<th>正确答案</th><th>选择人数</th><th>比例 %</th><th>高分组</th><th>中间组</th>"
              "<th>低分组</th><th>选择者平均分</th></tr>\n",
              f);
        for (int k = 0; k < info->noptions; k++) {
            char label[16];
            snprintf(label, sizeof label, "%d", k + 1);
            option_row(f, &it->options[k], label, info->options ? info->options[k] : "");
        }
        option_row(f, &it->omitted, "未作答", "");
        fputs("</table></div>\n", f);
    }
    if (!any)
        fputs("<p>没有带选项的题目。</p>\n", f);
    fputs("</section>\n", f);
}

static void put_notes(FILE *f)
{
    fputs("<section id=\"notes\">\n<h2>说明</h2>\n<p class=\"note\">"
          "各项指标按 Moodle 测验统计报告的定义计算（Moodle 开发文档"
          "《Quiz statistics calculations》），方差与协方差的分母为 n − 1。</p>\n<dl>\n"
          "<dt>难度指数</dt><dd>平均得分占满分的百分比，越高越容易；"
          "低于 5% 或高于 95% 的题目几乎无法区分考生。</dd>\n"
          "<dt>随机猜测得分</dt><dd>随机作答的期望得分率，如四选一为 25%。</dd>\n"
          "<dt>预期权重、实际权重</dt><dd>预期权重为分值占总分的比例；"
          "实际权重为该题得分与总分协方差的平方根所占的比例，"
          "反映它对总分排序的实际影响。协方差为负时不计算。</dd>\n"
          "<dt>区分度</dt><dd>该题得分与其余题目总分的相关系数 × 100：50% 以上很好，"
          "30%–50% 合格，20%–29% 偏弱，0–19% 很弱，为负说明题目或答案可能有误。</dd>\n"
          "<dt>区分效率</dt><dd>区分度与在该题难度下可能达到的最大值之比；"
          "低于 15% 即 Moodle 所说的可疑题目。</dd>\n"
          "<dt>内部一致性系数 CIC、误差率 ER、标准误 SE</dt><dd>CIC 即按题位计算的 "
          "Cronbach α；75% 以上令人满意，低于 64% 说明整卷需要改进。"
          "ER = √(1 − CIC)，SE = ER × 标准差，即单个成绩的测量误差。</dd>\n"
          "<dt>满分率、点二列相关、D</dt><dd>得满分的作答比例；"
          "该题得分与总分（含本题）的相关系数；高分组与低分组平均得分率之差。</dd>\n"
          "</dl>\n</section>\n", f);
}

ks_status ks_analytics_html(const ks_analytics_report *r, const ks_analytics_page *page,
                            char **html, ks_error *err)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    put_head(f, r, page);
    ks_status rc = put_test(f, r, err);
    if (!rc && r->comparison)
        put_comparison(f, r->comparison);
    if (!rc) {
        put_flagged(f, r);
        put_slots(f, r);
        rc = put_items(f, r, err);
    }
    if (!rc) {
        put_distractors(f, r);
        put_notes(f);
        fputs("</main>\n</body>\n</html>\n", f);
    }
    if (fclose(f) != 0 && !rc)
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    if (rc || !text) {
        free(text);
        return rc ? rc : ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    *html = text;
    return KS_OK;
}
