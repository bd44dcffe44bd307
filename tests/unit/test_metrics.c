/* test_metrics.c: cmocka tests of the weekly report's figures (report/metrics.c) on a hand-built
 * database (metrics_fixture.h). */
#include "metrics_fixture.h"
#include "render.h"

static void test_metrics_window_and_runs(void **state)
{
    const struct report *r = fx.r3;
    (void)state;
    assert_int_equal(r->nweeks, 3);
    assert_int_equal(r->weeks[0].start, S45);
    assert_int_equal(r->weeks[2].start, S47);
    assert_int_equal(r->weeks[2].end, S48);
    assert_int_equal(r->ncoms, 3);
    assert_string_equal(r->coms[A].ref, "a");
    /* W47 had run 3 (ok) and the failed run 4; run 5 is W48's. */
    assert_int_equal(r->runs[2].total, 2);
    assert_int_equal(r->runs[2].ok, 1);
    assert_int_equal(r->runs[2].failed, 1);
    assert_int_equal(r->runs[0].total, 1);
    assert_true(r->total.weeks[2].notes & NOTE_RUNS_FAILED);
    assert_false(r->total.weeks[1].notes & NOTE_RUNS_FAILED);
}

static void test_metrics_subscribers_and_membership(void **state)
{
    const struct metric_week *w = wk(fx.r3, A, 2);
    (void)state;
    /* Boundary snapshots: run 3 (8 h after the start) and run 5 (8 h after
     * the end); the failed run's 9999 in between is ignored. */
    assert_int_equal(w->start_at, R3);
    assert_int_equal(w->end_at, R4);
    FIG(w, M_SUBS_START, 104);
    FIG(w, M_SUBS_END, 101);
    FIG(w, M_NET, -3);
    FIG(w, M_JOINED, 2); /* 1004, 1006 */
    FIG(w, M_LEFT, 1);   /* 1002 */
    assert_int_equal(w->notes & ~(unsigned)(NOTE_COUNTERS_DOWN | NOTE_LIKES_BRACKET), 0);
}

static void test_metrics_member_who_left_and_came_back(void **state)
{
    (void)state;
    /* W45 (run 1 to run 2): 1003 left. W46 (run 2 to run 3): 1003 came
     * back and 1005 joined: the return is a join, not a continuation. */
    FIG(wk(fx.r3, A, 0), M_LEFT, 1);
    FIG(wk(fx.r3, A, 0), M_JOINED, 0);
    FIG(wk(fx.r3, A, 1), M_JOINED, 2);
    FIG(wk(fx.r3, A, 1), M_LEFT, 0);
    FIG(wk(fx.r3, A, 1), M_SUBS_START, 102);
    FIG(wk(fx.r3, A, 1), M_NET, 2);
}

static void test_metrics_posts_by_kind(void **state)
{
    (void)state;
    const struct metric_week *w = wk(fx.r3, A, 2);
    FIG(w, M_POSTS, 3);         /* 20, 21, 22 */
    FIG(w, M_POSTS_MEMBERS, 1); /* 21: suggested by 1005 */
    FIG(w, M_REPOSTS_OTHER, 1); /* 22: copy of wall -555 */
    w = wk(fx.r3, A, 1);
    FIG(w, M_POSTS, 2);         /* 10, 11; the pinned post is 200 days old */
    FIG(w, M_POSTS_MEMBERS, 1); /* 10: signed by 1001 */
    FIG(w, M_REPOSTS_OTHER, 0);
    FIG(wk(fx.r3, A, 0), M_POSTS, 0);
}

