package io.steward.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to launch: an argv list (run directly) or a shell command line (run through {@code /bin/sh -c}),
 * with an optional working directory, extra environment, text for stdin, timeout and output cap.
 *
 * @param argv      the program and its arguments, never empty
 * @param dir       working directory, or {@code null} for the caller's
 * @param env       variables added to (or replacing) the inherited environment
 * @param stdin     text written to the process's stdin, which is then closed; {@code null} for none
 * @param timeout   the process tree is killed when it runs longer; {@code null} for no limit
 * @param outputCap bytes of stdout and of stderr kept for the caller; later bytes still stream as
 *                  output lines but are dropped from the returned text, which is then flagged truncated
 */
public record ProcessSpec(List<String> argv, Path dir, Map<String, String> env, String stdin,
                          Duration timeout, int outputCap) {

    /** One mebibyte: enough for any output a script reads as a value. */
    public static final int DEFAULT_OUTPUT_CAP = 1 << 20;

    public ProcessSpec {
        Objects.requireNonNull(argv, "argv");
        if (argv.isEmpty() || argv.getFirst().isBlank()) {
            throw new IllegalArgumentException("the command is empty: give a program and its arguments");
        }
        argv = List.copyOf(argv);
        env = env == null ? Map.of() : Map.copyOf(env);
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout.toMillis() + " ms");
        }
        if (outputCap < 0) {
            throw new IllegalArgumentException("outputCap must not be negative, was " + outputCap);
        }
    }

    public static ProcessSpec argv(List<String> argv) {
        return new ProcessSpec(argv, null, Map.of(), null, null, DEFAULT_OUTPUT_CAP);
    }

    public static ProcessSpec shell(String commandLine) {
        return argv(List.of("/bin/sh", "-c", commandLine));
    }

    public ProcessSpec withDir(Path dir) {
        return new ProcessSpec(argv, dir, env, stdin, timeout, outputCap);
    }

    public ProcessSpec withEnv(Map<String, String> env) {
        return new ProcessSpec(argv, dir, env, stdin, timeout, outputCap);
    }

    public ProcessSpec withStdin(String stdin) {
        return new ProcessSpec(argv, dir, env, stdin, timeout, outputCap);
    }

    public ProcessSpec withTimeout(Duration timeout) {
        return new ProcessSpec(argv, dir, env, stdin, timeout, outputCap);
    }

    public ProcessSpec withOutputCap(int outputCap) {
        return new ProcessSpec(argv, dir, env, stdin, timeout, outputCap);
    }
}
