/* metrics_fixture.h: the hand-built database of the report's figure tests (test_metrics.c,
 * test_metrics_series.c), where every figure was worked out by hand, and their helpers.
 * Included by those tests only. */
#ifndef VKP_METRICS_FIXTURE_H
#define VKP_METRICS_FIXTURE_H

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

/* build_with: the report of W47 with nweeks of window, boundary snapshots up to slack away. */
static int build_with(int nweeks, int64_t slack, struct report **out)
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
    o.slack = slack;
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

static int build(int nweeks, struct report **out)
{
    return build_with(nweeks, SLACK, out);
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

#endif
