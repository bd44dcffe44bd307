-- 0011_figures.sql: each figure defined once (issue 14).
--
-- The report, the digest, the alerts, status and the cross-check read the
-- collection through these views instead of writing the rules out each time.

-- usable_run: the runs whose data the analyzers trust. A failed run, or one
-- killed while 'running', may have left half of its pages behind.
CREATE VIEW usable_run AS SELECT * FROM run WHERE status IN ('ok', 'partial');

-- snapshot_usable: the snapshots those runs took; their flags say what each vouches for.
CREATE VIEW snapshot_usable AS
    SELECT s.* FROM snapshot s JOIN usable_run r ON r.id = s.run_id;

-- subscribers: members at a moment, VK's subscriber count (groups.getById) in a usable
-- snapshot that has one. Which moment is the reader's: the report takes the snapshot
-- nearest a week's boundary, the members_drop alert the newest and one a week before.
CREATE VIEW subscribers AS
    SELECT * FROM snapshot_usable WHERE members_count IS NOT NULL;

-- activity: what people did on a community's posts, one row an act, with the one dating
-- rule every analyzer counts by. Comments and reposts (to a person's wall, or a group's)
-- are at their VK date. VK gives likes no date: a like is at the time of the run that
-- first saw it (seen_at), except history of unknown date, left out: the likes the
-- community's first usable collection found (seen at or before its first usable snapshot),
-- and those already on a post when a run first read it if the post is older than the last
-- complete wall read before that run (an old post pinned or first reached later).
-- user_id is 0 for a forgotten person's comment (and VK's deleted placeholders).
-- Each branch keeps its time index: comment_date, repost_date, and like_seen for the
-- likes (the posts with likers first seen by a run, whose likes are then read by key).
CREATE VIEW activity (community_id, owner_id, post_id, user_id, kind, at) AS
    SELECT p.community_id, c.owner_id, c.post_id, c.from_id, 'comment', c.date
        FROM comment c CROSS JOIN post p ON p.owner_id = c.owner_id AND p.id = c.post_id
    UNION ALL
    SELECT p.community_id, r.owner_id, r.post_id, r.repost_owner_id, 'repost', r.date
        FROM repost r CROSS JOIN post p ON p.owner_id = r.owner_id AND p.id = r.post_id
    UNION ALL
    SELECT p.community_id, w.owner_id, w.post_id, l.user_id, 'like', w.seen_at
        FROM like_seen w
        CROSS JOIN post_like l ON l.owner_id = w.owner_id AND l.post_id = w.post_id
            AND l.seen_at = w.seen_at
        CROSS JOIN post p ON p.owner_id = w.owner_id AND p.id = w.post_id
        WHERE w.seen_at > (SELECT min(s.taken_at) FROM snapshot_usable s
                           WHERE s.community_id = p.community_id)
        AND NOT (w.seen_at <= (SELECT f.started_at FROM run f WHERE f.id = p.first_run)
                 AND p.date <= ifnull((SELECT max(s.taken_at) FROM snapshot_usable s
                     WHERE s.community_id = p.community_id AND s.wall_ok
                     AND s.taken_at < w.seen_at), 0));
