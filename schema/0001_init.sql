-- 0001_init.sql: communities, collection runs and what they observed on VK.
-- Times are unix seconds (UTC). VK ids are VK's own: users positive, a group's
-- wall owner_id is minus the group id.

-- The groups named in the config. `ref` is how the config names the group
-- (screen name or id); vk_id is learnt on the first collection.
CREATE TABLE community (
    id          INTEGER PRIMARY KEY,
    ref         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    vk_id       INTEGER UNIQUE,
    screen_name TEXT,
    name        TEXT,
    kind        TEXT NOT NULL CHECK (kind IN ('rmo', 'community')),
    survey_name TEXT NOT NULL,
    is_closed   INTEGER,
    deactivated TEXT,
    active      INTEGER NOT NULL DEFAULT 1,  -- 0 once it is no longer in the config
    stats_denied INTEGER NOT NULL DEFAULT 0  -- stats.get refused: the token is no admin here
);

-- One collection run. A run killed before it ends stays 'running' until the
-- next run marks it 'failed'; the analyzer ignores it.
CREATE TABLE run (
    id          INTEGER PRIMARY KEY,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    status      TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'ok', 'partial', 'failed')),
    requests    INTEGER NOT NULL DEFAULT 0,  -- HTTP requests sent
    calls       INTEGER NOT NULL DEFAULT 0,  -- API method calls (inside execute too)
    message     TEXT                         -- why it is partial or failed
);

-- Errors a run met, counted by method and VK error code (HTTP faults use
-- negative codes: -1 network, -500 an HTTP 5xx ...).
CREATE TABLE run_error (
    run_id  INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    method  TEXT NOT NULL,
    code    INTEGER NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (run_id, method, code)
) WITHOUT ROWID;

-- What one run saw of one community. Each *_ok flag is set in the same
-- transaction as the data it vouches for; the analyzer trusts only those.
CREATE TABLE snapshot (
    run_id         INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    community_id   INTEGER NOT NULL REFERENCES community (id) ON DELETE CASCADE,
    taken_at       INTEGER NOT NULL,
    members_count  INTEGER,                 -- groups.getById
    members_listed INTEGER,                 -- size of the complete member list
    members_ok     INTEGER NOT NULL DEFAULT 0,
    members_hidden INTEGER NOT NULL DEFAULT 0,  -- the group hides its members (error 15)
    wall_ok        INTEGER NOT NULL DEFAULT 0,
    details_ok     INTEGER NOT NULL DEFAULT 0,  -- likes, comments, reposts of changed posts
    note           TEXT,
    PRIMARY KEY (run_id, community_id)
) WITHOUT ROWID;

-- People seen as members or authors. No names unless the config asks.
CREATE TABLE user (
    id          INTEGER PRIMARY KEY,
    city_id     INTEGER,
    city_title  TEXT,
    deactivated TEXT CHECK (deactivated IN ('deleted', 'banned')),
    first_name  TEXT,
    last_name   TEXT,
    seen_at     INTEGER NOT NULL
);

