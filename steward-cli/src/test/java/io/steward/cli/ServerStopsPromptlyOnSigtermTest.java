package io.steward.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -TERM} of a real {@code steward server} closes the server and ends the JVM as soon as the server is
 * closed. It used to take 15 s every time: the shutdown hook waited for the main thread, which was stuck in
 * {@code System.exit} (that blocks while the JVM is shutting down) until the hook gave up ({@link UntilStopped}).
 */
class ServerStopsPromptlyOnSigtermTest {
    /** Well under the old hook's 15 s, with room for a slow, shared machine to close the store. */
    private static final Duration PROMPTLY = Duration.ofSeconds(8);

    @TempDir
    Path dir;

    @Test
    void sigtermClosesTheServerAndEndsTheProcessWithoutWaitingOutTheHook() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("server.log");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process server = new ProcessBuilder(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), "io.steward.cli.Steward",
                "server", "--port", "0", "--bind", "127.0.0.1", "--data", data.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(data.resolve("server.url")) || !server.isAlive());
            assertThat(server.isAlive()).as("the server runs:\n%s", Files.readString(log)).isTrue();

            long asked = System.nanoTime();
            server.destroy(); // SIGTERM
            assertThat(server.waitFor(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the server ends within %s of SIGTERM", PROMPTLY).isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - asked);
            assertThat(server.exitValue()).as("exit status after SIGTERM (stopped in %s)", took).isEqualTo(143);
            // the last thing StewardServer.close does: the server was closed, not cut off by the JVM's halt
            assertThat(data.resolve("server.url")).as("the server's URL file, removed by its close").doesNotExist();
        } finally {
            if (server.isAlive()) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
