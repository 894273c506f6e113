/* kaoshi: entry point; finds the command in cli_commands and runs it. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void print_overview(FILE *out)
{
    fputs("usage: kaoshi COMMAND [ARGS...]\n\n"
          "Kaoshi runs scripted, timed exams. Commands:\n", out);
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(out, "  %-12s %s\n", c->name, c->summary);
    fputs("\nOptions every command except stats and version takes:\n"
          "  --db FILE     the database (default: $KAOSHI_DB, else ./kaoshi.db)\n"
          "  --root DIR    the project holding scripts/ and banks/ (default: .)\n"
          "  --json        machine-readable output where the command has it\n"
          "  --now TIME    run on a clock fixed at TIME, to rehearse a sitting's window,\n"
          "                deadlines and retake waits: ISO 8601 with its zone, e.g.\n"
          "                2027-07-18T09:05+08:00, or milliseconds since 1970 (default:\n"
          "                $KAOSHI_NOW, same formats; else the system's clock). See\n"
          "                scripts/SCRIPTING.md, \"Rehearsing a sitting with a fixed clock\".\n"
          "\n'kaoshi COMMAND --help' describes one command.\n", out);
}

int cli_fail(const ks_error *e)
{
    fprintf(stderr, "kaoshi: %s\n", e->message);
    return e->code == KS_EINTERNAL ? CLI_INTERNAL : CLI_FAILED;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "kaoshi %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'kaoshi %s --help'.\n", cmd);
    va_end(ap);
    return CLI_USAGE;
}

int cli_wants_help(const cli_command *cmd, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(cmd->usage, stdout);
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_overview(stdout);
        return CLI_OK;
    }
    for (const cli_command *c = cli_commands; c->name; c++) {
        if (strcmp(c->name, argv[1]) == 0) {
            if (cli_wants_help(c, argc - 1, argv + 1))
                return CLI_OK;
            return c->run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "kaoshi: unknown command '%s'\nTry 'kaoshi --help'.\n", argv[1]);
    return CLI_USAGE;
}
