/* store_report.c: the weekly report's SQL, every statement prepared once and bound. */
#include "store_report.h"

#include <string.h>

#include "err.h"
#include "store_int.h"

static const char SQL_COMMUNITIES[] =
    "SELECT c.id, c.ref, c.name, c.screen_name, c.kind, ifnull(c.vk_id, 0), c.active,"
    " ifnull((SELECT min(s.taken_at) FROM snapshot_usable s WHERE s.community_id = c.id), 0),"
    " ifnull((SELECT min(s.taken_at) FROM snapshot_usable s"
    "   WHERE s.community_id = c.id AND s.details_ok), 0)"
    " FROM community c ORDER BY c.id";

int store_report_each_community(struct store *st, store_report_community_cb cb, void *ud)
{
    sqlite3_stmt *s = store_stmt(st, SQL_COMMUNITIES);
    int rc;

    if (!s)
        return VKP_EDB;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_report_community c = {
            .id = sqlite3_column_int64(s, 0),
            .ref = (const char *)sqlite3_column_text(s, 1),
            .name = (const char *)sqlite3_column_text(s, 2),
            .screen_name = (const char *)sqlite3_column_text(s, 3),
            .kind = (const char *)sqlite3_column_text(s, 4),
            .vk_id = sqlite3_column_int64(s, 5),
            .active = sqlite3_column_int(s, 6),
            .first_snapshot = sqlite3_column_int64(s, 7),
            .like_baseline = sqlite3_column_int64(s, 8),
        };
        if ((rc = cb(ud, &c)) != 0) {
            sqlite3_reset(s);
            return rc;
        }
    }
    return store_walk_end(st, s, rc, "cannot read communities");
}

/* The nearest snapshot on each side of t; both use snapshot_community_time. */
#define SNAP_COLUMNS                                                                               \
    "SELECT s.run_id, s.taken_at, s.members_count, ifnull(s.members_listed, -1), s.members_ok,"    \
    " s.members_hidden, s.wall_ok, s.details_ok FROM subscribers s"
static const char SQL_SNAP_BEFORE[] =
    SNAP_COLUMNS " WHERE s.community_id = ?1 AND s.taken_at <= ?2 AND s.taken_at >= ?2 - ?3"
                 " ORDER BY s.taken_at DESC LIMIT 1";
static const char SQL_SNAP_AFTER[] =
    SNAP_COLUMNS " WHERE s.community_id = ?1 AND s.taken_at > ?2 AND s.taken_at <= ?2 + ?3"
                 " ORDER BY s.taken_at ASC LIMIT 1";

static int snap_side(struct store *st, const char *sql, int64_t community_id, int64_t t,
                     int64_t slack, struct store_report_snap *out, int *found)
{
    sqlite3_stmt *s = store_stmt(st, sql);

    if (!s)
        return VKP_EDB;
    sqlite3_bind_int64(s, 1, community_id);
    sqlite3_bind_int64(s, 2, t);
    sqlite3_bind_int64(s, 3, slack);
    return store_one(st, s, "cannot read snapshots", found, "IIIIiiii", &out->run_id,
                     &out->taken_at, &out->members_count, &out->members_listed, &out->members_ok,
                     &out->members_hidden, &out->wall_ok, &out->details_ok);
}

int store_report_near_snapshot(struct store *st, int64_t community_id, int64_t t, int64_t slack,
                               struct store_report_snap *out, int *found)
{
    struct store_report_snap before, after;
    int has_before, has_after, rc;

    memset(out, 0, sizeof *out);
    *found = 0;
    if ((rc = snap_side(st, SQL_SNAP_BEFORE, community_id, t, slack, &before, &has_before)) ||
        (rc = snap_side(st, SQL_SNAP_AFTER, community_id, t, slack, &after, &has_after)))
        return rc;
    if (has_before && (!has_after || t - before.taken_at <= after.taken_at - t))
        *out = before;
    else if (has_after)
        *out = after;
    *found = has_before || has_after;
    return 0;
}

