/* Store: the connection, schema migrations, transactions, the prepared
 * statement cache and the helpers that run statements. The statements' SQL
 * and row readers are in store_sql.c; entity reads and writes in
 * store_exam.c (sittings, sources, enrollments), store_attempts.c (attempts,
 * answers, results, audit) and the other store_*.c. See
 * include/kaoshi/store.h. */
#include "store/store_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Schema migrations: entry i brings user_version i to i+1. Append only. */
static const char *const migrations[] = {
    "CREATE TABLE sittings ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  code TEXT NOT NULL,"
    "  script TEXT NOT NULL,"
    "  opens_at INTEGER NOT NULL,"
    "  closes_at INTEGER NOT NULL CHECK (closes_at > opens_at),"
    "  tz_offset_min INTEGER NOT NULL,"
    "  state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1, 2)),"
    "  sources_hash TEXT NOT NULL DEFAULT '',"
    "  duration_ms INTEGER NOT NULL DEFAULT 0,"
    "  grace_ms INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  opened_at INTEGER NOT NULL DEFAULT 0,"
    "  closed_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE sources ("
    "  sitting_id INTEGER NOT NULL REFERENCES sittings(id),"
    "  path TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('script', 'module', 'bank')),"
    "  content BLOB NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  PRIMARY KEY (sitting_id, path));"
    "CREATE TABLE candidates ("
    "  id INTEGER PRIMARY KEY,"
    "  number TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL);"
    "CREATE TABLE enrollments ("
    "  sitting_id INTEGER NOT NULL REFERENCES sittings(id),"
    "  candidate_id INTEGER NOT NULL REFERENCES candidates(id),"
    "  access_hash TEXT NOT NULL,"
    "  enrolled_at INTEGER NOT NULL,"
    "  PRIMARY KEY (sitting_id, candidate_id));"
    "CREATE TABLE attempts ("
    "  id INTEGER PRIMARY KEY,"
    "  sitting_id INTEGER NOT NULL REFERENCES sittings(id),"
    "  candidate_id INTEGER NOT NULL REFERENCES candidates(id),"
    "  code TEXT NOT NULL,"
    "  number INTEGER NOT NULL CHECK (number >= 1),"
    "  seed INTEGER NOT NULL,"
    "  form TEXT NOT NULL,"
    "  started_at INTEGER NOT NULL,"
    "  deadline_at INTEGER NOT NULL,"
    "  extra_ms INTEGER NOT NULL DEFAULT 0,"
    "  finished_at INTEGER NOT NULL DEFAULT 0,"
    "  state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1)),"
    "  finish_reason TEXT NOT NULL DEFAULT '',"
    "  UNIQUE (candidate_id, code, number));"
    "CREATE INDEX attempts_by_sitting ON attempts(sitting_id);"
    "CREATE TABLE answers ("
    "  seq INTEGER PRIMARY KEY,"
    "  attempt_id INTEGER NOT NULL REFERENCES attempts(id),"
    "  slot INTEGER NOT NULL CHECK (slot >= 0),"
    "  response TEXT NOT NULL,"
    "  saved_at INTEGER NOT NULL,"
    "  client_key TEXT,"
    "  UNIQUE (attempt_id, client_key));"
    "CREATE INDEX answers_by_slot ON answers(attempt_id, slot, seq);"
    "CREATE TABLE results ("
    "  attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id),"
    "  score REAL NOT NULL,"
    "  max_score REAL NOT NULL,"
    "  passed INTEGER NOT NULL,"
    "  detail TEXT NOT NULL,"
    "  graded_at INTEGER NOT NULL);"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  sitting_id INTEGER NOT NULL,"
    "  attempt_id INTEGER NOT NULL,"
    "  detail TEXT NOT NULL);"
    "CREATE INDEX audit_by_sitting ON audit(sitting_id, id);",
    /* 2: proctor accounts, pause intervals and incident notes */
    "CREATE TABLE proctors ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  password_hash TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE pauses ("
    "  attempt_id INTEGER NOT NULL REFERENCES attempts(id),"
    "  started_at INTEGER NOT NULL,"
    "  ended_at INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (attempt_id, started_at));"
    "CREATE UNIQUE INDEX one_open_pause ON pauses(attempt_id) WHERE ended_at = 0;"
    "CREATE TABLE notes ("
    "  id INTEGER PRIMARY KEY,"
    "  sitting_id INTEGER NOT NULL REFERENCES sittings(id),"
    "  attempt_id INTEGER NOT NULL REFERENCES attempts(id),"
    "  at INTEGER NOT NULL,"
    "  author TEXT NOT NULL,"
    "  text TEXT NOT NULL);"
    "CREATE INDEX notes_by_sitting ON notes(sitting_id, id);",
    /* 3: web sessions (by a hash of their token) and flagged questions */
    "CREATE TABLE sessions ("
    "  token_hash TEXT PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('candidate', 'proctor')),"
    "  subject_id INTEGER NOT NULL,"
    "  subject TEXT NOT NULL,"
    "  sitting_id INTEGER NOT NULL,"
    "  csrf TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL);"
    "CREATE TABLE flags ("
    "  attempt_id INTEGER NOT NULL REFERENCES attempts(id),"
    "  slot INTEGER NOT NULL CHECK (slot >= 0),"
    "  PRIMARY KEY (attempt_id, slot));",
    /* 4: a person's marks for answers no question type can score (essays) */
    "CREATE TABLE marks ("
    "  attempt_id INTEGER NOT NULL REFERENCES attempts(id),"
    "  slot INTEGER NOT NULL CHECK (slot >= 0),"
    "  fraction REAL NOT NULL CHECK (fraction >= 0 AND fraction <= 1),"
    "  grader TEXT NOT NULL,"
    "  comment TEXT NOT NULL,"
    "  marked_at INTEGER NOT NULL,"
    "  PRIMARY KEY (attempt_id, slot));",
    /* 5: the register of signed certificates, numbered per code and year */
    "CREATE TABLE certificates ("
    "  id INTEGER PRIMARY KEY,"
    "  number TEXT NOT NULL UNIQUE,"
    "  attempt_id INTEGER NOT NULL UNIQUE REFERENCES attempts(id),"
    "  sitting_id INTEGER NOT NULL REFERENCES sittings(id),"
    "  code TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  seq INTEGER NOT NULL CHECK (seq > 0),"
    "  payload TEXT NOT NULL,"
    "  signature TEXT NOT NULL,"
    "  public_key TEXT NOT NULL,"
    "  issued_at INTEGER NOT NULL,"
    "  revoked_at INTEGER NOT NULL DEFAULT 0,"
    "  revoke_reason TEXT NOT NULL DEFAULT '',"
    "  UNIQUE (code, year, seq));",
    /* 6: a sitting's results, published to its candidates by a proctor */
    "CREATE TABLE publications ("
    "  sitting_id INTEGER PRIMARY KEY REFERENCES sittings(id),"
    "  published_at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL);",
    /* 7: the running attempts by deadline, so that finding the overdue ones
     * (every second, and before every start) reads only those */
    "CREATE INDEX attempts_running ON attempts(sitting_id, deadline_at) WHERE state = 0;",
    /* 8: amendments (a sitting's frozen sources by version, each version
     * audited), what a regrade under a new version changed, overrides of
     * automatic scores, accommodations at enrolment (and what each attempt
     * got from its candidate's when it started), flags on certificates whose
     * result no longer passes */
    "ALTER TABLE sittings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;"
    "CREATE TABLE sitting_versions ("
    "  sitting_id INTEGER NOT NULL REFERENCES sittings(id),"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  sources_hash TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  PRIMARY KEY (sitting_id, version));"
    "INSERT INTO sitting_versions (sitting_id, version, sources_hash, at, actor, reason)"
    "  SELECT id, 1, sources_hash, opened_at, '', '' FROM sittings WHERE state > 0;"
    "CREATE TABLE versioned_sources ("
    "  sitting_id INTEGER NOT NULL REFERENCES sittings(id),"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  path TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('script', 'module', 'bank')),"
    "  content BLOB NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  PRIMARY KEY (sitting_id, version, path));"
    "INSERT INTO versioned_sources (sitting_id, version, path, kind, content, sha256)"
    "  SELECT sitting_id, 1, path, kind, content, sha256 FROM sources;"
    "DROP TABLE sources;"
    "ALTER TABLE versioned_sources RENAME TO sources;"
    "ALTER TABLE results ADD COLUMN version INTEGER NOT NULL DEFAULT 1;"
    "CREATE TABLE result_changes ("
    "  attempt_id INTEGER NOT NULL REFERENCES attempts(id),"
    "  version INTEGER NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  score_before REAL NOT NULL,"
    "  max_before REAL NOT NULL,"
    "  passed_before INTEGER NOT NULL,"
    "  score_after REAL NOT NULL,"
    "  max_after REAL NOT NULL,"
    "  passed_after INTEGER NOT NULL,"
    "  PRIMARY KEY (attempt_id, version));"
    "ALTER TABLE marks ADD COLUMN override INTEGER NOT NULL DEFAULT 0"
    "  CHECK (override IN (0, 1));"
    "ALTER TABLE enrollments ADD COLUMN extra_ms INTEGER NOT NULL DEFAULT 0"
    "  CHECK (extra_ms >= 0);"
    "ALTER TABLE enrollments ADD COLUMN factor_pct INTEGER NOT NULL DEFAULT 100"
    "  CHECK (factor_pct >= 100);"
    "ALTER TABLE attempts ADD COLUMN accommodation_ms INTEGER NOT NULL DEFAULT 0"
    "  CHECK (accommodation_ms >= 0);"
    "ALTER TABLE certificates ADD COLUMN flagged_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE certificates ADD COLUMN flag_reason TEXT NOT NULL DEFAULT '';",
    /* 9: each finished attempt's receipt code, drawn when it finishes
     * (Q_ATTEMPT_FINISH), for a candidate's submission to be checked in a
     * dispute; attempts finished before it get one now */
    ("ALTER TABLE attempts ADD COLUMN receipt TEXT NOT NULL DEFAULT '';"
     "UPDATE attempts SET receipt = upper(hex(randomblob(4))) WHERE state = 1;"),
    /* 10: forms drawn ahead of a start, one per enrolled candidate, with the
     * sitting's version and the candidate's history they were drawn for and
     * their questions as the candidate sees them; and that view of an
     * attempt's questions, kept with the version that presented it */
    "CREATE TABLE drawn_forms ("
    "  sitting_id INTEGER NOT NULL REFERENCES sittings(id),"
    "  candidate_id INTEGER NOT NULL REFERENCES candidates(id),"
    "  version INTEGER NOT NULL,"
    "  history TEXT NOT NULL,"
    "  seed INTEGER NOT NULL,"
    "  form TEXT NOT NULL,"
    "  view TEXT NOT NULL,"
    "  drawn_at INTEGER NOT NULL,"
    "  PRIMARY KEY (sitting_id, candidate_id));"
    "CREATE TABLE attempt_views ("
    "  attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id),"
    "  version INTEGER NOT NULL,"
    "  view TEXT NOT NULL);",
};

