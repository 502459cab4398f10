package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/**
 * {@code steward status set|event|progress}: a local process reports into the run that launched it, as the run's
 * script would with {@code status.set}, {@code status.event} and {@code status.progress}. They print nothing on
 * success (a process's output is the run's output; {@code --json} prints the answer) and fail with the server's
 * reason: the run has ended, the token belongs to another run, a bad value.
 */
final class StatusCallbackCommands {
    private StatusCallbackCommands() {
    }

    /** Calls the server for the target run and prints the answer only with {@code --json}. */
    static int report(CallbackOptions options, BiFunction<StewardClient, String, Map<String, Object>> call) {
        String run = options.runId();
        try (StewardClient client = options.connect()) {
            options.print(call.apply(client, run));
            return ExitCodes.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Set a status value of the run this process belongs to ($STEWARD_RUN_ID, or --run).",
                    "VALUE is taken as JSON when it is valid JSON (3, true, {\"a\": 1}), else as text.",
                    "Example: steward status set phase building"})
    static final class Set implements Callable<Integer> {
        @Mixin
        CallbackOptions options;

        @Parameters(index = "0", paramLabel = "NAME", description = "The status value's name.")
        String name;

        @Parameters(index = "1", paramLabel = "VALUE", description = "The value: JSON, or else text.")
        String value;

        @Override
        public Integer call() {
            Object parsed = CallbackValues.jsonOrString(value);
            return report(options, (client, run) -> client.setStatus(run, name, parsed));
        }
    }

    @Command(name = "event", mixinStandardHelpOptions = true,
            description = {"Add an event to the timeline of the run this process belongs to ($STEWARD_RUN_ID, or --run).",
                    "Example: steward status event deployed --data '{\"host\": \"web-1\"}'"})
    static final class Event implements Callable<Integer> {
        @Mixin
        CallbackOptions options;

        @Parameters(index = "0", paramLabel = "NAME", description = "The event's name.")
        String name;

        @Option(names = "--data", paramLabel = "JSON", description = "The event's data, as JSON (quote text: '\"text\"').")
        String data;

        @Override
        public Integer call() {
            Object parsed = data == null ? null : Json.read(data, "--data");
            return report(options, (client, run) -> client.statusEvent(run, name, parsed));
        }
    }

    @Command(name = "progress", mixinStandardHelpOptions = true,
            description = {"Report the progress of the run this process belongs to ($STEWARD_RUN_ID, or --run).",
                    "Example: steward status progress 0.5 half way there"})
    static final class Progress implements Callable<Integer> {
        @Mixin
        CallbackOptions options;

        @Parameters(index = "0", paramLabel = "FRACTION", description = "From 0 to 1 (0.5), or a percentage (50%%).")
        String fraction;

        @Parameters(index = "1..*", paramLabel = "MESSAGE", description = "An optional message (the words are joined).")
        List<String> message;

        @Override
        public Integer call() {
            double f = CallbackValues.fraction(fraction);
            String text = message == null || message.isEmpty() ? null : String.join(" ", message);
            return report(options, (client, run) -> client.progress(run, f, text));
        }
    }
}
