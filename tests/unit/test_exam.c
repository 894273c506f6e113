/* Unit tests for the exam lifecycle (engine/exam/) on the fake clock, with
 * the example certification (scripts/demo.lua, banks/demo.yaml): deadlines
 * without sleeping, racing starts from several threads, re-grading, a failing
 * database, and running out of memory while finding and loading a
 * certification (engine/lua/cert.c), opening a sitting or starting, and a
 * preparation cancelled half way. */
#include "unit.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include <jansson.h>

#include "kaoshi/exam.h"

#define T0 1815872700000LL /* 2027-07-18T09:05:00+08:00, inside the window */

static char db_path[64];
static ks_clock fake;

/* ---- failing allocations -------------------------------------------------
 * An out-of-memory test arms a fault: one call to strdup, or to malloc of a
 * given size, returns NULL, the first after `skip` such calls. The unit tests
 * are built with AddressSanitizer; every other call goes on to its allocator
 * under the __interceptor_ names it gives malloc and strdup. */
void *__interceptor_malloc(size_t size);
char *__interceptor_strdup(const char *s);

typedef struct fault {
    int armed, failed;
    size_t malloc_size; /* 0: strdup's calls fail rather than malloc's */
    long skip;
} fault;

static fault armed_fault;

static void fail_one(size_t malloc_size, long skip)
{
    armed_fault = (fault){.armed = 1, .malloc_size = malloc_size, .skip = skip};
}

/* Disarms the fault; whether a call failed. */
static int fault_hit(void)
{
    armed_fault.armed = 0;
    return armed_fault.failed;
}

static int fails_now(void)
{
    if (!armed_fault.armed || armed_fault.failed || armed_fault.skip-- > 0)
        return 0;
    armed_fault.failed = 1;
    return 1;
}

void *malloc(size_t size)
{
    return size == armed_fault.malloc_size && fails_now() ? NULL : __interceptor_malloc(size);
}

char *strdup(const char *s)
{
    return !armed_fault.malloc_size && fails_now() ? NULL : __interceptor_strdup(s);
}

static int says_out_of_memory(const char *message)
{
    return message && strstr(message, "out of memory") != NULL;
}

static ks_exam open_exam(ks_store **st)
{
    ks_error err;
    CHECK_INT(ks_store_open(db_path, st, &err), KS_OK);
    return (ks_exam){.store = *st, .clock = &fake, .root = ".", .actor = "test"};
}

/* A response that fits question slot of attempt a (the first of the
 * responses the engine makes for its widget); malloc'd. */
static char *fitting_answer(const ks_attempt *a, int slot)
{
    ks_fileset *fs;
    ks_cert *cert;
    ks_diags diags = {0}, warnings = {0};
    ks_error err;
    char *list = NULL;
    CHECK_INT(ks_exam_find_cert(".", "scripts/demo.lua", &fs, &cert, &diags, &warnings), KS_OK);
    CHECK_INT(ks_cert_samples(cert, a->form, (size_t)slot, 1, &list, &err), KS_OK);
    json_t *samples = json_loads(list, 0, NULL);
    char *text = json_dumps(json_array_get(samples, 0), JSON_COMPACT);
    json_decref(samples);
    free(list);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_diags_free(&diags);
    ks_diags_free(&warnings);
    return text;
}

/* A fresh database with sitting s1 open and candidates C001, C002. */
static ks_exam setup(ks_store **st, char codes[2][KS_ACCESS_CODE_LEN + 1])
{
    snprintf(db_path, sizeof db_path, "/tmp/kaoshi-test-exam-%d.db", (int)getpid());
    unlink(db_path);
    ks_clock_fake_init(&fake, T0 - 86400000LL);
    ks_exam x = open_exam(st);
    ks_error err;
    CHECK_INT(ks_exam_sitting_create(&x, "s1", "DEMO-CS", "2027-07-18", 0, 0, 0, NULL, &err),
              KS_OK);
    CHECK_INT(ks_exam_sitting_open(&x, "s1", &err), KS_OK);
    ks_enrollee who[2] = {{"C001", "张三"}, {"C002", "李四"}};
    size_t bad;
    CHECK_INT(ks_exam_enroll(&x, "s1", who, 2, codes, &bad, &err), KS_OK);
    ks_clock_fake_set(&fake, T0);
    return x;
}