static const char SQL_RUNS[] =
    "SELECT count(*), ifnull(sum(status = 'ok'), 0), ifnull(sum(status = 'partial'), 0),"
    " ifnull(sum(status IN ('failed', 'running')), 0)"
    " FROM run WHERE started_at >= ?1 AND started_at < ?2";

int store_report_runs(struct store *st, int64_t from, int64_t to, struct store_report_runs *out)
{
    sqlite3_stmt *s;

    PREPARE(s, SQL_RUNS);
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    return store_one(st, s, "cannot read runs", NULL, "IIII", &out->total, &out->ok, &out->partial,
                     &out->failed);
}

static const char SQL_SNAPS[] =
    "SELECT count(*), ifnull(sum(s.members_ok), 0), ifnull(sum(s.members_hidden), 0),"
    " ifnull(sum(s.wall_ok), 0), ifnull(sum(s.details_ok), 0)"
    " FROM snapshot_usable s WHERE s.community_id = ?1 AND s.taken_at >= ?2 AND s.taken_at < ?3";

int store_report_snapshots(struct store *st, int64_t community_id, int64_t from, int64_t to,
                           struct store_report_snaps *out)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_bind_window(st, SQL_SNAPS, community_id, from, to, &s)) != 0)
        return rc;
    return store_one(st, s, "cannot read snapshots", NULL, "IIIII", &out->count, &out->members_ok,
                     &out->members_hidden, &out->wall_ok, &out->details_ok);
}

static const char SQL_MEMBER_CHANGES[] =
    "SELECT (SELECT count(*) FROM membership WHERE community_id = ?1 AND joined_at > ?2"
    "   AND joined_at <= ?3 AND NOT initial),"
    " (SELECT count(*) FROM membership WHERE community_id = ?1 AND left_at > ?2"
    "   AND left_at <= ?3)";

/* Runs a one-row statement bound to (community, a, b) that answers two integers. */
static int two_counts(struct store *st, const char *sql, int64_t community_id, int64_t a, int64_t b,
                      int64_t *x, int64_t *y, const char *what)
{
    sqlite3_stmt *s = store_stmt(st, sql);

    if (!s)
        return VKP_EDB;
    sqlite3_bind_int64(s, 1, community_id);
    sqlite3_bind_int64(s, 2, a);
    sqlite3_bind_int64(s, 3, b);
    return store_one(st, s, what, NULL, "II", x, y);
}

int store_report_member_changes(struct store *st, int64_t community_id, int64_t after, int64_t upto,
                                int64_t *joined, int64_t *left)
{
    return two_counts(st, SQL_MEMBER_CHANGES, community_id, after, upto, joined, left,
                      "cannot read membership");
}

static const char SQL_POST_COUNTS[] =
    "SELECT count(*), ifnull(sum(signer_id > 0 OR from_id > 0), 0),"
    " ifnull(sum(copy_owner_id < 0 AND copy_owner_id <> owner_id), 0)"
    " FROM post WHERE community_id = ?1 AND date >= ?2 AND date < ?3";

int store_report_post_counts(struct store *st, int64_t community_id, int64_t from, int64_t to,
                             struct store_report_posts *out)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_bind_window(st, SQL_POST_COUNTS, community_id, from, to, &s)) != 0)
        return rc;
    return store_one(st, s, "cannot read posts", NULL, "III", &out->total, &out->by_members,
                     &out->reposts_other);
}

/*
 * Driven by the counters of the runs in the interval (post_counter_run; the
 * CROSS JOIN keeps the planner from reading the wall's whole history), so
 * its cost follows those runs; each post's reading at either end is the
 * newest usable one at or before the end's run, found on the primary key.
 */
#define LAST_READING(bound)                                                                        \
    "(SELECT x.run_id FROM post_counter x WHERE x.owner_id = t.owner_id"                           \
    " AND x.post_id = t.post_id AND x.run_id <= " bound                                            \
    " AND x.run_id IN (SELECT id FROM usable_run) ORDER BY x.run_id DESC LIMIT 1)"
