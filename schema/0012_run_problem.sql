-- 0012_run_problem.sql: a run's errors by community and method, with VK's words (issue 13).
--
-- run_error counts a run's errors by method and code for the whole network;
-- `vkpulse status` must also say which group each came from and what VK said,
-- so that "partial" is never the whole explanation. community_id 0: an error
-- that belongs to no one community (groups.getById of the whole list).
CREATE TABLE run_problem (
    run_id       INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL,
    method       TEXT NOT NULL,
    code         INTEGER NOT NULL,
    count        INTEGER NOT NULL,
    message      TEXT NOT NULL,
    PRIMARY KEY (run_id, community_id, method, code)
) WITHOUT ROWID;
