package io.steward.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A representative short command for the JVM to record the classes of: {@code bin/steward} runs this main under
 * {@code -XX:ArchiveClassesAtExit} when the jar is new, and starts every short command with the archive it leaves
 * (application class-data sharing: the classes come parsed and verified from a mapped file instead of the jar).
 *
 * <p>It does what {@code steward run NAME --wait} does, in-process and silently, against a stand-in server on a free
 * loopback port that answers the invoke with a finished run, so that the archive holds the command line, the HTTP
 * client and both directions of JSON without a real primary. It also prints {@code --help} and {@code --version}.
 * The stand-in's own classes ({@code com.sun.net.httpserver}) end up in the archive too; they cost a few hundred
 * KiB of a file that is mapped, not read, and are never loaded by a command.
 *
 * <p>Exit code 0 when every command did what it should; anything else and {@code bin/steward} keeps no archive.
 */
public final class StartupTraining {
    private static final String RUN = """
            {"id":"01TRAINING0000000000000000","script":"training.groovy","version":1,"state":"SUCCEEDED","args":{},\
            "shared":{},"status":{"values":{"ok":true},"progress":null},"threads":[],"threadsStarted":1,"processes":[],\
            "result":null,"error":null,"node":"training","parent":null,"children":[],"invoker":"admin",\
            "createdAt":"2026-01-01T00:00:00.000000001Z","startedAt":"2026-01-01T00:00:00.000000002Z",\
            "endedAt":"2026-01-01T00:00:00.000000003Z","durationMs":0,"lastSeq":6}""";

    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("picocli.disable.closures", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/runs", StartupTraining::answer);
        server.start();
        Path home = Files.createTempDirectory("steward-training");
        int failures = 0;
        try {
            // no variables at all: the user's STEWARD_* must neither steer nor be read by the training
            Environment environment = new Environment(Map.of(), home);
            String url = "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
            failures += expect(0, environment, "run", "training.groovy", "--wait", "--server", url, "--token", "training");
            failures += expect(0, environment, "run", "training.groovy", "--wait", "--json", "--server", url, "--token", "training");
            failures += expect(0, environment, "--version");
            failures += expect(0, environment, "--help");
        } finally {
            server.stop(0);
            Files.deleteIfExists(home);
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    private static int expect(int code, Environment environment, String... args) {
        var cli = Steward.commandLine(environment, null, Steward.commandName(args));
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        cli.setOut(nowhere);
        cli.setErr(nowhere);
        int actual = cli.execute(args);
        if (actual != code) {
            System.err.println("steward training: " + String.join(" ", args) + " exited " + actual + ", not " + code);
            return 1;
        }
        return 0;
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] body = RUN.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("POST") ? 201 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
