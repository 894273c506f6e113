/* bench_grading: responses graded per second through a CCOM script's Lua
 * question types, against the C scoring primitives alone.
 *
 * scripts/ccom/wfmp.lua is loaded with its banks exactly as `kaoshi grade`
 * loads a certification (a file set under the project root, ks_cert_load).
 * Forms are drawn from fixed seeds (ks_cert_build_form) and each question's
 * key read back as an author's preview shows it (ks_cert_present with the
 * key). For every question a candidate's response is built as the exam page
 * sends it: most right, some wrong or partly right (a missing or an extra
 * choice, a swapped order, a number out of tolerance, a wrong blank), a few
 * unanswered — every type of the role's forms, calculated questions
 * included. Then:
 *
 *   value    ks_cert_grade on each stored form and its stored JSON responses,
 *            as `kaoshi grade` calls it: the form and responses decoded into
 *            Lua, each question scored by its type's score() (which calls the
 *            C primitives through the `score` module), the result built and
 *            encoded as JSON.
 *   ceiling  a C loop over the same responses, already decoded into C
 *            structs, applying the same primitives of kaoshi/score.h with
 *            the same rules and summing points and the pass mark.
 *   second   the same C loop with the JSON decoding of the form and the
 *            responses included (jansson), i.e. the least a C grader reading
 *            the stored JSON could do.
 *
 * And the cost of isolating attempts (every call on behalf of another attempt
 * runs the script and its modules again, so no module state flows between
 * candidates):
 *
 *   value    presenting question 1 of a form, which starts from a fresh
 *            script state (the script and its modules run again);
 *   ceiling  presenting question 2 of the same form, in the state question
 *            1 left: the same work without the fresh start.
 *
 * Every form's score from Lua must equal the C loop's, or the program fails.
 * Usage: bench_grading [--root DIR] [--forms N] [--seconds S].
 * One JSON line per figure on stdout. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "kaoshi/cert.h"
#include "kaoshi/fileset.h"
#include "kaoshi/rng.h"
#include "kaoshi/score.h"

#define SCRIPT "scripts/ccom/wfmp.lua"
#define MAXN 16      /* options, items, pairs or points of one question */
#define MAXBLANKS 8
#define MAXACCEPT 8
#define PASS_PERCENT 70 /* scripts/lib/ccom.lua */

typedef enum kind {
    K_SINGLE, K_MULTIPLE, K_TRUE_FALSE, K_FILL, K_NUMERIC, K_ORDERING, K_MATCHING,
    K_CALC_VALUE, K_CALC_POINTS, K_KINDS
} kind;

static const char *const kind_names[K_KINDS] = {
    "single", "multiple", "true_false", "fill", "numeric", "ordering", "matching",
    "calculated (number)", "calculated (points)"};

/* What scoring one question needs, decoded from its key. */
typedef struct c_key {
    kind k;
    double points;
    int n;           /* options, items, pairs (or npoints) */
    int order[MAXN]; /* place d (0-based) shows bank entry order[d] (0-based) */
    int key[MAXN];   /* single: key[0]; sets: nkey option or point numbers (0-based) */
    int nkey;
    int rule;        /* ks_set_rule, ks_order_rule, or matching's all_or_nothing */
    double num, tol, rel;
    int truth;
    int nblanks;
    const char *accepted[MAXBLANKS][MAXACCEPT];
    size_t naccepted[MAXBLANKS];
    unsigned flags;
} c_key;

/* A response decoded into C: places (or point numbers) 0-based, -1 when not
 * a place. */
typedef struct c_resp {
    int answered;
    int list[MAXN];
    int nlist;
    double value;
    int has_value;
    int truth; /* -1 when not a boolean */
    const char *blanks[MAXBLANKS];
    int nblanks;
} c_resp;

typedef struct form {
    char *json;
    size_t nslots;
    c_key *keys;
    c_resp *resp;
    char **resp_json; /* NULL for an unanswered question */
    json_t **views;   /* keep the accepted texts alive */
    json_t *doc;      /* grade_c_json's decoded form */
    double lua_score, c_json_score;
} form;

typedef struct bench {
    ks_cert *cert;
    form *forms;
    size_t nforms, responses;
    double c_total; /* the C loop's sum, observable */
} bench;

