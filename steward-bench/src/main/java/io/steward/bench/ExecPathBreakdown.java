package io.steward.bench;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunState;
import io.steward.coordinator.RunTokens;
import io.steward.engine.DirectoryScriptSource;
import io.steward.engine.Engine;
import io.steward.store.Store;
import io.steward.store.StoreConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where an {@code exec(['/bin/true'])} run's time goes beyond a trivial run's, one part of the server at a time:
 * the same two scripts invoked in process, one run at a time, on coordinators that differ in one thing each —
 * whether the runs' processes get the {@code STEWARD_*} callback variables (a run token minted, the environment
 * merged) and whether the runs' events go to a store's event writer (H2 in a temporary folder, as a server's do),
 * and with which writer linger. The variants take turns in blocks of 20 runs, so that a neighbour's load falls on
 * all alike and a commit one variant's writer put off lands mostly on that variant's own next run; medians.
 * {@code java -cp benchmarks.jar io.steward.bench.ExecPathBreakdown [warm-up [runs]]}. See docs/perf/exec-profile.md.
 */
public final class ExecPathBreakdown {
    private static final int BLOCK = 20;

    private ExecPathBreakdown() {
    }

    private record Variant(String name, Coordinator coordinator, Store store) {
    }

    public static void main(String[] args) throws Exception {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        Path dir = Files.createTempDirectory("steward-exec-breakdown");
        Files.writeString(dir.resolve("exec.groovy"), "exec(['/bin/true']).exitCode");
        Files.writeString(dir.resolve("one.groovy"), "1");
        Engine engine = new Engine();
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("bare", builder(engine, dir).build(), null));
        variants.add(new Variant("callbacks", builder(engine, dir).callbacks(new RunTokens(() -> "http://127.0.0.1:1")).build(), null));
        for (int lingerMicros : new int[] {0, 1000, 2000}) {
            Store store = Store.open(StoreConfig.builder().dataDir(dir.resolve("data-" + lingerMicros))
                    .writerLinger(Duration.ofNanos(lingerMicros * 1000L)).build());
            variants.add(new Variant("store, linger " + lingerMicros + " us", builder(engine, dir).eventSink(store.writer())
                    .callbacks(new RunTokens(() -> "http://127.0.0.1:1")).build(), store));
        }
        String[] scripts = {"one.groovy", "exec.groovy"};
        int v = variants.size();
        for (int i = 0; i < warm; i++) {
            invoke(variants.get(i % v).coordinator(), scripts[(i / v) % 2]);
        }
        double[][] t = new double[v * 2][n];
        long[] batches = new long[v];
        for (int from = 0; from < n; from += BLOCK) {
            for (int k = 0; k < v; k++) {
                Variant variant = variants.get(k);
                long b0 = variant.store() == null ? 0 : variant.store().writer().batches();
                for (int i = from; i < Math.min(n, from + BLOCK); i++) {
                    for (int s = 0; s < 2; s++) {
                        long t0 = System.nanoTime();
                        invoke(variant.coordinator(), scripts[s]);
                        t[k * 2 + s][i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                batches[k] += variant.store() == null ? 0 : variant.store().writer().batches() - b0;
            }
        }
        for (int k = 0; k < v; k++) {
            Arrays.sort(t[k * 2]);
            Arrays.sort(t[k * 2 + 1]);
            System.out.printf(Locale.ROOT, "%-22s trivial p50 %.3f ms, exec p50 %.3f ms (p90 %.3f): exec costs %.3f ms; commits per pair of runs %.2f%n",
                    variants.get(k).name(), t[k * 2][n / 2], t[k * 2 + 1][n / 2], t[k * 2 + 1][n * 9 / 10],
                    t[k * 2 + 1][n / 2] - t[k * 2][n / 2], batches[k] / (double) n);
        }
        for (Variant variant : variants) {
            variant.coordinator().close();
            if (variant.store() != null) {
                variant.store().close();
            }
        }
        System.exit(0);
    }

    private static Coordinator.Builder builder(Engine engine, Path dir) {
        return Coordinator.builder().engine(engine).scripts(new DirectoryScriptSource(dir, engine.extensions()));
    }

    private static void invoke(Coordinator c, String script) throws Exception {
        RunState end = c.invoke(InvokeRequest.of(script)).completion().get().state();
        if (end != RunState.SUCCEEDED) {
            throw new IllegalStateException(script + " ended " + end);
        }
    }
}
