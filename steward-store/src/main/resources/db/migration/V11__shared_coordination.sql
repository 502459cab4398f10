-- Coordination shared by several primaries on one PostgreSQL database (issue 15): holders are stored too, so that a
-- lock taken by a run on one primary excludes runs on every other. A primary alone on H2 keeps holders in memory
-- (LocalCoordination) and never writes these tables; they exist there too so that both schemas stay one.

-- Ids of queued messages and of holds, from the database: several primaries put and acquire at once.
CREATE SEQUENCE coord_message_ids;
CREATE SEQUENCE coord_hold_ids;

-- Permits of mutexes and counting semaphores held now, each by one script thread of a run on some primary; the
-- primary's id lets whoever reaps a dead primary's runs release its holds in one DELETE.
CREATE TABLE coord_holds (
    id          BIGINT       NOT NULL PRIMARY KEY,
    name        VARCHAR(128) NOT NULL,
    permits     INT          NOT NULL,  -- the semaphore's count, as its holders asked for it
    run_id      VARCHAR(64),            -- null: a client outside any run
    node        VARCHAR(255),
    thread      VARCHAR(512),
    primary_id  VARCHAR(64)  NOT NULL,
    since       BIGINT       NOT NULL   -- epoch milliseconds
);
CREATE INDEX coord_holds_name ON coord_holds (name);
CREATE INDEX coord_holds_run ON coord_holds (run_id);
CREATE INDEX coord_holds_primary ON coord_holds (primary_id);

-- Entries of resource pools held now (at most one holder each).
CREATE TABLE coord_pool_holds (
    pool        VARCHAR(128) NOT NULL,
    entry       VARCHAR(128) NOT NULL,
    run_id      VARCHAR(64),
    node        VARCHAR(255),
    thread      VARCHAR(512),
    primary_id  VARCHAR(64)  NOT NULL,
    since       BIGINT       NOT NULL,
    PRIMARY KEY (pool, entry)
);
CREATE INDEX coord_pool_holds_run ON coord_pool_holds (run_id);
CREATE INDEX coord_pool_holds_primary ON coord_pool_holds (primary_id);

-- An entry removed while held stays with its holder and leaves the pool when released.
ALTER TABLE coord_pool_entries ADD COLUMN leaving BOOLEAN DEFAULT FALSE NOT NULL;

-- Each event's count of posts and pulses: a waiter on any primary is woken when it moves past what it saw first.
CREATE TABLE coord_event_pulses (
    name        VARCHAR(128) NOT NULL PRIMARY KEY,
    generation  BIGINT       NOT NULL
);
