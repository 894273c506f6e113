/* The SQL of every statement the store runs and, for each SELECT, the
 * function that reads its rows, defined right after the column list it
 * reads, so that the two change together. The schema is store.c's. */
#include "store/store_impl.h"

#include <stdlib.h>
#include <string.h>

#include "kaoshi/store_certs.h"

#define SITTING_COLUMNS                                                                     \
    "id, name, code, script, opens_at, closes_at, tz_offset_min, state,"                   \
    " sources_hash, created_at, opened_at, closed_at, duration_ms, grace_ms, version"

void store_read_sitting(sqlite3_stmt *q, void *row)
{
    ks_sitting *s = row;
    s->id = sqlite3_column_int64(q, 0);
    s->name = store_col_text(q, 1);
    s->code = store_col_text(q, 2);
    s->script = store_col_text(q, 3);
    s->opens_at = sqlite3_column_int64(q, 4);
    s->closes_at = sqlite3_column_int64(q, 5);
    s->tz_offset_min = sqlite3_column_int(q, 6);
    s->state = (ks_sitting_state)sqlite3_column_int(q, 7);
    s->sources_hash = store_col_text(q, 8);
    s->created_at = sqlite3_column_int64(q, 9);
    s->opened_at = sqlite3_column_int64(q, 10);
    s->closed_at = sqlite3_column_int64(q, 11);
    s->duration_ms = sqlite3_column_int64(q, 12);
    s->grace_ms = sqlite3_column_int64(q, 13);
    s->version = sqlite3_column_int(q, 14);
}

#define VERSION_COLUMNS "sitting_id, version, sources_hash, at, actor, reason"

void store_read_version(sqlite3_stmt *q, void *row)
{
    ks_sitting_version *v = row;
    v->sitting_id = sqlite3_column_int64(q, 0);
    v->version = sqlite3_column_int(q, 1);
    v->sources_hash = store_col_text(q, 2);
    v->at = sqlite3_column_int64(q, 3);
    v->actor = store_col_text(q, 4);
    v->reason = store_col_text(q, 5);
}

#define SOURCE_COLUMNS "path, kind, content, sha256"

void store_read_source(sqlite3_stmt *q, void *row)
{
    ks_source *s = row;
    s->path = store_col_text(q, 0);
    s->kind = store_col_text(q, 1);
    s->len = (size_t)sqlite3_column_bytes(q, 2);
    s->content = malloc(s->len + 1);
    if (s->content) {
        if (s->len)
            memcpy(s->content, sqlite3_column_blob(q, 2), s->len);
        s->content[s->len] = '\0';
    }
    s->sha256 = store_col_text(q, 3);
}

/* Read FROM enrollments e JOIN candidates c. */
#define ENROLLMENT_COLUMNS                                                                  \
    "e.sitting_id, e.candidate_id, c.number, c.name, e.access_hash, e.enrolled_at,"        \
    " e.extra_ms, e.factor_pct"

void store_read_enrollment(sqlite3_stmt *q, void *row)
{
    ks_enrollment *e = row;
    e->sitting_id = sqlite3_column_int64(q, 0);
    e->candidate_id = sqlite3_column_int64(q, 1);
    e->number = store_col_text(q, 2);
    e->name = store_col_text(q, 3);
    e->access_hash = store_col_text(q, 4);
    e->enrolled_at = sqlite3_column_int64(q, 5);
    e->time.extra_ms = sqlite3_column_int64(q, 6);
    e->time.factor_pct = sqlite3_column_int(q, 7);
}

/* Read FROM attempts. paused_at is the start of the open pause; the form's
 * question count comes from SQLite's JSON, so that an answer save need not
 * parse the whole form. */
#define ATTEMPT_COLUMNS                                                                     \
    "id, sitting_id, candidate_id, code, number, seed, form, started_at,"                  \
    " deadline_at, finished_at, extra_ms, state, finish_reason,"                           \
    " (SELECT coalesce(max(p.started_at), 0) FROM pauses p WHERE p.attempt_id = attempts.id" \
    " AND p.ended_at = 0), json_array_length(form, '$.slots'), accommodation_ms, receipt"

