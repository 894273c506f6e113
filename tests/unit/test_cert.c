/* Unit tests for a loaded certification (engine/lua/cert.c, cert_hooks.c)
 * with the example certification (scripts/demo.lua): every entry point the
 * lifecycle calls accepts err == NULL, as include/kaoshi/error.h allows, and
 * still reports a failure by its status; a save's check finds its own
 * question's shape in any form. */
#include "unit.h"

#include <stdlib.h>

#include "kaoshi/cert.h"

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

UNIT_MAIN(T(entry_points_work_without_err), T(entry_points_fail_without_err),
          T(each_answer_is_checked_against_its_own_question))