static const char SQL_POST_DELTAS[] =
    "WITH t (owner_id, post_id) AS (SELECT DISTINCT y.owner_id, y.post_id"
    "  FROM usable_run r CROSS JOIN post_counter y ON y.run_id = r.id"
    "  WHERE r.id > ?2 AND r.id <= ?3 AND y.owner_id = ?1)"
    " SELECT p.owner_id, p.id, p.date, p.from_id, ifnull(p.signer_id, 0),"
    "  ifnull(p.copy_owner_id, 0), p.is_pinned, ifnull(p.text, ''),"
    "  e.views, e.likes, e.comments, e.reposts,"
    "  b.run_id IS NOT NULL, ifnull(b.views, 0), ifnull(b.likes, 0), ifnull(b.comments, 0),"
    "  ifnull(b.reposts, 0)"
    " FROM t JOIN post p ON p.owner_id = t.owner_id AND p.id = t.post_id"
    " JOIN post_counter e ON e.owner_id = t.owner_id AND e.post_id = t.post_id"
    "  AND e.run_id = " LAST_READING(
        "?3") " LEFT JOIN post_counter b ON b.owner_id = t.owner_id AND b.post_id = t.post_id"
              "  AND b.run_id = " LAST_READING("?2") " ORDER BY p.id";

/* The post columns both post walks start with, in their order; each walk's own columns
 * follow, read on from c. */
static void post_row(struct store_cols *c, struct store_report_post *p)
{
    memset(p, 0, sizeof *p);
    p->owner_id = store_col_i64(c);
    p->id = store_col_i64(c);
    p->date = store_col_i64(c);
    p->from_id = store_col_i64(c);
    p->signer_id = store_col_i64(c);
    p->copy_owner_id = store_col_i64(c);
    p->is_pinned = store_col_int(c);
    p->text = store_col_text(c);
    for (int k = 0; k < SRC_COUNT; k++)
        p->end[k] = store_col_i64(c); /* views, likes, comments, reposts (SRC_ order) */
}

int store_report_post_deltas(struct store *st, int64_t owner_id, int64_t start_run, int64_t end_run,
                             store_report_post_cb cb, void *ud)
{
    sqlite3_stmt *s = store_stmt(st, SQL_POST_DELTAS);
    int rc;

    if (!s)
        return VKP_EDB;
    sqlite3_bind_int64(s, 1, owner_id);
    sqlite3_bind_int64(s, 2, start_run);
    sqlite3_bind_int64(s, 3, end_run);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_cols c = {s, 0};
        struct store_report_post p;
        post_row(&c, &p);
        p.has_start = store_col_int(&c); /* a reading at the start, and its counters */
        for (int k = 0; k < SRC_COUNT; k++)
            p.start[k] = store_col_i64(&c);
        if ((rc = cb(ud, &p)) != 0) {
            sqlite3_reset(s);
            return rc;
        }
    }
    return store_walk_end(st, s, rc, "cannot read post counters");
}

/* The newest usable reading of each post dated in the period (post_community_date). */
static const char SQL_LATEST_POSTS[] =
    "SELECT p.owner_id, p.id, p.date, p.from_id, ifnull(p.signer_id, 0),"
    " ifnull(p.copy_owner_id, 0), p.is_pinned, ifnull(p.text, ''), e.views, e.likes, e.comments,"
    " e.reposts, e.taken_at"
    " FROM post p JOIN post_counter e ON e.owner_id = p.owner_id AND e.post_id = p.id"
    "  AND e.run_id = (SELECT x.run_id FROM post_counter x WHERE x.owner_id = p.owner_id"
    "  AND x.post_id = p.id AND x.run_id IN (SELECT id FROM usable_run)"
    "  ORDER BY x.run_id DESC LIMIT 1)"
    " WHERE p.community_id = ?1 AND p.date >= ?2 AND p.date < ?3 ORDER BY p.id";

int store_report_latest_posts(struct store *st, int64_t community_id, int64_t from, int64_t to,
                              store_report_post_cb cb, void *ud, int64_t *taken_at)
{
    sqlite3_stmt *s;
    int rc;

    if (taken_at)
        *taken_at = 0;
    if ((rc = store_bind_window(st, SQL_LATEST_POSTS, community_id, from, to, &s)) != 0)
        return rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_cols c = {s, 0};
        struct store_report_post p;
        post_row(&c, &p);
        p.has_start = 1;
        int64_t at = store_col_i64(&c); /* when the reading was taken */
        if (taken_at && at > *taken_at)
            *taken_at = at;
        if ((rc = cb(ud, &p)) != 0) {
            sqlite3_reset(s);
            return rc;
        }
    }
    return store_walk_end(st, s, rc, "cannot read post counters");
}