#define MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int ks_store_schema_version(void) { return MIGRATIONS; }

ks_status store_fail(ks_store *st, const char *what, ks_error *err)
{
    return ks_error_set(err, KS_EIO, "database %s: %s: %s", st->path, what,
                        sqlite3_errmsg(st->db));
}

int store_duplicate(ks_store *st)
{
    int code = sqlite3_extended_errcode(st->db);
    return code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY;
}

static ks_status exec(ks_store *st, const char *sql, const char *what, ks_error *err)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(st, what, err);
    return KS_OK;
}

static ks_status migrate(ks_store *st, ks_error *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        return store_fail(st, "reading the schema version", err);
    int version = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    if (version > MIGRATIONS)
        return ks_error_set(err, KS_EIO,
                            "database %s: schema version %d is newer than this kaoshi "
                            "understands (%d)",
                            st->path, version, MIGRATIONS);
    for (; version < MIGRATIONS; version++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", version + 1);
        if (exec(st, "BEGIN IMMEDIATE", "starting a migration", err) ||
            exec(st, migrations[version], "migrating the schema", err) ||
            exec(st, bump, "migrating the schema", err) ||
            exec(st, "COMMIT", "committing a migration", err)) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return err ? err->code : KS_EIO;
        }
    }
    return KS_OK;
}

