package io.steward.gateway;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The periodic duty of the {@link EventFrameCache}: drops the frames of runs nobody has followed for a while, so that
 * a run that ended (or lost its audience) gives its memory back without waiting for the byte budget to push it out.
 */
final class FrameCacheSweeper implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("steward-frame-sweeper").daemon(true).factory());

    FrameCacheSweeper(EventFrameCache cache, Duration every) {
        timer.scheduleWithFixedDelay(cache::sweep, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
