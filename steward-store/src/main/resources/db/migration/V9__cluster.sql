-- Several primaries on one database (issue 15). Each primary has an id (its data folder's primary.id) and a row
-- here it refreshes while it lives; single-owner work (schedules, LOST detection, retention) is held by lease rows
-- that a holder renews and another primary takes once they expire; a run belongs to the primary that started it
-- or adopted it (an agent that fails over brings its runs under way to its new primary).
CREATE TABLE primaries (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    url         VARCHAR(512),
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    seen_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE leases (
    name        VARCHAR(64)  NOT NULL PRIMARY KEY,
    holder      VARCHAR(64)  NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
-- No index of its own: it is read with the live states (runs_state_id finds those few rows), and every index of runs
-- costs each run's commit a page more (issue 12).
ALTER TABLE runs ADD COLUMN primary_id VARCHAR(64);
