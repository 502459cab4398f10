package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The options of every command that talks to a server (a picocli mixin): where the server is, the token, and how to
 * print. {@code --server} and {@code --token} may also come before the command ({@code steward --server URL runs}),
 * where {@link Steward} holds them; the command's own win. {@link Connection} fills in what neither gives.
 */
final class RemoteOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--server", paramLabel = "URL",
            description = "The Steward server (default: $STEWARD_SERVER, else <data>/server.url, else http://127.0.0.1:7640).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The API token (default: $STEWARD_TOKEN, else <data>/admin.token for this machine's server). "
                    + "Prefer the variable: other users can see command lines.")
    String token;

    @Option(names = "--data", paramLabel = "DIR",
            description = "The data directory of this machine's server (default: $STEWARD_DATA, else ~/.steward).")
    Path data;

    @Option(names = "--json", description = "Print machine-readable JSON (the API's) instead of text.")
    boolean json;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    /** A client of the server these options (and the environment, and the data directory) name. */
    StewardClient connect() {
        Steward root = command.root().userObject() instanceof Steward s ? s : new Steward();
        Connection config = Connection.resolve(server != null ? server : root.server, token != null ? token : root.token,
                data, System.getenv(), Path.of(System.getProperty("user.home")));
        return StewardClient.connect(config.url(), config.token());
    }

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    Terminal terminal() {
        return Terminal.of(out());
    }

    /** Prints one JSON document, indented. */
    void printJson(Object value) {
        out().println(Json.write(value));
        out().flush();
    }
}