static void test_metrics_counter_deltas_and_counters_down(void **state)
{
    const struct metric_week *w = wk(fx.r3, A, 2);
    (void)state;
    /* pinned 1: +50 views +5 likes +1 comment; 10: +60 views, -2 likes,
     * +1 repost, -1 comment; 20, 21, 22 count from zero. */
    FIG(w, M_VIEWS, 560);
    FIG(w, M_LIKES, 22);
    FIG(w, M_COMMENTS, 7);
    FIG(w, M_REPOSTS, 4);
    FIG(w, M_WITHDRAWN, 3);
    assert_true(w->notes & NOTE_COUNTERS_DOWN);
    FIG(w, M_OWN_VIEWS, 450);
    FIG(w, M_OWN_LIKES, 17);
    FIG(w, M_OWN_COMMENTS, 6);
    FIG(w, M_OWN_REPOSTS, 3);
    FIG(w, M_ER_SUBS, 33.0 / 101);
    /* The SMM rates: ERday over the week's 7 days; ERpost and ERview over its 3 posts
     * (20: 20 reactions / 300 views, 21: 5 / 100, 22: 1 / 50); ERReach over the
     * stats.get reach of the 7 days (100 each). */
    FIG(w, M_ER_DAY, 33.0 / 7 / 101);
    FIG(w, M_ER_POST, 26.0 / 3 / 101);
    FIG(w, M_ER_VIEW, (20.0 / 300 + 5.0 / 100 + 1.0 / 50) / 3);
    FIG(w, M_REACH, 700);
    FIG(w, M_VISITORS, 350);
    FIG(w, M_ER_REACH, 33.0 / 700);
    /* W46: pinned +100 views +5 likes; 10 and 11 from zero; the failed
     * run's reading of 11 (500 views) is not used. */
    w = wk(fx.r3, A, 1);
    FIG(w, M_VIEWS, 380);
    FIG(w, M_LIKES, 17);
    FIG(w, M_COMMENTS, 4);
    FIG(w, M_REPOSTS, 1);
    FIG(w, M_WITHDRAWN, 0);
    assert_false(w->notes & NOTE_COUNTERS_DOWN);
    FIG(w, M_OWN_VIEWS, 280);
    FIG(w, M_ER_VIEW, (15.0 / 200 + 2.0 / 80) / 2);
    NO_FIG(w, M_REACH); /* no stats.get days: no reach, and no ERReach from views */
    NO_FIG(w, M_ER_REACH);
}

static void test_metrics_pinned_old_post_first_read(void **state)
{
    const struct metric_week *w = wk(fx.r3, A, 0);
    (void)state;
    /* Run 2 read the 200-day-old pinned post for the first time: its 5000
     * views and 300 likes are history, not W45's gains, and its likers are
     * not W45's actives. */
    FIG(w, M_VIEWS, 0);
    FIG(w, M_LIKES, 0);
    assert_true(w->notes & NOTE_OLD_POSTS_SKIPPED);
    assert_int_equal(w->old_posts_skipped, 1);
    NO_FIG(w, M_ER_VIEW); /* no posts: no rate, not 0 % */
    NO_FIG(w, M_ER_POST);
    FIG(w, M_ER_SUBS, 0);
    FIG(w, M_ACTIVE, 0);
    FIG(w, M_ACTIVE_SHARE, 0);
    /* Its later gains count, and it is no post of the week. */
    assert_false(wk(fx.r3, A, 1)->notes & NOTE_OLD_POSTS_SKIPPED);
}

static void test_metrics_active_members(void **state)
{
    const struct metric_week *w = wk(fx.r3, A, 2);
    (void)state;
    /* Likes found by run 5, each in its bracket: 1005 on post 1 (read by run 3: R3 to
     * R4, the failed run's reading is no evidence), 1004 and 3001 on post 20 (published
     * S47 + 1 day, after run 3's complete wall: from its date to R4). Their middles lie
     * in W47, their brackets reach into W48: counted, not certain. Certain: comments by
     * 1006, 1001, 1007 (a reply; the deleted one has no author), the repost by 1003 (the
     * group -777 is no person), the post 21 by 1005. 3001 is no member; members listed
     * at run 5: 7. */
    assert_true(w->notes & NOTE_LIKES_BRACKET);
    FIG_BOUNDS(w, M_ACTIVE, 7, 5, 7);
    FIG_BOUNDS(w, M_ACTIVE_MEMBERS, 6, 5, 6);
    FIG_APPROX(w, M_ACTIVE_SHARE, 6.0 / 7);
    /* W46: 1001 liked post 1 between R2 and R3 (the middle: W46), 1003 post 10 between
     * its date (S46 + 2 days, after run 2) and R3 (the middle: W46); both brackets
     * reach into W47. 1002 commented, 1001 signed post 10: certain. */
    w = wk(fx.r3, A, 1);
    FIG_BOUNDS(w, M_ACTIVE, 3, 2, 3);
    FIG_BOUNDS(w, M_ACTIVE_MEMBERS, 3, 2, 3);
    FIG_APPROX(w, M_ACTIVE_SHARE, 0.5);
    /* W45: the likes run 2 found on the 200-day-old pinned post are dated by it. */
    w = wk(fx.r3, A, 0);
    FIG(w, M_ACTIVE, 0);
    assert_false(w->m[M_ACTIVE].bounded);
}

