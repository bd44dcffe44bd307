/* test_pace.c: cmocka tests of the self-clocking pace (collector/pace.h) against simulated
 * servers on a simulated clock: one that counts a request when it arrives and answers
 * late (VK's answer time), and a busy one that serves one request at a time and counts it
 * when it gets to it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "pace.h"

#define MAXREQ 4096

/* A simulated server and its client. */
struct sim {
    struct pace pace;
    int busy;         /* one worker in arrival order (else: parallel, count on arrival) */
    uint64_t hold;    /* busy: a heavy request holds the worker this long */
    uint64_t latency; /* parallel: every answer this late */
    int rps;          /* the server's limit per sliding second */
    uint64_t arrive[MAXREQ], done[MAXREQ];
    uint32_t seq[MAXREQ];
    int refused[MAXREQ], answered[MAXREQ];
    uint64_t counted[MAXREQ]; /* accepted requests' times in the server's window */
    int ncounted, n, errors;
    uint64_t worker_free; /* busy: when the worker is free */
    int stalls;           /* the client's loop is busy up to 90 ms after each request */
    uint64_t awake;       /* stalls: when the loop next looks at the pace */
    int next_served;      /* busy: the next request in line */
};

/* Does the server accept a request at t (fewer than rps in (t - 1000, t])? */
static int server_take(struct sim *s, uint64_t t)
{
    int in = 0;
    for (int i = 0; i < s->ncounted; i++)
        in += s->counted[i] + 1000 > t;
    if (in >= s->rps) {
        s->errors++;
        return 0;
    }
    s->counted[s->ncounted++] = t;
    return 1;
}

/* Runs the client for ms milliseconds of simulated time; returns requests sent. */
static int sim_run(struct sim *s, uint64_t ms)
{
    for (uint64_t now = 0; now < ms; now++) {
        /* The server: the busy one takes the next request when its worker is free. */
        while (s->busy && s->next_served < s->n && s->worker_free <= now &&
               s->arrive[s->next_served] <= now) {
            int k = s->next_served++;
            s->refused[k] = !server_take(s, now);
            s->done[k] = now + (s->refused[k] ? 1 : (k % 3 == 0 ? s->hold : 5));
            s->worker_free = s->done[k];
        }
        /* Answers that come now. */
        for (int k = 0; k < s->n; k++)
            if (!s->answered[k] && s->done[k] && s->done[k] <= now) {
                s->answered[k] = 1;
                pace_answered(&s->pace, s->seq[k], now, 1);
                if (s->refused[k])
                    pace_refused(&s->pace, now);
            }
        /* The client sends whenever its pace lets it (and its loop is free). */
        while (s->n < MAXREQ && now >= s->awake && pace_wait(&s->pace, now) == 0) {
            int k = s->n++;
            if (s->stalls) /* writing an answer: 0..89 ms, uneven */
                s->awake = now + (uint64_t)((k * 53) % 90);
            s->seq[k] = pace_sent(&s->pace, now);
            s->arrive[k] = now;
            if (!s->busy) {
                s->refused[k] = !server_take(s, now);
                s->done[k] = now + s->latency + (uint64_t)(k * 37 % 200); /* jitter */
            }
        }
    }
    return s->n;
}

static struct sim sim;

/* A fresh simulation: the client paced at rps against a server that accepts rps. */
static void sim_start(int rps)
{
    memset(&sim, 0, sizeof sim);
    pace_init(&sim.pace, rps);
    sim.rps = rps;
}

/* A busy server, heavy answers holding its worker 1.5 s: the queue behind a heavy answer
 * never reaches the server's count back to back, and is there when the worker is free. */
static void test_pace_busy_server_few_error_6(void **state)
{
    (void)state;
    sim_start(3);
    sim.busy = 1;
    sim.hold = 1500;
    int n = sim_run(&sim, 120000);
    print_message("busy: %d requests in 120 s, %d error 6, window %.1f\n", n, sim.errors,
                  sim.pace.window);
    assert_true(sim.errors <= 3);
    /* A third heavy (1.5 s), the rest light (5 ms). A client that waits for each answer
     * takes about 2.2 s per three requests (165 in 120 s); the two light ones waiting
     * behind the heavy one start when it is done, so it takes 1.5-1.7 s (a lag that cut
     * the window to one made 196). */
    assert_true(n >= 120000 / 1700 * 3);
}

