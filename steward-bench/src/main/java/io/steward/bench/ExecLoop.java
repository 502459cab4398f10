package io.steward.bench;

import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;

import java.util.Locale;
import java.util.Map;

/**
 * A loop of in-process runs of {@code exec(['/bin/true'])} and of a trivial script, for profiling the exec path:
 * {@code java -XX:StartFlightRecording=filename=exec.jfr,settings=profile -cp benchmarks.jar
 * io.steward.bench.ExecLoop [runs]}, then {@code jfr print --events jdk.ExecutionSample exec.jfr}. Prints the mean
 * time per run of each; the difference is what {@code exec} costs inside a run.
 */
public final class ExecLoop {
    private ExecLoop() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        try (BenchScripts scripts = new BenchScripts(Map.of("exec.groovy", "exec(['/bin/true']).exitCode", "one.groovy", "1"))) {
            for (int round = 0; round < 3; round++) {
                double one = loop(scripts, InvokeRequest.of("one.groovy"), n);
                double exec = loop(scripts, InvokeRequest.of("exec.groovy"), n);
                System.out.printf(Locale.ROOT, "round %d: trivial run %.3f ms, exec('/bin/true') run %.3f ms, exec itself %.3f ms%n",
                        round + 1, one, exec, exec - one);
            }
        }
        System.exit(0);
    }

    private static double loop(BenchScripts scripts, InvokeRequest request, int n) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            RunSnapshot end = scripts.coordinator.invoke(request).completion().get();
            if (end.state() != RunState.SUCCEEDED) {
                throw new IllegalStateException(request + ": " + end.error());
            }
        }
        return (System.nanoTime() - t0) / 1e6 / n;
    }
}
