package io.steward.engine.groovy;

import groovy.lang.GroovyInterceptable;
import groovy.lang.GroovyObjectSupport;
import groovy.lang.MissingMethodException;
import io.steward.coordination.EventHandle;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * An event semaphore as Groovy scripts call it: {@code event('ready').wait(5000)}. Every Java object has a final
 * {@code wait(long)} (Object's monitor wait), so {@link EventHandle} names the method {@code await}; this wrapper
 * intercepts the call by name, so that {@code wait} means what STAF's users and the docs mean by it.
 */
final class GroovyEvent extends GroovyObjectSupport implements GroovyInterceptable {
    private final EventHandle event;

    GroovyEvent(EventHandle event) {
        this.event = event;
    }

    @Override
    public Object invokeMethod(String name, Object args) {
        Object[] a = InvokerHelper.asArray(args);
        try {
            return switch (name) {
                case "post" -> {
                    event.post();
                    yield null;
                }
                case "reset" -> {
                    event.reset();
                    yield null;
                }
                case "pulse" -> event.pulse();
                case "wait", "await" -> event.await(a.length == 0 ? null : (Number) a[0]);
                case "isPosted", "getPosted" -> event.isPosted();
                case "getName" -> event.getName();
                case "toString" -> event.toString();
                default -> throw new MissingMethodException(name, EventHandle.class, a);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.steward.engine.ScriptStoppedError();
        }
    }

    @Override
    public Object getProperty(String name) {
        return switch (name) {
            case "posted" -> event.isPosted();
            case "name" -> event.getName();
            default -> super.getProperty(name);
        };
    }
}
