-- The embedded store's write-ahead log (issue 12): the number of the last logged batch that H2 has committed,
-- updated in that batch's own transaction, so that a restart replays exactly the batches after it. One row.
CREATE TABLE write_ahead_log (
    id       INTEGER NOT NULL PRIMARY KEY,
    applied  BIGINT  NOT NULL
);
INSERT INTO write_ahead_log (id, applied) VALUES (1, 0);
