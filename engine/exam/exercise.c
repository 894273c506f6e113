/* Exercising a certification's hooks: each item on many seeds through the
 * cert layer's trial primitives (trial form, present with key, solve,
 * samples, grade), each distinct failure reported once per item with the
 * place, hook, item and seeds. See include/kaoshi/exercise.h. */
#include "kaoshi/exercise.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exam/exam_impl.h"

#define RESPONSE_SHOWN 80 /* bytes of a response a message quotes */

/* What went wrong on one seed. */
typedef struct finding {
    char hook[160];  /* "score()", "generator 'cv'"; "" when the engine is to blame */
    char place[256]; /* "scripts/x.lua:12", "" when the message has none */
    char response[RESPONSE_SHOWN + 8]; /* what score() was given, or "" */
    char text[sizeof ((ks_error *)0)->message];
    int internal; /* out of memory */
} finding;

/* A distinct problem of an item: its first finding and on how many seeds. */
typedef struct problem {
    finding first;
    unsigned seed, count;
} problem;

/* One item being exercised. */
typedef struct item_run {
    ks_cert *cert;
    size_t index;
    const ks_item *item;
    size_t section; /* of the certification, that draws the item */
    problem *problems;
    size_t n, cap;
    char *unsolved; /* why no full-marks response exists, for the note */
    unsigned ran;   /* seeds exercised: a limit stops an item's seeds */
    int lost;       /* a problem could not be kept: out of memory */
    /* the trial forms exercised so far and what came of each (PASSED or an
     * index into problems): each hook call starts from a fresh state, so
     * another seed that draws the same form would find the same */
    char **forms;
    long *outcomes;
    size_t nforms;
} item_run;

enum { PASSED = -1, UNSEEN = -2 };

/* ---- reading a failure's message ------------------------------------------ */

/* The length of "FILE:LINE" at the start of s when ": " follows it, else 0. */
static size_t place_length(const char *s)
{
    size_t n = strcspn(s, " :");
    if (n == 0 || s[n] != ':')
        return 0;
    size_t digits = strspn(s + n + 1, "0123456789");
    return digits && strncmp(s + n + 1 + digits, ": ", 2) == 0 ? n + 1 + digits : 0;
}

/* The length of "HOOK of question N (item 'ID', type 'T'): " at the start of
 * s (as the cert layer names the hook whose result it cannot use), with the
 * hook's length in *hook; else 0. */
static size_t named_hook_length(const char *s, size_t *hook)
{
    const char *of = strstr(s, " of question ");
    const char *end = of ? strstr(of, "'): ") : NULL;
    if (!end || memchr(s, ':', (size_t)(of - s)) || !strstr(of, " (item '"))
        return 0;
    *hook = (size_t)(of - s);
    return (size_t)(end - s) + 4;
}

/* Fills f from a failure of the cert layer: "WHAT failed: " dropped (WHAT
 * into what), then the place, then the hook when the message names it (else
 * default_hook), then what is left as the text. */
static int from_error(finding *f, const ks_error *err, const char *default_hook, char *what,
                      size_t what_cap)
{
    memset(f, 0, sizeof *f);
    const char *s = err->message, *failed = strstr(s, " failed: ");
    if (failed && !memchr(s, ':', (size_t)(failed - s))) {
        snprintf(what, what_cap, "%.*s", (int)(failed - s), s);
        s = failed + strlen(" failed: ");
    }
    size_t n = place_length(s), hook = 0;
    snprintf(f->place, sizeof f->place, "%.*s", (int)n, s);
    s += n ? n + 2 : 0;
    if ((n = named_hook_length(s, &hook)))
        snprintf(f->hook, sizeof f->hook, "%.*s", (int)hook, s);
    else
        snprintf(f->hook, sizeof f->hook, "%s", default_hook);
    s += n;
    /* a generator's own complaint starts "generator 'cv' (item 'ID'): " */
    size_t h = strlen(f->hook);
    const char *own = strncmp(s, f->hook, h) == 0 && strncmp(s + h, " (item '", 8) == 0
                          ? strstr(s + h, "'): ") : NULL;
    snprintf(f->text, sizeof f->text, "%s", own ? own + 4 : s);
    f->internal = err->code == KS_EINTERNAL;
    return 1;
}

