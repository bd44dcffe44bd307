-- export.sql: the database in fakevk's --dump-expected format, for exact comparison.
.mode tabs
.headers off
SELECT 'group', vk_id, screen_name, (SELECT members_count FROM snapshot s WHERE s.community_id = c.id ORDER BY run_id DESC LIMIT 1) FROM community c WHERE vk_id IS NOT NULL;
SELECT 'member', c.vk_id, m.user_id FROM membership m JOIN community c ON c.id = m.community_id WHERE m.left_at IS NULL;
-- IN, not a correlated EXISTS: membership has no index on user_id (0009), and IN reads it once.
SELECT 'user', u.id, ifnull(u.city_id, 0), ifnull(u.deactivated, '-') FROM user u WHERE u.id IN (SELECT m.user_id FROM membership m WHERE m.left_at IS NULL);
SELECT 'post', owner_id, id, from_id, ifnull(signer_id, 0), date, is_pinned, ifnull(copy_owner_id, 0), ifnull(copy_post_id, 0) FROM post;
SELECT 'like', owner_id, post_id, user_id FROM post_like;
SELECT 'comment', owner_id, post_id, id, from_id, ifnull(parent_id, 0), date, deleted FROM comment;
SELECT 'repost', owner_id, post_id, repost_owner_id, repost_id, date FROM repost;
