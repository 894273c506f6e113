/* Unit tests for the store (engine/store/) on a scratch database file. */
#include "unit.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "kaoshi/store.h"
#include "kaoshi/store_certs.h"
#include "store/store_impl.h" /* the connection, to see which statements it keeps */

static char db_path[64];

static ks_store *fresh_store(void)
{
    snprintf(db_path, sizeof db_path, "/tmp/kaoshi-test-store-%d.db", (int)getpid());
    unlink(db_path);
    char side[80];
    snprintf(side, sizeof side, "%s-wal", db_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db_path);
    unlink(side);
    ks_store *st = NULL;
    ks_error err;
    CHECK_INT(ks_store_open(db_path, &st, &err), KS_OK);
    return st;
}

static int64_t make_sitting(ks_store *st, const char *name)
{
    ks_sitting s = {.name = (char *)name, .code = "DEMO", .script = "scripts/demo.lua",
                    .opens_at = 1000, .closes_at = 2000, .tz_offset_min = 480,
                    .created_at = 5};
    ks_error err;
    CHECK_INT(ks_store_sitting_create(st, &s, &err), KS_OK);
    return s.id;
}

static void opens_in_wal_with_schema(void)
{
    ks_store *st = fresh_store();
    ks_store_close(st);
    sqlite3 *db;
    sqlite3_open(db_path, &db);
    sqlite3_stmt *q;
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL);
    sqlite3_step(q);
    CHECK_STR((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL);
    sqlite3_step(q);
    CHECK_INT(sqlite3_column_int(q, 0), ks_store_schema_version());
    sqlite3_finalize(q);
    sqlite3_close(db);
    /* reopening an up-to-date database migrates nothing and works */
    ks_error err;
    CHECK_INT(ks_store_open(db_path, &st, &err), KS_OK);
    ks_store_close(st);
}

static void refuses_newer_schema(void)
{
    ks_store *st = fresh_store();
    ks_store_close(st);
    sqlite3 *db;
    sqlite3_open(db_path, &db);
    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
    sqlite3_close(db);
    ks_error err;
    CHECK_INT(ks_store_open(db_path, &st, &err), KS_EIO);
    CHECK(strstr(err.message, "schema version 99 is newer") != NULL);
}

static void sittings_round_trip(void)
{
    ks_store *st = fresh_store();
    int64_t id = make_sitting(st, "s1");
    ks_error err;
    ks_sitting dup = {.name = "s1", .code = "X", .script = "x", .opens_at = 1, .closes_at = 2};
    CHECK_INT(ks_store_sitting_create(st, &dup, &err), KS_EINPUT);
    CHECK_STR(err.message, "a sitting named 's1' already exists");
    ks_sitting got;
    CHECK_INT(ks_store_sitting_get(st, "s1", &got, &err), KS_OK);
    CHECK_INT(got.id, id);
    CHECK_STR(got.code, "DEMO");
    CHECK_INT(got.tz_offset_min, 480);
    CHECK_INT(got.state, KS_SITTING_DRAFT);
    ks_sitting_free(&got);
    CHECK_INT(ks_store_sitting_close(st, id, 1400, &err), KS_ESTATE);
    CHECK_STR(err.message, "only an open sitting can be closed");
    CHECK_INT(ks_store_sitting_open(st, id, 1500, "abc", 5400000, 30000, &err), KS_OK);
    CHECK_INT(ks_store_sitting_open(st, id, 1500, "abc", 5400000, 30000, &err), KS_ESTATE);
    CHECK_INT(ks_store_sitting_by_id(st, id, &got, &err), KS_OK);
    CHECK_INT(got.state, KS_SITTING_OPEN);
    CHECK_INT(got.opened_at, 1500);
    CHECK_STR(got.sources_hash, "abc");
    CHECK_INT(got.duration_ms, 5400000);
    CHECK_INT(got.grace_ms, 30000);
    ks_sitting_free(&got);
    CHECK_INT(ks_store_sitting_get(st, "nope", &got, &err), KS_ENOTFOUND);
    CHECK_STR(err.message, "no sitting named 'nope'");
    ks_sitting *all;
    size_t n;
    make_sitting(st, "s2");
    CHECK_INT(ks_store_sitting_list(st, &all, &n, &err), KS_OK);
    CHECK_INT(n, 2);
    CHECK_STR(all[1].name, "s2");
    ks_sitting_list_free(all, n);
    ks_store_close(st);
}

static void sources_keep_bytes(void)
{
    ks_store *st = fresh_store();
    int64_t id = make_sitting(st, "s1");
    ks_error err;
    ks_source src = {.path = "banks/a.yaml", .kind = "bank", .content = "a\0b", .len = 3,
                     .sha256 = "h"};
    CHECK_INT(ks_store_source_put(st, id, 1, &src, &err), KS_OK);
    ks_source *got;
    size_t n;
    CHECK_INT(ks_store_sources(st, id, 1, &got, &n, &err), KS_OK);
    CHECK_INT(n, 1);
    CHECK_INT(got[0].len, 3);
    CHECK(memcmp(got[0].content, "a\0b", 3) == 0);
    ks_source_list_free(got, n);
    ks_store_close(st);
}