/* A boundary snapshot far from its boundary (snapshot_slack_hours allows up to 168 h) is
 * noted and named beside the snapshots with how far it was; 8 h (a daily run) is not. */
static void test_metrics_far_snapshot_is_named(void **state)
{
    struct report *r = NULL;
    char s[512];
    (void)state;
    assert_int_equal(build_with(3, 8 * DAY, &r), 0);
    const struct metric_week *w = wk(r, B, 1); /* b missed run 2 */
    assert_int_equal(w->start_at, R1);         /* 6 days 16 h before W46's start */
    assert_true(w->notes & NOTE_START_FAR);
    assert_false(w->notes & NOTE_END_FAR); /* R3: 8 h after its end */
    render_snapshots(LANG_RU, w, s, sizeof s);
    assert_non_null(strstr(s, "(на 7 дней раньше начала периода), на конец "));
    render_snapshots(LANG_EN, w, s, sizeof s);
    assert_non_null(strstr(s, "(7 days before the period's start), at the end "));
    assert_null(strchr(strstr(s, "at the end"), '('));
    assert_false(wk(r, A, 2)->notes & (NOTE_START_FAR | NOTE_END_FAR));
    report_free(r);
}

static void test_metrics_week_without_start_snapshot(void **state)
{
    const struct metric_week *w = wk(fx.r3, B, 1);
    (void)state;
    /* b missed run 2: nothing within 84 h of W46's start. */
    assert_true(w->notes & NOTE_NO_START);
    assert_int_equal(w->start_at, 0);
    assert_int_equal(w->end_at, R3);
    NO_FIG(w, M_SUBS_START);
    FIG(w, M_SUBS_END, 55);
    NO_FIG(w, M_NET);
    NO_FIG(w, M_JOINED);
    NO_FIG(w, M_LEFT);
    NO_FIG(w, M_VIEWS);
    NO_FIG(w, M_LIKES);
    NO_FIG(w, M_ER_REACH);
    FIG(w, M_POSTS, 1); /* dated posts are known all the same */
    /* 1101 commented; active people are dated acts, not boundary snapshots: the likes
     * of W46 would be found by run 3, which read them completely. */
    FIG(w, M_ACTIVE, 1);
    FIG(w, M_ACTIVE_SHARE, 0.25);
    /* W45: nothing near its end either. */
    w = wk(fx.r3, B, 0);
    assert_true(w->notes & NOTE_NO_END);
    FIG(w, M_SUBS_START, 50);
    NO_FIG(w, M_SUBS_END);
    FIG_APPROX(w, M_POSTS, 0);
    /* W47 is whole again. */
    w = wk(fx.r3, B, 2);
    FIG(w, M_NET, -1);
    FIG(w, M_VIEWS, 45);
    FIG(w, M_LIKES, 3);
    /* 1001's like of post 6 (S47 + 2 days) found by run 5: counted, not certain. */
    FIG_BOUNDS(w, M_ACTIVE, 1, 0, 1);
    FIG_APPROX(w, M_ACTIVE_SHARE, 0.25);
}

