-- Coordination (io.steward.coordination): what a restart of the primary must not lose. Holders and waiters are not
-- stored: every holder is a run, and a primary that restarts marks its unfinished runs LOST, so no hold survives it.

-- Global variables: JSON values in scopes ('global', 'node:NAME'); version grows with every change (compare-and-set).
CREATE TABLE coord_vars (
    scope       VARCHAR(140) NOT NULL,
    name        VARCHAR(128) NOT NULL,
    data        VARCHAR      NOT NULL,   -- JSON
    version     BIGINT       NOT NULL,
    expires_at  BIGINT,                 -- epoch milliseconds; null: no time to live
    PRIMARY KEY (scope, name)
);

-- Messages of named queues; a taken message is deleted in the same step as it is handed out.
CREATE TABLE coord_messages (
    queue  VARCHAR(128) NOT NULL,
    id     BIGINT       NOT NULL,       -- grows in put order
    data   VARCHAR      NOT NULL,
    PRIMARY KEY (queue, id)
);

-- Entries of resource pools, with a JSON value describing each.
CREATE TABLE coord_pool_entries (
    pool   VARCHAR(128) NOT NULL,
    entry  VARCHAR(128) NOT NULL,
    data   VARCHAR      NOT NULL,
    PRIMARY KEY (pool, entry)
);

-- Event semaphores that are posted (a reset deletes the row).
CREATE TABLE coord_events (
    name  VARCHAR(128) NOT NULL PRIMARY KEY
);
