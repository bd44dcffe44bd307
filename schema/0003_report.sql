-- 0003_report.sql: indexes for the weekly report (vkpulse report), so that its
-- cost follows the data of the weeks it shows, not the length of the history.
-- Only indexes: a database that misses them still reports, just slower.

-- The snapshot nearest a week boundary, and the snapshots inside a week.
CREATE INDEX IF NOT EXISTS snapshot_community_time ON snapshot (community_id, taken_at);

-- Joins and leaves recorded by the runs of a week.
CREATE INDEX IF NOT EXISTS membership_joined ON membership (community_id, joined_at);
CREATE INDEX IF NOT EXISTS membership_left ON membership (community_id, left_at)
    WHERE left_at IS NOT NULL;

-- The runs of a week (failed or partial ones are reported).
CREATE INDEX IF NOT EXISTS run_started ON run (started_at);