static void test_metrics_hidden_members_and_not_collected(void **state)
{
    const struct metric_week *w = wk(fx.r3, C, 2);
    (void)state;
    assert_true(w->notes & NOTE_MEMBERS_HIDDEN);
    FIG(w, M_SUBS_START, 30);
    FIG(w, M_NET, 1);
    NO_FIG(w, M_JOINED);
    NO_FIG(w, M_ACTIVE_MEMBERS);
    NO_FIG(w, M_ACTIVE_SHARE);
    FIG(w, M_ACTIVE, 0);
    FIG(w, M_VIEWS, 0);
    FIG(w, M_POSTS, 0);
    /* W45 ended long before c's first collection. */
    w = wk(fx.r3, C, 0);
    assert_true(w->notes & NOTE_NOT_COLLECTED);
    for (int m = 0; m < M_COUNT; m++)
        NO_FIG(w, (enum metric_id)m);
    /* W46: its first snapshot is near W46's end; likes it found are dated by their posts. */
    w = wk(fx.r3, C, 1);
    assert_true(w->notes & NOTE_NO_START);
    assert_true(w->notes & NOTE_LIKES_BY_POST);
    assert_false(w->notes & NOTE_NO_LIKES);
    FIG(w, M_SUBS_END, 30);
}

static void test_metrics_network_totals(void **state)
{
    const struct metric_week *w = &fx.r3->total.weeks[2];
    (void)state;
    FIG(w, M_SUBS_START, 189);
    FIG(w, M_SUBS_END, 186);
    FIG(w, M_NET, -3);
    NO_FIG(w, M_JOINED); /* c's joins are unknown: a sum of a and b alone is no network total */
    FIG(w, M_POSTS, 4);
    FIG(w, M_VIEWS, 605);
    FIG(w, M_LIKES, 25);
    FIG(w, M_WITHDRAWN, 3);
    FIG(w, M_ER_DAY, 37.0 / 7 / 186);
    NO_FIG(w, M_REACH); /* b and c have no stats.get days: no network sum */
    /* Distinct people: 1001 is active in a and b but counts once; who is
     * active is known in c too, only its members are not. Certain: a's five. */
    FIG_BOUNDS(w, M_ACTIVE, 7, 5, 7);
    FIG_APPROX(w, M_ACTIVE_MEMBERS, 6);
    FIG_APPROX(w, M_ACTIVE_SHARE, 6.0 / 9);
}

static void test_metrics_compare_with_previous_and_average(void **state)
{
    const struct metric_community *a = &fx.r3->coms[A];
    (void)state;
    assert_true(a->cmp[M_VIEWS].has_prev);
    assert_true(a->cmp[M_VIEWS].prev == 380);
    assert_int_equal(a->cmp[M_VIEWS].avg_weeks, 2);
    assert_true(a->cmp[M_VIEWS].avg == 190);
    assert_true(a->cmp[M_SUBS_END].avg == 103);
    /* W45 had no posts, so no ERview: the average is W46's alone. */
    assert_int_equal(a->cmp[M_ER_VIEW].avg_weeks, 1);
    assert_true(fabs(a->cmp[M_ER_VIEW].avg - 0.05) < 1e-12);
    /* b's W46 has no subscribers at its start. */
    assert_false(fx.r3->coms[B].cmp[M_SUBS_START].has_prev);
    assert_int_equal(fx.r3->coms[B].cmp[M_SUBS_START].avg_weeks, 1);
}