/* Driven by comment_date and repost_date; each row's post by its key. */
static const char SQL_DATED[] =
    "SELECT ifnull(sum(kind = 'comment'), 0), ifnull(sum(kind = 'repost'), 0) FROM activity"
    " WHERE community_id = ?1 AND kind <> 'like' AND at >= ?2 AND at < ?3";

int store_report_dated(struct store *st, int64_t community_id, int64_t from, int64_t to,
                       struct store_report_dated *out)
{
    return two_counts(st, SQL_DATED, community_id, from, to, &out->comments, &out->reposts,
                      "cannot read comments and reposts");
}

static const char SQL_STAT_NET[] =
    "SELECT ifnull((SELECT sum(ifnull(subscribed, 0) - ifnull(unsubscribed, 0)) FROM stat_day"
    "   WHERE community_id = ?1 AND day >= ?2 AND day < ?3), 0),"
    " ifnull((SELECT min(day) FROM stat_day WHERE community_id = ?1), 0)";

int store_report_stat_net(struct store *st, int64_t community_id, int64_t from, int64_t to,
                          int64_t *net, int64_t *first_day)
{
    return two_counts(st, SQL_STAT_NET, community_id, from, to, net, first_day,
                      "cannot read stats.get days");
}

static const char SQL_LAST_POST[] =
    "SELECT ifnull(max(date), 0), 0 FROM post WHERE community_id = ?1 AND date >= ?2 AND date < ?3";

int store_report_last_post(struct store *st, int64_t community_id, int64_t before, int64_t *date)
{
    int64_t unused;
    return two_counts(st, SQL_LAST_POST, community_id, 0, before, date, &unused,
                      "cannot read the newest post");
}

static const char SQL_STAT_REACH[] =
    "SELECT count(*), ifnull(sum(reach), 0), ifnull(sum(visitors), 0), count(reach),"
    " count(visitors) FROM stat_day WHERE community_id = ?1 AND day >= ?2 AND day < ?3";

int store_report_stat_reach(struct store *st, int64_t community_id, int64_t from, int64_t to,
                            struct store_report_reach *out)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_bind_window(st, SQL_STAT_REACH, community_id, from, to, &s)) != 0)
        return rc;
    return store_one(st, s, "cannot read stats.get days", NULL, "IIIII", &out->days, &out->reach,
                     &out->visitors, &out->reach_days, &out->visitor_days);
}

static const char SQL_STAT_MOVES[] =
    "SELECT ifnull(sum(subscribed), 0), ifnull(sum(unsubscribed), 0)"
    " FROM stat_day WHERE community_id = ?1 AND day >= ?2 AND day < ?3";
/* The days stored at all (two_counts' ?2 and ?3 find no parameter here). */
static const char SQL_STAT_SPAN[] =
    "SELECT ifnull(min(day), 0), ifnull(max(day), 0) FROM stat_day WHERE community_id = ?1";

int store_report_stat_moves(struct store *st, int64_t community_id, int64_t from, int64_t to,
                            struct store_report_stat_moves *out)
{
    int rc = two_counts(st, SQL_STAT_MOVES, community_id, from, to, &out->subscribed,
                        &out->unsubscribed, "cannot read stats.get days");
    return rc ? rc
              : two_counts(st, SQL_STAT_SPAN, community_id, 0, 0, &out->first_day, &out->last_day,
                           "cannot read stats.get days");
}

/* Each branch is driven by the index on its time column (comment_date,
 * repost_date, and for likes like_seen through the activity view's `found`,
 * the posts with likers found by a run, whose likes are then read by key;
 * post_community_date for the authors: CROSS JOIN keeps the planner from
 * walking a community's whole wall instead); membership is looked up by its
 * key. Every like whose bracket touches the period is read: `at` in it makes
 * it counted, the whole bracket in it makes it sure. */
