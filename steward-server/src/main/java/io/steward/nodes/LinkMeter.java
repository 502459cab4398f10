package io.steward.nodes;

import java.time.Duration;

/** What the agent link reports to the primary's metrics. Called on link threads: implementations only count. */
public interface LinkMeter {
    LinkMeter NONE = new LinkMeter() {
    };

    /** An agent said hello: for the first time with a join token, or again with its credential (a reconnect). */
    default void joined(boolean reconnect) {
    }

    /** An agent answered a status poll this long after it was sent. */
    default void polled(Duration latency) {
    }
}
