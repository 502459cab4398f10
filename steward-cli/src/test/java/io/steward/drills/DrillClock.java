package io.steward.drills;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The wall time of all the fault drills of one test run, from the start of the first drill class to the end of the
 * last (they may run side by side, so this is less than the sum of their times): printed at the end of the run and
 * written as the figure "all drills / wall time (s)", so that the claim "the reduced drills take under 5 minutes"
 * can be checked from any CI log. Registered for the whole test class path (META-INF/services); it says nothing
 * when no class tagged {@value Drills#TAG} ran.
 */
public final class DrillClock implements TestExecutionListener {
    private final AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger classes = new AtomicInteger();

    @Override
    public void executionStarted(TestIdentifier id) {
        if (isDrillClass(id)) {
            firstStart.accumulateAndGet(System.nanoTime(), Math::min);
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (isDrillClass(id)) {
            lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
            classes.incrementAndGet();
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (classes.get() == 0) {
            return;
        }
        Duration wall = Duration.ofNanos(lastEnd.get() - firstStart.get());
        String mode = Drills.FULL ? "full" : "reduced";
        System.out.printf("Fault drills (%s): %d classes in %d s wall time, %d cores%n", mode, classes.get(),
                wall.toSeconds(), Runtime.getRuntime().availableProcessors());
        Drills.figure("all drills", "drill classes run", classes.get());
        Drills.figure("all drills", "wall time (s)", wall.toSeconds());
    }

    private static boolean isDrillClass(TestIdentifier id) {
        return id.getSource().orElse(null) instanceof ClassSource && id.getTags().contains(TestTag.create(Drills.TAG));
    }
}