static void deadline_refuses_late_answers(void)
{
    ks_store *st;
    char codes[2][KS_ACCESS_CODE_LEN + 1];
    ks_exam x = setup(&st, codes);
    ks_attempt a;
    int resumed;
    ks_error err;
    CHECK_INT(ks_exam_start(&x, "s1", "C001", codes[0], &a, &resumed, &err), KS_OK);
    CHECK_INT(resumed, 0);
    CHECK_INT(a.deadline_at, T0 + 30 * 60000);
    /* within the 30 s grace after the deadline: accepted */
    ks_clock_fake_set(&fake, a.deadline_at + 30000);
    char *answer = fitting_answer(&a, 0);
    CHECK_INT(ks_exam_answer(&x, a.id, 0, answer, NULL, NULL, &err), KS_OK);
    ks_clock_fake_advance(&fake, 1);
    CHECK_INT(ks_exam_answer(&x, a.id, 0, answer, NULL, NULL, &err), KS_ESTATE);
    free(answer);
    ks_attempt got;
    CHECK_INT(ks_store_attempt_get(st, a.id, &got, &err), KS_OK);
    CHECK_INT(got.state, KS_ATTEMPT_FINISHED);
    CHECK_INT(got.finished_at, a.deadline_at);
    CHECK_STR(got.finish_reason, "deadline");
    ks_attempt_free(&got);
    ks_attempt_free(&a);
    ks_store_close(st);
}

static void answers_are_checked(void)
{
    ks_store *st;
    char codes[2][KS_ACCESS_CODE_LEN + 1];
    ks_exam x = setup(&st, codes);
    ks_attempt a;
    int resumed;
    ks_error err;
    CHECK_INT(ks_exam_start(&x, "s1", "C001", codes[0], &a, &resumed, &err), KS_OK);
    CHECK_INT(ks_exam_answer(&x, a.id, 8, "{\"choice\":1}", NULL, NULL, &err), KS_EINPUT);
    CHECK_STR(err.message, "question 9 does not exist; this form has 8");
    CHECK_INT(ks_exam_answer(&x, a.id, 0, "[1]", NULL, NULL, &err), KS_EINPUT);
    CHECK_INT(ks_exam_answer(&x, a.id, 0, "{\"choice\":", NULL, NULL, &err), KS_EINPUT);
    /* a response of another widget's shape is refused, naming the field */
    CHECK_INT(ks_exam_answer(&x, a.id, 0, "{\"choise\":1}", NULL, NULL, &err), KS_EINPUT);
    CHECK(strstr(err.message, "the answer to question 1: unknown field 'choise'; expected "
                              "only '") != NULL);
    CHECK_INT(ks_exam_start(&x, "s1", "C002", codes[0], &a, &resumed, &err), KS_EINPUT);
    CHECK_STR(err.message, "wrong access code for candidate C002");
    ks_attempt_free(&a);
    ks_store_close(st);
}

typedef struct racer {
    const char *code;
    int started, resumed;
} racer;

static void *race_start(void *arg)
{
    racer *r = arg;
    ks_store *st;
    ks_error err;
    if (ks_store_open(db_path, &st, &err) != KS_OK)
        return NULL;
    ks_exam x = {.store = st, .clock = &fake, .root = ".", .actor = "racer"};
    ks_attempt a;
    int resumed;
    if (ks_exam_start(&x, "s1", "C001", r->code, &a, &resumed, &err) == KS_OK) {
        r->started = !resumed;
        r->resumed = resumed;
        ks_attempt_free(&a);
    }
    ks_store_close(st);
    return NULL;
}

static void racing_starts_make_one_attempt(void)
{
    ks_store *st;
    char codes[2][KS_ACCESS_CODE_LEN + 1];
    setup(&st, codes);
    enum { N = 6 };
    pthread_t threads[N];
    racer racers[N];
    for (int i = 0; i < N; i++) {
        racers[i] = (racer){codes[0], 0, 0};
        pthread_create(&threads[i], NULL, race_start, &racers[i]);
    }
    int started = 0, resumed = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(threads[i], NULL);
        started += racers[i].started;
        resumed += racers[i].resumed;
    }
    CHECK_INT(started, 1);
    CHECK_INT(resumed, N - 1);
    ks_attempt *list;
    size_t n;
    ks_error err;
    ks_sitting s;
    CHECK_INT(ks_store_sitting_get(st, "s1", &s, &err), KS_OK);
    CHECK_INT(ks_store_attempts_in(st, s.id, &list, &n, &err), KS_OK);
    CHECK_INT(n, 1);
    ks_attempt_list_free(list, n);
    ks_sitting_free(&s);
    ks_store_close(st);
}

