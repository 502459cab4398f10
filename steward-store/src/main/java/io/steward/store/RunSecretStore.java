package io.steward.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The secret args of runs, sealed with the primary's key ({@link SecretBox}): written when a run with secret args
 * is invoked, read when a retry repeats it. Nothing else in the store holds them; the runs table shows them as
 * {@code ***}. A run's row goes when the run is pruned.
 */
public final class RunSecretStore {
    private final Database db;
    private final SecretBox box;

    RunSecretStore(Database db, SecretBox box) {
        this.db = db;
        this.box = box;
    }

    /**
     * The key under which a schedule's secret args are kept in this table beside runs' (whose keys are run ids):
     * {@code schedule:} and a digest of the name, to fit the 64 characters of a run id whatever the name.
     */
    public static String scheduleKey(String schedule) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(schedule.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "schedule:" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Says, before anything is stored, when secret args could not be sealed.
     *
     * @throws SecretsUnavailableException when no key is configured
     */
    public void checkCanSeal() {
        box();
    }

    /** The id of the key secrets are sealed with; empty when no key is configured. */
    public Optional<String> keyId() {
        return Optional.ofNullable(box).map(SecretBox::keyId);
    }

    /**
     * Seals and keeps the secret args of run {@code runId}; nothing when there are none.
     *
     * @throws SecretsUnavailableException when no key is configured
     */
    public void save(String runId, Map<String, Object> secretArgs) {
        if (secretArgs.isEmpty()) {
            return;
        }
        String sealed = box().seal(context(runId), Json.write(secretArgs));
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO run_secrets (run_id, sealed, created_at) VALUES (?, ?, ?)")) {
                ps.setString(1, runId);
                ps.setString(2, sealed);
                Database.setInstant(ps, 3, Database.now());
                return ps.executeUpdate();
            }
        });
    }

    /**
     * How many runs' secret args were sealed with a key other than this primary's: checked at start, so that a
     * primary started with the wrong key says so at once rather than when a retry first needs them.
     */
    public int sealedWithAnotherKey() {
        if (box == null) {
            return 0;
        }
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM run_secrets WHERE sealed NOT LIKE ?")) {
                ps.setString(1, "v1." + box.keyId() + ".%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** Drops the secret args of run {@code runId}, if any. */
    public void forget(String runId) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM run_secrets WHERE run_id = ?")) {
                ps.setString(1, runId);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * The secret args of run {@code runId}, opened; empty when it had none.
     *
     * @throws SecretsUnavailableException when they were sealed with another key, are damaged, or no key is configured
     */
    public Map<String, Object> load(String runId) {
        String sealed = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sealed FROM run_secrets WHERE run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        return sealed == null ? Map.of() : Json.readMap(box().open(context(runId), sealed));
    }

    /**
     * Which of {@code runIds} have sealed secret args: one query, so that a primary starting hundreds of handed-on
     * children at once opens only the few that have any.
     */
    public java.util.Set<String> withSecrets(java.util.Collection<String> runIds) {
        java.util.Set<String> found = new java.util.HashSet<>();
        if (runIds.isEmpty()) {
            return found;
        }
        for (List<String> ids : InList.chunks(runIds)) {
            db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT run_id FROM run_secrets WHERE run_id IN "
                        + InList.marks(ids.size()))) {
                    InList.bind(ps, 1, ids);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.add(rs.getString(1));
                        }
                    }
                }
                return null;
            });
        }
        return found;
    }

    private SecretBox box() {
        if (box == null) {
            throw new SecretsUnavailableException("secret args need a key: set " + SecretKeys.VARIABLE
                    + " or give the store a data folder for its " + SecretKeys.FILE);
        }
        return box;
    }

    private static String context(String runId) {
        return "run " + runId;
    }
}
