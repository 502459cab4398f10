package io.steward.client;

import io.steward.engine.RemotePrimary;

import java.time.Duration;
import java.util.Map;

/** What {@code connect(url, token)} gives a script (claim 16): a primary to invoke, poll and publish to, over HTTP. */
public final class ScriptConnection implements RemotePrimary {
    private static final Duration LONGEST_WAIT = Duration.ofHours(1);

    private final StewardClient client;

    public ScriptConnection(StewardClient client) {
        this.client = client;
    }

    public static ScriptConnection open(String url, String token) {
        return new ScriptConnection(StewardClient.connect(url, token));
    }

    @Override
    public Map<String, Object> invoke(String script, Map<String, Object> args) {
        return client.invoke(script, null, args, null, LONGEST_WAIT);
    }

    @Override
    public Map<String, Object> start(String script, Map<String, Object> args) {
        return client.invoke(script, args);
    }

    @Override
    public Map<String, Object> poll(String runId) {
        return client.run(runId);
    }

    @Override
    public Map<String, Object> server() {
        return client.server();
    }

    @Override
    public Map<String, Object> push(String name, String source) {
        return client.pushScript(name, source);
    }
}