static void regrading_gives_the_same_result(void)
{
    ks_store *st;
    char codes[2][KS_ACCESS_CODE_LEN + 1];
    ks_exam x = setup(&st, codes);
    ks_attempt a;
    int resumed;
    ks_error err;
    CHECK_INT(ks_exam_start(&x, "s1", "C001", codes[0], &a, &resumed, &err), KS_OK);
    for (int slot = 0; slot < 8; slot++) {
        char *answer = fitting_answer(&a, slot);
        CHECK_INT(ks_exam_answer(&x, a.id, slot, answer, NULL, NULL, &err), KS_OK);
        free(answer);
    }
    CHECK_INT(ks_exam_submit(&x, a.id, "submitted", &err), KS_OK);
    size_t graded;
    CHECK_INT(ks_exam_grade(&x, "s1", &graded, &err), KS_OK);
    CHECK_INT(graded, 1);
    ks_result first, second;
    CHECK_INT(ks_store_result_get(st, a.id, &first, &err), KS_OK);
    ks_clock_fake_advance(&fake, 3600000);
    CHECK_INT(ks_exam_grade(&x, "s1", &graded, &err), KS_OK);
    CHECK_INT(ks_store_result_get(st, a.id, &second, &err), KS_OK);
    CHECK_NEAR(second.score, first.score, 0, 0);
    CHECK_STR(second.detail, first.detail);
    CHECK_INT(first.passed, -1); /* the essay waits for a person */
    ks_result_free(&first);
    ks_result_free(&second);
    ks_attempt_free(&a);
    ks_store_close(st);
}

/* A clock that, armed, amends sitting s1 behind the caller's back when it is
 * next read (another connection moves the sitting to its next version): a
 * change between reading the sitting and the write made for it. */
typedef struct racing_clock {
    ks_clock clock;
    int armed;
} racing_clock;

static int64_t amend_when_read(const ks_clock *self)
{
    racing_clock *r = (racing_clock *)self;
    if (r->armed) {
        r->armed = 0;
        sqlite3 *db;
        CHECK_INT(sqlite3_open(db_path, &db), SQLITE_OK);
        CHECK_INT(sqlite3_exec(db, "UPDATE sittings SET version = version + 1 WHERE name = 's1'",
                               NULL, NULL, NULL),
                  SQLITE_OK);
        sqlite3_close(db);
    }
    return self->fake_ms;
}

/* A mark graded with the certification of version 1 while the sitting moved
 * to version 2 is refused whole: no mark, no result labelled version 2. */
static void a_mark_is_never_graded_with_a_version_gone(void)
{
    ks_store *st;
    char codes[2][KS_ACCESS_CODE_LEN + 1];
    ks_exam x = setup(&st, codes);
    ks_attempt a;
    int resumed;
    ks_error err;
    CHECK_INT(ks_exam_start(&x, "s1", "C001", codes[0], &a, &resumed, &err), KS_OK);
    CHECK_INT(ks_exam_submit(&x, a.id, "submitted", &err), KS_OK);
    racing_clock racing = {{amend_when_read, T0 + 60000}, 1};
    x.clock = &racing.clock;
    CHECK_INT(ks_exam_mark(&x, a.id, 7, 1, "tester", "", &err), KS_ESTATE); /* the essay */
    CHECK_INT(racing.armed, 0);
    CHECK_STR(err.message, "sitting 's1' was amended meanwhile (now version 2); try again");
    ks_mark *marks;
    size_t n;
    CHECK_INT(ks_store_marks(st, a.id, &marks, &n, &err), KS_OK);
    CHECK_INT(n, 0);
    ks_mark_list_free(marks, n);
    ks_result r;
    ks_status got = ks_store_result_get(st, a.id, &r, &err);
    CHECK_INT(got, KS_ENOTFOUND);
    if (got == KS_OK)
        ks_result_free(&r);
    ks_attempt_free(&a);
    ks_store_close(st);
}

/* Simulated candidates: enrolled without an access code (no code logs them
 * in), started with the caller's certification and seed (the same seed
 * draws the same form). */
