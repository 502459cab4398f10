package io.steward.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
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

/**
 * Start-up and idle memory of the real thing: {@code java -jar steward-all.jar server} as a child process on
 * 127.0.0.1, timed from spawn until {@code GET /health} answers 200, its resident memory (VmRSS) after it has idled
 * a while, then an agent joined with a fresh join token and its resident memory when idle. Both processes are
 * destroyed (and waited for) before {@link #measure} returns, also when it fails.
 */
public final class Startup {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one start found: time to healthy, time for the agent to be online, resident memory of each. */
    record Result(double healthyMs, double agentOnlineMs, double primaryRssMiB, double agentRssMiB) {
    }

    private Startup() {
    }

    /** {@code java -cp benchmarks.jar io.steward.bench.Startup steward-all.jar [idle seconds]} */
    public static void main(String[] args) throws Exception {
        Result r = measure(Path.of(args[0]), Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 5));
        System.out.println(r);
    }

    static Result measure(Path cliJar, Duration idle) throws Exception {
        Path work = Files.createTempDirectory("steward-startup");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<Process> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread onExit = new Thread(() -> started.forEach(Process::destroyForcibly)); // the suite killed mid-measurement
        Runtime.getRuntime().addShutdownHook(onExit);
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String url = "http://127.0.0.1:" + port;
            Path data = Files.createDirectories(work.resolve("primary"));
            long t0 = System.nanoTime();
            Process primary = spawn(started, work.resolve("primary.log"), cliJar, "server", "--bind", "127.0.0.1",
                    "--port", String.valueOf(port), "--data", data.toString());
            await(primary, work.resolve("primary.log"), () -> {
                HttpRequest health = HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(2)).build();
                return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
            double healthyMs = (System.nanoTime() - t0) / 1e6;
            Thread.sleep(idle.toMillis());
            double primaryRss = rssMiB(primary.pid());

            String admin = Files.readString(data.resolve("admin.token")).strip();
            HttpRequest tokenRequest = HttpRequest.newBuilder(URI.create(url + "/api/v1/tokens"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", "bench-agent-join", "role", "agent"))))
                    .build();
            String join = (String) JSON.readValue(http.send(tokenRequest, HttpResponse.BodyHandlers.ofString()).body(), Map.class).get("token");
            long a0 = System.nanoTime();
            Process agent = spawn(started, work.resolve("agent.log"), cliJar, "agent", "--primary", url, "--join-token", join,
                    "--name", "bench-agent", "--data", Files.createDirectories(work.resolve("agent")).toString());
            HttpRequest nodes = HttpRequest.newBuilder(URI.create(url + "/api/v1/nodes")).header("Authorization", "Bearer " + admin).build();
            await(agent, work.resolve("agent.log"), () -> {
                Map<?, ?> body = JSON.readValue(http.send(nodes, HttpResponse.BodyHandlers.ofString()).body(), Map.class);
                for (Object n : (List<?>) body.get("nodes")) {
                    Map<?, ?> node = (Map<?, ?>) n;
                    if ("bench-agent".equals(node.get("name")) && "online".equals(node.get("state"))) {
                        return true;
                    }
                }
                return false;
            });
            double agentOnlineMs = (System.nanoTime() - a0) / 1e6;
            Thread.sleep(idle.toMillis());
            return new Result(healthyMs, agentOnlineMs, primaryRss, rssMiB(agent.pid()));
        } finally {
            long stop0 = System.nanoTime();
            // Killed, not stopped: a graceful stop is not measured, took a second each time, and the data goes anyway.
            started.forEach(Process::destroyForcibly);
            for (Process p : started) {
                p.waitFor();
            }
            System.err.printf(java.util.Locale.ROOT, "startup: stopped in %.1f s%n", (System.nanoTime() - stop0) / 1e9);
            Runtime.getRuntime().removeShutdownHook(onExit);
            deleteTree(work);
        }
    }

    private static Process spawn(List<Process> started, Path log, Path jar, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    /** Polls {@code check} every 5 ms until it holds; fails when the process ends first or after a minute. */
    private static void await(Process p, Path log, Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("exited " + p.exitValue() + ": " + lastLine(log));
            }
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("not ready after a minute: " + lastLine(log));
    }

    private static String lastLine(Path log) throws IOException {
        String s = Files.readString(log).strip();
        return s.substring(s.lastIndexOf('\n') + 1);
    }

    /** VmRSS from /proc/PID/status, in MiB. */
    static double rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").strip()) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
