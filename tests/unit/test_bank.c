/* Unit tests for engine/bank.c and engine/node.c: the node tree, the core
 * schema, the bank rules with their exact messages (points and groups
 * included), hostile input. */
#include "unit.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "kaoshi/bank.h"

/* The diagnostics of a bank that must fail, joined by '\n'. */
static const char *errors_of_n(const char *text, size_t len)
{
    static char joined[16384];
    ks_diags d = {0};
    ks_bank *bank = NULL;
    CHECK_INT(ks_bank_parse("t.yaml", text, len, &bank, &d), KS_EINPUT);
    CHECK(bank == NULL);
    CHECK(d.count > 0);
    ks_bank_free(bank);
    joined[0] = '\0';
    for (size_t i = 0; i < d.count; i++) {
        if (i)
            strncat(joined, "\n", sizeof joined - strlen(joined) - 1);
        strncat(joined, d.lines[i], sizeof joined - strlen(joined) - 1);
    }
    ks_diags_free(&d);
    return joined;
}

static const char *errors_of(const char *text)
{
    return errors_of_n(text, strlen(text));
}

/* A bank that must parse cleanly. */
static ks_bank *parse_ok(const char *text)
{
    ks_diags d = {0};
    ks_bank *bank = NULL;
    CHECK_INT(ks_bank_parse("t.yaml", text, strlen(text), &bank, &d), KS_OK);
    CHECK_INT(d.count, 0);
    for (size_t i = 0; i < d.count; i++)
        fprintf(stderr, "  unexpected: %s\n", d.lines[i]);
    ks_diags_free(&d);
    return bank;
}

/* The CPU seconds this process has used: unlike the wall clock, they do not
 * grow while other processes hold the cores. */
static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A sanity bound on the CPU time of a parse that takes well under a second:
 * it fails only for a blow-up (quadratic work, expanded aliases), never for a
 * busy machine. */
#define SANITY_SECONDS 60.0

static const char valid_bank[] =
    "bank: wfmp\n"
    "title: 排班管理岗认证\n"
    "items:\n"
    "  - id: wfmp-2-014\n"
    "    type: single\n"
    "    chapter: 2\n"
    "    topic: 业务量预测\n"
    "    difficulty: 3\n"
    "    tags: [forecast, \"erlang c\"]\n"
    "    stem: \"下列哪一项……\"\n"
    "    options: [\"A\", 'B', C, 4]\n"
    "    answer: 2\n"
    "    weight: 1.5\n"
    "    explanation: |\n"
    "      第一行\n"
    "      第二行\n"
    "  - id: 17\n"
    "    type: calculated\n"
    "    generator:\n"
    "      name: erlang_agents\n"
    "      params: {calls: 120, aht: 180.5, strict: true, note: ~}\n";

static void valid_bank_fields(void)
{
    ks_bank *bank = parse_ok(valid_bank);
    if (!bank)
        return;
    CHECK_STR(bank->path, "t.yaml");
    CHECK_STR(bank->name, "wfmp");
    CHECK_STR(bank->title, "排班管理岗认证");
    CHECK_INT(bank->count, 2);

    const ks_item *a = &bank->items[0];
    CHECK_STR(a->id, "wfmp-2-014");
    CHECK_STR(a->type, "single");
    CHECK_INT(a->chapter, 2);
    CHECK_STR(a->topic, "业务量预测");
    CHECK_INT(a->difficulty, 3);
    CHECK_INT(a->ntags, 2);
    CHECK_STR(a->tags[0], "forecast");
    CHECK_STR(a->tags[1], "erlang c");
    CHECK_INT(a->node->kind, KS_NODE_MAP);
    CHECK_INT(a->node->line, 4);
    CHECK_INT(a->node->col, 5);

    const ks_item *b = &bank->items[1];
    CHECK_STR(b->id, "17"); /* a number is an id as written */
    CHECK_STR(b->type, "calculated");
    CHECK(b->topic == NULL);
    CHECK_INT(b->chapter, 0);
    CHECK_INT(b->difficulty, 0);
    CHECK_INT(b->ntags, 0);
    CHECK_INT(b->node->line, 17);

    CHECK(ks_bank_find(bank, "wfmp-2-014") == a);
    CHECK(ks_bank_find(bank, "17") == b);
    CHECK(ks_bank_find(bank, "wfmp-2-01") == NULL);
    CHECK_INT(bank->root->kind, KS_NODE_MAP);
    CHECK_INT(bank->root->count, 3);
    ks_bank_free(bank);
}

