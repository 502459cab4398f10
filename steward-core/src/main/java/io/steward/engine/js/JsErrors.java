package io.steward.engine.js;

import io.steward.engine.RefusedException;
import io.steward.engine.ScriptError;
import io.steward.engine.ScriptException;
import io.steward.engine.ScriptStoppedError;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failures across the boundary between JavaScript and Java. A host call that fails throws a JavaScript
 * {@code Error} with the Java failure's message (so scripts can catch it); whatever leaves a script thread becomes
 * a {@link ScriptException} naming the script and the line of the innermost script frame. Messages of thrown
 * {@code Error}s are given without the {@code "Error: "} prefix, as Groovy gives a {@code RuntimeException}'s;
 * other error types keep their name ({@code TypeError: …}).
 */
final class JsErrors {
    /** Added to a ReferenceError on a script thread: the usual cause is a variable the function closed over. */
    static final String THREAD_HINT = " (a function given to spawn, parallel, onMessage or onCancel runs in a "
            + "JavaScript context of its own: it sees the run's global variables, functions and libraries, but not "
            + "the local variables around it; pass those as arguments, e.g. spawn(fn, a, b))";

    private static final Pattern NOT_DEFINED = Pattern.compile("ReferenceError: (.+) is not defined");
    /** GraalJS prefixes syntax errors with {@code name:line:column }. */
    private static final Pattern LOCATION = Pattern.compile("^(?:SyntaxError: )?.*?:\\d+:\\d+ ");

    private JsErrors() {
    }

    /** A syntax error as the script's author wants it: script, line, column and the parser's words. */
    static ScriptError syntaxError(String script, PolyglotException e) {
        SourceSection at = e.getSourceLocation();
        String message = firstLine(e.getMessage());
        Matcher location = LOCATION.matcher(message);
        if (location.find()) {
            message = message.substring(location.end());
        }
        if (message.startsWith("SyntaxError: ")) {
            message = message.substring("SyntaxError: ".length());
        }
        String where = at != null ? at.getSource().getName() : script;
        return new ScriptError(where, at != null ? at.getStartLine() : 0, at != null ? at.getStartColumn() : 0,
                message.isBlank() ? "syntax error" : message.strip());
    }

    /**
     * What a script thread ends with: a {@link ScriptException}, or a {@link RefusedException} unchanged.
     *
     * @param hint added to a ReferenceError's message, or null
     * @throws ScriptStoppedError when the failure is the run stopping
     */
    static RuntimeException translate(String script, PolyglotException e, String hint) {
        if (e.isCancelled() || e.isInterrupted()) {
            throw new ScriptStoppedError();
        }
        if (e.isHostException()) {
            Throwable host = e.asHostException();
            if (host instanceof ScriptException || host instanceof RefusedException) {
                return (RuntimeException) host;
            }
            if (host instanceof ScriptStoppedError stopped) {
                throw stopped;
            }
            if (host instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new ScriptStoppedError();
            }
            return new ScriptException(located(script, e, javaMessage(host)), host);
        }
        if (e.isSyntaxError()) {
            return new ScriptException(syntaxError(script, e), e);
        }
        String message = firstLine(e.getMessage());
        Matcher undefined = NOT_DEFINED.matcher(message);
        if (undefined.matches()) {
            message = "no variable or host member named '" + undefined.group(1) + "'" + (hint == null ? "" : hint);
        } else if (message.startsWith("Error: ")) {
            message = message.substring("Error: ".length());
        }
        return new ScriptException(located(script, e, message), e);
    }

    /** The innermost frame in a script, not in the prelude: where the author looks. */
    private static ScriptError located(String script, PolyglotException e, String message) {
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            SourceSection at = frame.isGuestFrame() ? frame.getSourceLocation() : null;
            if (at != null && at.isAvailable() && !at.getSource().getName().startsWith("<")) {
                return new ScriptError(at.getSource().getName(), at.getStartLine(), 0, message);
            }
        }
        SourceSection at = e.getSourceLocation();
        if (at != null && !at.getSource().getName().startsWith("<")) {
            return new ScriptError(at.getSource().getName(), at.getStartLine(), 0, message);
        }
        return new ScriptError(script, 0, 0, message);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
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
