package io.steward.engine.groovy;

import groovy.lang.Binding;
import groovy.lang.Script;
import io.steward.engine.CompiledScript;
import io.steward.engine.HostObject;
import io.steward.engine.ScriptText;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A compiled Groovy script class; each run makes a new instance bound to the run's {@link HostBinding}. Included
 * as a library, the instance is also registered on the binding, so that the run's other scripts reach its
 * functions, top-level variables and classes (see {@link Library}).
 */
final class GroovyCompiledScript implements CompiledScript {
    private final ScriptText text;
    private final Constructor<?> constructor;
    private final Map<String, Field> variables;
    private final Map<String, Class<?>> classes;

    GroovyCompiledScript(ScriptText text, Class<?> scriptClass, Set<String> variableNames, Map<String, Class<?>> classes) {
        this.text = text;
        try {
            this.constructor = scriptClass.getConstructor(Binding.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("a Groovy script class always has a Binding constructor", e);
        }
        Map<String, Field> fields = new LinkedHashMap<>();
        for (String name : variableNames) {
            try {
                fields.put(name, scriptClass.getField(name));
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("the top-level variable " + name + " of " + text.name()
                        + " did not become a field", e);
            }
        }
        this.variables = Map.copyOf(fields);
        this.classes = Map.copyOf(classes);
    }

    @Override
    public ScriptText text() {
        return text;
    }

    @Override
    public Object run(HostObject host) throws InterruptedException {
        HostBinding binding = host.attachment(HostBinding.class, () -> new HostBinding(host));
        return GroovyErrors.call(text.name(), instantiate(binding)::run);
    }

    @Override
    public Object include(HostObject host) throws InterruptedException {
        HostBinding binding = host.attachment(HostBinding.class, () -> new HostBinding(host));
        Script script = instantiate(binding);
        // Registered before it runs, so that what it includes in turn can already call its functions.
        Library library = new Library(text.name(), script, variables, classes);
        binding.addLibrary(library);
        boolean done = false;
        try {
            Object value = GroovyErrors.call(text.name(), script::run);
            done = true;
            return value;
        } finally {
            if (!done) {
                binding.removeLibrary(library);
            }
        }
    }

    private Script instantiate(HostBinding binding) {
        Script script;
        try {
            script = (Script) constructor.newInstance(binding);
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot instantiate " + text.name(), e);
        }
        if (script instanceof StewardScript steward) {
            steward.topLevelVariables(variables);
        }
        return script;
    }
}
