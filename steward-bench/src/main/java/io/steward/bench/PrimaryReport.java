package io.steward.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The primary under load, over real HTTP on loopback with events persisted in H2: invoke-to-SUCCEEDED latency on
 * one keep-alive connection, runs per second from concurrent clients, event ingest from one run, and SSE delivery
 * to 100 followers. {@code --quick} shortens every phase. Started by {@code bench/run}.
 */
public final class PrimaryReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = BenchHttp.client();
    private final String url;
    private final String token;

    private PrimaryReport(String url, String token) {
        this.url = url;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        Path data = Files.createTempDirectory("steward-bench-primary");
        try (StewardServer server = StewardServer.start(ServerConfig.defaults(data)
                .withGateway(new GatewayConfig("127.0.0.1", 0, GatewayConfig.DEFAULT_MAX_BODY)))) {
            PrimaryReport report = new PrimaryReport(server.url(), server.adminToken());
            report.run(server, quick);
        }
    }

    private void run(StewardServer server, boolean quick) throws Exception {
        post("/api/v1/scripts", Map.of("name", "trivial.groovy", "source", "args.n + 1"));
        post("/api/v1/scripts", Map.of("name", "trivial.js", "source", "args.n + 1"));
        post("/api/v1/scripts", Map.of("name", "events.groovy", "source", "(1..args.n).each { status.set('n', it) }; 'ok'"));
        post("/api/v1/scripts", Map.of("name", "ticks.groovy", "source", "(1..args.n).each { status.set('n', it) }; 'ok'"));

        int warm = quick ? 2_000 : 10_000;
        int samples = quick ? 3_000 : 20_000;
        String invoke = JSON.writeValueAsString(Map.of("script", "trivial.groovy", "args", Map.of("n", 1)));
        long[] nanos = latencies(invoke, warm, samples);
        double p50 = nanos[samples / 2] / 1000.0;
        double p99 = nanos[(int) (samples * 0.99)] / 1000.0;

        double runsPerSecond = BenchHttp.perSecond(url, token, invoke, 8, Duration.ofSeconds(quick ? 3 : 10));

        // The same trivial task in JavaScript (GraalJS, interpreted: a context per run, so fewer samples)
        String invokeJs = JSON.writeValueAsString(Map.of("script", "trivial.js", "args", Map.of("n", 1)));
        long[] jsNanos = latencies(invokeJs, warm / 4, samples / 4);
        double jsP50 = jsNanos[jsNanos.length / 2] / 1000.0;
        double jsP99 = jsNanos[(int) (jsNanos.length * 0.99)] / 1000.0;
        double jsRunsPerSecond = BenchHttp.perSecond(url, token, invokeJs, 8, Duration.ofSeconds(quick ? 3 : 10));

        int events = quick ? 100_000 : 300_000;
        long t0 = System.nanoTime();
        Map<?, ?> run = post("/api/v1/runs?wait=5m", Map.of("script", "events.groovy", "args", Map.of("n", events)));
        server.store().writer().flush();
        double ingest = events / ((System.nanoTime() - t0) / 1e9);

        int followers = 100;
        int ticks = quick ? 20_000 : 50_000;
        Sse sse = sse(http, url, token, "ticks.groovy", followers, ticks);

        Runtime rt = Runtime.getRuntime();
        System.out.println();
        System.out.printf(Locale.ROOT, "Steward primary benchmarks (HTTP on loopback, H2) — %d cores, Java %s%n",
                rt.availableProcessors(), Runtime.version());
        String format = "%-58s %14s   %-12s %s%n";
        System.out.printf(Locale.ROOT, format, "metric", "value", "target", "");
        row(format, "invoke ?wait to SUCCEEDED, one keep-alive connection, p50", ms(p50), "<= 0.5 ms", p50 <= 500);
        row(format, "invoke ?wait to SUCCEEDED, one keep-alive connection, p99", ms(p99), "", true);
        row(format, "runs per second, 8 concurrent clients",
                String.format(Locale.ROOT, "%,.0f", runsPerSecond), ">= 5,000", runsPerSecond >= 5000);
        row(format, "invoke ?wait, trivial JavaScript, p50", ms(jsP50), "", true);
        row(format, "invoke ?wait, trivial JavaScript, p99", ms(jsP99), "", true);
        row(format, "runs per second, trivial JavaScript, 8 clients", String.format(Locale.ROOT, "%,.0f", jsRunsPerSecond), "", true);
        row(format, "events persisted per second from one run (" + run.get("state") + ")",
                String.format(Locale.ROOT, "%,.0f", ingest), ">= 100,000", ingest >= 100_000);
        row(format, "SSE: " + followers + " followers of a " + ticks + "-event run (" + String.format(Locale.ROOT,
                "%.1f s", sse.runSeconds()) + "), all delivered in", String.format(Locale.ROOT, "%.1f s", sse.seconds()),
                "all events", sse.complete());
        row(format, "SSE: events delivered per second, all followers together",
                String.format(Locale.ROOT, "%,.0f", sse.perSecond()), "", true);
    }

    /** {@code samples} round trips of one invoke body after {@code warm} untimed ones, in ns, sorted. */
    private long[] latencies(String invoke, int warm, int samples) throws Exception {
        for (int i = 0; i < warm; i++) {
            invokeAndWait(invoke);
        }
        long[] nanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            invokeAndWait(invoke);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /** What {@link #sse} found: events delivered to all followers together, of how many, and in what time. */
    record Sse(int followers, long delivered, long expected, double seconds, double runSeconds) {
        boolean complete() {
            return delivered == expected;
        }

        double perSecond() {
            return delivered / seconds;
        }
    }

    /**
     * SSE delivery: starts {@code script} (which must emit about {@code ticks} events for {@code args.n = ticks}) and
     * has {@code followers} clients follow its event stream to the end, all at once; time from the start of the run
     * until every follower has seen the end of the stream.
     */
    static Sse sse(HttpClient http, String url, String token, String script, int followers, int ticks) throws Exception {
        String id = (String) send(http, url, token, "/api/v1/runs", Map.of("script", script, "args", Map.of("n", ticks))).get("id");
        List<Thread> readers = new ArrayList<>();
        AtomicLong delivered = new AtomicLong();
        long s0 = System.nanoTime();
        for (int f = 0; f < followers; f++) {
            readers.add(Thread.ofVirtual().start(() -> delivered.addAndGet(follow(http, url, token, id))));
        }
        for (Thread r : readers) {
            r.join();
        }
        double seconds = (System.nanoTime() - s0) / 1e9;
        Map<?, ?> ticked = send(http, url, token, "/api/v1/runs/" + id, null);
        long expected = ((Number) ticked.get("lastSeq")).longValue() * followers;
        return new Sse(followers, delivered.get(), expected, seconds, ((Number) ticked.get("durationMs")).doubleValue() / 1000);
    }

    private static long follow(HttpClient http, String url, String token, String id) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/runs/" + id + "/events"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            long n = 0;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("id: ")) {
                        n++;
                    }
                }
            }
            return n;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<?, ?> send(HttpClient http, String url, String token, String path, Object body) throws Exception {
        return BenchHttp.call(http, url, token, path, body);
    }

    private void invokeAndWait(String body) throws Exception {
        BenchHttp.invoke(http, url, token, body);
    }

    private Map<?, ?> post(String path, Object body) throws Exception {
        return send(http, url, token, path, body);
    }

    private static void row(String format, String metric, String value, String target, boolean met) {
        System.out.printf(Locale.ROOT, format, metric, value, target, target.isEmpty() ? "" : met ? "met" : "MISSED");
    }

    private static String ms(double micros) {
        return String.format(Locale.ROOT, "%.3f ms", micros / 1000);
    }
}
