/* kaoshi enroll SITTING FILE.csv: enrolls the candidates listed in a CSV file
 * (number,name; a header line "number,name" is optional, and the header
 * "number,name,extra_time" adds a column of accommodations) all or none, and
 * prints number,name,access_code[,extra_time] for each: the codes are shown
 * only once. kaoshi accommodate SITTING CANDIDATE EXTRA_TIME changes one
 * candidate's accommodation afterwards. */
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
    ks_accommodation *times; /* each candidate's; NULL without an extra_time column */
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
    free(r->times);
    free(r->lines);
}

/* Splits one CSV line into up to max fields (RFC 4180 quoting). Returns the
 * field count (max + 1 when there are more), or -1 for a malformed quote.
 * Fields point into line, each where it starts in it. */
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

/* The columns a header line names: 2 for "number,name", 3 for
 * "number,name,extra_time"; 0 when the line is no header. */
static int header_columns(char **fields, int nf)
{
    if (nf < 2 || nf > 3 || strcmp(trim(fields[0]), "number") != 0 ||
        strcmp(trim(fields[1]), "name") != 0)
        return 0;
    return nf == 2 || strcmp(trim(fields[2]), "extra_time") == 0 ? nf : 0;
}

/* The column of s within line, in characters from 1. */
static int column_of(const char *line, const char *s)
{
    int column = 1;
    for (const char *p = line; p < s; p++)
        column += ((unsigned char)*p & 0xC0) != 0x80;
    return column;
}

/* Makes room for one more candidate; -1 when out of memory. */
static int roster_grow(roster *r)
{
    if (r->n < r->cap)
        return 0;
    r->cap = r->cap ? r->cap * 2 : 64;
    r->list = realloc(r->list, r->cap * sizeof *r->list);
    r->lines = realloc(r->lines, r->cap * sizeof *r->lines);
    r->owned = realloc(r->owned, r->cap * sizeof *r->owned);
    if (r->times)
        r->times = realloc(r->times, r->cap * sizeof *r->times);
    return r->list && r->lines && r->owned ? 0 : -1;
}

/* Reads line lineno (copy, which r takes over unless it is refused) into r
 * as a candidate of a file of `columns` columns. */
static int roster_add(const char *path, int lineno, int columns, char *copy, char **fields,
                      roster *r)
{
    char *number = trim(fields[0]), *name = trim(fields[1]);
    if (r->n == MAX_CANDIDATES) {
        fprintf(stderr, "kaoshi: %s:%d: more than %d candidates in one file\n", path, lineno,
                MAX_CANDIDATES);
        return CLI_FAILED;
    }
    if (roster_grow(r) != 0 || (columns == 3 && !r->times)) {
        fprintf(stderr, "kaoshi: out of memory\n");
        return CLI_INTERNAL;
    }
    ks_error why;
    char *cell = columns == 3 ? trim(fields[2]) : NULL;
    if (cell && ks_exam_accommodation_parse(cell, &r->times[r->n], &why)) {
        fprintf(stderr, "kaoshi: %s:%d:%d: extra_time: %s\n", path, lineno,
                column_of(copy, cell), why.message);
        return CLI_FAILED;
    }
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->list[i].number, number) == 0) {
            fprintf(stderr, "kaoshi: %s:%d: candidate %s is listed twice (first at line %d)\n",
                    path, lineno, number, r->lines[i]);
            return CLI_FAILED;
        }
    }
    r->owned[r->nowned++] = copy;
    r->list[r->n] = (ks_enrollee){number, name};
    r->lines[r->n++] = lineno;
    return CLI_OK;
}