static void enrollment_is_unique_per_sitting(void)
{
    ks_store *st = fresh_store();
    int64_t s1 = make_sitting(st, "s1"), s2 = make_sitting(st, "s2");
    ks_error err;
    int64_t c1, c2;
    CHECK_INT(ks_store_enroll(st, s1, "C001", "张三", "hash", NULL, 7, &c1, &err), KS_OK);
    CHECK_INT(ks_store_enroll(st, s1, "C001", "张三", "hash", NULL, 7, NULL, &err), KS_EINPUT);
    CHECK_STR(err.message, "candidate C001 is already enrolled");
    /* the same person in a later sitting is the same candidate */
    CHECK_INT(ks_store_enroll(st, s2, "C001", "张三丰", "hash2", NULL, 8, &c2, &err), KS_OK);
    CHECK_INT(c1, c2);
    ks_enrollment e;
    CHECK_INT(ks_store_enrollment_get(st, s1, "C001", &e, &err), KS_OK);
    CHECK_STR(e.name, "张三丰");
    CHECK_STR(e.access_hash, "hash");
    ks_enrollment_free(&e);
    CHECK_INT(ks_store_enrollment_get(st, s1, "C404", &e, &err), KS_ENOTFOUND);
    ks_store_close(st);
}

static void attempts_answers_results(void)
{
    ks_store *st = fresh_store();
    int64_t s1 = make_sitting(st, "s1");
    ks_error err;
    int64_t cid;
    CHECK_INT(ks_store_enroll(st, s1, "C001", "张三", "h", NULL, 1, &cid, &err), KS_OK);
    ks_attempt a = {.sitting_id = s1, .candidate_id = cid, .code = "DEMO", .number = 1,
                    .seed = 0xfedcba9876543210ULL, .form = "{}", .started_at = 1100,
                    .deadline_at = 1900, .accommodation_ms = 450};
    CHECK_INT(ks_store_attempt_insert(st, &a, &err), KS_OK);
    ks_attempt twin = a;
    CHECK_INT(ks_store_attempt_insert(st, &twin, &err), KS_ESTATE);

    int64_t seq1, seq2, seq3;
    CHECK_INT(ks_store_answer_save(st, a.id, 0, "{\"choice\":1}", 1200, "k1", &seq1, &err), KS_OK);
    CHECK_INT(ks_store_answer_save(st, a.id, 0, "{\"choice\":2}", 1300, "k2", &seq2, &err), KS_OK);
    /* a retry of k1 is not stored again and does not undo k2 */
    CHECK_INT(ks_store_answer_save(st, a.id, 0, "{\"choice\":1}", 1400, "k1", &seq3, &err), KS_OK);
    CHECK_INT(seq3, seq1);
    CHECK_INT(ks_store_answer_save(st, a.id, 3, "{\"text\":\"x\"}", 1500, NULL, NULL, &err), KS_OK);
    ks_answer *ans;
    size_t n;
    CHECK_INT(ks_store_answers_latest(st, a.id, &ans, &n, &err), KS_OK);
    CHECK_INT(n, 2);
    CHECK_INT(ans[0].slot, 0);
    CHECK_STR(ans[0].response, "{\"choice\":2}");
    CHECK_INT(ans[0].seq, seq2);
    CHECK_INT(ans[1].slot, 3);
    ks_answer_list_free(ans, n);

    CHECK_INT(ks_store_attempt_extend(st, a.id, 600, 2500, &err), KS_OK);
    CHECK_INT(ks_store_attempt_finish(st, a.id, 1600, "submitted", &err), KS_OK);
    CHECK_INT(ks_store_attempt_finish(st, a.id, 1700, "forced", &err), KS_ESTATE);
    ks_attempt got;
    CHECK_INT(ks_store_attempt_get(st, a.id, &got, &err), KS_OK);
    CHECK(got.seed == 0xfedcba9876543210ULL);
    CHECK_INT(got.state, KS_ATTEMPT_FINISHED);
    CHECK_INT(got.finished_at, 1600);
    CHECK_INT(got.deadline_at, 2500);
    CHECK_INT(got.accommodation_ms, 450); /* as it started: extensions are extra_ms */
    CHECK_INT(got.extra_ms, 600);
    CHECK_STR(got.finish_reason, "submitted");
    ks_attempt_free(&got);

    ks_result r = {.attempt_id = a.id, .score = 71.5, .max_score = 100, .passed = 1,
                   .detail = "{}", .graded_at = 1700};
    CHECK_INT(ks_store_result_put(st, &r, &err), KS_OK);
    r.score = 72;
    CHECK_INT(ks_store_result_put(st, &r, &err), KS_OK);
    ks_result rr;
    CHECK_INT(ks_store_result_get(st, a.id, &rr, &err), KS_OK);
    CHECK_NEAR(rr.score, 72, 0, 0);
    ks_result_free(&rr);

    ks_attempt *list;
    CHECK_INT(ks_store_attempts_of(st, cid, "DEMO", &list, &n, &err), KS_OK);
    CHECK_INT(n, 1);
    ks_attempt_list_free(list, n);
    ks_store_close(st);
}

static void transactions_roll_back(void)
{
    ks_store *st = fresh_store();
    ks_error err;
    CHECK_INT(ks_store_begin(st, &err), KS_OK);
    make_sitting(st, "gone");
    CHECK_INT(ks_store_audit(st, 1, "proctor", "test", 0, 0, NULL, &err), KS_OK);
    ks_store_rollback(st);
    ks_sitting got;
    CHECK_INT(ks_store_sitting_get(st, "gone", &got, &err), KS_ENOTFOUND);
    ks_audit_entry *log;
    size_t n;
    CHECK_INT(ks_store_audit_list(st, 0, &log, &n, &err), KS_OK);
    CHECK_INT(n, 0);
    ks_audit_entry_list_free(log, n);
    CHECK_INT(ks_store_audit(st, 2, "proctor", "kept", 0, 0, "{}", &err), KS_OK);
    CHECK_INT(ks_store_audit_list(st, 0, &log, &n, &err), KS_OK);
    CHECK_INT(n, 1);
    CHECK_STR(log[0].action, "kept");
    ks_audit_entry_list_free(log, n);
    ks_store_close(st);
}

