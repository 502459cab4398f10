package io.steward.engine.groovy;

import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import io.steward.engine.RefusedException;
import io.steward.engine.ScriptError;
import io.steward.engine.ScriptException;
import io.steward.engine.ScriptStoppedError;
import org.codehaus.groovy.runtime.InvokerInvocationException;

import java.util.StringJoiner;
import java.util.concurrent.Callable;

/**
 * Turns whatever a Groovy script throws into a {@link ScriptException} naming the script and line. The line
 * comes from the innermost stack frame whose source file is a Steward script (see {@link SourceFiles}), so
 * included scripts and closures are attributed to the right place.
 */
final class GroovyErrors {
    private GroovyErrors() {
    }

    static Object call(String script, Callable<?> body) throws InterruptedException {
        try {
            return body.call();
        } catch (InterruptedException | ScriptException | ScriptStoppedError | RefusedException passThrough) {
            throw passThrough;
        } catch (Throwable t) {
            throw translate(script, t);
        }
    }

    static RuntimeException translate(String script, Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof ScriptException se) {
            return se;
        }
        if (cause instanceof RefusedException refused) {
            return refused;
        }
        if (cause instanceof ScriptStoppedError stopped) {
            throw stopped;
        }
        String where = script;
        int line = 0;
        for (StackTraceElement frame : cause.getStackTrace()) {
            String name = SourceFiles.scriptOf(frame.getFileName());
            if (name != null && frame.getLineNumber() > 0) {
                where = name;
                line = frame.getLineNumber();
                break;
            }
        }
        return new ScriptException(new ScriptError(where, line, 0, message(cause)), cause);
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof InvokerInvocationException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String argumentTypes(MissingMethodException missing) {
        StringJoiner types = new StringJoiner(", ");
        for (Object arg : missing.getArguments() == null ? new Object[0] : missing.getArguments()) {
            types.add(arg == null ? "null" : arg.getClass().getSimpleName());
        }
        return types.toString();
    }

    static String message(Throwable t) {
        if (t instanceof MissingPropertyException missing) {
            return "no variable or host member named '" + missing.getProperty() + "'";
        }
        if (t instanceof MissingMethodException missing && missing.getType() != null
                && StewardScript.class.isAssignableFrom(missing.getType())) {
            // Groovy's own message names the script's synthetic class; say where we looked instead.
            return "MissingMethodException: no function " + missing.getMethod() + "(" + argumentTypes(missing)
                    + ") in the script, its libraries or the host object";
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        Class<?> type = t.getClass();
        boolean plain = type == RuntimeException.class || type == Exception.class || type == Error.class
                || type == IllegalArgumentException.class || type == IllegalStateException.class
                || type == AssertionError.class || type.getName().startsWith("io.steward.");
        return plain ? message : type.getSimpleName() + ": " + message;
    }
}