static void die(const char *what)
{
    fprintf(stderr, "bench_grading: %s\n", what);
    exit(1);
}

/* ---- keys ------------------------------------------------------------------- */

static int int_list(json_t *a, int *out, int offset)
{
    size_t i;
    json_t *v;
    if (!json_is_array(a) || json_array_size(a) > MAXN)
        die("a key list is missing or too long");
    json_array_foreach(a, i, v) out[i] = (int)json_integer_value(v) - offset;
    return (int)json_array_size(a);
}

static int rule_of(json_t *key, const char *const *names, int dflt)
{
    const char *r = json_string_value(json_object_get(key, "rule"));
    for (int i = 0; r && names[i]; i++)
        if (strcmp(r, names[i]) == 0)
            return i;
    return dflt;
}

static void read_key(json_t *view, double points, c_key *k)
{
    static const char *const set_rules[] = {"all_or_nothing", "right_minus_wrong",
                                            "per_option", NULL};
    static const char *const order_rules[] = {"all_or_nothing", "positions", "adjacent", NULL};
    const char *type = json_string_value(json_object_get(view, "type"));
    json_t *key = json_object_get(view, "key"), *answer = json_object_get(key, "answer");
    *k = (c_key){.points = points};
    k->tol = json_number_value(json_object_get(key, "tolerance"));
    k->rel = json_number_value(json_object_get(key, "relative_tolerance"));
    if (json_object_get(key, "shown"))
        int_list(json_object_get(key, "shown"), k->order, 1);
    if (strcmp(type, "single") == 0) {
        k->k = K_SINGLE;
        k->n = (int)json_array_size(json_object_get(key, "options"));
        k->key[0] = (int)json_integer_value(answer) - 1;
    } else if (strcmp(type, "multiple") == 0) {
        k->k = K_MULTIPLE;
        k->n = (int)json_array_size(json_object_get(key, "options"));
        k->nkey = int_list(answer, k->key, 1);
        k->rule = rule_of(key, set_rules, KS_SET_RIGHT_MINUS_WRONG);
    } else if (strcmp(type, "true_false") == 0) {
        k->k = K_TRUE_FALSE;
        k->truth = json_is_true(answer);
    } else if (strcmp(type, "fill") == 0) {
        k->k = K_FILL;
        json_t *answers = json_object_get(key, "answers"), *blank;
        size_t i;
        if (json_array_size(answers) > MAXBLANKS)
            die("too many blanks");
        json_array_foreach(answers, i, blank) {
            /* a blank's accepted answers: one string, or a list of them */
            size_t n = json_is_string(blank) ? 1 : json_array_size(blank);
            for (size_t j = 0; j < n && j < MAXACCEPT; j++)
                k->accepted[i][j] =
                    json_string_value(json_is_string(blank) ? blank : json_array_get(blank, j));
            k->naccepted[i] = n < MAXACCEPT ? n : MAXACCEPT;
        }
        k->nblanks = (int)json_array_size(answers);
        const char *match = json_string_value(json_object_get(key, "match"));
        k->flags = match && strcmp(match, "exact") == 0 ? 0 : KS_TEXT_DEFAULT;
    } else if (strcmp(type, "numeric") == 0) {
        k->k = K_NUMERIC;
        k->num = json_number_value(answer);
    } else if (strcmp(type, "ordering") == 0) {
        k->k = K_ORDERING;
        k->n = (int)json_array_size(json_object_get(key, "items"));
        k->rule = rule_of(key, order_rules, KS_ORDER_ALL_OR_NOTHING);
    } else if (strcmp(type, "matching") == 0) {
        k->k = K_MATCHING;
        k->n = (int)json_array_size(json_object_get(key, "pairs"));
        const char *r = json_string_value(json_object_get(key, "rule"));
        k->rule = r && strcmp(r, "all_or_nothing") == 0;
    } else if (strcmp(type, "calculated") == 0) {
        const char *response = json_string_value(json_object_get(key, "response"));
        if (response && strcmp(response, "points") == 0) {
            k->k = K_CALC_POINTS;
            k->n = (int)json_integer_value(json_object_get(key, "npoints"));
            k->nkey = int_list(answer, k->key, 1);
        } else {
            k->k = K_CALC_VALUE;
            k->num = json_number_value(answer);
        }
    } else {
        die("a question type this benchmark does not know");
    }
    if (k->n > MAXN)
        die("a question with too many options");
}

