package io.steward.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;

import java.net.URI;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The HTTP calls every report makes on a primary: JSON requests, invokes that must end SUCCEEDED, and a rate. */
final class BenchHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchHttp() {
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** POST {@code body} as JSON, or GET when it is null; the answer as a map. */
    static Map<?, ?> call(HttpClient http, String url, String token, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(6));
        if (body != null) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        return JSON.readValue(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body(), Map.class);
    }

    /** {@code POST /api/v1/runs?wait=30s} with a JSON body; fails unless the run was created and SUCCEEDED. */
    static void invoke(HttpClient http, String url, String token, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/runs?wait=30s"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 || !r.body().contains("\"SUCCEEDED\"")) {
            throw new IllegalStateException("invoke failed: " + r.statusCode() + " " + r.body());
        }
    }

    /** Runs per second: {@code clients} platform threads, each with its own connection, invoking for {@code window}. */
    static double perSecond(String url, String token, String body, int clients, Duration window) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(clients);
        long start = System.nanoTime();
        long end = start + window.toNanos();
        for (int c = 0; c < clients; c++) {
            Thread.ofPlatform().start(() -> {
                HttpClient own = client();
                try {
                    while (System.nanoTime() < end) {
                        invoke(own, url, token, body);
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    failure.set(e);
                } finally {
                    finished.countDown();
                }
            });
        }
        finished.await();
        if (failure.get() != null) {
            throw failure.get();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * A primary on 127.0.0.1 (H2 in {@code data}) with {@code one.groovy} (a trivial script) and {@code exec.groovy}
     * ({@code exec(['/bin/true'])}) pushed: what the exec benchmarks compare.
     */
    static StewardServer primaryWithOneAndExec(Path data, HttpClient http) throws Exception {
        StewardServer server = StewardServer.start(ServerConfig.defaults(data)
                .withGateway(new GatewayConfig("127.0.0.1", 0, GatewayConfig.DEFAULT_MAX_BODY)));
        String token = server.adminToken();
        call(http, server.url(), token, "/api/v1/scripts", Map.of("name", "one.groovy", "source", "1"));
        call(http, server.url(), token, "/api/v1/scripts", Map.of("name", "exec.groovy", "source", "exec(['/bin/true']).exitCode"));
        return server;
    }
}