static void starts_with_a_seed_and_no_access_code(void)
{
    ks_store *st;
    char codes[2][KS_ACCESS_CODE_LEN + 1];
    ks_exam x = setup(&st, codes);
    ks_error err;
    ks_enrollee sims[2] = {{"S0001", "模拟考生 1"}, {"S0002", "模拟考生 2"}};
    size_t bad;
    CHECK_INT(ks_exam_enroll(&x, "s1", sims, 2, NULL, &bad, &err), KS_OK);
    ks_enrollment e;
    CHECK_INT(ks_exam_candidate_check(&x, "s1", "S0001", "-", &e, &err), KS_EINPUT);
    CHECK_STR(err.message, "wrong access code for candidate S0001");
    ks_sitting s;
    ks_fileset *fs;
    ks_cert *cert;
    CHECK_INT(ks_store_sitting_get(st, "s1", &s, &err), KS_OK);
    CHECK_INT(ks_exam_frozen_cert(&x, &s, &fs, &cert, &err), KS_OK);
    ks_attempt a, b, c;
    int resumed;
    uint64_t seed = 12345;
    CHECK_INT(ks_exam_start_with(&x, "s1", "S0001", cert, &seed, &a, &resumed, NULL, &err),
              KS_OK);
    CHECK_INT(ks_exam_start_with(&x, "s1", "S0002", NULL, &seed, &b, &resumed, NULL, &err),
              KS_OK);
    CHECK(a.seed == 12345 && b.seed == 12345);
    CHECK_STR(b.form, a.form);
    /* the running attempt is resumed, whatever the seed */
    seed = 777;
    CHECK_INT(ks_exam_start_with(&x, "s1", "S0001", cert, &seed, &c, &resumed, NULL, &err),
              KS_OK);
    CHECK_INT(resumed, 1);
    CHECK_INT(c.id, a.id);
    ks_attempt_free(&a);
    ks_attempt_free(&b);
    ks_attempt_free(&c);
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_sitting_free(&s);
    ks_store_close(st);
}

/* A refusal by the retake policy comes back as data, the policy's words for
 * the candidate, besides the error's message; other refusals carry none. */
static void policy_refusal_is_given_as_data(void)
{
    ks_store *st;
    char codes[2][KS_ACCESS_CODE_LEN + 1];
    ks_exam x = setup(&st, codes);
    char *refusal = (char *)"stale";
    ks_attempt a, b;
    int resumed;
    ks_error err;
    /* a start gives none; the first attempt is then submitted, not graded */
    CHECK_INT(ks_exam_start_with(&x, "s1", "C001", NULL, NULL, &a, &resumed, &refusal, &err),
              KS_OK);
    CHECK(refusal == NULL);
    CHECK_INT(ks_exam_submit(&x, a.id, "submitted", &err), KS_OK);
    CHECK_INT(ks_exam_start_with(&x, "s1", "C001", NULL, NULL, &b, &resumed, &refusal, &err),
              KS_ESTATE);
    CHECK_STR(refusal, "上一次考试尚未评分，评分后方可补考");
    CHECK_STR(err.message,
              "candidate C001 may not start another attempt: 上一次考试尚未评分，评分后方可补考");
    free(refusal);
    refusal = (char *)"stale";
    ks_clock_fake_set(&fake, T0 + 86400000LL);
    CHECK_INT(ks_exam_start_with(&x, "s1", "C002", NULL, NULL, &b, &resumed, &refusal, &err),
              KS_ESTATE);
    CHECK(refusal == NULL);
    CHECK_STR(err.message, "sitting 's1' closed at 2027-07-18T12:00:00+08:00");
    ks_attempt_free(&a);
    ks_store_close(st);
}

/* Only "not found" means an earlier attempt is not graded yet: a result the
 * database fails to read is reported as the error it is, not as the retake
 * policy's refusal. */