/* ---- responses ------------------------------------------------------------------ */

/* The place showing bank entry b. */
static int place_of(const c_key *k, int b)
{
    for (int d = 0; d < k->n; d++)
        if (k->order[d] == b)
            return d;
    return -1;
}

static json_t *places_json(const int *list, int n, int offset)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_integer(list[i] + offset));
    return a;
}

/* A response to question k: right, wrong (partly right where the type gives
 * partial credit) or none, as the exam page would send it. Fills r and
 * returns the JSON (NULL for none). */
static char *make_response(const c_key *k, ks_rng *rng, c_resp *r)
{
    uint64_t roll = ks_rng_below(rng, 100);
    *r = (c_resp){.truth = -1};
    if (roll < 4)
        return NULL;
    int right = roll < 70;
    r->answered = 1;
    json_t *j = NULL;
    switch (k->k) {
    case K_SINGLE: {
        int d = place_of(k, k->key[0]);
        r->list[0] = right ? d : (d + 1 + (int)ks_rng_below(rng, (uint64_t)k->n - 1)) % k->n;
        r->nlist = 1;
        j = json_pack("{si}", "choice", r->list[0] + 1);
        break;
    }
    case K_MULTIPLE:
    case K_CALC_POINTS: {
        int in[MAXN] = {0};
        for (int i = 0; i < k->nkey; i++)
            in[k->key[i]] = 1;
        if (!right && k->nkey > 1) /* one right choice missed */
            in[k->key[ks_rng_below(rng, (uint64_t)k->nkey)]] = 0;
        if (!right && k->nkey < k->n) { /* one wrong choice made */
            int b;
            do
                b = (int)ks_rng_below(rng, (uint64_t)k->n);
            while (in[b]);
            in[b] = 1;
        }
        for (int b = 0; b < k->n; b++)
            if (in[b])
                r->list[r->nlist++] = k->k == K_MULTIPLE ? place_of(k, b) : b;
        j = json_pack("{so}", k->k == K_MULTIPLE ? "choices" : "points",
                      places_json(r->list, r->nlist, 1));
        break;
    }
    case K_TRUE_FALSE:
        r->truth = right ? k->truth : !k->truth;
        j = json_pack("{sb}", "value", r->truth);
        break;
    case K_FILL: {
        json_t *blanks = json_array();
        for (int i = 0; i < k->nblanks; i++) {
            r->blanks[i] = right || i > 0 ? k->accepted[i][0] : "不清楚";
            json_array_append_new(blanks, json_string(r->blanks[i]));
        }
        r->nblanks = k->nblanks;
        j = json_pack("{so}", "blanks", blanks);
        break;
    }
    case K_NUMERIC:
    case K_CALC_VALUE: {
        double within = fmax(k->tol, k->rel * fabs(k->num)) / 2; /* a rounded answer */
        r->value = right ? k->num + within : k->num * 1.25 + 7;
        r->has_value = 1;
        j = json_pack("{sf}", "value", r->value);
        break;
    }
    case K_ORDERING:
    case K_MATCHING:
        for (int b = 0; b < k->n; b++)
            r->list[b] = place_of(k, b);
        r->nlist = k->n;
        if (!right) { /* two entries swapped */
            int t = r->list[0];
            r->list[0] = r->list[1];
            r->list[1] = t;
        }
        j = json_pack("{so}", k->k == K_ORDERING ? "order" : "matches",
                      places_json(r->list, r->nlist, 1));
        break;
    default:
        break;
    }
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return text;
}

/* ---- the C grader ------------------------------------------------------------------ */

/* The bank numbers (0-based) of the places in r, or 0 when one is not a place. */
static int bank_numbers(const c_key *k, const c_resp *r, int *out)
{
    for (int i = 0; i < r->nlist; i++) {
        if (r->list[i] < 0 || r->list[i] >= k->n)
            return 0;
        out[i] = k->order[r->list[i]];
    }
    return 1;
}

