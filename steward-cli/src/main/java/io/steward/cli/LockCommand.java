package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code steward lock …}: mutexes and semaphores in use (scripts: {@code lock(name, ms) { … }},
 * {@code semaphore(name, n)}), and event semaphores, which clients may post, reset or pulse.
 */
@Command(name = "lock", mixinStandardHelpOptions = true,
        description = {"Locks, semaphores and events shared by runs (scripts: lock, semaphore, event).",
                "Runs take and release locks; a lock is released when its run ends, however it ends."},
        subcommands = {LockCommand.ListLocks.class, LockCommand.Signal.Post.class, LockCommand.Signal.Reset.class,
                LockCommand.Signal.Pulse.class})
final class LockCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to do: ls, post, reset or pulse");
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Locks and semaphores in use with holders and "
            + "waiters, and events posted or waited for.")
    static final class ListLocks implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Override
        @SuppressWarnings("unchecked")
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> all = client.locks();
                if (remote.json) {
                    remote.printJson(all);
                    return ExitCodes.OK;
                }
                Table table = new Table("NAME", "KIND", "HELD", "WAITING", "HOLDERS");
                for (Map<String, Object> l : (List<Map<String, Object>>) all.get("locks")) {
                    List<Map<String, Object>> holders = (List<Map<String, Object>>) l.get("holders");
                    table.row(l.get("name"), l.get("kind"), holders.size() + "/" + l.get("permits"),
                            ((List<?>) l.get("waiters")).size(), Holders.describe(holders));
                }
                for (Map<String, Object> e : (List<Map<String, Object>>) all.get("events")) {
                    table.row(e.get("name"), "event", Boolean.TRUE.equals(e.get("posted")) ? "posted" : "reset",
                            ((List<?>) e.get("waiters")).size(), "-");
                }
                table.print(remote.out(), remote.terminal());
                return ExitCodes.OK;
            }
        }
    }

    /** post, reset and pulse: one shape, three actions. */
    abstract static class Signal implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;
        @Parameters(index = "0", paramLabel = "EVENT")
        String name;

        abstract String action();

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> state = client.signalEvent(name, action());
                if (remote.json) {
                    remote.printJson(state);
                } else {
                    remote.out().println("event " + name + ": " + (Boolean.TRUE.equals(state.get("posted")) ? "posted" : "reset"));
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
        }

        @Command(name = "post", mixinStandardHelpOptions = true,
                description = "Post an event: wakes every run waiting on it; it stays posted until reset.")
        static final class Post extends Signal {
            @Override
            String action() {
                return "post";
            }
        }

        @Command(name = "reset", mixinStandardHelpOptions = true, description = "Reset an event: waits wait again.")
        static final class Reset extends Signal {
            @Override
            String action() {
                return "reset";
            }
        }

        @Command(name = "pulse", mixinStandardHelpOptions = true,
                description = "Wake the runs waiting on an event now, without posting it.")
        static final class Pulse extends Signal {
            @Override
            String action() {
                return "pulse";
            }
        }
    }
}
