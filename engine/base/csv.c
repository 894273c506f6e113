/* CSV field output: see include/kaoshi/csv.h. Depends on the C library only. */
#include "kaoshi/csv.h"

#include <string.h>

void ks_csv_field(FILE *out, const char *text, char sep)
{
    if (strpbrk(text, ",\"\r\n")) {
        fputc('"', out);
        for (const char *p = text; *p; p++) {
            if (*p == '"')
                fputc('"', out);
            fputc(*p, out);
        }
        fputc('"', out);
    } else {
        fputs(text, out);
    }
    fputc(sep, out);
}