static void test_metrics_top_posts(void **state)
{
    const struct metric_community *a = &fx.r3->coms[A];
    (void)state;
    /* Every post of the week is listed, best first; the top two are its first rows. */
    assert_int_equal(a->nposts, 3);
    assert_int_equal(a->ntop, 2);
    assert_int_equal(a->posts[0].id, 20);
    assert_int_equal(a->posts[0].owner_id, -101);
    assert_int_equal(a->posts[0].views, 300);
    assert_int_equal(a->posts[0].likes, 12);
    assert_int_equal(a->posts[0].comments, 5);
    assert_int_equal(a->posts[0].reposts, 3);
    assert_int_equal(a->posts[0].kind, POST_COMMUNITY);
    assert_string_equal(a->posts[0].text, "Итоги конкурса «Учитель года»");
    assert_true(fabs(a->posts[0].er_post - 20.0 / 101) < 1e-12);
    assert_true(fabs(a->posts[0].er_view - 20.0 / 300) < 1e-12);
    assert_int_equal(a->posts[1].id, 21);
    assert_int_equal(a->posts[1].kind, POST_MEMBER);
    assert_string_equal(a->posts[1].text, "");
    assert_int_equal(a->posts[2].id, 22);
    assert_int_equal(a->posts[2].kind, POST_REPOST);
    assert_int_equal(fx.r3->coms[C].ntop, 0);
    /* The best time to post: 20 went out on Tuesday of W47 at 00:00 local. */
    assert_int_equal(a->hours.posts[1][0], 1);
    assert_int_equal(a->hours.reactions[1][0], 20);
}

static void test_metrics_ladder_over_window(void **state)
{
    const struct metric_community *a = &fx.r3->coms[A];
    (void)state;
    /* Members at W47's end snapshot (run 5, where subscribers_end is from): 1002 has left,
     * 1004 and 1006 have joined: 1001 1003 1004 1005 1006 1007 1008. */
    assert_int_equal(a->ladder.state, MS_OK);
    assert_int_equal(a->ladder.members, 7);
    assert_int_equal(a->ladder.level[LADDER_CONTRIBUTE], 2); /* 1001 signed, 1005 suggested */
    assert_int_equal(a->ladder.level[LADDER_DISCUSS], 2);    /* 1006, 1007 */
    assert_int_equal(a->ladder.level[LADDER_REGISTERED], 3); /* 1003, 1004, 1008 */
    assert_int_equal(a->ladder.outsiders, 1);                /* 1002, who left */
    /* The period before W45 predates the first collection. */
    assert_int_equal(a->ladder_prev.state, MS_MISSING);
    assert_int_equal(a->moves.state, MS_MISSING);
    assert_int_equal(fx.r3->coms[B].ladder.level[LADDER_DISCUSS], 1);
    assert_int_equal(fx.r3->coms[B].ladder.level[LADDER_REGISTERED], 3);
    assert_int_equal(fx.r3->coms[C].ladder.state, MS_MISSING);
}

static void test_metrics_ladder_moves(void **state)
{
    const struct metric_community *a = &fx.r1->coms[A];
    (void)state;
    /* One-week window: W47 against W46, members at W47's end snapshot (run 5) and at its
     * start snapshot (run 3: 1001 1002 1003 1005 1007 1008). */
    assert_int_equal(a->ladder.members, 7);
    assert_int_equal(a->ladder.level[LADDER_REGISTERED], 3);
    assert_int_equal(a->ladder.level[LADDER_DISCUSS], 3);
    assert_int_equal(a->ladder.level[LADDER_CONTRIBUTE], 1);
    assert_int_equal(a->ladder_prev.state, MS_OK);
    assert_int_equal(a->ladder_prev.members, 6);
    assert_int_equal(a->ladder_prev.level[LADDER_CONTRIBUTE], 1);
    assert_int_equal(a->ladder_prev.level[LADDER_DISCUSS], 1);
    assert_int_equal(a->moves.state, MS_OK);
    assert_int_equal(a->moves.up, 2);
    assert_int_equal(a->moves.down, 1);
    assert_int_equal(a->moves.same, 2);
    assert_int_equal(a->moves.came, 2); /* 1004, 1006 joined at run 5 */
    assert_int_equal(a->moves.went, 1); /* 1002 left at run 5 */
    /* With one week there is nothing to average against. */
    assert_false(a->cmp[M_VIEWS].has_prev);
    assert_int_equal(a->cmp[M_VIEWS].avg_weeks, 0);
}

