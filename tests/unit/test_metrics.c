/* test_metrics.c: cmocka tests of the weekly report's figures (report/metrics.c) on a hand-built
 * database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "err.h"
#include "metrics.h"
#include "muni.h"
#include "store.h"
#include "store_collect.h"
#include "week.h"

/*
 * The world, in Asia/Yekaterinburg (UTC+5, no DST). The report week is
 * 2026-W47 (Monday S47 to Monday S48); the collector ran every Monday at
 * 08:00 (runs 1, 2, 3, 5), and once more on Wednesday of W47 (run 4),
 * which failed: its snapshot and counters are nonsense (9999) that must
 * never show.
 *
 * Community a (vk 101): the main one.
 *   members 1001..1008: 1003 left at run 2 and came back at run 3; 1002
 *   left at run 4 (W47); 1004 and 1006 joined at run 5, 1005 at run 3.
 *   post 1 is pinned and 200 days old: the first run (horizon) skipped it,
 *   run 2 read it for the first time with its whole history;
 *   post 10 (W46, signed by 1001) lost 2 likes and 1 comment in W47;
 *   post 11 (W46) was read by the failed run only after run 3;
 *   posts 20, 21 (suggested, by 1005), 22 (a repost of -555) are W47's.
 * Community b (vk 102): missing from run 2, so W46 has no snapshot near
 *   its start and W45 none near its end.
 * Community c (vk 103): hides its members; first collected by run 3.
 *
 * Every expected figure below was worked out by hand from these rows.
 */
#define DAY 86400
#define H 3600
#define S45 1793559600LL /* Monday 2026-11-02 00:00 +05 */
#define S46 (S45 + 7 * DAY)
#define S47 (S46 + 7 * DAY) /* 1794769200 */
#define S48 (S47 + 7 * DAY)
#define R1 (S45 + 8 * H)
#define R2 (S46 + 8 * H)
#define R3 (S47 + 8 * H)
#define RF (S47 + 2 * DAY + 12 * H)
#define R4 (S48 + 8 * H)
#define SLACK (84 * H)

struct fixture {
    char dir[64];
    char db[128];
    struct muni_map *munis;
    struct report *r3; /* --weeks 3 */
    struct report *r1; /* --weeks 1 */
};

static struct fixture fx;

static void exec_sql(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "fixture SQL failed: %s\n%s\n", msg, sql);
        sqlite3_free(msg);
        abort();
    }
}

/* Runs a statement with the times substituted (test data only, never user input). */
static void execf(sqlite3 *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *sql = sqlite3_vmprintf(fmt, ap);
    va_end(ap);
    exec_sql(db, sql);
    sqlite3_free(sql);
}

