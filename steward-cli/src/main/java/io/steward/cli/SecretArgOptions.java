package io.steward.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code --secret-arg KEY=VALUE} and {@code --secret-arg-env KEY=VARIABLE} as the invoke body's {@code secretArgs}.
 * Like every argument of this CLI, a value is inert text: {@code @file} is not read, {@code -} is not stdin. To keep a
 * value off the command line (and out of {@code ps} and shell history), name an environment variable instead.
 */
final class SecretArgOptions {
    private SecretArgOptions() {
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