/* from_error for stages whose hook does not depend on WHAT. */
static int failed_in(finding *f, const ks_error *err, const char *hook)
{
    char what[64] = "";
    return from_error(f, err, hook, what, sizeof what);
}

/* Quotes a response (JSON text) in f, cut to RESPONSE_SHOWN bytes on a
 * character boundary. */
static void quote_response(finding *f, const char *response)
{
    size_t n = strlen(response);
    if (n <= RESPONSE_SHOWN) {
        snprintf(f->response, sizeof f->response, "%s", response);
        return;
    }
    n = RESPONSE_SHOWN;
    while (n > 0 && (response[n] & 0xC0) == 0x80)
        n--;
    snprintf(f->response, sizeof f->response, "%.*s…", (int)n, response);
}

static int out_of_memory(finding *f)
{
    memset(f, 0, sizeof *f);
    snprintf(f->text, sizeof f->text, "out of memory");
    f->internal = 1;
    return 1;
}

/* ---- the stages of one seed -------------------------------------------------- */

/* The hook a failing trial form blames: the generator a calculated item
 * names, else prepare(); present() when presenting it failed. */
static int trial_failed(const item_run *r, const ks_error *err, finding *f)
{
    char what[64] = "";
    const ks_node *g = ks_node_get(r->item->node, "generator");
    char hook[160] = "prepare()";
    if (strcmp(r->item->type, "calculated") == 0 && g && g->kind == KS_NODE_SCALAR)
        snprintf(hook, sizeof hook, "generator '%s'", g->text);
    from_error(f, err, hook, what, sizeof what);
    if (strcmp(what, "present()") == 0 && strcmp(f->hook, hook) == 0)
        snprintf(f->hook, sizeof f->hook, "present()");
    return 1;
}

/* The question with its key: present() passed on the trial form, so a
 * failure here is reveal()'s. */
static int check_reveal(item_run *r, const char *form, finding *f)
{
    char *view = NULL;
    ks_error err;
    if (ks_cert_present(r->cert, form, 0, 1, &view, &err))
        return failed_in(f, &err, "reveal()");
    free(view);
    return 0;
}

/* Whether response fits the widget of the form's question; if not, f says
 * so, blaming hook (what gave the response; "" for the engine). */
static int misfits(const char *form, const char *response, const char *hook, finding *f)
{
    ks_error err;
    if (!ks_cert_check_response(form, 0, response, &err))
        return 0;
    static const char lead[] = "the answer to question 1: ";
    const char *why = strncmp(err.message, lead, sizeof lead - 1) == 0
                          ? err.message + sizeof lead - 1 : err.message;
    memset(f, 0, sizeof *f);
    snprintf(f->hook, sizeof f->hook, "%s", hook);
    quote_response(f, response);
    snprintf(f->text, sizeof f->text,
             "%s response %s does not fit the question's widget: %.1700s%s",
             *hook ? "its" : "the engine's sample", f->response, why,
             *hook ? "" : " (a bug in Kaoshi)");
    f->response[0] = '\0';
    return 1;
}

/* The responses one seed grades: the key's first when there is one, then
 * the samples. */
typedef struct responses {
    char **text;
    size_t n, cap;
    int has_key;
} responses;

static void responses_free(responses *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        free(rs->text[i]);
    free(rs->text);
}

/* Appends response (taken over); 1 with f saying so when out of memory. */
static int keep_response(responses *rs, char *response, finding *f)
{
    if (response && rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 16;
        char **grown = realloc(rs->text, cap * sizeof *grown);
        if (grown) {
            rs->text = grown;
            rs->cap = cap;
        }
    }
    if (!response || rs->n == rs->cap) {
        free(response);
        return out_of_memory(f);
    }
    rs->text[rs->n++] = response;
    return 0;
}

