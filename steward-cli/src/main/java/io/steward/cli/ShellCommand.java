package io.steward.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code steward shell [URL]}: an interactive console on one server at a time ({@link Shell}). */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"An interactive console on a server: run, status, watch, logs, nodes, … and connect URL.",
                "Its commands take the same options as here. Tab completes commands, scripts, run ids and node names;",
                "history is kept in ~/.config/steward/history; Ctrl-C stops the running command, Ctrl-D or exit leaves."})
final class ShellCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", arity = "0..1",
            description = "The server to start on (default: as for every command: $STEWARD_SERVER, the current context, this machine's server).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The API token (default: $STEWARD_TOKEN, else the one `steward login` stored for the server).")
    String token;

    @Option(names = "--context", paramLabel = "NAME", description = "Start on this stored context.")
    String context;

    @Override
    public Integer call() throws IOException {
        Steward root = Steward.of(spec);
        Connection start = Connection.resolve(url != null ? url : root.server, token != null ? token : root.token,
                context != null ? context : root.context, null, root.environment);
        return new Shell(root.environment, start).run();
    }
}
