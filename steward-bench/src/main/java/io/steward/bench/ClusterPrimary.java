package io.steward.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One primary of the cluster fleet benchmark: {@code steward server} in a JVM of its own on 127.0.0.1 (port 0), its
 * own data folder, the shared PostgreSQL schema and secret key. Found, as {@link OutsidePrimary} is, through the
 * {@code server.url} and {@code admin.token} it writes. {@link #close} stops it (SIGTERM, then SIGKILL after 15 s);
 * a shutdown hook does the same if the benchmark is killed.
 */
final class ClusterPrimary implements AutoCloseable {
    private final Process process;
    private final Thread onExit;
    private final Path log;
    final Path data;
    private String url;
    private String token;

    private ClusterPrimary(Process process, Thread onExit, Path log, Path data) {
        this.process = process;
        this.onExit = onExit;
        this.log = log;
        this.data = data;
    }

    /**
     * Launches the process without waiting for it.
     *
     * @param java    the JVM and its options up to the main class or jar ({@code java -Xmx… -jar steward-all.jar})
     * @param options the {@code steward server} options besides bind, port and data
     */
    static ClusterPrimary launch(List<String> java, Path dir, List<String> options, Map<String, String> env) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path log = dir.resolve("primary.log");
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of("server", "--bind", "127.0.0.1", "--port", "0", "--data", data.toString()));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        Thread onExit = new Thread(p::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(onExit);
        return new ClusterPrimary(p, onExit, log, data);
    }

    /** Waits until it answers {@code GET /health}; then its URL and admin token are known. */
    ClusterPrimary awaitHealthy(HttpClient http, Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("a primary exited (" + process.exitValue() + "); its log " + log + " ends:\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a primary was not healthy after " + atMost.toSeconds() + " s; its log " + log
                        + " ends:\n" + logTail());
            }
            String written = OutsidePrimary.firstLine(data.resolve("server.url"));
            if (written != null && OutsidePrimary.healthy(http, written)) {
                url = written;
                token = OutsidePrimary.firstLine(data.resolve("admin.token"));
                return this;
            }
            Thread.sleep(50);
        }
    }

    String url() {
        return url;
    }

    String token() {
        return token;
    }

    long pid() {
        return process.pid();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        Runtime.getRuntime().removeShutdownHook(onExit);
    }
}
