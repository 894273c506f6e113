/* Store: the connection, schema migrations, transactions and the prepared
 * statement cache. Entity reads and writes live in store_exam.c (sittings,
 * sources, enrollments) and store_attempts.c (attempts, answers, results,
 * audit). See include/kaoshi/store.h. */
#include "store/store_impl.h"

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
};

#define MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

/* The columns read_attempt reads; paused_at is the start of the open pause;
 * the form's question count comes from SQLite's JSON, so that an answer save
 * need not parse the whole form. */
#define ATTEMPT_SELECT                                                                      \
    "SELECT id, sitting_id, candidate_id, code, number, seed, form, started_at,"           \
    " deadline_at, finished_at, extra_ms, state, finish_reason,"                           \
    " (SELECT coalesce(max(p.started_at), 0) FROM pauses p WHERE p.attempt_id = attempts.id" \
    " AND p.ended_at = 0), json_array_length(form, '$.slots') FROM attempts"

/* A certificate's columns, in the order store_certs.c reads them. */
#define CERT_SELECT                                                                        \
    "SELECT id, attempt_id, sitting_id, number, payload, signature, public_key, issued_at," \
    " revoked_at, revoke_reason FROM certificates"

static const char *const statement_sql[Q_COUNT] = {
    [Q_SITTING_INSERT] =
        "INSERT INTO sittings (name, code, script, opens_at, closes_at, tz_offset_min,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [Q_SITTING_BY_NAME] =
        "SELECT id, name, code, script, opens_at, closes_at, tz_offset_min, state,"
        " sources_hash, created_at, opened_at, closed_at, duration_ms, grace_ms FROM sittings WHERE name = ?",
    [Q_SITTING_BY_ID] =
        "SELECT id, name, code, script, opens_at, closes_at, tz_offset_min, state,"
        " sources_hash, created_at, opened_at, closed_at, duration_ms, grace_ms FROM sittings WHERE id = ?",
    [Q_SITTING_LIST] =
        "SELECT id, name, code, script, opens_at, closes_at, tz_offset_min, state,"
        " sources_hash, created_at, opened_at, closed_at, duration_ms, grace_ms FROM sittings ORDER BY id",
    [Q_SITTING_OPEN] =
        "UPDATE sittings SET state = 1, opened_at = ?2, sources_hash = ?3, duration_ms = ?4,"
        " grace_ms = ?5 WHERE id = ?1 AND state = 0",
    [Q_SITTING_CLOSE] = "UPDATE sittings SET state = 2, closed_at = ?2 WHERE id = ?1 AND state = 1",
    [Q_SOURCE_PUT] =
        "INSERT INTO sources (sitting_id, path, kind, content, sha256) VALUES (?, ?, ?, ?, ?)",
    [Q_SOURCES] =
        "SELECT path, kind, content, sha256 FROM sources WHERE sitting_id = ? ORDER BY path",
    [Q_CANDIDATE_UPSERT] =
        "INSERT INTO candidates (number, name) VALUES (?1, ?2)"
        " ON CONFLICT (number) DO UPDATE SET name = ?2",
    [Q_CANDIDATE_ID] = "SELECT id FROM candidates WHERE number = ?",
    [Q_ENROLL] =
        "INSERT INTO enrollments (sitting_id, candidate_id, access_hash, enrolled_at)"
        " VALUES (?, ?, ?, ?)",
    [Q_ENROLLMENT_GET] =
        "SELECT e.sitting_id, e.candidate_id, c.number, c.name, e.access_hash, e.enrolled_at"
        " FROM enrollments e JOIN candidates c ON c.id = e.candidate_id"
        " WHERE e.sitting_id = ? AND c.number = ?",
    [Q_ENROLLMENTS] =
        "SELECT e.sitting_id, e.candidate_id, c.number, c.name, e.access_hash, e.enrolled_at"
        " FROM enrollments e JOIN candidates c ON c.id = e.candidate_id"
        " WHERE e.sitting_id = ? ORDER BY c.number",
    [Q_ATTEMPT_INSERT] =
        "INSERT INTO attempts (sitting_id, candidate_id, code, number, seed, form,"
        " started_at, deadline_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id, json_array_length(form, '$.slots')",
    [Q_ATTEMPT_GET] = ATTEMPT_SELECT " WHERE id = ?",
    [Q_ATTEMPT_OWNER] = "SELECT candidate_id, sitting_id FROM attempts WHERE id = ?",
    [Q_ATTEMPTS_OF] = ATTEMPT_SELECT " WHERE candidate_id = ? AND code = ? ORDER BY number",
    [Q_ATTEMPTS_IN] = ATTEMPT_SELECT " WHERE sitting_id = ? ORDER BY id",
    [Q_ATTEMPTS_DUE] =
        ATTEMPT_SELECT " WHERE sitting_id = ? AND state = 0 AND deadline_at < ? ORDER BY id",
    [Q_ATTEMPT_FINISH] =
        "UPDATE attempts SET state = 1, finished_at = ?2, finish_reason = ?3"
        " WHERE id = ?1 AND state = 0",
    [Q_ATTEMPT_EXTEND] =
        "UPDATE attempts SET extra_ms = ?2, deadline_at = ?3 WHERE id = ?1 AND state = 0",
    [Q_ANSWER_INSERT] =
        "INSERT INTO answers (attempt_id, slot, response, saved_at, client_key)"
        " VALUES (?, ?, ?, ?, ?)",
    [Q_ANSWER_BY_KEY] = "SELECT seq FROM answers WHERE attempt_id = ? AND client_key = ?",
    [Q_ANSWERS_LATEST] =
        "SELECT slot, response, saved_at, seq FROM answers a WHERE attempt_id = ?1"
        " AND seq = (SELECT max(seq) FROM answers b WHERE b.attempt_id = ?1"
        " AND b.slot = a.slot) ORDER BY slot",
    [Q_RESULT_PUT] =
        "INSERT OR REPLACE INTO results (attempt_id, score, max_score, passed, detail,"
        " graded_at) VALUES (?, ?, ?, ?, ?, ?)",
    [Q_RESULT_GET] =
        "SELECT attempt_id, score, max_score, passed, detail, graded_at FROM results"
        " WHERE attempt_id = ?",
    [Q_MARK_PUT] =
        "INSERT OR REPLACE INTO marks (attempt_id, slot, fraction, grader, comment, marked_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
    [Q_MARKS] =
        "SELECT attempt_id, slot, fraction, grader, comment, marked_at FROM marks"
        " WHERE attempt_id = ? ORDER BY slot",
    [Q_PUBLISH] =
        "INSERT INTO publications (sitting_id, published_at, actor) VALUES (?, ?, ?)",
    [Q_PUBLISHED] = "SELECT published_at FROM publications WHERE sitting_id = ?",
    [Q_AUDIT_INSERT] =
        "INSERT INTO audit (at, actor, action, sitting_id, attempt_id, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
    [Q_AUDIT_LIST] =
        "SELECT id, at, actor, action, sitting_id, attempt_id, detail FROM audit"
        " WHERE sitting_id = ? ORDER BY id",
    [Q_PROCTOR_INSERT] =
        "INSERT INTO proctors (name, password_hash, created_at) VALUES (?, ?, ?)",
    [Q_PROCTOR_GET] = "SELECT id, name, password_hash, created_at FROM proctors WHERE name = ?",
    [Q_PROCTOR_LIST] = "SELECT id, name, password_hash, created_at FROM proctors ORDER BY name",
    [Q_PAUSE_BEGIN] = "INSERT INTO pauses (attempt_id, started_at) VALUES (?, ?)",
    [Q_PAUSE_END] = "UPDATE pauses SET ended_at = ?2 WHERE attempt_id = ?1 AND ended_at = 0",
    [Q_NOTE_INSERT] =
        "INSERT INTO notes (sitting_id, attempt_id, at, author, text) VALUES (?, ?, ?, ?, ?)",
    [Q_NOTES] =
        "SELECT id, sitting_id, attempt_id, at, author, text FROM notes WHERE sitting_id = ?"
        " ORDER BY id",
    [Q_SESSION_PUT] =
        "INSERT INTO sessions (token_hash, kind, subject_id, subject, sitting_id, csrf,"
        " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [Q_SESSION_GET] =
        "SELECT token_hash, kind, subject_id, subject, sitting_id, csrf, created_at, expires_at"
        " FROM sessions WHERE token_hash = ?",
    [Q_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?",
    [Q_SESSIONS_EXPIRE] = "DELETE FROM sessions WHERE expires_at <= ?",
    [Q_FLAG_ON] = "INSERT OR IGNORE INTO flags (attempt_id, slot) VALUES (?, ?)",
    [Q_FLAG_OFF] = "DELETE FROM flags WHERE attempt_id = ? AND slot = ?",
    [Q_FLAGS] = "SELECT slot FROM flags WHERE attempt_id = ? ORDER BY slot",
    [Q_ANSWER_LAST_SEQ] =
        "SELECT coalesce(max(seq), 0) FROM answers WHERE attempt_id = ? AND slot = ?",
    [Q_ANSWER_COUNTS] =
        "SELECT a.attempt_id, count(DISTINCT a.slot), max(a.saved_at) FROM answers a"
        " JOIN attempts t ON t.id = a.attempt_id WHERE t.sitting_id = ?"
        " GROUP BY a.attempt_id ORDER BY a.attempt_id",
    [Q_CERT_NEXT_SEQ] =
        "SELECT coalesce(max(seq), 0) + 1 FROM certificates WHERE code = ? AND year = ?",
    [Q_CERT_INSERT] =
        "INSERT INTO certificates (number, attempt_id, sitting_id, code, year, seq, payload,"
        " signature, public_key, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [Q_CERT_BY_NUMBER] = CERT_SELECT " WHERE number = ?",
    [Q_CERT_OF_ATTEMPT] = CERT_SELECT " WHERE attempt_id = ?",
    [Q_CERT_REVOKE] =
        "UPDATE certificates SET revoked_at = ?, revoke_reason = ? WHERE number = ?"
        " AND revoked_at = 0",
};

int ks_store_schema_version(void) { return MIGRATIONS; }

ks_status store_fail(ks_store *st, const char *what, ks_error *err)
{
    return ks_error_set(err, KS_EIO, "database %s: %s: %s", st->path, what,
                        sqlite3_errmsg(st->db));
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
        if (sqlite3_prepare_v3(st->db, statement_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                               &s, NULL) != SQLITE_OK) {
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

ks_status store_collect(ks_store *st, sqlite3_stmt *s, size_t elem_size,
                        void (*read_row)(sqlite3_stmt *, void *), void **out, size_t *n,
                        const char *what, ks_error *err)
{
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
                           void (*read_row)(sqlite3_stmt *, void *), void **out, size_t *n,
                           const char *what, ks_error *err)
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
