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
            description = "The Steward server (default: $STEWARD_SERVER, else the current context's (steward login), "
                    + "else <data>/server.url, else http://127.0.0.1:7640).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The API token (default: $STEWARD_TOKEN, else the one stored by steward login for this server, "
                    + "else <data>/admin.token for this machine's server). Prefer the variable: other users can see command lines.")
    String token;

    @Option(names = "--context", paramLabel = "NAME",
            description = "Use this stored context's server and token (default: $STEWARD_CONTEXT, else the current one).")
    String context;

    @Option(names = "--data", paramLabel = "DIR",
            description = "The data directory of this machine's server (default: $STEWARD_DATA, else ~/.steward).")
    Path data;

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "The CA certificate (PEM) an https server's certificate must chain to (default: $STEWARD_CA_CERT, "
                    + "else the one stored by steward login, else the JDK's CA store). See docs/tls.md.")
    Path caCert;

    @Option(names = "--json", description = "Print machine-readable JSON (the API's) instead of text.")
    boolean json;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    /** A client of the server these options (and the environment, the contexts, the data directory) name. */
    StewardClient connect() {
        return connection().client();
    }

    /**
     * Where to connect. In the shell its connection stands in for everything but this command's own flags, so that a
     * {@code --server} typed there is resolved afresh and never gets the shell's token.
     */
    Connection connection() {
        Steward root = Steward.of(command);
        String s = server != null ? server : root.server;
        String t = token != null ? token : root.token;
        String c = context != null ? context : root.context;
        if (root.session != null && s == null && t == null && c == null && data == null) {
            return root.session.withCaCert(caCert, root.environment);
        }
        return Connection.resolve(s, t, c, data, root.environment).withCaCert(caCert, root.environment);
    }

    /** Where notes that are not the command's output go (standard error). */
    PrintWriter err() {
        return command.commandLine().getErr();
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
