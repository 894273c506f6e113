/* Exercising what a certification does with whole forms rather than one
 * item: drawing a form on each seed (its sections' picks, groups, shared
 * items), and the pass rule on each drawn form with every question scored
 * alike (none, some, all of its points), so that a form that cannot be drawn
 * or a pass() that fails shows in `kaoshi check` and stops `sitting open`
 * rather than at a candidate's start or at grading, and a form the pools
 * cannot balance shows as a warning. See exam/exam_impl.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaoshi/coverage.h"

#include "exam/exam_impl.h"

/* The scores every question of a form is given, as fractions of its points. */
static const double uniform_scores[] = {0, 0.25, 0.5, 0.7, 1};
#define NSCORES (sizeof uniform_scores / sizeof uniform_scores[0])

/* A distinct failure: its message, the first seed and how many it hit. */
typedef struct failure {
    char text[sizeof ((ks_error *)0)->message];
    unsigned seed, count;
    double score; /* the uniform score a pass() failure came with; -1 for a draw */
} failure;

#define KEPT 8 /* distinct failures reported; more are only counted */

typedef struct failures {
    failure list[KEPT];
    size_t n;
    unsigned others; /* seeds whose failure was not kept */
} failures;

static void note(failures *f, const ks_error *err, unsigned seed, double score)
{
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->list[i].text, err->message) == 0) {
            f->list[i].count++;
            return;
        }
    }
    if (f->n == KEPT) {
        f->others++;
        return;
    }
    failure *into = &f->list[f->n++];
    snprintf(into->text, sizeof into->text, "%s", err->message);
    into->seed = seed;
    into->count = 1;
    into->score = score;
}

/* One line per kept failure, then how many seeds failed otherwise. */
static void report(const failures *f, const char *at, unsigned seeds, ks_diags *problems)
{
    for (size_t i = 0; i < f->n; i++) {
        const failure *x = &f->list[i];
        if (x->score < 0)
            ks_diags_add(problems, "%s: seed %u (%u of %u seeds): %s", at, x->seed, x->count,
                         seeds, x->text);
        else
            ks_diags_add(problems, "%s: seed %u (%u of %u seeds), every question scored %g%%: "
                         "%s", at, x->seed, x->count, seeds, 100 * x->score, x->text);
    }
    if (f->others)
        ks_diags_add(problems, "%s: %u more seeds fail otherwise", at, f->others);
}

/* Grades form (n questions) with every question scored `score`; the pass
 * rule runs unless a section minimum already fails. */
static ks_status grade_uniformly(ks_cert *cert, const char *form, size_t n, double score,
                                 ks_error *err)
{
    const char **responses = calloc(n + 1, sizeof *responses);
    double *marks = malloc((n + 1) * sizeof *marks);
    ks_status rc = KS_OK;
    if (!responses || !marks) {
        rc = ks_error_set(err, KS_EINTERNAL, "out of memory");
    } else {
        for (size_t i = 0; i < n; i++)
            marks[i] = score;
        char *result = NULL;
        double total, max;
        int passed;
        rc = ks_cert_grade(cert, form, responses, marks, n, &result, &total, &max, &passed,
                           err);
        free(result);
    }
    free(marks);
    free(responses);
    return rc;
}

/* The questions a form holds, or 0 with err set. */
static size_t form_size(const char *form, ks_error *err)
{
    char **ids = NULL;
    size_t n = 0;
    if (ks_cert_form_ids(form, &ids, &n, err))
        return 0;
    ks_cert_free_ids(ids, n);
    return n;
}

/* A note when forms of the seeds lie outside the declared balance. */
static void note_balance(const ks_cert *cert, unsigned seeds, unsigned outside, unsigned first,
                         ks_diags *notes)
{
    const ks_cert_info *in = ks_cert_info_of(cert);
    if (outside)
        ks_diags_add(notes, "%s: seed %u (%u of %u seeds): the form lies outside the balance "
                     "the certification declares; the pools lack items to bring it within "
                     "(kaoshi coverage %s --forms 200 --angoff shows each form)",
                     ks_cert_script(cert), first, outside, seeds, in->code);
}

ks_status exam_exercise_forms(ks_cert *cert, unsigned seeds, ks_diags *problems,
                              ks_diags *notes)
{
    failures draws = {0}, rules = {0};
    unsigned off_balance = 0, first_off = 0;
    ks_status status = KS_OK;
    for (unsigned seed = 1; seed <= seeds && status != KS_EINTERNAL; seed++) {
        char *form = NULL;
        ks_error err = {0};
        size_t n = 0;
        if (ks_cert_build_form(cert, seed, NULL, 0, &form, &err) ||
            (n = form_size(form, &err)) == 0) {
            if (err.code == KS_EINTERNAL)
                status = KS_EINTERNAL;
            note(&draws, &err, seed, -1);
        }
        ks_coverage_form measured;
        if (form && n && ks_coverage_measure(cert, form, &measured, &err) == KS_OK &&
            !ks_coverage_balanced(ks_cert_info_of(cert), &measured) && !off_balance++)
            first_off = seed;
        for (size_t k = 0; form && n && k < NSCORES && status != KS_EINTERNAL; k++) {
            if (grade_uniformly(cert, form, n, uniform_scores[k], &err) == KS_OK)
                continue;
            if (err.code == KS_EINTERNAL)
                status = KS_EINTERNAL;
            note(&rules, &err, seed, uniform_scores[k]);
            break; /* one failure a seed */
        }
        free(form);
    }
    char at[512];
    if (!ks_cert_pass_at(cert, at, sizeof at))
        snprintf(at, sizeof at, "%s", ks_cert_script(cert));
    report(&draws, ks_cert_script(cert), seeds, problems);
    report(&rules, at, seeds, problems);
    note_balance(cert, seeds, off_balance, first_off, notes);
    if (status == KS_OK && draws.n + rules.n > 0)
        status = KS_ESCRIPT;
    return status;
}
