package io.steward.cli;

import io.steward.testkit.FakeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code steward run} against a fake of the API: what it sends, what it prints in each mode, and that the exit code
 * tells the outcome. (The same against the real server belongs to the server's end-to-end tests.)
 */
class RunCommandTest {
    private FakeApi api;

    @BeforeEach
    void start() throws Exception {
        api = FakeApi.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static Map<String, Object> run(String state, Object result) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("id", "01RUN");
        run.put("script", "deploy.groovy");
        run.put("version", 3);
        run.put("state", state);
        run.put("result", result);
        run.put("error", "FAILED".equals(state) ? Map.of("script", "deploy.groovy", "line", 7, "message", "boom") : null);
        run.put("durationMs", 1234);
        run.put("lastSeq", 2);
        return run;
    }

    private CliRunner steward(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[]{"--server", api.url(), "--token", "t0k"}, 0, all, args.length, 4);
        return CliRunner.run(all);
    }

    private void streamEndingIn(String state) {
        api.on("GET", "/api/v1/runs/01RUN/events", (req, reply) -> reply.sse()
                .event(1, "state", Map.of("state", "RUNNING"))
                .event(2, "progress", Map.of("fraction", 0.5, "message", "half"))
                .event(3, "output", Map.of("stream", "stdout", "line", "built"))
                .event(4, "status", Map.of("name", "phase", "value", "rollout"))
                .event(5, "state", Map.of("state", state)).end());
        api.json("GET", "/api/v1/runs/01RUN", 200, run(state, 42));
    }

    @Test
    void aloneItInvokesWithTheArgumentsAndPrintsTheRunId() throws Exception {
        api.json("POST", "/api/v1/runs", 201, run("QUEUED", null));

        CliRunner r = steward("run", "deploy.groovy", "--args-json", "{\"hosts\": 3, \"who\": \"json\"}", "--arg", "who=me",
                "--timeout", "90s", "--version", "2");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("01RUN\n");
        FakeApi.Request invoke = api.requests("POST", "/api/v1/runs").getFirst();
        assertThat(invoke.json()).isEqualTo(Map.of("script", "deploy.groovy", "version", 2,
                "args", Map.of("hosts", 3, "who", "me"), "timeout", "90s"));
        assertThat(invoke.query()).isEmpty();
        assertThat(invoke.header("Authorization")).isEqualTo("Bearer t0k");
    }

    @ParameterizedTest
    @CsvSource({"SUCCEEDED, 0", "FAILED, 1", "CANCELLED, 3", "TIMED_OUT, 4", "LOST, 5"})
    void followPrintsEventsLiveAndExitsWithTheOutcome(String state, int exitCode) {
        api.json("POST", "/api/v1/runs", 201, run("QUEUED", null));
        streamEndingIn(state);

        CliRunner r = steward("run", "deploy.groovy", "--follow");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(exitCode);
        assertThat(r.out()).contains("run 01RUN of deploy.groovy", "progress [###############...............]  50% half",
                "stdout | built", "status phase = rollout", "state  " + state, "run 01RUN deploy.groovy: " + state + " in 1234 ms");
        if (state.equals("SUCCEEDED")) {
            assertThat(r.out()).contains("result: 42");
        }
        if (state.equals("FAILED")) {
            assertThat(r.out()).contains("error: deploy.groovy:7: boom");
        }
    }

    @Test
    void followWithJsonPrintsAnEventPerLineThenTheRun() throws Exception {
        api.json("POST", "/api/v1/runs", 201, run("QUEUED", null));
        streamEndingIn("SUCCEEDED");

        CliRunner r = steward("run", "deploy.groovy", "--follow", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(6);
        assertThat(CliRunner.object(lines.get(2))).containsEntry("seq", 3).containsEntry("kind", "output")
                .containsEntry("data", Map.of("stream", "stdout", "line", "built"));
        assertThat(CliRunner.object(lines.getLast())).isEqualTo(CliRunner.roundTrip(run("SUCCEEDED", 42)));
    }

    @Test
    void waitAsksTheServerToWaitThenFollowsARunThatOutlastsIt() throws Exception {
        api.json("POST", "/api/v1/runs", 200, run("RUNNING", null));
        api.on("GET", "/api/v1/runs/01RUN/events", (req, reply) ->
                reply.sse().event(3, "log", Map.of("level", "info", "message", "x")).event(4, "state", Map.of("state", "TIMED_OUT")).end());
        api.json("GET", "/api/v1/runs/01RUN", 200, run("TIMED_OUT", null));

        CliRunner r = steward("run", "deploy.groovy", "--wait", "--json");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
        assertThat(r.json()).containsEntry("state", "TIMED_OUT").containsEntry("id", "01RUN");
        assertThat(api.requests("POST", "/api/v1/runs").getFirst().query()).isEqualTo(Map.of("wait", "30s"));
        assertThat(api.requests("GET", "/api/v1/runs/01RUN/events").getFirst().query()).isEqualTo(Map.of("after", "2"));
    }

    @Test
    void waitForAShortRunIsOneRequest() {
        api.json("POST", "/api/v1/runs", 201, run("SUCCEEDED", Map.of("hosts", 4)));

        CliRunner r = steward("run", "deploy.groovy", "--wait");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("run 01RUN deploy.groovy: SUCCEEDED in 1234 ms", "result: {");
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void usageErrorsExitWithTwoAndSendNothing() {
        CliRunner both = steward("run", "deploy.groovy", "--wait", "--follow");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");

        CliRunner bareNumber = steward("run", "deploy.groovy", "--timeout", "30");
        assertThat(bareNumber.exitCode()).isEqualTo(2);
        assertThat(bareNumber.err()).contains("'30' needs a unit");

        CliRunner badJson = steward("run", "deploy.groovy", "--args-json", "[1]");
        assertThat(badJson.exitCode()).isEqualTo(2);
        assertThat(badJson.err()).contains("--args-json must be a JSON object");

        assertThat(api.requests()).isEmpty();
    }

    @Test
    void theServersRefusalIsItsMessageWithoutAStackTrace() {
        api.on("POST", "/api/v1/runs", (req, reply) -> reply.error(404, "not_found", "no script 'deploy.groovy'"));

        CliRunner r = steward("run", "deploy.groovy", "--follow");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: no script 'deploy.groovy'\n");
    }
}
