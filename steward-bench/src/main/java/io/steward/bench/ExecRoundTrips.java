package io.steward.bench;

import io.steward.server.StewardServer;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;

/**
 * One run at a time, each timed: a trivial run and an {@code exec(['/bin/true'])} run, each invoked over HTTP
 * ({@code POST /api/v1/runs?wait=30s}, one keep-alive connection of the JDK's client in this JVM) and on the same
 * server's coordinator in process, interleaved, so that the HTTP layer's share and the exec's share of a round trip
 * can be told apart on one server. Medians and 90th percentiles.
 * {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar io.steward.bench.ExecRoundTrips [warm-up runs]}.
 * See docs/perf/exec-profile.md.
 */
public final class ExecRoundTrips {
    private ExecRoundTrips() {
    }

    public static void main(String[] args) throws Exception {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        HttpClient http = BenchHttp.client();
        try (StewardServer server = BenchHttp.primaryWithOneAndExec(Files.createTempDirectory("steward-round-trips"), http)) {
            String token = server.adminToken();
            String[] bodies = {"{\"script\":\"one.groovy\"}", "{\"script\":\"exec.groovy\"}"};
            for (int i = 0; i < warm; i++) {
                BenchHttp.invoke(http, server.url(), token, bodies[i % 2]);
            }
            io.steward.coordinator.InvokeRequest[] direct = {io.steward.coordinator.InvokeRequest.of("one.groovy"), io.steward.coordinator.InvokeRequest.of("exec.groovy")};
            for (int i = 0; i < warm; i++) {
                server.coordinator().invoke(direct[i % 2]).completion().get();
            }
            double[][] t = new double[4][n];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 2; k++) {
                    long t0 = System.nanoTime();
                    BenchHttp.invoke(http, server.url(), token, bodies[k]);
                    t[k][i] = (System.nanoTime() - t0) / 1e6;
                    t0 = System.nanoTime();
                    server.coordinator().invoke(direct[k]).completion().get();
                    t[2 + k][i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            for (double[] a : t) {
                Arrays.sort(a);
            }
            System.out.printf(Locale.ROOT, "serial, %d each after %d warm-up: HTTP trivial p50 %.3f p90 %.3f, exec p50 %.3f p90 %.3f ms;"
                    + " server's coordinator in process: trivial p50 %.3f p90 %.3f, exec p50 %.3f p90 %.3f ms%n",
                    n, warm, t[0][n / 2], t[0][n * 9 / 10], t[1][n / 2], t[1][n * 9 / 10], t[2][n / 2], t[2][n * 9 / 10], t[3][n / 2], t[3][n * 9 / 10]);
        }
        System.exit(0);
    }
}
