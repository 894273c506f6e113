/* Unit tests for engine/error.c. */
#include "unit.h"

#include "kaoshi/error.h"

static void sets_code_and_message(void)
{
    ks_error e;
    CHECK_INT(ks_error_set(&e, KS_EINPUT, "bad %s at %d", "field", 3), KS_EINPUT);
    CHECK_INT(e.code, KS_EINPUT);
    CHECK_STR(e.message, "bad field at 3");
    ks_error_clear(&e);
    CHECK_INT(e.code, KS_OK);
    CHECK_STR(e.message, "");
}

static void null_error_is_allowed(void)
{
    CHECK_INT(ks_error_set(NULL, KS_EIO, "x"), KS_EIO);
    CHECK_STR(ks_status_name(KS_ESCRIPT), "script");
}

UNIT_MAIN(T(sets_code_and_message), T(null_error_is_allowed))