static void fill(sqlite3 *db)
{
    exec_sql(db, "BEGIN");
    exec_sql(db, "UPDATE community SET vk_id = 101 WHERE ref = 'a';"
                 "UPDATE community SET vk_id = 102 WHERE ref = 'b';"
                 "UPDATE community SET vk_id = 103 WHERE ref = 'c'");
    execf(db,
          "INSERT INTO run (id, started_at, finished_at, status) VALUES"
          " (1, %lld, %lld, 'ok'), (2, %lld, %lld, 'ok'), (3, %lld, %lld, 'ok'),"
          " (4, %lld, NULL, 'failed'), (5, %lld, %lld, 'partial')",
          R1, R1 + 600, R2, R2 + 600, R3, R3 + 600, RF, R4, R4 + 600);
    /* run_id, community_id, taken_at, members_count, members_listed, members_ok,
     * members_hidden, wall_ok, details_ok */
    execf(db,
          "INSERT INTO snapshot (run_id, community_id, taken_at, members_count, members_listed,"
          " members_ok, members_hidden, wall_ok, details_ok, note) VALUES"
          " (1, 1, %lld, 100, 5, 1, 0, 1, 1, NULL), (2, 1, %lld, 102, 4, 1, 0, 1, 1, NULL),"
          " (3, 1, %lld, 104, 6, 1, 0, 1, 1, NULL), (4, 1, %lld, 9999, 9999, 1, 0, 1, 1, NULL),"
          " (5, 1, %lld, 101, 7, 1, 0, 1, 1, NULL),"
          " (1, 2, %lld, 50, 3, 1, 0, 1, 1, NULL), (3, 2, %lld, 55, 4, 1, 0, 1, 1, NULL),"
          " (5, 2, %lld, 54, 4, 1, 0, 1, 1, NULL),"
          " (3, 3, %lld, 30, NULL, 0, 1, 1, 1, NULL), (5, 3, %lld, 31, NULL, 0, 1, 1, 1, NULL)",
          R1, R2, R3, RF, R4, R1, R3, R4, R3, R4);
    execf(db,
          "INSERT INTO user (id, city_id, city_title, seen_at) VALUES"
          " (1001, 158, 'Челябинск', %lld), (1002, NULL, NULL, %lld),"
          " (1003, NULL, 'Копейск', %lld), (1004, 1, 'Москва', %lld),"
          " (1005, NULL, NULL, %lld), (1006, NULL, 'Пласт', %lld), (1007, NULL, NULL, %lld),"
          " (1008, NULL, NULL, %lld), (1101, NULL, 'Миасс', %lld), (1102, NULL, NULL, %lld),"
          " (3001, NULL, NULL, %lld)",
          R1, R1, R1, R4, R3, R4, R1, R1, R1, R3, R4);
    /* community_id, user_id, joined_at, joined_run, initial, left_at, left_run */
    execf(db,
          "INSERT INTO membership VALUES"
          " (1, 1001, %lld, 1, 1, NULL, NULL), (1, 1002, %lld, 1, 1, %lld, 5),"
          " (1, 1003, %lld, 1, 1, %lld, 2), (1, 1003, %lld, 3, 0, NULL, NULL),"
          " (1, 1004, %lld, 5, 0, NULL, NULL), (1, 1005, %lld, 3, 0, NULL, NULL),"
          " (1, 1006, %lld, 5, 0, NULL, NULL), (1, 1007, %lld, 1, 1, NULL, NULL),"
          " (1, 1008, %lld, 1, 1, NULL, NULL),"
          " (2, 1001, %lld, 1, 1, NULL, NULL), (2, 1003, %lld, 1, 1, NULL, NULL),"
          " (2, 1101, %lld, 1, 1, NULL, NULL), (2, 1102, %lld, 3, 0, NULL, NULL)",
          R1, R1, R4, R1, R2, R3, R4, R3, R4, R1, R1, R1, R1, R1, R3);
    /* owner_id, id, community_id, from_id, signer_id, date, is_pinned, copy_owner_id, first_run */
    execf(db,
          "INSERT INTO post (owner_id, id, community_id, from_id, signer_id, date, is_pinned,"
          " copy_owner_id, first_run) VALUES"
          " (-101, 1, 1, -101, NULL, %lld, 1, NULL, 2),"
          " (-101, 10, 1, -101, 1001, %lld, 0, NULL, 3),"
          " (-101, 11, 1, -101, NULL, %lld, 0, NULL, 3),"
          " (-101, 20, 1, -101, NULL, %lld, 0, NULL, 5),"
          " (-101, 21, 1, 1005, NULL, %lld, 0, NULL, 5),"
          " (-101, 22, 1, -101, NULL, %lld, 0, -555, 5),"
          " (-102, 5, 2, -102, NULL, %lld, 0, NULL, 3),"
          " (-102, 6, 2, -102, NULL, %lld, 0, NULL, 5)",
          S47 - 200 * DAY, S46 + 2 * DAY, S46 + 3 * DAY, S47 + DAY, S47 + 3 * DAY, S47 + 5 * DAY,
          S46 + DAY, S47 + 2 * DAY);
    exec_sql(db, "UPDATE post SET text = 'Итоги конкурса «Учитель года»' WHERE id = 20");
    for (int d = 0; d < 7; d++) /* stats.get days of a in W47 (UTC midnights) */
        execf(db,
              "INSERT INTO stat_day (community_id, day, reach, visitors) VALUES (1, %lld, 100, 50)",
              S47 + 5 * H + d * DAY);
    /* owner_id, post_id, run_id, taken_at, views, likes, reposts, comments */
    execf(db,
          "INSERT INTO post_counter VALUES"
          " (-101, 1, 2, %lld, 5000, 300, 10, 20), (-101, 1, 3, %lld, 5100, 305, 10, 20),"
          " (-101, 1, 5, %lld, 5150, 310, 10, 21),"
          " (-101, 10, 3, %lld, 200, 10, 1, 4), (-101, 10, 5, %lld, 260, 8, 2, 3),"
          " (-101, 11, 3, %lld, 80, 2, 0, 0), (-101, 11, 4, %lld, 500, 9, 9, 9),"
          " (-101, 20, 5, %lld, 300, 12, 3, 5), (-101, 21, 5, %lld, 100, 4, 0, 1),"
          " (-101, 22, 5, %lld, 50, 1, 0, 0),"
          " (-102, 5, 3, %lld, 30, 2, 0, 0), (-102, 5, 5, %lld, 35, 2, 0, 0),"
          " (-102, 6, 5, %lld, 40, 3, 0, 1)",
          R2, R3, R4, R3, R4, R3, RF, R4, R4, R4, R3, R4, R4);
    execf(db,
          "INSERT INTO post_like VALUES"
          " (-101, 1, 2001, %lld), (-101, 1, 2002, %lld), (-101, 1, 1001, %lld),"
          " (-101, 1, 1005, %lld), (-101, 10, 1003, %lld), (-101, 20, 1004, %lld),"
          " (-101, 20, 3001, %lld), (-102, 6, 1001, %lld)",
          R2, R2, R3, R4, R3, R4, R4, R4);
    /* What store_likes records beside them: the posts with likers first seen in a run. */
    execf(db, "INSERT INTO like_seen SELECT DISTINCT seen_at, owner_id, post_id FROM post_like");
    /* owner_id, id, post_id, from_id, parent_id, date, deleted, seen_at */
    execf(db,
          "INSERT INTO comment VALUES"
          " (-101, 100, 10, 1002, NULL, %lld, 0, %lld),"
          " (-101, 101, 20, 1006, NULL, %lld, 0, %lld),"
          " (-101, 102, 20, 1001, NULL, %lld, 0, %lld),"
          " (-101, 103, 20, 0, NULL, %lld, 1, %lld),"
          " (-101, 104, 20, 1007, 102, %lld, 0, %lld),"
          " (-102, 200, 5, 1101, NULL, %lld, 0, %lld)",
          S47 - DAY, R3, S47 + 2 * DAY, R4, S47 + DAY + H, R4, S47 + DAY + 2 * H, R4,
          S47 + 2 * DAY + 60, R4, S46 + 2 * DAY, R3);
    execf(db,
          "INSERT INTO repost VALUES (-101, 20, 1003, 9, %lld, %lld), (-101, 20, -777, 3, %lld, "
          "%lld)",
          S47 + 4 * DAY, R4, S47 + 4 * DAY, R4);
    exec_sql(db, "COMMIT");
}

