package io.steward.engine.groovy;

import groovy.lang.MetaClass;
import groovy.lang.MissingMethodException;
import groovy.lang.Script;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.codehaus.groovy.runtime.typehandling.DefaultTypeTransformation;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * A Groovy script included into a run, kept on the run's {@link HostBinding}: the instance that ran, so its
 * functions are called on it and its top-level variables read from it; and the classes its file declares.
 *
 * @param name      the script name
 * @param script    the instance that ran (or is running) the library
 * @param variables its top-level variables: the fields {@link LibraryCustomizer} made of them
 * @param classes   simple name → class, for the classes its file declares
 */
record Library(String name, Script script, Map<String, Field> variables, Map<String, Class<?>> classes) {

    /** What a failed lookup returns: a miss, as opposed to a {@code null} value. */
    static final Object MISSING = new Object();

    /** The value of a top-level variable or a class this library defines, or {@link #MISSING}. */
    Object lookup(String name) {
        Field field = variables.get(name);
        if (field != null) {
            return read(script, field);
        }
        Class<?> type = classes.get(name);
        return type != null ? type : MISSING;
    }

    /** Sets a top-level variable of this library; whether it has one of that name. */
    boolean assign(String name, Object value) {
        Field field = variables.get(name);
        if (field == null) {
            return false;
        }
        write(script, field, value);
        return true;
    }

    /**
     * Calls a function of this library, or returns {@link #MISSING} when it defines none of that name that takes
     * these arguments. Called directly on its meta class: the library's own {@code invokeMethod} would search the
     * libraries again.
     */
    Object call(String function, Object[] args) {
        MetaClass meta = InvokerHelper.getMetaClass(script);
        try {
            return meta.invokeMethod(script, function, args);
        } catch (MissingMethodException missing) {
            if (missing.getType() == script.getClass() && function.equals(missing.getMethod())) {
                return MISSING;
            }
            throw missing;
        }
    }

    static Object read(Object script, Field field) {
        try {
            return field.get(script);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("the top-level variable " + field.getName() + " is a public field", e);
        }
    }

    static void write(Object script, Field field, Object value) {
        try {
            field.set(script, DefaultTypeTransformation.castToType(value, field.getType()));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("the top-level variable " + field.getName() + " is a public field", e);
        }
    }
}
