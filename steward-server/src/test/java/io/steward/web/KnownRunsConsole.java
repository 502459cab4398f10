package io.steward.web;

import io.steward.gateway.GatewayConfig;
import io.steward.gateway.Http;
import io.steward.gateway.TestPrimary;
import io.steward.server.ServerConfig;
import io.steward.testkit.SimulatedAgent;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real primary with a few known runs, three simulated agents, and a headless Chromium signed in to its console that
 * saves downloads into a folder. Made once for a test class whose tests only look: starting it costs several seconds,
 * and every page they visit shows the same runs.
 * <ul>
 * <li>{@link #longRun}: its main thread spawns {@value #THREADS} threads (more than the timeline shows one by one, so
 * they fold into one group lane), then a process prints {@value #LINES} ANSI-coloured lines, about 110 KB: more than
 * the console's 64 KiB output page.</li>
 * <li>{@link #jobRuns}: job.groovy succeeded, failed, succeeded: the script's trend and the dashboard's charts.</li>
 * <li>{@link #fanOut}: hello.groovy on every node: the primary and three simulated agents, one of which fails.</li>
 * </ul>
 */
final class KnownRunsConsole implements AutoCloseable {
    static final int THREADS = 14;
    static final int LINES = 1500;

    // The shell writes ESC and the two bytes of "é" as octal escapes: the command line itself stays ASCII, whatever
    // the JVM's locale, while the output holds both.
    private static final String LONG_SCRIPT = """
            status.set('phase', 'build')
            status.event('web-1', 'up')
            (1..%d).collect { n -> spawn { sleep(20) } }.each { it.join() }
            exec(['sh', '-c', 'i=1; while [ $i -le %d ]; do printf "\\\\033[3%%dmline %%04d\\\\033[0m \\\\303\\\\251 plain text, padded so that the output runs past one page\\\\n" $((i %% 8)) $i; i=$((i + 1)); done'])
            'ok'
            """.formatted(THREADS, LINES);

    // Set once by the constructor (not final, as close() also runs on a half-made fixture when making it failed).
    TestPrimary primary;
    ChromeDriver driver;
    Console console;
    Path downloads;
    final List<SimulatedAgent> agents = new ArrayList<>();
    String longRun;
    final List<String> jobRuns = new ArrayList<>();
    String fanOut;

    KnownRunsConsole(Path dir) {
        try {
            downloads = Files.createDirectories(dir.resolve("downloads"));
            primary = new TestPrimary(ServerConfig.defaults(dir.resolve("data"))
                    .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)));
            primary.push("long-output.groovy", LONG_SCRIPT);
            longRun = finished("long-output.groovy", Map.of(), "SUCCEEDED");

            primary.push("job.groovy", """
                    if (args.fail) throw new RuntimeException('told to fail')
                    'done'
                    """);
            jobRuns.add(finished("job.groovy", Map.of("args", Map.of()), "SUCCEEDED"));
            jobRuns.add(finished("job.groovy", Map.of("args", Map.of("fail", true)), "FAILED"));
            jobRuns.add(finished("job.groovy", Map.of("args", Map.of()), "SUCCEEDED"));

            primary.push("hello.groovy", "'hello'");
            agent("web-1", "web", false);
            agent("web-2", "web", false);
            agent("db-1", "db", true);
            fanOut = finished("hello.groovy", Map.of("on", "all"), "FAILED");

            driver = HeadlessChromium.start(Files.createDirectories(dir.resolve("chromium-profile")), downloads);
            console = new Console(driver, primary.server.url());
            console.signIn(primary.server.adminToken());
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
    }

    /** The lines {@link #longRun} printed, escape codes and all. */
    static List<String> longRunLines() {
        return IntStream.rangeClosed(1, LINES).mapToObj(i -> "\u001b[3" + (i % 8) + "mline " + String.format("%04d", i)
                + "\u001b[0m é plain text, padded so that the output runs past one page").toList();
    }

    private String finished(String script, Map<String, Object> more, String state) {
        Map<String, Object> body = new java.util.HashMap<>(more);
        body.put("script", script);
        Http.Answer a = primary.admin.post("/api/v1/runs?wait=60s", body);
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.json()).as(a.body()).containsEntry("state", state);
        return (String) a.json().get("id");
    }

    private void agent(String name, String role, boolean fails) {
        String join = (String) primary.admin.post("/api/v1/tokens", Map.of("name", "join-" + name, "role", "agent")).json().get("token");
        SimulatedAgent agent = new SimulatedAgent(primary.server.url(), join, name, Map.of("role", role), run -> {
            if (fails) {
                throw new IllegalStateException("disk full on " + name);
            }
            return "done on " + name;
        }, false);
        agents.add(agent);
        agent.join();
    }

    @Override
    public void close() {
        if (driver != null) {
            driver.quit();
        }
        agents.forEach(SimulatedAgent::close);
        if (primary != null) {
            primary.close();
        }
    }
}
