/* The table of kaoshi commands: one entry per command, each implemented in
 * its own cmd_*.c file. */
#include "cli/cli.h"
#include "cli/commands.h"

#include <stdio.h>

static int run_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    puts("kaoshi " KAOSHI_VERSION);
    return CLI_OK;
}

const cli_command cli_commands[] = {
    {"version", "print the version", "usage: kaoshi version\n", run_version},
    {0, 0, 0, 0},
};
