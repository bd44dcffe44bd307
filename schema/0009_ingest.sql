-- 0009_ingest.sql: the indexes the collector paid for on every write (issue 15).
--
-- post_like_user and membership_user were keyed on a user id, so every like or
-- membership written landed on a random page of them: a page of 1,000 likes
-- dirtied up to a thousand index pages, all rewritten to the WAL at each
-- commit, for 17 bytes of every like. Only `vkpulse forget` looked people up
-- by user id; it now reads the tables through, a rare command that can wait a
-- second.
DROP INDEX IF EXISTS post_like_user;
DROP INDEX IF EXISTS membership_user;

-- post_like_seen repeated the whole table (24 bytes a like) and doubled the
-- cost of storing one, only so that readers could find the likes first seen in
-- a window of time. A run sees new likers of a few hundred posts at most: one
-- row per post and run says where to look, and the likes of those posts are
-- read by their key.
CREATE TABLE like_seen (
    seen_at  INTEGER NOT NULL,  -- post_like.seen_at: the run's time
    owner_id INTEGER NOT NULL,
    post_id  INTEGER NOT NULL,
    PRIMARY KEY (seen_at, owner_id, post_id),
    FOREIGN KEY (owner_id, post_id) REFERENCES post (owner_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO like_seen (seen_at, owner_id, post_id)
    SELECT DISTINCT seen_at, owner_id, post_id FROM post_like;
DROP INDEX IF EXISTS post_like_seen;
