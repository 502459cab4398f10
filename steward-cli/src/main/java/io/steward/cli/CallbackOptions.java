package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of the commands a run's local process calls back with ({@code status set|event|progress},
 * {@code shared put}), a picocli mixin: which run, which server, which token. Every process a run starts has all
 * three in its environment ({@code STEWARD_RUN_ID}, {@code STEWARD_SERVER}, {@code STEWARD_TOKEN}), so inside a run
 * none is needed. Unlike {@link RemoteOptions} there is no {@code --data}: {@code status event} uses that name for
 * the event's data, and a process never needs this machine's admin token (outside a run, {@code $STEWARD_DATA} still
 * finds it).
 */
final class CallbackOptions {
    static final String RUN_VARIABLE = "STEWARD_RUN_ID";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--run", paramLabel = "ID",
            description = "The run to act on (default: $STEWARD_RUN_ID, set in every process a run starts).")
    String run;

    @Option(names = "--server", paramLabel = "URL",
            description = "The Steward server (default: $STEWARD_SERVER, set in every process a run starts).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The token (default: $STEWARD_TOKEN, the run's own token in a process it started).")
    String token;

    @Option(names = "--json", description = "Print the server's answer as JSON (by default nothing is printed).")
    boolean json;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    /** The run id, or an error that says where it comes from. */
    String runId() {
        String id = run != null && !run.isBlank() ? run.strip() : Steward.of(command).environment.get(RUN_VARIABLE);
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("no run to act on: this command is for processes a run started "
                    + "(they have $" + RUN_VARIABLE + "); elsewhere give --run ID");
        }
        return id.strip();
    }

    StewardClient connect() {
        // No context and no data directory: inside a run the environment names the run's own server and token.
        Steward root = Steward.of(command);
        Connection config = Connection.resolve(server != null ? server : root.server, token != null ? token : root.token,
                null, null, root.environment);
        return config.withCaCert(null, root.environment).client(); // STEWARD_CA_CERT for an https primary with a private CA
    }

    /** Prints the answer when {@code --json} asks; a process's output is its run's output, so nothing otherwise. */
    void print(Object answer) {
        if (json) {
            command.commandLine().getOut().println(Json.write(answer));
            command.commandLine().getOut().flush();
        }
    }
}