/* The response that earns full marks, which must fit the widget; none (a
 * type graded by a person, say) is noted once. */
static int take_key(item_run *r, const char *form, responses *rs, finding *f)
{
    char *response = NULL, *why = NULL;
    ks_error err;
    if (ks_cert_solve(r->cert, form, 0, &response, &why, &err))
        return failed_in(f, &err, "solve()");
    if (!response) {
        if (!r->unsolved)
            r->unsolved = why;
        else
            free(why);
        return 0;
    }
    if (misfits(form, response, "solve()", f)) {
        free(response);
        return 1;
    }
    rs->has_key = 1;
    return keep_response(rs, response, f);
}

/* The sample responses of the widget, each of which must fit it. */
static int take_samples(item_run *r, const char *form, unsigned seed, responses *rs,
                        finding *f)
{
    char *list = NULL;
    ks_error err;
    if (ks_cert_samples(r->cert, form, 0, seed, &list, &err))
        return failed_in(f, &err, "present()");
    json_t *samples = json_loads(list, 0, NULL), *sample;
    free(list);
    if (!samples)
        return out_of_memory(f);
    size_t i;
    int bad = 0;
    json_array_foreach(samples, i, sample) {
        char *response = json_dumps(sample, JSON_COMPACT | JSON_SORT_KEYS);
        bad = response && misfits(form, response, "", f);
        if (bad)
            free(response);
        else
            bad = keep_response(rs, response, f);
        if (bad)
            break;
    }
    json_decref(samples);
    return bad;
}

/* The section of the certification whose pool holds item i (the first),
 * else the first section. */
static size_t section_of(const ks_cert_info *info, size_t i)
{
    for (size_t s = 0; s < info->nsections; s++)
        for (size_t k = 0; k < info->sections[s].pool_size; k++)
            if (info->sections[s].pool[k] == i)
                return s;
    return 0;
}

/* The trial form to grade n responses with: its one question n times over
 * (one call of ks_cert_grade scores them all, and each call starts the
 * script afresh), in the section of the certification that draws it among
 * all of the certification's sections, so that a pass() reading the
 * result's sections finds each of them, as it does on a real form. */
