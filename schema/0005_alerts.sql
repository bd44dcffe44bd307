-- 0005_alerts.sql: what alerts need besides the alert table of 0002: the
-- delivery outbox and the weekly digests the service has made.

-- One announcement for one channel. Rows are written in the transaction that
-- opens or closes the alert they announce, so a condition is announced
-- exactly once per channel; a failed delivery stays here and is tried again
-- from next_attempt on (with backoff), and a row is marked delivered only
-- after its receiver accepted it.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    channel      INTEGER NOT NULL,          -- 1-based index of its [channel] section when queued
    channel_sig  TEXT NOT NULL,             -- type and a hash of the destination, so a
                                            -- reordered config still finds the channel
    alert_id     INTEGER REFERENCES alert (id) ON DELETE SET NULL,
    event        TEXT NOT NULL CHECK (event IN ('start', 'end', 'digest')),
    payload      TEXT NOT NULL,             -- the documented JSON (docs/alerts.md), texts in the
                                            -- channel's language
    created_at   INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER NOT NULL,          -- not before; also a lease while one process sends
    delivered_at INTEGER,
    last_error   TEXT                       -- why the last attempt failed; never a URL or password
);
CREATE INDEX outbox_pending ON outbox (channel_sig, id) WHERE delivered_at IS NULL;

-- One weekly report made by `collect --watch`, so a week is reported once.
CREATE TABLE digest (
    week    TEXT PRIMARY KEY,               -- the ISO week reported, e.g. 2026-W47
    made_at INTEGER NOT NULL,
    note    TEXT                            -- where the files went, or why there are none
) WITHOUT ROWID;
