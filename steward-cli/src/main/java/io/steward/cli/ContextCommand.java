package io.steward.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code steward context [list|use|rm]}: the stored contexts ({@link Contexts}). Without a subcommand it shows the
 * current one. Tokens are never printed, only whether one is stored.
 */
@Command(name = "context", mixinStandardHelpOptions = true,
        description = {"Show the current context (the server later commands use), or list, switch and remove the stored ones.",
                "Contexts are made by `steward login URL --name NAME`; --context NAME or $STEWARD_CONTEXT picks one for one command."},
        subcommands = {ContextCommand.ListContexts.class, ContextCommand.Use.class, ContextCommand.Remove.class})
final class ContextCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print {name, server, loggedIn} as JSON ({} when there is no current context).")
    boolean json;

    @Override
    public Integer call() {
        Contexts contexts = ConfigFile.read(Steward.of(spec).environment.configFile());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(contexts.currentContext().map(ContextCommand::describe).orElse(Map.of())));
        } else if (contexts.current() == null) {
            out.println(contexts.all().isEmpty() ? "no context: log in with `steward login URL`"
                    : "no current context: pick one with `steward context use NAME` (see `steward context list`)");
        } else {
            Contexts.Context c = contexts.currentContext().orElseThrow();
            out.println(c.name() + "  " + c.server() + (c.token() == null ? "  (logged out: `steward login " + c.server() + "`)" : ""));
        }
        out.flush();
        return ExitCodes.OK;
    }

    static Map<String, Object> describe(Contexts.Context c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", c.name());
        json.put("server", c.server());
        json.put("loggedIn", c.token() != null);
        return json;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the stored contexts; * marks the current one.")
    static final class ListContexts implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print {current, contexts: [{name, server, loggedIn}]} as JSON.")
        boolean json;

        @Override
        public Integer call() {
            Contexts contexts = ConfigFile.read(Steward.of(spec).environment.configFile());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> all = new ArrayList<>();
                contexts.all().forEach(c -> all.add(describe(c)));
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("current", contexts.current());
                answer.put("contexts", all);
                out.println(Json.write(answer));
                out.flush();
                return ExitCodes.OK;
            }
            if (contexts.all().isEmpty()) {
                out.println("no contexts: log in with `steward login URL`");
                out.flush();
                return ExitCodes.OK;
            }
            Table table = new Table("CURRENT", "NAME", "SERVER", "TOKEN");
            contexts.all().forEach(c -> table.row(c.name().equals(contexts.current()) ? "*" : "", c.name(), c.server(),
                    c.token() == null ? "none (logged out)" : "stored"));
            table.print(out, Terminal.of(out));
            return ExitCodes.OK;
        }
    }

    @Command(name = "use", mixinStandardHelpOptions = true, description = "Make NAME the current context.")
    static final class Use implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The context.")
        String name;

        @Override
        public Integer call() {
            Environment environment = Steward.of(spec).environment;
            Contexts contexts = ConfigFile.read(environment.configFile()).use(name);
            ConfigFile.write(environment.configFile(), contexts);
            Contexts.Context c = contexts.require(name);
            spec.commandLine().getOut().println("now using " + name + " (" + c.server() + ")"
                    + (c.token() == null ? " — no token stored: `steward login " + c.server() + " --name " + name + "`" : ""));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Remove the context NAME and its token; if it was current, no context is current until `context use` or `login`.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The context.")
        String name;

        @Override
        public Integer call() {
            Environment environment = Steward.of(spec).environment;
            ConfigFile.write(environment.configFile(), ConfigFile.read(environment.configFile()).remove(name));
            spec.commandLine().getOut().println("removed context " + name);
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
