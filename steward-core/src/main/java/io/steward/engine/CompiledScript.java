package io.steward.engine;

/**
 * A compiled script, shareable between runs and threads. Each call of {@link #run} executes it afresh.
 */
public interface CompiledScript {

    ScriptText text();

    /**
     * Executes the script on the calling thread with the given host object and returns its value converted to
     * a JSON-compatible Java value (or the raw value where it cannot be converted; the caller checks it).
     * Scripts included from one run share that run's language state (the Groovy binding and libraries; for
     * JavaScript, the run's libraries, evaluated in each script thread's context).
     *
     * @throws ScriptException when the script fails
     */
    Object run(HostObject host) throws InterruptedException;

    /**
     * Executes the script as a library of the run ({@code include(…)}); {@link HostObject} calls this at most
     * once per script name and run. A language that makes a library's definitions reachable from the other
     * scripts of the run (Groovy: its functions, top-level variables and classes) registers them here; the
     * default is {@link #run}.
     */
    default Object include(HostObject host) throws InterruptedException {
        return run(host);
    }
}
