package io.steward.cli;

import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunSnapshot;
import io.steward.server.StewardServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code steward demo}: a primary with embedded defaults (H2 in the data folder, loopback only), the example
 * scripts pushed into its store, one of them run with live progress; then it keeps serving until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a primary with embedded defaults, push the example scripts, run one live, keep serving.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions options;

    @Option(names = "--examples", paramLabel = "DIR",
            description = "Folder of example scripts (default: $STEWARD_HOME/examples, or ./examples).")
    Path examples;

    @Option(names = "--script", paramLabel = "NAME", description = "The example to run (default ${DEFAULT-VALUE}).")
    String script = "deploy.groovy";

    @Option(names = "--exit", description = "Stop after the example run instead of serving until Ctrl-C.")
    boolean exit;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = examples != null ? examples : defaultExamples();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no examples folder at " + dir + ": pass --examples DIR");
        }
        Terminal terminal = Terminal.of(out);
        try (UntilStopped running = new UntilStopped(); StewardServer server = Servers.start(options.config(Steward.of(spec).environment))) {
            out.println(terminal.bold("Steward " + io.steward.coordinator.NodeInfo.VERSION) + " primary at "
                    + server.url() + " on node " + server.coordinator().node().name());
            for (Path file : scripts(dir)) {
                String name = dir.relativize(file).toString().replace('\\', '/');
                var pushed = server.store().scripts().push(name, Files.readString(file), "demo");
                out.println("pushed " + name + " v" + pushed.version() + (pushed.created() ? "" : " (unchanged)"));
            }
            out.println();
            out.println(terminal.bold("== running " + script));
            RunSnapshot end = LocalRunner.follow(server.coordinator(),
                    InvokeRequest.of(script, Map.of("who", System.getProperty("user.name", "you"))).withInvoker("demo"),
                    out, false);
            out.println(Summary.of(end.toMap(), terminal));
            out.println();
            out.println("API:   " + server.url() + "/api/v1  (OpenAPI at /api/v1/openapi.json)");
            out.println("Token: " + server.adminToken() + "  (also in " + server.adminTokenFile() + ")");
            out.println("Try:   bin/steward run hello.groovy --follow     bin/steward runs");
            out.flush();
            if (!exit) {
                out.println(terminal.dim("serving until Ctrl-C"));
                out.flush();
                running.await();
            }
            return ExitCodes.of(end.state().name());
        }
    }

    private static List<Path> scripts(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".groovy") || p.toString().endsWith(".js")).sorted().toList();
        }
    }

    private static Path defaultExamples() {
        String home = System.getenv("STEWARD_HOME");
        return home != null ? Path.of(home, "examples") : Path.of("examples");
    }
}
