/* Entry points of the kaoshi commands, one per cmd_*.c file. */
#ifndef KAOSHI_CLI_COMMANDS_H
#define KAOSHI_CLI_COMMANDS_H

#include "kaoshi/sign.h"

#define KAOSHI_VERSION "0.1.0"

int cmd_check(int argc, char **argv);
int cmd_preview(int argc, char **argv);
int cmd_sitting(int argc, char **argv);
int cmd_enroll(int argc, char **argv);
int cmd_accommodate(int argc, char **argv);
int cmd_attempt(int argc, char **argv);
int cmd_grade(int argc, char **argv);
int cmd_results(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_mark(int argc, char **argv);
int cmd_marking(int argc, char **argv);
int cmd_coverage(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_proctor(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_keys(int argc, char **argv);
/* The signing key's path unless --key says otherwise: $KAOSHI_KEY, else
 * ./kaoshi.key. */
const char *cmd_keys_default_path(void);
/* The public key that verifies certificates: public_text (base64, as 'keys
 * show' prints it) when not NULL, else the public part of the key file at
 * key_path. Returns CLI_OK or prints the error and returns its exit code. */
int cmd_keys_public(const char *key_path, const char *public_text,
                    unsigned char pk[KS_SIGN_PUBLIC_BYTES]);
int cmd_certificate(int argc, char **argv);

int cmd_stats(int argc, char **argv);
#define CMD_STATS_USAGE \
    "usage: kaoshi stats NAME < INPUTS.json\n" \
    "       kaoshi stats --list\n\n" \
    "Computes one statistic of the syllabus (coefficient of variation, control\n" \
    "limits and rules, correlation, t-tests, forecasts, Erlang C, sample size,\n" \
    "item analysis). Reads one JSON object of named inputs on stdin and writes\n" \
    "one JSON object of named outputs on stdout, e.g.\n" \
    "  echo '{\"x\":[1,2,3]}' | kaoshi stats cv\n" \
    "  {\"n\":3,\"mean\":2.0,\"sd\":1.0,\"cv\":0.5,\"cv_percent\":50.0}\n" \
    "NaN and infinity are written as \"nan\", \"inf\" and \"-inf\".\n\n" \
    "  --list   print the function names, one per line\n\n" \
    "Exit status: 0 done; 1 the inputs break the function's contract (stdout\n" \
    "holds {\"error\":\"E_...\",\"message\":\"...\"}); 2 unknown function,\n" \
    "malformed JSON, or unknown, missing or mistyped inputs; 3 out of memory.\n"

#endif
