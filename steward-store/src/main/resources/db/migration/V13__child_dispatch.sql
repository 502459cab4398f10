-- A fan-out's children for agents linked to another primary (issue 15): the primary running the parent writes one
-- row per such child, addressed to the primary that holds the agent's link; that primary takes it (exactly once:
-- UPDATE … WHERE taken_at IS NULL) and starts the child with this id and parent, as it starts its own. The parent's
-- primary follows the child through the runs table and deletes the row once the child has ended. Secret args are not
-- here: they are sealed in run_secrets under the child's id. A primary alone on H2 never writes this table.
CREATE TABLE child_dispatch (
    id             VARCHAR(64)  NOT NULL PRIMARY KEY,  -- the child run's id
    parent         VARCHAR(64)  NOT NULL,
    node           VARCHAR(255) NOT NULL,
    owner          VARCHAR(64)  NOT NULL,              -- the primary asked to start it
    sender         VARCHAR(64)  NOT NULL,              -- the primary running the parent
    script         VARCHAR(255) NOT NULL,
    version        INT          NOT NULL,
    args           VARCHAR      NOT NULL,              -- JSON object, secret args left out
    timeout_ms     BIGINT,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    taken_at       TIMESTAMP WITH TIME ZONE,
    taken_by       VARCHAR(64),                        -- the owner, or the sender when it gave the child up
    cancel_reason  VARCHAR(1024),                      -- set by the sender: the child is to be cancelled
    cancelled_at   TIMESTAMP WITH TIME ZONE            -- when the primary holding the child passed the cancel on
);
CREATE INDEX child_dispatch_owner ON child_dispatch (owner, taken_at);
