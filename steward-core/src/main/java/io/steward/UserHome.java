package io.steward;

import java.nio.file.Path;
import java.util.Map;

/**
 * The user's home directory, where the server keeps {@code ~/.steward}, the agent {@code ~/.steward-agent} and the
 * CLI its {@code ~/.config/steward}: the {@code HOME} environment variable, else the JVM's {@code user.home}.
 *
 * <p>The JVM reads {@code user.home} from the account's passwd entry, not from {@code HOME}, so
 * {@code HOME=/tmp/x steward demo} would otherwise still write to the real home. Every default path under the home
 * comes from here, so that shells, containers and tests that set {@code HOME} keep Steward's files where they say.
 */
public final class UserHome {
    private UserHome() {
    }

    /** This process's home: {@code $HOME}, else {@code user.home}. */
    public static Path directory() {
        return directory(System.getenv(), System.getProperty("user.home"));
    }

    /**
     * {@code HOME} of {@code env} when it is an absolute path, else {@code userHome}. A blank or relative
     * {@code HOME} is ignored, so that the data folder does not move with the working directory.
     */
    public static Path directory(Map<String, String> env, String userHome) {
        String home = env.get("HOME");
        if (home != null && !home.isBlank() && Path.of(home.strip()).isAbsolute()) {
            return Path.of(home.strip());
        }
        return Path.of(userHome);
    }
}