/* Only the running attempts of the sitting with a deadline before the time
 * given are due. */
static void running_attempts_come_due_by_deadline(void)
{
    ks_store *st = fresh_store();
    int64_t s1 = make_sitting(st, "s1"), s2 = make_sitting(st, "s2");
    ks_error err;
    const char *who[] = {"C1", "C2", "C3", "C4"};
    int64_t ids[4];
    for (int i = 0; i < 4; i++) {
        int64_t cid;
        int64_t sid = i == 3 ? s2 : s1;
        CHECK_INT(ks_store_enroll(st, sid, who[i], "x", "h", NULL, 1, &cid, &err), KS_OK);
        ks_attempt a = {.sitting_id = sid, .candidate_id = cid, .code = "DEMO", .number = 1,
                        .form = "{\"slots\":[]}", .started_at = 100,
                        .deadline_at = 1000 * (i + 1)};
        CHECK_INT(ks_store_attempt_insert(st, &a, &err), KS_OK);
        ids[i] = a.id;
    }
    CHECK_INT(ks_store_attempt_finish(st, ids[0], 500, "submitted", &err), KS_OK);
    ks_attempt *list;
    size_t n;
    CHECK_INT(ks_store_attempts_due(st, s1, 3000, &list, &n, &err), KS_OK);
    CHECK_INT(n, 1);
    CHECK_INT(n ? list[0].id : 0, ids[1]);
    ks_attempt_list_free(list, n);
    CHECK_INT(ks_store_attempts_due(st, s1, 3001, &list, &n, &err), KS_OK);
    CHECK_INT(n, 2);
    ks_attempt_list_free(list, n);
    CHECK_INT(ks_store_attempts_due(st, s2, 1000000, &list, &n, &err), KS_OK);
    CHECK_INT(n, 1);
    CHECK_INT(n ? list[0].id : 0, ids[3]);
    ks_attempt_list_free(list, n);
    ks_store_close(st);
}

/* An attempt's question count is read from its form (insert and reads), and
 * its owner without the rest of the row. */
static void attempts_know_owner_and_questions(void)
{
    ks_store *st = fresh_store();
    int64_t s1 = make_sitting(st, "s1");
    ks_error err;
    int64_t cid;
    CHECK_INT(ks_store_enroll(st, s1, "C001", "张三", "h", NULL, 1, &cid, &err), KS_OK);
    ks_attempt a = {.sitting_id = s1, .candidate_id = cid, .code = "DEMO", .number = 1,
                    .form = "{\"slots\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]}",
                    .started_at = 1100, .deadline_at = 1900};
    CHECK_INT(ks_store_attempt_insert(st, &a, &err), KS_OK);
    CHECK_INT(a.nslots, 3);
    ks_attempt got;
    CHECK_INT(ks_store_attempt_get(st, a.id, &got, &err), KS_OK);
    CHECK_INT(got.nslots, 3);
    ks_attempt_free(&got);
    int64_t candidate = 0, sitting = 0;
    CHECK_INT(ks_store_attempt_owner(st, a.id, &candidate, &sitting, &err), KS_OK);
    CHECK_INT(candidate, cid);
    CHECK_INT(sitting, s1);
    CHECK_INT(ks_store_attempt_owner(st, a.id + 1, &candidate, &sitting, &err), KS_ENOTFOUND);
    ks_store_close(st);
}

/* The audit entries after an id: of every sitting, of one, or of one
 * attempt with its sitting's close, oldest first, at most as many as asked,
 * each with its attempt's candidate number. */
