package io.steward.cli;

import io.steward.UserHome;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the CLI reads from its surroundings: the environment variables and the home directory. One value passed down
 * from {@link Steward} instead of {@code System.getenv()} calls scattered in the commands, so that tests give each
 * command its own home and config without touching the real {@code ~/.config}.
 *
 * @param vars the environment variables
 * @param home the user's home directory
 */
record Environment(Map<String, String> vars, Path home) {

    /** This process's environment and its home, {@link UserHome}: {@code $HOME} before the JVM's {@code user.home}. */
    static Environment system() {
        return new Environment(System.getenv(), UserHome.directory());
    }

    /** The variable's value, or null when it is unset or blank (a blank value counts as not given). */
    String get(String name) {
        String value = vars.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * {@code $XDG_CONFIG_HOME/steward}, else {@code ~/.config/steward}. A relative XDG_CONFIG_HOME is ignored, as the
     * XDG Base Directory specification says, so that the file does not move with the working directory.
     */
    Path configDir() {
        String xdg = get("XDG_CONFIG_HOME");
        Path base = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".config");
        return base.resolve("steward");
    }

    /** The contexts file, {@link Contexts}. */
    Path configFile() {
        return configDir().resolve("config");
    }

    /** The shell's history, beside the config because it may hold run ids and server names of the same user. */
    Path historyFile() {
        return configDir().resolve("history");
    }
}
