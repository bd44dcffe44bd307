-- 0010_ingest.sql: indexes the collector paid for on every write and no reader
-- uses (issue 15). Each was keyed on a user id, so every like or membership
-- written landed on a random page of it: a page of 1,000 likes dirtied up to
-- a thousand index pages, all rewritten to the WAL at each commit, and the
-- index took 17 bytes of every like. Only `vkpulse forget` looked people up
-- by user id; it now reads the tables through, a rare command that can wait
-- a second. A database without them answers every query the same.
DROP INDEX IF EXISTS post_like_user;
DROP INDEX IF EXISTS membership_user;
