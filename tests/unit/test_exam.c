/* Unit tests for the exam lifecycle (engine/exam.c) on the fake clock, with
 * the example certification (scripts/demo.lua, banks/demo.yaml): deadlines
 * without sleeping, racing starts from several threads, re-grading. */
#include "unit.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "kaoshi/exam.h"

#define T0 1815872700000LL /* 2027-07-18T09:05:00+08:00, inside the window */

static char db_path[64];
static ks_clock fake;

static ks_exam open_exam(ks_store **st)
{
    ks_error err;
    CHECK_INT(ks_store_open(db_path, st, &err), KS_OK);
    return (ks_exam){*st, &fake, ".", "test"};
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
    CHECK_INT(ks_exam_answer(&x, a.id, 0, "{\"choice\":1}", NULL, NULL, &err), KS_OK);
    ks_clock_fake_advance(&fake, 1);
    CHECK_INT(ks_exam_answer(&x, a.id, 0, "{\"choice\":2}", NULL, NULL, &err), KS_ESTATE);
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
    ks_exam x = {st, &fake, ".", "racer"};
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
    for (int slot = 0; slot < 8; slot++)
        CHECK_INT(ks_exam_answer(&x, a.id, slot, "{\"choice\":2,\"value\":true}", NULL, NULL,
                                 &err),
                  KS_OK);
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

UNIT_MAIN(T(deadline_refuses_late_answers), T(answers_are_checked),
          T(racing_starts_make_one_attempt), T(regrading_gives_the_same_result),
          T(starts_with_a_seed_and_no_access_code),
          T(policy_refusal_is_given_as_data))
