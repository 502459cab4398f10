package io.steward.engine;

/** A script does not compile; the error names the script, line, column and the compiler's message. */
public final class ScriptCompileException extends ScriptException {
    public ScriptCompileException(ScriptError error, Throwable cause) {
        super(error, cause);
    }
}
