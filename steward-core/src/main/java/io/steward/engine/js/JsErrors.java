package io.steward.engine.js;

import io.steward.engine.RefusedException;
import io.steward.engine.ScriptError;
import io.steward.engine.ScriptException;
import io.steward.engine.ScriptStoppedError;
import org.mozilla.javascript.EcmaError;
import org.mozilla.javascript.JavaScriptException;
import org.mozilla.javascript.RhinoException;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.WrappedException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failures across the boundary between JavaScript and Java, both ways. A host call that fails becomes a
 * JavaScript {@code Error} (so scripts can catch it) that keeps the Java failure as its cause; whatever leaves a
 * script thread becomes a {@link ScriptException} naming the script and line, the Java failure's own message
 * where there is one. Messages of thrown {@code Error}s are given without the {@code "Error: "} prefix, as
 * Groovy gives a {@code RuntimeException}'s; other error types keep their name ({@code TypeError: …}).
 */
final class JsErrors {
    /** Rhino's ReferenceError text for a name nothing resolved: {@code "x" is not defined.} */
    private static final Pattern NOT_DEFINED = Pattern.compile("\"(.+)\" is not defined\\.?");
    /** Rhino names the classes it generates for scripts under this package. */
    private static final String GENERATED = "org.mozilla.javascript.gen.";

    private JsErrors() {
    }

    /** The JavaScript error a failed host call throws into the script. */
    static RhinoException toScript(RuntimeException failure) {
        EcmaError error = ScriptRuntime.constructError("Error", javaMessage(failure));
        error.initCause(failure);
        return error;
    }

    /**
     * What a script thread ends with: a {@link ScriptException}, or a {@link RefusedException} unchanged.
     *
     * @throws ScriptStoppedError when the failure is the run stopping
     */
    static RuntimeException translate(String script, Throwable failure) {
        Throwable cause = hostFailure(failure);
        if (cause instanceof ScriptException || cause instanceof RefusedException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof ScriptStoppedError stopped) {
            throw stopped;
        }
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            throw new ScriptStoppedError();
        }
        String where = script;
        int line = 0;
        int column = 0;
        if (failure instanceof RhinoException re && re.sourceName() != null) {
            where = re.sourceName();
            line = Math.max(0, re.lineNumber());
            column = Math.max(0, re.columnNumber());
        } else {
            for (StackTraceElement frame : failure.getStackTrace()) {
                if (frame.getClassName().startsWith(GENERATED) && frame.getFileName() != null && frame.getLineNumber() > 0) {
                    where = frame.getFileName();
                    line = frame.getLineNumber();
                    break;
                }
            }
        }
        String message = cause != failure ? javaMessage(cause) : scriptMessage(failure);
        return new ScriptException(new ScriptError(where, line, column, message), cause);
    }

    /** The Java failure a host call was turned into a JavaScript error from, or the failure itself. */
    private static Throwable hostFailure(Throwable failure) {
        if (failure instanceof WrappedException wrapped && wrapped.getWrappedException() != null) {
            return wrapped.getWrappedException();
        }
        if (failure instanceof EcmaError error && error.getCause() != null) {
            return error.getCause();
        }
        return failure;
    }

    private static String scriptMessage(Throwable failure) {
        if (failure instanceof EcmaError error) {
            Matcher undefined = NOT_DEFINED.matcher(error.getErrorMessage());
            if ("ReferenceError".equals(error.getName()) && undefined.matches()) {
                return "no variable or host member named '" + undefined.group(1) + "'";
            }
            return error.details();
        }
        if (failure instanceof JavaScriptException thrown) {
            String details = thrown.details();
            return details.startsWith("Error: ") ? details.substring("Error: ".length()) : details;
        }
        if (failure instanceof RhinoException re) {
            return re.details();
        }
        if (failure instanceof StackOverflowError) {
            return "too much recursion";
        }
        return javaMessage(failure);
    }

    /** A Java failure's message, with its type where the message alone would not say what went wrong. */
    static String javaMessage(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        Class<?> type = t.getClass();
        boolean plain = type == RuntimeException.class || type == IllegalArgumentException.class
                || type == IllegalStateException.class || type.getName().startsWith("io.steward.");
        return plain ? message : type.getSimpleName() + ": " + message;
    }
}
