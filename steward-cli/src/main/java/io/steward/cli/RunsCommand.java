package io.steward.cli;

import io.steward.client.Durations;
import io.steward.client.RunPage;
import io.steward.client.RunQuery;
import io.steward.client.StewardClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code steward runs}: the latest runs, newest first, filtered by state, script and time. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first.")
final class RunsCommand implements Callable<Integer> {
    @Mixin
    RemoteOptions remote;

    @Option(names = "--state", paramLabel = "STATE", description = "Only runs in this state (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, LOST).")
    String state;

    @Option(names = "--script", paramLabel = "NAME", description = "Only runs of this script.")
    String script;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only runs created since WHEN: an ISO-8601 time or a duration ago (1h).")
    String since;

    @Option(names = "--limit", paramLabel = "N", description = "At most N runs (default: the server's, 50).")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "The page after a previous listing (it prints the cursor).")
    String cursor;

    @Override
    public Integer call() {
        RunQuery query = RunQuery.all().state(state == null ? null : state.toUpperCase(java.util.Locale.ROOT))
                .script(script).since(since == null ? null : instant(since)).limit(limit).cursor(cursor);
        try (StewardClient client = remote.connect()) {
            RunPage page = client.runs(query);
            if (remote.json) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("runs", page.runs());
                json.put("next", page.next());
                remote.printJson(json);
                return ExitCodes.OK;
            }
            Terminal terminal = remote.terminal();
            Table table = new Table("ID", "SCRIPT", "STATE", "STARTED", "DURATION", "NODE");
            for (Map<String, Object> run : page.runs()) {
                table.row(run.get("id"), run.get("script") + " v" + Format.value(run.get("version")),
                        String.valueOf(run.get("state")), Format.time(run.get("startedAt")),
                        Format.duration(run.get("durationMs")), run.get("node"));
            }
            if (table.isEmpty()) {
                remote.out().println("no runs");
            } else {
                table.print(remote.out(), terminal);
            }
            if (page.next() != null) {
                remote.out().println(terminal.dim("more: steward runs --cursor " + page.next()));
            }
            remote.out().flush();
            return ExitCodes.OK;
        }
    }

    private static Instant instant(String when) {
        try {
            return Instant.parse(when);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return Instant.now().minus(Durations.parse(when));
            } catch (IllegalArgumentException notADuration) {
                throw new IllegalArgumentException("--since '" + when
                        + "' is neither an ISO-8601 time (2025-01-31T12:00:00Z) nor a duration ago (30m, 2h)");
            }
        }
    }
}
