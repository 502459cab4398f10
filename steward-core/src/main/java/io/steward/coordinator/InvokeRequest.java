package io.steward.coordinator;

import java.time.Duration;
import java.util.Map;

/**
 * A request to run a script.
 *
 * @param script  the script's name, such as {@code deploy/web.groovy}
 * @param version the version to run, or 0 for the latest
 * @param args    the arguments the script sees as {@code args}
 * @param timeout the run is stopped as TIMED_OUT after this long; {@code null} for no limit
 * @param invoker who asked, for the record
 */
public record InvokeRequest(String script, int version, Map<String, Object> args, Duration timeout, String invoker) {

    public InvokeRequest {
        args = args == null ? Map.of() : args;
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be 1 or more (or 0 for the latest), was " + version);
        }
    }

    public static InvokeRequest of(String script) {
        return new InvokeRequest(script, 0, Map.of(), null, null);
    }

    public static InvokeRequest of(String script, Map<String, Object> args) {
        return new InvokeRequest(script, 0, args, null, null);
    }

    public InvokeRequest withTimeout(Duration timeout) {
        return new InvokeRequest(script, version, args, timeout, invoker);
    }

    public InvokeRequest withInvoker(String invoker) {
        return new InvokeRequest(script, version, args, timeout, invoker);
    }
}
