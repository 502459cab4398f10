package io.steward.cli;

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

/** {@code steward queue …}: named queues of messages between runs and clients (scripts: {@code queue(name)}). */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "Named message queues shared by runs and clients (scripts: queue(name).put/take).",
        subcommands = {QueueCommand.ListQueues.class, QueueCommand.Put.class, QueueCommand.Take.class})
final class QueueCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to do: ls, put or take");
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Queues with messages or takers waiting.")
    static final class ListQueues implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                List<Map<String, Object>> queues = client.queues();
                if (remote.json) {
                    remote.printJson(Map.of("queues", queues));
                    return ExitCodes.OK;
                }
                Table table = new Table("QUEUE", "DEPTH", "TAKERS WAITING");
                queues.forEach(q -> table.row(q.get("name"), q.get("depth"), ((List<?>) q.get("waiters")).size()));
                table.print(remote.out(), remote.terminal());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true, description = {
            "Put a message at the end of a queue. MESSAGE is taken as JSON when it is valid JSON, else as text.",
            "Example: steward queue put builds '{\"ref\": \"main\"}'"})
    static final class Put implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;
        @Parameters(index = "0", paramLabel = "QUEUE")
        String queue;
        @Parameters(index = "1", paramLabel = "MESSAGE")
        String message;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> answer = client.putMessage(queue, CallbackValues.jsonOrString(message));
                if (remote.json) {
                    remote.printJson(answer);
                } else {
                    remote.out().println("queued in " + queue + " (message " + answer.get("id") + ")");
                    remote.out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "take", mixinStandardHelpOptions = true, description = {
            "Take the next message of a queue and print it as JSON; it is then gone from the queue.",
            "Exit code 1 when no message came within --wait."})
    static final class Take implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;
        @Parameters(index = "0", paramLabel = "QUEUE")
        String queue;
        @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "0ms",
                description = "How long to wait for a message, at most 5m (default: only take one that is there).")
        Duration wait;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> answer = client.takeMessage(queue, wait);
                boolean taken = Boolean.TRUE.equals(answer.get("taken"));
                if (remote.json) {
                    remote.printJson(answer);
                } else if (taken) {
                    remote.out().println(Json.line(answer.get("message")));
                    remote.out().flush();
                } else {
                    remote.err().println("no message in " + queue + (wait.isZero() ? "" : " within " + io.steward.client.Durations.format(wait)));
                    remote.err().flush();
                }
                return taken ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }
    }
}
