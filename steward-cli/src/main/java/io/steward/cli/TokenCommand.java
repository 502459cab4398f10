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
            "Create a token; its secret is printed this once.", "--json prints exactly {\"name\", \"role\", \"token\"}."})
    static final class Create implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "A name for the token, e.g. ci.")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "viewer (reads), operator (also runs and cancels) or admin (also scripts and tokens).")
        String role;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> answer = client.createToken(name, role);
                if (remote.json) {
                    Map<String, Object> exactly = new LinkedHashMap<>();
                    for (String key : new String[]{"name", "role", "token"}) {
                        exactly.put(key, answer.get(key));
                    }
                    remote.printJson(exactly);
                } else {
                    remote.out().println("created token " + answer.get("name") + " (" + answer.get("role") + "):");
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
                Table table = new Table("NAME", "ROLE", "CREATED", "BY");
                tokens.forEach(t -> table.row(t.get("name"), t.get("role"), Format.time(t.get("createdAt")), t.get("createdBy")));
                table.print(remote.out(), remote.terminal());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token: it stops working at once.")
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
