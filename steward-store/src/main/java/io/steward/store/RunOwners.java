package io.steward.store;

import io.steward.coordinator.RunState;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** Looks up the {@link RunOwner} of a run, for requests that only the owning primary can carry out. */
public final class RunOwners {
    private final Database db;

    RunOwners(Database db) {
        this.db = db;
    }

    /** The run's owner as committed now; empty for an unknown run. */
    public Optional<RunOwner> of(String runId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT r.state, r.primary_id, p.url FROM runs r "
                    + "LEFT JOIN primaries p ON p.id = r.primary_id WHERE r.id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new RunOwner(runId, RunState.valueOf(rs.getString(1)),
                            rs.getString(2), rs.getString(3))) : Optional.empty();
                }
            }
        });
    }
}
