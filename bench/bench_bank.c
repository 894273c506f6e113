/* bench_bank: loading a question bank of 100,000 items.
 *
 * The bank is generated (deterministically, from a fixed seed) into a
 * temporary directory: items of every type the CCOM banks use — single,
 * multiple, true_false, fill, numeric, ordering, matching, calculated and
 * essay, in about the CCOM banks' proportions — with Chinese stems, options
 * and explanations of the CCOM banks' typical lengths (about 600 bytes an
 * item, as banks/ccom_wfmp.yaml), some scalars quoted, block and flow lists.
 *
 * Measured: ks_bank_load (kaoshi/bank.h: the file read, libyaml's events
 * built into a node tree with positions, the core schema resolved, every
 * item's common fields checked, ids indexed): items/s, MiB/s and the peak of
 * the resident set during the load (VmHWM above the resident set before it).
 *
 * Ceiling: the same file read into memory the same way and parsed by libyaml
 * alone, every event pulled and dropped: the least any loader built on
 * libyaml can do. Its peak memory is the file's bytes and libyaml's buffers.
 *
 * Usage: bench_bank [--items N] [--write FILE]; --write only writes the bank
 * to FILE (for profiling the loader). One JSON line per figure on stdout. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "bench_util.h"
#include "kaoshi/bank.h"
#include "kaoshi/rng.h"

/* Words and phrases of the call-centre domain, the stuff of the texts. */
static const char *const words[] = {
    "呼叫中心", "话务量", "服务水平", "接通率", "平均处理时长", "坐席", "排班", "预测",
    "放弃率", "首次解决率", "客户满意度", "质检", "投诉", "培训", "绩效", "现场管理",
    "人力需求", "排队", "高峰时段", "班次", "休息", "缩减率", "出勤率", "占用率",
    "利用率", "实时监控", "日内调整", "历史数据", "季节指数", "移动平均", "指数平滑",
    "控制图", "离散系数", "相关系数", "显著性检验", "抽样", "样本量", "置信水平",
    "标准差", "平均值", "异常值", "改进措施", "流程", "标准", "要求", "运营", "管理者",
    "团队", "目标", "指标", "报表", "分析", "评估", "计划", "执行", "检查", "反馈",
    "话后处理", "等待时间", "转接", "升级", "工单", "知识库", "脚本", "录音", "评分",
    "校准", "辅导", "新员工", "上岗", "考核", "激励", "流失率", "满意度调查", "样本",
};
static const char *const joins[] = {"的", "与", "和", "对", "在", "中", "时", "是", "应", "按"};
static const char *const topics[] = {
    "业务量预测", "容量规划", "预测排班", "优化排班", "评估排班", "班务好坏的 3 标准",
    "如何建立话务模型", "如何检验话务模型", "如何组建机动部队", "CCOM 的历史发展",
    "CCOM 的主要精神", "质检标准", "投诉处理流程", "培训需求分析", "绩效指标体系",
};
static const char *const generators[] = {"erlang_agents", "moving_average", "ses", "mape",
                                         "cv_check", "control_chart"};

#define NWORDS (sizeof words / sizeof *words)

/* About `chars` characters of Chinese prose: words, joined, with commas. */
static void prose(FILE *f, ks_rng *r, int chars)
{
    int n = 0, since_comma = 0;
    while (n < chars) {
        const char *w = words[ks_rng_below(r, NWORDS)];
        fputs(w, f);
        int len = (int)strlen(w) / 3;
        n += len;
        since_comma += len;
        if (n >= chars)
            break;
        if (since_comma > 12 && ks_rng_below(r, 3) == 0) {
            fputs("，", f);
            since_comma = 0;
        } else {
            fputs(joins[ks_rng_below(r, sizeof joins / sizeof *joins)], f);
        }
        n++;
    }
}

static int between(ks_rng *r, int lo, int hi) { return (int)ks_rng_range(r, lo, hi); }

static void text_field(FILE *f, ks_rng *r, const char *indent, const char *key, int lo, int hi,
                       const char *end)
{
    int quoted = ks_rng_below(r, 5) == 0;
    fprintf(f, "%s%s: %s", indent, key, quoted ? "\"" : "");
    prose(f, r, between(r, lo, hi));
    fprintf(f, "%s%s\n", end, quoted ? "\"" : "");
}

