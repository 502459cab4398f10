package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code steward status RUN}: the poll — a run's state, status values, progress, shared data, threads, processes. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a run now: state, status values, progress, shared data, threads, processes, result or error.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    RemoteOptions remote;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    String id;

    @Override
    public Integer call() {
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
