package io.steward.store;

import java.nio.file.Path;

/**
 * A fixture main for {@link AnsweredRunsSurviveACrashTest}: runs short runs through an embedded store as an invoke
 * with {@code ?wait=} does (held until their end, then {@link EventWriter#awaitRecorded}) and prints
 * {@code answered <id>} for each one it was answered for, without end, until it is killed.
 *
 * <p>Arguments: data directory, the number of the first run.
 */
public final class AnsweringWriter {

    public static void main(String[] args) throws Exception {
        Store store = Store.open(StoreConfig.embedded(Path.of(args[0])));
        EventWriter writer = store.writer();
        for (long n = Long.parseLong(args[1]); ; n++) {
            String id = AnsweredRunsSurviveACrashTest.runId(n);
            Snapshots.finishedRunHeld(writer, id);
            writer.awaitRecorded(id);
            System.out.println("answered " + id);
            System.out.flush();
        }
    }
}
