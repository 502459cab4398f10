package io.steward.gateway;

import java.time.Duration;

/**
 * How one follower of a run reads its durable frames and waits for more. A run this primary holds is watched
 * through its event writer's watermarks, as it always was; a run another primary writes, through the store tail
 * ({@link io.steward.store.RunTail}). {@link RunWatches} picks which when the stream opens.
 */
interface RunWatch extends AutoCloseable {
    /** The frames after {@code afterSeq} that are durable now; {@code force} reads the store whatever is known. */
    FrameBlock.Slice after(long afterSeq, boolean force);

    /**
     * Waits until more of the run may be durable than the last {@link #after} saw, at most {@code timeout}.
     *
     * @return {@code false} when the timeout passed with nothing new heard (then force the next read)
     */
    boolean await(long afterSeq, Duration timeout) throws InterruptedException;

    @Override
    void close();
}