static void history_reports_database_errors(void)
{
    ks_store *st;
    char codes[2][KS_ACCESS_CODE_LEN + 1];
    ks_exam x = setup(&st, codes);
    char *refusal = NULL;
    ks_attempt a, b;
    int resumed;
    ks_error err;
    CHECK_INT(ks_exam_start(&x, "s1", "C001", codes[0], &a, &resumed, &err), KS_OK);
    CHECK_INT(ks_exam_submit(&x, a.id, "submitted", &err), KS_OK);
    sqlite3 *db;
    CHECK_INT(sqlite3_open(db_path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "DROP TABLE results", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    CHECK_INT(ks_exam_start_with(&x, "s1", "C001", NULL, NULL, &b, &resumed, &refusal, &err),
              KS_EIO);
    CHECK(strstr(err.message, "no such table: results") != NULL);
    CHECK(refusal == NULL);
    ks_attempt_free(&a);
    ks_store_close(st);
}

/* The actors of the audit log's attempt.start records, in order. */
static char *start_actors(void)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    char *text = NULL;
    CHECK_INT(sqlite3_open(db_path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT group_concat(actor, ',') FROM (SELECT actor FROM "
                                     "audit WHERE action = 'attempt.start' ORDER BY id)",
                                 -1, &q, NULL),
              SQLITE_OK);
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        text = strdup((const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
    return text;
}

/* Starts in two steps: planned starts commit in one transaction, each by
 * its own actor; a candidate whose start another page committed between
 * plan and commit resumes that attempt; extra time granted, or the sitting
 * closed, between plan and commit sends the start back to be planned again
 * (which then gives the extra time, or refuses). */
static void planned_starts_commit_together(void)
{
    ks_store *st;
    char codes[2][KS_ACCESS_CODE_LEN + 1];
    ks_exam x = setup(&st, codes);
    ks_error err;
    ks_enrollee more[3] = {{"C003", "王五"}, {"C004", "赵六"}, {"C005", "钱七"}};
    size_t bad;
    CHECK_INT(ks_exam_enroll(&x, "s1", more, 3, NULL, &bad, &err), KS_OK);
    ks_exam_start_job one = {.sitting = "s1", .number = "C001", .actor = "candidate:C001"},
                      two = {.sitting = "s1", .number = "C002", .actor = "candidate:C002"};
    ks_exam_start_plan(&x, &one);
    ks_exam_start_plan(&x, &two);
    CHECK(one.plan && two.plan);
    ks_exam_start_job *both[] = {&one, &two};
    CHECK_INT(ks_exam_start_batch(&x, both, 2, &err), KS_OK);
    CHECK_INT(one.status, KS_OK);
    CHECK_INT(two.status, KS_OK);
    CHECK(!one.plan && !two.plan && one.attempt.id && two.attempt.id != one.attempt.id);
    CHECK_INT(one.attempt.number, 1);
    CHECK_INT(one.resumed, 0);
    char *actors = start_actors();
    CHECK_STR(actors, "candidate:C001,candidate:C002");
    free(actors);
    /* a plan finds the running attempt: nothing to commit */
    ks_exam_start_job again = {.sitting = "s1", .number = "C001"};
    ks_exam_start_plan(&x, &again);
    CHECK(!again.plan && again.resumed && again.attempt.id == one.attempt.id);
    /* another page starts C003 between the plan and the commit */
    ks_exam_start_job late = {.sitting = "s1", .number = "C003"};
    ks_exam_start_plan(&x, &late);
    ks_attempt other;
    int resumed;
    CHECK_INT(ks_exam_start_with(&x, "s1", "C003", NULL, NULL, &other, &resumed, NULL, &err),
              KS_OK);
    ks_exam_start_job *just_late[] = {&late};
    CHECK_INT(ks_exam_start_batch(&x, just_late, 1, &err), KS_OK);
    CHECK_INT(late.status, KS_OK);
    CHECK(late.resumed && late.attempt.id == other.id);
    /* extra time granted to C004 between its plan and its commit: planned
     * again, the attempt has it */
    ks_exam_start_job granted = {.sitting = "s1", .number = "C004"};
    ks_exam_start_plan(&x, &granted);
    ks_accommodation extra = {.extra_ms = 600000, .factor_pct = 100};
    CHECK_INT(ks_exam_accommodate(&x, "s1", "C004", &extra, NULL, &err), KS_OK);
    ks_exam_start_job *just_granted[] = {&granted};
    CHECK_INT(ks_exam_start_batch(&x, just_granted, 1, &err), KS_OK);
    CHECK_INT(granted.replan, 1);
    ks_attempt with_extra;
    CHECK_INT(ks_exam_start_with(&x, "s1", "C004", NULL, NULL, &with_extra, &resumed, NULL,
                                 &err),
              KS_OK);
    CHECK_INT(with_extra.accommodation_ms, 600000);
    ks_attempt_free(&with_extra);
    ks_exam_start_job_free(&granted);
    /* the sitting closes between C005's plan and its commit */
    ks_exam_start_job closing = {.sitting = "s1", .number = "C005"};
    ks_exam_start_plan(&x, &closing);
    CHECK(closing.plan != NULL);
    size_t finished;
    CHECK_INT(ks_exam_sitting_close(&x, "s1", &finished, &err), KS_OK);
    ks_exam_start_job *just_closing[] = {&closing};
    CHECK_INT(ks_exam_start_batch(&x, just_closing, 1, &err), KS_OK);
    CHECK_INT(closing.status, KS_ESTATE);
    CHECK_INT(closing.replan, 1);
    CHECK_STR(closing.err.message, "sitting 's1' or the attempts of candidate C005 changed "
                                   "during the start; start again");
    ks_exam_start_plan(&x, &closing);
    CHECK(!closing.plan && !closing.replan);
    CHECK_STR(closing.err.message, "sitting 's1' is closed");
    ks_attempt_free(&other);
    ks_exam_start_job_free(&one);
    ks_exam_start_job_free(&two);
    ks_exam_start_job_free(&again);
    ks_exam_start_job_free(&late);
    ks_exam_start_job_free(&closing);
    ks_store_close(st);
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether two loads gave the same declaration, sections and pools. */
static int same_cert(const ks_cert *a, const ks_cert *b)
{
    const ks_cert_info *x = ks_cert_info_of(a), *y = ks_cert_info_of(b);
    int same = same_text(x->code, y->code) && same_text(x->title, y->title) &&
               same_text(x->review, y->review) && same_text(x->timezone, y->timezone) &&
               same_text(x->cert_title, y->cert_title) &&
               same_text(x->cert_role, y->cert_role) &&
               same_text(x->cert_series, y->cert_series) &&
               same_text(x->cert_issuer, y->cert_issuer) &&
               x->tz_offset_min == y->tz_offset_min &&
               x->window_opens_min == y->window_opens_min &&
               x->window_closes_min == y->window_closes_min &&
               x->nsections == y->nsections && x->nitems == y->nitems;
    for (size_t s = 0; same && s < x->nsections; s++)
        same = same_text(x->sections[s].title, y->sections[s].title) &&
               same_text(x->sections[s].rule, y->sections[s].rule) &&
               x->sections[s].pool_size == y->sections[s].pool_size;
    return same;
}

/* Finds scripts/demo.lua with the n-th strdup (malloc_size 0), or malloc of
 * malloc_size bytes, failing, for n = 0, 1, ... until a run meets no failure:
 * a run that fails must say it ran out of memory, and one that succeeds must
 * give the whole certification. Returns the number of runs that failed. */
static long sweep_demo_load(size_t malloc_size, const ks_cert *whole)
{
    for (long n = 0;; n++) {
        ks_fileset *fs;
        ks_cert *cert;
        ks_diags diags = {0}, warnings = {0};
        fail_one(malloc_size, n);
        ks_status rc =
            ks_exam_find_cert(".", "scripts/demo.lua", &fs, &cert, &diags, &warnings);
        int hit = fault_hit();
        if (rc)
            CHECK(says_out_of_memory(diags.count ? diags.lines[0] : NULL));
        else
            CHECK(same_cert(cert, whole));
        ks_cert_free(cert);
        ks_fileset_free(fs);
        ks_diags_free(&diags);
        ks_diags_free(&warnings);
        if (!hit)
            return n;
    }
}

/* Out of memory while finding and loading a certification fails the load:
 * no string of the declaration, no section's pool silently turns empty. */
/* The fake clock, counting the times it is read; the read numbered
 * cancel_at sets the cancel flag, as a stopping server would. */
typedef struct counting_clock {
    ks_clock base;
    long reads, cancel_at;
    atomic_int cancel;
} counting_clock;

static int64_t counting_now(const ks_clock *self)
{
    counting_clock *c = (counting_clock *)self;
    if (++c->reads == c->cancel_at)
        atomic_store(&c->cancel, 1);
    return ks_clock_now(&fake);
}

/* Prepares s1 with its 5 candidates on a counting clock that cancels at
 * read cancel_at (0: never); returns the clock's reads. */
static long prepare_five(long cancel_at, ks_prepared *done)
{
    ks_store *st;
    char codes[2][KS_ACCESS_CODE_LEN + 1];
    ks_exam x = setup(&st, codes);
    ks_error err;
    ks_enrollee more[3] = {{"C003", "王五"}, {"C004", "赵六"}, {"C005", "钱七"}};
    size_t bad, undrawn;
    CHECK_INT(ks_exam_enroll(&x, "s1", more, 3, NULL, &bad, &err), KS_OK);
    counting_clock clock = {.base = {.now_ms = counting_now}, .cancel_at = cancel_at};
    x.clock = &clock.base;
    x.cancel = &clock.cancel;
    CHECK_INT(ks_exam_prepare(&x, "s1", NULL, done, &err), KS_OK);
    ks_sitting s;
    CHECK_INT(ks_store_sitting_get(st, "s1", &s, &err), KS_OK);
    CHECK_INT(ks_store_undrawn_count(st, s.id, s.version, &undrawn, &err), KS_OK);
    CHECK_INT(undrawn, 5 - done->drawn); /* what was drawn is stored */
    if (done->cancelled) {
        /* the next preparation keeps those and draws the rest */
        ks_prepared rest;
        x.cancel = NULL;
        CHECK_INT(ks_exam_prepare(&x, "s1", NULL, &rest, &err), KS_OK);
        CHECK_INT(rest.kept, done->drawn);
        CHECK_INT(rest.drawn, 5 - done->drawn);
        CHECK_INT(rest.cancelled, 0);
    }
    ks_sitting_free(&s);
    ks_store_close(st);
    return clock.reads;
}

static void a_cancelled_preparation_keeps_what_it_drew(void)
{
    ks_prepared whole, half;
    long reads = prepare_five(0, &whole);
    CHECK_INT(whole.drawn, 5);
    CHECK_INT(whole.cancelled, 0);
    prepare_five(reads / 2, &half);
    CHECK_INT(half.cancelled, 1);
    CHECK(half.drawn > 0 && half.drawn < 5);
}

static void a_load_fails_whole_when_memory_runs_out(void)
{
    ks_fileset *fs;
    ks_cert *whole;
    ks_diags diags = {0}, warnings = {0};
    CHECK_INT(ks_exam_find_cert(".", "scripts/demo.lua", &fs, &whole, &diags, &warnings),
              KS_OK);
    CHECK(sweep_demo_load(0, whole) > 10);
    /* the largest pool: few other allocations have its size */
    const ks_cert_info *info = ks_cert_info_of(whole);
    size_t largest = 0;
    for (size_t s = 0; s < info->nsections; s++)
        if (info->sections[s].pool_size > largest)
            largest = info->sections[s].pool_size;
    CHECK(sweep_demo_load((largest + 1) * sizeof(size_t), whole) > 0);
    ks_cert_free(whole);
    ks_fileset_free(fs);
    ks_diags_free(&diags);
    ks_diags_free(&warnings);
    /* by code: the first strdup is the file set's, for the first script tried */
    fail_one(0, 0);
    CHECK_INT(ks_exam_find_cert(".", "DEMO-CS", &fs, &whole, &diags, &warnings),
              KS_EINTERNAL);
    CHECK(fault_hit());
    CHECK(says_out_of_memory(diags.count ? diags.lines[0] : NULL));
    CHECK(fs == NULL && whole == NULL);
    ks_diags_free(&diags);
    ks_diags_free(&warnings);
}

/* Out of memory while opening a sitting reports it and leaves the sitting a
 * draft, to be opened when memory allows. Opening runs every hook of every
 * item on 20 seeds (thousands of copies), so the failing copy is every one
 * of the first 64, then every (n / 8)th: each try runs the open up to it. */
static void opening_fails_whole_when_memory_runs_out(void)
{
    ks_store *st;
    char codes[2][KS_ACCESS_CODE_LEN + 1];
    ks_exam x = setup(&st, codes);
    ks_error err;
    CHECK_INT(ks_exam_sitting_create(&x, "s2", "DEMO-CS", "2027-07-19", 0, 0, 0, NULL, &err),
              KS_OK);
    for (long n = 0;; n += n < 64 ? 1 : n / 8) {
        fail_one(0, n);
        ks_status rc = ks_exam_sitting_open(&x, "s2", &err);
        int hit = fault_hit();
        CHECK(rc == KS_OK || says_out_of_memory(err.message));
        if (!hit) {
            CHECK_INT(rc, KS_OK);
            CHECK(n > 0);
            break;
        }
    }
    ks_store_close(st);
}

/* Out of memory while starting an attempt reports it and stores nothing; a
 * refusal by the retake policy is either given whole or not at all. */
static void starting_fails_whole_when_memory_runs_out(void)
{
    ks_store *st;
    char codes[2][KS_ACCESS_CODE_LEN + 1];
    ks_exam x = setup(&st, codes);
    ks_error err;
    enum { SIMS = 20 };
    ks_enrollee sims[SIMS];
    char numbers[SIMS][8];
    for (int i = 0; i < SIMS; i++) {
        snprintf(numbers[i], sizeof numbers[i], "S%04d", i);
        sims[i] = (ks_enrollee){numbers[i], "模拟考生"};
    }
    size_t bad;
    CHECK_INT(ks_exam_enroll(&x, "s1", sims, SIMS, NULL, &bad, &err), KS_OK);
    ks_sitting s;
    ks_fileset *fs;
    ks_cert *cert;
    CHECK_INT(ks_store_sitting_get(st, "s1", &s, &err), KS_OK);
    CHECK_INT(ks_exam_frozen_cert(&x, &s, &fs, &cert, &err), KS_OK);
    ks_attempt a;
    int resumed;
    uint64_t seed = 5;
    /* a new candidate for each run: a failed start must leave none running */
    for (long n = 0; n < SIMS; n++) {
        fail_one(0, n);
        ks_status rc =
            ks_exam_start_with(&x, "s1", numbers[n], cert, &seed, &a, &resumed, NULL, &err);
        int hit = fault_hit();
        CHECK(rc == KS_OK || (rc == KS_EINTERNAL && says_out_of_memory(err.message)));
        if (rc == KS_OK) {
            CHECK_INT(resumed, 0);
            CHECK_STR(a.code, "DEMO-CS");
            CHECK_STR(a.finish_reason, "");
            ks_attempt_free(&a);
        }
        ks_attempt *mine;
        size_t count;
        ks_enrollment e;
        CHECK_INT(ks_store_enrollment_get(st, s.id, numbers[n], &e, &err), KS_OK);
        CHECK_INT(ks_store_attempts_of(st, e.candidate_id, "DEMO-CS", &mine, &count, &err),
                  KS_OK);
        CHECK_INT(count, rc == KS_OK);
        ks_attempt_list_free(mine, count);
        ks_enrollment_free(&e);
        if (!hit)
            break;
    }
    /* the retake policy refuses S0000's retake while the first is not graded */
    CHECK_INT(ks_exam_start_with(&x, "s1", numbers[0], cert, &seed, &a, &resumed, NULL, &err),
              KS_OK);
    CHECK_INT(ks_exam_submit(&x, a.id, "submitted", &err), KS_OK);
    ks_attempt_free(&a);
    for (long n = 0;; n++) {
        char *refusal = NULL;
        fail_one(0, n);
        ks_status rc =
            ks_exam_start_with(&x, "s1", numbers[0], cert, &seed, &a, &resumed, &refusal, &err);
        int hit = fault_hit();
        if (rc == KS_ESTATE)
            CHECK_STR(refusal, "上一次考试尚未评分，评分后方可补考");
        else
            CHECK(rc == KS_EINTERNAL && says_out_of_memory(err.message) && !refusal);
        free(refusal);
        if (!hit) {
            CHECK_INT(rc, KS_ESTATE);
            CHECK(n > 0);
            break;
        }
    }
    ks_cert_free(cert);
    ks_fileset_free(fs);
    ks_sitting_free(&s);
    ks_store_close(st);
}

UNIT_MAIN(T(deadline_refuses_late_answers), T(answers_are_checked),
          T(racing_starts_make_one_attempt), T(regrading_gives_the_same_result),
          T(a_mark_is_never_graded_with_a_version_gone),
          T(starts_with_a_seed_and_no_access_code),
          T(policy_refusal_is_given_as_data), T(history_reports_database_errors),
          T(planned_starts_commit_together),
          T(a_cancelled_preparation_keeps_what_it_drew),
          T(a_load_fails_whole_when_memory_runs_out),
          T(opening_fails_whole_when_memory_runs_out),
          T(starting_fails_whole_when_memory_runs_out))
