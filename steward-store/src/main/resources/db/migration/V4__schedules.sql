-- Cron schedules (io.steward.schedule). One row per schedule; the row is also the schedule's firing state, so that
-- claiming a slot is one compare-and-set: UPDATE … SET next_slot = <the slot after> WHERE next_slot = <the slot
-- claimed>, in the same transaction that records the run id it is about to start (last_slot, last_run). Two
-- claims of one slot cannot both succeed, whatever restarts in between; a crash after the claim and before the
-- run started leaves last_outcome = 'CLAIMED', which the next start reports as missed.
CREATE TABLE schedules (
    name          VARCHAR(64)  NOT NULL PRIMARY KEY,
    cron          VARCHAR(255) NOT NULL,
    time_zone     VARCHAR(64)  NOT NULL,
    script        VARCHAR(255) NOT NULL,
    selector      VARCHAR(1024),               -- a node selector: the run fans out, as POST /runs with "on"
    args          VARCHAR      NOT NULL,       -- JSON object
    grace_ms      BIGINT       NOT NULL,       -- a slot later than this is missed, not run
    paused        BOOLEAN      NOT NULL,
    next_slot     TIMESTAMP WITH TIME ZONE,    -- the earliest slot not yet claimed; NULL: never fires again
    last_slot     TIMESTAMP WITH TIME ZONE,    -- the latest slot claimed to run
    last_run      VARCHAR(64),                 -- the run id claimed with it
    last_outcome  VARCHAR(16),                 -- CLAIMED, STARTED or FAILED
    last_error    VARCHAR,
    fired         BIGINT       NOT NULL,       -- runs started
    missed        BIGINT       NOT NULL,       -- slots that did not run
    last_missed   TIMESTAMP WITH TIME ZONE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by    VARCHAR(255) NOT NULL
);
