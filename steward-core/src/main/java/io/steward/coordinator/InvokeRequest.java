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
 * @param id      the run id to use, or {@code null} for a new one (a primary names the child runs it sends to agents)
 * @param parent  the id of the parent run of a fan-out, or {@code null}
 * @param fanOut  for a parent run of a fan-out ({@code steward run NAME --on SELECTOR}): {@code on} (the selector),
 *                {@code parallel}, {@code failFast}, {@code allowEmpty}; {@code null} for an ordinary run
 * @param secretArgs arguments the script sees among its {@code args} like any other, but everyone else sees
 *                masked ({@code "***"}): in the run's args, its events, its output. Kept apart from {@code args} so
 *                that whatever records {@code args} (the launcher, retry chains, schedules) never holds them.
 * @param answeredAtEnd the invoker answers only when the run has ended (an invoke with {@code ?wait=}): the run
 *                starts at once, and the invoker makes its record durable, with its end in one commit, before it
 *                answers; otherwise the coordinator waits for the run's record before it starts the run
 *                ({@link EventSink#admit})
 */
public record InvokeRequest(String script, int version, Map<String, Object> args, Duration timeout, String invoker,
                            String id, String parent, Map<String, Object> fanOut, Map<String, Object> secretArgs,
                            boolean answeredAtEnd) {

    public InvokeRequest {
        args = args == null ? Map.of() : args;
        secretArgs = secretArgs == null ? Map.of() : secretArgs;
        for (String name : secretArgs.keySet()) {
            if (args.containsKey(name)) {
                throw new IllegalArgumentException("'" + name + "' is both an arg and a secret arg: give it once");
            }
        }
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be 1 or more (or 0 for the latest), was " + version);
        }
    }

    public InvokeRequest(String script, int version, Map<String, Object> args, Duration timeout, String invoker,
                         String id, String parent, Map<String, Object> fanOut, Map<String, Object> secretArgs) {
        this(script, version, args, timeout, invoker, id, parent, fanOut, secretArgs, false);
    }

    public InvokeRequest(String script, int version, Map<String, Object> args, Duration timeout, String invoker,
                         String id, String parent, Map<String, Object> fanOut) {
        this(script, version, args, timeout, invoker, id, parent, fanOut, null);
    }

    public InvokeRequest(String script, int version, Map<String, Object> args, Duration timeout, String invoker) {
        this(script, version, args, timeout, invoker, null, null, null, null);
    }

    public static InvokeRequest of(String script) {
        return new InvokeRequest(script, 0, Map.of(), null, null);
    }

    public static InvokeRequest of(String script, Map<String, Object> args) {
        return new InvokeRequest(script, 0, args, null, null);
    }

    public InvokeRequest withTimeout(Duration timeout) {
        return new InvokeRequest(script, version, args, timeout, invoker, id, parent, fanOut, secretArgs, answeredAtEnd);
    }

    public InvokeRequest withInvoker(String invoker) {
        return new InvokeRequest(script, version, args, timeout, invoker, id, parent, fanOut, secretArgs, answeredAtEnd);
    }

    /** Runs under this id instead of a new one. */
    public InvokeRequest withId(String id) {
        return new InvokeRequest(script, version, args, timeout, invoker, id, parent, fanOut, secretArgs, answeredAtEnd);
    }

    public InvokeRequest withParent(String parent) {
        return new InvokeRequest(script, version, args, timeout, invoker, id, parent, fanOut, secretArgs, answeredAtEnd);
    }

    /** Makes this the parent run of a fan-out of {@code script} to the nodes {@code options.on} selects. */
    public InvokeRequest withFanOut(Map<String, Object> options) {
        return new InvokeRequest(script, version, args, timeout, invoker, id, parent, options, secretArgs, answeredAtEnd);
    }

    /** With these secret args (see {@link #secretArgs}). */
    public InvokeRequest withSecretArgs(Map<String, Object> secretArgs) {
        return new InvokeRequest(script, version, args, timeout, invoker, id, parent, fanOut, secretArgs, answeredAtEnd);
    }

    /** Answered only once the run has ended (see {@link #answeredAtEnd}), or not. */
    public InvokeRequest withAnsweredAtEnd(boolean answeredAtEnd) {
        return new InvokeRequest(script, version, args, timeout, invoker, id, parent, fanOut, secretArgs, answeredAtEnd);
    }

    /** Hides the secret args' values from whoever logs or prints a request. */
    @Override
    public String toString() {
        return "InvokeRequest[script=" + script + ", version=" + version + ", args=" + args + ", timeout=" + timeout
                + ", invoker=" + invoker + ", id=" + id + ", parent=" + parent + ", fanOut=" + fanOut
                + ", secretArgs=" + secretArgs.keySet() + ", answeredAtEnd=" + answeredAtEnd + "]";
    }
}
