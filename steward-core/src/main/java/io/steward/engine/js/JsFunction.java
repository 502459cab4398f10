package io.steward.engine.js;

import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

import java.util.List;

/**
 * A function of the script on its way to another script thread: its source text, placed at its own line so that
 * errors name the line where it was written, and the globals of the context it came from.
 *
 * @param script  the script it was written in
 * @param source  the function as an expression
 * @param globals the spawning context's global functions (by source) and JSON values, at the time of the spawn
 */
record JsFunction(String script, Source source, List<Global> globals) {

    /** A global of the spawning context: a function's source, or a JSON value. */
    record Global(String name, Source source, Object value) {
    }

    /**
     * @param what how the script named the argument, for the error: {@code spawn(fn)}
     * @throws IllegalArgumentException when the value is not a function written in a script
     */
    static JsFunction of(JsContext context, Value value, String what) {
        if (value == null || !value.canExecute()) {
            throw new IllegalArgumentException(what + " takes a function, not " + JsValues.describe(value));
        }
        Source source = sourceOf(value);
        if (source == null) {
            throw new IllegalArgumentException(what + " takes a function written in the script, not a built-in one");
        }
        return new JsFunction(source.getName(), source, context.globals());
    }

    /** A function written in a script, as an expression that evaluates to it; null for any other value. */
    static Source sourceOf(Value value) {
        if (!value.canExecute() && !value.canInstantiate()) {
            return null;
        }
        SourceSection section = value.getSourceLocation();
        if (section == null || !section.isAvailable() || section.getSource().getName().startsWith("<")) {
            return null;
        }
        String text = section.getCharacters().toString();
        if (!text.startsWith("function") && !text.startsWith("async") && !text.startsWith("class")
                && !text.contains("=>")) {
            // A method written in shorthand (name() {…}) is no expression; its body still is a function.
            text = "function " + text;
        }
        String placed = "\n".repeat(Math.max(0, section.getStartLine() - 1))
                + " ".repeat(Math.max(0, section.getStartColumn() - 2)) + "(" + text + "\n)";
        return Source.newBuilder("js", placed, section.getSource().getName()).cached(true).buildLiteral();
    }
}