void store_read_attempt(sqlite3_stmt *q, void *row)
{
    ks_attempt *a = row;
    a->id = sqlite3_column_int64(q, 0);
    a->sitting_id = sqlite3_column_int64(q, 1);
    a->candidate_id = sqlite3_column_int64(q, 2);
    a->code = store_col_text(q, 3);
    a->number = sqlite3_column_int(q, 4);
    a->seed = (uint64_t)sqlite3_column_int64(q, 5);
    a->form = store_col_text(q, 6);
    a->started_at = sqlite3_column_int64(q, 7);
    a->deadline_at = sqlite3_column_int64(q, 8);
    a->finished_at = sqlite3_column_int64(q, 9);
    a->extra_ms = sqlite3_column_int64(q, 10);
    a->state = (ks_attempt_state)sqlite3_column_int(q, 11);
    a->finish_reason = store_col_text(q, 12);
    a->paused_at = sqlite3_column_int64(q, 13);
    a->nslots = (size_t)sqlite3_column_int64(q, 14);
    a->accommodation_ms = sqlite3_column_int64(q, 15);
    a->receipt = store_col_text(q, 16);
}

#define ATTEMPT_OWNER_COLUMNS "candidate_id, sitting_id"

void store_read_attempt_owner(sqlite3_stmt *q, void *row)
{
    ks_attempt *a = row;
    a->candidate_id = sqlite3_column_int64(q, 0);
    a->sitting_id = sqlite3_column_int64(q, 1);
}

#define ANSWER_COLUMNS "slot, response, saved_at, seq"

void store_read_answer(sqlite3_stmt *q, void *row)
{
    ks_answer *a = row;
    a->slot = sqlite3_column_int(q, 0);
    a->response = store_col_text(q, 1);
    a->saved_at = sqlite3_column_int64(q, 2);
    a->seq = sqlite3_column_int64(q, 3);
}

/* Read FROM answers a, grouped by attempt. */
/* answered: the slots whose latest save is not a withdrawn answer ({}) */
#define ANSWER_COUNT_COLUMNS "a.attempt_id, sum(a.response <> '{}'), max(a.saved_at)"

void store_read_answer_count(sqlite3_stmt *q, void *row)
{
    ks_answer_count *c = row;
    c->attempt_id = sqlite3_column_int64(q, 0);
    c->answered = sqlite3_column_int(q, 1);
    c->last_saved_at = sqlite3_column_int64(q, 2);
}

#define RESULT_COLUMNS "attempt_id, score, max_score, passed, detail, graded_at, version"

void store_read_result(sqlite3_stmt *q, void *row)
{
    ks_result *r = row;
    r->attempt_id = sqlite3_column_int64(q, 0);
    r->score = sqlite3_column_double(q, 1);
    r->max_score = sqlite3_column_double(q, 2);
    r->passed = sqlite3_column_int(q, 3);
    r->detail = store_col_text(q, 4);
    r->graded_at = sqlite3_column_int64(q, 5);
    r->version = sqlite3_column_int(q, 6);
}

/* Read FROM result_changes r. */
#define CHANGE_COLUMNS                                                                      \
    "r.attempt_id, r.version, r.at, r.score_before, r.max_before, r.passed_before,"        \
    " r.score_after, r.max_after, r.passed_after"

void store_read_result_change(sqlite3_stmt *q, void *row)
{
    ks_result_change *c = row;
    c->attempt_id = sqlite3_column_int64(q, 0);
    c->version = sqlite3_column_int(q, 1);
    c->at = sqlite3_column_int64(q, 2);
    c->score_before = sqlite3_column_double(q, 3);
    c->max_before = sqlite3_column_double(q, 4);
    c->passed_before = sqlite3_column_int(q, 5);
    c->score_after = sqlite3_column_double(q, 6);
    c->max_after = sqlite3_column_double(q, 7);
    c->passed_after = sqlite3_column_int(q, 8);
}

#define MARK_COLUMNS "attempt_id, slot, fraction, grader, comment, marked_at, override"