static const int identity[MAXN] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

static double c_score(const c_key *k, const c_resp *r)
{
    int b[MAXN];
    if (!r->answered)
        return 0;
    switch (k->k) {
    case K_SINGLE:
        return r->nlist == 1 && bank_numbers(k, r, b) && b[0] == k->key[0];
    case K_MULTIPLE:
        return bank_numbers(k, r, b)
                   ? ks_score_set(k->key, (size_t)k->nkey, b, (size_t)r->nlist, (size_t)k->n,
                                  (ks_set_rule)k->rule)
                   : 0;
    case K_TRUE_FALSE:
        return r->truth == k->truth;
    case K_FILL: {
        int right = 0;
        for (int i = 0; i < k->nblanks; i++)
            right += i < r->nblanks && r->blanks[i] &&
                     ks_score_text(r->blanks[i], k->accepted[i], k->naccepted[i], k->flags);
        return (double)right / k->nblanks;
    }
    case K_NUMERIC:
    case K_CALC_VALUE:
        return r->has_value && ks_score_numeric(r->value, k->num, k->tol, k->rel);
    case K_ORDERING:
        return r->nlist == k->n && bank_numbers(k, r, b)
                   ? ks_score_order(identity, b, (size_t)k->n, (ks_order_rule)k->rule)
                   : 0;
    case K_MATCHING:
        return r->nlist == k->n && bank_numbers(k, r, b)
                   ? ks_score_match(identity, b, (size_t)k->n, k->rule)
                   : 0;
    case K_CALC_POINTS:
        return ks_score_set(k->key, (size_t)k->nkey, r->list, (size_t)r->nlist, (size_t)k->n,
                            KS_SET_RIGHT_MINUS_WRONG);
    default:
        return 0;
    }
}

/* A form's score and verdict from decoded responses. */
static double c_grade(const form *f, int *passed)
{
    double score = 0, max = 0;
    for (size_t i = 0; i < f->nslots; i++) {
        score += c_score(&f->keys[i], &f->resp[i]) * f->keys[i].points;
        max += f->keys[i].points;
    }
    *passed = 100 * score / max >= PASS_PERCENT;
    return score;
}

/* The fraction earned by a stored response (JSON text, or NULL for none),
 * decoded as the Lua types read it. */
static double score_stored(const c_key *k, const char *text)
{
    static const char *const list_field[K_KINDS] = {
        [K_SINGLE] = "choice", [K_MULTIPLE] = "choices", [K_ORDERING] = "order",
        [K_MATCHING] = "matches", [K_CALC_POINTS] = "points"};
    c_resp r = {.truth = -1};
    json_t *j = text ? json_loads(text, 0, NULL) : NULL, *v, *x;
    if (!j)
        return 0;
    r.answered = 1;
    size_t i;
    if (k->k == K_SINGLE) {
        v = json_object_get(j, "choice");
        r.list[0] = json_is_integer(v) ? (int)json_integer_value(v) - 1 : -1;
        r.nlist = 1;
    } else if (list_field[k->k]) {
        v = json_object_get(j, list_field[k->k]);
        json_array_foreach(v, i, x) {
            if (i < MAXN)
                r.list[r.nlist++] = json_is_integer(x) ? (int)json_integer_value(x) - 1 : -1;
        }
    } else if (k->k == K_TRUE_FALSE) {
        v = json_object_get(j, "value");
        r.truth = json_is_boolean(v) ? json_is_true(v) : -1;
    } else if (k->k == K_FILL) {
        v = json_object_get(j, "blanks");
        json_array_foreach(v, i, x) {
            if (i < MAXBLANKS)
                r.blanks[r.nblanks++] = json_string_value(x);
        }
    } else {
        v = json_object_get(j, "value");
        r.has_value = json_is_number(v);
        r.value = json_number_value(v);
    }
    double fraction = c_score(k, &r); /* before j, which holds the blanks' text, goes */
    json_decref(j);
    return fraction;
}

/* ---- the three timed loops ---------------------------------------------------------- */

