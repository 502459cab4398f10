package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code steward send RUN JSON}: puts a message into a running run's inbox. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send a message (any JSON value) to a running run: its script reads it with inbox.take, "
                + "inbox.poll or onMessage.",
                "A run on an agent gets it over the agent's link; the command succeeds once the agent has confirmed "
                + "it, and fails (exit 1) while the agent is offline."})
final class SendCommand implements Callable<Integer> {
    @Mixin
    RemoteOptions remote;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    String id;

    @Parameters(index = "1", paramLabel = "JSON", description = "The message, e.g. '{\"go\": true}' or '\"text\"'.")
    String json;

    @Override
    public Integer call() {
        Object message = Json.read(json, "the message");
        try (StewardClient client = remote.connect()) {
            Map<String, Object> answer = client.send(id, message);
            if (remote.json) {
                remote.printJson(answer);
            } else {
                remote.out().println("sent to run " + id + " (event " + answer.get("seq") + ")");
                remote.out().flush();
            }
            return ExitCodes.OK;
        }
    }
}
