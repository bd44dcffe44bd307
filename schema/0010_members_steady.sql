-- 0010_members_steady.sql: a member list taken as unchanged (issue 15).
--
-- A later run whose member count equals the stored open memberships, and whose
-- first page holds nobody new, carries the membership over instead of reading
-- every page. Such a snapshot is members_ok (the membership is vouched for) but
-- carried: the next whole reading is due members_full_hours after the last
-- snapshot that was not carried.
ALTER TABLE snapshot ADD COLUMN members_carried INTEGER NOT NULL DEFAULT 0;
