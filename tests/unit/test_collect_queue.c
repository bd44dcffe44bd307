/* test_collect_queue.c: cmocka tests of the collector's queue (collector/collect_queue.c):
 * calls that lead go first, and a batch spreads heavy calls while others can fill it, as
 * many as the rate gives the loop time to write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collect_int.h"

static struct collector *new_collector(void)
{
    struct collector *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->nlanes = 1;
    return c;
}

static struct call *new_call(enum call_kind kind, int64_t offset)
{
    struct call *call = calloc(1, sizeof *call);
    assert_non_null(call);
    call->kind = kind;
    call->offset = offset;
    return call;
}

/* The queue's calls as "kind:offset" tokens, checked against the links and the count. */
static void assert_queue(struct collector *c, const char *want)
{
    char got[512] = "";
    size_t n = 0;
    const struct call *last = NULL;
    for (const struct call *call = c->queue; call; last = call, call = call->next) {
        size_t used = strlen(got);
        snprintf(got + used, sizeof got - used, "%s%d:%lld", used ? " " : "", (int)call->kind,
                 (long long)call->offset);
        n++;
    }
    assert_string_equal(got, want);
    assert_int_equal(n, c->queued);
    assert_ptr_equal(c->queue_tail, last);
}

static void free_queue(struct collector *c)
{
    collect_drop_queue(&c->queue);
    free(c);
}

/* A first page, a chained page (the wall) and groups.getById go before the pages whose
 * answers ask for nothing more, in the order they came; later pages keep theirs. */
static void test_queue_leads_first(void **state)
{
    (void)state;
    struct collector *c = new_collector();
    collect_requeue_now(c, new_call(CALL_LIKES, 1000));
    collect_requeue_now(c, new_call(CALL_MEMBERS, 980));
    collect_requeue_now(c, new_call(CALL_LIKES, 0));
    collect_requeue_now(c, new_call(CALL_WALL, 90));
    collect_requeue_now(c, new_call(CALL_LIKES, 2000));
    collect_requeue_now(c, new_call(CALL_COMMENTS, 0));
    assert_queue(c, "3:0 2:90 4:0 3:1000 1:980 3:2000");

    /* Taking the last lead out moves the place where the next lead goes. */
    struct call *prev = c->queue->next, *lead = prev->next;
    collect_unlink(c, prev, lead);
    free(lead);
    assert_ptr_equal(c->queue_lead, prev);
    collect_requeue_now(c, new_call(CALL_REPOSTS, 20));
    assert_queue(c, "3:0 2:90 6:20 3:1000 1:980 3:2000");

    /* Emptied from the head, the queue takes a lead at its head again. */
    while (c->queue) {
        struct call *call = collect_dequeue_for(c, 0, NULL, NULL, INFINITY);
        assert_non_null(call);
        free(call);
    }
    assert_null(c->queue_lead);
    assert_null(c->queue_tail);
    collect_requeue_now(c, new_call(CALL_MEMBERS, 980));
    collect_requeue_now(c, new_call(CALL_GROUPS, 0));
    assert_queue(c, "0:0 1:980");
    free_queue(c);
}

/* A batch holds at most its most member pages while other calls can fill it; the rest
 * wait in their place for the next batch. */
static void test_queue_members_spread(void **state)
{
    (void)state;
    struct collector *c = new_collector();
    int taken[CALL_KINDS] = {0}, most[CALL_KINDS] = {[CALL_MEMBERS] = 5}, members = 0;
    for (int i = 1; i <= 10; i++)
        collect_requeue_now(c, new_call(CALL_MEMBERS, i * MEMBERS_STEP));
    for (int i = 1; i <= 30; i++)
        collect_requeue_now(c, new_call(CALL_LIKES, i * 1000));
    for (int n = 0; n < BATCH_MAX; n++) {
        struct call *call = collect_dequeue_for(c, 0, taken, most, INFINITY);
        assert_non_null(call);
        taken[call->kind]++;
        members += call->kind == CALL_MEMBERS;
        free(call);
    }
    assert_int_equal(members, 5);
    assert_int_equal(c->queued, 15);
    /* Only member pages left: with no cap, they fill a batch. */
    while (c->queue && c->queue->kind == CALL_MEMBERS)
        free(collect_dequeue_for(c, 0, NULL, most, INFINITY));
    assert_int_equal(c->queue->kind, CALL_LIKES);
    free_queue(c);
}

