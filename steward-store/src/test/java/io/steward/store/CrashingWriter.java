package io.steward.store;

import io.steward.coordinator.RunState;

import java.time.Instant;
import java.util.Map;

/**
 * A fixture main for the crash test: writes through a store without end and reports on stdout what it knows is
 * committed, until it is killed. Each round pushes a new script version and writes a thousand events of one run,
 * flushes, then prints {@code pushed <version>} and {@code flushed <seq>}.
 *
 * <p>Arguments: JDBC URL, user, password, run id.
 */
public final class CrashingWriter {

    public static void main(String[] args) throws Exception {
        Store store = Store.open(StoreConfig.builder().jdbcUrl(args[0]).user(args[1]).password(args[2])
                .languages(Map.of(".groovy", "groovy")).pruneEvery(null).build());
        String runId = args[3];
        EventWriter writer = store.writer();
        writer.accept(Snapshots.state(runId, 1, RunState.QUEUED));
        writer.runCreated(Snapshots.queued(runId, "crash.groovy", Instant.now()));
        long seq = 1;
        for (int round = 1; ; round++) {
            int version = store.scripts().push("crash.groovy", "println " + round, "crasher").version();
            for (int i = 0; i < 1000; i++) {
                seq++;
                writer.accept(Snapshots.output(runId, seq, i % 2 == 0 ? "stdout" : "stderr", "round " + round + " line " + i));
            }
            writer.flush();
            System.out.println("pushed " + version);
            System.out.println("flushed " + seq);
            System.out.flush();
        }
    }
}
