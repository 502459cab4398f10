package io.steward.bench;

import io.steward.testkit.SimulatedAgent;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Heartbeats for simulated agents, which send none of their own: each agent beats once per {@code every}, spread
 * evenly over the interval (a slice of the fleet every 100 ms), as a fleet of real agents started at different times
 * does. A real agent's beat costs its primary a store write at most every 30 s, and the fleet's idle figures should
 * carry that cost. One platform thread; {@link #close} stops it.
 */
final class FleetHeartbeats implements AutoCloseable {
    private static final long TICK_MS = 100;
    private static final Map<String, Object> BEAT = Map.of("type", "heartbeat");

    private final Thread thread;

    FleetHeartbeats(List<SimulatedAgent> agents, Duration every) {
        long ticks = Math.max(1, every.toMillis() / TICK_MS);
        this.thread = Thread.ofPlatform().daemon().name("fleet-heartbeats").start(() -> {
            long tick = 0;
            long next = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                int from = (int) (agents.size() * (tick % ticks) / ticks);
                int to = (int) (agents.size() * (tick % ticks + 1) / ticks);
                for (SimulatedAgent a : agents.subList(from, to)) {
                    try {
                        a.send(BEAT);
                    } catch (IllegalStateException linkGone) {
                        // the fan-out's figures say what became of its runs; a beat that cannot go is not one of them
                    }
                }
                tick++;
                next += TICK_MS * 1_000_000;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(Duration.ofNanos(wait));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
