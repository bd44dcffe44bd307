-- 0013_series.sql: one definition of active people for the whole series (issue 21).
--
-- Before, a like was dated by the run that first saw it and the likes the first
-- collection found were left out as undated history: "active people" counted
-- likers from the first collection on and not before, a trend that was only the
-- definition changing. Now every like is dated by the best evidence there is, the
-- same way before and after the first collection:
--   * found between two collections: inside that bracket, (lo, hi], where hi is the
--     run that found it and lo the newest earlier reading of the post by a run whose
--     likers were complete (details_ok), or the post's date when the post is newer
--     than the last complete wall read before the run;
--   * found by the first collection (or on an old post a run reached late, with no
--     complete reading of it before): the post's date (lo = hi = the post's date).
-- `at` is the like's one date for counting (the middle of its bracket); a figure over
-- a period counts the likes whose `at` lies in it, and is exact when no bracket
-- straddles the period's edges: its lower bound counts only likes whose whole
-- bracket is inside, its upper bound every like whose bracket touches the period.

-- like_dated: the bracket of the likes a run found on a post (one row per post and
-- run, as like_seen: every like of a post a run found shares its bracket). The rows
-- are distinct already; DISTINCT keeps SQLite from flattening the subquery into the
-- activity view's join with post_like, so a bracket is computed once per post and
-- run, not once per like (12 times faster on 240,000 likes).
CREATE VIEW like_dated (community_id, owner_id, post_id, seen_at, lo, hi) AS
    SELECT community_id, owner_id, post_id, seen_at,
           CASE WHEN since IS NULL THEN date ELSE max(since, date) END,
           CASE WHEN since IS NULL THEN date ELSE seen_at END
    FROM (SELECT DISTINCT p.community_id, w.owner_id, w.post_id, w.seen_at, p.date,
                 ifnull((SELECT x.taken_at FROM post_counter x
                         CROSS JOIN snapshot_usable s ON s.run_id = x.run_id
                             AND s.community_id = p.community_id AND s.details_ok
                         WHERE x.owner_id = w.owner_id AND x.post_id = w.post_id
                         AND x.taken_at < w.seen_at ORDER BY x.run_id DESC LIMIT 1),
                        CASE WHEN (SELECT max(s.taken_at) FROM snapshot_usable s
                                   WHERE s.community_id = p.community_id AND s.wall_ok
                                   AND s.details_ok AND s.taken_at < w.seen_at) < p.date
                             THEN p.date END) AS since
          FROM like_seen w CROSS JOIN post p ON p.owner_id = w.owner_id AND p.id = w.post_id);

-- activity: what people did on a community's posts, one row an act. Comments and
-- reposts (to a person's wall, or a group's) are at their VK date (lo = hi = at);
-- likes as like_dated says. `found` is when a run could first have seen the act
-- (its date for comments and reposts, the run's time for likes): never before `hi`,
-- so a reader asking for acts of [from, to) adds `found >= from` and reaches them
-- by the time indexes (comment_date, repost_date, like_seen). user_id is 0 for a
-- forgotten person's comment (and VK's deleted placeholders). Authors of posts are
-- active people too, by the post's date: the readers add them from `post`.
DROP VIEW activity;
CREATE VIEW activity (community_id, owner_id, post_id, user_id, kind, at, lo, hi, found) AS
    SELECT p.community_id, c.owner_id, c.post_id, c.from_id, 'comment', c.date, c.date, c.date,
           c.date
        FROM comment c CROSS JOIN post p ON p.owner_id = c.owner_id AND p.id = c.post_id
    UNION ALL
    SELECT p.community_id, r.owner_id, r.post_id, r.repost_owner_id, 'repost', r.date, r.date,
           r.date, r.date
        FROM repost r CROSS JOIN post p ON p.owner_id = r.owner_id AND p.id = r.post_id
    UNION ALL
    SELECT d.community_id, d.owner_id, d.post_id, l.user_id, 'like', d.hi - (d.hi - d.lo) / 2,
           d.lo, d.hi, d.seen_at
        FROM like_dated d
        CROSS JOIN post_like l ON l.owner_id = d.owner_id AND l.post_id = d.post_id
            AND l.seen_at = d.seen_at;

-- A stats.get refusal is asked again a day later: rights granted since take effect at
-- the next run. stats_denied stays the flag (the last answer was a refusal); this is
-- when that answer came (0: never, or before this migration: asked at the next run).
ALTER TABLE community ADD COLUMN stats_denied_at INTEGER NOT NULL DEFAULT 0;
