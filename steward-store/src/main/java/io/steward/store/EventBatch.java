package io.steward.store;

import io.steward.coordinator.RunEvent;
import io.steward.coordinator.RunState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One group commit: what a run of queued items becomes in the database, worked out once before the transaction so
 * that a retried transaction binds the same rows again instead of serialising them twice.
 *
 * <p>Run records are folded per run: a run created and ended within one batch is one INSERT of its final row; a run
 * that only had events gets one {@code last_seq} update, plus a guarded QUEUED → RUNNING update if its RUNNING
 * event is among them. Events already below a run's durable watermark are skipped, so a replayed event is not a
 * duplicate key.
 */
final class EventBatch {
    record EventRow(String runId, long seq, String kind, long time, String data) {
    }

    /** Where the run's output stands just before the output event {@code seq}. */
    record MarkRow(String runId, long seq, OutputPosition at) {
    }

    final List<EventRow> events = new ArrayList<>();
    final List<MarkRow> marks = new ArrayList<>();
    /** Runs created in this batch, with whatever else this batch knows of them folded in. */
    final Map<String, RunRow> inserts = new LinkedHashMap<>();
    /** Runs created earlier that end in this batch. */
    final Map<String, RunRow> ends = new LinkedHashMap<>();
    /** Runs created earlier with events in this batch: their new last sequence number. */
    final Map<String, Long> lastSeqs = new LinkedHashMap<>();
    /** Runs created earlier whose RUNNING event is in this batch, and when it happened. */
    final Map<String, Instant> running = new LinkedHashMap<>();
    final List<AuditRow> audit = new ArrayList<>();
    final List<CompletableFuture<Void>> barriers = new ArrayList<>();
    /** Barriers of invokers answered at their run's end: released once the batch is logged (see WriteAheadLog). */
    final List<CompletableFuture<Void>> answers = new ArrayList<>();
    /** This batch's number in the write-ahead log; 0 when it was not logged. */
    long logged;
    /** Invokers waiting for runs created in this batch. */
    final List<WriterItem.Admission> admissions = new ArrayList<>();
    /** Invokers waiting for runs whose record an earlier batch committed: durable already. */
    final List<WriterItem.Admission> admitted = new ArrayList<>();
    /** The highest sequence number per run in this batch: the watermarks after commit. */
    final Map<String, Long> maxSeq = new HashMap<>();
    /** Output positions per run after this batch, for {@link OutputOffsets} after commit. */
    final Map<String, OutputPosition> outputPositions = new HashMap<>();
    final Set<String> created = new HashSet<>();
    final Set<String> ended = new HashSet<>();
    /** Items that are not JSON and so cannot be stored at all, described for the log. */
    final List<String> refused = new ArrayList<>();
    int items;
    boolean stop;

    static EventBatch of(List<WriterItem> items, Watermarks watermarks, OutputOffsets offsets) {
        EventBatch batch = new EventBatch();
        for (WriterItem item : items) {
            try {
                batch.add(item, watermarks, offsets);
            } catch (IllegalArgumentException notJson) {
                // The coordinator only hands on JSON values, so this is a bug elsewhere; it costs only this item.
                batch.refused.add(item + ": " + notJson.getMessage());
            }
        }
        return batch;
    }

    /**
     * The runs whose record this batch changes in what lists of runs show: created, started or ended, or given a
     * {@code state} or {@code progress} event.
     */
    Set<String> listedChanges() {
        Set<String> changed = new HashSet<>(created);
        changed.addAll(running.keySet());
        changed.addAll(ended);
        for (EventRow e : events) {
            if (e.kind().equals("state") || e.kind().equals("progress")) {
                changed.add(e.runId());
            }
        }
        return changed;
    }

    boolean hasWork() {
        return !events.isEmpty() || !inserts.isEmpty() || !ends.isEmpty() || !audit.isEmpty();
    }

    private void add(WriterItem item, Watermarks watermarks, OutputOffsets offsets) {
        switch (item) {
            case WriterItem.Event e -> event(e.event(), watermarks, offsets);
            case WriterItem.Created c -> {
                items++;
                created.add(c.run().id());
                offsets.created(c.run().id());
                RunRow row = RunRow.of(c.run());
                Long max = maxSeq.get(row.id());
                // The run's first events were accepted before its record, possibly into this batch.
                inserts.put(row.id(), max == null ? row : row.lastSeq(max));
            }
            case WriterItem.Ended e -> {
                items++;
                ended.add(e.run().id());
                RunRow row = RunRow.of(e.run());
                if (inserts.containsKey(row.id())) {
                    inserts.put(row.id(), row);
                } else {
                    ends.put(row.id(), row);
                    lastSeqs.remove(row.id());
                    running.remove(row.id());
                }
            }
            case WriterItem.Audit a -> {
                items++;
                audit.add(a.row());
            }
            case WriterItem.Barrier b -> (b.answer() ? answers : barriers).add(b.done());
            // The run's Created item was queued before its admission, so it is in this batch or a committed one.
            case WriterItem.Admission a -> (created.contains(a.runId()) ? admissions : admitted).add(a);
            case WriterItem.Stop s -> stop = true;
        }
    }

    private void event(RunEvent event, Watermarks watermarks, OutputOffsets offsets) {
        items++;
        String runId = event.runId();
        long seen = Math.max(maxSeq.getOrDefault(runId, -1L), watermarks.known(runId));
        if (event.seq() <= seen) {
            return;
        }
        events.add(new EventRow(runId, event.seq(), event.kind(), event.time(), Json.write(event.data())));
        maxSeq.put(runId, event.seq());
        String line = OutputPosition.line(event);
        if (line != null) {
            output(runId, event, line, offsets);
        }
        RunRow inserted = inserts.get(runId);
        boolean nowRunning = "state".equals(event.kind()) && RunState.RUNNING.name().equals(event.data().get("state"));
        if (inserted != null) {
            inserted = inserted.lastSeq(event.seq());
            inserts.put(runId, nowRunning && inserted.state() == RunState.QUEUED
                    ? inserted.running(Instant.ofEpochMilli(event.time())) : inserted);
        } else if (!ends.containsKey(runId)) {
            lastSeqs.put(runId, event.seq());
            if (nowRunning) {
                running.put(runId, Instant.ofEpochMilli(event.time()));
            }
        }
    }

    private void output(String runId, RunEvent event, String line, OutputOffsets offsets) {
        OutputPosition before = outputPositions.computeIfAbsent(runId, offsets::position);
        if (before.markDue()) {
            marks.add(new MarkRow(runId, event.seq(), before));
        }
        outputPositions.put(runId, before.plus(OutputPosition.stream(event.data().get("stream")),
                OutputPosition.bytes(line)));
    }
}
