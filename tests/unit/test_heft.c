/* test_heft.c: cmocka tests of collector/heft.c: the answer size from which a server lags
 * is learned from answers that lag by their size on a server that serves in order, and
 * not from answers that lag by chance or on a server that serves the others meanwhile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "heft.h"

static uint32_t next_rand(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

/* Answers from a server like bench/vkio.sh's busy one: one worker, answers of 64 KB or
 * more hold it, and the answer after each heavy one was held behind it; sizes spread
 * evenly over 30-90 KB, predicted exactly. */
static void feed_busy(struct heft *h, int n, uint32_t *seed)
{
    for (int i = 0; i < n; i++) {
        size_t bytes = 30000 + next_rand(seed) % 60000;
        heft_answered(h, (double)bytes, bytes, bytes >= 65536 ? PACE_LAGGED : PACE_IN_TIME);
        if (bytes >= 65536)
            heft_answered(h, 1000, 1000, PACE_HELD);
    }
}

static double budget(struct heft *h)
{
    double heavy;
    return heft_next_batch(h, &heavy);
}

/* A server that never lags; one that lags at random one answer in eight whatever the
 * size; one whose large answers lag but hold nothing behind them: no limit, batches stay
 * full. */
static void test_heft_no_limit_without_cause(void **state)
{
    (void)state;
    struct heft h;
    uint32_t seed = 7;

    heft_init(&h);
    for (int i = 0; i < 200; i++)
        heft_answered(&h, 50000, 30000 + (size_t)i * 500, PACE_IN_TIME);
    assert_true(budget(&h) == 0);

    heft_init(&h);
    for (int i = 0; i < 2000; i++) {
        size_t bytes = 20000 + next_rand(&seed) % 150000;
        int slow = next_rand(&seed) % 8 == 0;
        heft_answered(&h, (double)bytes, bytes, slow ? PACE_LAGGED : PACE_IN_TIME);
        if (slow)
            heft_answered(&h, 1000, 1000, PACE_HELD);
        assert_true(budget(&h) == 0);
    }
    assert_int_equal(h.limits, 0);

    heft_init(&h);
    for (int i = 0; i < 200; i++) {
        size_t bytes = 30000 + next_rand(&seed) % 60000;
        heft_answered(&h, (double)bytes, bytes, bytes >= 65536 ? PACE_LAGGED : PACE_IN_TIME);
    }
    assert_true(budget(&h) == 0); /* served side by side: light batches would gain nothing */
}

/* Answers that lag from 64 KB on: the budget is a margin below the largest answer that
 * came in time, so that predictions that err a little still stay light; one call of the
 * limit's size is heavy on its own. */
static void test_heft_learns_the_size_that_lags(void **state)
{
    (void)state;
    struct heft h;
    uint32_t seed = 1;
    double heavy;

    heft_init(&h);
    feed_busy(&h, 40, &seed);
    double b = heft_next_batch(&h, &heavy);
    assert_true(b > 0.8 * 65536 && b <= HEFT_MARGIN * 65536);
    assert_true(h.limit >= 65536 && h.ok < 65536);
    assert_true(heavy == (double)h.limit);

    /* Too few lags: not yet a limit. */
    heft_init(&h);
    heft_answered(&h, 40000, 40000, PACE_IN_TIME);
    heft_answered(&h, 70000, 70000, PACE_LAGGED);
    heft_answered(&h, 1000, 1000, PACE_HELD);
    heft_answered(&h, 80000, 80000, PACE_LAGGED);
    assert_true(budget(&h) == 0);
    assert_int_equal(heft_answered(&h, 90000, 90000, PACE_LAGGED), 1); /* found: said */
    assert_true(budget(&h) == (double)(uint64_t)(HEFT_MARGIN * 40000));
    assert_int_equal(heft_bound(&h), (uint64_t)(HEFT_MARGIN * 40000));

    /* Answers of the same size, one in time and two slow: the size is judged as a whole. */
    heft_init(&h);
    heft_answered(&h, 40000, 40000, PACE_IN_TIME);
    heft_answered(&h, 70000, 70000, PACE_IN_TIME);
    heft_answered(&h, 70000, 70000, PACE_LAGGED);
    heft_answered(&h, 1000, 1000, PACE_HELD);
    heft_answered(&h, 70000, 70000, PACE_LAGGED);
    heft_answered(&h, 80000, 80000, PACE_LAGGED);
    heft_answered(&h, 90000, 90000, PACE_LAGGED);
    assert_true(h.limit == 70000);

    /* No answer, or not one to learn sizes from (an HTTP error): nothing learned. */
    int n = h.n;
    heft_answered(&h, 50000, 0, PACE_LAGGED);
    heft_answered(&h, 50000, 60000, PACE_UNJUDGED);
    assert_int_equal(h.n, n);
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
        heft_answered(&h, (double)bytes / 2, bytes, bytes >= 65536 ? PACE_LAGGED : PACE_IN_TIME);
        heft_answered(&h, 500, 1000, PACE_HELD);
    }
    double b = budget(&h);
    assert_true(b > 0.8 * 64000 / 2 && b < HEFT_MARGIN * 65536 / 2);
}

/* A limit outlives its evidence: once batches stay light, the slow samples leave the ring,
 * and a small answer that lags by chance then does not end it. A smaller answer that lags
 * where the last answers show a lower limit lowers it. */
static void test_heft_limit_is_kept(void **state)
{
    (void)state;
    struct heft h;
    uint32_t seed = 5;

    heft_init(&h);
    feed_busy(&h, 40, &seed);
    uint64_t limit = h.limit;
    assert_true(limit > 0);
    for (int i = 0; i < 2 * HEFT_SAMPLES; i++)
        heft_answered(&h, 40000, 30000 + (size_t)i * 100, PACE_IN_TIME);
    heft_answered(&h, 20000, 20000, PACE_LAGGED);
    assert_true(h.limit == limit);

    /* The server got slower: from 40 KB on. */
    for (int i = 0; i < 10; i++) {
        heft_answered(&h, 45000, 45000 + (size_t)i * 1000, PACE_LAGGED);
        heft_answered(&h, 1000, 1000, PACE_HELD);
    }
    assert_true(h.limit >= 45000 && h.limit < limit);
    assert_true(budget(&h) < HEFT_MARGIN * 45000);
}

/* A limit ends when HEFT_MIN_SLOW answers at or above it come in time with none lagging
 * between them (with the samples: the server changed); a probe every HEFT_PROBE_EVERY
 * batches lets that happen. */
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
        probes += budget(&h) == 0;
    assert_int_equal(probes, 4);

    heft_answered(&h, 200000, 200000, PACE_IN_TIME);
    heft_answered(&h, 200000, 200000, PACE_IN_TIME);
    heft_answered(&h, 200000, 200000, PACE_LAGGED); /* one lagged: counted anew */
    heft_answered(&h, 200000, 200000, PACE_IN_TIME);
    heft_answered(&h, 200000, 200000, PACE_IN_TIME);
    assert_true(h.limit > 0);
    assert_int_equal(heft_answered(&h, 200000, 200000, PACE_IN_TIME), -1); /* ended: said */
    assert_true(h.limit == 0);
    assert_int_equal(h.n, 0);
    assert_true(budget(&h) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heft_no_limit_without_cause),
        cmocka_unit_test(test_heft_learns_the_size_that_lags),
        cmocka_unit_test(test_heft_corrects_the_prediction),
        cmocka_unit_test(test_heft_limit_is_kept),
        cmocka_unit_test(test_heft_limit_ends_and_probes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
