package io.steward.engine;

/** A run's status as a script writes it: named values, events on the timeline, and progress. */
public interface StatusBoard {

    /** Sets a named status value (JSON-compatible). */
    void set(String name, Object value);

    Object get(String name);

    /** Adds an event to the run's timeline with optional JSON-compatible data. */
    void event(String name, Object data);

    default void event(String name) {
        event(name, null);
    }

    /** Reports progress between 0 and 1 with an optional message. */
    void progress(double fraction, String message);

    default void progress(double fraction) {
        progress(fraction, null);
    }
}
