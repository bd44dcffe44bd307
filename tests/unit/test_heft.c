/* test_heft.c: cmocka tests of collector/heft.c: the answer size from which a server lags
 * is learned from answers that lag by size, and never from answers that lag by chance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "heft.h"

/* A server like bench/vkio.sh's busy one: answers of 64 KB or more hold it; sizes are
 * spread evenly over 30-90 KB, predicted exactly. */
static void feed_busy(struct heft *h, int n, uint32_t *seed)
{
    for (int i = 0; i < n; i++) {
        *seed = *seed * 1103515245u + 12345u;
        size_t bytes = 30000 + (*seed >> 8) % 60000;
        heft_answered(h, (double)bytes, bytes, bytes >= 65536);
    }
}

/* A server that never lags, and one that lags at random one answer in eight whatever
 * its size: no limit, batches stay full. */
static void test_heft_no_limit_without_cause(void **state)
{
    (void)state;
    struct heft h;
    uint32_t seed = 7;

    heft_init(&h);
    for (int i = 0; i < 200; i++)
        heft_answered(&h, 50000, 30000 + (size_t)i * 500, 0);
    assert_true(heft_budget(&h) == 0);

    heft_init(&h);
    for (int i = 0; i < 2000; i++) {
        seed = seed * 1103515245u + 12345u;
        size_t bytes = 20000 + (seed >> 8) % 150000;
        seed = seed * 1103515245u + 12345u;
        heft_answered(&h, (double)bytes, bytes, (seed >> 16) % 8 == 0);
        assert_true(heft_budget(&h) == 0);
    }
    assert_int_equal(h.limits, 0);
}

/* Answers that lag from 64 KB on: the budget is a margin below the largest answer that
 * came in time, so that predictions that err a little still stay light. */
static void test_heft_learns_the_size_that_lags(void **state)
{
    (void)state;
    struct heft h;
    uint32_t seed = 1;

    heft_init(&h);
    feed_busy(&h, 40, &seed);
    double b = heft_budget(&h);
    assert_true(b > 0.8 * 65536 && b <= HEFT_MARGIN * 65536);
    assert_true(h.limits >= 1); /* found, perhaps refined as smaller slow ones came */
    assert_true(h.limit >= 65536 && h.ok < 65536);

    /* A few lags: not yet a limit. */
    heft_init(&h);
    heft_answered(&h, 40000, 40000, 0);
    heft_answered(&h, 70000, 70000, 1);
    heft_answered(&h, 80000, 80000, 1);
    assert_true(heft_budget(&h) == 0);
    heft_answered(&h, 90000, 90000, 1);
    assert_true(heft_budget(&h) > 0);
}

/* The budget is in predicted bytes: predictions that run at half the actual size give a
 * budget half as large. */
static void test_heft_corrects_the_prediction(void **state)
{
    (void)state;
    struct heft h;

    heft_init(&h);
    for (int i = 0; i < 30; i++) {
        size_t bytes = 40000 + (size_t)i * 2000; /* 40-98 KB */
        heft_answered(&h, (double)bytes / 2, bytes, bytes >= 65536);
    }
    double b = heft_budget(&h);
    assert_true(b > 0.8 * 64000 / 2 && b < HEFT_MARGIN * 65536 / 2);
}

/* A limit lasts while answers above it lag; one that comes in time has it judged again on
 * the last answers, which end it once the server keeps pace; a probe every
 * HEFT_PROBE_EVERY batches lets that be found out. */
static void test_heft_limit_ends_and_probes(void **state)
{
    (void)state;
    struct heft h;
    uint32_t seed = 3;
    int probes = 0;

    heft_init(&h);
    feed_busy(&h, 40, &seed);
    assert_true(h.limit > 0);
    for (int i = 0; i < 4 * HEFT_PROBE_EVERY; i++)
        probes += heft_budget(&h) == 0;
    assert_int_equal(probes, 4);

    /* Waiting behind another answer says nothing of a size. */
    heft_answered(&h, 200000, 200000, -1);
    assert_true(h.limit > 0);
    /* As large, in time, once: the last answers still say it lags. */
    heft_answered(&h, 200000, 200000, 0);
    assert_true(h.limit > 0);
    /* The server got faster: answers of every size in time. */
    for (int i = 0; i < HEFT_SAMPLES; i++)
        heft_answered(&h, 100000, 30000 + (size_t)i * 1000, 0);
    assert_true(h.limit == 0);
    assert_true(heft_budget(&h) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heft_no_limit_without_cause),
        cmocka_unit_test(test_heft_learns_the_size_that_lags),
        cmocka_unit_test(test_heft_corrects_the_prediction),
        cmocka_unit_test(test_heft_limit_ends_and_probes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
