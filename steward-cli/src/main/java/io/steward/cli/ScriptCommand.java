package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code steward script …}: the script store. Push is its own class; the small read and delete commands live here. */
@Command(name = "script", mixinStandardHelpOptions = true, description = "Manage the stored scripts.",
        subcommands = {ScriptPushCommand.class, ScriptCommand.ListScripts.class, ScriptCommand.Show.class,
                ScriptCommand.History.class, ScriptCommand.Remove.class, ScriptPolicyCommand.class})
final class ScriptCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to do: push, list, show, history, rm or policy");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the scripts (their latest versions).")
    static final class ListScripts implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                List<Map<String, Object>> scripts = client.scripts();
                if (remote.json) {
                    remote.printJson(Map.of("scripts", scripts));
                    return ExitCodes.OK;
                }
                Table table = new Table("NAME", "VERSION", "LANGUAGE", "AUTHOR", "CREATED");
                scripts.forEach(s -> table.row(s.get("name"), s.get("version"), s.get("language"), s.get("author"),
                        Format.time(s.get("createdAt"))));
                if (table.isEmpty()) {
                    remote.out().println("no scripts: store one with `steward script push FILE`");
                    remote.out().flush();
                } else {
                    table.print(remote.out(), remote.terminal());
                }
                return ExitCodes.OK;
            }
        }
    }

    /** Prints only the source, so that {@code steward script show x.groovy > x.groovy} gives back the file. */
    @Command(name = "show", description = "Print a script's source (--json: with its version, author, hash).")
    static final class Show implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        // no mixinStandardHelpOptions: its --version would take the name this command needs for the script version
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Parameters(index = "0", paramLabel = "NAME", description = "The script, e.g. deploy/web.groovy.")
        String name;

        @Option(names = "--version", paramLabel = "N", description = "This version (default: the latest).")
        Integer version;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> script = client.script(name, version);
                if (remote.json) {
                    remote.printJson(script);
                } else {
                    String source = String.valueOf(script.get("source"));
                    remote.out().print(source.endsWith("\n") || source.isEmpty() ? source : source + "\n");
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "List every version of a script.")
    static final class History implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Parameters(index = "0", paramLabel = "NAME", description = "The script.")
        String name;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                List<Map<String, Object>> versions = client.history(name);
                if (remote.json) {
                    remote.printJson(Map.of("name", name, "versions", versions));
                    return ExitCodes.OK;
                }
                Table table = new Table("VERSION", "SHA256", "AUTHOR", "CREATED");
                versions.forEach(v -> table.row(v.get("version"), ScriptPushCommand.shortHash(v.get("sha256")),
                        v.get("author"), Format.time(v.get("createdAt"))));
                table.print(remote.out(), remote.terminal());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Delete a script: it can no longer be run, but its versions stay readable.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Parameters(index = "0", paramLabel = "NAME", description = "The script.")
        String name;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> answer = client.deleteScript(name);
                if (remote.json) {
                    remote.printJson(answer);
                } else {
                    remote.out().println("deleted " + name + " (its versions stay readable with `steward script show`)");
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }
}
