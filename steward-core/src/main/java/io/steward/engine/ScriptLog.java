package io.steward.engine;

/** The {@code log} a script writes to; each message becomes a {@code log} event of its run. */
public interface ScriptLog {
    void info(Object message);

    void warn(Object message);

    void error(Object message);
}
