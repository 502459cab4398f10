package io.steward.engine.groovy;

import groovy.lang.Binding;
import groovy.lang.MissingPropertyException;
import io.steward.engine.HostObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Groovy face of the host object: a {@code Binding} whose unresolved names are looked up on the run's
 * {@link HostObject}. Variables a script assigns without {@code def} live here too, shared by the run's script
 * threads and by scripts it includes, so the store is concurrent.
 *
 * <p>The binding also keeps the run's {@link Library libraries}, newest include first. A name resolves to, in
 * order: a binding variable, a host member, an extra global, then a top-level variable or class of a library.
 * Assigning a name that is no binding variable but a library's top-level variable sets that variable.
 */
final class HostBinding extends Binding {
    private static final Object NULL = new Object();

    private final HostObject host;
    private final Map<String, Object> variables = new ConcurrentHashMap<>();
    private final List<Library> libraries = new CopyOnWriteArrayList<>();

    HostBinding(HostObject host) {
        this.host = host;
    }

    HostObject host() {
        return host;
    }

    void addLibrary(Library library) {
        libraries.addFirst(library);
    }

    void removeLibrary(Library library) {
        libraries.remove(library);
    }

    /** The run's libraries, newest include first. */
    List<Library> libraries() {
        return libraries;
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
            case "vars": return host.vars();
            case "steward": return host;
            default:
                Map<String, Object> globals = host.globals();
                if (globals.containsKey(name)) {
                    return globals.get(name);
                }
                for (Library library : libraries) {
                    Object found = library.lookup(name);
                    if (found != Library.MISSING) {
                        return found;
                    }
                }
                throw new MissingPropertyException(name, HostBinding.class);
        }
    }

    @Override
    public void setVariable(String name, Object value) {
        if (!variables.containsKey(name)) {
            for (Library library : libraries) {
                if (library.assign(name, value)) {
                    return;
                }
            }
        }
        variables.put(name, value == null ? NULL : value);
    }

    @Override
    public void removeVariable(String name) {
        variables.remove(name);
    }

    @Override
    public boolean hasVariable(String name) {
        if (variables.containsKey(name) || HostObject.MEMBERS.contains(name) || host.globals().containsKey(name)) {
            return true;
        }
        for (Library library : libraries) {
            if (library.variables().containsKey(name) || library.classes().containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Map getVariables() {
        Map<String, Object> copy = new LinkedHashMap<>();
        variables.forEach((k, v) -> copy.put(k, v == NULL ? null : v));
        return copy;
    }
}
