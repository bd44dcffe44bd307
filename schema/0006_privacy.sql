-- 0006_privacy.sql: people who asked to be forgotten (`vkpulse forget`).
-- Only the VK user id is kept, and only so that later collections leave the
-- person out: their memberships and likes are not stored, their comments are
-- stored with from_id 0 (as VK's own deleted placeholders), their reposts are
-- skipped, and posts they wrote or signed lose the author.
CREATE TABLE forgotten_user (
    id           INTEGER PRIMARY KEY,  -- VK user id
    forgotten_at INTEGER NOT NULL      -- when `vkpulse forget` ran
);
