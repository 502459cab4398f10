package io.steward.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code steward shared put KEY VALUE}: a local process puts a key of its run's shared data. */
@Command(name = "shared", mixinStandardHelpOptions = true,
        description = "A run's shared data, from a process the run started: 'steward shared put KEY VALUE'.",
        subcommands = SharedCommand.Put.class)
final class SharedCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new IllegalArgumentException("say what to do: steward shared put KEY VALUE (see steward shared --help)");
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = {"Put a key of the shared data of the run this process belongs to ($STEWARD_RUN_ID, or --run).",
                    "VALUE is taken as JSON when it is valid JSON (3, true, [1, 2]), else as text.",
                    "Example: steward shared put artifact build/app.tar.gz"})
    static final class Put implements Callable<Integer> {
        @Mixin
        CallbackOptions options;

        @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", description = "The value: JSON, or else text.")
        String value;

        @Override
        public Integer call() {
            Object parsed = CallbackValues.jsonOrString(value);
            return StatusCallbackCommands.report(options, (client, run) -> client.putShared(run, key, parsed));
        }
    }
}