static void audit_entries_after_an_id(void)
{
    ks_store *st = fresh_store();
    int64_t s1 = make_sitting(st, "s1"), s2 = make_sitting(st, "s2");
    ks_error err;
    int64_t cid, newest = -1;
    CHECK_INT(ks_store_audit_newest(st, &newest, &err), KS_OK);
    CHECK_INT(newest, 0);
    CHECK_INT(ks_store_enroll(st, s1, "C001", "张三", "h", NULL, 1, &cid, &err), KS_OK);
    ks_attempt a = {.sitting_id = s1, .candidate_id = cid, .code = "DEMO", .number = 1,
                    .form = "{}", .started_at = 1100, .deadline_at = 1900};
    CHECK_INT(ks_store_attempt_insert(st, &a, &err), KS_OK);
    static const struct { int sitting; int attempt; const char *action; } rows[] = {
        {1, 1, "attempt.pause"}, {2, 0, "sitting.open"}, {1, 2, "attempt.pause"},
        {1, 0, "enroll"},        {1, 0, "sitting.close"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        CHECK_INT(ks_store_audit(st, 10 + (int64_t)i, "proctor:alice", rows[i].action,
                                 rows[i].sitting == 1 ? s1 : s2,
                                 rows[i].attempt == 1 ? a.id : rows[i].attempt, "{}", &err),
                  KS_OK);
    CHECK_INT(ks_store_audit_newest(st, &newest, &err), KS_OK);
    CHECK_INT(newest, 5);
    ks_audit_entry *log;
    size_t n;
    CHECK_INT(ks_store_audit_after(st, 0, 0, 1, 3, &log, &n, &err), KS_OK);
    CHECK(n == 3 && log[0].id == 2 && log[2].id == 4);
    ks_audit_entry_list_free(log, n);
    CHECK_INT(ks_store_audit_after(st, s1, 0, 0, 10, &log, &n, &err), KS_OK);
    CHECK(n == 4 && log[1].id == 3 && log[3].id == 5);
    ks_audit_entry_list_free(log, n);
    CHECK_INT(ks_store_audit_after(st, s1, a.id, 0, 10, &log, &n, &err), KS_OK);
    CHECK(n == 2 && log[0].id == 1 && log[1].id == 5);
    if (n == 2) {
        CHECK_STR(log[0].candidate, "C001");
        CHECK_STR(log[1].candidate, "");
        CHECK_STR(log[1].action, "sitting.close");
    }
    ks_audit_entry_list_free(log, n);
    CHECK_INT(ks_store_audit_after(st, s1, a.id, 5, 10, &log, &n, &err), KS_OK);
    CHECK_INT(n, 0);
    ks_audit_entry_list_free(log, n);
    ks_store_close(st);
}

/* The message of a database failure on the scratch database:
 * "database PATH: " followed by tail. */
static const char *db_message(const char *tail)
{
    static char message[256];
    snprintf(message, sizeof message, "database %s: %s", db_path, tail);
    return message;
}

/* Only a second attempt N is "attempt N already exists"; an attempt of a
 * candidate who does not exist is SQLite's own failure. */
static void attempt_insert_tells_duplicates_from_other_failures(void)
{
    ks_store *st = fresh_store();
    ks_error err;
    ks_attempt a = {.sitting_id = make_sitting(st, "s1"), .code = "DEMO", .number = 1,
                    .form = "{}"};
    CHECK_INT(ks_store_enroll(st, a.sitting_id, "C001", "x", "h", NULL, 1, &a.candidate_id, &err),
              KS_OK);
    CHECK_INT(ks_store_attempt_insert(st, &a, &err), KS_OK);
    CHECK_INT(ks_store_attempt_insert(st, &a, &err), KS_ESTATE);
    CHECK_STR(err.message, "attempt 1 already exists");
    ks_attempt stranger = a;
    stranger.candidate_id = a.candidate_id + 1;
    CHECK_INT(ks_store_attempt_insert(st, &stranger, &err), KS_EIO);
    CHECK_STR(err.message, db_message("starting an attempt: FOREIGN KEY constraint failed"));
    ks_store_close(st);
}

/* A keyed save that fails for another reason than its key being stored
 * already reports the insert's failure, not the lookup's "not an error". */
static void answer_save_reports_the_insert_failure(void)
{
    ks_store *st = fresh_store();
    ks_error err;
    int64_t seq = 0;
    CHECK_INT(ks_store_answer_save(st, 404, 0, "{}", 1200, "k1", &seq, &err), KS_EIO);
    CHECK_STR(err.message, db_message("saving an answer: FOREIGN KEY constraint failed"));
    ks_store_close(st);
}

/* A sitting that breaks a CHECK is not "already exists". */
static void sitting_create_tells_duplicates_from_other_failures(void)
{
    ks_store *st = fresh_store();
    ks_error err;
    ks_sitting backwards = {.name = "s1", .code = "X", .script = "x", .opens_at = 2,
                            .closes_at = 1};
    CHECK_INT(ks_store_sitting_create(st, &backwards, &err), KS_EIO);
    CHECK_STR(err.message,
              db_message("creating a sitting: CHECK constraint failed: closes_at > opens_at"));
    ks_store_close(st);
}

/* Enrolling in a sitting that does not exist is not "already enrolled". */
static void enroll_tells_duplicates_from_other_failures(void)
{
    ks_store *st = fresh_store();
    ks_error err;
    CHECK_INT(ks_store_enroll(st, 404, "C001", "x", "h", NULL, 1, NULL, &err), KS_EIO);
    CHECK_STR(err.message, db_message("enrolling a candidate: FOREIGN KEY constraint failed"));
    ks_store_close(st);
}

/* A proctor without a password hash is not "already exists". */
static void proctor_add_tells_duplicates_from_other_failures(void)
{
    ks_store *st = fresh_store();
    ks_error err;
    CHECK_INT(ks_store_proctor_add(st, "wang", "hash", 1, &err), KS_OK);
    CHECK_INT(ks_store_proctor_add(st, "wang", "hash", 2, &err), KS_EINPUT);
    CHECK_STR(err.message, "a proctor named 'wang' already exists");
    CHECK_INT(ks_store_proctor_add(st, "li", NULL, 3, &err), KS_EIO);
    CHECK_STR(err.message,
              db_message("adding a proctor: NOT NULL constraint failed: proctors.password_hash"));
    ks_store_close(st);
}

/* Pausing an attempt that does not exist is not "already paused". */
static void pause_begin_tells_duplicates_from_other_failures(void)
{
    ks_store *st = fresh_store();
    ks_error err;
    ks_attempt a = {.sitting_id = make_sitting(st, "s1"), .code = "DEMO", .number = 1,
                    .form = "{}"};
    CHECK_INT(ks_store_enroll(st, a.sitting_id, "C001", "x", "h", NULL, 1, &a.candidate_id, &err),
              KS_OK);
    CHECK_INT(ks_store_attempt_insert(st, &a, &err), KS_OK);
    CHECK_INT(ks_store_pause_begin(st, a.id, 100, &err), KS_OK);
    CHECK_INT(ks_store_pause_begin(st, a.id, 200, &err), KS_ESTATE);
    CHECK_STR(err.message, "attempt 1 is already paused");
    CHECK_INT(ks_store_pause_begin(st, a.id + 1, 200, &err), KS_EIO);
    CHECK_STR(err.message, db_message("pausing an attempt: FOREIGN KEY constraint failed"));
    ks_store_close(st);
}

/* Publishing a sitting that does not exist is not "already published". */
static void publish_tells_duplicates_from_other_failures(void)
{
    ks_store *st = fresh_store();
    ks_error err;
    int64_t s1 = make_sitting(st, "s1"), at = -1;
    CHECK_INT(ks_store_published(st, s1, &at, &err), KS_OK);
    CHECK_INT(at, 0);
    CHECK_INT(ks_store_publish(st, s1, 3000, "wang", &err), KS_OK);
    CHECK_INT(ks_store_published(st, s1, &at, &err), KS_OK);
    CHECK_INT(at, 3000);
    CHECK_INT(ks_store_publish(st, s1, 3001, "wang", &err), KS_ESTATE);
    CHECK_STR(err.message, "the results are already published");
    CHECK_INT(ks_store_publish(st, s1 + 1, 3002, "wang", &err), KS_EIO);
    CHECK_STR(err.message, db_message("publishing results: FOREIGN KEY constraint failed"));
    ks_store_close(st);
}

/* How many times the one statement of the connection whose SQL holds part
 * has run; -1 when none or several hold it (prepared per call, or twice). */
static int runs_of(ks_store *st, const char *part)
{
    int found = 0, runs = 0;
    for (sqlite3_stmt *q = sqlite3_next_stmt(st->db, NULL); q; q = sqlite3_next_stmt(st->db, q))
        if (strstr(sqlite3_sql(q), part)) {
            found++;
            runs = sqlite3_stmt_status(q, SQLITE_STMTSTATUS_RUN, 0);
        }
    return found == 1 ? runs : -1;
}

/* The certificate register round trip, on statements prepared once and
 * kept in the store's cache. */
static void certificates_numbered_read_and_revoked(void)
{
    ks_store *st = fresh_store();
    ks_error err;
    /* a certificate is an attempt's */
    ks_attempt a = {.sitting_id = make_sitting(st, "s1"), .code = "DEMO", .number = 1,
                    .form = "{}"};
    CHECK_INT(ks_store_enroll(st, a.sitting_id, "C001", "张三", "h", NULL, 1, &a.candidate_id, &err),
              KS_OK);
    CHECK_INT(ks_store_attempt_insert(st, &a, &err), KS_OK);
    int64_t s1 = a.sitting_id, seq = 0;
    CHECK_INT(ks_store_certificate_next_seq(st, "DEMO", 2027, &seq, &err), KS_OK);
    CHECK_INT(seq, 1);
    ks_certificate c = {.attempt_id = a.id, .sitting_id = s1, .number = "DEMO-2027-000001",
                        .payload = "{}", .signature = "sig", .public_key = "pk",
                        .issued_at = 1950};
    CHECK_INT(ks_store_certificate_insert(st, &c, "DEMO", 2027, seq, &err), KS_OK);
    CHECK(c.id > 0);
    CHECK_INT(ks_store_certificate_insert(st, &c, "DEMO", 2027, seq, &err), KS_ESTATE);
    CHECK_STR(err.message, "attempt 1 already has a certificate, or DEMO-2027-000001 is taken");
    CHECK_INT(ks_store_certificate_next_seq(st, "DEMO", 2027, &seq, &err), KS_OK);
    CHECK_INT(seq, 2);
    ks_certificate got;
    CHECK_INT(ks_store_certificate_get(st, "DEMO-2027-000001", &got, &err), KS_OK);
    CHECK_INT(got.attempt_id, a.id);
    CHECK_STR(got.signature, "sig");
    CHECK_INT(got.revoked_at, 0);
    ks_certificate_free(&got);
    CHECK_INT(ks_store_certificate_get(st, "DEMO-2027-000404", &got, &err), KS_ENOTFOUND);
    CHECK_STR(err.message, "no certificate has the number DEMO-2027-000404");
    CHECK_INT(ks_store_certificate_revoke(st, "DEMO-2027-000001", 2000, "作弊", &err), KS_OK);
    CHECK_INT(ks_store_certificate_revoke(st, "DEMO-2027-000001", 2001, "again", &err),
              KS_ESTATE);
    CHECK_STR(err.message, "certificate DEMO-2027-000001 is already revoked");
    CHECK_INT(ks_store_certificate_revoke(st, "DEMO-2027-000404", 2001, "x", &err),
              KS_ENOTFOUND);
    CHECK_INT(ks_store_certificate_of_attempt(st, a.id, &got, &err), KS_OK);
    CHECK_STR(got.number, "DEMO-2027-000001");
    CHECK_INT(got.revoked_at, 2000);
    CHECK_STR(got.revoke_reason, "作弊");
    ks_certificate_free(&got);
    CHECK_INT(ks_store_certificate_of_attempt(st, a.id + 1, &got, &err), KS_ENOTFOUND);
    CHECK_STR(err.message, "attempt 2 has no certificate");
    /* one cached statement each, run once per call (a revoke that changes
     * nothing reads the certificate to say why) */
    CHECK_INT(runs_of(st, "coalesce(max(seq), 0) + 1 FROM certificates"), 2);
    CHECK_INT(runs_of(st, "INSERT INTO certificates"), 2);
    CHECK_INT(runs_of(st, "FROM certificates WHERE number = ?"), 4);
    CHECK_INT(runs_of(st, "FROM certificates WHERE attempt_id = ?"), 2);
    CHECK_INT(runs_of(st, "UPDATE certificates SET revoked_at"), 3);
    ks_store_close(st);
}

/* An enrolled candidate's attempt in sitting sid, for the tests below. */
static int64_t make_attempt(ks_store *st, int64_t sid, const char *number)
{
    ks_error err;
    ks_attempt a = {.sitting_id = sid, .code = "DEMO", .number = 1, .form = "{}"};
    CHECK_INT(ks_store_enroll(st, sid, number, "x", "h", NULL, 1, &a.candidate_id, &err), KS_OK);
    CHECK_INT(ks_store_attempt_insert(st, &a, &err), KS_OK);
    return a.id;
}

/* Versions of a sitting's sources: each version's files apart, recorded
 * once, and the sitting moved to version + 1 only (never a draft). */
static void versions_and_amendments(void)
{
    ks_store *st = fresh_store();
    ks_error err;
    int64_t id = make_sitting(st, "s1"), draft = make_sitting(st, "s2");
    CHECK_INT(ks_store_sitting_amend(st, id, 2, "h2", &err), KS_ESTATE);
    CHECK_STR(err.message, "the sitting is a draft, or was amended meanwhile");
    CHECK_INT(ks_store_sitting_open(st, id, 1500, "h1", 60000, 0, &err), KS_OK);
    ks_source v1 = {.path = "banks/a.yaml", .kind = "bank", .content = "one", .len = 3,
                    .sha256 = "s1"},
              v2 = {.path = "banks/a.yaml", .kind = "bank", .content = "two!", .len = 4,
                    .sha256 = "s2"};
    CHECK_INT(ks_store_source_put(st, id, 1, &v1, &err), KS_OK);
    CHECK_INT(ks_store_source_put(st, id, 2, &v2, &err), KS_OK);
    ks_sitting_version first = {.sitting_id = id, .version = 1, .sources_hash = "h1",
                                .at = 1500, .actor = "cli", .reason = ""},
                       second = {.sitting_id = id, .version = 2, .sources_hash = "h2",
                                 .at = 1600, .actor = "proctor:wang", .reason = "更正答案"};
    CHECK_INT(ks_store_version_add(st, &first, &err), KS_OK);
    CHECK_INT(ks_store_version_add(st, &first, &err), KS_ESTATE);
    CHECK_STR(err.message, "the sitting already has version 1");
    CHECK_INT(ks_store_version_add(st, &second, &err), KS_OK);
    CHECK_INT(ks_store_sitting_amend(st, id, 3, "h3", &err), KS_ESTATE);
    CHECK_INT(ks_store_sitting_amend(st, id, 2, "h2", &err), KS_OK);
    CHECK_INT(ks_store_sitting_amend(st, id, 2, "h2", &err), KS_ESTATE);
    CHECK_INT(ks_store_sitting_amend(st, draft, 2, "h2", &err), KS_ESTATE);
    ks_sitting s;
    CHECK_INT(ks_store_sitting_by_id(st, id, &s, &err), KS_OK);
    CHECK_INT(s.version, 2);
    CHECK_STR(s.sources_hash, "h2");
    ks_sitting_free(&s);
    ks_source *got;
    size_t n;
    CHECK_INT(ks_store_sources(st, id, 1, &got, &n, &err), KS_OK);
    CHECK(n == 1 && got[0].len == 3 && memcmp(got[0].content, "one", 3) == 0);
    ks_source_list_free(got, n);
    CHECK_INT(ks_store_sources(st, id, 2, &got, &n, &err), KS_OK);
    CHECK(n == 1 && got[0].len == 4 && strcmp(got[0].sha256, "s2") == 0);
    ks_source_list_free(got, n);
    ks_sitting_version *list;
    CHECK_INT(ks_store_versions(st, id, &list, &n, &err), KS_OK);
    CHECK_INT(n, 2);
    CHECK(n == 2 && list[0].version == 1 && list[1].version == 2 && list[1].at == 1600);
    CHECK_STR(n == 2 ? list[1].actor : "", "proctor:wang");
    CHECK_STR(n == 2 ? list[1].reason : "", "更正答案");
    CHECK_STR(n == 2 ? list[1].sources_hash : "", "h2");
    ks_sitting_version_list_free(list, n);
    CHECK_INT(ks_store_versions(st, draft, &list, &n, &err), KS_OK);
    CHECK_INT(n, 0);
    ks_sitting_version_list_free(list, n);
    ks_store_close(st);
}

/* What regrades changed: replaced per attempt and version, listed by version
 * then attempt, a sitting's own only; results know their version. */
static void result_changes_round_trip(void)
{
    ks_store *st = fresh_store();
    ks_error err;
    int64_t s1 = make_sitting(st, "s1"), s2 = make_sitting(st, "s2");
    int64_t a = make_attempt(st, s1, "C001"), b = make_attempt(st, s1, "C002"),
            other = make_attempt(st, s2, "C003");
    ks_result r = {.attempt_id = a, .score = 5, .max_score = 10, .passed = 0, .detail = "{}",
                   .graded_at = 9, .version = 3};
    CHECK_INT(ks_store_result_put(st, &r, &err), KS_OK);
    ks_result back;
    CHECK_INT(ks_store_result_get(st, a, &back, &err), KS_OK);
    CHECK_INT(back.version, 3);
    ks_result_free(&back);
    ks_result_change c = {.attempt_id = b, .version = 3, .at = 100, .score_before = 8,
                          .max_before = 10, .passed_before = 1, .score_after = 5,
                          .max_after = 10, .passed_after = 0};
    CHECK_INT(ks_store_result_change_put(st, &c, &err), KS_OK);
    c.attempt_id = a;
    c.version = 2;
    CHECK_INT(ks_store_result_change_put(st, &c, &err), KS_OK);
    c.version = 3;
    CHECK_INT(ks_store_result_change_put(st, &c, &err), KS_OK);
    c.score_after = 6; /* replaces the change of (a, 3) */
    c.passed_after = -1;
    CHECK_INT(ks_store_result_change_put(st, &c, &err), KS_OK);
    c.attempt_id = other;
    CHECK_INT(ks_store_result_change_put(st, &c, &err), KS_OK);
    ks_result_change *list;
    size_t n;
    CHECK_INT(ks_store_result_changes(st, s1, &list, &n, &err), KS_OK);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK(list[0].attempt_id == a && list[0].version == 2);
        CHECK(list[1].attempt_id == a && list[1].version == 3 && list[1].score_after == 6);
        CHECK_INT(list[1].passed_after, -1);
        CHECK(list[2].attempt_id == b && list[2].score_before == 8 && list[2].max_after == 10);
        CHECK(list[2].passed_before == 1 && list[2].passed_after == 0 && list[2].at == 100);
    }
    free(list);
    ks_store_close(st);
}

/* Flags on certificates, set and cleared; marks removed; accommodations
 * replaced. */
static void flags_marks_and_accommodations(void)
{
    ks_store *st = fresh_store();
    ks_error err;
    int64_t s1 = make_sitting(st, "s1"), a = make_attempt(st, s1, "C001");
    ks_certificate c = {.attempt_id = a, .sitting_id = s1, .number = "DEMO-2027-000001",
                        .payload = "{}", .signature = "sig", .public_key = "pk"};
    CHECK_INT(ks_store_certificate_insert(st, &c, "DEMO", 2027, 1, &err), KS_OK);
    CHECK_INT(ks_store_certificate_flag(st, "DEMO-2027-000001", 700, "no longer passes", &err),
              KS_OK);
    ks_certificate got;
    CHECK_INT(ks_store_certificate_get(st, "DEMO-2027-000001", &got, &err), KS_OK);
    CHECK_INT(got.flagged_at, 700);
    CHECK_STR(got.flag_reason, "no longer passes");
    CHECK_INT(got.revoked_at, 0);
    ks_certificate_free(&got);
    CHECK_INT(ks_store_certificate_flag(st, "DEMO-2027-000001", 0, "", &err), KS_OK);
    CHECK_INT(ks_store_certificate_of_attempt(st, a, &got, &err), KS_OK);
    CHECK_INT(got.flagged_at, 0);
    CHECK_STR(got.flag_reason, "");
    ks_certificate_free(&got);
    CHECK_INT(ks_store_certificate_flag(st, "DEMO-2027-000404", 1, "x", &err), KS_ENOTFOUND);
    CHECK_STR(err.message, "no certificate has the number DEMO-2027-000404");
    ks_mark m = {.attempt_id = a, .slot = 2, .fraction = 0.5, .grader = "wang", .comment = "",
                 .marked_at = 5, .override = 1};
    CHECK_INT(ks_store_mark_put(st, &m, &err), KS_OK);
    ks_mark *marks;
    size_t n;
    CHECK_INT(ks_store_marks(st, a, &marks, &n, &err), KS_OK);
    CHECK(n == 1 && marks[0].override == 1 && marks[0].slot == 2);
    ks_mark_list_free(marks, n);
    CHECK_INT(ks_store_mark_delete(st, a, 2, &err), KS_OK);
    CHECK_INT(ks_store_mark_delete(st, a, 2, &err), KS_ENOTFOUND);
    CHECK_STR(err.message, "question 3 of attempt 1 has no mark");
    CHECK_INT(ks_store_marks(st, a, &marks, &n, &err), KS_OK);
    CHECK_INT(n, 0);
    ks_mark_list_free(marks, n);
    ks_accommodation t = {.extra_ms = 600000, .factor_pct = 125};
    int64_t cid;
    CHECK_INT(ks_store_enroll(st, s1, "C002", "y", "h", &t, 1, &cid, &err), KS_OK);
    ks_enrollment e;
    CHECK_INT(ks_store_enrollment_get(st, s1, "C002", &e, &err), KS_OK);
    CHECK(e.time.extra_ms == 600000 && e.time.factor_pct == 125);
    ks_enrollment_free(&e);
    ks_accommodation none = {.extra_ms = 0, .factor_pct = 100};
    CHECK_INT(ks_store_accommodation_set(st, s1, cid, &none, &err), KS_OK);
    CHECK_INT(ks_store_enrollment_get(st, s1, "C002", &e, &err), KS_OK);
    CHECK(e.time.extra_ms == 0 && e.time.factor_pct == 100);
    ks_enrollment_free(&e);
    CHECK_INT(ks_store_accommodation_set(st, s1 + 1, cid, &none, &err), KS_ENOTFOUND);
    CHECK_STR(err.message, "the candidate is not enrolled in this sitting");
    ks_store_close(st);
}

/* A database of schema 7 (before amendments) migrates: an open sitting's
 * files become its version 1, recorded, and every row keeps its meaning. */
static void migrates_a_schema_7_database(void)
{
    ks_store *st = fresh_store();
    ks_error err;
    int64_t id = make_sitting(st, "s1"), draft = make_sitting(st, "s2");
    ks_source src = {.path = "banks/a.yaml", .kind = "bank", .content = "a\0b", .len = 3,
                     .sha256 = "s1"};
    CHECK_INT(ks_store_source_put(st, id, 1, &src, &err), KS_OK);
    CHECK_INT(ks_store_sitting_open(st, id, 1500, "h1", 60000, 0, &err), KS_OK);
    int64_t a = make_attempt(st, id, "C001");
    ks_result r = {.attempt_id = a, .score = 5, .max_score = 10, .passed = 0, .detail = "{}",
                   .graded_at = 9, .version = 1};
    ks_mark m = {.attempt_id = a, .slot = 0, .fraction = 1, .grader = "g", .comment = ""};
    ks_certificate c = {.attempt_id = a, .sitting_id = id, .number = "N1", .payload = "{}",
                        .signature = "", .public_key = ""};
    CHECK_INT(ks_store_result_put(st, &r, &err), KS_OK);
    CHECK_INT(ks_store_mark_put(st, &m, &err), KS_OK);
    CHECK_INT(ks_store_certificate_insert(st, &c, "DEMO", 2027, 1, &err), KS_OK);
    ks_store_close(st);
    /* back to schema 7 as the build before amendments wrote it */
    sqlite3 *db;
    sqlite3_open(db_path, &db);
    CHECK_INT(sqlite3_exec(db,
                           "DROP TABLE drawn_forms; DROP TABLE attempt_views;"
                           "DROP TABLE sitting_versions; DROP TABLE result_changes;"
                           "ALTER TABLE sittings DROP COLUMN version;"
                           "CREATE TABLE old_sources ("
                           "  sitting_id INTEGER NOT NULL REFERENCES sittings(id),"
                           "  path TEXT NOT NULL,"
                           "  kind TEXT NOT NULL CHECK (kind IN ('script', 'module', 'bank')),"
                           "  content BLOB NOT NULL,"
                           "  sha256 TEXT NOT NULL,"
                           "  PRIMARY KEY (sitting_id, path));"
                           "INSERT INTO old_sources SELECT sitting_id, path, kind, content, sha256"
                           "  FROM sources;"
                           "DROP TABLE sources; ALTER TABLE old_sources RENAME TO sources;"
                           "ALTER TABLE results DROP COLUMN version;"
                           "ALTER TABLE marks DROP COLUMN override;"
                           "ALTER TABLE enrollments DROP COLUMN extra_ms;"
                           "ALTER TABLE enrollments DROP COLUMN factor_pct;"
                           "ALTER TABLE attempts DROP COLUMN accommodation_ms;"
                           "ALTER TABLE attempts DROP COLUMN receipt;"
                           "ALTER TABLE certificates DROP COLUMN flagged_at;"
                           "ALTER TABLE certificates DROP COLUMN flag_reason;"
                           "PRAGMA user_version = 7;",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
    CHECK_INT(ks_store_open(db_path, &st, &err), KS_OK);
    ks_sitting s;
    CHECK_INT(ks_store_sitting_by_id(st, id, &s, &err), KS_OK);
    CHECK_INT(s.version, 1);
    ks_sitting_free(&s);
    ks_sitting_version *versions;
    size_t n;
    CHECK_INT(ks_store_versions(st, id, &versions, &n, &err), KS_OK);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK(versions[0].version == 1 && versions[0].at == 1500);
        CHECK_STR(versions[0].sources_hash, "h1");
        CHECK_STR(versions[0].actor, "");
        CHECK_STR(versions[0].reason, "");
    }
    ks_sitting_version_list_free(versions, n);
    CHECK_INT(ks_store_versions(st, draft, &versions, &n, &err), KS_OK);
    CHECK_INT(n, 0); /* a draft has no version yet */
    ks_sitting_version_list_free(versions, n);
    ks_source *got;
    CHECK_INT(ks_store_sources(st, id, 1, &got, &n, &err), KS_OK);
    CHECK(n == 1 && got[0].len == 3 && memcmp(got[0].content, "a\0b", 3) == 0);
    ks_source_list_free(got, n);
    ks_result back;
    CHECK_INT(ks_store_result_get(st, a, &back, &err), KS_OK);
    CHECK(back.version == 1 && back.score == 5);
    ks_result_free(&back);
    ks_mark *marks;
    CHECK_INT(ks_store_marks(st, a, &marks, &n, &err), KS_OK);
    CHECK(n == 1 && marks[0].override == 0);
    ks_mark_list_free(marks, n);
    ks_enrollment e;
    CHECK_INT(ks_store_enrollment_get(st, id, "C001", &e, &err), KS_OK);
    CHECK(e.time.extra_ms == 0 && e.time.factor_pct == 100);
    ks_enrollment_free(&e);
    ks_attempt started;
    CHECK_INT(ks_store_attempt_get(st, a, &started, &err), KS_OK);
    CHECK_INT(started.accommodation_ms, 0);
    ks_attempt_free(&started);
    ks_certificate cert;
    CHECK_INT(ks_store_certificate_get(st, "N1", &cert, &err), KS_OK);
    CHECK_INT(cert.flagged_at, 0);
    CHECK_STR(cert.flag_reason, "");
    ks_certificate_free(&cert);
    ks_result_change *changes;
    CHECK_INT(ks_store_result_changes(st, id, &changes, &n, &err), KS_OK);
    CHECK_INT(n, 0);
    free(changes);
    ks_store_close(st);
}

UNIT_MAIN(T(opens_in_wal_with_schema), T(refuses_newer_schema), T(sittings_round_trip),
          T(sources_keep_bytes), T(enrollment_is_unique_per_sitting),
          T(attempts_answers_results), T(transactions_roll_back),
          T(running_attempts_come_due_by_deadline), T(attempts_know_owner_and_questions),
          T(audit_entries_after_an_id),
          T(certificates_numbered_read_and_revoked),
          T(attempt_insert_tells_duplicates_from_other_failures),
          T(answer_save_reports_the_insert_failure),
          T(sitting_create_tells_duplicates_from_other_failures),
          T(enroll_tells_duplicates_from_other_failures),
          T(proctor_add_tells_duplicates_from_other_failures),
          T(pause_begin_tells_duplicates_from_other_failures),
          T(publish_tells_duplicates_from_other_failures), T(versions_and_amendments),
          T(result_changes_round_trip), T(flags_marks_and_accommodations),
          T(migrates_a_schema_7_database))