static void valid_bank_nodes(void)
{
    ks_bank *bank = parse_ok(valid_bank);
    if (!bank)
        return;
    const ks_node *item = bank->items[0].node;

    const ks_node *stem_key = ks_node_key(item, "stem");
    CHECK_INT(stem_key->kind, KS_NODE_SCALAR);
    CHECK_INT(stem_key->type, KS_SCALAR_STRING);
    CHECK_INT(stem_key->line, 10);
    CHECK_INT(stem_key->col, 5);
    const ks_node *stem = ks_node_get(item, "stem");
    CHECK_STR(stem->text, "下列哪一项……");
    CHECK_INT(stem->type, KS_SCALAR_STRING);
    CHECK_INT(stem->line, 10);
    CHECK_INT(stem->col, 11);

    const ks_node *options = ks_node_get(item, "options");
    CHECK_INT(options->kind, KS_NODE_SEQ);
    CHECK_INT(options->count, 4);
    CHECK_INT(options->line, 11);
    CHECK_INT(options->col, 14);
    CHECK_STR(options->items[0]->text, "A");
    CHECK_INT(options->items[0]->col, 15);
    CHECK_STR(options->items[1]->text, "B");
    CHECK_INT(options->items[1]->col, 20);
    CHECK_INT(options->items[2]->type, KS_SCALAR_STRING);
    CHECK_INT(options->items[2]->col, 25);
    CHECK_INT(options->items[3]->type, KS_SCALAR_INT);
    CHECK_INT(options->items[3]->ival, 4);
    CHECK_INT(options->items[3]->col, 28);

    const ks_node *answer = ks_node_get(item, "answer");
    CHECK_INT(answer->type, KS_SCALAR_INT);
    CHECK_INT(answer->ival, 2);
    CHECK_NEAR(answer->fval, 2.0, 0, 0);
    const ks_node *weight = ks_node_get(item, "weight");
    CHECK_INT(weight->type, KS_SCALAR_FLOAT);
    CHECK_NEAR(weight->fval, 1.5, 0, 0);
    CHECK_STR(weight->text, "1.5");

    const ks_node *expl = ks_node_get(item, "explanation");
    CHECK_INT(expl->type, KS_SCALAR_STRING);
    CHECK_STR(expl->text, "第一行\n第二行\n");
    CHECK_INT(expl->len, 20);

    const ks_node *gen = ks_node_get(bank->items[1].node, "generator");
    CHECK_INT(gen->kind, KS_NODE_MAP);
    CHECK_INT(gen->line, 20);
    CHECK_INT(gen->col, 7);
    CHECK_STR(ks_node_get(gen, "name")->text, "erlang_agents");
    const ks_node *params = ks_node_get(gen, "params");
    CHECK_INT(params->kind, KS_NODE_MAP);
    CHECK_INT(params->line, 21);
    CHECK_INT(params->col, 15);
    CHECK_INT(params->count, 4);
    CHECK_STR(params->keys[2]->text, "strict");
    CHECK_INT(ks_node_get(params, "calls")->ival, 120);
    CHECK_NEAR(ks_node_get(params, "aht")->fval, 180.5, 0, 0);
    CHECK_INT(ks_node_get(params, "strict")->type, KS_SCALAR_BOOL);
    CHECK_INT(ks_node_get(params, "strict")->ival, 1);
    CHECK_INT(ks_node_get(params, "note")->type, KS_SCALAR_NULL);
    CHECK(ks_node_get(params, "missing") == NULL);
    CHECK(ks_node_get(options, "A") == NULL); /* not a mapping */
    CHECK(ks_node_key(NULL, "A") == NULL);
    ks_bank_free(bank);
}

