package io.steward.nodes;

import java.time.Duration;

/** What the agent link reports to the primary's metrics. Called on link threads: implementations only count. */
public interface LinkMeter {
    LinkMeter NONE = new LinkMeter() {
    };

    /** An agent said hello: for the first time with a join token, or again with its credential (a reconnect). */
    default void joined(boolean reconnect) {
    }

    /**
     * A frame from an agent was refused ({@code bad_message} and the like): {@code type} is its type when it is on
     * the allowlist, else {@code unknown}, or {@code malformed} when it was no frame at all.
     */
    default void refusedFrame(String type) {
    }

    /** An agent answered a status poll this long after it was sent. */
    default void polled(Duration latency) {
    }
}