void store_read_mark(sqlite3_stmt *q, void *row)
{
    ks_mark *m = row;
    m->attempt_id = sqlite3_column_int64(q, 0);
    m->slot = sqlite3_column_int(q, 1);
    m->fraction = sqlite3_column_double(q, 2);
    m->grader = store_col_text(q, 3);
    m->comment = store_col_text(q, 4);
    m->marked_at = sqlite3_column_int64(q, 5);
    m->override = sqlite3_column_int(q, 6);
}

#define AUDIT_COLUMNS                                                                  \
    "id, at, actor, action, sitting_id, attempt_id, detail, (SELECT c.number FROM"      \
    " attempts t JOIN candidates c ON c.id = t.candidate_id WHERE t.id = audit.attempt_id)"

void store_read_audit_entry(sqlite3_stmt *q, void *row)
{
    ks_audit_entry *e = row;
    e->id = sqlite3_column_int64(q, 0);
    e->at = sqlite3_column_int64(q, 1);
    e->actor = store_col_text(q, 2);
    e->action = store_col_text(q, 3);
    e->sitting_id = sqlite3_column_int64(q, 4);
    e->attempt_id = sqlite3_column_int64(q, 5);
    e->detail = store_col_text(q, 6);
    e->candidate = store_col_text(q, 7);
}

#define PROCTOR_COLUMNS "id, name, password_hash, created_at"

void store_read_proctor(sqlite3_stmt *q, void *row)
{
    ks_proctor *p = row;
    p->id = sqlite3_column_int64(q, 0);
    p->name = store_col_text(q, 1);
    p->password_hash = store_col_text(q, 2);
    p->created_at = sqlite3_column_int64(q, 3);
}

#define NOTE_COLUMNS "id, sitting_id, attempt_id, at, author, text"

void store_read_note(sqlite3_stmt *q, void *row)
{
    ks_note *n = row;
    n->id = sqlite3_column_int64(q, 0);
    n->sitting_id = sqlite3_column_int64(q, 1);
    n->attempt_id = sqlite3_column_int64(q, 2);
    n->at = sqlite3_column_int64(q, 3);
    n->author = store_col_text(q, 4);
    n->text = store_col_text(q, 5);
}

#define SESSION_COLUMNS                                                                     \
    "token_hash, kind, subject_id, subject, sitting_id, csrf, created_at, expires_at"

void store_read_session(sqlite3_stmt *q, void *row)
{
    ks_session *s = row;
    s->token_hash = store_col_text(q, 0);
    s->kind = store_col_text(q, 1);
    s->subject_id = sqlite3_column_int64(q, 2);
    s->subject = store_col_text(q, 3);
    s->sitting_id = sqlite3_column_int64(q, 4);
    s->csrf = store_col_text(q, 5);
    s->created_at = sqlite3_column_int64(q, 6);
    s->expires_at = sqlite3_column_int64(q, 7);
}

#define CERT_COLUMNS                                                                        \
    "id, attempt_id, sitting_id, number, payload, signature, public_key, issued_at,"       \
    " revoked_at, revoke_reason, flagged_at, flag_reason"

void store_read_certificate(sqlite3_stmt *q, void *row)
{
    ks_certificate *c = row;
    c->id = sqlite3_column_int64(q, 0);
    c->attempt_id = sqlite3_column_int64(q, 1);
    c->sitting_id = sqlite3_column_int64(q, 2);
    c->number = store_col_text(q, 3);
    c->payload = store_col_text(q, 4);
    c->signature = store_col_text(q, 5);
    c->public_key = store_col_text(q, 6);
    c->issued_at = sqlite3_column_int64(q, 7);
    c->revoked_at = sqlite3_column_int64(q, 8);
    c->revoke_reason = store_col_text(q, 9);
    c->flagged_at = sqlite3_column_int64(q, 10);
    c->flag_reason = store_col_text(q, 11);
}

/* The queries of one column (a slot, an id, a seq, a time). */
void store_read_int(sqlite3_stmt *q, void *row) { *(int *)row = sqlite3_column_int(q, 0); }

void store_read_int64(sqlite3_stmt *q, void *row)
{
    *(int64_t *)row = sqlite3_column_int64(q, 0);
}

#define DRAWN_COLUMNS "sitting_id, candidate_id, version, history, seed, form, view, drawn_at"