static void core_schema_scalars(void)
{
    ks_bank *bank = parse_ok("bank: x\n"
                             "items:\n"
                             "  - id: a\n"
                             "    type: t\n"
                             "    null: plain key\n"
                             "    1: number key\n"
                             "    v:\n"
                             "      - ~\n      - null\n      - Null\n      - NULL\n      -\n"
                             "      - true\n      - False\n      - TRUE\n"
                             "      - 0o17\n      - 0x1F\n      - -12\n      - +7\n      - 007\n"
                             "      - 9223372036854775807\n      - -9223372036854775808\n"
                             "      - 1.5\n      - .5\n      - 1.\n      - 1e3\n      - -1E-2\n"
                             "      - .inf\n      - -.Inf\n      - +.INF\n      - .nan\n"
                             "      - .NaN\n"
                             "      - abc\n      - \"12\"\n      - '~'\n      - 0o8\n      - 0x\n"
                             "      - 1e\n      - .\n      - yes\n      - 0X1F\n      - nULL\n"
                             "      - 1_000\n      - +0x1\n      - |\n        12\n");
    if (!bank)
        return;
    const ks_node *item = bank->items[0].node;
    CHECK_INT(item->keys[2]->type, KS_SCALAR_STRING);
    CHECK_STR(item->keys[2]->text, "null");
    CHECK_INT(item->keys[3]->type, KS_SCALAR_STRING);
    CHECK_STR(ks_node_get(item, "1")->text, "number key");

    const ks_node *v = ks_node_get(item, "v");
    CHECK_INT(v->count, 38);
    if (v->count != 38) {
        ks_bank_free(bank);
        return;
    }
    for (size_t i = 0; i < 5; i++)
        CHECK_INT(v->items[i]->type, KS_SCALAR_NULL);
    CHECK_INT(v->items[4]->len, 0);
    for (size_t i = 5; i < 8; i++)
        CHECK_INT(v->items[i]->type, KS_SCALAR_BOOL);
    CHECK_INT(v->items[5]->ival, 1);
    CHECK_INT(v->items[6]->ival, 0);
    CHECK_INT(v->items[7]->ival, 1);
    static const long long ints[] = {15, 31, -12, 7, 7, 9223372036854775807LL,
                                     -9223372036854775807LL - 1};
    for (size_t i = 0; i < 7; i++) {
        CHECK_INT(v->items[8 + i]->type, KS_SCALAR_INT);
        CHECK_INT(v->items[8 + i]->ival, ints[i]);
    }
    CHECK_NEAR(v->items[8]->fval, 15.0, 0, 0);
    static const double floats[] = {1.5, 0.5, 1.0, 1000.0, -0.01, INFINITY, -INFINITY,
                                    INFINITY, NAN, NAN};
    for (size_t i = 0; i < 10; i++) {
        CHECK_INT(v->items[15 + i]->type, KS_SCALAR_FLOAT);
        CHECK_NEAR(v->items[15 + i]->fval, floats[i], 0, 1e-15);
    }
    static const char *const strings[] = {"abc", "12", "~",  "0o8",  "0x",    "1e",   ".",
                                          "yes", "0X1F", "nULL", "1_000", "+0x1", "12\n"};
    for (size_t i = 0; i < 13; i++) {
        CHECK_INT(v->items[25 + i]->type, KS_SCALAR_STRING);
        CHECK_STR(v->items[25 + i]->text, strings[i]);
    }
    ks_bank_free(bank);
}

