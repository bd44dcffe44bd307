/* test_ratelimit.c: cmocka tests of the request pacer (collector/ratelimit.h) on a simulated clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ratelimit.h"

/*
 * VK refuses (error 6) any rps+1 requests of one token whose first and last
 * are less than a second apart. The pacer must keep every such window over
 * a second, and still use the rate it is given: a caller that sends as soon
 * as ratelimit_wait allows should get within 3 % of rps.
 */

#define MAXREQ 1000

/* A caller on a simulated clock that sends each request as soon as allowed. */
struct sim {
    struct ratelimit rl;
    uint64_t now;            /* the simulated clock, ms */
    uint64_t t[MAXREQ];      /* when each request left */
    int n;                   /* requests sent */
    double earliest[MAXREQ]; /* rl.next_ms just before each request: when it was allowed */
};

static void sim_init(struct sim *s, double rps, uint64_t start)
{
    memset(s, 0, sizeof *s);
    ratelimit_init(&s->rl, rps);
    s->now = start;
}

/* Waits as long as the pacer says (plus `late` ms of timer lateness), then sends. */
static void sim_send(struct sim *s, uint64_t late)
{
    assert_true(s->n < MAXREQ);
    s->now += ratelimit_wait(&s->rl, s->now) + late;
    /* Asking again at the moment it said is always "now". */
    assert_int_equal(ratelimit_wait(&s->rl, s->now), 0);
    s->earliest[s->n] = s->rl.next_ms;
    s->t[s->n++] = s->now;
    ratelimit_take(&s->rl, s->now);
}

/* Asserts that every k consecutive requests from index `from` span more than 1000 ms. */
static void assert_windows(const struct sim *s, int k, int from, double rps)
{
    for (int i = from; i + k - 1 < s->n; i++) {
        uint64_t span = s->t[i + k - 1] - s->t[i];
        if (span <= 1000)
            fail_msg("rps %g: requests %d..%d span %llu ms (at %llu and %llu)", rps, i, i + k - 1,
                     (unsigned long long)span, (unsigned long long)s->t[i],
                     (unsigned long long)s->t[i + k - 1]);
    }
}

/* ---- tests ------------------------------------------------------------------ */

static void test_ratelimit_first_request_leaves_at_once(void **state)
{
    struct ratelimit rl;
    ratelimit_init(&rl, 3);
    assert_int_equal(ratelimit_wait(&rl, 0), 0);
    assert_int_equal(ratelimit_wait(&rl, 1700000000000ULL), 0);
    ratelimit_take(&rl, 1700000000000ULL);
    assert_true(ratelimit_wait(&rl, 1700000000000ULL) > 0);
}

static void test_ratelimit_rps_plus_one_span_over_a_second(void **state)
{
    static const double rates[] = {3, 20};
    static struct sim s;
    for (size_t r = 0; r < sizeof rates / sizeof *rates; r++) {
        int rps = (int)rates[r];
        /* From a clock at 0 and from a realistic epoch time. */
        for (int start = 0; start < 2; start++) {
            sim_init(&s, rates[r], start ? 1717200000123ULL : 0);
            for (int i = 0; i < 300; i++)
                sim_send(&s, 0);
            assert_windows(&s, rps + 1, 0, rates[r]);
            /* And not by a lot more: rps+1 requests take about a second, not two. */
            assert_true(s.t[rps] - s.t[0] < 1100);
        }
    }
}

static void test_ratelimit_rate_not_wasted(void **state)
{
    static const double rates[] = {3, 20};
    static struct sim s;
    for (size_t r = 0; r < sizeof rates / sizeof *rates; r++) {
        double rps = rates[r], achieved;
        sim_init(&s, rps, 1717200000000ULL);
        for (int i = 0; i < 100; i++)
            sim_send(&s, 0);
        /* 99 intervals between 100 requests. */
        achieved = 99.0 * 1000.0 / (double)(s.t[99] - s.t[0]);
        if (achieved > rps || achieved < rps * 0.97)
            fail_msg("rps %g: achieved %.3f requests per second over 100", rps, achieved);
    }
}

