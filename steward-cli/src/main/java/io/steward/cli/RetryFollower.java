package io.steward.cli;

import io.steward.client.StewardClient;

import java.util.List;
import java.util.Map;

/**
 * Finds the attempt that follows an ended run of a retry chain, so that {@code run --wait} and {@code --follow}
 * report the chain's final outcome, as a CI job wants, rather than the first attempt's. The next attempt starts
 * after the backoff, so this asks the chain until the attempt exists or the chain is done (every 250 ms: the CLI
 * has no other way to hear of a run that does not exist yet).
 */
final class RetryFollower {
    private static final long POLL_MS = 250;

    private RetryFollower() {
    }

    /** The run of the next attempt after {@code ended}, or null when it was not retried (or is the last). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> next(StewardClient client, Map<String, Object> ended) {
        if (!(ended.get("retry") instanceof Map<?, ?> retry)) {
            return null;
        }
        String state = String.valueOf(ended.get("state"));
        if (state.equals("SUCCEEDED") || state.equals("CANCELLED")
                || ((Number) retry.get("attempt")).longValue() >= ((Number) retry.get("attempts")).longValue()) {
            return null;
        }
        long wanted = ((Number) retry.get("attempt")).longValue() + 1;
        while (true) {
            Map<String, Object> chain = client.retries(String.valueOf(retry.get("of")));
            for (Map<String, Object> attempt : (List<Map<String, Object>>) chain.get("runs")) {
                if (((Number) attempt.get("attempt")).longValue() == wanted) {
                    return client.run(String.valueOf(attempt.get("id")));
                }
            }
            if ("DONE".equals(chain.get("state"))) {
                return null;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
