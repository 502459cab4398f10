package io.steward.cli;

import io.steward.client.Output;
import io.steward.client.StewardClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code steward logs RUN}: the output of a run's local processes, read piece by piece by byte offset, so a huge log
 * never has to fit in memory on either side. {@code --follow} keeps reading until the server says the run will write
 * no more.
 */
@Command(name = "logs", mixinStandardHelpOptions = true, description = {
        "Print the output of a run's local processes.",
        "--json prints {id, offset, nextOffset, more, text}; with --follow one such object per line for each piece."})
final class LogsCommand implements Callable<Integer> {
    private static final int PIECE = 65_536;

    @Mixin
    RemoteOptions remote;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    String id;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the run ends.")
    boolean follow;

    @Option(names = "--stream", paramLabel = "STREAM", description = "stdout or stderr (default: the server's).")
    String stream;

    @Option(names = "--offset", paramLabel = "BYTES", defaultValue = "0", description = "Start at this byte (default: 0).")
    long offset;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "300ms",
            description = "With --follow, how long to wait when there is nothing new (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = remote.out();
        StringBuilder all = new StringBuilder();
        long from = offset;
        long at = offset;
        boolean more;
        try (StewardClient client = remote.connect()) {
            while (true) {
                Output piece = client.output(id, at, PIECE, stream);
                boolean moved = piece.nextOffset() != at;
                more = piece.more();
                if (moved) {
                    if (!remote.json) {
                        out.print(piece.text());
                        out.flush();
                    } else if (follow) {
                        out.println(Json.line(json(at, piece.nextOffset(), more, piece.text())));
                        out.flush();
                    } else {
                        all.append(piece.text());
                    }
                }
                at = piece.nextOffset();
                if (!moved) {
                    if (!follow || !more) {
                        break;
                    }
                    Thread.sleep(interval);
                }
            }
        }
        if (remote.json && !follow) {
            remote.printJson(json(from, at, more, all.toString()));
        }
        return ExitCodes.OK;
    }

    private Map<String, Object> json(long start, long next, boolean more, String text) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("offset", start);
        json.put("nextOffset", next);
        json.put("more", more);
        json.put("text", text);
        return json;
    }
}