static void test_ratelimit_other_rates_keep_the_window(void **state)
{
    /*
     * Rates whose gap is not a whole number of milliseconds. On a clock in
     * whole milliseconds a request sent as soon as allowed leaves up to 1 ms
     * after its time, and a late request earns nothing back, so each interval
     * is the gap rounded up: that much, and no more, is lost.
     */
    static const double rates[] = {1, 2, 5, 6, 7, 9, 11, 13, 17, 19, 25, 33, 50};
    static struct sim s;
    for (size_t r = 0; r < sizeof rates / sizeof *rates; r++) {
        sim_init(&s, rates[r], 1717200000000ULL);
        for (int i = 0; i < 200; i++)
            sim_send(&s, 0);
        assert_windows(&s, (int)rates[r] + 1, 0, rates[r]);
        for (int i = 1; i < s.n; i++) {
            uint64_t dt = s.t[i] - s.t[i - 1];
            if ((double)dt < s.rl.gap_ms || (double)dt > ceil(s.rl.gap_ms))
                fail_msg("rps %g: interval %llu ms for a gap of %.3f ms", rates[r],
                         (unsigned long long)dt, s.rl.gap_ms);
        }
    }
}

static void test_ratelimit_wait_zero_only_when_allowed(void **state)
{
    /*
     * "0: now" must mean the request is allowed now, not a fraction of a
     * millisecond early: each request leaves at or after the time the pacer
     * had set for it. Swept over many rates so that every fractional part of
     * the gap occurs.
     */
    static struct sim s;
    for (int k = 0; k < 4000; k++) {
        double rps = 0.5 + k * 0.0137;
        sim_init(&s, rps, 1717200000000ULL + (uint64_t)k);
        for (int i = 0; i < 12; i++) {
            sim_send(&s, 0);
            if ((double)s.t[i] < s.earliest[i])
                fail_msg("rps %.4f: request %d left at %llu, allowed from %.6f", rps, i,
                         (unsigned long long)s.t[i], s.earliest[i]);
        }
    }
}

static void test_ratelimit_late_timers_keep_the_window(void **state)
{
    /* Timers fire late by 0..4 ms; lateness never shortens a window. */
    static const double rates[] = {3, 20};
    static struct sim s;
    uint32_t seed = 12345;
    for (size_t r = 0; r < sizeof rates / sizeof *rates; r++) {
        sim_init(&s, rates[r], 0);
        for (int i = 0; i < 500; i++) {
            seed = seed * 1103515245u + 12345u;
            sim_send(&s, (seed >> 16) % 5);
        }
        assert_windows(&s, (int)rates[r] + 1, 0, rates[r]);
    }
}

static void test_ratelimit_pause_holds_back(void **state)
{
    struct ratelimit rl;
    static struct sim s;

    ratelimit_init(&rl, 3);
    ratelimit_take(&rl, 0);
    /* VK said error 6 at 100: nothing leaves for a second from then. */
    ratelimit_pause(&rl, 100, 1000);
    assert_int_equal(ratelimit_wait(&rl, 100), 1000);
    assert_int_equal(ratelimit_wait(&rl, 340), 760);
    assert_int_equal(ratelimit_wait(&rl, 1099), 1);
    assert_int_equal(ratelimit_wait(&rl, 1100), 0);
    ratelimit_take(&rl, 1100);
    assert_int_equal(ratelimit_wait(&rl, 1100), 340);

    /* A pause shorter than the gap still owed does not shorten it. */
    ratelimit_init(&rl, 3);
    ratelimit_take(&rl, 0);
    ratelimit_pause(&rl, 10, 5);
    assert_int_equal(ratelimit_wait(&rl, 10), 330);

    /* A pause on a fresh pacer holds the very first request. */
    ratelimit_init(&rl, 20);
    ratelimit_pause(&rl, 5000, 2000);
    assert_int_equal(ratelimit_wait(&rl, 5000), 2000);
    assert_int_equal(ratelimit_wait(&rl, 6999), 1);
    assert_int_equal(ratelimit_wait(&rl, 7000), 0);

    /* After a pause in the middle of a stream the window still holds, and the pause is kept. */
    sim_init(&s, 20, 0);
    for (int i = 0; i < 30; i++)
        sim_send(&s, 0);
    ratelimit_pause(&s.rl, s.now, 1000);
    for (int i = 0; i < 30; i++)
        sim_send(&s, 0);
    assert_true(s.t[30] - s.t[29] >= 1000);
    assert_windows(&s, 21, 0, 20);
}

