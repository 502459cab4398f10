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

/** {@code steward pool …}: resource pools (test machines, licences) that runs take entries of, one run per entry. */
@Command(name = "pool", mixinStandardHelpOptions = true,
        description = {"Resource pools: named sets of entries a run holds alone (scripts: pool(name).acquire(ms, priority) { entry -> … })."},
        subcommands = {PoolCommand.ListPools.class, PoolCommand.Add.class, PoolCommand.Remove.class, PoolCommand.Status.class})
final class PoolCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to do: ls, add, rm or status");
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Every pool: entries, free, waiting.")
    static final class ListPools implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                List<Map<String, Object>> pools = client.pools();
                if (remote.json) {
                    remote.printJson(Map.of("pools", pools));
                    return ExitCodes.OK;
                }
                Table table = new Table("POOL", "ENTRIES", "FREE", "WAITING");
                pools.forEach(p -> table.row(p.get("name"), ((List<?>) p.get("entries")).size(), p.get("free"),
                        ((List<?>) p.get("waiters")).size()));
                table.print(remote.out(), remote.terminal());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {
            "Add an entry to a pool (the pool exists while it has entries), or change its value.",
            "Example: steward pool add phones pixel-7 --value '{\"serial\": \"X1\"}'"})
    static final class Add implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;
        @Parameters(index = "0", paramLabel = "POOL")
        String pool;
        @Parameters(index = "1", paramLabel = "ENTRY")
        String entry;
        @Option(names = "--value", paramLabel = "VALUE", description = "What describes the entry: JSON, or else text.")
        String value;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> p = client.putPoolEntry(pool, entry, value == null ? null : CallbackValues.jsonOrString(value));
                if (remote.json) {
                    remote.printJson(p);
                } else {
                    remote.out().println("pool " + pool + ": " + ((List<?>) p.get("entries")).size() + " entries, " + p.get("free") + " free");
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Remove an entry; one that is held leaves when its run gives it back.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;
        @Parameters(index = "0", paramLabel = "POOL")
        String pool;
        @Parameters(index = "1", paramLabel = "ENTRY")
        String entry;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> p = client.deletePoolEntry(pool, entry);
                if (remote.json) {
                    remote.printJson(p);
                } else {
                    remote.out().println("removed " + entry + " from pool " + pool);
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "A pool's entries with their holders, and its waiters in the order they will be served.")
    static final class Status implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;
        @Parameters(index = "0", paramLabel = "POOL")
        String pool;

        @Override
        @SuppressWarnings("unchecked")
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> p = client.pool(pool);
                if (remote.json) {
                    remote.printJson(p);
                    return ExitCodes.OK;
                }
                Table table = new Table("ENTRY", "HELD BY", "SINCE", "VALUE");
                for (Map<String, Object> e : (List<Map<String, Object>>) p.get("entries")) {
                    Map<String, Object> h = (Map<String, Object>) e.get("holder");
                    table.row(e.get("entry") + (Boolean.TRUE.equals(e.get("leaving")) ? " (leaving)" : ""),
                            Holders.one(h), h == null ? "-" : Format.time(h.get("since")), Format.value(e.get("value")));
                }
                table.print(remote.out(), remote.terminal());
                List<Map<String, Object>> waiters = (List<Map<String, Object>>) p.get("waiters");
                if (!waiters.isEmpty()) {
                    remote.out().println();
                    Table queue = new Table("WAITING", "PRIORITY", "SINCE");
                    waiters.forEach(w -> queue.row(Holders.one(w), w.get("priority"), Format.time(w.get("since"))));
                    queue.print(remote.out(), remote.terminal());
                }
                return ExitCodes.OK;
            }
        }
    }
}
