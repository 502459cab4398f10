package io.steward.agent;

import io.steward.files.ConfinedDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Opens what an earlier agent process left in the outbox directory, so that a new agent reports and replays it
 * (docs/agent-protocol.md, "Buffering on the agent"). Runs as {@link AgentOutbox} is made, before any link.
 *
 * <p>A run is known by its created record. Each one is reopened with its events after the last ack; what the crash
 * left unfinished is completed on disk, as the run itself can no longer do it:
 * <ul>
 *   <li>a run without an ended record was running: it ends as LOST ({@link InterruptedRun});</li>
 *   <li>a run whose ended record counts more events than are on disk or acknowledged had dropped them while the
 *       outbox was full, and died before it could write their {@code gap} event: it is written now, so the primary's
 *       timeline shows the hole and it stops waiting (asking again with {@code resend}) for events that are gone.</li>
 * </ul>
 * Files without a created record are deleted: they belong to a run that was being forgotten, or to one that died
 * while it was being made, before it could be reported.
 */
final class OutboxRecovery {
    private static final System.Logger LOG = System.getLogger(OutboxRecovery.class.getName());

    private OutboxRecovery() {
    }

    /** The runs found in {@code dir}, oldest first (run ids sort by time); unreadable ones are logged and left. */
    static List<OutboxRun> reopen(ConfinedDirectory outbox) throws IOException {
        Path dir = outbox.root();
        Map<String, Long> acked = AckLog.read(dir);
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.sorted().toList();
        }
        List<OutboxRun> runs = new ArrayList<>();
        for (Path file : files) {
            String base = base(file, OutboxRun.CREATED);
            if (base != null) {
                OutboxRun run = reopen(outbox, file, base, acked);
                if (run != null) {
                    runs.add(run);
                }
            }
        }
        deleteOrphans(dir, files);
        if (!runs.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "outbox: " + runs.size() + " runs of an earlier agent process are not "
                    + "acknowledged to their end yet; they are reported to the primary again");
        }
        return runs;
    }

    private static OutboxRun reopen(ConfinedDirectory dir, Path createdFile, String base, Map<String, Long> acked) {
        try {
            // a record that is a symbolic link out of the outbox is not read: the run's files are refused alike
            Map<String, Object> created = Json.read(Files.readString(dir.resolve(createdFile.getFileName().toString())));
            OutboxRun run = OutboxRun.reopen(dir, base, created, acked.getOrDefault((String) created.get("id"), 0L));
            Path endedFile = dir.resolve(base + OutboxRun.ENDED);
            if (!Files.exists(endedFile)) {
                endInterrupted(run);
                return run;
            }
            run.ended = Json.read(Files.readString(endedFile));
            run.endedLastSeq = ((Number) run.ended.get("lastSeq")).longValue();
            if (run.endedLastSeq > run.lastSeq) {
                writeLostGap(run);
            }
            return run;
        } catch (IOException | RuntimeException e) {
            // one unreadable run must not keep the agent from starting; its files stay for a person to look at
            LOG.log(System.Logger.Level.ERROR, "outbox: cannot read the run recorded in " + createdFile + ": " + e);
            return null;
        }
    }

    /** The final state event and the ended record of a run that was running when the process died. */
    private static void endInterrupted(OutboxRun run) throws IOException {
        long seq = run.lastSeq + 1;
        Instant now = Instant.now();
        // past the outbox's bound if need be: without this event and its end, the run would never end on the primary
        append(run, seq, "state", now, InterruptedRun.stateEvent(run.created));
        run.ended = InterruptedRun.ended(run.created, seq, now);
        run.endedLastSeq = seq;
        run.saveEnded(run.ended);
        LOG.log(System.Logger.Level.WARNING, "run " + run.id + " was running when the agent process stopped: it ends"
                + " as LOST");
    }

    private static void writeLostGap(OutboxRun run) throws IOException {
        Gap gap = new Gap(run.lastSeq + 1, run.endedLastSeq);
        append(run, gap.seq(), "gap", Instant.now(), gap.data());
        LOG.log(System.Logger.Level.WARNING, "outbox: run " + run.id + " lost events " + gap.data()
                + " (the outbox was full when the agent process stopped)");
    }

    private static void append(OutboxRun run, long seq, String kind, Instant time, Map<String, Object> data)
            throws IOException {
        run.append(seq, (Json.event(seq, kind, time.toEpochMilli(), data) + "\n").getBytes(StandardCharsets.UTF_8));
        run.lastSeq = seq;
    }

    private static void deleteOrphans(Path dir, List<Path> files) throws IOException {
        for (Path file : files) {
            String name = file.getFileName().toString();
            String base = base(file, OutboxRun.EVENTS);
            if (base == null) {
                base = base(file, OutboxRun.ENDED);
            }
            if (name.endsWith(".tmp") || base != null && !Files.exists(dir.resolve(base + OutboxRun.CREATED))) {
                LOG.log(System.Logger.Level.INFO, "outbox: deleting " + file + ", left without its run's record");
                Files.deleteIfExists(file);
            }
        }
    }

    /** The run's base name when {@code file} is one of its files of that kind, else {@code null}. */
    private static String base(Path file, String suffix) {
        String name = file.getFileName().toString();
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : null;
    }
}
