package io.steward.cli;

import io.steward.testkit.FakeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands other than {@code run} against a fake of the API: requests, human and JSON output, errors. */
class RemoteCommandsTest {
    private FakeApi api;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        api = FakeApi.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private CliRunner steward(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[]{"--server", api.url(), "--token", "t0k"}, 0, all, args.length, 4);
        return CliRunner.run(all);
    }

    @Test
    void serverAndTokenMayComeBeforeTheCommand() {
        api.json("GET", "/api/v1/runs/01RUN", 200, RunCommandTest.run("RUNNING", null));

        CliRunner r = CliRunner.run("--server", api.url(), "--token", "global", "status", "01RUN");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(api.requests().getFirst().header("Authorization")).isEqualTo("Bearer global");
    }

    @Test
    void statusPassesTheServersJsonThroughAndReadsWellForPeople() throws Exception {
        Map<String, Object> run = RunCommandTest.run("RUNNING", null);
        run.put("status", Map.of("values", Map.of("phase", "rollout"), "progress", Map.of("fraction", 0.25, "message", "a quarter")));
        run.put("shared", Map.of("web-1", "up"));
        run.put("threads", List.of(Map.of("name", "run-01RUN/1"), Map.of("name", "run-01RUN/2")));
        run.put("threadsStarted", 5);
        run.put("processes", List.of(Map.of("pid", 4242, "command", "make -j4")));
        run.put("somethingNew", "kept");
        api.json("GET", "/api/v1/runs/01RUN", 200, run);

        CliRunner json = steward("status", "01RUN", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.json()).isEqualTo(CliRunner.roundTrip(run));

        CliRunner human = steward("status", "01RUN");
        assertThat(human.out()).contains("run 01RUN  deploy.groovy v3  RUNNING", "progress [#######", "25% a quarter",
                "status   phase = rollout", "shared   web-1 = up", "threads  2 live, 5 started", "process  4242  make -j4");
    }

    @Test
    void runsListsATableAndTheCursorOfTheNextPage() throws Exception {
        api.json("GET", "/api/v1/runs", 200, Map.of("runs", List.of(RunCommandTest.run("FAILED", null)), "next", "c2"));

        CliRunner human = steward("runs", "--state", "failed", "--script", "deploy.groovy", "--limit", "1");
        assertThat(human.exitCode()).as(human.err()).isZero();
        assertThat(human.out()).contains("ID", "SCRIPT", "01RUN", "deploy.groovy v3", "FAILED", "1.2 s", "more: steward runs --cursor c2");
        assertThat(api.requests().getFirst().query()).isEqualTo(Map.of("state", "FAILED", "script", "deploy.groovy", "limit", "1"));

        CliRunner json = steward("runs", "--json");
        assertThat(json.json()).containsEntry("next", "c2").containsKey("runs");
    }

    @Test
    void cancelAndItsConflict() {
        api.json("POST", "/api/v1/runs/01RUN/cancel", 200, RunCommandTest.run("RUNNING", null));
        api.on("POST", "/api/v1/runs/01OLD/cancel", (req, reply) -> reply.error(409, "conflict", "run 01OLD has already ended (SUCCEEDED)"));

        CliRunner r = steward("cancel", "01RUN");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("cancelling run 01RUN");

        CliRunner ended = steward("cancel", "01OLD");
        assertThat(ended.exitCode()).isEqualTo(2);
        assertThat(ended.err()).isEqualTo("error: run 01OLD has already ended (SUCCEEDED)\n");
    }

    @Test
    void tokenCreateJsonIsExactlyNameRoleAndToken() throws Exception {
        api.json("POST", "/api/v1/tokens", 201, Map.of("name", "ci", "role", "operator", "token", "stw_abc", "createdAt", "2025-01-01T00:00:00Z"));
        api.json("GET", "/api/v1/tokens", 200, Map.of("tokens", List.of(Map.of("name", "ci", "role", "operator",
                "createdAt", "2025-01-01T00:00:00Z", "createdBy", "admin"))));
        api.json("DELETE", "/api/v1/tokens/ci", 200, Map.of("name", "ci", "revoked", true));

        CliRunner create = steward("token", "create", "--role", "operator", "--name", "ci", "--json");
        assertThat(create.exitCode()).as(create.err()).isZero();
        assertThat(create.json()).isEqualTo(Map.of("name", "ci", "role", "operator", "token", "stw_abc"));
        assertThat(api.requests("POST", "/api/v1/tokens").getFirst().json()).isEqualTo(Map.of("name", "ci", "role", "operator"));

        assertThat(steward("token", "create", "--role", "operator", "--name", "ci").out()).contains("stw_abc", "shown only now");
        assertThat(steward("token", "list").out()).contains("NAME", "ci", "operator", "admin").doesNotContain("stw_abc");
        assertThat(steward("token", "revoke", "ci").out()).contains("revoked token ci");
        assertThat(steward("token", "create", "--name", "x").exitCode()).as("--role is required").isEqualTo(2);
    }

    @Test
    void scriptPushNamesFilesByTheirPathAndReadsAllBeforePushingAny() throws Exception {
        api.on("POST", "/api/v1/scripts", (req, reply) -> {
            Map<String, Object> body = req.json();
            reply.json(201, Map.of("name", body.get("name"), "version", 1, "sha256", "0123456789abcdef", "language", "groovy", "created", true));
        });
        Path file = Files.writeString(dir.resolve("hello.groovy"), "println 'hi'");

        CliRunner named = steward("script", "push", file.toString(), "--name", "lib/hello.groovy");
        assertThat(named.exitCode()).as(named.err()).isZero();
        assertThat(named.out()).isEqualTo("pushed lib/hello.groovy v1 (groovy, sha256 0123456789ab)\n");
        assertThat(api.requests().getFirst().json()).isEqualTo(Map.of("name", "lib/hello.groovy", "source", "println 'hi'"));

        CliRunner absolute = steward("script", "push", file.toString(), "--json");
        assertThat((List<?>) absolute.json().get("pushed")).hasSize(1);
        assertThat(api.requests().get(1).json()).containsEntry("name", "hello.groovy");

        CliRunner missing = steward("script", "push", file.toString(), dir.resolve("nope.groovy").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file: " + dir.resolve("nope.groovy"));
        CliRunner twoNamed = steward("script", "push", file.toString(), file.toString(), "--name", "x.groovy");
        assertThat(twoNamed.exitCode()).isEqualTo(2);
        assertThat(api.requests()).hasSize(2);
    }

    @Test
    void scriptListShowHistoryAndRemove() {
        api.json("GET", "/api/v1/scripts", 200, Map.of("scripts", List.of(Map.of("name", "deploy/web.groovy", "version", 2,
                "language", "groovy", "author", "admin", "createdAt", "2025-01-01T00:00:00Z"))));
        api.json("GET", "/api/v1/scripts/deploy/web.groovy", 200, Map.of("name", "deploy/web.groovy", "version", 1, "source", "1 + 1"));
        api.json("GET", "/api/v1/scripts/deploy/web.groovy/history", 200, Map.of("name", "deploy/web.groovy",
                "versions", List.of(Map.of("version", 1, "sha256", "aaaaaaaaaaaaaaaa", "author", "admin"))));
        api.json("DELETE", "/api/v1/scripts/deploy/web.groovy", 200, Map.of("name", "deploy/web.groovy", "deleted", true));

        assertThat(steward("script", "list").out()).contains("deploy/web.groovy", "groovy", "admin");
        CliRunner show = steward("script", "show", "deploy/web.groovy", "--version", "1");
        assertThat(show.out()).isEqualTo("1 + 1\n");
        assertThat(api.requests("GET", "/api/v1/scripts/deploy/web.groovy").getFirst().query()).isEqualTo(Map.of("version", "1"));
        assertThat(steward("script", "history", "deploy/web.groovy").out()).contains("VERSION", "aaaaaaaaaaaa", "admin");
        assertThat(steward("script", "rm", "deploy/web.groovy").out()).contains("deleted deploy/web.groovy");
        assertThat(steward("script").exitCode()).as("a group without a command").isEqualTo(2);
    }

    @Test
    void logsReadsByOffsetsAndFollowsUntilTheRunWritesNoMore() throws Exception {
        byte[] all = "line 1\nline 2\nline 3\n".getBytes(StandardCharsets.UTF_8);
        AtomicInteger written = new AtomicInteger(7);
        api.on("GET", "/api/v1/runs/01RUN/output", (req, reply) -> {
            int offset = Integer.parseInt(req.query().get("offset"));
            int end = Math.min(written.get(), all.length);
            boolean more = end < all.length;
            written.addAndGet(7);
            reply.bytes(200, "text/plain", java.util.Arrays.copyOfRange(all, offset, end),
                    Map.of("X-Next-Offset", String.valueOf(end), "X-More", String.valueOf(more)));
        });

        CliRunner follow = steward("logs", "01RUN", "--follow", "--interval", "1ms");

        assertThat(follow.exitCode()).as(follow.err()).isZero();
        assertThat(follow.out()).isEqualTo("line 1\nline 2\nline 3\n");

        CliRunner json = steward("logs", "01RUN", "--offset", "7", "--json");
        Map<String, Object> piece = json.json();
        assertThat(piece.get("text")).isEqualTo("line 2\nline 3\n");
        assertThat(piece.get("offset")).isEqualTo(7);
        assertThat(piece.get("nextOffset")).isEqualTo(21);
        assertThat(piece.get("more")).isEqualTo(false);
    }

    @Test
    void watchWithoutATerminalPrintsALinePerChangeAndExitsWithTheOutcome() {
        List<Map<String, Object>> polls = new java.util.ArrayList<>();
        for (String phase : new String[]{"build", "build", "rollout"}) {
            Map<String, Object> run = RunCommandTest.run("RUNNING", null);
            run.put("status", Map.of("values", Map.of("phase", phase)));
            polls.add(run);
        }
        Map<String, Object> end = new LinkedHashMap<>(RunCommandTest.run("CANCELLED", null));
        end.put("status", Map.of("values", Map.of("phase", "rollout")));
        polls.add(end);
        AtomicInteger poll = new AtomicInteger();
        api.on("GET", "/api/v1/runs/01RUN", (req, reply) -> reply.json(200, polls.get(Math.min(poll.getAndIncrement(), 3))));

        CliRunner r = steward("watch", "01RUN", "--interval", "1ms");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.out().lines().toList()).containsExactly("state    RUNNING", "status   phase = build", "threads  0 live",
                "status   phase = rollout", "state    CANCELLED", "run 01RUN deploy.groovy: CANCELLED in 1234 ms");
    }

    @Test
    void serverInfoAndNodes() throws Exception {
        Map<String, Object> server = new LinkedHashMap<>(Map.of("name", "primary", "host", "box", "os", "Linux",
                "arch", "amd64", "cpus", 2, "memoryBytes", 8L << 30, "load", 0.5, "jvm", "25", "version", "0.1.0"));
        server.put("runs", Map.of("active", 1, "byState", Map.of("SUCCEEDED", 3)));
        server.put("launcher", Map.of("loaded", true));
        api.json("GET", "/api/v1/server", 200, server);
        api.json("GET", "/api/v1/nodes", 200, Map.of("nodes", List.of(Map.of("name", "primary", "state", "online",
                "labels", Map.of(), "info", Map.of("host", "box", "os", "Linux", "arch", "amd64", "cpus", 2)))));

        assertThat(steward("server-info").out()).contains("primary", "Steward 0.1.0", "8.0 GiB", "1 active", "launcher  loaded");
        assertThat(steward("server-info", "--json").json()).containsEntry("cpus", 2);
        assertThat(steward("nodes").out()).contains("primary", "online", "box", "Linux/amd64");
        // The issue asks for a plain list of {name, state, labels, lastSeen, info} here.
        List<?> nodes = new com.fasterxml.jackson.databind.ObjectMapper().readValue(steward("nodes", "--json").out(), List.class);
        assertThat(nodes).singleElement().satisfies(n -> assertThat(((Map<?, ?>) n).get("name")).isEqualTo("primary"));
    }

    @Test
    void nodeShowsOneNodeAndApprovesOrRevokesAgents() throws Exception {
        Map<String, Object> pending = Map.of("name", "web-1", "state", "pending", "labels", Map.of("role", "web"),
                "lastSeen", "2026-11-25T08:00:00Z", "running", 0, "info", Map.of("host", "web-1", "cpus", 2));
        api.json("GET", "/api/v1/nodes/web-1", 200, pending);
        api.json("POST", "/api/v1/nodes/web-1/approve", 200, Map.of("name", "web-1", "state", "online"));
        api.json("POST", "/api/v1/nodes/web-1/revoke", 200, Map.of("name", "web-1", "state", "revoked"));

        assertThat(steward("node", "web-1", "--json").json()).containsEntry("state", "pending");
        assertThat(steward("node", "web-1").out()).contains("web-1", "pending", "role=web");
        assertThat(steward("node", "approve", "web-1").out()).contains("web-1 approved (now online)");
        assertThat(steward("node", "revoke", "web-1").out()).contains("web-1 revoked (now revoked)");
        assertThat(steward("node").exitCode()).isEqualTo(2);
    }

    @Test
    void aRejectedTokenSaysHowToGiveOne() {
        api.on("GET", "/api/v1/runs/01RUN", (req, reply) -> reply.error(401, "unauthorized", "unknown or revoked token"));

        CliRunner r = steward("status", "01RUN");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: unknown or revoked token — pass --token TOKEN or set STEWARD_TOKEN")
                .doesNotContain("at io.steward");
        assertThat(steward("status", "01RUN", "--verbose").err()).contains("StewardApiException", "at io.steward");
        assertThat(CliRunner.run("--verbose", "status", "01RUN", "--server", api.url()).err()).contains("at io.steward");
    }

    @Test
    void anUnreachableServerIsNamedWithTheFix() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        CliRunner r = CliRunner.run("runs", "--server", "http://127.0.0.1:" + port, "--token", "t");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: cannot reach the Steward server at http://127.0.0.1:" + port
                + ": connection refused — is it running? (start it with `steward server`)\n");
    }

    @Test
    void everyCommandHasHelpWithTheServerOptions() {
        String[][] commands = {{"run"}, {"runs"}, {"status"}, {"watch"}, {"logs"}, {"cancel"}, {"server-info"}, {"nodes"},
                {"script", "push"}, {"script", "list"}, {"script", "show"}, {"script", "history"}, {"script", "rm"},
                {"token", "create"}, {"token", "list"}, {"token", "revoke"}};
        for (String[] command : commands) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            CliRunner r = CliRunner.run(args);
            assertThat(r.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(r.out()).as(String.join(" ", command)).contains("--server", "--token", "--json", "--help");
        }
        assertThat(CliRunner.run("--help").out()).contains("script", "runs", "watch", "token", "server-info", "run-local");
    }
}
