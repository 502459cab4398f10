package io.steward.engine;

/**
 * Where scripts come from: a directory now, the script store of the primary later. {@code include(…)} and
 * invoke requests both read through it.
 */
public interface ScriptSource {

    /**
     * The latest version of a script.
     *
     * @throws ScriptNotFoundException when there is no such script
     * @throws IllegalArgumentException when the name is not a valid script name
     */
    ScriptText load(String name);

    /**
     * One version of a script; {@code version <= 0} means the latest. Sources without versions ignore it.
     */
    default ScriptText load(String name, int version) {
        return load(name);
    }

    /** A source that holds no scripts. */
    ScriptSource EMPTY = name -> {
        throw new ScriptNotFoundException(name);
    };
}
