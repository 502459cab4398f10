package io.steward.engine.groovy;

import groovy.lang.Binding;
import groovy.lang.Script;
import io.steward.engine.CompiledScript;
import io.steward.engine.HostObject;
import io.steward.engine.ScriptText;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/** A compiled Groovy script class; each run makes a new instance bound to the run's {@link HostBinding}. */
final class GroovyCompiledScript implements CompiledScript {
    private final ScriptText text;
    private final Constructor<?> constructor;

    GroovyCompiledScript(ScriptText text, Class<?> scriptClass) {
        this.text = text;
        try {
            this.constructor = scriptClass.getConstructor(Binding.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("a Groovy script class always has a Binding constructor", e);
        }
    }

    @Override
    public ScriptText text() {
        return text;
    }

    @Override
    public Object run(HostObject host) throws InterruptedException {
        HostBinding binding = host.attachment(HostBinding.class, () -> new HostBinding(host));
        Script script;
        try {
            script = (Script) constructor.newInstance(binding);
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot instantiate " + text.name(), e);
        }
        return GroovyErrors.call(text.name(), script::run);
    }
}
