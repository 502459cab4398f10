package io.steward.gateway;

import io.steward.store.RunOwner;
import io.steward.store.Store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests that only the primary holding a run can carry out (a cancel, a message into its inbox), made to another
 * primary of the cluster: answered with a 409 {@code run_on_another_primary} that names the owner and its URL, so the
 * client can send it there, rather than a misleading "already ended" or a pretended success. Not forwarded: the
 * caller's token would have to travel between primaries, and the owner's URL may not be reachable from here (behind
 * a load balancer each primary may have only a private address).
 *
 * <p>Asked only after this primary has found that it does not hold the run, so it costs the usual path nothing.
 */
final class RunsElsewhere {
    static final String CODE = "run_on_another_primary";

    private final Store store;

    RunsElsewhere(Store store) {
        this.store = store;
    }

    /** Throws the 409 when another primary holds the run live; returns quietly otherwise. */
    void check(String runId, String what) {
        RunOwner owner = store.owners().of(runId).orElse(null);
        String self = store.config().primaryId();
        if (owner == null || owner.primaryId() == null || owner.primaryId().equals(self) || owner.state().isTerminal()) {
            return;
        }
        String where = owner.url() != null ? " at " + owner.url() : " (which has not registered its URL)";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("primary", owner.primaryId());
        details.put("url", owner.url());
        details.put("state", owner.state().name());
        throw new ApiError(409, CODE, "run " + runId + " is " + owner.state() + " on primary " + owner.primaryId()
                + where + ", not on this primary (" + self + "): send the " + what + " to that primary", details);
    }
}
