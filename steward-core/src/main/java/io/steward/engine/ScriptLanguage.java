package io.steward.engine;

/**
 * A script language: the service-provider interface that {@link Engine} finds with {@link java.util.ServiceLoader}.
 *
 * <p>Adding a language is one class implementing this and one line naming it in
 * {@code META-INF/services/io.steward.engine.ScriptLanguage}. The implementation must give scripts the whole
 * {@link HostObject} API under the same names as the other languages, resolve every identifier the script does
 * not define through the host object, convert its values to JSON-compatible Java values where they leave the
 * script, and turn its own failures into {@link ScriptException}s that name the script and line.
 */
public interface ScriptLanguage {

    /** A short lower-case id such as {@code groovy}. */
    String id();

    /** The file extension of its scripts, with the dot: {@code .groovy}. */
    String extension();

    /**
     * Compiles a script once; the result is reused by every run of the same source, from any thread.
     *
     * @throws ScriptCompileException naming script, line and column
     */
    CompiledScript compile(ScriptText text);
}
