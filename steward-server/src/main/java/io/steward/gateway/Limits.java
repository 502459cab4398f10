package io.steward.gateway;

import io.steward.coordinator.EventLimits;
import io.steward.store.ScriptStore;

/**
 * The limits on what a client controls, besides the request body's ({@link GatewayConfig#maxBody}). Each is a
 * {@code steward server} option; 0 turns one off. docs/api.md ("Limits") lists them with the error each gives.
 *
 * @param scriptBytes      the largest script source a push may store, in UTF-8 bytes ({@code --max-script-bytes});
 *                         at most the script store's own limit of 1 MiB, which 0 leaves in force
 * @param argsBytes        the largest {@code args} of an invoke, as JSON ({@code --max-args-bytes})
 * @param streamsPerToken  how many event and change streams one token may hold open at once
 *                         ({@code --max-streams-per-token})
 * @param eventBytes       the largest event a run may publish, as JSON ({@code --max-event-bytes})
 * @param eventsPerSecond  how fast one run may publish; faster runs are slowed down ({@code --max-events-per-second})
 */
public record Limits(long scriptBytes, long argsBytes, int streamsPerToken, int eventBytes, int eventsPerSecond) {
    public static final Limits DEFAULTS = new Limits(1L << 20, 256L << 10, 32, 1 << 20, 10_000);

    public Limits {
        if (scriptBytes < 0 || argsBytes < 0 || streamsPerToken < 0 || eventBytes < 0 || eventsPerSecond < 0) {
            throw new IllegalArgumentException("limits must be 0 (off) or more");
        }
        if (scriptBytes > ScriptStore.MAX_SOURCE_BYTES) {
            throw new IllegalArgumentException("--max-script-bytes may be at most " + ScriptStore.MAX_SOURCE_BYTES
                    + " (1 MiB, the script store's own limit), not " + scriptBytes);
        }
    }

    /** The script size a push is checked against: the option's, or the store's own when that is 0. */
    long effectiveScriptBytes() {
        return scriptBytes == 0 ? ScriptStore.MAX_SOURCE_BYTES : scriptBytes;
    }

    /** The limits the coordinator applies to what runs publish. */
    public EventLimits events() {
        return new EventLimits(eventBytes, eventsPerSecond);
    }
}
