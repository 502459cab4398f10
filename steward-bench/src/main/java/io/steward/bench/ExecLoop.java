package io.steward.bench;

import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;

import io.steward.server.StewardServer;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A loop of in-process runs of {@code exec(['/bin/true'])} and of a trivial script, for profiling the exec path:
 * {@code java -XX:StartFlightRecording=filename=exec.jfr,settings=profile -cp benchmarks.jar
 * io.steward.bench.ExecLoop [runs [http]]}, then {@code jfr print --events jdk.ExecutionSample exec.jfr}. Prints the mean
 * time per run of each; the difference is what {@code exec} costs inside a run. With {@code http}, the runs are
 * invoked over HTTP on an in-process primary, as the suite's round trips are.
 */
public final class ExecLoop {
    private ExecLoop() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        if (args.length > 1 && args[1].equals("http")) {
            overHttp(n);
            System.exit(0);
        }
        try (BenchScripts scripts = new BenchScripts(Map.of("exec.groovy", "exec(['/bin/true']).exitCode", "one.groovy", "1"))) {
            for (int round = 0; round < 3; round++) {
                long[] c0 = cpuTicks();
                double one = loop(scripts, InvokeRequest.of("one.groovy"), n);
                long[] c1 = cpuTicks();
                double exec = loop(scripts, InvokeRequest.of("exec.groovy"), n);
                long[] c2 = cpuTicks();
                System.out.printf(Locale.ROOT, "round %d: trivial run %.3f ms, exec('/bin/true') run %.3f ms, exec itself %.3f ms; "
                                + "CPU per run of this JVM: trivial %.3f ms, exec %.3f ms (its children %.3f ms)%n",
                        round + 1, one, exec, exec - one, (c1[0] - c0[0]) * 10.0 / n, (c2[0] - c1[0]) * 10.0 / n, (c2[1] - c1[1]) * 10.0 / n);
            }
        }
        System.exit(0);
    }

    /** The same two scripts invoked over HTTP on an in-process primary (H2 in a temporary folder). */
    private static void overHttp(int n) throws Exception {
        HttpClient http = BenchHttp.client();
        try (StewardServer server = BenchHttp.primaryWithOneAndExec(Files.createTempDirectory("steward-execloop"), http)) {
            String token = server.adminToken();
            for (int round = 0; round < 3; round++) {
                double[] ms = new double[2];
                String[] scripts = {"one.groovy", "exec.groovy"};
                for (int k = 0; k < 2; k++) {
                    String body = "{\"script\":\"" + scripts[k] + "\"}";
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        BenchHttp.invoke(http, server.url(), token, body);
                    }
                    ms[k] = (System.nanoTime() - t0) / 1e6 / n;
                }
                System.out.printf(Locale.ROOT, "round %d over HTTP: trivial run %.3f ms, exec('/bin/true') run %.3f ms, exec itself %.3f ms%n",
                        round + 1, ms[0], ms[1], ms[1] - ms[0]);
                for (String script : scripts) {
                    long[] cpu0 = cpuTicks();
                    long batches0 = server.store().writer().batches();
                    long writer0 = writerCpuNanos();
                    long t0 = System.nanoTime();
                    double rate = BenchHttp.perSecond(server.url(), token, "{\"script\":\"" + script + "\"}", 8, Duration.ofSeconds(2));
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long[] cpu1 = cpuTicks();
                    double runs = rate * seconds;
                    System.out.printf(Locale.ROOT, "  8 clients, %s: %.0f runs/s; CPU per run: this JVM %.3f ms, its children %.3f ms; "
                                    + "cores busy %.2f; store commits per run %.2f, the store's writer thread's CPU per run %.3f ms%n",
                            script, rate, (cpu1[0] - cpu0[0]) * 10.0 / runs, (cpu1[1] - cpu0[1]) * 10.0 / runs,
                            ((cpu1[0] - cpu0[0]) + (cpu1[1] - cpu0[1])) / 100.0 / seconds,
                            (server.store().writer().batches() - batches0) / runs, (writerCpuNanos() - writer0) / 1e6 / runs);
                }
            }
        }
    }

    /** CPU time of the store's event writer thread, which commits every run and event. */
    private static long writerCpuNanos() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("steward-event-writer")) {
                return ManagementFactory.getThreadMXBean().getThreadCpuTime(t.threadId());
            }
        }
        return 0;
    }

    /** utime + stime of this process, and cutime + cstime of its reaped children, in clock ticks (1/100 s). */
    private static long[] cpuTicks() throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is f[0], utime f[11], stime f[12], cutime f[13], cstime f[14]
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
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
