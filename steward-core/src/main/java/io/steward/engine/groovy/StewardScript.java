package io.steward.engine.groovy;

import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.MissingMethodException;
import groovy.lang.Script;
import io.steward.engine.HostObject;
import io.steward.engine.ScriptProcess;
import io.steward.engine.ScriptThread;

import org.codehaus.groovy.runtime.InvokerHelper;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The base class of every Groovy script: the host object's functions, forwarded to the run's {@link HostObject}.
 * Closures handed to {@code spawn} and {@code parallel} run on new script threads; what they throw is
 * translated there, so a failure names the line inside the closure.
 */
public abstract class StewardScript extends Script {

    protected StewardScript() {
    }

    protected StewardScript(Binding binding) {
        super(binding);
    }

    /** This script's top-level variables, fields of its class (see {@link LibraryCustomizer}). */
    private Map<String, Field> topLevel = Map.of();

    void topLevelVariables(Map<String, Field> variables) {
        this.topLevel = variables;
    }

    /**
     * Closures reach the script's top-level variables as properties of their owner: answer them before the
     * binding, as the locals they were in plain Groovy would shadow it.
     */
    @Override
    public Object getProperty(String property) {
        Field field = topLevel.get(property);
        return field != null ? Library.read(this, field) : super.getProperty(property);
    }

    @Override
    public void setProperty(String property, Object newValue) {
        Field field = topLevel.get(property);
        if (field != null) {
            Library.write(this, field, newValue);
        } else {
            super.setProperty(property, newValue);
        }
    }

    /**
     * A function this script does not define (and no binding closure answers) is looked up in the run's
     * libraries, newest include first. Closures of the script, on any script thread, land here through their
     * owner. When no library has it either, Groovy's own {@link MissingMethodException} stands.
     */
    @Override
    public Object invokeMethod(String name, Object args) {
        try {
            return super.invokeMethod(name, args);
        } catch (MissingMethodException missing) {
            if (missing.getType() != getClass() || !name.equals(missing.getMethod())
                    || !(getBinding() instanceof HostBinding binding)) {
                throw missing;
            }
            Object[] arguments = InvokerHelper.asArray(args);
            for (Library library : binding.libraries()) {
                if (library.script() != this) {
                    Object result = library.call(name, arguments);
                    if (result != Library.MISSING) {
                        return result;
                    }
                }
            }
            throw missing;
        }
    }

    private HostObject host() {
        return ((HostBinding) getBinding()).host();
    }

    private String scriptName() {
        return host().scriptName();
    }

    public ScriptThread spawn(Closure<?> body) {
        String script = scriptName();
        return host().spawn(() -> GroovyErrors.call(script, body::call));
    }

    /** Runs {@code handler} on a new script thread for each message sent to the run. */
    public void onMessage(Closure<?> handler) {
        String script = scriptName();
        host().onMessage(message -> {
            try {
                return GroovyErrors.call(script, () -> handler.call(message));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.steward.engine.ScriptStoppedError();
            }
        });
    }

    /** Registers a cleanup the coordinator runs, within a grace period, when the run is cancelled. */
    public void onCancel(Closure<?> handler) {
        String script = scriptName();
        host().onCancel(() -> GroovyErrors.call(script, handler::call));
    }

    public List<Object> parallel(Object items, Closure<?> body) throws InterruptedException {
        String script = scriptName();
        return host().parallel(toList(items), item -> {
            try {
                return GroovyErrors.call(script, () -> body.call(item));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.steward.engine.ScriptStoppedError();
            }
        });
    }

    public Map<String, Object> exec(Object command) throws InterruptedException {
        return host().exec(command, null);
    }

    public Map<String, Object> exec(Object command, Map<?, ?> options) throws InterruptedException {
        return host().exec(command, options);
    }

    /** Named-argument form: {@code exec('make', dir: '/src')}. */
    public Map<String, Object> exec(Map<?, ?> options, Object command) throws InterruptedException {
        return host().exec(command, options);
    }

    public ScriptProcess start(Object command) {
        return host().start(command, null);
    }

    public ScriptProcess start(Object command, Map<?, ?> options) {
        return host().start(command, options);
    }

    public ScriptProcess start(Map<?, ?> options, Object command) {
        return host().start(command, options);
    }

    public Object include(String name) throws InterruptedException {
        return host().include(name);
    }

    public void sleep(long millis) throws InterruptedException {
        host().sleep(millis);
    }

    public long now() {
        return host().now();
    }

    public List<Map<String, Object>> nodes(String selector) {
        return host().nodes(selector);
    }

    public Map<String, Object> runOn(String selector, String script) throws InterruptedException {
        return host().runOn(selector, script, null, null);
    }

    public Map<String, Object> runOn(String selector, String script, Map<?, ?> args) throws InterruptedException {
        return host().runOn(selector, script, args, null);
    }

    public Map<String, Object> runOn(String selector, String script, Map<?, ?> args, Map<?, ?> options)
            throws InterruptedException {
        return host().runOn(selector, script, args, options);
    }

    /** Named-argument form: {@code runOn('web-*', 'deploy.groovy', [v: 2], parallel: 5)}. */
    public Map<String, Object> runOn(Map<?, ?> options, String selector, String script, Map<?, ?> args)
            throws InterruptedException {
        return host().runOn(selector, script, args, options);
    }

    /** {@code lock('db', 5000) { … }}: the block's value, run holding mutex {@code db}. */
    public Object lock(String name, Number timeoutMs, Closure<?> body) throws Exception {
        return host().lock(name, timeoutMs, body::call);
    }

    /** {@code lock('db') { … }}: waits as long as it takes. */
    public Object lock(String name, Closure<?> body) throws Exception {
        return host().lock(name, null, body::call);
    }

    public io.steward.coordination.SemaphoreHandle semaphore(String name, Number permits) {
        return host().semaphore(name, permits);
    }

    /** An event semaphore; {@code .wait(ms)} works here although Java's {@code wait} is Object's (see GroovyEvent). */
    public Object event(String name) {
        return new GroovyEvent(host().event(name));
    }

    public io.steward.coordination.QueueHandle queue(String name) {
        return host().queue(name);
    }

    public io.steward.coordination.PoolHandle pool(String name) {
        return host().pool(name);
    }

    public io.steward.engine.RemotePrimary connect(String url, String token) {
        return host().connect(url, token);
    }

    public void refuse(Object reason) {
        host().refuse(reason);
    }

    private static Collection<?> toList(Object items) {
        if (items instanceof Collection<?> c) {
            return c;
        }
        if (items instanceof Object[] array) {
            return List.of(array);
        }
        if (items instanceof Iterable<?> iterable) {
            List<Object> list = new ArrayList<>();
            iterable.forEach(list::add);
            return list;
        }
        if (items instanceof Map<?, ?> map) {
            return new ArrayList<>(map.entrySet());
        }
        throw new IllegalArgumentException("parallel(items) takes a list, not " + (items == null ? "null" : items.getClass().getName()));
    }
}
