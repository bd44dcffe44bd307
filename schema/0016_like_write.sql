-- 0016_like_write.sql: storing a like without a foreign-key probe (issue 25).
--
-- A first history stores millions of likes, a page of a thousand in one statement,
-- and the probe of post's key that the foreign key made for every one of them was a
-- quarter of the collector's cost of a like. The likes of one page all belong to one
-- post, which store_likes now looks up once (a page for a post that is gone is not
-- stored); the cascade the key gave, when a community and so its posts are deleted,
-- is a trigger.
CREATE TABLE post_like_new (
    owner_id INTEGER NOT NULL,
    post_id  INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    seen_at  INTEGER NOT NULL,
    PRIMARY KEY (owner_id, post_id, user_id)
) WITHOUT ROWID;
INSERT INTO post_like_new (owner_id, post_id, user_id, seen_at)
    SELECT owner_id, post_id, user_id, seen_at FROM post_like ORDER BY owner_id, post_id, user_id;
-- The views that read post_like keep their text: the legacy rename does not rewrite them,
-- and the name they read is the new table's.
PRAGMA legacy_alter_table = ON;
DROP TABLE post_like;
ALTER TABLE post_like_new RENAME TO post_like;
PRAGMA legacy_alter_table = OFF;
CREATE TRIGGER post_like_cascade AFTER DELETE ON post
BEGIN
    DELETE FROM post_like WHERE owner_id = old.owner_id AND post_id = old.id;
END;