/* Waiting for another connection's write transaction: SQLite's own busy
 * timeout sleeps 1, 2, 5, ... up to 100 ms between tries, so under load (the
 * server's worker threads and its writer all writing) the lock sits free
 * while every waiter sleeps. Trying again every 100 us keeps it busy; the
 * wait still ends after 10 s. */
#define BUSY_WAIT_US 100
#define BUSY_TRIES (10 * 1000 * 1000 / BUSY_WAIT_US)

static int busy_wait(void *unused, int tries)
{
    (void)unused;
    if (tries >= BUSY_TRIES)
        return 0;
    struct timespec pause = {0, BUSY_WAIT_US * 1000};
    nanosleep(&pause, NULL);
    return 1;
}

ks_status ks_store_open(const char *path, ks_store **out, ks_error *err)
{
    *out = NULL;
    ks_store *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        return ks_error_set(err, KS_EINTERNAL, "out of memory");
    }
    int rc = sqlite3_open_v2(path, &st->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                 SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        ks_error_set(err, KS_EIO, "database %s: cannot open: %s", path,
                     st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        ks_store_close(st);
        return KS_EIO;
    }
    sqlite3_busy_handler(st->db, busy_wait, NULL);
    if (exec(st, "PRAGMA journal_mode = WAL", "enabling WAL", err) ||
        exec(st, "PRAGMA synchronous = FULL", "setting synchronous", err) ||
        exec(st, "PRAGMA foreign_keys = ON", "enabling foreign keys", err) ||
        migrate(st, err)) {
        ks_store_close(st);
        return err ? err->code : KS_EIO;
    }
    *out = st;
    return KS_OK;
}

