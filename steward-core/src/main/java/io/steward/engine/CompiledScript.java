package io.steward.engine;

/**
 * A compiled script, shareable between runs and threads. Each call of {@link #run} executes it afresh.
 */
public interface CompiledScript {

    ScriptText text();

    /**
     * Executes the script on the calling thread with the given host object and returns its value converted to
     * a JSON-compatible Java value (or the raw value where it cannot be converted; the caller checks it).
     * Scripts included from one run share that run's language state (Groovy binding, JavaScript global scope).
     *
     * @throws ScriptException when the script fails
     */
    Object run(HostObject host) throws InterruptedException;
}
