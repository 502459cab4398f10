package io.steward.policy;

/** An invoke refused because its script has its maximum of runs running and its policy says {@code reject}. */
public final class ScriptBusyException extends RuntimeException {
    private final String script;
    private final int limit;
    private final int running;

    ScriptBusyException(String script, int limit, int running) {
        super("script " + script + " is at its limit of " + limit + " concurrent run" + (limit == 1 ? "" : "s") + " ("
                + running + " running) and its policy rejects more: try again when one has ended, or set "
                + "`steward script policy " + script + " --when-busy queue` to wait for a slot", null, false, false);
        this.script = script;
        this.limit = limit;
        this.running = running;
    }

    public String script() {
        return script;
    }

    public int limit() {
        return limit;
    }

    public int running() {
        return running;
    }
}
