package io.steward.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.gateway.GatewayConfig;
import io.steward.testkit.SimulatedAgent;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A primary with 1,000 simulated agents on real WebSockets (in this JVM, sharing one HTTP client): the time from
 * invoke to the end of a trivial fan-out to all of them (p50, p99), the primary JVM's resident memory, and the CPU
 * the default 5 s poll costs with every agent idle. Started by {@code bench/run}; {@code --quick} uses 200 agents.
 */
public final class FleetReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int count = quick ? 200 : 1000;
        int rounds = quick ? 5 : 10;
        Path data = Files.createTempDirectory("steward-bench-fleet");
        try (StewardServer server = StewardServer.start(ServerConfig.defaults(data)
                .withGateway(new GatewayConfig("127.0.0.1", 0, GatewayConfig.DEFAULT_MAX_BODY))
                .withAgents(ServerConfig.AgentSettings.DEFAULTS))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String token = server.adminToken();
            String join = (String) post(http, server.url(), token, "/api/v1/tokens", Map.of("name", "bench-join", "role", "agent")).get("token");
            post(http, server.url(), token, "/api/v1/scripts", Map.of("name", "trivial.groovy", "source", "1"));

            long joinStart = System.nanoTime();
            List<SimulatedAgent> agents = new ArrayList<>();
            try (var pool = Executors.newFixedThreadPool(16)) {
                List<Future<SimulatedAgent>> joins = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    String name = String.format("sim-%04d", i);
                    joins.add(pool.submit(() -> {
                        SimulatedAgent a = new SimulatedAgent(http, server.url(), join, name, Map.of("role", "sim"), r -> "ok", false);
                        a.join();
                        return a;
                    }));
                }
                for (Future<SimulatedAgent> f : joins) {
                    agents.add(f.get());
                }
            }
            double joinSeconds = (System.nanoTime() - joinStart) / 1e9;

            long[] nanos = new long[rounds];
            String state = "";
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                Map<?, ?> run = post(http, server.url(), token, "/api/v1/runs?wait=5m",
                        Map.of("script", "trivial.groovy", "on", "role=sim"));
                nanos[r] = System.nanoTime() - t0;
                state = (String) run.get("state");
                if (!"SUCCEEDED".equals(state) || ((Map<?, ?>) run.get("result")).size() != count) {
                    throw new IllegalStateException("fan-out failed: " + run.get("state") + " " + run.get("error"));
                }
            }
            Arrays.sort(nanos);
            double p50 = nanos[rounds / 2] / 1e9;
            double p99 = nanos[rounds - 1] / 1e9;
            System.gc();
            long rss = rssBytes();

            Duration idle = Duration.ofSeconds(quick ? 10 : 30);
            Thread.sleep(quick ? 3_000 : 10_000); // let the last fan-out's commits and acknowledgements settle
            long cpu0 = cpuNanos();
            Thread.sleep(idle.toMillis());
            double cpuShare = (cpuNanos() - cpu0) / (double) idle.toNanos();

            System.out.println();
            System.out.printf(Locale.ROOT, "Steward fleet benchmarks — %d simulated agents on WebSockets, %d cores, Java %s%n",
                    count, Runtime.getRuntime().availableProcessors(), Runtime.version());
            String format = "%-62s %14s   %-12s %s%n";
            System.out.printf(Locale.ROOT, format, "metric", "value", "target", "");
            row(format, count + " agents joined", String.format(Locale.ROOT, "%.1f s", joinSeconds), "", true);
            row(format, "trivial fan-out to all " + count + " agents, invoke to done, p50",
                    String.format(Locale.ROOT, "%.2f s", p50), "< 2 s", p50 < 2);
            row(format, "trivial fan-out to all " + count + " agents, slowest of " + rounds,
                    String.format(Locale.ROOT, "%.2f s", p99), "", true);
            row(format, "resident memory of the JVM (primary and simulated agents)",
                    String.format(Locale.ROOT, "%.0f MiB", rss / 1048576.0), "", true);
            row(format, "CPU while idle, default 5 s poll (share of one core)",
                    String.format(Locale.ROOT, "%.1f %%", cpuShare * 100), "", true);
            agents.forEach(SimulatedAgent::close);
        }
    }

    private static long rssBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static Map<?, ?> post(HttpClient http, String url, String token, String path, Object body) throws Exception {
        return BenchHttp.call(http, url, token, path, body);
    }

    private static void row(String format, String metric, String value, String target, boolean met) {
        System.out.printf(Locale.ROOT, format, metric, value, target, target.isEmpty() ? "" : met ? "met" : "MISSED");
    }
}