static void integer_range_and_nul(void)
{
    CHECK_STR(errors_of("bank: x\nitems:\n- id: a\n  type: t\n"
                        "  big: 9223372036854775808\n  small: -9223372036854775809\n"
                        "  hex: 0x8000000000000000\n  s: \"a\\0b\"\n"),
              "t.yaml:5:8: integer out of range: 9223372036854775808\n"
              "t.yaml:6:10: integer out of range: -9223372036854775809\n"
              "t.yaml:7:8: integer out of range: 0x8000000000000000\n"
              "t.yaml:8:6: a text may not contain the NUL character (\\0)");
}

static void describe_values(void)
{
    ks_bank *bank = parse_ok("bank: x\nitems:\n- id: a\n  type: t\n"
                             "  v: [xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx,\n"
                             "      考考考考考考考考考考考考考考考考考考考考, \"a\\nb\\tc\\x01\",\n"
                             "      0x1F, 1e3, True, ~, [], {}, '']\n");
    if (!bank)
        return;
    const ks_node *v = ks_node_get(bank->items[0].node, "v");
    static const char *const want[] = {
        "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\"",
        "\"考考考考考考考考考考考考考…\"",
        "\"a\\nb\\tc?\"",
        "0x1F",
        "1e3",
        "true",
        "nothing",
        "a sequence",
        "a mapping",
        "\"\"",
    };
    char buf[64];
    CHECK_INT(v->count, 10);
    for (size_t i = 0; i < v->count && i < 10; i++) {
        ks_node_describe(v->items[i], buf, sizeof buf);
        CHECK_STR(buf, want[i]);
    }
    ks_node_describe(NULL, buf, sizeof buf);
    CHECK_STR(buf, "nothing");
    ks_bank_free(bank);
}

static void yaml_syntax_error(void)
{
    CHECK_STR(errors_of("bank: x\nitems: [a, b\n"),
              "t.yaml:3:1: YAML syntax error: did not find expected ',' or ']' "
              "(while parsing a flow sequence at line 2, column 8)");
    CHECK_STR(errors_of("bank: x\n  title: y\n"),
              "t.yaml:2:8: YAML syntax error: mapping values are not allowed in this context");
}

static void top_level_errors(void)
{
    CHECK_STR(errors_of("bank: x\n"),
              "t.yaml:1:1: field 'items': expected a sequence of items, found nothing");
    CHECK_STR(errors_of("bank: x\nitems:\n"),
              "t.yaml:2:7: field 'items': expected a sequence of items, found nothing");
    CHECK_STR(errors_of("bank: x\ntitel: y\nitems: []\n"),
              "t.yaml:2:1: unknown field 'titel'; expected one of: bank, title, items");
    CHECK_STR(errors_of("title: \"\"\nbank: Wfmp\nitems: {}\n"),
              "t.yaml:1:8: field 'title': expected a non-empty text, found \"\"\n"
              "t.yaml:2:7: field 'bank': expected a bank name (lowercase letters, digits, '_' "
              "and '-'), found \"Wfmp\"\n"
              "t.yaml:3:8: field 'items': expected a sequence of items, found a mapping");
    CHECK_STR(errors_of("- bank: x\n"),
              "t.yaml:1:1: top level: expected a mapping with the fields bank, title and "
              "items, found a sequence");
    CHECK_STR(errors_of(""), "t.yaml:1:1: top level: expected a mapping with the fields "
                             "bank, title and items, found nothing");
    CHECK_STR(errors_of("# only a comment\n"), "t.yaml:1:1: top level: expected a mapping "
                                               "with the fields bank, title and items, found "
                                               "nothing");
    CHECK_STR(errors_of("bank: x\nitems: []\n---\nbank: y\n"),
              "t.yaml:3:1: a bank is one YAML document; a second document starts here");
}

