package io.steward.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The clients outside the primary's JVM, each a process of its own: {@code bench/outside/rtt.py} (Python, standard
 * library, one keep-alive connection with TCP_NODELAY) for round trips, and {@code wrk} with
 * {@code bench/outside/runs.lua} (8 keep-alive connections, TCP_NODELAY set by wrk itself) for runs per second.
 * Both count a call only when it answered 201 with the run SUCCEEDED; a failed call fails the measurement, never
 * lowers its figure. The parsers are separate so that a test can hold them to the clients' output.
 */
final class OutsideClients {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TRIVIAL = "{\"script\":\"trivial.groovy\",\"args\":{\"n\":1}}";
    static final String EXEC = "{\"script\":\"exec.groovy\"}";

    private final String python;
    private final String wrk;
    private final Path dir;

    /** {@code dir} holds rtt.py and runs.lua; {@code python} or {@code wrk} null when it is not installed. */
    OutsideClients(String python, String wrk, Path dir) {
        this.python = python;
        this.wrk = wrk;
        this.dir = dir;
    }

    boolean hasPython() {
        return python != null;
    }

    boolean hasWrk() {
        return wrk != null;
    }

    /** {@code n} round trips in ms, after {@code warmup} untimed calls on the same connection. */
    List<Double> roundTrips(String url, String token, String body, int warmup, int n) throws Exception {
        if (python == null) {
            throw new IllegalStateException("python3 missing");
        }
        String out = SuiteReport.exec(List.of(python, dir.resolve("rtt.py").toString(), url, token, body,
                String.valueOf(warmup), String.valueOf(n)), Map.of(), Duration.ofMinutes(10));
        return parseRoundTrips(out, n);
    }

    /** Runs per second from {@code connections} connections (on 2 wrk threads) for {@code window}. */
    double perSecond(String url, String token, String body, int connections, Duration window) throws Exception {
        if (wrk == null) {
            throw new IllegalStateException("wrk missing");
        }
        int threads = Math.min(2, connections);
        String out = SuiteReport.exec(List.of(wrk, "-t", String.valueOf(threads), "-c", String.valueOf(connections),
                        "-d", Math.max(1, window.toSeconds()) + "s", "--timeout", "30s", "-s", dir.resolve("runs.lua").toString(),
                        url + "/api/v1/runs?wait=30s"),
                Map.of("STEWARD_BENCH_TOKEN", token, "STEWARD_BENCH_BODY", body), window.plusMinutes(2));
        return parseRate(out);
    }

    /** rtt.py's answer: exactly {@code n} positive times, on a socket that had TCP_NODELAY. */
    static List<Double> parseRoundTrips(String out, int n) throws Exception {
        Map<?, ?> m = JSON.readValue(out, Map.class);
        if (!Integer.valueOf(1).equals(m.get("nodelay"))) {
            throw new IllegalStateException("rtt.py: TCP_NODELAY not set on its socket");
        }
        List<Double> ms = new ArrayList<>();
        for (Object o : (List<?>) m.get("ms")) {
            double v = ((Number) o).doubleValue();
            if (!(v > 0)) {
                throw new IllegalStateException("rtt.py: a round trip of " + v + " ms");
            }
            ms.add(v);
        }
        if (ms.size() != n) {
            throw new IllegalStateException("rtt.py: " + ms.size() + " round trips, asked for " + n);
        }
        return ms;
    }

    /** The JSON line runs.lua prints after wrk's own summary: its rate, if every call succeeded. */
    static double parseRate(String out) throws Exception {
        String line = null;
        for (String l : out.lines().toList()) {
            if (l.startsWith("{")) {
                line = l;
            }
        }
        if (line == null) {
            throw new IllegalStateException("wrk: no result line from runs.lua");
        }
        Map<?, ?> m = JSON.readValue(line, Map.class);
        long requests = ((Number) m.get("requests")).longValue();
        long failed = ((Number) m.get("failed")).longValue();
        long errors = ((Number) m.get("errors")).longValue();
        if (requests == 0 || failed > 0 || errors > 0) {
            throw new IllegalStateException("wrk: " + requests + " calls, " + failed + " not SUCCEEDED, " + errors + " socket errors");
        }
        return ((Number) m.get("per_s")).doubleValue();
    }
}
