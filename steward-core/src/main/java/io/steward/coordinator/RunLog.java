package io.steward.coordinator;

import io.steward.engine.ScriptLog;

import java.util.Map;

/** {@code log.info/warn/error}: each message a {@code log} event of the run. */
final class RunLog implements ScriptLog {
    private final EventLog events;

    RunLog(EventLog events) {
        this.events = events;
    }

    @Override
    public void info(Object message) {
        write("info", message);
    }

    @Override
    public void warn(Object message) {
        write("warn", message);
    }

    @Override
    public void error(Object message) {
        write("error", message);
    }

    private void write(String level, Object message) {
        String text = String.valueOf(message);
        events.admit("the log message", text);
        events.append("log", Map.of("level", level, "message", text));
    }
}