static void block_list(FILE *f, ks_rng *r, int n, int lo, int hi)
{
    for (int i = 0; i < n; i++) {
        fputs("      - ", f);
        prose(f, r, between(r, lo, hi));
        fputc('\n', f);
    }
}

/* One item of type t (an index into the mix) as YAML. */
static void write_item(FILE *f, ks_rng *r, size_t index, const char *type)
{
    int chapter = between(r, 1, 3);
    fprintf(f, "  - id: bench-%d-%06zu\n    type: %s\n    chapter: %d\n", chapter, index + 1,
            type, chapter);
    fprintf(f, "    topic: %s\n    difficulty: %d\n",
            topics[ks_rng_below(r, sizeof topics / sizeof *topics)], between(r, 1, 5));
    if (strcmp(type, "calculated") == 0) {
        fputs("    stem: 某时段来电 {calls} 通，平均处理时长 {aht} 秒，目标服务水平 {sl}%。", f);
        prose(f, r, between(r, 10, 25));
        fputs("需要多少名坐席？\n", f);
        fprintf(f, "    generator: %s\n", generators[ks_rng_below(r, 6)]);
        if (ks_rng_below(r, 2))
            fprintf(f, "    params: { k: %d, metric: halfhour }\n", between(r, 2, 5));
        fputs("    unit: 人\n", f);
    } else {
        text_field(f, r, "    ", "stem", 24, 52, "：");
    }
    if (strcmp(type, "single") == 0) {
        fputs("    options:\n", f);
        block_list(f, r, 4, 6, 18);
        fprintf(f, "    answer: %d\n", between(r, 1, 4));
    } else if (strcmp(type, "multiple") == 0) {
        fputs("    options:\n", f);
        block_list(f, r, 5, 6, 16);
        int a = between(r, 1, 3);
        fprintf(f, "    answer: [%d, %d, %d]\n", a, a + 1, a + 2);
        if (ks_rng_below(r, 3) == 0)
            fputs("    rule: all_or_nothing\n", f);
    } else if (strcmp(type, "true_false") == 0) {
        fprintf(f, "    answer: %s\n", ks_rng_below(r, 2) ? "true" : "false");
    } else if (strcmp(type, "fill") == 0) {
        fprintf(f, "    answers:\n      - [\"%d\", 百分之%d]\n      - 服务水平\n",
                between(r, 10, 99), between(r, 10, 99));
    } else if (strcmp(type, "numeric") == 0) {
        fprintf(f, "    answer: %d.%d\n    tolerance: 0.5\n    unit: \"%%\"\n",
                between(r, 1, 9999), between(r, 0, 9));
    } else if (strcmp(type, "ordering") == 0) {
        fputs("    items:\n", f);
        block_list(f, r, 5, 6, 16);
        fputs("    rule: positions\n", f);
    } else if (strcmp(type, "matching") == 0) {
        fputs("    pairs:\n", f);
        for (int i = 0; i < 4; i++) {
            fputs("      - [", f);
            prose(f, r, between(r, 3, 8));
            fputs(", ", f);
            prose(f, r, between(r, 4, 12));
            fputs("]\n", f);
        }
    } else if (strcmp(type, "essay") == 0) {
        text_field(f, r, "    ", "rubric", 40, 80, "。");
        fputs("    max_chars: 500\n", f);
    }
    if (strcmp(type, "essay") != 0)
        text_field(f, r, "    ", "explanation", 40, 90, "。");
    fputc('\n', f);
}

/* The type mix of the CCOM banks, in percent. */
static const struct {
    const char *type;
    int percent;
} mix[] = {{"single", 40}, {"numeric", 18}, {"multiple", 12}, {"true_false", 12},
           {"fill", 4},    {"ordering", 4}, {"matching", 4},  {"calculated", 5},
           {"essay", 1}};

