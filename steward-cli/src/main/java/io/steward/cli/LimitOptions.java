package io.steward.cli;

import io.steward.gateway.Limits;
import picocli.CommandLine.Option;

/** The {@code --max-…} options of a primary other than {@code --max-body}: the limits of docs/api.md. 0 turns one off. */
final class LimitOptions {
    @Option(names = "--max-script-bytes", paramLabel = "BYTES",
            description = "Largest script source a push may store (default and most: 1 MiB, the script store's own limit).")
    long scriptBytes = Limits.DEFAULTS.scriptBytes();

    @Option(names = "--max-args-bytes", paramLabel = "BYTES",
            description = "Largest args of an invoke, as JSON (default 256 KiB; 0: no limit).")
    long argsBytes = Limits.DEFAULTS.argsBytes();

    @Option(names = "--max-event-bytes", paramLabel = "BYTES",
            description = "Largest status value, event or log message a run may publish, as JSON (default 1 MiB; 0: no limit).")
    int eventBytes = Limits.DEFAULTS.eventBytes();

    @Option(names = "--max-events-per-second", paramLabel = "N",
            description = "Events one run may publish per second; faster runs are slowed down, nothing is dropped "
                    + "(default ${DEFAULT-VALUE}; 0: no limit).")
    int eventsPerSecond = Limits.DEFAULTS.eventsPerSecond();

    @Option(names = "--max-streams-per-token", paramLabel = "N",
            description = "Event and change streams one token may hold open (default ${DEFAULT-VALUE}; 0: no limit).")
    int streamsPerToken = Limits.DEFAULTS.streamsPerToken();

    Limits limits() {
        return new Limits(scriptBytes, argsBytes, streamsPerToken, eventBytes, eventsPerSecond);
    }
}