static int read_roster(const char *path, roster *r)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "kaoshi: %s: cannot read: %s\n", path, strerror(errno));
        return CLI_FAILED;
    }
    static const char *const counts[] = {"none", "one", "two", "three"};
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0, columns = 2, rc = CLI_OK;
    while (rc == CLI_OK && getline(&line, &cap, f) != -1) {
        lineno++;
        char *fields[3];
        /* a spreadsheet's UTF-8 byte order mark is no part of the first field */
        int bom = lineno == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0;
        char *copy = strdup(line + (bom ? 3 : 0));
        int nf = copy ? split_csv(trim(copy), fields, 3) : -1;
        if (nf == 1 && !*trim(fields[0])) {
            free(copy);
            continue; /* blank line */
        }
        if (lineno == 1 && header_columns(fields, nf)) {
            columns = nf;
            if (columns == 3) /* roster_add says so when this fails */
                r->times = malloc(sizeof *r->times);
            free(copy);
            continue;
        }
        if (nf != columns) {
            fprintf(stderr, "kaoshi: %s:%d: expected %s fields, %s; found %s%s\n", path, lineno,
                    counts[columns], columns == 2 ? "number,name" : "number,name,extra_time",
                    nf < 0 ? "an unterminated quote" : nf < columns ? counts[nf] : "more",
                    columns == 2 && nf == 3 ? " (a column of extra time needs the header line "
                                              "number,name,extra_time)"
                                            : "");
            rc = CLI_FAILED;
        } else {
            rc = roster_add(path, lineno, columns, copy, fields, r);
        }
        if (rc != CLI_OK)
            free(copy);
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
    } else if (ks_exam_enroll_with(&c.exam, argv[first], r.list, r.times, r.n, codes, &bad,
                                   &err)) {
        if (bad < r.n)
            fprintf(stderr, "kaoshi: %s:%d: %s; nobody was enrolled\n", argv[first + 1],
                    r.lines[bad], err.message);
        else
            fprintf(stderr, "kaoshi: %s\n", err.message);
        rc = err.code == KS_EINTERNAL ? CLI_INTERNAL : CLI_FAILED;
    } else {
        size_t accommodated = 0;
        puts(r.times ? "number,name,access_code,extra_time" : "number,name,access_code");
        for (size_t i = 0; i < r.n; i++) {
            ks_csv_field(stdout, r.list[i].number, ',');
            ks_csv_field(stdout, r.list[i].name, ',');
            ks_csv_field(stdout, codes[i], r.times ? ',' : '\n');
            if (r.times) {
                char buf[KS_ACCOMMODATION_BUF];
                const char *text = ks_exam_accommodation_text(&r.times[i], buf);
                int none = strcmp(text, "none") == 0;
                ks_csv_field(stdout, none ? "" : text, '\n');
                accommodated += !none;
            }
        }
        fprintf(stderr, "enrolled %zu candidate%s in %s", r.n, r.n == 1 ? "" : "s", argv[first]);
        if (r.times)
            fprintf(stderr, " (%zu with extra time)", accommodated);
        fprintf(stderr, "; keep the access codes: they are not stored and cannot be shown "
                "again\n");
    }
    free(codes);
    roster_free(&r);
    cli_ctx_close(&c);
    return rc;
}

int cmd_accommodate(int argc, char **argv)
{
    cli_ctx c;
    int first, rc = cli_ctx_parse(&c, "accommodate", argc, argv, NULL, NULL, NULL, &first);
    if (rc)
        return rc;
    if (argc - first != 3)
        return cli_usage_error("accommodate", "expected SITTING CANDIDATE EXTRA_TIME");
    const char *sitting = argv[first], *number = argv[first + 1];
    ks_accommodation time, before;
    ks_error err;
    if (ks_exam_accommodation_parse(argv[first + 2], &time, &err))
        return cli_usage_error("accommodate", "EXTRA_TIME: %s", err.message);
    if ((rc = cli_ctx_open(&c)))
        return rc;
    if (ks_exam_accommodate(&c.exam, sitting, number, &time, &before, &err)) {
        rc = cli_fail(&err);
    } else {
        char now[KS_ACCOMMODATION_BUF], was[KS_ACCOMMODATION_BUF];
        printf("extra time of %s in %s: %s (was %s); attempts started from now on get it\n",
               number, sitting, ks_exam_accommodation_text(&time, now),
               ks_exam_accommodation_text(&before, was));
    }
    cli_ctx_close(&c);
    return rc;
}
