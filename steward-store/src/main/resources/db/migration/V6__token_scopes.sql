-- Token scopes and lifetimes (docs/api.md, "Tokens"). Same SQL for H2 2.x and PostgreSQL.
-- expires_at: NULL never expires. last_used_at: written at most about once a minute per token (the primary keeps
-- the exact time in memory), so that authenticating costs no write. scripts: a glob over script names
-- (deploy/*); nodes: a node selector (env=lab, web-*); NULL means unscoped.
ALTER TABLE tokens ADD COLUMN expires_at   TIMESTAMP WITH TIME ZONE;
ALTER TABLE tokens ADD COLUMN last_used_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE tokens ADD COLUMN scripts      VARCHAR(255);
ALTER TABLE tokens ADD COLUMN nodes        VARCHAR(1000);
