package io.steward.engine.groovy;

import groovy.lang.Binding;
import groovy.lang.MissingPropertyException;
import io.steward.engine.HostObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Groovy face of the host object: a {@code Binding} whose unresolved names are looked up on the run's
 * {@link HostObject}. Variables a script assigns without {@code def} live here too, shared by the run's script
 * threads and by scripts it includes, so the store is concurrent.
 */
final class HostBinding extends Binding {
    private static final Object NULL = new Object();

    private final HostObject host;
    private final Map<String, Object> variables = new ConcurrentHashMap<>();

    HostBinding(HostObject host) {
        this.host = host;
    }

    HostObject host() {
        return host;
    }

    @Override
    public Object getVariable(String name) {
        Object value = variables.get(name);
        if (value != null) {
            return value == NULL ? null : value;
        }
        switch (name) {
            case "args": return host.args();
            case "runId": return host.runId();
            case "node": return host.node();
            case "log": return host.log();
            case "shared": return host.shared();
            case "priv": return host.priv();
            case "status": return host.status();
            case "inbox": return host.inbox();
            case "steward": return host;
            default:
                Map<String, Object> globals = host.globals();
                if (globals.containsKey(name)) {
                    return globals.get(name);
                }
                throw new MissingPropertyException(name, HostBinding.class);
        }
    }

    @Override
    public void setVariable(String name, Object value) {
        variables.put(name, value == null ? NULL : value);
    }

    @Override
    public void removeVariable(String name) {
        variables.remove(name);
    }

    @Override
    public boolean hasVariable(String name) {
        return variables.containsKey(name) || HostObject.MEMBERS.contains(name) || host.globals().containsKey(name);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Map getVariables() {
        Map<String, Object> copy = new LinkedHashMap<>();
        variables.forEach((k, v) -> copy.put(k, v == NULL ? null : v));
        return copy;
    }
}
