package io.steward.engine;

/**
 * Unwinds a script thread whose run is stopping (cancel, timeout, a failure elsewhere). An {@link Error} so
 * that script-level {@code catch (Exception e)} blocks and JavaScript {@code catch} do not swallow it.
 */
public final class ScriptStoppedError extends Error {
    public ScriptStoppedError() {
        super("the run is stopping", null, false, false);
    }
}