static void grade_lua(void *ud)
{
    bench *b = ud;
    for (size_t f = 0; f < b->nforms; f++) {
        form *fm = &b->forms[f];
        char *result;
        double score, max;
        int passed;
        ks_error err;
        if (ks_cert_grade(b->cert, fm->json, (const char *const *)fm->resp_json, NULL,
                          fm->nslots, &result, &score, &max, &passed, &err))
            die(err.message);
        fm->lua_score = score;
        free(result);
    }
}

static void grade_c(void *ud)
{
    bench *b = ud;
    double total = 0;
    for (size_t f = 0; f < b->nforms; f++) {
        int passed;
        total += c_grade(&b->forms[f], &passed) + passed;
    }
    b->c_total = total;
}

/* The C loop from the stored JSON: the form decoded for its slots' points,
 * each response decoded and scored. */
static void grade_c_json(void *ud)
{
    bench *b = ud;
    double total = 0;
    for (size_t f = 0; f < b->nforms; f++) {
        form *fm = &b->forms[f];
        json_t *slots = json_object_get(fm->doc = json_loads(fm->json, 0, NULL), "slots");
        double score = 0, max = 0;
        for (size_t i = 0; i < fm->nslots; i++) {
            double points = json_number_value(json_object_get(json_array_get(slots, i),
                                                              "points"));
            score += score_stored(&fm->keys[i], fm->resp_json[i]) * points;
            max += points;
        }
        json_decref(fm->doc);
        fm->c_json_score = score;
        total += score + (100 * score / max >= PASS_PERCENT);
    }
    b->c_total = total;
}

/* ---- setup ---------------------------------------------------------------------------- */

static void draw_forms(bench *b, size_t nforms, size_t counts[K_KINDS])
{
    b->forms = calloc(nforms, sizeof *b->forms);
    b->nforms = nforms;
    if (!b->forms)
        die("out of memory");
    ks_error err;
    for (size_t f = 0; f < nforms; f++) {
        form *fm = &b->forms[f];
        if (ks_cert_build_form(b->cert, 1000 + f, NULL, 0, &fm->json, &err))
            die(err.message);
        json_t *doc = json_loads(fm->json, 0, NULL);
        json_t *slots = json_object_get(doc, "slots");
        fm->nslots = json_array_size(slots);
        fm->keys = calloc(fm->nslots, sizeof *fm->keys);
        fm->resp = calloc(fm->nslots, sizeof *fm->resp);
        fm->resp_json = calloc(fm->nslots, sizeof *fm->resp_json);
        fm->views = calloc(fm->nslots, sizeof *fm->views);
        if (!fm->keys || !fm->resp || !fm->resp_json || !fm->views)
            die("out of memory");
        ks_rng rng;
        ks_rng_seed(&rng, 77 + f);
        for (size_t i = 0; i < fm->nslots; i++) {
            char *view;
            if (ks_cert_present(b->cert, fm->json, i, 1, &view, &err))
                die(err.message);
            fm->views[i] = json_loads(view, 0, NULL);
            free(view);
            double points = json_number_value(json_object_get(json_array_get(slots, i),
                                                              "points"));
            read_key(fm->views[i], points, &fm->keys[i]);
            fm->resp_json[i] = make_response(&fm->keys[i], &rng, &fm->resp[i]);
            counts[fm->keys[i].k]++;
        }
        json_decref(doc);
        b->responses += fm->nslots;
    }
}

/* Presents question `slot` of every form: slot 0 starts each from a fresh
 * script state, slot 1 continues in the state slot 0 left. */
static void present_slot(bench *b, size_t slot)
{
    ks_error err;
    for (size_t f = 0; f < b->nforms; f++) {
        char *view;
        if (ks_cert_present(b->cert, b->forms[f].json, 0, 0, &view, &err))
            die(err.message);
        free(view);
        if (slot == 1) {
            if (ks_cert_present(b->cert, b->forms[f].json, 1, 0, &view, &err))
                die(err.message);
            free(view);
        }
    }
}

static void present_fresh(void *ud) { present_slot(ud, 0); }
static void present_both(void *ud) { present_slot(ud, 1); }