static int write_bank(const char *path, size_t nitems)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    ks_rng r;
    ks_rng_seed(&r, 20270718);
    fputs("# A generated bank for bench_bank.\nbank: bench\ntitle: 基准测试题库\nitems:\n", f);
    for (size_t i = 0; i < nitems; i++) {
        int pick = (int)ks_rng_below(&r, 100), t = 0;
        while (pick >= mix[t].percent)
            pick -= mix[t++].percent;
        write_item(f, &r, i, mix[t].type);
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* The file's bytes, read whole as ks_bank_load reads them. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char *text = f && fstat(fileno(f), &st) == 0 ? malloc((size_t)st.st_size + 1) : NULL;
    *len = text ? fread(text, 1, (size_t)st.st_size, f) : 0;
    if (f)
        fclose(f);
    return text;
}

/* The ceiling: every libyaml event of the file pulled and dropped. Returns
 * the number of events, or 0 on a parse error. */
static size_t bare_parse(const char *path)
{
    size_t len, events = 0;
    char *text = read_file(path, &len);
    yaml_parser_t p;
    if (!text || !yaml_parser_initialize(&p)) {
        free(text);
        return 0;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    for (int done = 0; !done;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            events = 0;
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        events++;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    free(text);
    return events;
}

typedef struct measure {
    double seconds, peak_mib;
} measure;

static void start(double *t0, long long *rss0)
{
    malloc_trim(0); /* so that the peak counts fresh pages, not reused ones */
    bench_peak_reset();
    *rss0 = bench_rss_bytes();
    *t0 = bench_seconds();
}

static void stop(double t0, long long rss0, measure *m)
{
    m->seconds = bench_seconds() - t0;
    m->peak_mib = (double)(bench_peak_bytes() - rss0) / (1 << 20);
}

int main(int argc, char **argv)
{
    size_t nitems = 100000;
    const char *write_only = NULL;
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 < argc && strcmp(argv[i], "--items") == 0) {
            nitems = strtoul(argv[i + 1], NULL, 10);
        } else if (i + 1 < argc && strcmp(argv[i], "--write") == 0) {
            write_only = argv[i + 1];
        } else {
            fprintf(stderr, "usage: bench_bank [--items N] [--write FILE]\n");
            return 2;
        }
    }
    if (write_only)
        return write_bank(write_only, nitems) ? 1 : 0;
    char *dir = bench_tempdir("bank");
    char path[4096];
    snprintf(path, sizeof path, "%s/bench.yaml", dir ? dir : ".");
    struct stat st;
    if (!dir || write_bank(path, nitems) || stat(path, &st)) {
        fprintf(stderr, "bench_bank: cannot write %s\n", path);
        bench_tempdir_remove(dir);
        return 1;
    }
    double mib = (double)st.st_size / (1 << 20);
    fprintf(stderr, "bench_bank: %zu items, %.1f MiB (%.0f bytes an item)\n", nitems, mib,
            (double)st.st_size / (double)nitems);

    measure kaoshi, bare;
    double t0;
    long long rss0;
    ks_diags diags = {0};
    ks_bank *bank;
    start(&t0, &rss0);
    ks_status rc = ks_bank_load(path, &bank, &diags);
    stop(t0, rss0, &kaoshi);
    int ok = rc == KS_OK && bank->count == nitems;
    if (!ok)
        fprintf(stderr, "bench_bank: the bank did not load: %s\n",
                diags.count ? diags.lines[0] : "wrong item count");
    ks_bank_free(rc == KS_OK ? bank : NULL);
    ks_diags_free(&diags);

    start(&t0, &rss0);
    size_t events = bare_parse(path);
    stop(t0, rss0, &bare);
    ok = ok && events > 0;
    bench_tempdir_remove(dir);
    if (!ok)
        return 1;

    char name[64];
    snprintf(name, sizeof name, "%zu items, %.1f MiB", nitems, mib);
    const char *what = "libyaml's bare event parse of the same file, read whole into memory";
    bench_print("bank", name, "items/s", (double)nitems / kaoshi.seconds,
                (double)nitems / bare.seconds, "higher", "items/s", what);
    bench_print("bank", name, "MiB/s", mib / kaoshi.seconds, mib / bare.seconds, "higher",
                "MiB/s", what);
    bench_print("bank", name, "peak memory", kaoshi.peak_mib, bare.peak_mib, "lower", "MiB",
                "peak resident memory of libyaml's bare event parse (the file's bytes and "
                "libyaml's buffers)");
    return 0;
}
