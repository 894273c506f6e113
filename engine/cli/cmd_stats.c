/* kaoshi stats NAME: runs one statistics function on a JSON object of named
 * inputs read from stdin and prints its named outputs as one JSON line
 * (see CMD_STATS_USAGE in cli/commands.h). A thin shell over
 * kaoshi/stats_json.h. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "kaoshi/stats_json.h"

static int is_function(const char *name)
{
    const char *known;
    for (size_t i = 0; (known = ks_stats_json_name(i)); i++)
        if (strcmp(known, name) == 0)
            return 1;
    return 0;
}

int cmd_stats(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        const char *name;
        for (size_t i = 0; (name = ks_stats_json_name(i)); i++)
            puts(name);
        return CLI_OK;
    }
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage_error("stats", "expected one function name or --list");
    const char *name = argv[1];
    if (!is_function(name)) {
        fprintf(stderr, "kaoshi stats: unknown function '%s'; 'kaoshi stats --list' lists them\n",
                name);
        return CLI_USAGE;
    }

    json_error_t jerr;
    json_t *input = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
    if (!input) {
        fprintf(stderr, "kaoshi stats: stdin is not a JSON object: %s (line %d, column %d)\n",
                jerr.text, jerr.line, jerr.column);
        return CLI_USAGE;
    }
    json_t *output;
    ks_stat_status stat;
    ks_error err;
    ks_status rc = ks_stats_json_call(name, input, &output, &stat, &err);
    json_decref(input);
    if (rc == KS_EINPUT) {
        fprintf(stderr, "kaoshi stats: %s\n", err.message);
        return CLI_USAGE;
    }
    if (rc != KS_OK)
        return cli_fail(&err);

    char *text = json_dumps(output, JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_decref(output);
    if (!text) {
        ks_error_set(&err, KS_EINTERNAL, "stats: out of memory");
        return cli_fail(&err);
    }
    puts(text);
    free(text);
    return stat == KS_STAT_OK ? CLI_OK : CLI_FAILED;
}
