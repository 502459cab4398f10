package io.steward.coordinator;

import io.steward.engine.JsonValues;
import io.steward.engine.StatusBoard;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The status of a run: named values, timeline events and progress, each change an event (claims 14–15, 40–41). */
final class RunStatusBoard implements StatusBoard {
    private final EventLog events;
    private final RunSecrets secrets;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private double fraction = -1;
    private String message;

    RunStatusBoard(EventLog events, RunSecrets secrets) {
        this.events = events;
        this.secrets = secrets;
    }

    @Override
    public void set(String name, Object value, boolean secret) {
        checkName(name);
        Object copy = JsonValues.copy("status value '" + name + "'", value);
        events.admit("status value '" + name + "'", copy);
        synchronized (this) {
            if (secret) {
                // Learnt before the event goes out, so that the value is masked wherever else it shows up too.
                secrets.secretStatus(name, copy);
            }
            values.put(name, copy);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("name", name);
            if (secrets.isSecretStatus(name)) {
                data.put("value", RunSecrets.MASK);
                data.put("secret", true);
            } else {
                data.put("value", copy);
            }
            events.append("status", Collections.unmodifiableMap(data));
        }
    }

    @Override
    public synchronized Object get(String name) {
        return values.get(name);
    }

    @Override
    public void event(String name, Object data) {
        checkName(name);
        Object copy = JsonValues.copy("data of event '" + name + "'", data);
        events.admit("data of event '" + name + "'", copy);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("name", name);
        event.put("data", copy);
        events.append("event", Collections.unmodifiableMap(event));
    }

    @Override
    public void progress(double fraction, String message) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("progress must be between 0 and 1, was " + fraction);
        }
        events.admit("the progress message", message);
        synchronized (this) {
            this.fraction = fraction;
            this.message = message;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("fraction", fraction);
            data.put("message", message);
            events.append("progress", Collections.unmodifiableMap(data));
        }
    }

    /** The values as clients see them: secret ones masked. */
    synchronized Map<String, Object> values() {
        return secrets.maskStatus(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }

    /** {@code {fraction, message}}, or {@code null} before the first report. */
    synchronized Map<String, Object> progress() {
        if (fraction < 0) {
            return null;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("fraction", fraction);
        p.put("message", message);
        return Collections.unmodifiableMap(p);
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("status names must be non-empty strings");
        }
    }
}
