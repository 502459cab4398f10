package io.steward.store;

import java.time.Instant;
import java.util.Map;

/**
 * Where one invoke's chain of attempts stands: the request every attempt repeats, the policy, the current attempt
 * and its run, and the chain's state.
 *
 * @param state RUNNING (attempt {@code attempt} is {@code currentRun}), WAITING (attempt {@code attempt + 1} is due
 *              at {@code dueAt}) or DONE
 */
public record RetryChain(String firstRun, String script, int version, Map<String, Object> args, Long timeoutMs,
                         String invoker, RetryPolicy policy, int attempt, String currentRun, State state, Instant dueAt) {

    public enum State { RUNNING, WAITING, DONE }

    /** A new chain whose first attempt is {@code firstRun}. */
    public static RetryChain first(String firstRun, String script, int version, Map<String, Object> args,
                                   Long timeoutMs, String invoker, RetryPolicy policy) {
        return new RetryChain(firstRun, script, version, args, timeoutMs, invoker, policy, 1, firstRun, State.RUNNING, null);
    }

    /** The chain with attempt {@code attempt} running as {@code runId}. */
    public RetryChain running(int attempt, String runId) {
        return new RetryChain(firstRun, script, version, args, timeoutMs, invoker, policy, attempt, runId, State.RUNNING, null);
    }
}
