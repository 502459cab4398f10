package io.steward.cli;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code --secret-arg KEY=VALUE} and {@code --secret-arg-env KEY=VARIABLE} as the invoke body's {@code secretArgs}.
 * Like every argument of this CLI, a value is inert text: {@code @file} is not read, {@code -} is not stdin. To keep a
 * value off the command line (and out of {@code ps} and shell history), name an environment variable instead.
 */
final class SecretArgOptions {
    @Option(names = "--secret-arg", paramLabel = "KEY=VALUE", description = {"A secret argument (repeatable): the "
            + "script sees it in args like any other, everyone else sees ***; stored sealed. The value shows in this "
            + "machine's process list while the command runs: prefer --secret-arg-env."})
    Map<String, String> values = new LinkedHashMap<>();

    @Option(names = "--secret-arg-env", paramLabel = "KEY=VARIABLE", description = "A secret argument whose value is "
            + "read from the environment variable VARIABLE, which keeps it off the command line (repeatable).")
    Map<String, String> fromEnv = new LinkedHashMap<>();

    boolean given() {
        return !values.isEmpty() || !fromEnv.isEmpty();
    }

    /** The secret args given, with each variable's value read from {@code environment}. */
    Map<String, Object> read(Function<String, String> environment) {
        return read(values, fromEnv, environment);
    }

    /**
     * @throws IllegalArgumentException when a variable is not set, or a name is given twice
     */
    static Map<String, Object> read(Map<String, String> values, Map<String, String> fromEnv,
                                    Function<String, String> environment) {
        Map<String, Object> secrets = new LinkedHashMap<>(values);
        fromEnv.forEach((name, variable) -> {
            String value = environment.apply(variable);
            if (value == null) {
                throw new IllegalArgumentException("--secret-arg-env " + name + "=" + variable + ": the environment "
                        + "variable " + variable + " is not set; export it first (export " + variable + "=...)");
            }
            if (secrets.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException("the secret arg '" + name + "' is given twice: by --secret-arg "
                        + "and by --secret-arg-env; give it once");
            }
        });
        return secrets;
    }
}
