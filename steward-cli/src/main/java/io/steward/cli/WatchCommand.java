package io.steward.cli;

import io.steward.client.RunStates;
import io.steward.client.StewardClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code steward watch RUN}: polls a run until it ends. On a terminal the screen is redrawn with every poll; elsewhere
 * each change is a line ({@link RunChanges}); with {@code --json} each changed run is a line of JSON. It polls rather
 * than following the event stream because what it shows is the poll's picture (claims 20, 61–63), and a missed poll
 * only delays the picture.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, description = {
        "Watch a run live until it ends: status values, progress, threads, processes.",
        "On a terminal the screen refreshes; otherwise a line per change (--json: the run, one JSON object per line).",
        "Exits like `run --wait`: 0 SUCCEEDED, 1 FAILED, 3 CANCELLED, 4 TIMED_OUT, 5 LOST."})
final class WatchCommand implements Callable<Integer> {
    private static final String HOME_AND_CLEAR = "\u001b[H\u001b[2J";

    @Mixin
    RemoteOptions remote;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    String id;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "500ms",
            description = "Time between polls (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = remote.out();
        Terminal terminal = remote.terminal();
        try (StewardClient client = remote.connect()) {
            Map<String, Object> before = null;
            while (true) {
                Map<String, Object> run = client.run(id);
                boolean ended = RunStates.isFinal(String.valueOf(run.get("state")));
                if (remote.json) {
                    if (before == null || !withoutClock(before).equals(withoutClock(run))) {
                        out.println(Json.line(run));
                    }
                } else if (terminal.tty()) {
                    out.print(HOME_AND_CLEAR);
                    RunView.lines(run, terminal).forEach(out::println);
                    if (!ended) {
                        out.println(terminal.dim("watching every " + interval.toMillis() + " ms — Ctrl-C stops watching, not the run"));
                    }
                } else {
                    List<String> changes = RunChanges.between(before, run);
                    changes.forEach(out::println);
                    if (ended) {
                        out.println(Summary.of(run, terminal));
                    }
                }
                out.flush();
                if (ended) {
                    return ExitCodes.of(String.valueOf(run.get("state")));
                }
                before = run;
                Thread.sleep(interval);
            }
        }
    }

    /** The run without what changes on every poll of a live run by itself. */
    private static Map<String, Object> withoutClock(Map<String, Object> run) {
        Map<String, Object> copy = new LinkedHashMap<>(run);
        copy.remove("durationMs");
        return copy;
    }
}
