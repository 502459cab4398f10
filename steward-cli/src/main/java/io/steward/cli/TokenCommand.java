package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code steward token …}: API tokens (admin only). A token's secret is shown once, when it is created. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API tokens (needs an admin token).",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to do: create, list or revoke");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {
            "Create a token; its secret is printed this once.",
            "--json prints {\"name\", \"role\", \"token\"}, with expiresAt, scripts and nodes when it has them."})
    static final class Create implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "A name for the token, e.g. ci.")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "viewer (reads), operator (also runs and cancels) or admin (also scripts and tokens).")
        String role;

        @Option(names = "--scripts", paramLabel = "GLOB", description = {"Only scripts whose name matches, e.g. "
                + "'deploy/*' (* stays in one folder, ** crosses folders): invoke, read, cancel, follow, push.",
                "Default: every script."})
        String scripts;

        @Option(names = "--nodes", paramLabel = "SELECTOR", description = {"Only invoke runs on nodes this selector "
                + "matches, e.g. 'env=lab' or 'web-*'.", "Default: every node."})
        String nodes;

        @Option(names = "--expires", paramLabel = "WHEN", description = {"When it stops working: a duration from now "
                + "(7d, 12h, 30m, P7D) or an instant (2026-12-31T00:00:00Z).", "Default: never."})
        String expires;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> answer = client.createToken(name, role, expires, scripts, nodes);
                if (remote.json) {
                    Map<String, Object> exactly = new LinkedHashMap<>();
                    for (String key : new String[]{"name", "role", "token", "expiresAt", "scripts", "nodes"}) {
                        if (answer.get(key) != null) {
                            exactly.put(key, answer.get(key));
                        }
                    }
                    remote.printJson(exactly);
                } else {
                    String scope = scope(answer);
                    remote.out().println("created token " + answer.get("name") + " (" + answer.get("role")
                            + (scope.equals("-") ? "" : ", " + scope)
                            + (answer.get("expiresAt") == null ? "" : ", expires " + Format.time(answer.get("expiresAt")))
                            + "):");
                    remote.out().println(answer.get("token"));
                    remote.out().println(remote.terminal().dim("it is shown only now; use it as STEWARD_TOKEN or --token"));
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                List<Map<String, Object>> tokens = client.tokens();
                if (remote.json) {
                    remote.printJson(Map.of("tokens", tokens));
                    return ExitCodes.OK;
                }
                Table table = new Table("NAME", "ROLE", "SCOPE", "CREATED", "BY", "EXPIRES", "LAST USED");
                tokens.forEach(t -> table.row(t.get("name"), t.get("role"), scope(t), Format.time(t.get("createdAt")),
                        t.get("createdBy"), t.get("expiresAt") == null ? "never" : Format.time(t.get("expiresAt")),
                        t.get("lastUsedAt") == null ? "never" : Format.time(t.get("lastUsedAt"))));
                table.print(remote.out(), remote.terminal());
                return ExitCodes.OK;
            }
        }
    }

    /** {@code scripts=deploy/* nodes=env=lab}, or {@code -} for an unscoped token. */
    static String scope(Map<String, Object> token) {
        String scripts = token.get("scripts") == null ? "" : "scripts=" + token.get("scripts");
        String nodes = token.get("nodes") == null ? "" : "nodes=" + token.get("nodes");
        String both = (scripts + " " + nodes).strip();
        return both.isEmpty() ? "-" : both;
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = {"Revoke a token: it stops working at once,",
            "and the event streams and agent links open with it end."})
    static final class Revoke implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Parameters(index = "0", paramLabel = "NAME", description = "The token's name.")
        String name;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> answer = client.revokeToken(name);
                if (remote.json) {
                    remote.printJson(answer);
                } else {
                    remote.out().println("revoked token " + name);
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }
}
