package io.steward.engine;

/** A run's status as a script writes it: named values, events on the timeline, and progress. */
public interface StatusBoard {

    /** Sets a named status value (JSON-compatible). */
    default void set(String name, Object value) {
        set(name, value, false);
    }

    /**
     * Sets a named status value; a {@code secret} one is seen as it is by the run's own script ({@link #get}) and
     * as {@code "***"} by everyone else (events, polls, output, the store). Once secret, a name stays secret for
     * the rest of the run, so a later plain {@code set} cannot unmask it.
     */
    void set(String name, Object value, boolean secret);

    /**
     * Groovy's named arguments: {@code status.set('password', value, secret: true)} arrives here with the named ones
     * collected into {@code options}. {@code secret} is the only option.
     */
    default void set(java.util.Map<?, ?> options, String name, Object value) {
        set(name, value, StatusOptions.secret(options));
    }

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
