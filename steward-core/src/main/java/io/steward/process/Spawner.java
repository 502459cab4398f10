package io.steward.process;

import java.io.IOException;

/**
 * The one operating-system step of {@link LocalProcesses}: starting a child with its standard streams on pipes.
 *
 * <p>Two strategies: {@link PosixSpawner} calls glibc's {@code posix_spawnp} directly (Linux on x86_64 or aarch64,
 * when JNA loads), {@link JdkSpawner} uses {@link ProcessBuilder} everywhere else. Both give the same {@link Child}:
 * stdout and stderr on pipes, stdin on a pipe when the spec has text for it and {@code /dev/null} otherwise, the
 * working directory and environment of the spec, and an exit code that is 128 + the signal number when a signal
 * ended the child. {@link #select()} picks one; the system property {@value #PROPERTY} (or the environment
 * variable {@value #ENV}) set to {@code jdk} or {@code posix} overrides the choice for troubleshooting.
 */
interface Spawner {
    String PROPERTY = "steward.spawner";
    String ENV = "STEWARD_SPAWNER";

    /**
     * Starts the child. Returns once it runs (or has already ended); does not wait for it.
     *
     * @throws IOException when the program cannot be started: not found, not executable, no such working directory
     */
    Child spawn(ProcessSpec spec) throws IOException;

    /** {@code jdk} or {@code posix}: what the selection property names. */
    String name();

    /** The spawner the property or environment names, else the native one where it works, else the JDK's. */
    static Spawner select() {
        String wanted = System.getProperty(PROPERTY, System.getenv().getOrDefault(ENV, "auto")).strip();
        return byName(wanted.isEmpty() ? "auto" : wanted);
    }

    /** {@code jdk}, {@code posix} (the JDK's, with a warning, where it cannot load) or {@code auto}. */
    static Spawner byName(String name) {
        return switch (name) {
            case "jdk" -> JdkSpawner.INSTANCE;
            case "auto" -> posixOr(null);
            case "posix" -> posixOr("the posix spawner was asked for but cannot load here ({0}); processes start through the JDK");
            default -> throw new IllegalArgumentException(PROPERTY + " (or " + ENV + ") must be auto, posix or jdk, was '"
                    + name + "'");
        };
    }

    /** The posix spawner, or the JDK's where it cannot load (even where JNA's classes are missing), saying why. */
    private static Spawner posixOr(String warning) {
        String problem;
        try {
            if (PosixSpawner.available()) {
                return PosixSpawner.instance();
            }
            problem = PosixSpawner.unavailableReason();
        } catch (LinkageError e) {
            problem = e.toString();
        }
        if (warning != null) {
            System.getLogger(Spawner.class.getName()).log(System.Logger.Level.WARNING, warning, problem);
        }
        return JdkSpawner.INSTANCE;
    }
}
