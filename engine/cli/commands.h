/* Entry points of the kaoshi commands, one per cmd_*.c file. */
#ifndef KAOSHI_CLI_COMMANDS_H
#define KAOSHI_CLI_COMMANDS_H

#define KAOSHI_VERSION "0.1.0"

#endif
