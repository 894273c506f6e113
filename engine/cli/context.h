/* What most kaoshi commands share: the common options (--db, --root, --json,
 * --now), the clock (the system's, or a fixed one set by --now or KAOSHI_NOW
 * to rehearse a sitting), the open store, the lifecycle context and JSON
 * output. */
#ifndef KAOSHI_CLI_CONTEXT_H
#define KAOSHI_CLI_CONTEXT_H

#include <jansson.h>

#include "kaoshi/exam.h"

typedef struct cli_ctx {
    const char *cmd;     /* "sitting create", for messages */
    const char *db_path; /* --db, else $KAOSHI_DB, else kaoshi.db */
    const char *root;    /* --root, else . */
    int json;            /* --json */
    ks_clock clock;      /* fixed at --now, else $KAOSHI_NOW, else the system's */
    ks_store *store;
    ks_exam exam;
    char actor[80]; /* exam.actor after cli_ctx_act_as */
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

/* 'kaoshi CMD SITTING' without options of its own: parses, opens the store
 * and loads the sitting into *s (free it with ks_sitting_free). Returns
 * CLI_OK, or an exit code once it has said why (the store closed again). */
int cli_ctx_open_sitting(cli_ctx *c, const char *cmd, int argc, char **argv, ks_sitting *s);

/* cli_ctx_parse for 'kaoshi CMD SITTING': the one positional argument, the
 * sitting's name, in *name (a usage error otherwise). */
int cli_ctx_parse_sitting(cli_ctx *c, const char *cmd, int argc, char **argv,
                          const struct option *extra,
                          int (*on_extra)(int val, const char *arg, void *ud), void *ud,
                          const char **name);

/* Opens the store; returns CLI_OK or prints the error and returns its code. */
int cli_ctx_open(cli_ctx *c);
void cli_ctx_close(cli_ctx *c);

/* After cli_ctx_open, for --as NAME: acts as proctor account as, which must
 * exist (the audit log's actor "proctor:NAME"); with as NULL the actor stays
 * "cli". Returns CLI_OK, or prints the error and returns its code. */
int cli_ctx_act_as(cli_ctx *c, const char *as);

/* Prints v as json_dumps(v, flags) would, every real as the shortest text
 * that reads back as the same double (kaoshi/json_text.h), and a newline; returns
 * CLI_OK, or CLI_INTERNAL after saying so when it cannot. */
int cli_print_json(const json_t *v, size_t flags);

/* Prints a time in the sitting's zone. */
const char *cli_time(const ks_sitting *s, int64_t ms, char buf[KS_TIME_BUF]);

#endif