static void free_forms(bench *b)
{
    for (size_t f = 0; f < b->nforms; f++) {
        form *fm = &b->forms[f];
        for (size_t i = 0; i < fm->nslots; i++) {
            free(fm->resp_json[i]);
            json_decref(fm->views[i]);
        }
        free(fm->json);
        free(fm->keys);
        free(fm->resp);
        free(fm->resp_json);
        free(fm->views);
    }
    free(b->forms);
}

int main(int argc, char **argv)
{
    const char *root = ".";
    size_t nforms = 40;
    double seconds = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--root") == 0)
            root = argv[i + 1];
        else if (strcmp(argv[i], "--forms") == 0)
            nforms = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--seconds") == 0)
            seconds = atof(argv[i + 1]);
    }
    if (argc % 2 == 0 || nforms == 0) {
        fprintf(stderr, "usage: bench_grading [--root DIR] [--forms N] [--seconds S]\n");
        return 2;
    }
    bench b = {0};
    ks_fileset *fs = ks_fileset_disk(root);
    ks_diags diags = {0}, warnings = {0};
    if (ks_cert_load(fs, SCRIPT, &b.cert, &diags, &warnings))
        die(diags.count ? diags.lines[0] : "cannot load " SCRIPT);
    size_t counts[K_KINDS] = {0};
    draw_forms(&b, nforms, counts);
    for (int k = 0; k < K_KINDS; k++)
        fprintf(stderr, "bench_grading: %zu %s\n", counts[k], kind_names[k]);

    /* Lua and C must agree on every form before anything is timed. */
    grade_lua(&b);
    grade_c_json(&b);
    size_t passes = 0, form_bytes = 0;
    for (size_t f = 0; f < b.nforms; f++) {
        int passed;
        form_bytes += strlen(b.forms[f].json);
        double c = c_grade(&b.forms[f], &passed);
        passes += (size_t)passed;
        if (fabs(c - b.forms[f].lua_score) > 1e-9 ||
            fabs(b.forms[f].c_json_score - b.forms[f].lua_score) > 1e-9) {
            fprintf(stderr, "bench_grading: form %zu: Lua scores %g, C %g\n", f,
                    b.forms[f].lua_score, c);
            return 1;
        }
    }
    fprintf(stderr, "bench_grading: %zu forms (%zu bytes of JSON each), %zu responses, "
            "%zu passed; Lua and C agree\n", b.nforms, form_bytes / b.nforms, b.responses,
            passes);

    double lua = bench_repeat(grade_lua, &b, 3, seconds);
    double bare = bench_repeat(grade_c, &b, 3, seconds / 2);
    double json = bench_repeat(grade_c_json, &b, 3, seconds / 2);
    double n = (double)b.responses;
    char name[64];
    snprintf(name, sizeof name, "CCOM-WFMP, %zu forms", b.nforms);
    bench_print("grading", name, "responses/s", n / lua, n / bare, "higher", "responses/s",
                "C loop applying the same kaoshi/score.h primitives to the same responses, "
                "decoded beforehand");
    bench_print("grading", name, "responses/s vs C+JSON", n / lua, n / json, "higher",
                "responses/s",
                "the same C loop decoding the stored form and JSON responses (jansson)");
    bench_print("grading", name, "forms/s", (double)b.nforms / lua, (double)b.nforms / bare,
                "higher", "forms/s", "C loop grading the same forms, responses decoded beforehand");

    /* question 1 alone, and questions 1 and 2: the second's time is a
     * presentation without the fresh start */
    double fresh = bench_repeat(present_fresh, &b, 3, seconds / 2);
    double both = bench_repeat(present_both, &b, 3, seconds / 2);
    double kept = both - fresh;
    bench_print("isolation", "CCOM-WFMP", "presentations/s from a fresh script state",
                (double)b.nforms / fresh, kept > 0 ? (double)b.nforms / kept : NAN, "higher",
                "presentations/s",
                "presenting a question of the same form in the state the last call left");
    fprintf(stderr, "bench_grading: a fresh script state costs %.0f us per attempt\n",
            (fresh - (kept > 0 ? kept : 0)) / (double)b.nforms * 1e6);

    free_forms(&b);
    ks_cert_free(b.cert);
    ks_fileset_free(fs);
    ks_diags_free(&diags);
    ks_diags_free(&warnings);
    return 0;
}
