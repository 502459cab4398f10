package io.steward.engine;

import java.util.Map;

/** The options of {@code status.set(name, value, options)} in either language: only {@code secret}, a boolean. */
public final class StatusOptions {
    private StatusOptions() {
    }

    /**
     * Whether {@code options} mark the value secret.
     *
     * @throws IllegalArgumentException for an unknown option or a {@code secret} that is not a boolean
     */
    public static boolean secret(Map<?, ?> options) {
        if (options == null || options.isEmpty()) {
            return false;
        }
        for (Object key : options.keySet()) {
            if (!"secret".equals(key)) {
                throw new IllegalArgumentException("status.set knows one option, secret (true or false), not '" + key
                        + "': write status.set(name, value, secret: true) in Groovy or "
                        + "status.set(name, value, {secret: true}) in JavaScript");
            }
        }
        Object secret = options.get("secret");
        if (!(secret instanceof Boolean b)) {
            throw new IllegalArgumentException("status.set's option secret is true or false, not " + secret);
        }
        return b;
    }
}
