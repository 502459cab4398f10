package io.steward.gateway;

import io.steward.engine.JsonSize;
import io.steward.metrics.ServerMetrics;

import java.nio.charset.StandardCharsets;

/**
 * The {@link Limits} that routes check on a request's content once its body is read (the body's own size is
 * {@link JsonBody}'s): each refusal is a {@link Refusal}, before anything is stored or started.
 */
final class LimitChecks {
    private final Limits limits;
    private final ServerMetrics metrics;

    LimitChecks(Limits limits, ServerMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
    }

    /** A script's source, before it is pushed. */
    void script(String name, String source) {
        long max = limits.effectiveScriptBytes();
        // Three bytes per char at most: most sources are measured without encoding them.
        if ((long) source.length() * 3 <= max) {
            return;
        }
        long size = source.getBytes(StandardCharsets.UTF_8).length;
        if (size > max) {
            throw Refusal.tooLarge(metrics, ServerMetrics.SCRIPT_BYTES, "script_too_large", "the script '" + name
                    + "' is " + size + " bytes; the limit is " + max + " (steward server --max-script-bytes): split it "
                    + "into scripts that include() each other", max, size);
        }
    }

    /** An invoke's arguments, before the run exists. */
    void args(Object args) {
        long max = limits.argsBytes();
        if (max == 0 || args == null) {
            return;
        }
        long size = JsonSize.of(args, max);
        if (size > max) {
            size = JsonSize.of(args, Long.MAX_VALUE);
            throw Refusal.tooLarge(metrics, ServerMetrics.ARGS_BYTES, "args_too_large", "the args are " + size
                    + " bytes as JSON; the limit is " + max + " (steward server --max-args-bytes): pass a reference "
                    + "(a file path, a URL, a variable's name) instead of the data", max, size);
        }
    }
}
