package io.steward.bench;

import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunHandle;
import io.steward.coordinator.RunSnapshot;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * 100,000 script threads parked at once in one run: prints the time to start them all and the heap in use while
 * they are all parked (after a GC), and the heap in use before they started (after a GC). Run: {@code java -cp benchmarks.jar io.steward.bench.ParkedThreads [count]}.
 */
public final class ParkedThreads {
    /** What one measurement found. */
    record Result(int threads, long startMs, double heapMiB, double baselineHeapMiB, String state) {
        /** Heap the parked threads (and their run) hold: in use while parked, less in use before they started. */
        double addedHeapMiB() {
            return heapMiB - baselineHeapMiB;
        }
    }

    public static void main(String[] argv) throws Exception {
        Result r = measure(argv.length > 0 ? Integer.parseInt(argv[0]) : 100_000);
        System.out.printf("parked-threads: %d threads parked in %d ms; heap used while parked %.1f MiB (%.1f MiB above the baseline); run %s%n",
                r.threads(), r.startMs(), r.heapMiB(), r.addedHeapMiB(), r.state());
    }

    static Result measure(int count) throws Exception {
        Path gate = Files.createTempFile("steward-gate", "");
        Files.delete(gate);
        try (BenchScripts scripts = new BenchScripts(Map.of("park.groovy", """
                def gate = new File(args.gate)
                def open = new java.util.concurrent.CountDownLatch(1)
                def started = new java.util.concurrent.atomic.AtomicInteger()
                spawn { while (!gate.exists()) { sleep(50) }; open.countDown() }
                def threads = (1..args.count).collect { spawn { started.incrementAndGet(); open.await() } }
                while (started.get() < args.count) { sleep(10) }
                shared.put('parked', started.get())
                threads.each { it.join() }
                threads.size()
                """))) {
            System.gc();
            double baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
            long t0 = System.nanoTime();
            RunHandle run = scripts.coordinator.invoke(InvokeRequest.of("park.groovy",
                    Map.of("count", count, "gate", gate.toString())));
            while (!run.snapshot().shared().containsKey("parked")) {
                Thread.sleep(20);
            }
            long startMs = (System.nanoTime() - t0) / 1_000_000;
            System.gc();
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            Files.createFile(gate);
            RunSnapshot end = run.await(Duration.ofMinutes(5));
            return new Result(count, startMs, heap.getUsed() / 1048576.0, baseline, end.state().name());
        } finally {
            Files.deleteIfExists(gate);
        }
    }
}
