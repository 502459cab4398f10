package io.steward.store;

import io.steward.coordinator.RunState;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A notification: when a run of {@code script} (any script when null) ends in one of {@code states}, POST its
 * payload to {@code webhook} or run the stored script {@code runScript} with it (exactly one of the two).
 *
 * @throws IllegalArgumentException (from the constructor) naming the wrong value and what it may be
 */
public record Notification(String name, Set<RunState> states, String script, String webhook, String runScript,
                           Instant createdAt, String createdBy) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public Notification {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("notification name '" + name + "' is not valid: use 1 to 64 letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (states == null || states.isEmpty()) {
            throw new IllegalArgumentException("a notification needs the states it fires on, e.g. FAILED,TIMED_OUT");
        }
        for (RunState state : states) {
            if (!state.isTerminal()) {
                throw new IllegalArgumentException("a notification fires when a run ends: " + state
                        + " is not a final state; use " + finalStates());
            }
        }
        states = Set.copyOf(states);
        if ((webhook == null) == (runScript == null)) {
            throw new IllegalArgumentException("a notification needs exactly one of webhook (a URL) and runScript "
                    + "(a stored script)");
        }
        if (webhook != null) {
            checkWebhook(webhook);
        }
    }

    /** Reads {@code FAILED,TIMED_OUT} (any case, spaces allowed). */
    public static Set<RunState> parseStates(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a notification needs the states it fires on, e.g. FAILED,TIMED_OUT");
        }
        java.util.EnumSet<RunState> states = java.util.EnumSet.noneOf(RunState.class);
        for (String part : text.split(",")) {
            String key = part.strip().toUpperCase(Locale.ROOT);
            try {
                states.add(RunState.valueOf(key));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown state '" + part.strip() + "': use " + finalStates());
            }
        }
        return states;
    }

    private static String finalStates() {
        return String.join(", ", Arrays.stream(RunState.values()).filter(RunState::isTerminal).map(Enum::name).toList());
    }

    private static void checkWebhook(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("webhook '" + url + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("webhook '" + url + "' must be an http:// or https:// URL"
                    + (scheme.isEmpty() ? "" : ", not " + scheme + ":"));
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("webhook '" + url + "' has no host");
        }
        if (url.length() > 2048) {
            throw new IllegalArgumentException("webhook URL is longer than 2048 characters");
        }
    }

    public boolean matches(String runScript, RunState state) {
        return states.contains(state) && (script == null || script.equals(runScript));
    }

    /** The API's form. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("states", List.copyOf(states.stream().sorted().map(Enum::name).toList()));
        map.put("script", script);
        map.put("webhook", webhook);
        map.put("runScript", runScript);
        map.put("createdAt", createdAt == null ? null : createdAt.toString());
        map.put("createdBy", createdBy);
        return map;
    }
}
