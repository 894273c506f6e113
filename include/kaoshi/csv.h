/* CSV output shared by the core's reports and the command line: one field
 * at a time, quoted as RFC 4180 asks when it needs it. Depends on the C
 * library only. */
#ifndef KAOSHI_CSV_H
#define KAOSHI_CSV_H

#include <stdio.h>

/* Writes text as one CSV field followed by sep (',' between fields, '\n' to
 * end a row). The field is quoted, with every '"' doubled, when it holds a
 * comma, a quote or a line break (CR or LF); otherwise it is written as is. */
void ks_csv_field(FILE *out, const char *text, char sep);

#endif
