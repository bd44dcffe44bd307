/* test_metrics_series.c: cmocka tests of the figures that must hold across time (report/metrics.c):
 * the dating of likes and its bounds, the year to date, joins from stats.get, on the hand-built
 * database of metrics_fixture.h. */
#include "metrics_fixture.h"

static void like_bracket(int64_t owner, int64_t post, int64_t user, int64_t out[3])
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(fx.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT lo, hi, at FROM activity WHERE kind = 'like'"
                                        " AND owner_id = ?1 AND post_id = ?2 AND user_id = ?3",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(s, 1, owner);
    sqlite3_bind_int64(s, 2, post);
    sqlite3_bind_int64(s, 3, user);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    for (int i = 0; i < 3; i++)
        out[i] = sqlite3_column_int64(s, i);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* Each rule of dating a like, at its edges (schema/0013_series.sql). */
static void test_metrics_like_dating(void **state)
{
    int64_t b[3];
    (void)state;
    /* Found by the first reading of an old post (run 2 reached the pinned post late, its
     * wall read complete at run 1): its post's date, no bracket. */
    like_bracket(-101, 1, 2001, b);
    assert_int_equal(b[0], S47 - 200 * DAY);
    assert_int_equal(b[1], S47 - 200 * DAY);
    assert_int_equal(b[2], S47 - 200 * DAY);
    /* Found by run 3, the post read by run 2: (R2, R3], the middle between. */
    like_bracket(-101, 1, 1001, b);
    assert_int_equal(b[0], R2);
    assert_int_equal(b[1], R3);
    assert_int_equal(b[2], R3 - (R3 - R2) / 2);
    /* Found by run 5: the failed run 4 between is no evidence, the bracket opens at run 3. */
    like_bracket(-101, 1, 1005, b);
    assert_int_equal(b[0], R3);
    assert_int_equal(b[1], R4);
    /* A post newer than the last complete wall read (run 2): from its date. */
    like_bracket(-101, 10, 1003, b);
    assert_int_equal(b[0], S46 + 2 * DAY);
    assert_int_equal(b[1], R3);
    /* Published after run 3's complete wall read (run 4 failed): from its date to run 5. */
    like_bracket(-101, 20, 3001, b);
    assert_int_equal(b[0], S47 + DAY);
    assert_int_equal(b[1], R4);
}

/* An open year against the same span of each year before it (issue 21). */
static void test_metrics_year_to_date(void **state)
{
    struct week y[3];
    struct tm tm = {
        .tm_year = 2026 - 1900, .tm_mon = 11, .tm_mday = 5, .tm_hour = 12, .tm_isdst = -1};
    int64_t now = (int64_t)mktime(&tm), cut[3];
    (void)state;
    for (int i = 0; i < 3; i++)
        assert_int_equal(period_make(PERIOD_YEAR, 2024 + i, 0, &y[i]), 0);
    assert_int_equal(report_year_to_date(y, 3, now), now);
    /* 1 January – 5 December 12:00 of each year, local time. */
    for (int i = 0; i < 3; i++) {
        struct tm c = tm;
        c.tm_year = 2024 + i - 1900;
        cut[i] = (int64_t)mktime(&c);
        assert_int_equal(y[i].end, cut[i]);
    }
    assert_int_equal(y[2].end, now);
    /* Complete years keep their whole span; so does a window of weeks. */
    for (int i = 0; i < 3; i++)
        assert_int_equal(period_make(PERIOD_YEAR, 2023 + i, 0, &y[i]), 0);
    int64_t whole = y[2].end;
    assert_int_equal(report_year_to_date(y, 3, now), 0);
    assert_int_equal(y[2].end, whole);
    assert_int_equal(report_year_to_date(y, 3, whole), 0); /* at 1 January 00:00: complete */
    /* A school year: 1 September – 5 December against the same of the one before. */
    assert_int_equal(period_make(PERIOD_SCHOOL_YEAR, 2025, 0, &y[0]), 0);
    assert_int_equal(period_make(PERIOD_SCHOOL_YEAR, 2026, 0, &y[1]), 0);
    assert_int_equal(report_year_to_date(y, 2, now), now);
    assert_int_equal(y[0].end, cut[1]);
}

/* The yearly report of the fixture's open year: each year cut at the build time. */
static void test_metrics_yearly_open_year(void **state)
{
    struct store *st = NULL;
    struct report_options o = {0};
    struct report *r = NULL;
    char err[256];
    (void)state;
    assert_int_equal(store_open(fx.db, STORE_READONLY, &st, err, sizeof err), 0);
    assert_int_equal(period_make(PERIOD_YEAR, 2026, 0, &o.week), 0);
    o.nweeks = 2;
    o.slack = SLACK;
    o.horizon_days = 1;
    o.now = R4 + DAY;
    assert_int_equal(report_build(st, &o, &r, err, sizeof err), 0);
    assert_int_equal(r->ytd_cut, R4 + DAY);
    assert_int_equal(r->weeks[1].end, R4 + DAY);
    assert_true(r->weeks[0].end < r->weeks[1].start);
    assert_true(r->weeks[0].end > r->weeks[1].start - 40 * DAY); /* 24 November 2025 */
    assert_true(r->coms[A].weeks[1].notes & NOTE_YEAR_TO_DATE);
    assert_false(r->coms[A].weeks[1].notes & NOTE_WEEK_OPEN);
    FIG(&r->coms[A].weeks[1], M_POSTS, 6); /* every post of a, all in 2026 before the cut */
    report_free(r);
    store_free(st);
}

/*
 * Joins and leaves of weeks before the first collection from stats.get days, for an
 * admin's group: the days that start in the week (VK's days, here UTC midnights), when
 * the stored days cover it; missing for a week the days do not reach back to.
 */
static void test_metrics_joins_from_stats(void **state)
{
    struct store *st = NULL;
    struct report_options o = {0};
    struct report *r = NULL;
    sqlite3 *db = NULL;
    char err[256];
    const int64_t d0 = S45 - 7 * DAY - 19 * H; /* 2026-10-25 00:00 UTC, 19 h before W44 */
    (void)state;
    assert_int_equal(sqlite3_open(fx.db, &db), SQLITE_OK);
    for (int i = 0; i <= 8; i++) /* 25 October to 2 November */
        execf(db,
              "INSERT INTO stat_day (community_id, day, subscribed, unsubscribed)"
              " VALUES (1, %lld, %d, %d)",
              d0 + i * DAY,
              i == 0   ? 100
              : i == 8 ? 50
                       : 2,
              i == 0 || i == 8 ? 0 : 1);
    sqlite3_close(db);
    assert_int_equal(store_open(fx.db, STORE_READONLY, &st, err, sizeof err), 0);
    assert_int_equal(week_make(2026, 44, &o.week), 0);
    o.nweeks = 2;
    o.slack = SLACK;
    o.horizon_days = 0; /* the whole wall: W43 and W44 are history */
    o.now = R4 + DAY;
    assert_int_equal(report_build(st, &o, &r, err, sizeof err), 0);
    /* W44: the seven days 26 October - 1 November; the day starting 19 h before the
     * week and the one starting 5 h after it are outside. */
    const struct metric_week *w = wk(r, A, 1);
    assert_true(w->notes & NOTE_NO_START); /* the first collection is 8 h after its end */
    assert_true(w->notes & NOTE_JOINS_FROM_STATS);
    FIG_APPROX(w, M_JOINED, 14);
    FIG_APPROX(w, M_LEFT, 7);
    /* W43 (history) begins before the oldest stored day: unknown, not zero. */
    w = wk(r, A, 0);
    assert_true(w->notes & NOTE_HISTORY);
    NO_FIG(w, M_JOINED);
    NO_FIG(w, M_LEFT);
    assert_false(w->notes & NOTE_JOINS_FROM_STATS);
    /* b has no days (its token is no admin): unknown. */
    NO_FIG(wk(r, B, 1), M_JOINED);
    report_free(r);
    store_free(st);
}

/*
 * Authors are active people (issue 12): 1102, a member of b who neither
 * liked, commented nor reposted, signs a post of b in W47. Runs last: it
 * changes the fixture's database after the shared reports were built.
 */
static void test_metrics_author_is_active(void **state)
{
    const struct metric_week *before = wk(fx.r1, B, 0), *w;
    struct report *r = NULL;
    sqlite3 *db = NULL;
    (void)state;
    FIG_BOUNDS(before, M_ACTIVE, 1, 0, 1); /* 1001's like */
    assert_int_equal(sqlite3_open(fx.db, &db), SQLITE_OK);
    execf(db,
          "INSERT INTO post (owner_id, id, community_id, from_id, signer_id, date, is_pinned,"
          " copy_owner_id, first_run) VALUES (-102, 7, 2, -102, 1102, %lld, 0, NULL, 5)",
          S47 + 3 * DAY);
    sqlite3_close(db);
    assert_int_equal(build(1, &r), 0);
    w = wk(r, B, 0);
    FIG_BOUNDS(w, M_ACTIVE, 2, 1, 2);
    FIG_BOUNDS(w, M_ACTIVE_MEMBERS, 2, 1, 2);
    FIG(w, M_POSTS_MEMBERS, 1);
    FIG(w, M_MEMBERS_SHARE, 0.5);
    report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metrics_like_dating),
        cmocka_unit_test(test_metrics_year_to_date),
        cmocka_unit_test(test_metrics_yearly_open_year),
        cmocka_unit_test(test_metrics_joins_from_stats), /* adds stats.get days */
        cmocka_unit_test(test_metrics_author_is_active), /* last: it adds a post */
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