static void item_errors(void)
{
    CHECK_STR(errors_of("bank: x\nitems:\n"
                        "- id: ex-001\n  type: single\n  chapter: one\n"),
              "t.yaml:5:12: item 'ex-001': field 'chapter': expected an integer from 1 up, "
              "found \"one\"");
    CHECK_STR(errors_of("bank: x\nitems:\n- id: ex-001\n  stem: hi\n"),
              "t.yaml:3:3: item 'ex-001': field 'type': missing, expected a question type "
              "name");
    CHECK_STR(errors_of("bank: x\nitems:\n- id: ok\n  type: t\n- type: t\n- plain\n"),
              "t.yaml:5:3: item #2: field 'id': missing, expected an id (1 to 64 letters, "
              "digits, '.', '_' and '-')\n"
              "t.yaml:6:3: item #3: expected a mapping of item fields, found \"plain\"");
    CHECK_STR(errors_of("bank: x\nitems:\n"
                        "- {id: a, type: Single, chapter: 2.0, difficulty: 6, topic: 3,"
                        " tags: [a, '', [b]]}\n"),
              "t.yaml:3:17: item 'a': field 'type': expected a question type name, found "
              "\"Single\"\n"
              "t.yaml:3:34: item 'a': field 'chapter': expected an integer from 1 up, found "
              "2.0\n"
              "t.yaml:3:51: item 'a': field 'difficulty': expected an integer from 1 to 5, "
              "found 6\n"
              "t.yaml:3:61: item 'a': field 'topic': expected a non-empty text, found 3\n"
              "t.yaml:3:74: item 'a': field 'tags': expected a non-empty text for each tag, "
              "found \"\"\n"
              "t.yaml:3:78: item 'a': field 'tags': expected a non-empty text for each tag, "
              "found a sequence");
    /* 65 characters is one too many for an id. */
    CHECK_STR(errors_of("bank: x\nitems:\n- type: t\n  id: "
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"),
              "t.yaml:4:7: item #1: field 'id': expected an id (1 to 64 letters, digits, '.', "
              "'_' and '-'), found \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…\"");
    CHECK_STR(errors_of("bank: x\nitems:\n- id: a\n  type: t\n  tags: x\n  chapter: 0\n"),
              "t.yaml:5:9: item 'a': field 'tags': expected a sequence of tags, found \"x\"\n"
              "t.yaml:6:12: item 'a': field 'chapter': expected an integer from 1 up, found 0");
}

static void points_and_group(void)
{
    ks_bank *bank = parse_ok("bank: x\nitems:\n"
                             "- {id: a, type: t, points: 2.5, group: 标准日期}\n"
                             "- {id: b, type: t, points: 3}\n"
                             "- {id: c, type: t}\n");
    if (bank) {
        CHECK_NEAR(bank->items[0].points, 2.5, 0, 0);
        CHECK_STR(bank->items[0].group, "标准日期");
        CHECK_NEAR(bank->items[1].points, 3, 0, 0);
        CHECK(bank->items[1].group == NULL);
        CHECK_NEAR(bank->items[2].points, 0, 0, 0);
    }
    ks_bank_free(bank);
    CHECK_STR(errors_of("bank: x\nitems:\n"
                        "- {id: a, type: t, points: 0, group: ''}\n"
                        "- {id: b, type: t, points: -2, group: 7}\n"
                        "- {id: c, type: t, points: .inf, group: [g]}\n"
                        "- {id: d, type: t, points: '3'}\n"
                        "- {id: e, type: t, points: 1000.5}\n"),
              "t.yaml:3:28: item 'a': field 'points': expected a positive number of points, "
              "at most 1000, found 0\n"
              "t.yaml:3:38: item 'a': field 'group': expected a group name (a non-empty text), "
              "found \"\"\n"
              "t.yaml:4:28: item 'b': field 'points': expected a positive number of points, "
              "at most 1000, found -2\n"
              "t.yaml:4:39: item 'b': field 'group': expected a group name (a non-empty text), "
              "found 7\n"
              "t.yaml:5:28: item 'c': field 'points': expected a positive number of points, "
              "at most 1000, found .inf\n"
              "t.yaml:5:41: item 'c': field 'group': expected a group name (a non-empty text), "
              "found a sequence\n"
              "t.yaml:6:28: item 'd': field 'points': expected a positive number of points, "
              "at most 1000, found \"3\"\n"
              "t.yaml:7:28: item 'e': field 'points': expected a positive number of points, "
              "at most 1000, found 1000.5");
}

static void duplicate_ids(void)
{
    CHECK_STR(errors_of("bank: x\nitems:\n"
                        "- id: ex-001\n  type: t\n"
                        "- id: ex-002\n  type: t\n"
                        "- id: ex-001\n  type: t\n"
                        "- id: ex-002\n  type: t\n"
                        "- id: ex-001\n  type: t\n"),
              "t.yaml:7:7: item 'ex-001': duplicate id; first defined at line 3\n"
              "t.yaml:9:7: item 'ex-002': duplicate id; first defined at line 5\n"
              "t.yaml:11:7: item 'ex-001': duplicate id; first defined at line 3");
}

static void duplicate_keys(void)
{
    CHECK_STR(errors_of("bank: x\nitems:\n"
                        "- id: a\n  type: t\n  \"id\": b\n  stem: s\n  stem: s\n"
                        "bank: y\n"),
              "t.yaml:5:3: duplicate key 'id'; first defined at line 3\n"
              "t.yaml:7:3: duplicate key 'stem'; first defined at line 6\n"
              "t.yaml:8:1: duplicate key 'bank'; first defined at line 1");
}

static void multiple_errors_together(void)
{
    CHECK_STR(errors_of("bank: x\n"
                        "titel: a\n"
                        "items:\n"
                        " - id: a\n"
                        "   type: single\n"
                        "   chapter: one\n"
                        " - {id: a, type: x, tags: [a, 2]}\n"
                        " - 3\n"
                        " - id: \"a b\"\n"
                        "   difficulty: 6\n"),
              "t.yaml:2:1: unknown field 'titel'; expected one of: bank, title, items\n"
              "t.yaml:6:13: item 'a': field 'chapter': expected an integer from 1 up, found "
              "\"one\"\n"
              "t.yaml:7:31: item 'a': field 'tags': expected a non-empty text for each tag, "
              "found 2\n"
              "t.yaml:8:4: item #3: expected a mapping of item fields, found 3\n"
              "t.yaml:9:4: item #4: field 'type': missing, expected a question type name\n"
              "t.yaml:9:8: item #4: field 'id': expected an id (1 to 64 letters, digits, '.', "
              "'_' and '-'), found \"a b\"\n"
              "t.yaml:10:16: item #4: field 'difficulty': expected an integer from 1 to 5, "
              "found 6\n"
              "t.yaml:7:9: item 'a': duplicate id; first defined at line 4");
}

static void diagnostics_are_capped(void)
{
    size_t size = 0;
    char *text = NULL;
    FILE *f = open_memstream(&text, &size);
    fputs("bank: x\nitems:\n", f);
    for (int i = 0; i < 1000; i++)
        fprintf(f, "- {id: q%d, type: t, chapter: 0}\n", i);
    fclose(f);
    ks_diags d = {0};
    ks_bank *bank = NULL;
    CHECK_INT(ks_bank_parse("t.yaml", text, size, &bank, &d), KS_EINPUT);
    CHECK(bank == NULL);
    CHECK_INT(d.count, KS_DIAGS_MAX);
    ks_diags_free(&d);
    free(text);
}

static void anchors_and_aliases(void)
{
    static const char laughs[] =
        "bank: x\nitems:\n- id: a\n  type: t\n"
        "  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        "  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        "  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
        "  h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
        "  i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    /* one diagnostic, at the first anchor: the parse stops there, before any
     * of the 8 other anchors and 72 aliases (each would add one) */
    double t0 = cpu_seconds();
    CHECK_STR(errors_of(laughs), "t.yaml:5:6: anchors and aliases are not allowed in a bank");
    CHECK(cpu_seconds() - t0 < SANITY_SECONDS);
    CHECK_STR(errors_of("bank: x\nitems:\n- id: a\n  type: t\n  a: *nowhere\n"),
              "t.yaml:5:6: anchors and aliases are not allowed in a bank");
    CHECK_STR(errors_of("bank: &n x\n"),
              "t.yaml:1:7: anchors and aliases are not allowed in a bank");
}

static void tags_refused(void)
{
    CHECK_STR(errors_of("bank: x\nitems:\n- id: !!str 12\n  type: t\n"),
              "t.yaml:3:7: tags are not allowed in a bank");
    CHECK_STR(errors_of("!custom\nbank: x\n"), "t.yaml:1:1: tags are not allowed in a bank");
}

static void non_scalar_keys_refused(void)
{
    CHECK_STR(errors_of("bank: x\n? [a, b]\n: c\n"),
              "t.yaml:2:3: a mapping key must be a simple value, found a sequence");
    CHECK_STR(errors_of("bank: x\nitems: [{{a: b}: c}]\n"),
              "t.yaml:2:10: a mapping key must be a simple value, found a mapping");
}

/* "bank: x\nitems: " and then depth open sequences around a 1. */
static char *nested(size_t depth)
{
    char *text = malloc(16 + 2 * depth + 2);
    size_t n = (size_t)sprintf(text, "bank: x\nitems: ");
    memset(text + n, '[', depth);
    text[n + depth] = '1';
    memset(text + n + depth + 1, ']', depth);
    strcpy(text + n + 2 * depth + 1, "\n");
    return text;
}

static void depth_limit(void)
{
    /* The root mapping is level 1, so 31 sequences reach the limit. */
    char *text = nested(KS_BANK_MAX_DEPTH - 1);
    CHECK_STR(errors_of(text), "t.yaml:2:9: item #1: expected a mapping of item fields, found "
                               "a sequence");
    free(text);
    text = nested(KS_BANK_MAX_DEPTH);
    CHECK_STR(errors_of(text), "t.yaml:2:39: a sequence nested more than 32 levels deep; a "
                               "bank may not nest that deep");
    free(text);

    char bomb[16 + 10000 + 1];
    int n = sprintf(bomb, "bank: x\nitems: ");
    memset(bomb + n, '[', 10000);
    bomb[n + 10000] = '\0';
    /* one diagnostic, at the 32nd '[' of 10000: the parse stops there */
    double t0 = cpu_seconds();
    CHECK_STR(errors_of(bomb), "t.yaml:2:39: a sequence nested more than 32 levels deep; a "
                               "bank may not nest that deep");
    CHECK(cpu_seconds() - t0 < SANITY_SECONDS);
    CHECK_STR(errors_of("bank: x\nitems:\n- id: a\n  type: t\n  a:\n   b:\n    c:\n     d:\n"
                        "      e:\n       f:\n        g:\n         h:\n          i:\n"
                        "           j:\n            k:\n             l:\n              m:\n"
                        "               n:\n                o:\n                 p:\n"
                        "                  q:\n                   r:\n"
                        "                    s:\n                     t:\n"
                        "                      u:\n                       v:\n"
                        "                        w:\n                         x:\n"
                        "                          y:\n                           z:\n"
                        "                            A:\n                             B:\n"
                        "                              C:\n"
                        "                               D:\n"
                        "                                E:\n"),
              "t.yaml:35:33: a mapping nested more than 32 levels deep; a bank may not nest "
              "that deep");
}

static void invalid_utf8(void)
{
    CHECK_STR(errors_of("bank: x\ntitle: ab\xff\nitems: []\n"),
              "t.yaml:2:10: YAML syntax error: invalid leading UTF-8 octet (#xFF)");
    /* Columns count characters, not bytes; a byte-order mark is not a column. */
    CHECK_STR(errors_of("\xef\xbb\xbf" "bank: x\r\ntitle: 考试\xc3\x28\nitems: []\n"),
              "t.yaml:2:10: YAML syntax error: invalid trailing UTF-8 octet (#x28)");
    CHECK_STR(errors_of("bank: x\ntitle: \xe8\x80"),
              "t.yaml:2:8: YAML syntax error: incomplete UTF-8 octet sequence");
    CHECK_STR(errors_of_n("bank: x\ntitle: a\0b\n", 18),
              "t.yaml:2:9: YAML syntax error: control characters are not allowed (#x0)");
}

static void size_limit(void)
{
    char *big = calloc(KS_BANK_MAX_BYTES + 1u, 1);
    CHECK_STR(errors_of_n(big, KS_BANK_MAX_BYTES + 1u),
              "t.yaml: too large; a bank may be at most 67108864 bytes");
    free(big);
}

static void large_bank(void)
{
    size_t size = 0;
    char *text = NULL;
    FILE *f = open_memstream(&text, &size);
    fputs("bank: big\ntitle: Generated\nitems:\n", f);
    for (int i = 0; i < 20000; i++)
        fprintf(f,
                "  - id: q-%05d\n    type: single\n    chapter: %d\n    difficulty: %d\n"
                "    tags: [gen, t%d]\n    stem: \"Question %d\"\n"
                "    options: [a, b, c, d]\n    answer: %d\n",
                i, 1 + i % 12, 1 + i % 5, i % 7, i, i % 4);
    fclose(f);
    double t0 = cpu_seconds();
    ks_diags d = {0};
    ks_bank *bank = NULL;
    CHECK_INT(ks_bank_parse("big.yaml", text, size, &bank, &d), KS_OK);
    CHECK(cpu_seconds() - t0 < SANITY_SECONDS);
    CHECK_INT(d.count, 0);
    if (bank) {
        CHECK_INT(bank->count, 20000);
        const ks_item *it = ks_bank_find(bank, "q-19999");
        CHECK(it == &bank->items[19999]);
        CHECK_INT(it->chapter, 1 + 19999 % 12);
        CHECK_INT(it->node->line, 3 + 19999 * 8 + 1);
        CHECK(ks_bank_find(bank, "q-00000") == &bank->items[0]);
        CHECK(ks_bank_find(bank, "q-20000") == NULL);
        CHECK_STR(bank->items[12345].tags[1], "t4");
    }
    ks_bank_free(bank);
    ks_diags_free(&d);
    free(text);
}

static void load_from_file(void)
{
    char path[] = "/tmp/kaoshi-test-bank-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    CHECK_INT(write(fd, valid_bank, sizeof valid_bank - 1), sizeof valid_bank - 1);
    close(fd);
    ks_diags d = {0};
    ks_bank *bank = NULL;
    CHECK_INT(ks_bank_load(path, &bank, &d), KS_OK);
    CHECK_INT(d.count, 0);
    if (bank) {
        CHECK_STR(bank->path, path);
        CHECK_INT(bank->count, 2);
    }
    ks_bank_free(bank);
    unlink(path);

    CHECK_INT(ks_bank_load(path, &bank, &d), KS_EIO);
    CHECK(bank == NULL);
    CHECK_INT(d.count, 1);
    char want[128];
    snprintf(want, sizeof want, "%s: cannot read: No such file or directory", path);
    CHECK_STR(d.lines[0], want);
    CHECK_INT(ks_bank_load("/tmp", &bank, &d), KS_EIO);
    CHECK_INT(d.count, 2);
    CHECK_STR(d.lines[1], "/tmp: cannot read: Is a directory");
    ks_diags_free(&d);
}

UNIT_MAIN(T(valid_bank_fields), T(valid_bank_nodes), T(core_schema_scalars), T(points_and_group),
          T(integer_range_and_nul), T(describe_values), T(yaml_syntax_error),
          T(top_level_errors), T(item_errors), T(duplicate_ids), T(duplicate_keys),
          T(multiple_errors_together), T(diagnostics_are_capped), T(anchors_and_aliases),
          T(tags_refused), T(non_scalar_keys_refused), T(depth_limit), T(invalid_utf8),
          T(size_limit), T(large_bank), T(load_from_file))
