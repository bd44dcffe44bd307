-- 0004_survey.sql: the roster of known teachers, for exact attribution to municipalities.

-- A person the institute knows to work in a municipality. It takes precedence
-- over the city in the person's VK profile. `vkpulse survey roster FILE`
-- replaces the whole table.
CREATE TABLE roster (
    user_id      INTEGER PRIMARY KEY,         -- VK user id
    municipality TEXT NOT NULL,               -- official name from the municipality map
    row          INTEGER NOT NULL,            -- row of the roster file, for messages
    imported_at  INTEGER NOT NULL,
    source       TEXT NOT NULL                -- file name as given
);
