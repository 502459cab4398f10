package io.steward.cli;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunSnapshot;
import io.steward.engine.DirectoryScriptSource;
import io.steward.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code steward run-local FILE}: runs a script file on this machine, without a server, and follows it. */
@Command(name = "run-local", mixinStandardHelpOptions = true,
        description = "Run a script file here, in-process, and follow its events (no server needed).")
final class RunLocalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The script, e.g. examples/hello.groovy.")
    Path file;

    @Option(names = "--arg", paramLabel = "KEY=VALUE", description = "An argument (repeatable).")
    Map<String, String> arg = new LinkedHashMap<>();

    @Option(names = "--args-json", paramLabel = "JSON", description = "Arguments as a JSON object.")
    String argsJson;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop the run after this many seconds.")
    Long timeoutSeconds;

    @Option(names = "--json", description = "Print the final run as JSON instead of following it.")
    boolean json;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // The file named here is the user's own choice, so a link to it is followed (once, here); what it includes
        // is then confined to the folder it really lives in, links out of that folder refused (ConfinedDirectory).
        Path script = java.nio.file.Files.exists(file) ? file.toRealPath() : file.toAbsolutePath().normalize();
        Map<String, Object> args = new LinkedHashMap<>(argsJson == null ? Map.of() : Json.readObject(argsJson, "--args-json"));
        args.putAll(arg);
        Engine engine = new Engine();
        try (Coordinator coordinator = Coordinator.builder().engine(engine)
                .scripts(new DirectoryScriptSource(script.getParent(), engine.extensions())).build()) {
            InvokeRequest request = new InvokeRequest(script.getFileName().toString(), 0, args,
                    timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds), System.getProperty("user.name"));
            RunSnapshot end = LocalRunner.follow(coordinator, request, out, json);
            out.println(json ? Json.write(end.toMap()) : Summary.of(end.toMap(), Terminal.of(out)));
            out.flush();
            return ExitCodes.of(end.state().name());
        }
    }
}
