package io.steward.bench;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

/**
 * A Steward primary as users run it: {@code java -jar steward-all.jar server --bind 127.0.0.1 --port 0 --data DIR}
 * as its own process (the JVM's default heap and flags, as {@link Startup} starts one), found through the
 * {@code server.url} and {@code admin.token} it writes into its data folder, with the benchmark scripts uploaded.
 * The clients that measure it run in other processes too (see {@link OutsideClients}); the suite's JVM only starts
 * and stops it. {@link #close} stops it (SIGTERM, then SIGKILL after 10 s) and waits for it; a shutdown hook does the
 * same if the suite is killed.
 */
final class OutsidePrimary implements AutoCloseable {
    /** The scripts the outside rows run: the same sources as the in-JVM primary's. */
    static final Map<String, String> SCRIPTS = Map.of("trivial.groovy", "args.n + 1", "exec.groovy", "exec(['/bin/true']).exitCode");

    private final Path work;
    private final Process process;
    private final Thread onExit;
    final String url;
    final String token;

    private OutsidePrimary(Path work, Process process, Thread onExit, String url, String token) {
        this.work = work;
        this.process = process;
        this.onExit = onExit;
        this.url = url;
        this.token = token;
    }

    static OutsidePrimary start(Path cliJar) throws Exception {
        Path work = Files.createTempDirectory("steward-outside");
        Path data = Files.createDirectories(work.resolve("data"));
        Path log = work.resolve("primary.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", cliJar.toString(), "server", "--bind", "127.0.0.1", "--port", "0", "--data", data.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Thread onExit = new Thread(p::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(onExit);
        try {
            HttpClient http = BenchHttp.client();
            String url = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (true) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("primary exited " + p.exitValue() + ": " + lastLine(log));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("primary not healthy after a minute: " + lastLine(log));
                }
                url = firstLine(data.resolve("server.url"));
                if (url != null && healthy(http, url)) {
                    break;
                }
                Thread.sleep(20);
            }
            String token = firstLine(data.resolve("admin.token"));
            if (token == null) {
                throw new IllegalStateException("no admin.token in " + data);
            }
            for (Map.Entry<String, String> s : SCRIPTS.entrySet()) {
                BenchHttp.call(http, url, token, "/api/v1/scripts", Map.of("name", s.getKey(), "source", s.getValue()));
            }
            return new OutsidePrimary(work, p, onExit, url, token);
        } catch (Exception | Error e) {
            stop(p);
            Runtime.getRuntime().removeShutdownHook(onExit);
            Startup.deleteTree(work);
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    /** Whether the primary at {@code url} answers its health check now (ClusterPrimary's too). */
    static boolean healthy(HttpClient http, String url) throws InterruptedException {
        try {
            HttpRequest health = HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(2)).build();
            return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** The file's first non-blank line, or null when it is absent or empty. */
    static String firstLine(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String s = Files.readString(file).strip();
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl).strip();
        return s.isEmpty() ? null : s;
    }

    private static String lastLine(Path log) throws IOException {
        String s = Files.readString(log).strip();
        return s.substring(s.lastIndexOf('\n') + 1);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    @Override
    public void close() throws Exception {
        stop(process);
        Runtime.getRuntime().removeShutdownHook(onExit);
        Startup.deleteTree(work);
    }
}
