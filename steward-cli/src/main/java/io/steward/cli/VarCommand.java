package io.steward.cli;

import io.steward.client.StewardApiException;
import io.steward.client.StewardClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code steward var …}: the global variables scripts read and write as {@code vars}. */
@Command(name = "var", mixinStandardHelpOptions = true,
        description = "Global variables shared by runs, nodes and clients (scripts: vars.get/put/cas/remove).",
        subcommands = {VarCommand.Get.class, VarCommand.Set.class, VarCommand.ListVars.class, VarCommand.Remove.class})
final class VarCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to do: get, set, ls or rm");
    }

    /** The scope option every subcommand shares. */
    static final class Scope {
        @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "global",
                description = "global (default) or node:NAME.")
        String scope;
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Print a variable's value as JSON.", "--json prints {scope, name, value, version, expiresAt}."})
    static final class Get implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;
        @Mixin
        Scope scope;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> v = client.getVar(scope.scope, name);
                if (remote.json) {
                    remote.printJson(v);
                } else {
                    remote.out().println(Json.line(v.get("value")));
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = {
            "Set a variable. VALUE is taken as JSON when it is valid JSON (3, true, {\"a\": 1}), else as text.",
            "--if-version N sets it only if its version is N (0: only if absent): compare-and-set; exit 1 if not.",
            "Example: steward var set release '{\"v\": 42}' --ttl 1h"})
    static final class Set implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;
        @Mixin
        Scope scope;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "VALUE", description = "JSON, or else text.")
        String value;
        @Option(names = "--ttl", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Remove it after this long, e.g. 10m (default: keep).")
        Duration ttl;
        @Option(names = "--if-version", paramLabel = "N", description = "Compare-and-set: only if its version is N.")
        Long ifVersion;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> v;
                try {
                    v = client.setVar(scope.scope, name, CallbackValues.jsonOrString(value), ttl, ifVersion);
                } catch (StewardApiException e) {
                    if (e.status() != 409) {
                        throw e;
                    }
                    // a compare-and-set that lost is an answer, not a usage error
                    remote.err().println("not set: " + e.getMessage());
                    remote.err().flush();
                    return ExitCodes.FAILED;
                }
                if (remote.json) {
                    remote.printJson(v);
                } else {
                    remote.out().println("set " + v.get("scope") + "/" + v.get("name") + " (version " + v.get("version") + ")");
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the variables of a scope (--scope), or of all.")
    static final class ListVars implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;
        @Option(names = "--scope", paramLabel = "SCOPE", description = "global or node:NAME (default: every scope).")
        String scope;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                List<Map<String, Object>> vars = client.vars(scope);
                if (remote.json) {
                    remote.printJson(Map.of("vars", vars));
                    return ExitCodes.OK;
                }
                Table table = new Table("SCOPE", "NAME", "VERSION", "EXPIRES", "VALUE");
                vars.forEach(v -> table.row(v.get("scope"), v.get("name"), v.get("version"),
                        v.get("expiresAt") == null ? "-" : Format.time(v.get("expiresAt")), Format.value(v.get("value"))));
                table.print(remote.out(), remote.terminal());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a variable.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;
        @Mixin
        Scope scope;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> answer = client.deleteVar(scope.scope, name);
                if (remote.json) {
                    remote.printJson(answer);
                } else {
                    remote.out().println("removed " + scope.scope + "/" + name);
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }
}