void ks_store_close(ks_store *st)
{
    if (!st)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(st->stmts[i]);
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

sqlite3_stmt *store_stmt_get(ks_store *st, store_stmt which, ks_error *err)
{
    sqlite3_stmt *s = st->stmts[which];
    if (!s) {
        if (sqlite3_prepare_v3(st->db, store_statement_sql[which], -1,
                               SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
            store_fail(st, "preparing a statement", err);
            return NULL;
        }
        st->stmts[which] = s;
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

ks_status ks_store_begin(ks_store *st, ks_error *err)
{
    return exec(st, "BEGIN IMMEDIATE", "starting a transaction", err);
}

ks_status ks_store_commit(ks_store *st, ks_error *err)
{
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        ks_status rc = store_fail(st, "committing", err);
        ks_store_rollback(st);
        return rc;
    }
    return KS_OK;
}

void ks_store_rollback(ks_store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

ks_status store_tx_begin(ks_store *st, int *owned, ks_error *err)
{
    *owned = sqlite3_get_autocommit(st->db);
    return *owned ? ks_store_begin(st, err) : KS_OK;
}

ks_status store_tx_end(ks_store *st, int owned, ks_status status, ks_error *err)
{
    if (!owned)
        return status;
    if (status != KS_OK) {
        ks_store_rollback(st);
        return status;
    }
    return ks_store_commit(st, err);
}

char *store_col_text(sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    int n = sqlite3_column_bytes(s, col);
    char *copy = malloc((size_t)n + 1);
    if (copy) {
        if (t)
            memcpy(copy, t, (size_t)n);
        copy[n] = '\0';
    }
    return copy;
}

void store_bind_text(sqlite3_stmt *s, int idx, const char *text)
{
    if (text)
        sqlite3_bind_text(s, idx, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, idx);
}

ks_status store_step_done(ks_store *st, sqlite3_stmt *q, const char *what, ks_error *err)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? KS_OK : store_fail(st, what, err);
}

ks_status store_insert(ks_store *st, sqlite3_stmt *q, const char *what, ks_error *err,
                       ks_status code, const char *exists, ...)
{
    ks_status rc = store_step_done(st, q, what, err);
    if (rc && store_duplicate(st)) {
        va_list ap;
        va_start(ap, exists);
        rc = ks_error_vset(err, code, exists, ap);
        va_end(ap);
    }
    return rc;
}

/* store_row after the zeroing, with the arguments of `missing` in a va_list. */
static ks_status row_v(ks_store *st, sqlite3_stmt *q, store_reader read_row, void *row,
                       const char *what, ks_error *err, const char *missing, va_list ap)
    __attribute__((format(printf, 7, 0)));
static ks_status row_v(ks_store *st, sqlite3_stmt *q, store_reader read_row, void *row,
                       const char *what, ks_error *err, const char *missing, va_list ap)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        read_row(q, row);
    sqlite3_reset(q);
    if (rc == SQLITE_ROW || (rc == SQLITE_DONE && !missing))
        return KS_OK;
    if (rc == SQLITE_DONE)
        return ks_error_vset(err, KS_ENOTFOUND, missing, ap);
    return store_fail(st, what, err);
}

ks_status store_row(ks_store *st, sqlite3_stmt *q, size_t size, store_reader read_row,
                    void *row, const char *what, ks_error *err, const char *missing, ...)
{
    memset(row, 0, size);
    va_list ap;
    va_start(ap, missing);
    ks_status rc = row_v(st, q, read_row, row, what, err, missing, ap);
    va_end(ap);
    return rc;
}

ks_status store_row_by_id(ks_store *st, store_stmt which, int64_t id, size_t size,
                          store_reader read_row, void *row, const char *what, ks_error *err,
                          const char *missing, ...)
{
    memset(row, 0, size);
    sqlite3_stmt *q = store_stmt_get(st, which, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, id);
    va_list ap;
    va_start(ap, missing);
    ks_status rc = row_v(st, q, read_row, row, what, err, missing, ap);
    va_end(ap);
    return rc;
}

ks_status store_collect(ks_store *st, sqlite3_stmt *s, size_t elem_size, store_reader read_row,
                        void **out, size_t *n, const char *what, ks_error *err)
{
    *out = NULL; /* on failure, as error.h promises */
    *n = 0;
    char *rows = NULL;
    size_t count = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            char *grown = realloc(rows, cap * elem_size);
            if (!grown) {
                free(rows);
                sqlite3_reset(s);
                return ks_error_set(err, KS_EINTERNAL, "out of memory");
            }
            rows = grown;
        }
        memset(rows + count * elem_size, 0, elem_size);
        read_row(s, rows + count * elem_size);
        count++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        free(rows);
        return store_fail(st, what, err);
    }
    *out = rows;
    *n = count;
    return KS_OK;
}

ks_status store_list_by_id(ks_store *st, store_stmt which, int64_t id, size_t elem_size,
                           store_reader read_row, void **out, size_t *n, const char *what,
                           ks_error *err)
{
    sqlite3_stmt *q = store_stmt_get(st, which, err);
    if (!q)
        return KS_EIO;
    sqlite3_bind_int64(q, 1, id);
    return store_collect(st, q, elem_size, read_row, out, n, what, err);
}

#define LIST_FREE(type)                                                     \
    void type##_list_free(type *a, size_t n)                                \
    {                                                                       \
        for (size_t i = 0; i < n; i++)                                      \
            type##_free(&a[i]);                                             \
        free(a);                                                            \
    }

LIST_FREE(ks_sitting)
LIST_FREE(ks_source)
LIST_FREE(ks_enrollment)
LIST_FREE(ks_attempt)
LIST_FREE(ks_answer)
LIST_FREE(ks_audit_entry)
LIST_FREE(ks_proctor)
LIST_FREE(ks_note)
LIST_FREE(ks_mark)
LIST_FREE(ks_sitting_version)
