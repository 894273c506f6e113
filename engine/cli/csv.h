/* CSV output for the CLI: fields quoted as RFC 4180 asks when they need it. */
#ifndef KAOSHI_CLI_CSV_H
#define KAOSHI_CLI_CSV_H

#include <stdio.h>

/* Writes text as one CSV field followed by sep ('\n' ends a row). */
void cli_csv_field(FILE *out, const char *text, char sep);

#endif