/* A server that counts on arrival and answers 150 +- 100 ms late: enough in flight to
 * keep 20 rps, no error 6. */
static void test_pace_latency_keeps_the_rate(void **state)
{
    (void)state;
    sim_start(20);
    sim.latency = 50;
    int n = sim_run(&sim, 30000);
    print_message("latency: %d requests in 30 s (floor 588), %d error 6, %d allowed\n", n,
                  sim.errors, pace_limit(&sim.pace));
    assert_int_equal(sim.errors, 0);
    assert_true(n >= 30000 / 1020 * 20 * 97 / 100);
}

/* A loop that is busy now and then (an answer parsed or written) sends late: a request
 * late by less than two gaps keeps its slot, so the lateness does not add up over a run,
 * and the server's second still never holds more than the rate. */
static void test_pace_late_loop_keeps_the_rate(void **state)
{
    (void)state;
    sim_start(20);
    sim.latency = 50;
    sim.stalls = 1;
    int n = sim_run(&sim, 30000);
    print_message("late loop: %d requests in 30 s (floor 588), %d error 6\n", n, sim.errors);
    assert_int_equal(sim.errors, 0);
    assert_true(n >= 30000 / 1020 * 20 * 97 / 100);
}

/* A user token's 3 rps against answers 250 +- 100 ms late, with a loop busy now and
 * then: requests held by the second earn nothing back, so they are not bunched against
 * its edge, and the rate holds. */
static void test_pace_slow_answers_at_3_rps(void **state)
{
    (void)state;
    sim_start(3);
    sim.latency = 250;
    sim.stalls = 1;
    int n = sim_run(&sim, 60000);
    print_message("3 rps, slow answers: %d requests in 60 s (floor 176), %d error 6\n", n,
                  sim.errors);
    assert_int_equal(sim.errors, 0);
    assert_true(n >= 60000 / 1020 * 3 * 98 / 100);
}

/* Error 6 halves the window; answers in time grow it back. */
static void test_pace_window_aimd(void **state)
{
    struct pace p;
    (void)state;
    pace_init(&p, 20);
    assert_int_equal(pace_limit(&p), 2);
    uint32_t a = pace_sent(&p, 0), b = pace_sent(&p, 60);
    assert_int_equal(pace_wait(&p, 120), UINT64_MAX); /* two in flight of two */
    pace_answered(&p, a, 130, 1);
    pace_answered(&p, b, 140, 1);
    assert_true(p.window >= 4); /* doubling before the first cut */
    pace_refused(&p, 200);
    assert_true(p.window >= 2 && p.window < 4);
    double w = p.window;
    for (int i = 0; i < 10; i++)
        pace_answered(&p, pace_sent(&p, 1300 + 60 * (uint64_t)i), 1310 + 60 * (uint64_t)i, 1);
    assert_true(p.window > w && p.window < w + 10); /* additive from now on */
}

/* pace_answered says whether an answer lagged by itself: a slow answer did; the one
 * behind it, answered at once after it, was only held; an answer in time did not; the
 * first answer (no fastest answer to compare with) and a lost one say nothing. */
static void test_pace_says_what_lagged_by_itself(void **state)
{
    struct pace p;
    (void)state;
    pace_init(&p, 3);
    uint32_t a = pace_sent(&p, 0);
    assert_int_equal(pace_answered(&p, a, 40, 1), PACE_UNJUDGED);
    uint32_t heavy = pace_sent(&p, 400), light = pace_sent(&p, 750);
    assert_int_equal(pace_answered(&p, heavy, 1900, 1), PACE_LAGGED);
    assert_int_equal(pace_answered(&p, light, 1920, 1), PACE_HELD); /* 1170 ms, 20 its own */
    uint32_t fast = pace_sent(&p, 2200);
    assert_int_equal(pace_answered(&p, fast, 2260, 1), PACE_IN_TIME);
    uint32_t lone = pace_sent(&p, 3000);
    assert_int_equal(pace_answered(&p, lone, 4600, 1), PACE_LAGGED); /* alone, and slow */
    uint32_t lost = pace_sent(&p, 5000);
    assert_int_equal(pace_answered(&p, lost, 9000, 0), PACE_UNJUDGED);
    /* Two answers reported in the other order (a busy loop): the later one's lag may be
     * the wait behind the earlier, still open. */
    uint32_t first = pace_sent(&p, 10000), second = pace_sent(&p, 10340);
    assert_int_equal(pace_answered(&p, second, 12010, 1), PACE_UNJUDGED);
    assert_int_equal(pace_answered(&p, first, 12011, 1), PACE_LAGGED);
}

