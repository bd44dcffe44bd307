-- 0002_survey_alerts.sql: the municipalities' survey answers, and alert state.

-- One imported survey year; re-importing a year replaces its answers.
CREATE TABLE survey_import (
    year        INTEGER PRIMARY KEY,
    imported_at INTEGER NOT NULL,
    source      TEXT NOT NULL,                 -- file name as given
    rows        INTEGER NOT NULL
);

-- One answer option chosen by one municipality: question '13', code '13.2'.
CREATE TABLE survey_response (
    year         INTEGER NOT NULL REFERENCES survey_import (year) ON DELETE CASCADE,
    municipality TEXT NOT NULL,                -- official name from the municipality map
    question     TEXT NOT NULL,
    code         TEXT NOT NULL,
    answer       TEXT NOT NULL,                -- the wording as it was in the file
    PRIMARY KEY (year, municipality, question, code)
) WITHOUT ROWID;

-- A condition a rule found. It is announced when it starts and when it ends,
-- not on every evaluation.
CREATE TABLE alert (
    id           INTEGER PRIMARY KEY,
    rule         TEXT NOT NULL,
    community_id INTEGER REFERENCES community (id) ON DELETE CASCADE,
    started_at   INTEGER NOT NULL,
    ended_at     INTEGER,
    checked_at   INTEGER NOT NULL,
    details      TEXT
);
CREATE UNIQUE INDEX alert_open ON alert (rule, ifnull(community_id, 0)) WHERE ended_at IS NULL;
