/* The free text people write into the record (incident notes, markers'
 * comments, reasons): checked where it enters, so that the audit log's JSON,
 * the API and the pages can always carry it. See exam/exam_impl.h. */
#include <jansson.h>
#include <string.h>

#include "exam/exam_impl.h"

int exam_is_utf8(const char *text)
{
    json_t *check = json_string(text); /* NULL when text is not valid UTF-8 */
    json_decref(check);
    return check != NULL;
}

ks_status exam_text_check(const char *what, const char *text, int required, ks_error *err)
{
    size_t len = strlen(text);
    if ((required && len == 0) || len > KS_EXAM_MAX_NOTE || !exam_is_utf8(text))
        return required ? ks_error_set(err, KS_EINPUT, "%s must be 1 to %d bytes of UTF-8 text",
                                       what, KS_EXAM_MAX_NOTE)
                        : ks_error_set(err, KS_EINPUT, "%s must be at most %d bytes of UTF-8 "
                                       "text", what, KS_EXAM_MAX_NOTE);
    return KS_OK;
}
