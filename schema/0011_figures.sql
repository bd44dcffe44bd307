-- 0011_figures.sql: each figure defined once (issue 14).
--
-- The report, the digest, the alerts, status and the cross-check read the
-- collection through these views instead of writing the rules out each time.

-- usable_run: the runs whose data the analyzers trust. A failed run, or one
-- killed while 'running', may have left half of its pages behind.
CREATE VIEW usable_run AS SELECT * FROM run WHERE status IN ('ok', 'partial');

-- snapshot_usable: the snapshots those runs took; their flags say what each vouches for.
CREATE VIEW snapshot_usable AS
    SELECT s.* FROM snapshot s JOIN usable_run r ON r.id = s.run_id;
