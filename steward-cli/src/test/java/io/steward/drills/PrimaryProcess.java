package io.steward.drills;

import io.steward.client.StewardClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A primary as its own process on a fixed free port of 127.0.0.1 and a data folder of its own, which can be killed
 * and started again on the same port and data (agents then find it where it was). Short agent timings by default:
 * the drills measure recovery, not the defaults' patience.
 */
final class PrimaryProcess implements AutoCloseable {
    final Path data;
    final int port;
    final String url;
    private final Path log;
    private final List<String> extra;
    private final Map<String, String> env;
    private StewardProcess process;
    private String token;

    private PrimaryProcess(Path data, int port, Path log, List<String> extra, Map<String, String> env) {
        this.data = data;
        this.port = port;
        this.url = "http://127.0.0.1:" + port;
        this.log = log;
        this.extra = extra;
        this.env = env;
    }

    /** Starts a primary and waits until it answers; {@code extra} are more {@code steward server} options. */
    static PrimaryProcess start(Path dir, List<String> extra, Map<String, String> env) throws Exception {
        return start(dir, dir.resolve("primary-data"), extra, env);
    }

    /** The same with its data folder at {@code data} (for H2 on a disk of the drill's choosing). */
    static PrimaryProcess start(Path dir, Path data, List<String> extra, Map<String, String> env) throws Exception {
        PrimaryProcess p = new PrimaryProcess(data, freePort(), dir.resolve("primary.log"), extra, env);
        p.startAgain();
        return p;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts the process (again), without waiting. */
    void launch() throws IOException {
        List<String> args = new ArrayList<>(List.of("server", "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--data", data.toString(), "--name", "primary"));
        // the drills' timings, unless the drill gives its own (picocli refuses an option given twice)
        Map<String, String> timings = new java.util.LinkedHashMap<>(Map.of("--agent-grace", "5s", "--poll-interval", "1s",
                "--agent-heartbeat", "1s"));
        timings.keySet().removeAll(extra);
        timings.forEach((option, value) -> args.addAll(List.of(option, value)));
        args.addAll(extra);
        process = StewardProcess.start("primary", log, args, env);
    }

    /** Starts the process (again) and waits until it answers {@code /health}; answers how long that took. */
    Duration startAgain() throws Exception {
        long t0 = System.nanoTime();
        launch();
        awaitHealthy(Duration.ofSeconds(90));
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    void awaitHealthy(Duration atMost) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).failFast("the primary exited",
                    () -> !process.alive()).until(() -> healthy(http));
        } catch (org.awaitility.core.TerminalFailureException | org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the primary did not come up:\n" + logTail(), e);
        }
        token = Files.readString(data.resolve("admin.token")).strip();
    }

    private boolean healthy(HttpClient http) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(2)).build();
            return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    StewardClient admin() {
        return StewardClient.connect(url, token);
    }

    StewardProcess process() {
        return process;
    }

    void kill9() throws InterruptedException {
        process.kill9();
    }

    /** Stops it cleanly (SIGTERM). */
    void stop() throws Exception {
        process.close();
    }

    /** A real agent process joined to this primary (through {@code via}, e.g. a {@link FaultProxy}, when not null). */
    StewardProcess agent(Path dir, String name, String via) throws IOException {
        return agent(dir, name, via, joinToken(name));
    }

    String joinToken(String agent) {
        return (String) admin().createToken("join-" + agent + "-" + System.nanoTime(), "agent").get("token");
    }

    StewardProcess agent(Path dir, String name, String via, String joinToken) throws IOException {
        return StewardProcess.start(name, dir.resolve(name + ".log"), List.of("agent", "--primary", via != null ? via : url,
                "--join-token", joinToken, "--name", name, "--labels", "role=drill", "--data",
                dir.resolve(name + "-data").toString()), Map.of());
    }

    void awaitOnline(String... agents) {
        StewardClient admin = admin();
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            for (String name : agents) {
                if (admin.nodes().stream().noneMatch(n -> name.equals(n.get("name")) && "online".equals(n.get("state")))) {
                    return false;
                }
            }
            return true;
        });
    }

    String logTail() {
        return process == null ? "" : process.logTail();
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.close();
        }
    }
}