static const char SQL_ACTIVES[] =
    "WITH ev (uid, lk, cm, rp, ps, pt, sure) AS ("
    " SELECT a.user_id, 0, a.kind = 'comment', a.kind = 'repost', 0, 1, 1 FROM activity a"
    "  WHERE a.community_id = ?1 AND a.kind <> 'like' AND a.at >= ?2 AND a.at < ?3"
    "  AND a.user_id > 0"
    " UNION ALL SELECT a.user_id, a.at >= ?2 AND a.at < ?3, 0, 0, 0, a.at >= ?2 AND a.at < ?3,"
    "  a.lo >= ?2 AND a.hi < ?3 FROM activity a"
    "  WHERE a.community_id = ?1 AND a.kind = 'like' AND a.found >= ?2 AND a.hi >= ?2"
    "  AND a.lo < ?3"
    " UNION ALL SELECT CASE WHEN p.signer_id > 0 THEN p.signer_id ELSE p.from_id END,"
    "  0, 0, 0, 1, 1, 1"
    "  FROM post p WHERE p.community_id = ?1 AND p.date >= ?2 AND p.date < ?3"
    "  AND (p.signer_id > 0 OR p.from_id > 0))"
    " SELECT e.uid, sum(e.lk), sum(e.cm), sum(e.rp), sum(e.ps), max(e.pt), max(e.sure),"
    "  EXISTS (SELECT 1 FROM membership m WHERE m.community_id = ?1 AND m.user_id = e.uid"
    "   AND m.joined_at <= ?4 AND (m.left_at IS NULL OR m.left_at > ?4)),"
    "  ifnull(u.city_id, 0), u.city_title"
    " FROM ev e LEFT JOIN user u ON u.id = e.uid GROUP BY e.uid ORDER BY e.uid";

int store_report_actives(struct store *st, int64_t community_id, int64_t from, int64_t to,
                         int64_t member_at, store_report_active_cb cb, void *ud)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_bind_window(st, SQL_ACTIVES, community_id, from, to, &s)) != 0)
        return rc;
    sqlite3_bind_int64(s, 4, member_at);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_report_active a = {
            .user_id = sqlite3_column_int64(s, 0),
            .likes = sqlite3_column_int64(s, 1),
            .comments = sqlite3_column_int64(s, 2),
            .reposts = sqlite3_column_int64(s, 3),
            .posts = sqlite3_column_int64(s, 4),
            .active = sqlite3_column_int(s, 5),
            .sure = sqlite3_column_int(s, 6),
            .member = sqlite3_column_int(s, 7),
            .city_id = sqlite3_column_int64(s, 8),
            .city_title = (const char *)sqlite3_column_text(s, 9),
        };
        if ((rc = cb(ud, &a)) != 0) {
            sqlite3_reset(s);
            return rc;
        }
    }
    return store_walk_end(st, s, rc, "cannot read activity");
}

static const char SQL_MEMBER_LIST_AT[] =
    "SELECT m.user_id, ifnull(u.city_id, 0), u.city_title FROM membership m"
    " LEFT JOIN user u ON u.id = m.user_id"
    " WHERE m.community_id = ?1 AND m.joined_at <= ?2 AND (m.left_at IS NULL OR m.left_at > ?2)"
    " ORDER BY m.user_id";

int store_report_members_at(struct store *st, int64_t community_id, int64_t t,
                            store_report_member_cb cb, void *ud)
{
    sqlite3_stmt *s = store_stmt(st, SQL_MEMBER_LIST_AT);
    int rc;

    if (!s)
        return VKP_EDB;
    sqlite3_bind_int64(s, 1, community_id);
    sqlite3_bind_int64(s, 2, t);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_report_member m = {
            .user_id = sqlite3_column_int64(s, 0),
            .city_id = sqlite3_column_int64(s, 1),
            .city_title = (const char *)sqlite3_column_text(s, 2),
        };
        if ((rc = cb(ud, &m)) != 0) {
            sqlite3_reset(s);
            return rc;
        }
    }
    return store_walk_end(st, s, rc, "cannot read members");
}
