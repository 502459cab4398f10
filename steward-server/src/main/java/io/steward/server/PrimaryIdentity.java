package io.steward.server;

import io.steward.coordinator.RunIds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * {@code <data>/primary.id}: the name this primary goes by among several on one database. Made once, on first start,
 * and kept, so that a restarted primary finds its own runs again; each primary of a cluster has its own data folder.
 */
final class PrimaryIdentity {
    static final String NAME = "primary.id";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private PrimaryIdentity() {
    }

    static String ensure(Path dataDir) throws IOException {
        Path file = dataDir.resolve(NAME);
        if (Files.exists(file)) {
            String id = Files.readString(file).strip();
            if (!VALID.matcher(id).matches()) {
                throw new IOException(file + " holds no valid primary id (1 to 64 letters, digits, '.', '_' or '-'); "
                        + "fix or delete it to get a new one");
            }
            return id;
        }
        String id = "p-" + RunIds.next().toLowerCase(java.util.Locale.ROOT);
        Files.writeString(file, id + "\n");
        return id;
    }
}
