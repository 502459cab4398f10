package io.steward.cli;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunSnapshot;
import io.steward.engine.DirectoryScriptSource;
import io.steward.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code steward demo}: Steward with embedded defaults. Runs the example scripts through the engine with live
 * progress, so a first-time user sees script threads, local processes and status data at work.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the example scripts with live progress (embedded defaults, nothing to set up).")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--examples", paramLabel = "DIR",
            description = "Folder of example scripts (default: $STEWARD_HOME/examples, or ./examples).")
    Path examples;

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
        Engine engine = new Engine();
        int worst = ExitCodes.OK;
        try (Coordinator coordinator = Coordinator.builder().engine(engine)
                .scripts(new DirectoryScriptSource(dir, engine.extensions())).build()) {
            out.println(terminal.bold("Steward " + io.steward.coordinator.NodeInfo.VERSION) + " demo on node "
                    + coordinator.node().name() + " (" + coordinator.node().cpus() + " CPUs), scripts from " + dir);
            for (String script : new String[]{"hello.groovy", "hello.js", "deploy.groovy"}) {
                out.println();
                out.println(terminal.bold("== " + script));
                RunSnapshot end = LocalRunner.follow(coordinator,
                        InvokeRequest.of(script, Map.of("who", System.getProperty("user.name", "you"))), out, false);
                out.println(Summary.of(end.toMap(), terminal));
                worst = Math.max(worst, ExitCodes.of(end.state().name()));
            }
        }
        out.flush();
        return worst;
    }

    private static Path defaultExamples() {
        String home = System.getenv("STEWARD_HOME");
        return home != null ? Path.of(home, "examples") : Path.of("examples");
    }
}
