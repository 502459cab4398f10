package io.steward.cli;

import io.steward.coordinator.NodeInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code steward} command. Exit codes: 0 success, 1 the run failed, 2 usage error, 3–5 see {@link ExitCodes}.
 *
 * <p>{@code --server}, {@code --token} and {@code --context} are accepted here, before any command, as well as on each
 * command that talks to a server ({@link RemoteOptions}); they are plain options of this command rather than
 * picocli's inherited ones so that commands without a server ({@code run-local}) do not offer them and new commands
 * cannot clash.
 *
 * <p>Two fields are not options: the {@link Environment} every command reads instead of {@code System.getenv()}, and
 * the {@link #session} that {@code steward shell} gives the commands it runs.
 */
@Command(name = "steward", mixinStandardHelpOptions = true, versionProvider = Steward.Version.class,
        description = "Networked process management: scripts, runs, status, agents.",
        subcommands = {ServerCommand.class, ScriptCommand.class, RunCommand.class, RunsCommand.class, StatusCommand.class, SharedCommand.class,
                WatchCommand.class, LogsCommand.class, CancelCommand.class, SendCommand.class, ServerInfoCommand.class, NodesCommand.class,
                TokenCommand.class, LoginCommand.class, LogoutCommand.class, ContextCommand.class, ShellCommand.class,
                NodeCommand.class, AgentCommand.class, DemoCommand.class, RunLocalCommand.class, CommandLine.HelpCommand.class})
public final class Steward {
    @Option(names = "--server", paramLabel = "URL", description = "The Steward server, for every command (see their --help).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The API token, for every command (see their --help).")
    String token;

    @Option(names = "--context", paramLabel = "NAME", description = "Use this stored context (see `steward context list`) for one command.")
    String context;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    final Environment environment;

    /** The shell's connection: what its commands use unless they name a server or token themselves. Else null. */
    final Connection session;

    Steward(Environment environment, Connection session) {
        this.environment = environment;
        this.session = session;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return commandLine(Environment.system(), null);
    }

    static CommandLine commandLine(Environment environment, Connection session) {
        CommandLine cli = new CommandLine(new Steward(environment, session));
        cli.setExecutionExceptionHandler(new ErrorHandler());
        return cli;
    }

    /** The root of the command line {@code spec} belongs to (a stand-in when a command runs on its own). */
    static Steward of(CommandLine.Model.CommandSpec spec) {
        return spec.root().userObject() instanceof Steward s ? s : new Steward(Environment.system(), null);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"steward " + NodeInfo.VERSION + " (Java " + Runtime.version() + ")"};
        }
    }
}