static int64_t muni_members(const struct metric_network *n, const char *name, int64_t *active,
                            int64_t *discuss, int64_t *contribute)
{
    const struct muni *m = muni_by_name(fx.munis, name);
    assert_non_null(m);
    *active = n->munis[m->index].active;
    *discuss = n->munis[m->index].discuss;
    *contribute = n->munis[m->index].contribute;
    return n->munis[m->index].members;
}

static void test_metrics_network_view(void **state)
{
    const struct metric_network *n = &fx.r3->net;
    int64_t act, dis, con;
    (void)state;
    assert_int_equal(n->ncom, 3);
    assert_int_equal(n->excluded, 1); /* c hides its members */
    assert_int_equal(n->state, MS_APPROX);
    assert_int_equal(n->members, 9);
    assert_int_equal(n->members_in[1], 7);
    assert_int_equal(n->members_in[2], 2); /* 1001, 1003 */
    assert_int_equal(n->active, 7);
    assert_int_equal(n->active_in[0], 3); /* 1008, 1101, 1102 */
    assert_int_equal(n->active_in[1], 6);
    assert_int_equal(n->active_in[2], 1); /* 1001 */
    assert_int_equal(n->spread[1 * 4 + 0], 3);
    assert_int_equal(n->spread[1 * 4 + 1], 4);
    assert_int_equal(n->spread[2 * 4 + 1], 1);
    assert_int_equal(n->spread[2 * 4 + 2], 1);
    assert_int_equal(n->attributed, 4);
    assert_int_equal(n->no_city, 4);
    assert_int_equal(n->outside, 1); /* Москва */
    assert_int_equal(muni_members(n, "Челябинский ГО", &act, &dis, &con), 1);
    assert_int_equal(act, 1);
    assert_int_equal(con, 1);
    assert_int_equal(muni_members(n, "Копейский ГО", &act, &dis, &con), 1);
    assert_int_equal(act + dis + con, 1);
    assert_int_equal(muni_members(n, "Миасский ГО", &act, &dis, &con), 1);
    assert_int_equal(act, 0);
    assert_int_equal(dis, 1);
    assert_int_equal(muni_members(n, "Пластовский МО", &act, &dis, &con), 1);
    assert_int_equal(muni_members(n, "Ашинский МО", &act, &dis, &con), 0);
}

static void test_metrics_bad_window(void **state)
{
    struct store *st = NULL;
    struct report_options o = {0};
    struct report *r = (struct report *)1;
    char err[256];
    (void)state;
    assert_int_equal(store_open(fx.db, STORE_READONLY, &st, err, sizeof err), 0);
    week_make(2026, 47, &o.week);
    o.nweeks = 0;
    assert_int_equal(report_build(st, &o, &r, err, sizeof err), VKP_EUSAGE);
    assert_null(r);
    assert_non_null(strstr(err, "trend window"));
    store_free(st);
    report_free(NULL);
}

/* The activity view's bracket of one like: lo, hi and at. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metrics_window_and_runs),
        cmocka_unit_test(test_metrics_subscribers_and_membership),
        cmocka_unit_test(test_metrics_member_who_left_and_came_back),
        cmocka_unit_test(test_metrics_posts_by_kind),
        cmocka_unit_test(test_metrics_counter_deltas_and_counters_down),
        cmocka_unit_test(test_metrics_pinned_old_post_first_read),
        cmocka_unit_test(test_metrics_active_members),
        cmocka_unit_test(test_metrics_week_without_start_snapshot),
        cmocka_unit_test(test_metrics_far_snapshot_is_named),
        cmocka_unit_test(test_metrics_hidden_members_and_not_collected),
        cmocka_unit_test(test_metrics_network_totals),
        cmocka_unit_test(test_metrics_compare_with_previous_and_average),
        cmocka_unit_test(test_metrics_top_posts),
        cmocka_unit_test(test_metrics_ladder_over_window),
        cmocka_unit_test(test_metrics_ladder_moves),
        cmocka_unit_test(test_metrics_network_view),
        cmocka_unit_test(test_metrics_bad_window),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