/* A lagging answer halves the window, but no lower than PACE_LAG_WINDOW_MIN (requests
 * may wait behind a slow one); error 6 may bring it down to one. */
static void test_pace_lag_keeps_a_few_in_flight(void **state)
{
    struct pace p;
    (void)state;
    pace_init(&p, 20);
    for (int i = 0; i < 8; i++) /* answers in 10 ms: the window grows */
        pace_answered(&p, pace_sent(&p, 60 * (uint64_t)i), 60 * (uint64_t)i + 10, 1);
    assert_true(p.window >= 8);
    uint64_t t = 1000;
    for (int i = 0; i < 6; i++, t += 2000) { /* one lag an episode, 2 s apart */
        uint32_t s = pace_sent(&p, t);
        pace_answered(&p, s, t + 1500, 1);
        assert_true(p.window >= PACE_LAG_WINDOW_MIN);
    }
    assert_true(p.window == PACE_LAG_WINDOW_MIN);
    assert_int_equal(pace_limit(&p), (int)PACE_LAG_WINDOW_MIN);
    pace_refused(&p, t);
    pace_refused(&p, t + 2000); /* a second episode */
    assert_true(p.window < PACE_LAG_WINDOW_MIN);

    pace_init(&p, 1); /* never more than the rate allows */
    pace_answered(&p, pace_sent(&p, 0), 10, 1);
    pace_answered(&p, pace_sent(&p, 2000), 3500, 1);
    assert_true(p.window <= 1);
}

/* Refusals of requests in flight together are one episode, and an episode alone (a
 * server's stall) halves the window and holds the next request a gap, no more; a second
 * one within PACE_CAREFUL_MS widens the gap and turns the estimates careful. */
static void test_pace_error_6_episodes(void **state)
{
    struct pace p;
    (void)state;
    pace_init(&p, 20);
    double gap = p.rl.gap_ms, window = p.window;
    pace_refused(&p, 5000);
    pace_refused(&p, 5040);
    pace_refused(&p, 5100);
    assert_true(p.window == window / 2 || p.window == 1); /* halved once */
    assert_true(p.rl.gap_ms == gap);                       /* not widened */
    assert_true(p.careful_til <= 5100);                    /* not careful */
    assert_true(pace_wait(&p, 5101) > 0);                  /* held a gap */
    pace_refused(&p, 9000);
    assert_true(p.rl.gap_ms > gap * 1.04 && p.rl.gap_ms < gap * 1.06); /* widened */
    assert_true(p.careful_til >= 9000 + PACE_CAREFUL_MS);              /* careful */
    pace_refused(&p, 9000 + 2 * PACE_CAREFUL_MS);
    assert_true(p.careful_til == 9000 + PACE_CAREFUL_MS); /* alone again: as it was */
    assert_true(p.rl.gap_ms > gap * 1.04 && p.rl.gap_ms < gap * 1.06);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pace_busy_server_few_error_6),
        cmocka_unit_test(test_pace_latency_keeps_the_rate),
        cmocka_unit_test(test_pace_late_loop_keeps_the_rate),
        cmocka_unit_test(test_pace_slow_answers_at_3_rps),
        cmocka_unit_test(test_pace_window_aimd),
        cmocka_unit_test(test_pace_lag_keeps_a_few_in_flight),
        cmocka_unit_test(test_pace_says_what_lagged_by_itself),
        cmocka_unit_test(test_pace_error_6_episodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
