package io.steward.store;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * At start-up, before the event writer runs: commits the batches of the {@link WriteAheadLog} that H2 had not
 * committed when the process stopped (their invokers were answered), then empties the log.
 */
final class LogReplay {
    private static final System.Logger LOG = System.getLogger(LogReplay.class.getName());

    private LogReplay() {
    }

    /** @return the number of the last batch logged, from which the writer goes on counting */
    static long replay(Database db, WriteAheadLog log, String primaryId) {
        long applied = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT applied FROM write_ahead_log WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
        long last = applied;
        int replayed = 0;
        BatchWriter writer = new BatchWriter(db, primaryId, () -> false);
        try {
            for (WriteAheadLog.Record record : log.records()) {
                last = Math.max(last, record.batch());
                if (record.batch() <= applied) {
                    continue;
                }
                EventBatch batch = BatchCodec.decode(record.payload());
                batch.logged = record.batch();
                try {
                    writer.write(batch);
                    replayed++;
                } catch (SQLException e) {
                    // The same rows the writer would have committed; a database that refuses them now refused them
                    // then too (the writer drops such items, one by one, and logs them).
                    LOG.log(System.Logger.Level.ERROR, "write-ahead log " + log.file() + ": the database refused batch "
                            + record.batch() + " (" + e.getMessage() + "); skipped it");
                    writer.applied(record.batch());
                }
            }
            log.reset();
        } catch (IOException e) {
            throw new StoreException("cannot replay the write-ahead log " + log.file() + ": " + e.getMessage()
                    + "; start the Steward version that wrote it, or move the file away to drop the runs it holds", e);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
        if (replayed > 0) {
            LOG.log(System.Logger.Level.INFO, "write-ahead log " + log.file() + ": committed " + replayed
                    + " batches of answered runs that the database had not committed before the last stop");
        }
        return last;
    }
}
