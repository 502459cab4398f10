package io.steward.store;

/**
 * The outcome of a push.
 *
 * @param script  the version that is now the latest (the new one, or the unchanged one)
 * @param created {@code true} when the push made a new version; {@code false} when the source equalled the latest
 *                live version, which then stays the latest
 */
public record PushResult(ScriptInfo script, boolean created) {

    public int version() {
        return script.version();
    }
}
