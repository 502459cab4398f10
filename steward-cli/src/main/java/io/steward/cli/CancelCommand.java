package io.steward.cli;

import io.steward.client.RunStates;
import io.steward.client.StewardClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code steward cancel RUN}: asks a run to stop; its threads are interrupted and its processes killed. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a run: its script threads are stopped and its local processes killed.")
final class CancelCommand implements Callable<Integer> {
    @Mixin
    RemoteOptions remote;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    String id;

    @Override
    public Integer call() {
        try (StewardClient client = remote.connect()) {
            Map<String, Object> run = client.cancel(id);
            if (remote.json) {
                remote.printJson(run);
            } else {
                String state = String.valueOf(run.get("state"));
                remote.out().println(RunStates.isFinal(state) ? "run " + id + " " + remote.terminal().state(state)
                        : "cancelling run " + id + " (still " + state + "; `steward status " + id + "` shows when it ends)");
                remote.out().flush();
            }
            return ExitCodes.OK;
        }
    }
}
