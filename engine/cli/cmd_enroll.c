/* kaoshi enroll SITTING FILE.csv: enrolls the candidates listed in a CSV file
 * (number,name; a header line "number,name" is optional) all or none, and
 * prints number,name,access_code for each: the codes are shown only once. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "kaoshi/csv.h"

#define MAX_CANDIDATES 100000

typedef struct roster {
    ks_enrollee *list;
    int *lines;
    char **owned;
    size_t n, cap, nowned;
} roster;

static void roster_free(roster *r)
{
    for (size_t i = 0; i < r->nowned; i++)
        free(r->owned[i]);
    free(r->owned);
    free(r->list);
    free(r->lines);
}

/* Splits one CSV line into up to 3 fields (RFC 4180 quoting). Returns the
 * field count, or -1 for a malformed quote. Fields point into line. */
static int split_csv(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max)
            return max + 1;
        char *out = p;
        fields[n++] = out;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p)
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *out++ = *p++;
                }
            }
            if (*p && *p != ',')
                return -1;
        } else {
            while (*p && *p != ',')
                *out++ = *p++;
        }
        if (!*p) {
            *out = '\0';
            return n;
        }
        *out = '\0';
        p++;
    }
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

static int read_roster(const char *path, roster *r)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "kaoshi: %s: cannot read: %s\n", path, strerror(errno));
        return CLI_FAILED;
    }
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0, rc = CLI_OK;
    while (rc == CLI_OK && getline(&line, &cap, f) != -1) {
        lineno++;
        char *fields[3];
        char *copy = strdup(line);
        int nf = copy ? split_csv(trim(copy), fields, 2) : -1;
        if (nf == 1 && !*trim(fields[0])) {
            free(copy);
            continue; /* blank line */
        }
        if (nf != 2) {
            fprintf(stderr, "kaoshi: %s:%d: expected two fields, number,name; found %s\n",
                    path, lineno, nf < 0 ? "an unterminated quote" : nf < 2 ? "one" : "more");
            free(copy);
            rc = CLI_FAILED;
            break;
        }
        char *number = trim(fields[0]), *name = trim(fields[1]);
        if (r->n == 0 && lineno == 1 && strcmp(number, "number") == 0 &&
            strcmp(name, "name") == 0) {
            free(copy);
            continue;
        }
        if (r->n == MAX_CANDIDATES) {
            fprintf(stderr, "kaoshi: %s:%d: more than %d candidates in one file\n", path,
                    lineno, MAX_CANDIDATES);
            free(copy);
            rc = CLI_FAILED;
            break;
        }
        if (r->n == r->cap) {
            r->cap = r->cap ? r->cap * 2 : 64;
            r->list = realloc(r->list, r->cap * sizeof *r->list);
            r->lines = realloc(r->lines, r->cap * sizeof *r->lines);
            r->owned = realloc(r->owned, r->cap * sizeof *r->owned);
            if (!r->list || !r->lines || !r->owned) {
                fprintf(stderr, "kaoshi: out of memory\n");
                free(copy);
                rc = CLI_INTERNAL;
                break;
            }
        }
        for (size_t i = 0; i < r->n; i++) {
            if (strcmp(r->list[i].number, number) == 0) {
                fprintf(stderr, "kaoshi: %s:%d: candidate %s is listed twice (first at line %d)\n",
                        path, lineno, number, r->lines[i]);
                rc = CLI_FAILED;
            }
        }
        r->owned[r->nowned++] = copy;
        r->list[r->n] = (ks_enrollee){number, name};
        r->lines[r->n++] = lineno;
    }
    free(line);
    fclose(f);
    if (rc == CLI_OK && r->n == 0) {
        fprintf(stderr, "kaoshi: %s: no candidates listed\n", path);
        rc = CLI_FAILED;
    }
    return rc;
}

int cmd_enroll(int argc, char **argv)
{
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, "enroll", argc, argv, NULL, NULL, NULL, &first);
    if (rc)
        return rc;
    if (argc - first != 2)
        return cli_usage_error("enroll", "expected a sitting name and a CSV file");
    roster r = {0};
    if ((rc = read_roster(argv[first + 1], &r)) || (rc = cli_ctx_open(&c))) {
        roster_free(&r);
        return rc;
    }
    char (*codes)[KS_ACCESS_CODE_LEN + 1] = calloc(r.n, sizeof *codes);
    ks_error err;
    size_t bad;
    if (!codes) {
        fprintf(stderr, "kaoshi: out of memory\n");
        rc = CLI_INTERNAL;
    } else if (ks_exam_enroll(&c.exam, argv[first], r.list, r.n, codes, &bad, &err)) {
        if (bad < r.n)
            fprintf(stderr, "kaoshi: %s:%d: %s; nobody was enrolled\n", argv[first + 1],
                    r.lines[bad], err.message);
        else
            fprintf(stderr, "kaoshi: %s\n", err.message);
        rc = err.code == KS_EINTERNAL ? CLI_INTERNAL : CLI_FAILED;
    } else {
        puts("number,name,access_code");
        for (size_t i = 0; i < r.n; i++)
        {
            ks_csv_field(stdout, r.list[i].number, ',');
            ks_csv_field(stdout, r.list[i].name, ',');
            ks_csv_field(stdout, codes[i], '\n');
        }
        fprintf(stderr, "enrolled %zu candidates in %s; keep the access codes: they are not "
                "stored and cannot be shown again\n", r.n, argv[first]);
    }
    free(codes);
    roster_free(&r);
    cli_ctx_close(&c);
    return rc;
}
