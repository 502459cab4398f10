package io.steward.agents;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code steward agent} (or {@code steward server}) in a JVM of its own, started from the test class path. */
final class AgentProcess implements AutoCloseable {
    final String name;
    final Process process;
    final Path log;

    private AgentProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** The tail of what the process printed, for a failing test's message. */
    String logTail() {
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static AgentProcess agent(String primaryUrl, String joinToken, String name, String labels, Path data) throws IOException {
        List<String> args = new ArrayList<>(List.of("agent", "--primary", primaryUrl, "--join-token", joinToken,
                "--name", name, "--data", data.toString()));
        if (labels != null) {
            args.addAll(List.of("--labels", labels));
        }
        return start(name, data.resolve("agent.log"), args);
    }

    static AgentProcess start(String name, Path log, List<String> stewardArgs) throws IOException {
        return start(name, log, stewardArgs, java.util.Map.of());
    }

    /** The same with more environment variables (a primary's {@code STEWARD_DB_PASSWORD}, say). */
    static AgentProcess start(String name, Path log, List<String> stewardArgs, java.util.Map<String, String> env)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.steward.cli.Steward"));
        command.addAll(stewardArgs);
        log.getParent().toFile().mkdirs();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        return new AgentProcess(name, p, log);
    }

    /** kill -9. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            kill9();
        }
    }
}
