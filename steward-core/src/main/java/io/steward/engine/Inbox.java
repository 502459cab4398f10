package io.steward.engine;

import java.util.function.Consumer;

/**
 * The messages sent to one run ({@code steward send}, {@code POST /api/v1/runs/{id}/messages}), in the order they
 * arrived. Messages are JSON-compatible values. Until a listener is registered they wait here for
 * {@link #take}/{@link #poll}; once one is, every message (those waiting, then each new one) goes to the
 * listeners instead.
 */
public interface Inbox {

    /** Waits up to {@code timeoutMs} for the next message; {@code null} when none came in time. */
    Object take(long timeoutMs) throws InterruptedException;

    /** The next message, or {@code null} when none is waiting. */
    Object poll();

    /** Hands every waiting and every future message to {@code listener}, called on the sender's thread. */
    void listen(Consumer<Object> listener);
}
