/* Unit tests for a loaded certification (engine/lua/cert.c, cert_hooks.c,
 * cert_pools.c) with the example certification (scripts/demo.lua): every
 * entry point the lifecycle calls accepts err == NULL, as
 * include/kaoshi/error.h allows, and still reports a failure by its status;
 * a save's check finds its own question's shape in any form. With small
 * certifications held in memory: the pass rule (section minimums in percent
 * and points, the reason a result gives, a pass function's reason), items
 * with points of their own, a person's mark over an automatic score, and
 * exclusive groups (forms without groups drawn as ks_draw_sample draws,
 * groups never split, retakes fresh where sections share groups, the
 * load's errors and warnings). */
#include "unit.h"

#include <jansson.h>
#include <stdlib.h>

#include "kaoshi/cert.h"
#include "kaoshi/draw.h"

#include "cert_unit.h"

static ks_cert *load_demo(ks_fileset **fs)
{
    ks_diags diags = {0}, warnings = {0};
    ks_cert *cert = NULL;
    *fs = ks_fileset_disk(".");
    CHECK_INT(ks_cert_load(*fs, "scripts/demo.lua", &cert, &diags, &warnings), KS_OK);
    ks_diags_free(&diags);
    ks_diags_free(&warnings);
    return cert;
}

static void entry_points_work_without_err(void)
{
    ks_fileset *fs;
    ks_cert *cert = load_demo(&fs);
    char *form = NULL, *view = NULL, *result = NULL, *reason = NULL, **ids = NULL;
    size_t n = 0;
    double score, max_score;
    int passed, allowed;
    const char *no_responses[8] = {0};
    CHECK_INT(ks_cert_build_form(cert, 7, NULL, 0, &form, NULL), KS_OK);
    CHECK_INT(ks_cert_form_ids(form, &ids, &n, NULL), KS_OK);
    CHECK_INT(n, 8);
    CHECK_INT(ks_cert_present(cert, form, 0, 0, &view, NULL), KS_OK);
    CHECK_INT(ks_cert_grade(cert, form, no_responses, NULL, n, &result, &score, &max_score,
                            &passed, NULL),
              KS_OK);
    CHECK_INT(ks_cert_may_start(cert, "[]", 0, &allowed, &reason, NULL), KS_OK);
    CHECK_INT(allowed, 1);
    free(form);
    free(view);
    free(result);
    free(reason);
    ks_cert_free_ids(ids, n);
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

static void entry_points_fail_without_err(void)
{
    ks_fileset *fs;
    ks_cert *cert = load_demo(&fs);
    char *form = NULL, *out = NULL, *reason = NULL, **ids = NULL;
    size_t n = 0;
    double score, max_score;
    int passed, allowed;
    const char *no_responses[1] = {0};
    CHECK_INT(ks_cert_build_form(cert, 7, NULL, 0, &form, NULL), KS_OK);
    CHECK_INT(ks_cert_present(cert, "not json", 0, 0, &out, NULL), KS_EINPUT);
    CHECK_INT(ks_cert_present(cert, form, 99, 0, &out, NULL), KS_EINPUT);
    CHECK_INT(ks_cert_form_ids("{}", &ids, &n, NULL), KS_EINTERNAL);
    CHECK_INT(ks_cert_grade(cert, "not json", no_responses, NULL, 1, &out, &score, &max_score,
                            &passed, NULL),
              KS_EINPUT);
    CHECK_INT(ks_cert_may_start(cert, "not json", 0, &allowed, &reason, NULL), KS_EINPUT);
    CHECK(out == NULL && ids == NULL && n == 0 && reason == NULL);
    free(form);
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

/* On 30 forms (calculated data included), every question's full-marks
 * response fits its own slot and a response of another shape does not: the
 * check reads one slot out of the form's text, which must be the right one. */
static void each_answer_is_checked_against_its_own_question(void)
{
    ks_fileset *fs;
    ks_cert *cert = load_demo(&fs);
    for (uint64_t seed = 1; seed <= 30; seed++) {
        char *form = NULL, **ids = NULL;
        size_t n = 0;
        CHECK_INT(ks_cert_build_form(cert, seed, NULL, 0, &form, NULL), KS_OK);
        CHECK_INT(ks_cert_form_ids(form, &ids, &n, NULL), KS_OK);
        for (size_t slot = 0; slot < n; slot++) {
            char *key = NULL, *why = NULL;
            CHECK_INT(ks_cert_solve(cert, form, slot, &key, &why, NULL), KS_OK);
            if (key)
                CHECK_INT(ks_cert_check_response(form, slot, key, NULL), KS_OK);
            CHECK_INT(ks_cert_check_response(form, slot, "{\"nothing\":1}", NULL), KS_EINPUT);
            free(key);
            free(why);
        }
        ks_cert_free_ids(ids, n);
        free(form);
    }
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

/* ---- small certifications held in memory ------------------------------------------ */

/* Two sections: 基础 (true/false, 10 points, at least 50%) and 计算
 * (numbers, 10 points, at least 12 points); item t2 is worth 30. */
static const char rules_bank[] =
    "bank: t\n"
    "items:\n"
    "  - { id: t1, type: true_false, chapter: 1, stem: 甲, answer: true }\n"
    "  - { id: t2, type: true_false, chapter: 1, stem: 乙, answer: true, points: 30 }\n"
    "  - { id: t3, type: true_false, chapter: 1, stem: 丙, answer: true }\n"
    "  - { id: n1, type: numeric, chapter: 2, stem: 一, answer: 1 }\n"
    "  - { id: n2, type: numeric, chapter: 2, stem: 二, answer: 2 }\n";

#define RULES_SCRIPT(PASS, MIN1, MIN2)                                                    \
    "return certification {\n"                                                            \
    "  code = \"T\", title = \"t\", banks = { \"t\" }, duration = \"30m\",\n"              \
    "  pass = " PASS ",\n"                                                                \
    "  sections = {\n"                                                                    \
    "    { title = \"基础\", from = { chapter = 1 }, pick = 2, points = 10, min = " MIN1     \
    " },\n"                                                                               \
    "    { title = \"计算\", from = { chapter = 2 }, pick = 2, points = 10, min = " MIN2     \
    " },\n"                                                                               \
    "  },\n"                                                                              \
    "}\n"

/* A form of t1, t2 (30 points) and n1, n2, written as the engine writes one. */
static const char rules_form[] =
    "{\"sections\":[{\"count\":2,\"first\":1,\"points\":10,\"title\":\"基础\"},"
    "{\"count\":2,\"first\":3,\"points\":10,\"title\":\"计算\"}],"
    "\"slots\":[{\"id\":\"t1\",\"points\":10,\"section\":1},"
    "{\"id\":\"t2\",\"points\":30,\"section\":1},"
    "{\"id\":\"n1\",\"points\":10,\"section\":2},"
    "{\"id\":\"n2\",\"points\":10,\"section\":2}]}";

#define RIGHT_TF "{\"value\":true}"
#define WRONG_TF "{\"value\":false}"
#define RIGHT_N1 "{\"value\":1}"
#define RIGHT_N2 "{\"value\":2}"

/* Grades the four responses (NULL: unanswered) of rules_form with marks
 * (NULL: none) on a certification of script; returns the result, or NULL
 * with the failure in why. */
static json_t *grade_rules(const char *script, const char *const responses[4],
                           const double *marks, char *why, size_t cap)
{
    char problems[2048], warnings[2048];
    ks_fileset *fs;
    ks_cert *cert = load_text(script, rules_bank, &fs, problems, warnings, sizeof problems);
    CHECK_STR(problems, "");
    json_t *result = NULL;
    if (cert) {
        char *text = NULL;
        double score, max_score;
        int passed;
        ks_error err = {0};
        if (ks_cert_grade(cert, rules_form, responses, marks, 4, &text, &score, &max_score,
                          &passed, &err) == KS_OK)
            result = json_loads(text, 0, NULL);
        snprintf(why, cap, "%s", err.message);
        free(text);
    }
    ks_cert_free(cert);
    ks_fileset_free(fs);
    return result;
}

static const char *reason_of(json_t *result)
{
    return json_string_value(json_object_get(result, "reason"));
}

static void a_result_says_which_rule_failed(void)
{
    const char *script = RULES_SCRIPT("70", "\"50%\"", "12");
    char why[512];
    /* t2 right (30 of 40 in 基础), n1 only (10 of 20 in 计算): 40 of 60 */
    const char *total_and_points[4] = {WRONG_TF, RIGHT_TF, RIGHT_N1, NULL};
    json_t *r = grade_rules(script, total_and_points, NULL, why, sizeof why);
    CHECK(json_is_false(json_object_get(r, "passed")));
    CHECK_STR(reason_of(r), "总分 66.6%，低于及格线 70%；第 2 部分「计算」得分 10 分，低于 12 分");
    json_t *sec = json_array_get(json_object_get(r, "sections"), 0);
    CHECK_STR(json_string_value(json_object_get(sec, "min")), "50%");
    CHECK_NEAR(json_number_value(json_object_get(sec, "percent")), 75, 1e-9, 0);
    sec = json_array_get(json_object_get(r, "sections"), 1);
    CHECK_STR(json_string_value(json_object_get(sec, "min")), "12 分");
    CHECK_NEAR(json_number_value(json_object_get(sec, "percent")), 50, 1e-9, 0);
    json_decref(r);
    /* t1 right only (10 of 40 = 25% in 基础), 计算 full: 30 of 60 */
    const char *percent[4] = {RIGHT_TF, WRONG_TF, RIGHT_N1, RIGHT_N2};
    r = grade_rules(script, percent, NULL, why, sizeof why);
    CHECK_STR(reason_of(r), "总分 50%，低于及格线 70%；第 1 部分「基础」得分 25%，低于 50%");
    json_decref(r);
    /* over the pass mark, under one minimum: the minimum alone */
    r = grade_rules(RULES_SCRIPT("40", "\"50%\"", "12"), percent, NULL, why, sizeof why);
    CHECK(json_is_false(json_object_get(r, "passed")));
    CHECK_STR(reason_of(r), "第 1 部分「基础」得分 25%，低于 50%");
    json_decref(r);
    /* every rule met: passed, no reason */
    const char *all[4] = {RIGHT_TF, RIGHT_TF, RIGHT_N1, NULL};
    r = grade_rules(RULES_SCRIPT("60", "\"100%\"", "10"), all, NULL, why, sizeof why);
    CHECK(json_is_true(json_object_get(r, "passed")));
    CHECK(json_object_get(r, "reason") == NULL);
    json_decref(r);
}

static void a_score_just_under_a_limit_never_reads_as_the_limit(void)
{
    /* 2 of 3 questions of 1 point: 66.666...% reads 66.6%, under 66.7% */
    const char *bank = "bank: t\nitems:\n"
                       "  - { id: a, type: true_false, stem: 甲, answer: true }\n"
                       "  - { id: b, type: true_false, stem: 乙, answer: true }\n"
                       "  - { id: c, type: true_false, stem: 丙, answer: true }\n";
    const char *script = "return certification { code = \"T\", title = \"t\", banks = "
                         "{ \"t\" }, duration = \"30m\", pass = 66.7, sections = { { title = "
                         "\"s\", from = {}, pick = 3, points = 1, shuffle = false } } }\n";
    const char *form = "{\"sections\":[{\"count\":3,\"first\":1,\"points\":1,\"title\":\"s\"}],"
                       "\"slots\":[{\"id\":\"a\",\"points\":1,\"section\":1},"
                       "{\"id\":\"b\",\"points\":1,\"section\":1},"
                       "{\"id\":\"c\",\"points\":1,\"section\":1}]}";
    char problems[1024], warnings[1024];
    ks_fileset *fs;
    ks_cert *cert = load_text(script, bank, &fs, problems, warnings, sizeof problems);
    const char *responses[3] = {RIGHT_TF, RIGHT_TF, WRONG_TF};
    char *text = NULL;
    double score, max_score;
    int passed = -1;
    CHECK_INT(ks_cert_grade(cert, form, responses, NULL, 3, &text, &score, &max_score,
                            &passed, NULL),
              KS_OK);
    CHECK_INT(passed, 0);
    json_t *r = json_loads(text ? text : "{}", 0, NULL);
    CHECK_STR(reason_of(r), "总分 66.6%，低于及格线 66.7%");
    json_decref(r);
    free(text);
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

static void a_pass_function_gives_its_reason(void)
{
    const char *all[4] = {RIGHT_TF, RIGHT_TF, RIGHT_N1, RIGHT_N2};
    char why[512];
    json_t *r = grade_rules(RULES_SCRIPT("function(r) return r.percent > 100, \"须满分以上\" end",
                                         "\"50%\"", "12"),
                            all, NULL, why, sizeof why);
    CHECK(json_is_false(json_object_get(r, "passed")));
    CHECK_STR(reason_of(r), "须满分以上");
    json_decref(r);
    r = grade_rules(RULES_SCRIPT("function() return false end", "\"50%\"", "12"), all, NULL,
                    why, sizeof why);
    CHECK_STR(reason_of(r), "未达到通过标准");
    json_decref(r);
    r = grade_rules(RULES_SCRIPT("function(r) return r.sections[2].min == \"12 分\" end",
                                 "\"50%\"", "12"),
                    all, NULL, why, sizeof why);
    CHECK(json_is_true(json_object_get(r, "passed")));
    json_decref(r);
    /* 250 characters are cut to 200 and "…" */
    r = grade_rules(RULES_SCRIPT("function() return false, string.rep(\"差\", 250) end",
                                 "\"50%\"", "12"),
                    all, NULL, why, sizeof why);
    const char *reason = reason_of(r);
    CHECK(reason && strlen(reason) == 200 * 3 + 3 && strcmp(reason + 600, "…") == 0);
    json_decref(r);
    /* a reason that is not text is the script's error, naming pass() */
    r = grade_rules(RULES_SCRIPT("function() return false, 5 end", "\"50%\"", "12"), all,
                    NULL, why, sizeof why);
    CHECK(r == NULL);
    CHECK(strstr(why, "pass() must return false and a reason as a string (got 5 as the "
                      "reason)") != NULL);
    /* a section under its minimum fails first: pass() is not called */
    const char *short_section[4] = {RIGHT_TF, WRONG_TF, RIGHT_N1, RIGHT_N2};
    r = grade_rules(RULES_SCRIPT("function() error(\"called\") end", "\"50%\"", "12"),
                    short_section, NULL, why, sizeof why);
    CHECK_STR(reason_of(r), "第 1 部分「基础」得分 25%，低于 50%");
    json_decref(r);
}

static void items_with_points_of_their_own(void)
{
    char problems[2048], warnings[2048];
    ks_fileset *fs;
    ks_cert *cert = load_text(RULES_SCRIPT("60", "\"50%\"", "12"), rules_bank, &fs, problems,
                              warnings, sizeof problems);
    const ks_cert_info *in = ks_cert_info_of(cert);
    CHECK_NEAR(in->max_score, 40, 0, 0);     /* pick × points */
    CHECK_NEAR(in->max_score_min, 40, 0, 0); /* t1, t3 and the numbers */
    CHECK_NEAR(in->max_score_max, 60, 0, 0); /* t2 and one more */
    CHECK_NEAR(in->sections[0].min_percent, 50, 0, 0);
    CHECK_NEAR(in->sections[0].min_points, -1, 0, 0);
    CHECK_NEAR(in->sections[1].min_percent, -1, 0, 0);
    CHECK_NEAR(in->sections[1].min_points, 12, 0, 0);
    int with_t2 = 0;
    for (uint64_t seed = 1; seed <= 30; seed++) {
        char *form = NULL, *result = NULL;
        double score, max_score, want = 40;
        int passed;
        const char *none[4] = {0};
        CHECK_INT(ks_cert_build_form(cert, seed, NULL, 0, &form, NULL), KS_OK);
        json_t *parsed = json_loads(form, 0, NULL), *slots = json_object_get(parsed, "slots");
        for (size_t i = 0; i < json_array_size(slots); i++) {
            json_t *slot = json_array_get(slots, i);
            int t2 = strcmp(json_string_value(json_object_get(slot, "id")), "t2") == 0;
            CHECK_NEAR(json_number_value(json_object_get(slot, "points")), t2 ? 30 : 10, 0, 0);
            want += t2 ? 20 : 0;
            with_t2 += t2;
        }
        json_decref(parsed);
        CHECK_INT(ks_cert_grade(cert, form, none, NULL, 4, &result, &score, &max_score,
                                &passed, NULL),
                  KS_OK);
        CHECK_NEAR(max_score, want, 0, 0);
        free(form);
        free(result);
    }
    CHECK(with_t2 > 0 && with_t2 < 30);
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

static void a_mark_over_an_automatic_score_keeps_both(void)
{
    const double marks[4] = {1, -1, 0.5, -1};
    const char *responses[4] = {WRONG_TF, RIGHT_TF, NULL, RIGHT_N2};
    char why[512];
    json_t *r = grade_rules(RULES_SCRIPT("60", "\"50%\"", "12"), responses, marks, why,
                            sizeof why);
    json_t *items = json_object_get(r, "items");
    json_t *t1 = json_array_get(items, 0), *t2 = json_array_get(items, 1);
    json_t *n1 = json_array_get(items, 2);
    CHECK_NEAR(json_number_value(json_object_get(t1, "fraction")), 1, 0, 0);
    CHECK_NEAR(json_number_value(json_object_get(t1, "auto_fraction")), 0, 0, 0);
    CHECK(json_is_true(json_object_get(t1, "overridden")));
    CHECK(json_object_get(t2, "auto_fraction") == NULL && json_object_get(t2, "overridden") == NULL);
    /* unanswered: the automatic fraction is 0 */
    CHECK_NEAR(json_number_value(json_object_get(n1, "fraction")), 0.5, 0, 0);
    CHECK_NEAR(json_number_value(json_object_get(n1, "auto_fraction")), 0, 0, 0);
    CHECK(json_is_true(json_object_get(n1, "overridden")));
    CHECK_NEAR(json_number_value(json_object_get(r, "score")), 10 + 30 + 5 + 10, 1e-9, 0);
    json_decref(r);
}

/* What loading says of a bad 'min' (GOT) of section SECTION, at LINE. */
#define BAD_MIN(LINE, SECTION, GOT)                                                       \
    "scripts/t.lua:" LINE ": certification: section " SECTION ": 'min' must be a share of " \
    "the section's points such as \"50%\" (above 0%, at most 100%) or a positive number "  \
    "of points such as 12 (got " GOT ")"

static void bad_min_points_and_group_are_named(void)
{
    CHECK_STR(load_fails(RULES_SCRIPT("60", "\"150%\"", "12"), rules_bank),
              BAD_MIN("5", "1", "\"150%\""));
    CHECK_STR(load_fails(RULES_SCRIPT("60", "\"50%\"", "0"), rules_bank), BAD_MIN("6", "2", "0"));
    CHECK_STR(load_fails(RULES_SCRIPT("60", "\"half\"", "12"), rules_bank),
              BAD_MIN("5", "1", "\"half\""));
    /* more points than the section can give: 计算 gives 20 */
    CHECK_STR(load_fails(RULES_SCRIPT("60", "\"50%\"", "21"), rules_bank),
              "scripts/t.lua:6: section 2 (计算): 'min' is 21 points but the section gives at "
              "most 20");
    CHECK_STR(load_fails(RULES_SCRIPT("60", "\"50%\"", "12"),
                         "bank: t\nitems:\n"
                         "  - { id: t1, type: true_false, chapter: 1, stem: 甲, answer: true,"
                         " points: 0 }\n"
                         "  - { id: t2, type: true_false, chapter: 1, stem: 乙, answer: true,"
                         " points: -1.5, group: \"\" }\n"
                         "  - { id: n1, type: numeric, chapter: 2, stem: 一, answer: 1,"
                         " points: many, group: [a] }\n"),
              "banks/t.yaml:3:76: item 't1': field 'points': expected a positive number of "
              "points, at most 1000, found 0\n"
              "banks/t.yaml:4:76: item 't2': field 'points': expected a positive number of "
              "points, at most 1000, found -1.5\n"
              "banks/t.yaml:4:89: item 't2': field 'group': expected a group name (a non-empty "
              "text), found \"\"\n"
              "banks/t.yaml:5:70: item 'n1': field 'points': expected a positive number of "
              "points, at most 1000, found \"many\"\n"
              "banks/t.yaml:5:83: item 'n1': field 'group': expected a group name (a non-empty "
              "text), found a sequence");
}

/* ---- exclusive groups --------------------------------------------------------------- */

/* A bank of n true/false items in chapter 1, item i in group g(i % k) when
 * k > 0, else in none; ids i1, i2, ... */
static const char *group_bank(int n, int k)
{
    static char text[8192];
    int len = snprintf(text, sizeof text, "bank: t\nitems:\n");
    for (int i = 1; i <= n; i++) {
        len += snprintf(text + len, sizeof text - (size_t)len,
                        "  - { id: i%d, type: true_false, chapter: %d, stem: 题%d, answer: true",
                        i, i <= n / 2 ? 1 : 2, i);
        if (k > 0)
            len += snprintf(text + len, sizeof text - (size_t)len, ", group: g%d", i % k);
        len += snprintf(text + len, sizeof text - (size_t)len, " }\n");
    }
    return text;
}

#define GROUP_SCRIPT(PICK1, PICK2, FROM2)                                                 \
    "return certification {\n"                                                            \
    "  code = \"T\", title = \"t\", banks = { \"t\" }, duration = \"30m\", attempts = 2,\n" \
    "  sections = {\n"                                                                    \
    "    { title = \"一\", from = { chapter = 1 }, pick = " PICK1 ", points = 1 },\n"       \
    "    { title = \"二\", from = " FROM2 ", pick = " PICK2 ", points = 1 },\n"             \
    "  },\n"                                                                              \
    "}\n"

/* Without groups a form is what ks_draw_sample draws from each pool in turn
 * with the attempt's seed: the one-step-at-a-time shuffle that skips
 * grouped items takes the same draws when it skips nothing. */
static void forms_without_groups_are_drawn_as_before(void)
{
    char problems[2048], warnings[2048];
    ks_fileset *fs;
    ks_cert *cert = load_text(GROUP_SCRIPT("3", "4", "{ chapter = 2 }"), group_bank(20, 0), &fs,
                              problems, warnings, sizeof problems);
    CHECK_STR(problems, "");
    for (uint64_t seed = 1; cert && seed <= 100; seed++) {
        char *form = NULL, **ids = NULL;
        size_t n = 0, first[3], second[4];
        CHECK_INT(ks_cert_build_form(cert, seed, NULL, 0, &form, NULL), KS_OK);
        CHECK_INT(ks_cert_form_ids(form, &ids, &n, NULL), KS_OK);
        ks_rng r;
        ks_rng_seed(&r, seed);
        ks_draw_sample(&r, 10, 3, first);
        ks_draw_sample(&r, 10, 4, second);
        char want[64];
        for (size_t i = 0; i < 7 && i < n; i++) {
            snprintf(want, sizeof want, "i%zu", i < 3 ? first[i] + 1 : second[i - 3] + 11);
            CHECK_STR(ids[i], want);
        }
        ks_cert_free_ids(ids, n);
        free(form);
    }
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

static void a_form_never_holds_two_items_of_a_group(void)
{
    /* 20 items in 5 groups; the second section draws from every item */
    char problems[2048], warnings[2048];
    ks_fileset *fs;
    ks_cert *cert = load_text(GROUP_SCRIPT("2", "3", "{}"), group_bank(20, 5), &fs, problems,
                              warnings, sizeof problems);
    CHECK_STR(problems, "");
    int drawn[21] = {0};
    for (uint64_t seed = 1; cert && seed <= 1000; seed++) {
        char *form = NULL, **ids = NULL;
        size_t n = 0;
        CHECK_INT(ks_cert_build_form(cert, seed, NULL, 0, &form, NULL), KS_OK);
        CHECK_INT(ks_cert_form_ids(form, &ids, &n, NULL), KS_OK);
        int groups[5] = {0};
        for (size_t i = 0; i < n; i++) {
            int item = atoi(ids[i] + 1);
            drawn[item]++;
            groups[item % 5]++;
        }
        for (int g = 0; g < 5; g++)
            CHECK(groups[g] <= 1);
        ks_cert_free_ids(ids, n);
        free(form);
    }
    /* every group comes up (an item of a group at home in the other section
     * is drawn only where it is at home) */
    int group_drawn[5] = {0};
    for (int i = 1; i <= 20; i++)
        group_drawn[i % 5] += drawn[i];
    for (int g = 0; g < 5; g++)
        CHECK(group_drawn[g] > 0);
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

static void a_retake_prefers_groups_not_seen(void)
{
    /* 10 items of chapter 1 in 5 groups, pick 2: a form of two groups, and
     * the retake none of those two while three remain */
    char problems[2048], warnings[2048];
    ks_fileset *fs;
    ks_cert *cert = load_text(GROUP_SCRIPT("2", "1", "{ chapter = 2 }"), group_bank(20, 5),
                              &fs, problems, warnings, sizeof problems);
    for (uint64_t seed = 1; cert && seed <= 50; seed++) {
        char *form = NULL, **ids = NULL, **again = NULL;
        size_t n = 0, m = 0;
        CHECK_INT(ks_cert_build_form(cert, seed, NULL, 0, &form, NULL), KS_OK);
        CHECK_INT(ks_cert_form_ids(form, &ids, &n, NULL), KS_OK);
        free(form);
        CHECK_INT(ks_cert_build_form(cert, seed + 1000, (const char *const *)ids, n, &form,
                                     NULL),
                  KS_OK);
        CHECK_INT(ks_cert_form_ids(form, &again, &m, NULL), KS_OK);
        for (size_t i = 0; i < 2 && m == 3; i++)
            for (size_t j = 0; j < n; j++)
                CHECK(atoi(again[i] + 1) % 5 != atoi(ids[j] + 1) % 5);
        ks_cert_free_ids(ids, n);
        ks_cert_free_ids(again, m);
        free(form);
    }
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

static void retakes_stay_fresh_where_sections_share_groups(void)
{
    /* 一 draws 2 of chapter 1: a1..a3 of no group and s1 of group g, which
     * 二 (chapter 2: s2 of g, b1, b2) shares; two attempts need 4 + 2 of
     * the 6 units, so g is at home in 一: s1 is drawn, s2 never, and a
     * retake never meets a unit of the first attempt (a plain draw would
     * let 二 take s2 and leave 一 short on the retake) */
    static const char bank[] =
        "bank: t\nitems:\n"
        "  - { id: a1, type: true_false, chapter: 1, stem: 甲, answer: true }\n"
        "  - { id: a2, type: true_false, chapter: 1, stem: 乙, answer: true }\n"
        "  - { id: a3, type: true_false, chapter: 1, stem: 丙, answer: true }\n"
        "  - { id: s1, type: true_false, chapter: 1, stem: 戊, answer: true, group: g }\n"
        "  - { id: s2, type: true_false, chapter: 2, stem: 己, answer: true, group: g }\n"
        "  - { id: b1, type: true_false, chapter: 2, stem: 庚, answer: true }\n"
        "  - { id: b2, type: true_false, chapter: 2, stem: 辛, answer: true }\n";
    char problems[2048], warnings[2048];
    ks_fileset *fs;
    ks_cert *cert = load_text(GROUP_SCRIPT("2", "1", "{ chapter = 2 }"), bank, &fs, problems,
                              warnings, sizeof problems);
    CHECK_STR(problems, "");
    int drawn[256] = {0}, s2 = 0;
    for (uint64_t seed = 1; cert && seed <= 200; seed++) {
        char *form = NULL, **ids = NULL, **again = NULL;
        size_t n = 0, m = 0;
        CHECK_INT(ks_cert_build_form(cert, seed, NULL, 0, &form, NULL), KS_OK);
        CHECK_INT(ks_cert_form_ids(form, &ids, &n, NULL), KS_OK);
        free(form);
        CHECK_INT(ks_cert_build_form(cert, seed + 1000, (const char *const *)ids, n, &form,
                                     NULL),
                  KS_OK);
        CHECK_INT(ks_cert_form_ids(form, &again, &m, NULL), KS_OK);
        free(form);
        for (size_t i = 0; i < m; i++) {
            drawn[(unsigned char)again[i][0]]++;
            for (size_t j = 0; j < n; j++) {
                CHECK(strcmp(again[i], ids[j]) != 0);
                CHECK(again[i][0] != 's' || ids[j][0] != 's'); /* g once */
            }
        }
        for (size_t i = 0; i < n; i++) {
            drawn[(unsigned char)ids[i][0]]++;
            s2 += strcmp(ids[i], "s2") == 0;
        }
        ks_cert_free_ids(ids, n);
        ks_cert_free_ids(again, m);
    }
    CHECK(drawn['a'] > 0 && drawn['s'] > 0 && drawn['b'] > 0);
    CHECK_INT(s2, 0);
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

static void groups_that_forbid_a_form_fail_the_load(void)
{
    /* chapter 1 is items 1..10 in groups g1, g0 (k = 2): two units */
    CHECK_STR(load_fails(GROUP_SCRIPT("3", "1", "{ chapter = 2 }"), group_bank(20, 2)),
              "scripts/t.lua:4: section 1 (一): draws 3 questions but its 10 items give only 2 "
              "that can share a form: items of one group never do (chapter 1)");
    /* every item in 3 groups: 2 + 2 questions cannot be drawn at once */
    CHECK_STR(load_fails(GROUP_SCRIPT("2", "2", "{}"), group_bank(20, 3)),
              "scripts/t.lua: no form can be drawn: its sections share items or groups, and "
              "what they share cannot give every section its pick at once");
}

static void groups_that_short_retakes_are_warned_about(void)
{
    char problems[2048], warnings[2048];
    ks_fileset *fs;
    /* g's a1 and b1: at home in section 2, so section 1 draws a2 and every
     * first form draws, a1 never (warned); but section 2 has one unit for
     * two attempts */
    ks_cert *cert = load_text(GROUP_SCRIPT("1", "1", "{ chapter = 2 }"),
                              "bank: t\nitems:\n"
                              "  - { id: a1, type: true_false, chapter: 1, stem: 甲, answer: "
                              "true, group: g }\n"
                              "  - { id: a2, type: true_false, chapter: 1, stem: 乙, answer: "
                              "true }\n"
                              "  - { id: b1, type: true_false, chapter: 2, stem: 丙, answer: "
                              "true, group: g }\n",
                              &fs, problems, warnings, sizeof problems);
    CHECK(cert != NULL);
    CHECK_STR(warnings, "banks/t.yaml:3:5: item 'a1' is all but never drawn: its group 'g' is "
                        "at home in section 2 (二), which cannot draw it, so section 1 (一) takes "
                        "it only when it runs out of questions of its own (put the item in a "
                        "group of its own section's, or in none)\n"
                        "scripts/t.lua:5: section 2 (二): 1 items match (chapter 2), fewer than "
                        "the 2 × 1 needed for 2 attempts without repeating a question");
    for (uint64_t seed = 1; cert && seed <= 50; seed++) {
        char *form = NULL, **ids = NULL;
        size_t n = 0;
        CHECK_INT(ks_cert_build_form(cert, seed, NULL, 0, &form, NULL), KS_OK);
        CHECK_INT(ks_cert_form_ids(form, &ids, &n, NULL), KS_OK);
        CHECK(n == 2 && strcmp(ids[0], "a2") == 0 && strcmp(ids[1], "b1") == 0);
        ks_cert_free_ids(ids, n);
        free(form);
    }
    ks_cert_free(cert);
    ks_fileset_free(fs);
    /* 20 items in 4 groups: 2 attempts of 3 questions repeat a group */
    cert = load_text(GROUP_SCRIPT("1", "3", "{}"), group_bank(20, 4), &fs, problems, warnings,
                     sizeof problems);
    CHECK(cert != NULL);
    const char *away = "is all but never drawn: its group 'g0' is at home in section 1 (一), "
                       "which cannot draw it, so section 2 (二) takes it only when it runs out "
                       "of questions of its own (put the item in a group of its own section's, "
                       "or in none)\n";
    char expected[2048];
    snprintf(expected, sizeof expected,
             "banks/t.yaml:14:5: item 'i12' %sbanks/t.yaml:18:5: item 'i16' %s"
             "banks/t.yaml:22:5: item 'i20' %sscripts/t.lua:5: section 2 (二): 20 items match "
             "(any item) but, items of one group counted once, only 4, fewer than the 2 × 3 "
             "needed for 2 attempts without repeating a question or a group",
             away, away, away);
    CHECK_STR(warnings, expected);
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

/* An ordering question is never shown in its right order, nor a matching
 * question with each entry beside its pair: with two entries, every form
 * shows them swapped. */
static void orders_never_show_the_key(void)
{
    const char *bank = "bank: t\nitems:\n"
                       "  - { id: o, type: ordering, stem: 排序, items: [先, 后] }\n"
                       "  - { id: m, type: matching, stem: 配对, pairs: [[甲, 一], [乙, 二]] }\n";
    const char *script = "return certification { code = \"T\", title = \"t\", banks = "
                         "{ \"t\" }, duration = \"30m\", sections = { { title = \"s\", "
                         "from = {}, pick = 2, points = 1, shuffle = false } } }\n";
    char problems[1024], warnings[1024];
    ks_fileset *fs;
    ks_cert *cert = load_text(script, bank, &fs, problems, warnings, sizeof problems);
    CHECK_STR(problems, "");
    for (uint64_t seed = 1; cert && seed <= 64; seed++) {
        char *form = NULL;
        CHECK_INT(ks_cert_build_form(cert, seed, NULL, 0, &form, NULL), KS_OK);
        json_t *f = json_loads(form ? form : "{}", 0, NULL);
        json_t *slots = json_object_get(f, "slots");
        CHECK_INT(json_array_size(slots), 2);
        for (size_t i = 0; i < json_array_size(slots); i++) {
            json_t *order = json_object_get(json_object_get(json_array_get(slots, i), "data"),
                                            "order");
            CHECK(json_integer_value(json_array_get(order, 0)) == 2 &&
                  json_integer_value(json_array_get(order, 1)) == 1);
        }
        json_decref(f);
        free(form);
    }
    ks_cert_free(cert);
    ks_fileset_free(fs);
}

UNIT_MAIN(T(entry_points_work_without_err), T(entry_points_fail_without_err),
          T(each_answer_is_checked_against_its_own_question),
          T(a_result_says_which_rule_failed),
          T(a_score_just_under_a_limit_never_reads_as_the_limit),
          T(a_pass_function_gives_its_reason), T(items_with_points_of_their_own),
          T(a_mark_over_an_automatic_score_keeps_both), T(bad_min_points_and_group_are_named),
          T(forms_without_groups_are_drawn_as_before),
          T(a_form_never_holds_two_items_of_a_group), T(a_retake_prefers_groups_not_seen),
          T(retakes_stay_fresh_where_sections_share_groups),
          T(groups_that_forbid_a_form_fail_the_load),
          T(groups_that_short_retakes_are_warned_about), T(orders_never_show_the_key))
