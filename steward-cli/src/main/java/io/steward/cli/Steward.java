package io.steward.cli;

import io.steward.coordinator.NodeInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

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
        description = "Networked process management: scripts, runs, status, agents.")
public final class Steward {
    /**
     * Every command by name, in the order {@code steward --help} lists them. They are added to the command line here
     * rather than in {@code @Command(subcommands = …)} so that one invocation can build the model of the one command
     * it runs (see {@link #main}): picocli reflects over every option of every command it is given, and for all of
     * them that is about a third of a short command's wall time in a fresh JVM. The names must be the commands' own
     * {@code @Command(name)}; {@code CommandsByNameTest} checks it.
     */
    static final Map<String, Class<?>> COMMANDS = commands();

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> c = new LinkedHashMap<>();
        c.put("server", ServerCommand.class);
        c.put("script", ScriptCommand.class);
        c.put("run", RunCommand.class);
        c.put("runs", RunsCommand.class);
        c.put("status", StatusCommand.class);
        c.put("shared", SharedCommand.class);
        c.put("watch", WatchCommand.class);
        c.put("logs", LogsCommand.class);
        c.put("cancel", CancelCommand.class);
        c.put("send", SendCommand.class);
        c.put("server-info", ServerInfoCommand.class);
        c.put("nodes", NodesCommand.class);
        c.put("cluster", ClusterCommand.class);
        c.put("token", TokenCommand.class);
        c.put("schedule", ScheduleCommand.class);
        c.put("notify", NotifyCommand.class);
        c.put("login", LoginCommand.class);
        c.put("logout", LogoutCommand.class);
        c.put("context", ContextCommand.class);
        c.put("shell", ShellCommand.class);
        c.put("node", NodeCommand.class);
        c.put("var", VarCommand.class);
        c.put("lock", LockCommand.class);
        c.put("queue", QueueCommand.class);
        c.put("pool", PoolCommand.class);
        c.put("agent", AgentCommand.class);
        c.put("demo", DemoCommand.class);
        c.put("tls", TlsCommand.class);
        c.put("run-local", RunLocalCommand.class);
        c.put("help", CommandLine.HelpCommand.class);
        return Collections.unmodifiableMap(c);
    }

    /** The options of this command that take a value, to step over when looking for the command name in the arguments. */
    private static final Set<String> VALUED_OPTIONS = Set.of("--server", "--token", "--context");

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

    /**
     * One command in a fresh JVM: only the command named in {@code args} is given to picocli (all of them when none
     * is, e.g. {@code steward --help}, {@code steward help run} or a mistyped name, so that usage and suggestions
     * stay whole). Picocli's support for Groovy closures in annotations is switched off: we have none, and looking
     * for them loads Groovy's runtime, which the jar carries for scripts, into every command.
     */
    public static void main(String[] args) {
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
        System.exit(commandLine(Environment.system(), null, commandName(args)).execute(args));
    }

    static CommandLine commandLine() {
        return commandLine(Environment.system(), null);
    }

    /** The command line with every command (the shell, its completion, tests). */
    static CommandLine commandLine(Environment environment, Connection session) {
        return commandLine(environment, session, null);
    }

    /** With only the command {@code only} when it is one of {@link #COMMANDS} other than {@code help}, else all. */
    static CommandLine commandLine(Environment environment, Connection session, String only) {
        CommandLine cli = new CommandLine(new Steward(environment, session));
        Class<?> one = only == null || only.equals("help") ? null : COMMANDS.get(only);
        if (one != null) {
            cli.addSubcommand(only, one);
        } else {
            COMMANDS.forEach(cli::addSubcommand);
        }
        cli.setExecutionExceptionHandler(new ErrorHandler());
        // Arguments are data: picocli would read "@FILE" as the file's lines (Jenkins CVE-2024-23897 leaked files so)
        cli.setExpandAtFiles(false);
        return cli;
    }

    /**
     * The first argument that is not one of this command's own options (nor the value of one), or null: the name of
     * the command to run when it is one. Picocli reads the arguments the same way (options of the top command
     * first, then the command); {@code --opt=value} is one argument.
     */
    static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (VALUED_OPTIONS.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            } else if (a.equals("--")) {
                return null;
            }
        }
        return null;
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
