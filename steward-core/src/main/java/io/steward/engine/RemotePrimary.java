package io.steward.engine;

import java.util.Map;

/**
 * A connection from a script to a primary (claim 16): what {@code connect(url, token)} returns. Answers are the
 * JSON of docs/api.md as maps.
 */
public interface RemotePrimary {

    /** Runs a script there and waits for its end; returns the run. */
    Map<String, Object> invoke(String script, Map<String, Object> args);

    /** Starts a script there and returns the run at once. */
    Map<String, Object> start(String script, Map<String, Object> args);

    /** Polls a run there. */
    Map<String, Object> poll(String runId);

    /** The primary's node info. */
    Map<String, Object> server();

    /** Publishes a script version there. */
    Map<String, Object> push(String name, String source);
}
