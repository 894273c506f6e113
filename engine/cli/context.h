/* What most kaoshi commands share: the common options (--db, --root, --json),
 * the clock (the system's, or KAOSHI_NOW for tests), the open store and the
 * lifecycle context. */
#ifndef KAOSHI_CLI_CONTEXT_H
#define KAOSHI_CLI_CONTEXT_H

#include "kaoshi/exam.h"

typedef struct cli_ctx {
    const char *cmd;     /* "sitting create", for messages */
    const char *db_path; /* --db, else $KAOSHI_DB, else kaoshi.db */
    const char *root;    /* --root, else . */
    int json;            /* --json */
    ks_clock clock;
    ks_store *store;
    ks_exam exam;
} cli_ctx;

/* Parses the options of a command: the common ones plus `extra` (NULL or a
 * getopt_long table ending in a zeroed entry, each with a flag pointer of
 * NULL and a distinct val), calling on_extra(val, optarg, ud) for those; an
 * option whose val is an ASCII letter may also be given as -LETTER.
 * Positional arguments are left in argv[*first .. argc). Returns CLI_OK or an
 * exit code (usage error already printed). */
struct option;
int cli_ctx_parse(cli_ctx *c, const char *cmd, int argc, char **argv,
                  const struct option *extra, int (*on_extra)(int val, const char *arg, void *ud),
                  void *ud, int *first);

/* Opens the store; returns CLI_OK or prints the error and returns its code. */
int cli_ctx_open(cli_ctx *c);
void cli_ctx_close(cli_ctx *c);

/* Prints a time in the sitting's zone. */
const char *cli_time(const ks_sitting *s, int64_t ms, char buf[KS_TIME_BUF]);

#endif
