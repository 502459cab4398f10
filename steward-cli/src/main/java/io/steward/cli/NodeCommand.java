package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/** {@code steward node NAME}, {@code steward node approve NAME}, {@code steward node revoke NAME}. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Show one node, or approve or revoke an agent.",
        subcommands = {NodeCommand.Approve.class, NodeCommand.Revoke.class})
final class NodeCommand implements Callable<Integer> {
    @Mixin
    RemoteOptions remote;

    // Optional here so that 'node approve NAME' is not asked for the parent's NAME as well.
    @Parameters(index = "0", paramLabel = "NAME", arity = "0..1", description = "The node.")
    String name;

    @Override
    public Integer call() {
        if (name == null) {
            throw new IllegalArgumentException("give a node name: steward node NAME (or node approve|revoke NAME)");
        }
        try (StewardClient client = remote.connect()) {
            Map<String, Object> node = client.node(name);
            if (remote.json) {
                remote.printJson(node);
            } else {
                Map<String, Object> info = RunView.map(node.get("info"));
                remote.out().println(node.get("name") + "  " + node.get("state") + "  running " + node.get("running")
                        + "  last seen " + Format.time(node.get("lastSeen")));
                remote.out().println("labels " + node.get("labels"));
                info.forEach((k, v) -> remote.out().println("  " + k + ": " + v));
                remote.out().flush();
            }
            return ExitCodes.OK;
        }
    }

    static Integer act(RemoteOptions remote, String name, BiFunction<StewardClient, String, Map<String, Object>> action, String done) {
        try (StewardClient client = remote.connect()) {
            Map<String, Object> node = action.apply(client, name);
            if (remote.json) {
                remote.printJson(node);
            } else {
                remote.out().println(name + " " + done + " (now " + node.get("state") + ")");
                remote.out().flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Let a pending agent run things (admin).")
    static final class Approve implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return act(remote, name, StewardClient::approveNode, "approved");
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = {"Revoke an agent: its credential stops working and its link closes (admin).",
                    "Its name is free again: an agent may join under it with a join token."})
    static final class Revoke implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return act(remote, name, StewardClient::revokeNode, "revoked");
        }
    }
}
