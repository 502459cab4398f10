-- What each primary publishes about itself for `steward cluster status` (issue 15): how many agents have a link
-- open to it now, and their names (a JSON array), refreshed with seen_at when they change.
ALTER TABLE primaries ADD COLUMN agents INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE primaries ADD COLUMN agent_names VARCHAR;
