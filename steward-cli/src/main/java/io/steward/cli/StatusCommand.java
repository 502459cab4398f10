package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code steward status RUN}: the poll — a run's state, status values, progress, shared data, threads, processes.
 * Its subcommands {@code set}, {@code event} and {@code progress} go the other way: a process of a run reports into
 * it ({@link StatusCallbackCommands}).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show a run now: state, status values, progress, shared data, threads, processes, result or error.",
                "Inside a process a run started: 'status set', 'status event' and 'status progress' report into that run."},
        subcommands = {StatusCallbackCommands.Set.class, StatusCallbackCommands.Event.class,
                StatusCallbackCommands.Progress.class})
final class StatusCommand implements Callable<Integer> {
    @Mixin
    RemoteOptions remote;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "The run id.")
    String id;

    @Override
    public Integer call() {
        if (id == null) {
            throw new IllegalArgumentException("give a run id (steward status RUN), or report into a run with "
                    + "steward status set|event|progress (see steward status --help)");
        }
        try (StewardClient client = remote.connect()) {
            Map<String, Object> run = client.run(id);
            if (remote.json) {
                remote.printJson(run);
            } else {
                RunView.lines(run, remote.terminal()).forEach(remote.out()::println);
                remote.out().flush();
            }
            return ExitCodes.OK;
        }
    }
}