static void test_ratelimit_late_request_earns_no_burst(void **state)
{
    static const double rates[] = {3, 20};
    static struct sim s;
    for (size_t r = 0; r < sizeof rates / sizeof *rates; r++) {
        int rps = (int)rates[r];
        sim_init(&s, rates[r], 0);
        for (int i = 0; i < 5; i++)
            sim_send(&s, 0);
        /* Idle for a minute: the first request after it leaves at once... */
        s.now += 60000;
        assert_int_equal(ratelimit_wait(&s.rl, s.now), 0);
        uint64_t idle_at = s.now;
        int idle_from = s.n;
        for (int i = 0; i < 3 * rps + 3; i++)
            sim_send(&s, 0);
        assert_int_equal(s.t[idle_from], idle_at);
        /* ...but the ones after it are paced from it, not from the idle time. */
        assert_true(s.t[idle_from + 1] - s.t[idle_from] >= (uint64_t)floor(s.rl.gap_ms));
        assert_windows(&s, rps + 1, idle_from, rates[r]);
        assert_windows(&s, rps + 1, 0, rates[r]);
    }
}

static void test_ratelimit_refusal_widens_the_gap(void **state)
{
    static struct sim s;
    double gap0;

    sim_init(&s, 3, 1717200000000ULL);
    gap0 = s.rl.gap_ms;
    for (int i = 0; i < 5; i++)
        sim_send(&s, 0);
    /* Refused at the moment of the last request: the next waits one wider gap,
     * not a whole second. */
    ratelimit_refused(&s.rl, s.now);
    assert_int_equal(s.rl.refusals, 1);
    assert_true(s.rl.gap_ms > gap0 * 1.04 && s.rl.gap_ms < gap0 * 1.06);
    assert_int_equal(ratelimit_wait(&s.rl, s.now), (uint64_t)ceil(s.rl.gap_ms));
    /* The wider gap stays for the requests after it. */
    for (int i = 0; i < 10; i++)
        sim_send(&s, 0);
    for (int i = 6; i < s.n; i++)
        assert_true((double)(s.t[i] - s.t[i - 1]) >= s.rl.gap_ms);
    assert_windows(&s, 4, 0, 3);
    /* Refusals in a row widen it up to one and a half times the first, no more. */
    for (int i = 0; i < 30; i++)
        ratelimit_refused(&s.rl, s.now);
    assert_true(fabs(s.rl.gap_ms - gap0 * RATELIMIT_WIDEN_MAX) < 1e-9);
}

static void test_ratelimit_clock_between_gaps(void **state)
{
    /* Asking at any moment of a gap gives the remaining time, never more than the gap. */
    struct ratelimit rl;
    ratelimit_init(&rl, 20);
    ratelimit_take(&rl, 1000);
    for (uint64_t t = 1000; t <= 1060; t++) {
        uint64_t w = ratelimit_wait(&rl, t);
        assert_true(w <= 51);
        assert_true(t + w >= 1051);
        if (t >= 1051)
            assert_int_equal(w, 0);
        else
            assert_int_equal(t + w, 1051);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ratelimit_first_request_leaves_at_once),
        cmocka_unit_test(test_ratelimit_rps_plus_one_span_over_a_second),
        cmocka_unit_test(test_ratelimit_rate_not_wasted),
        cmocka_unit_test(test_ratelimit_other_rates_keep_the_window),
        cmocka_unit_test(test_ratelimit_wait_zero_only_when_allowed),
        cmocka_unit_test(test_ratelimit_late_timers_keep_the_window),
        cmocka_unit_test(test_ratelimit_pause_holds_back),
        cmocka_unit_test(test_ratelimit_late_request_earns_no_burst),
        cmocka_unit_test(test_ratelimit_refusal_widens_the_gap),
        cmocka_unit_test(test_ratelimit_clock_between_gaps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
