-- 0015_post_text.sql: a snippet of each post's text (issue 24).
--
-- The report lists every post of the period with the first characters of its
-- text, as moderators know it from VK's statistics and Popsters. A community's
-- public post is its content, not a member's personal data; the snippet is at
-- most 200 characters (cut on a character boundary by the collector), and it is
-- removed with the author when a person is forgotten (vkpulse forget).
-- NULL: not read since this migration (the next collection fills it).
ALTER TABLE post ADD COLUMN text TEXT;
