package io.steward.agent;

import io.steward.coordinator.EventSink;
import io.steward.coordinator.RunEvent;
import io.steward.coordinator.RunSnapshot;
import io.steward.files.ConfinedDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where the agent's runs report: every {@code created}, event and {@code ended}, kept until the primary
 * acknowledges it, and handed to the link in each run's order.
 *
 * <p>Two sides meet here. Script threads call the {@link EventSink} methods: they append the event to the run's
 * file under {@code <data>/outbox} (page cache, microseconds) and nudge the link; they never wait for the network.
 * The link's one thread calls {@link #next}, {@link #ack}, {@link #resend} and {@link #rewind}: it reads the files
 * back and sends. One lock guards both sides; the link holds it only for a read of at most one frame from the page
 * cache, so a script thread never waits long.
 *
 * <p>The bound counts the bytes of unacknowledged events of all runs. An event that does not fit is dropped and
 * remembered as part of its run's {@link Gap}; the gap event is written in the dropped events' place as soon as
 * there is room again (on the run's next event or when an ack frees space), and the run's {@code ended} waits for
 * it, so the primary's timeline shows the hole before the end.
 *
 * <p>Everything a restarted agent needs is on disk: each run's events, its created and ended records
 * ({@link OutboxRun}) and the acks ({@link AckLog}). A new outbox opens what an earlier process left
 * ({@link OutboxRecovery}), so its runs are reported and replayed like after a reconnect.
 */
final class AgentOutbox implements EventSink {
    private static final System.Logger LOG = System.getLogger(AgentOutbox.class.getName());

    private final Path dir;
    /** Where each run's files are: a run id becomes a file name only through it. */
    private final ConfinedDirectory files;
    private final long maxBytes;
    private final Runnable wakeup;
    private final Consumer<String> forgotten;
    private final AckLog acks;
    /** Runs in the order they were created: replay goes in that order too. */
    private final Map<String, OutboxRun> runs = new LinkedHashMap<>();
    private long bytes;
    private boolean closed;
    private OutboxRun lastServed;

    AgentOutbox(Path dir, long maxBytes, Runnable wakeup) throws IOException {
        this(dir, maxBytes, wakeup, id -> { });
    }

    /**
     * Opens the outbox in {@code dir}, with the runs an earlier process left there.
     *
     * @param forgotten told the id of each run it forgets: the primary has acknowledged the run to its end
     */
    AgentOutbox(Path dir, long maxBytes, Runnable wakeup, Consumer<String> forgotten) throws IOException {
        DataDir.create(dir.getParent());
        DataDir.create(dir);
        this.dir = dir;
        this.files = ConfinedDirectory.of(dir);
        this.maxBytes = maxBytes;
        this.wakeup = wakeup;
        this.forgotten = forgotten;
        for (OutboxRun run : OutboxRecovery.reopen(files)) {
            runs.put(run.id, run);
            bytes += run.unackedBytes();
        }
        Map<String, Long> acked = new HashMap<>();
        runs.values().forEach(run -> acked.put(run.id, run.ackedSeq));
        this.acks = new AckLog(dir, acked);
    }

    // ---- the runs' side (script threads) ----

    @Override
    public void accept(RunEvent event) {
        byte[] line = (Json.event(event.seq(), event.kind(), event.time(), event.data()) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            OutboxRun run = run(event.runId());
            if (run == null) {
                return;
            }
            run.lastSeq = Math.max(run.lastSeq, event.seq());
            if (run.gap != null && !writeGap(run)) {
                run.gap.add(event.seq());
                return;
            }
            if (!write(run, event.seq(), line)) {
                run.gap = new Gap(event.seq());
                return;
            }
        }
        wakeup.run();
    }

    @Override
    public void runCreated(RunSnapshot snapshot) {
        synchronized (this) {
            OutboxRun run = run(snapshot.id());
            if (run == null) {
                return;
            }
            run.created = snapshot.toMap();
            save(run, run.created, false);
        }
        wakeup.run();
    }

    @Override
    public void runEnded(RunSnapshot snapshot) {
        synchronized (this) {
            OutboxRun run = run(snapshot.id());
            if (run == null) {
                return;
            }
            run.ended = snapshot.toMap();
            run.endedLastSeq = snapshot.lastSeq();
            save(run, run.ended, true);
        }
        wakeup.run();
    }

    // ---- the link's side (its one thread) ----

    /**
     * The next frame to send, or {@code null} when everything is sent: per run, {@code created}, then its events
     * in order, batched into frames of about {@code maxFrameBytes}, then {@code ended}.
     */
    synchronized String next(int maxFrameBytes) throws IOException {
        // round robin from the run after the last one served, so that one chatty run cannot starve the others
        List<OutboxRun> order = new ArrayList<>(runs.values());
        int start = order.indexOf(lastServed) + 1;
        for (int i = 0; i < order.size(); i++) {
            OutboxRun run = order.get((start + i) % order.size());
            String frame = next(run, maxFrameBytes);
            if (frame != null) {
                lastServed = run;
                return frame;
            }
        }
        return null;
    }

    /** The run's next frame, or {@code null}: created, then its events, then ended. */
    private String next(OutboxRun run, int maxFrameBytes) throws IOException {
        if (run.created == null) {
            return null; // its first event came a moment before its record; created goes first
        }
        if (!run.createdSent) {
            run.createdSent = true;
            return Json.write(Json.frame("created", "run", run.created));
        }
        if (run.hasUnsent()) {
            return "{\"type\":\"events\",\"id\":" + Json.write(run.id) + ",\"events\":["
                    + run.nextChunk(maxFrameBytes) + "]}";
        }
        if (run.ended != null && !run.endedSent && run.gap == null) {
            run.endedSent = true;
            return Json.write(Json.frame("ended", "run", run.ended));
        }
        return null;
    }

    /** The primary holds the run's events up to {@code seq}: free them, forget a finished run, fill gaps. */
    synchronized void ack(String id, long seq) throws IOException {
        OutboxRun run = closed ? null : runs.get(id);
        if (run == null) {
            return;
        }
        if (seq > run.ackedSeq && acks.append(id, seq)) {
            Map<String, Long> acked = new HashMap<>();
            runs.values().forEach(r -> acked.put(r.id, Math.max(r.ackedSeq, r == run ? seq : 0)));
            acks.rewrite(acked);
        }
        bytes -= run.ack(seq);
        if (run.finished()) {
            forget(run);
        }
        for (OutboxRun other : runs.values()) {
            if (other.gap != null && !writeGap(other)) {
                break;
            }
        }
    }

    /** The primary missed events after {@code after}: send them again (and the end after them). */
    synchronized boolean resend(String id, long after) {
        OutboxRun run = runs.get(id);
        if (run == null) {
            return false;
        }
        run.rewindTo(after);
        run.endedSent = false;
        return true;
    }

    /** A new link: everything unacknowledged goes again, in order. */
    synchronized void rewind() {
        runs.values().forEach(OutboxRun::rewind);
    }

    /** Every run the primary has not acknowledged to its end, oldest first. */
    synchronized List<String> runIds() {
        return runs.values().stream().filter(r -> r.created != null).map(r -> r.id).toList();
    }

    /** The newest record the outbox holds of a run: its end, else its creation. */
    synchronized Map<String, Object> record(String id) {
        OutboxRun run = runs.get(id);
        if (run == null) {
            return null;
        }
        Map<String, Object> record = run.ended != null ? run.ended : run.created;
        return record == null ? null : new LinkedHashMap<>(record);
    }

    /** Whether a run is still held (the primary has not acknowledged its end). */
    synchronized boolean holds(String id) {
        return runs.containsKey(id);
    }

    synchronized long bytes() {
        return bytes;
    }

    /** Whether anything is waiting to be sent (for a drain before shutdown). */
    synchronized boolean hasUnsent() {
        for (OutboxRun run : runs.values()) {
            if (run.created != null && (!run.createdSent || run.hasUnsent()
                    || run.ended != null && !run.endedSent)) {
                return true;
            }
        }
        return false;
    }

    /** Closes the files and keeps them: what is on disk stays for whoever looks. */
    synchronized void close() {
        closed = true;
        try {
            acks.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the outbox's ack log", e);
        }
        for (OutboxRun run : runs.values()) {
            try {
                run.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing outbox file of run " + run.id, e);
            }
        }
    }

    // ---- inside the lock ----

    private OutboxRun run(String id) {
        if (closed) {
            return null; // what comes after close() is not kept, as if the process had ended
        }
        OutboxRun run = runs.get(id);
        if (run != null) {
            return run;
        }
        try {
            run = OutboxRun.create(id, files, baseName(id));
        } catch (IOException | IllegalArgumentException e) {
            // Without a file the run's events have nowhere to wait; the poll still reports the run.
            LOG.log(System.Logger.Level.ERROR, "cannot open the outbox file of run " + id + ": " + e.getMessage());
            return null;
        }
        runs.put(id, run);
        return run;
    }

    private void save(OutboxRun run, Map<String, Object> record, boolean ended) {
        try {
            if (ended) {
                run.saveEnded(record);
            } else {
                run.saveCreated(record);
            }
        } catch (IOException e) {
            // the live link still gets the record from memory; only a crash before it is acknowledged would lose it
            LOG.log(System.Logger.Level.ERROR, "cannot keep the " + (ended ? "ended" : "created") + " record of run "
                    + run.id + " in the outbox: " + e.getMessage());
        }
    }

    private boolean write(OutboxRun run, long seq, byte[] line) {
        if (bytes + line.length > maxBytes) {
            return false;
        }
        try {
            run.append(seq, line);
        } catch (IOException e) {
            // A full or failing disk is treated like a full outbox: the events become a gap.
            LOG.log(System.Logger.Level.WARNING, "cannot write the outbox of run " + run.id + ": " + e.getMessage());
            return false;
        }
        bytes += line.length;
        return true;
    }

    private boolean writeGap(OutboxRun run) {
        Gap gap = run.gap;
        byte[] line = (Json.event(gap.seq(), "gap", System.currentTimeMillis(), gap.data()) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        if (!write(run, gap.seq(), line)) {
            return false;
        }
        LOG.log(System.Logger.Level.WARNING, "outbox full: run " + run.id + " lost events " + gap.data());
        run.gap = null;
        wakeup.run();
        return true;
    }

    private void forget(OutboxRun run) throws IOException {
        bytes -= run.unackedBytes();
        runs.remove(run.id);
        if (lastServed == run) {
            lastServed = null;
        }
        run.delete();
        forgotten.accept(run.id);
    }

    private static String baseName(String id) {
        // run ids are ULIDs; anything else is made safe for a file name
        return id.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** The highest seq the primary has acknowledged for a run, or -1 when the run is not held. */
    synchronized long ackedSeq(String id) {
        OutboxRun run = runs.get(id);
        return run == null ? -1 : run.ackedSeq;
    }

    /** For tests: the run ids with a file. */
    synchronized List<String> heldRuns() {
        return new ArrayList<>(runs.keySet());
    }
}