static int build(int nweeks, struct report **out)
{
    struct store *st = NULL;
    struct report_options o = {0};
    char err[1024];
    int rc;

    if ((rc = store_open(fx.db, STORE_READONLY, &st, err, sizeof err)) != 0) {
        fprintf(stderr, "store_open: %s\n", err);
        return rc;
    }
    if ((rc = week_make(2026, 47, &o.week)) != 0)
        return rc;
    o.nweeks = nweeks;
    o.top = 2;
    o.slack = SLACK;
    o.horizon_days = 1; /* the fixture's first runs read a short horizon */
    o.now = R4 + DAY;
    o.tz = "Asia/Yekaterinburg";
    o.munis = fx.munis;
    rc = report_build(st, &o, out, err, sizeof err);
    if (rc)
        fprintf(stderr, "report_build: %s\n", err);
    store_free(st);
    return rc;
}

static int setup(void **state)
{
    struct config cfg;
    struct config_community com[3];
    struct store *st = NULL;
    sqlite3 *db = NULL;
    char err[1024], path[512];
    const char *src = getenv("VKP_SRC");

    (void)state;
    if (week_zone_set("Asia/Yekaterinburg", err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    snprintf(path, sizeof path, "%s/config/regions/chelyabinsk.ini", src ? src : ".");
    if (muni_map_load(path, &fx.munis, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    snprintf(fx.dir, sizeof fx.dir, "/tmp/vkp_test_metrics_XXXXXX");
    if (!mkdtemp(fx.dir))
        return -1;
    snprintf(fx.db, sizeof fx.db, "%s/m.db", fx.dir);
    memset(&cfg, 0, sizeof cfg);
    memset(com, 0, sizeof com);
    com[0] = (struct config_community){(char *)"a", COMMUNITY_RMO, (char *)"A", 1, 0};
    com[1] = (struct config_community){(char *)"b", COMMUNITY_RMO, (char *)"B", 2, 0};
    com[2] = (struct config_community){(char *)"c", COMMUNITY_PROF, (char *)"C", 3, 0};
    cfg.communities = com;
    cfg.ncommunities = 3;
    if (store_open(fx.db, STORE_CREATE, &st, err, sizeof err) != 0 ||
        store_migrate(st, -1, NULL) != 0 || store_sync_communities(st, &cfg) != 0) {
        fprintf(stderr, "setup: %s %s\n", err, st ? store_errmsg(st) : "");
        store_free(st);
        return -1;
    }
    store_free(st);
    if (sqlite3_open(fx.db, &db) != SQLITE_OK)
        return -1;
    fill(db);
    sqlite3_close(db);
    if (build(3, &fx.r3) != 0 || build(1, &fx.r1) != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    char path[256];
    (void)state;
    report_free(fx.r3);
    report_free(fx.r1);
    muni_map_free(fx.munis);
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", fx.db, sfx[i]);
        unlink(path);
    }
    rmdir(fx.dir);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------------ */

static const struct metric_week *wk(const struct report *r, size_t com, int i)
{
    assert_true(com < r->ncoms);
    return &r->coms[com].weeks[i];
}

#define A 0
#define B 1
#define C 2

static void expect_fig(const struct metric_week *w, enum metric_id m, double v,
                       enum metric_state st, int line)
{
    if (w->m[m].state != st) {
        fprintf(stderr, "line %d: %s: state %d, expected %d (value %g)\n", line,
                metric_info(m)->key, w->m[m].state, st, w->m[m].v);
        fail();
    }
    if (st != MS_MISSING && fabs(w->m[m].v - v) > 1e-9) {
        fprintf(stderr, "line %d: %s = %.10g, expected %.10g\n", line, metric_info(m)->key,
                w->m[m].v, v);
        fail();
    }
}

#define FIG(w, m, v) expect_fig((w), (m), (v), MS_OK, __LINE__)
#define FIG_APPROX(w, m, v) expect_fig((w), (m), (v), MS_APPROX, __LINE__)
#define NO_FIG(w, m) expect_fig((w), (m), 0, MS_MISSING, __LINE__)

/* An approximate count of people with its bounds. */
static void expect_bounds(const struct metric_week *w, enum metric_id m, double v, double lo,
                          double hi, int line)
{
    expect_fig(w, m, v, MS_APPROX, line);
    if (!w->m[m].bounded || w->m[m].lo != lo || w->m[m].hi != hi) {
        fprintf(stderr, "line %d: %s bounds %s[%g, %g], expected [%g, %g]\n", line,
                metric_info(m)->key, w->m[m].bounded ? "" : "(none) ", w->m[m].lo, w->m[m].hi, lo,
                hi);
        fail();
    }
}
#define FIG_BOUNDS(w, m, v, lo, hi) expect_bounds((w), (m), (v), (lo), (hi), __LINE__)

/* ---- tests -------------------------------------------------------------------------------- */

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
        cmocka_unit_test(test_metrics_window_and_runs),
        cmocka_unit_test(test_metrics_subscribers_and_membership),
        cmocka_unit_test(test_metrics_member_who_left_and_came_back),
        cmocka_unit_test(test_metrics_posts_by_kind),
        cmocka_unit_test(test_metrics_counter_deltas_and_counters_down),
        cmocka_unit_test(test_metrics_pinned_old_post_first_read),
        cmocka_unit_test(test_metrics_active_members),
        cmocka_unit_test(test_metrics_week_without_start_snapshot),
        cmocka_unit_test(test_metrics_hidden_members_and_not_collected),
        cmocka_unit_test(test_metrics_network_totals),
        cmocka_unit_test(test_metrics_compare_with_previous_and_average),
        cmocka_unit_test(test_metrics_top_posts),
        cmocka_unit_test(test_metrics_ladder_over_window),
        cmocka_unit_test(test_metrics_ladder_moves),
        cmocka_unit_test(test_metrics_network_view),
        cmocka_unit_test(test_metrics_bad_window),
        cmocka_unit_test(test_metrics_like_dating),
        cmocka_unit_test(test_metrics_year_to_date),
        cmocka_unit_test(test_metrics_yearly_open_year),
        cmocka_unit_test(test_metrics_joins_from_stats), /* adds stats.get days */
        cmocka_unit_test(test_metrics_author_is_active), /* last: it adds a post */
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
