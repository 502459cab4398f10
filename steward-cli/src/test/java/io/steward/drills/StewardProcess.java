package io.steward.drills;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code steward server} or {@code steward agent} in a JVM of its own, started from the test class path, so
 * that the drills' faults are the operating system's: {@code kill -9}, {@code SIGSTOP}/{@code SIGCONT}, and
 * {@code /proc/PID} read from outside. {@link #close} resumes a paused process and stops it (SIGTERM, then SIGKILL).
 */
final class StewardProcess implements AutoCloseable {
    final String name;
    final Path log;
    private final Process process;

    private StewardProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static StewardProcess start(String name, Path log, List<String> stewardArgs, Map<String, String> env) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        // Cheap to start, as the drills start many: C1 only, the JDK's class data archive, one GC thread (the
        // serial collector: a small heap, and two cores that the drills share with each other)
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.steward.cli.Steward"));
        command.addAll(stewardArgs);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return new StewardProcess(name, builder.start(), log);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** kill -9: no shutdown hook, no flush, no goodbye on any socket. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the process keeps its sockets open and says nothing, like a peer behind a silent network cut. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException("kill -" + name + " " + pid() + " exited " + exit);
        }
    }

    /** Threads, open file descriptors and resident memory now, from {@code /proc/PID}. */
    ProcSample sample() throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid()));
        int threads = 0;
        long rssKb = 0;
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.substring(8).strip());
            } else if (line.startsWith("VmRSS:")) {
                rssKb = Long.parseLong(line.substring(6).replace("kB", "").strip());
            }
        }
        int fds;
        try (Stream<Path> s = Files.list(proc.resolve("fd"))) {
            fds = (int) s.count();
        }
        return new ProcSample(System.nanoTime(), threads, fds, rssKb);
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** The tail of what the process printed, for a failing drill's message. */
    String logTail() {
        List<String> lines = logText().lines().toList();
        return name + " log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws Exception {
        if (!process.isAlive()) {
            return;
        }
        try {
            resume();
        } catch (IOException ignored) {
            // it ended meanwhile
        }
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            kill9();
        }
    }
}