/* How many member pages a batch may hold follows the gap between requests of all tokens
 * together: what a server builds and the loop writes in one. */
static void test_queue_batch_most_follows_the_rate(void **state)
{
    (void)state;
    struct collector *c = new_collector();
    struct pace fast, slow;
    int most[CALL_KINDS];

    pace_init(&fast, 20);
    pace_init(&slow, 3);
    c->lanes[0].pace = &fast;
    collect_batch_most(c, most);
    assert_int_equal(most[CALL_MEMBERS], (int)(fast.rl.gap_ms / MEMBERS_PAGE_COST_MS));
    assert_in_range(most[CALL_MEMBERS], 1, 2); /* 2 at 20 rps: spread */
    assert_int_equal(most[CALL_LIKES], 0);     /* light: any */

    c->lanes[0].pace = &slow; /* 3 rps: a wider gap, more of them */
    collect_batch_most(c, most);
    assert_int_equal(most[CALL_MEMBERS], (int)(slow.rl.gap_ms / MEMBERS_PAGE_COST_MS));
    int alone = most[CALL_MEMBERS];
    assert_in_range(alone, 10, BATCH_MAX - 1);

    c->nlanes = 3; /* three tokens at 3 rps: a third of the gap */
    c->lanes[1].pace = c->lanes[2].pace = &slow;
    collect_batch_most(c, most);
    assert_int_equal(most[CALL_MEMBERS], (int)(slow.rl.gap_ms / 3 / MEMBERS_PAGE_COST_MS));
    assert_in_range(most[CALL_MEMBERS], 1, BATCH_MAX - 1);
    c->lanes[1].rejected = c->lanes[2].rejected = 1; /* set aside: one token's gap again */
    collect_batch_most(c, most);
    assert_int_equal(most[CALL_MEMBERS], alone);
    free(c);
}

/* A batch bounded by heft.h's budget takes only the calls predicted to fit, further down
 * the queue if need be; a call's weight comes from what its answer should list. */
static void test_queue_room_bounds_the_batch(void **state)
{
    (void)state;
    struct collector *c = new_collector();
    struct post_job big = {.likes = 100, .comments = 400}, small = {.likes = 3, .comments = 2};
    struct call *call = new_call(CALL_COMMENTS, 0);

    call->post = &big;
    double heavy = collect_call_weight(call); /* a full page of 100, not 400 */
    assert_true(heavy == collect_methods[CALL_COMMENTS].answer_bytes +
                             100.0 * collect_methods[CALL_COMMENTS].item_bytes);
    collect_requeue_now(c, call);
    call = new_call(CALL_COMMENTS, 0);
    call->post = &small;
    double light = collect_call_weight(call);
    assert_true(light < heavy / 10);
    collect_requeue_now(c, call);
    call = new_call(CALL_THREAD, 0);
    call->post = &big;
    call->items = 7; /* a thread of seven replies */
    assert_true(collect_call_weight(call) == collect_methods[CALL_THREAD].answer_bytes +
                                                 7.0 * collect_methods[CALL_THREAD].item_bytes);
    collect_requeue_now(c, call);

    call = collect_dequeue_for(c, 0, NULL, NULL, heavy - 1);
    assert_non_null(call);
    assert_ptr_equal(call->post, &small); /* the heavy one waits */
    free(call);
    assert_int_equal(c->queue->kind, CALL_COMMENTS);
    assert_null(collect_dequeue_for(c, 0, NULL, NULL, light - 1));
    free_queue(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_leads_first),
        cmocka_unit_test(test_queue_members_spread),
        cmocka_unit_test(test_queue_batch_most_follows_the_rate),
        cmocka_unit_test(test_queue_room_bounds_the_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
