-- Secret args of runs (docs/scripting.md, "Secrets"), sealed with the primary's secret.key (AES-256-GCM): the
-- runs table shows them as "***", retries read them back from here. `sealed` is "v1.<key id>.<nonce and
-- ciphertext, base64url>"; the key id says which key sealed it, so a wrong key is named, not decrypted to garbage.
-- Same SQL for H2 2.x and PostgreSQL.
CREATE TABLE run_secrets (
    run_id      VARCHAR(64) NOT NULL PRIMARY KEY,
    sealed      VARCHAR     NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
