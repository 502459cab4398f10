package io.steward.bench;

import com.zaxxer.nuprocess.NuAbstractProcessHandler;
import com.zaxxer.nuprocess.NuProcess;
import com.zaxxer.nuprocess.NuProcessBuilder;
import io.steward.process.ExecResult;
import io.steward.process.LocalProcesses;
import io.steward.process.ProcessListener;
import io.steward.process.ProcessSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The ways to spawn {@code /bin/true} from this JVM, side by side and interleaved in every repetition: the JDK's
 * {@link ProcessBuilder} (bare, the suite's floor), NuProcess, and Steward's registry on each of its spawners
 * ({@code posix}: glibc's posix_spawn through JNA; {@code jdk}: ProcessBuilder), which adds the output pumps and the
 * result. Each figure is the median over the repetitions of the mean time per spawn, sequential and with 2 threads.
 *
 * <p>{@code java -cp benchmarks.jar io.steward.bench.SpawnOptions [--reps N] [--n N]}
 */
public final class SpawnOptions {
    private static final ProcessSpec TRUE = ProcessSpec.argv(List.of("/bin/true"));

    private SpawnOptions() {
    }

    private interface Spawn {
        void once() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int reps = 7;
        int n = 300;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--n" -> n = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: SpawnOptions [--reps N] [--n N]");
            }
        }
        try (LocalProcesses posix = LocalProcesses.withSpawner("posix"); LocalProcesses jdk = LocalProcesses.withSpawner("jdk")) {
            Map<String, Spawn> options = new LinkedHashMap<>();
            options.put("ProcessBuilder, bare (floor)", SpawnOptions::processBuilder);
            options.put("NuProcess, bare", SpawnOptions::nuProcess);
            options.put("registry, " + jdk.spawner() + " spawner", () -> registry(jdk));
            options.put("registry, " + posix.spawner() + " spawner", () -> registry(posix));
            Map<String, List<Double>> sequential = new LinkedHashMap<>();
            Map<String, List<Double>> parallel = new LinkedHashMap<>();
            for (String name : options.keySet()) {
                sequential.put(name, new ArrayList<>());
                parallel.put(name, new ArrayList<>());
                measure(options.get(name), 1, n / 3); // warm-up
            }
            List<String> names = List.copyOf(options.keySet());
            for (int rep = 0; rep < reps; rep++) {
                for (int k = 0; k < names.size(); k++) {
                    String name = names.get((k + rep) % names.size()); // a different one first each time
                    sequential.get(name).add(measure(options.get(name), 1, n));
                    parallel.get(name).add(measure(options.get(name), 2, n));
                }
            }
            double floorSeq = Stats.median(sequential.get(names.getFirst()));
            double floorPar = Stats.median(parallel.get(names.getFirst()));
            System.out.printf(Locale.ROOT, "spawn /bin/true, %d cores, Java %s, median of %d repetitions of %d spawns%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), reps, n);
            System.out.printf(Locale.ROOT, "| %-32s | %10s | %8s | %12s | %8s |%n", "option", "sequential", "/floor", "2 threads", "/floor");
            for (String name : names) {
                double s = Stats.median(sequential.get(name));
                double p = Stats.median(parallel.get(name));
                System.out.printf(Locale.ROOT, "| %-32s | %7.3f ms | %8.2f | %8.0f /s | %8.2f |%n", name, s, s / floorSeq,
                        1000 / p, floorPar / p);
            }
        }
        System.exit(0);
    }

    /** Mean milliseconds per spawn over {@code n} spawns on each of {@code threads} threads (wall time / all). */
    private static double measure(Spawn spawn, int threads, int n) throws Exception {
        long t0 = System.nanoTime();
        try (var pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> f = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                f.add(pool.submit(() -> {
                    for (int i = 0; i < n; i++) {
                        spawn.once();
                    }
                    return null;
                }));
            }
            for (Future<?> x : f) {
                x.get();
            }
        }
        return (System.nanoTime() - t0) / 1e6 / (threads * n);
    }

    private static void processBuilder() throws Exception {
        check(new ProcessBuilder("/bin/true").start().waitFor());
    }

    private static void nuProcess() throws Exception {
        NuProcessBuilder pb = new NuProcessBuilder(List.of("/bin/true"));
        pb.setProcessListener(new NuAbstractProcessHandler() { });
        NuProcess p = pb.start();
        check(p.waitFor(0, TimeUnit.SECONDS));
    }

    private static void registry(LocalProcesses processes) throws Exception {
        ExecResult r = processes.launch(TRUE, "bench", ProcessListener.NONE).waitFor();
        check(r.exitCode());
    }

    private static void check(int exit) {
        if (exit != 0) {
            throw new IllegalStateException("/bin/true exited " + exit);
        }
    }
}
