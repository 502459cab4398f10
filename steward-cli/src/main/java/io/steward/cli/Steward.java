package io.steward.cli;

import io.steward.coordinator.NodeInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code steward} command. Exit codes: 0 success, 1 the run failed, 2 usage error, 3–5 see {@link ExitCodes}. */
@Command(name = "steward", mixinStandardHelpOptions = true, versionProvider = Steward.Version.class,
        description = "Networked process management: scripts, runs, status, agents.",
        subcommands = {DemoCommand.class, ServerCommand.class, RunLocalCommand.class, CommandLine.HelpCommand.class})
public final class Steward {

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
