package io.steward.agent;

import io.steward.client.ScriptConnection;
import io.steward.engine.Fleet;
import io.steward.engine.RemotePrimary;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What scripts on an agent reach of the fleet: {@code connect(url, token)} works as anywhere (claim 16); fan-outs
 * ({@code nodes}, {@code runOn}) belong to the primary, which alone knows the nodes.
 */
final class AgentFleet implements Fleet {
    @Override
    public List<Map<String, Object>> nodes(String selector) {
        throw new UnsupportedOperationException("nodes() runs on the primary only: this script runs on an agent");
    }

    @Override
    public List<Map<String, Object>> runOn(String parent, String selector, String script, Map<String, Object> args,
                                           Map<String, Object> options, Consumer<Map<String, Object>> children) {
        throw new UnsupportedOperationException("runOn() runs on the primary only: this script runs on an agent "
                + "(connect(url, token) to the primary and invoke a script there that calls runOn)");
    }

    @Override
    public RemotePrimary connect(String url, String token) {
        return ScriptConnection.open(url, token);
    }
}
