package io.steward.coordinator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets of one run and the masking of them: the names of its secret args and secret status values, and the
 * text of every secret value, which {@link #mask(Object)} replaces with {@link #MASK} wherever it appears in what
 * leaves the run (events, and so the store, streams, output and agent links; snapshots).
 *
 * <p>Masking by text is what CI systems do with their secrets, with the same limits: it finds a value only where
 * it appears whole inside one string (one output line, one log message); a value split across two output lines, or
 * transformed (base64, reversed, one character at a time), is not found. Values shorter than {@link #MIN_LENGTH}
 * characters are masked by name only, since masking every "1" or "ok" in a run's output would ruin it and hide
 * nothing. Masking by name (an arg's or a status value's slot) has no such limits.
 */
final class RunSecrets {
    /** What a client sees in place of a secret value. */
    static final String MASK = "***";
    static final int MIN_LENGTH = 4;
    static final RunSecrets NONE = new RunSecrets(Set.of());

    private final Set<String> argNames;
    private final Set<String> statusNames = ConcurrentHashMap.newKeySet();
    /** Longest first, so that a secret containing another is masked whole. Replaced as a whole on change. */
    private volatile List<String> values = List.of();

    RunSecrets(Set<String> argNames) {
        this.argNames = Set.copyOf(argNames);
    }

    /** The secrets of a run invoked with {@code secretArgs} (names and their real values). */
    static RunSecrets of(Map<String, Object> secretArgs) {
        if (secretArgs.isEmpty()) {
            return new RunSecrets(Set.of());
        }
        RunSecrets secrets = new RunSecrets(secretArgs.keySet());
        secretArgs.values().forEach(secrets::addValue);
        return secrets;
    }

    boolean isSecretStatus(String name) {
        return statusNames.contains(name);
    }

    /** Marks a status value secret from now on and learns its text. */
    void secretStatus(String name, Object value) {
        statusNames.add(name);
        addValue(value);
    }

    /** Learns the text of a secret value: a string itself, every string and number inside a list or map. */
    synchronized void addValue(Object value) {
        List<String> found = new ArrayList<>();
        collect(value, found);
        List<String> next = new ArrayList<>(values);
        for (String text : found) {
            if (text.length() >= MIN_LENGTH && !next.contains(text)) {
                next.add(text);
            }
        }
        if (next.size() != values.size()) {
            next.sort(Comparator.comparingInt(String::length).reversed());
            values = List.copyOf(next);
        }
    }

    private static void collect(Object value, List<String> into) {
        if (value instanceof String s) {
            into.add(s);
        } else if (value instanceof Number || value instanceof Boolean) {
            into.add(String.valueOf(value));
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collect(v, into));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collect(v, into));
        }
    }

    /** {@code args} with each secret one's value replaced by the mask. */
    Map<String, Object> maskArgs(Map<String, Object> args) {
        return maskNamed(args, argNames);
    }

    /** Status values with each secret one replaced by the mask. */
    Map<String, Object> maskStatus(Map<String, Object> status) {
        return maskNamed(status, statusNames);
    }

    private Map<String, Object> maskNamed(Map<String, Object> map, Set<String> names) {
        if (names.isEmpty()) {
            return mask(map);
        }
        Map<String, Object> masked = new LinkedHashMap<>();
        map.forEach((k, v) -> masked.put(k, names.contains(k) ? MASK : mask(v)));
        return Collections.unmodifiableMap(masked);
    }

    /** A JSON-compatible value with every secret text in its strings (keys included) replaced by the mask. */
    @SuppressWarnings("unchecked")
    <T> T mask(T value) {
        List<String> secrets = values;
        if (secrets.isEmpty() || value == null) {
            return value;
        }
        return (T) mask(value, secrets);
    }

    private static Object mask(Object value, List<String> secrets) {
        if (value instanceof String s) {
            return maskText(s, secrets);
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> masked = new LinkedHashMap<>();
            m.forEach((k, v) -> masked.put(k instanceof String s ? maskText(s, secrets) : k, mask(v, secrets)));
            return Collections.unmodifiableMap(masked);
        }
        if (value instanceof List<?> l) {
            List<Object> masked = new ArrayList<>(l.size());
            l.forEach(v -> masked.add(mask(v, secrets)));
            return Collections.unmodifiableList(masked);
        }
        return value;
    }

    private static String maskText(String text, List<String> secrets) {
        String masked = text;
        for (String secret : secrets) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }
}
