/* fuzz_csv: any bytes as the roster of `kaoshi enroll SITTING FILE.csv`. The
 * reader is engine/cli/cmd_enroll.c's own (read_roster and split_csv are
 * static there), so this file compiles that source in, with its stderr
 * turned into a memory stream to see the diagnostics. Each input is written
 * to a file of this process's scratch directory and read; then:
 *   - a refused file is CLI_FAILED (or CLI_INTERNAL) with a "kaoshi: "
 *     diagnostic; an accepted one lists at least one candidate, trimmed,
 *     with unique numbers, and says nothing;
 *   - each accepted row written back with ks_csv_field (kaoshi/csv.h, what
 *     the command prints) splits into the same two fields again;
 *   - the list goes through ks_exam_enroll (without access codes, whose
 *     argon2id cost is not the point) into a draft sitting of a scratch
 *     database: it enrolls everyone, or refuses with KS_EINPUT naming the
 *     candidate at fault and enrolls nobody. Nothing else may come back.
 * The enrollments are deleted after each input. */
#include <sqlite3.h>
#include <stdio.h>

#include "fuzz_util.h"
#include "kaoshi/exam.h"

/* cmd_enroll.c's diagnostics go to this stream instead of stderr. */
static FILE *fuzz_diag;
#undef stderr
#define stderr fuzz_diag
#include "cli/cmd_enroll.c"
#undef stderr
#define stderr stderr

#include <limits.h>

/* engine/cli/main.c's helpers, which cmd_enroll() and cli_ctx_* name (main.c
 * itself cannot be linked: it has its own main). Never called here. */
int cli_fail(const ks_error *e)
{
    fuzz_fail("cli_fail: %s", e->message);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    fuzz_fail("cli_usage_error: %s: %s", cmd, fmt);
}

int cli_wants_help(const cli_command *cmd, int argc, char **argv)
{
    (void)cmd;
    (void)argc;
    (void)argv;
    return 0;
}

static ks_clock clock_;
static ks_store *store;
static ks_exam exam;
static sqlite3 *db; /* our own connection, to count and clean up */
static char roster_path[PATH_MAX];

static void sql(const char *text)
{
    char *msg = NULL;
    if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
        fuzz_fail("%s: %s", text, msg ? msg : "?");
}

static long long count(const char *table)
{
    char text[128];
    snprintf(text, sizeof text, "SELECT count(*) FROM %s", table);
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(db, text, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (n < 0)
        fuzz_fail("%s: %s", text, sqlite3_errmsg(db));
    return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = fuzz_tmpdir();
    char db_path[PATH_MAX];
    fuzz_path(db_path, sizeof db_path, dir, "enroll.db");
    fuzz_path(roster_path, sizeof roster_path, dir, "roster.csv");
    ks_error err;
    if (ks_store_open(db_path, &store, &err))
        fuzz_fail("ks_store_open: %s", err.message);
    ks_clock_fake_init(&clock_, 1815000000000); /* 2027-07-08 */
    exam = (ks_exam){.store = store, .clock = &clock_, .root = fuzz_root(), .actor = "fuzz"};
    ks_sitting s;
    if (ks_exam_sitting_create(&exam, "s1", "DEMO-CS", "2027-07-18", 0, 0, 0, &s, &err))
        fuzz_fail("ks_exam_sitting_create: %s", err.message);
    ks_sitting_free(&s);
    if (sqlite3_open(db_path, &db) != SQLITE_OK)
        fuzz_fail("sqlite3_open %s", db_path);
    sqlite3_busy_timeout(db, 5000);
    return 0;
}

/* The row written as `kaoshi enroll` prints it splits back into itself. */
static void check_round_trip(const char *number, const char *name)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        fuzz_fail("open_memstream");
    ks_csv_field(out, number, ',');
    ks_csv_field(out, name, '\n');
    fclose(out);
    if (len == 0 || text[len - 1] != '\n')
        fuzz_fail("ks_csv_field wrote no row end");
    text[len - 1] = '\0';
    char *fields[3];
    int nf = split_csv(text, fields, 2);
    if (nf != 2 || strcmp(fields[0], number) != 0 || strcmp(fields[1], name) != 0)
        fuzz_fail("the row [%s] [%s] written as CSV reads back as %d fields", number, name, nf);
    free(text);
}

static int trimmed(const char *s)
{
    size_t n = strlen(s);
    return n == 0 || (!strchr(" \t", s[0]) && !strchr(" \t\r\n", s[n - 1]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write_file(roster_path, data, size);
    char *diag = NULL;
    size_t diag_len = 0;
    fuzz_diag = open_memstream(&diag, &diag_len);
    if (!fuzz_diag)
        fuzz_fail("open_memstream");
    roster r = {0};
    int rc = read_roster(roster_path, &r);
    fclose(fuzz_diag);
    fuzz_diag = NULL;

    if (rc != CLI_OK) {
        if (rc != CLI_FAILED && rc != CLI_INTERNAL)
            fuzz_fail("read_roster returned %d", rc);
        if (diag_len == 0 || strncmp(diag, "kaoshi: ", 8) != 0)
            fuzz_fail("read_roster refused the file without a diagnostic (\"%s\")", diag);
    } else {
        if (diag_len)
            fuzz_fail("read_roster accepted the file but said: %s", diag);
        if (r.n == 0)
            fuzz_fail("read_roster accepted a file without candidates");
        for (size_t i = 0; i < r.n; i++) {
            const ks_enrollee *e = &r.list[i];
            if (!e->number || !e->name || !trimmed(e->number) || !trimmed(e->name))
                fuzz_fail("row %zu (line %d) is not trimmed: [%s] [%s]", i, r.lines[i],
                          e->number ? e->number : "(null)", e->name ? e->name : "(null)");
            for (size_t j = 0; j < i; j++)
                if (strcmp(r.list[j].number, e->number) == 0)
                    fuzz_fail("candidate %s is listed twice", e->number);
            check_round_trip(e->number, e->name);
        }
        size_t bad = (size_t)-1;
        ks_error err;
        ks_status st = ks_exam_enroll(&exam, "s1", r.list, r.n, NULL, &bad, &err);
        long long enrolled = count("enrollments");
        if (st == KS_OK) {
            if (enrolled != (long long)r.n)
                fuzz_fail("%zu candidates enrolled as %lld enrollments", r.n, enrolled);
        } else {
            if (st != KS_EINPUT || !err.message[0])
                fuzz_fail("ks_exam_enroll: %s: %s", ks_status_name(st), err.message);
            if (bad >= r.n)
                fuzz_fail("ks_exam_enroll refused the list without naming a candidate: %s",
                          err.message);
            if (enrolled != 0)
                fuzz_fail("a refused list left %lld enrollments", enrolled);
        }
        if (enrolled)
            sql("DELETE FROM enrollments; DELETE FROM candidates; DELETE FROM audit;");
    }
    free(diag);
    roster_free(&r);
    return 0;
}
