package io.steward.cli;

import io.steward.coordinator.NodeInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code steward} command. Exit codes: 0 success, 1 the run failed, 2 usage error, 3–5 see {@link ExitCodes}.
 *
 * <p>{@code --server} and {@code --token} are accepted here, before any command, as well as on each command that
 * talks to a server ({@link RemoteOptions}); they are plain options of this command rather than picocli's inherited
 * ones so that commands without a server ({@code run-local}) do not offer them and new commands cannot clash.
 */
@Command(name = "steward", mixinStandardHelpOptions = true, versionProvider = Steward.Version.class,
        description = "Networked process management: scripts, runs, status, agents.",
        subcommands = {ServerCommand.class, ScriptCommand.class, RunCommand.class, RunsCommand.class, StatusCommand.class, SharedCommand.class,
                WatchCommand.class, LogsCommand.class, CancelCommand.class, SendCommand.class, ServerInfoCommand.class, NodesCommand.class,
                TokenCommand.class, NodeCommand.class, AgentCommand.class, DemoCommand.class, RunLocalCommand.class, CommandLine.HelpCommand.class})
public final class Steward {
    @Option(names = "--server", paramLabel = "URL", description = "The Steward server, for every command (see their --help).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The API token, for every command (see their --help).")
    String token;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Steward());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"steward " + NodeInfo.VERSION + " (Java " + Runtime.version() + ")"};
        }
    }
}