-- Membership intervals. VK gives no join dates: joined_at is the first run
-- that saw the member (`initial` = 1 when that was the community's first
-- complete member list, so the real join date is unknown), left_at the
-- first complete list without them.
CREATE TABLE membership (
    community_id INTEGER NOT NULL REFERENCES community (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES user (id),
    joined_at    INTEGER NOT NULL,
    joined_run   INTEGER NOT NULL,
    initial      INTEGER NOT NULL DEFAULT 0,
    left_at      INTEGER,
    left_run     INTEGER,
    PRIMARY KEY (community_id, user_id, joined_at)
) WITHOUT ROWID;
CREATE UNIQUE INDEX membership_open ON membership (community_id, user_id) WHERE left_at IS NULL;
CREATE INDEX membership_user ON membership (user_id);

-- Member pages of the run in progress; folded into membership once the list
-- is complete, so a killed run never half-updates the intervals.
CREATE TABLE member_stage (
    run_id       INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    PRIMARY KEY (run_id, community_id, user_id)
) WITHOUT ROWID;

-- Wall posts of the watched communities.
CREATE TABLE post (
    owner_id      INTEGER NOT NULL,
    id            INTEGER NOT NULL,
    community_id  INTEGER NOT NULL REFERENCES community (id) ON DELETE CASCADE,
    from_id       INTEGER NOT NULL,
    signer_id     INTEGER,
    date          INTEGER NOT NULL,
    post_type     TEXT,
    is_pinned     INTEGER NOT NULL DEFAULT 0,
    copy_owner_id INTEGER,                  -- copy_history[0]: the reposted wall
    copy_post_id  INTEGER,
    copy_date     INTEGER,
    first_run     INTEGER NOT NULL,
    -- the counters the details (likers, comments, reposts) were last fully
    -- fetched at; NULL until then. A post whose counters differ is re-read.
    synced_likes    INTEGER,
    synced_comments INTEGER,
    synced_reposts  INTEGER,
    PRIMARY KEY (owner_id, id)
) WITHOUT ROWID;
CREATE INDEX post_community_date ON post (community_id, date);

-- Each run's counters of each post it read.
CREATE TABLE post_counter (
    owner_id INTEGER NOT NULL,
    post_id  INTEGER NOT NULL,
    run_id   INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    taken_at INTEGER NOT NULL,
    views    INTEGER NOT NULL,
    likes    INTEGER NOT NULL,
    reposts  INTEGER NOT NULL,
    comments INTEGER NOT NULL,
    PRIMARY KEY (owner_id, post_id, run_id),
    FOREIGN KEY (owner_id, post_id) REFERENCES post (owner_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX post_counter_run ON post_counter (run_id);

-- Interactions, each unique by its natural key. seen_at is when a run first
-- saw it: likes carry no date on VK, so that is the best we know.
CREATE TABLE post_like (
    owner_id INTEGER NOT NULL,
    post_id  INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    seen_at  INTEGER NOT NULL,
    PRIMARY KEY (owner_id, post_id, user_id),
    FOREIGN KEY (owner_id, post_id) REFERENCES post (owner_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX post_like_user ON post_like (user_id);
CREATE INDEX post_like_seen ON post_like (seen_at);

CREATE TABLE comment (
    owner_id  INTEGER NOT NULL,
    id        INTEGER NOT NULL,
    post_id   INTEGER NOT NULL,
    from_id   INTEGER NOT NULL,              -- 0 when deleted before we saw it
    parent_id INTEGER,                       -- thread root for a reply
    date      INTEGER NOT NULL,
    deleted   INTEGER NOT NULL DEFAULT 0,
    seen_at   INTEGER NOT NULL,
    PRIMARY KEY (owner_id, id),
    FOREIGN KEY (owner_id, post_id) REFERENCES post (owner_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX comment_post ON comment (owner_id, post_id);
CREATE INDEX comment_from ON comment (from_id);
CREATE INDEX comment_date ON comment (date);

-- A repost is a post on another wall whose copy_history names ours.
CREATE TABLE repost (
    owner_id        INTEGER NOT NULL,
    post_id         INTEGER NOT NULL,
    repost_owner_id INTEGER NOT NULL,
    repost_id       INTEGER NOT NULL,
    date            INTEGER NOT NULL,
    seen_at         INTEGER NOT NULL,
    PRIMARY KEY (owner_id, post_id, repost_owner_id, repost_id),
    FOREIGN KEY (owner_id, post_id) REFERENCES post (owner_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX repost_from ON repost (repost_owner_id);
CREATE INDEX repost_date ON repost (date);

-- stats.get daily figures, where the token is a group admin.
CREATE TABLE stat_day (
    community_id INTEGER NOT NULL REFERENCES community (id) ON DELETE CASCADE,
    day          INTEGER NOT NULL,           -- period_from
    reach        INTEGER,
    reach_subscribers INTEGER,
    visitors     INTEGER,
    views        INTEGER,
    subscribed   INTEGER,
    unsubscribed INTEGER,
    likes        INTEGER,
    comments     INTEGER,
    copies       INTEGER,
    PRIMARY KEY (community_id, day)
) WITHOUT ROWID;