void store_read_drawn_form(sqlite3_stmt *q, void *row)
{
    ks_drawn_form *d = row;
    d->sitting_id = sqlite3_column_int64(q, 0);
    d->candidate_id = sqlite3_column_int64(q, 1);
    d->version = sqlite3_column_int(q, 2);
    d->history = store_col_text(q, 3);
    d->seed = (uint64_t)sqlite3_column_int64(q, 4);
    d->form = store_col_text(q, 5);
    d->view = store_col_text(q, 6);
    d->drawn_at = sqlite3_column_int64(q, 7);
}

const char *const store_statement_sql[Q_COUNT] = {
    [Q_SITTING_INSERT] =
        "INSERT INTO sittings (name, code, script, opens_at, closes_at, tz_offset_min,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [Q_SITTING_BY_NAME] = "SELECT " SITTING_COLUMNS " FROM sittings WHERE name = ?",
    [Q_SITTING_BY_ID] = "SELECT " SITTING_COLUMNS " FROM sittings WHERE id = ?",
    [Q_SITTING_LIST] = "SELECT " SITTING_COLUMNS " FROM sittings ORDER BY id",
    [Q_SITTING_OPEN] =
        "UPDATE sittings SET state = 1, opened_at = ?2, sources_hash = ?3, duration_ms = ?4,"
        " grace_ms = ?5 WHERE id = ?1 AND state = 0",
    [Q_SITTING_CLOSE] = "UPDATE sittings SET state = 2, closed_at = ?2 WHERE id = ?1 AND state = 1",
    [Q_SOURCE_PUT] =
        "INSERT INTO sources (sitting_id, version, path, kind, content, sha256)"
        " VALUES (?, ?, ?, ?, ?, ?)",
    [Q_SOURCES] =
        "SELECT " SOURCE_COLUMNS " FROM sources WHERE sitting_id = ? AND version = ?"
        " ORDER BY path",
    [Q_SITTING_AMEND] =
        "UPDATE sittings SET version = ?2, sources_hash = ?3"
        " WHERE id = ?1 AND state > 0 AND version = ?2 - 1",
    [Q_VERSION_INSERT] =
        "INSERT INTO sitting_versions (sitting_id, version, sources_hash, at, actor, reason)"
        " VALUES (?, ?, ?, ?, ?, ?)",
    [Q_VERSIONS] =
        "SELECT " VERSION_COLUMNS " FROM sitting_versions WHERE sitting_id = ? ORDER BY version",
    [Q_CANDIDATE_UPSERT] =
        "INSERT INTO candidates (number, name) VALUES (?1, ?2)"
        " ON CONFLICT (number) DO UPDATE SET name = ?2",
    [Q_CANDIDATE_ID] = "SELECT id FROM candidates WHERE number = ?",
    [Q_ENROLL] =
        "INSERT INTO enrollments (sitting_id, candidate_id, access_hash, enrolled_at,"
        " extra_ms, factor_pct) VALUES (?, ?, ?, ?, ?, ?)",
    [Q_ACCOMMODATE] =
        "UPDATE enrollments SET extra_ms = ?3, factor_pct = ?4"
        " WHERE sitting_id = ?1 AND candidate_id = ?2",
    [Q_ENROLLMENT_GET] =
        "SELECT " ENROLLMENT_COLUMNS
        " FROM enrollments e JOIN candidates c ON c.id = e.candidate_id"
        " WHERE e.sitting_id = ? AND c.number = ?",
    [Q_ENROLLMENTS] =
        "SELECT " ENROLLMENT_COLUMNS
        " FROM enrollments e JOIN candidates c ON c.id = e.candidate_id"
        " WHERE e.sitting_id = ? ORDER BY c.number",
    [Q_ATTEMPT_INSERT] =
        "INSERT INTO attempts (sitting_id, candidate_id, code, number, seed, form,"
        " started_at, deadline_at, accommodation_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id, json_array_length(form, '$.slots')",
    [Q_ATTEMPT_GET] = "SELECT " ATTEMPT_COLUMNS " FROM attempts WHERE id = ?",
    [Q_ATTEMPT_OWNER] = "SELECT " ATTEMPT_OWNER_COLUMNS " FROM attempts WHERE id = ?",
    [Q_ATTEMPTS_OF] =
        "SELECT " ATTEMPT_COLUMNS " FROM attempts WHERE candidate_id = ? AND code = ?"
        " ORDER BY number",
    [Q_ATTEMPTS_IN] = "SELECT " ATTEMPT_COLUMNS " FROM attempts WHERE sitting_id = ? ORDER BY id",
    [Q_ATTEMPTS_DUE] =
        "SELECT " ATTEMPT_COLUMNS " FROM attempts"
        " WHERE sitting_id = ? AND state = 0 AND deadline_at < ? ORDER BY id",
    [Q_ATTEMPT_FINISH] =
        "UPDATE attempts SET state = 1, finished_at = ?2, finish_reason = ?3,"
        " receipt = upper(hex(randomblob(4))) WHERE id = ?1 AND state = 0",
    [Q_ATTEMPT_EXTEND] =
        "UPDATE attempts SET extra_ms = ?2, deadline_at = ?3 WHERE id = ?1 AND state = 0",
    [Q_ANSWER_INSERT] =
        "INSERT INTO answers (attempt_id, slot, response, saved_at, client_key)"
        " VALUES (?, ?, ?, ?, ?)",
    [Q_ANSWER_BY_KEY] = "SELECT seq FROM answers WHERE attempt_id = ? AND client_key = ?",
    [Q_ANSWERS_LATEST] =
        "SELECT " ANSWER_COLUMNS " FROM answers a WHERE attempt_id = ?1"
        " AND seq = (SELECT max(seq) FROM answers b WHERE b.attempt_id = ?1"
        " AND b.slot = a.slot) ORDER BY slot",
    [Q_RESULT_PUT] =
        "INSERT OR REPLACE INTO results (attempt_id, score, max_score, passed, detail,"
        " graded_at, version) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [Q_CHANGE_PUT] =
        "INSERT OR REPLACE INTO result_changes (attempt_id, version, at, score_before,"
        " max_before, passed_before, score_after, max_after, passed_after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [Q_CHANGES] =
        "SELECT " CHANGE_COLUMNS " FROM result_changes r"
        " JOIN attempts t ON t.id = r.attempt_id WHERE t.sitting_id = ?"
        " ORDER BY r.version, r.attempt_id",
    [Q_RESULT_GET] = "SELECT " RESULT_COLUMNS " FROM results WHERE attempt_id = ?",
    [Q_MARK_PUT] =
        "INSERT OR REPLACE INTO marks (attempt_id, slot, fraction, grader, comment, marked_at,"
        " override) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [Q_MARK_DELETE] = "DELETE FROM marks WHERE attempt_id = ? AND slot = ?",
    [Q_MARKS] = "SELECT " MARK_COLUMNS " FROM marks WHERE attempt_id = ? ORDER BY slot",
    [Q_PUBLISH] =
        "INSERT INTO publications (sitting_id, published_at, actor) VALUES (?, ?, ?)",
    [Q_PUBLISHED] = "SELECT published_at FROM publications WHERE sitting_id = ?",
    [Q_AUDIT_INSERT] =
        "INSERT INTO audit (at, actor, action, sitting_id, attempt_id, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
    [Q_AUDIT_LIST] = "SELECT " AUDIT_COLUMNS " FROM audit WHERE sitting_id = ? ORDER BY id",
    [Q_AUDIT_NEWEST] = "SELECT coalesce(max(id), 0) FROM audit",
    [Q_AUDIT_AFTER] = "SELECT " AUDIT_COLUMNS " FROM audit WHERE id > ? ORDER BY id LIMIT ?",
    [Q_AUDIT_OF_SITTING_AFTER] =
        "SELECT " AUDIT_COLUMNS " FROM audit WHERE sitting_id = ?1 AND id > ?2"
        " AND (?3 = 0 OR attempt_id = ?3 OR action = 'sitting.close') ORDER BY id LIMIT ?4",
    [Q_PROCTOR_INSERT] =
        "INSERT INTO proctors (name, password_hash, created_at) VALUES (?, ?, ?)",
    [Q_PROCTOR_GET] = "SELECT " PROCTOR_COLUMNS " FROM proctors WHERE name = ?",
    [Q_PROCTOR_LIST] = "SELECT " PROCTOR_COLUMNS " FROM proctors ORDER BY name",
    [Q_PAUSE_BEGIN] = "INSERT INTO pauses (attempt_id, started_at) VALUES (?, ?)",
    [Q_PAUSE_END] = "UPDATE pauses SET ended_at = ?2 WHERE attempt_id = ?1 AND ended_at = 0",
    [Q_NOTE_INSERT] =
        "INSERT INTO notes (sitting_id, attempt_id, at, author, text) VALUES (?, ?, ?, ?, ?)",
    [Q_NOTES] = "SELECT " NOTE_COLUMNS " FROM notes WHERE sitting_id = ? ORDER BY id",
    [Q_SESSION_PUT] =
        "INSERT INTO sessions (token_hash, kind, subject_id, subject, sitting_id, csrf,"
        " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [Q_SESSION_GET] = "SELECT " SESSION_COLUMNS " FROM sessions WHERE token_hash = ?",
    [Q_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?",
    [Q_SESSIONS_EXPIRE] = "DELETE FROM sessions WHERE expires_at <= ?",
    [Q_FLAG_ON] = "INSERT OR IGNORE INTO flags (attempt_id, slot) VALUES (?, ?)",
    [Q_FLAG_OFF] = "DELETE FROM flags WHERE attempt_id = ? AND slot = ?",
    [Q_FLAGS] = "SELECT slot FROM flags WHERE attempt_id = ? ORDER BY slot",
    [Q_ANSWER_LAST_SEQ] =
        "SELECT coalesce(max(seq), 0) FROM answers WHERE attempt_id = ? AND slot = ?",
    [Q_ANSWER_COUNTS] =
        "SELECT " ANSWER_COUNT_COLUMNS " FROM answers a"
        " JOIN attempts t ON t.id = a.attempt_id WHERE t.sitting_id = ?"
        " AND a.seq = (SELECT max(b.seq) FROM answers b"
        "              WHERE b.attempt_id = a.attempt_id AND b.slot = a.slot)"
        " GROUP BY a.attempt_id ORDER BY a.attempt_id",
    [Q_CERT_NEXT_SEQ] =
        "SELECT coalesce(max(seq), 0) + 1 FROM certificates WHERE code = ? AND year = ?",
    [Q_CERT_INSERT] =
        "INSERT INTO certificates (number, attempt_id, sitting_id, code, year, seq, payload,"
        " signature, public_key, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [Q_CERT_BY_NUMBER] = "SELECT " CERT_COLUMNS " FROM certificates WHERE number = ?",
    [Q_CERT_OF_ATTEMPT] = "SELECT " CERT_COLUMNS " FROM certificates WHERE attempt_id = ?",
    [Q_CERT_REVOKE] =
        "UPDATE certificates SET revoked_at = ?, revoke_reason = ? WHERE number = ?"
        " AND revoked_at = 0",
    [Q_CERT_FLAG] = "UPDATE certificates SET flagged_at = ?, flag_reason = ? WHERE number = ?",
    [Q_DRAWN_PUT] =
        "INSERT OR REPLACE INTO drawn_forms (" DRAWN_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [Q_DRAWN_GET] =
        "SELECT " DRAWN_COLUMNS " FROM drawn_forms WHERE sitting_id = ? AND candidate_id = ?",
    [Q_DRAWN_DELETE] = "DELETE FROM drawn_forms WHERE sitting_id = ? AND candidate_id = ?",
    [Q_VIEW_PUT] = "INSERT OR REPLACE INTO attempt_views (attempt_id, version, view) VALUES (?, ?, ?)",
    [Q_VIEW_GET] = "SELECT version, view FROM attempt_views WHERE attempt_id = ?",
    [Q_UNDRAWN_COUNT] =
        "SELECT count(*) FROM enrollments e WHERE e.sitting_id = ?1"
        " AND NOT EXISTS (SELECT 1 FROM drawn_forms d WHERE d.sitting_id = ?1"
        "   AND d.candidate_id = e.candidate_id AND d.version = ?2)"
        " AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.sitting_id = ?1"
        "   AND a.candidate_id = e.candidate_id)",
};