static char *grading_form(const item_run *r, const char *form_json, size_t n)
{
    const ks_cert_info *info = ks_cert_info_of(r->cert);
    json_t *form = json_loads(form_json, 0, NULL);
    json_t *slot = json_deep_copy(json_array_get(json_object_get(form, "slots"), 0));
    json_t *slots = json_array(), *sections = json_array();
    json_object_set_new(slot, "section", json_integer((json_int_t)r->section + 1));
    for (size_t i = 0; slot && i < n; i++)
        json_array_append(slots, slot);
    for (size_t s = 0; s < info->nsections; s++)
        json_array_append_new(sections,
                              json_pack("{ss sf sI sI}", "title", info->sections[s].title,
                                        "points", 1.0, "first", (json_int_t)1, "count",
                                        (json_int_t)(s == r->section ? n : 0)));
    json_object_set_new(form, "slots", slots);
    json_object_set_new(form, "sections", sections);
    char *text = slot ? json_dumps(form, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(slot);
    json_decref(form);
    return text;
}

/* Grades the n responses (on a grading form of n questions): *result_json,
 * or f says why score() failed. */
static int fails_grading(item_run *r, const char *form, const char *const *response, size_t n,
                         char **result_json, finding *f)
{
    char *many = grading_form(r, form, n);
    if (!many)
        return out_of_memory(f);
    double score, max_score;
    int passed;
    ks_error err;
    ks_status rc = ks_cert_grade(r->cert, many, response, NULL, n, result_json, &score,
                                 &max_score, &passed, &err);
    free(many);
    if (!rc)
        return 0;
    failed_in(f, &err, "score()");
    if (!*f->place) /* a value score() returned, not an error it raised */
        ks_cert_hook_at(r->cert, r->item->type, "score", f->place, sizeof f->place);
    if (n == 1)
        quote_response(f, response[0]);
    return 1;
}

/* When grading them all failed: the first response score() fails on alone
 * (f already holds the failure of them all, for when none does). */
static void find_failing(item_run *r, const char *form, const responses *rs, finding *f)
{
    finding alone;
    for (size_t i = 0; i < rs->n; i++) {
        char *result = NULL;
        const char *one[1] = {rs->text[i]};
        int bad = fails_grading(r, form, one, 1, &result, &alone);
        free(result);
        if (bad) {
            *f = alone;
            return;
        }
    }
}

/* score() must take every response and give the key's full marks. */
static int check_scores(item_run *r, const char *form, const responses *rs, finding *f)
{
    if (rs->n == 0)
        return 0;
    char *result = NULL;
    int bad = fails_grading(r, form, (const char *const *)rs->text, rs->n, &result, f);
    if (bad) {
        find_failing(r, form, rs, f);
        return 1;
    }
    json_t *graded = json_loads(result, 0, NULL);
    free(result);
    /* the key's fraction; none when a person grades the question */
    json_t *key = json_object_get(json_array_get(json_object_get(graded, "items"), 0), "fraction");
    double fraction = json_number_value(key);
    if (rs->has_key && json_is_number(key) && fraction != 1) {
        memset(f, 0, sizeof *f);
        snprintf(f->hook, sizeof f->hook, "solve()");
        ks_cert_hook_at(r->cert, r->item->type, "solve", f->place, sizeof f->place);
        quote_response(f, rs->text[0]);
        snprintf(f->text, sizeof f->text, "its response %s scores %g, not full marks (1)",
                 f->response, fraction);
        f->response[0] = '\0';
        bad = 1;
    }
    json_decref(graded);
    return bad;
}

/* Exercises a trial form; 1 with f filled at the first stage that fails. */
static int exercise_form(item_run *r, const char *form, unsigned seed, finding *f)
{
    responses rs = {0};
    int bad = check_reveal(r, form, f) || take_key(r, form, &rs, f) ||
              take_samples(r, form, seed, &rs, f) || check_scores(r, form, &rs, f);
    responses_free(&rs);
    return bad;
}

/* ---- collecting and reporting ---------------------------------------------- */

/* Two findings are the same problem when the same hook failed at the same
 * place (or, without a place, with the same text). */
static int same_problem(const finding *a, const finding *b)
{
    return strcmp(a->hook, b->hook) == 0 && strcmp(a->place, b->place) == 0 &&
           (*a->place || strcmp(a->text, b->text) == 0);
}

/* Counts f against the item's problems; its index there, or UNSEEN when it
 * could not be kept. */
static long record(item_run *r, unsigned seed, const finding *f)
{
    for (size_t i = 0; i < r->n; i++) {
        if (same_problem(&r->problems[i].first, f)) {
            r->problems[i].count++;
            return (long)i;
        }
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4;
        problem *grown = realloc(r->problems, cap * sizeof *grown);
        if (!grown) {
            r->lost = 1;
            return UNSEEN;
        }
        r->problems = grown;
        r->cap = cap;
    }
    r->problems[r->n] = (problem){*f, seed, 1};
    return (long)r->n++;
}

/* What came of this form at an earlier seed, or UNSEEN. */
static long outcome_of(const item_run *r, const char *form)
{
    for (size_t i = 0; i < r->nforms; i++)
        if (strcmp(r->forms[i], form) == 0)
            return r->outcomes[i];
    return UNSEEN;
}

/* Keeps form (taken over) with its outcome; drops it when out of memory. */
static void remember(item_run *r, char *form, long outcome)
{
    char **forms = realloc(r->forms, (r->nforms + 1) * sizeof *forms);
    if (forms)
        r->forms = forms;
    long *outcomes = forms ? realloc(r->outcomes, (r->nforms + 1) * sizeof *outcomes) : NULL;
    if (!outcomes) {
        free(form);
        return;
    }
    r->outcomes = outcomes;
    r->forms[r->nforms] = form;
    r->outcomes[r->nforms++] = outcome;
}

/* One seed of the item: its trial form, exercised unless an earlier seed
 * drew the same. */
static void run_seed(item_run *r, unsigned seed)
{
    char *form = NULL;
    ks_error err;
    finding f;
    if (ks_cert_trial_form(r->cert, r->index, seed, &form, &err)) {
        trial_failed(r, &err, &f);
        record(r, seed, &f);
        return;
    }
    long outcome = outcome_of(r, form);
    if (outcome >= 0)
        r->problems[outcome].count++;
    if (outcome != UNSEEN) {
        free(form);
        return;
    }
    remember(r, form, exercise_form(r, form, seed, &f) ? record(r, seed, &f) : PASSED);
}

/* Whether a hook of the item ran into a limit (instructions, time, memory):
 * the item's other seeds would each cost the whole limit again. */
static int hit_limit(const item_run *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (strstr(r->problems[i].first.text, " limit exceeded"))
            return 1;
    return 0;
}

static void item_run_free(item_run *r)
{
    for (size_t i = 0; i < r->nforms; i++)
        free(r->forms[i]);
    free(r->forms);
    free(r->outcomes);
    free(r->problems);
    free(r->unsolved);
}

static void report_problem(const item_run *r, const problem *p, unsigned seeds,
                           ks_diags *problems)
{
    const finding *f = &p->first;
    char count[64] = "";
    if (r->ran < seeds)
        snprintf(count, sizeof count, "; seeds after %u not run: a limit was reached", r->ran);
    else if (seeds > 1)
        snprintf(count, sizeof count, "; %u of %u seeds", p->count, seeds);
    ks_diags_add(problems, "%s%s%s%sitem '%s' (seed %u%s): %s%s%s%s", f->place,
                 *f->place ? ": " : "", f->hook, *f->hook ? " of " : "", r->item->id, p->seed,
                 count, f->text, *f->response ? " (response " : "", f->response,
                 *f->response ? ")" : "");
}

/* Reports the item's problems and note; returns the status they amount to. */
static ks_status report(const item_run *r, unsigned seeds, ks_diags *problems, ks_diags *notes)
{
    ks_status rc = KS_OK;
    for (size_t i = 0; i < r->n; i++) {
        report_problem(r, &r->problems[i], seeds, problems);
        if (rc != KS_EINTERNAL)
            rc = r->problems[i].first.internal ? KS_EINTERNAL : KS_ESCRIPT;
    }
    if (r->lost) {
        ks_diags_add(problems, "item '%s': out of memory exercising it", r->item->id);
        rc = KS_EINTERNAL;
    }
    if (r->unsolved)
        ks_diags_add(notes, "item '%s' (type '%s'): score() of the key not checked: %s",
                     r->item->id, r->item->type, r->unsolved);
    return rc;
}

ks_status ks_exam_exercise(ks_cert *cert, unsigned seeds, ks_diags *problems, ks_diags *notes)
{
    ks_status status = KS_OK;
    size_t nitems = ks_cert_info_of(cert)->nitems;
    for (size_t i = 0; i < nitems; i++) {
        item_run r = {.cert = cert, .index = i, .item = ks_cert_item(cert, i),
                      .section = section_of(ks_cert_info_of(cert), i)};
        for (unsigned seed = 1; seed <= seeds && !hit_limit(&r); seed++, r.ran++)
            run_seed(&r, seed);
        ks_status rc = report(&r, seeds, problems, notes);
        if (rc > status) /* KS_EINTERNAL outranks KS_ESCRIPT */
            status = rc;
        item_run_free(&r);
    }
    /* whole forms only once every item works: a failing item fails every
     * form that draws it, and is reported above */
    return status == KS_OK ? exam_exercise_forms(cert, seeds, problems, notes) : status;
}
