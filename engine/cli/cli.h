/* The kaoshi command-line front end: the table of commands and the helpers
 * every command shares. Exit codes (documented by each command's --help and
 * in README.md):
 *   0 success, 1 the request was understood but refused or failed (bad bank,
 *   closed sitting, deadline passed, ...), 2 usage error, 3 internal error. */
#ifndef KAOSHI_CLI_H
#define KAOSHI_CLI_H

#include "kaoshi/error.h"

#include <stddef.h>

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2, CLI_INTERNAL = 3 };

typedef struct cli_command {
    const char *name;
    const char *summary;
    const char *usage; /* full --help text */
    int (*run)(int argc, char **argv);
} cli_command;

/* The command table, terminated by a zeroed entry. */
extern const cli_command cli_commands[];

/* Prints "kaoshi: MESSAGE" to stderr and returns the exit code for e. */
int cli_fail(const ks_error *e);

/* Prints "kaoshi CMD: MESSAGE\nTry 'kaoshi CMD --help'." and returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* True when argv holds --help or -h; then the usage has been printed. */
int cli_wants_help(const cli_command *cmd, int argc, char **argv);

/* The width of UTF-8 text in terminal columns (a Chinese character takes two). */
size_t cli_columns(const char *text);

/* Prints text to stdout padded with spaces to width columns (never cut). */
void cli_print_padded(const char *text, size_t width);

#endif
