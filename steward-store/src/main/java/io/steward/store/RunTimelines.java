package io.steward.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's timeline summary computed from its stored events: one lane per script thread and per local process (from
 * its {@code thread}/{@code process} started and ended events) and the marks of its status changes, script events,
 * progress and state. The console draws it without reading the run's whole event list, which for a run with a big
 * output is mostly {@code output} lines it does not need: only the kinds the timeline uses are read, in pages by
 * sequence number, so memory stays bounded by the caps, not by the run.
 *
 * <p>Everything read is committed, so a live run's summary is what is durable so far ({@link Timeline#throughSeq()}
 * says how far); lanes without an end are still running.
 */
public final class RunTimelines {
    public static final int MAX_LANES = 10_000;
    public static final int MAX_MARKS = 10_000;
    /** Events fetched per query. */
    private static final int PAGE = 2_000;

    private final Database db;

    RunTimelines(Database db) {
        this.db = db;
    }

    /**
     * The run's timeline with at most {@code maxLanes} lanes (the first ones started) and {@code maxMarks} marks
     * (the latest ones); the totals say how many there were.
     */
    public Timeline timeline(String runId, int maxLanes, int maxMarks) {
        if (maxLanes < 1 || maxLanes > MAX_LANES) {
            throw new IllegalArgumentException("lanes must be between 1 and " + MAX_LANES + ", not " + maxLanes);
        }
        if (maxMarks < 0 || maxMarks > MAX_MARKS) {
            throw new IllegalArgumentException("marks must be between 0 and " + MAX_MARKS + ", not " + maxMarks);
        }
        Builder b = new Builder(maxLanes, maxMarks);
        long after = 0;
        while (true) {
            long from = after;
            int rows = db.read(c -> {
                int n = 0;
                try (PreparedStatement ps = c.prepareStatement("SELECT seq, kind, event_time, data FROM run_events "
                        + "WHERE run_id = ? AND seq > ? AND kind IN ('thread', 'process', 'status', 'event', "
                        + "'progress', 'state') ORDER BY seq LIMIT " + PAGE)) {
                    ps.setString(1, runId);
                    ps.setLong(2, from);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            n++;
                            b.add(rs.getLong(1), rs.getString(2), rs.getLong(3), Json.readMap(rs.getString(4)));
                        }
                    }
                }
                return n;
            });
            after = b.lastSeq;
            if (rows < PAGE) {
                break;
            }
        }
        return b.build();
    }

    /** Folds events, in order, into lanes and marks. */
    private static final class Builder {
        private final int maxLanes;
        private final int maxMarks;
        private final List<MutableLane> lanes = new ArrayList<>();
        private final Map<String, MutableLane> openThreads = new HashMap<>();
        private final Map<String, MutableLane> openProcesses = new HashMap<>();
        private final ArrayDeque<TimelineMark> marks = new ArrayDeque<>();
        private int lanesTotal;
        private int marksTotal;
        private long lastSeq;
        private Long start;
        private Long end;

        Builder(int maxLanes, int maxMarks) {
            this.maxLanes = maxLanes;
            this.maxMarks = maxMarks;
        }

        void add(long seq, String kind, long time, Map<String, Object> data) {
            lastSeq = seq;
            if (start == null) {
                start = time;
            }
            switch (kind) {
                case "thread" -> thread(time, data);
                case "process" -> process(time, data);
                default -> mark(seq, kind, time, data);
            }
        }

        private void thread(long time, Map<String, Object> data) {
            String name = String.valueOf(data.get("name"));
            if ("started".equals(data.get("action"))) {
                MutableLane lane = open("thread", name, name, text(data.get("parent")), time, null);
                if (lane != null) {
                    openThreads.put(name, lane);
                }
            } else {
                MutableLane lane = openThreads.remove(name);
                if (lane != null) {
                    lane.end = time;
                    lane.outcome = data.get("error") == null ? "ok" : "failed";
                    lane.detail = text(data.get("error"));
                }
            }
        }

        private void process(long time, Map<String, Object> data) {
            String pid = String.valueOf(data.get("pid"));
            if ("started".equals(data.get("action"))) {
                MutableLane lane = open("process", pid, command(data.get("command")), text(data.get("thread")), time,
                        null);
                if (lane != null) {
                    openProcesses.put(pid, lane);
                }
            } else if ("exited".equals(data.get("action"))) {
                MutableLane lane = openProcesses.remove(pid);
                if (lane != null) {
                    lane.end = time;
                    Object code = data.get("exitCode");
                    lane.outcome = Boolean.TRUE.equals(data.get("timedOut")) ? "timed_out"
                            : Boolean.TRUE.equals(data.get("killed")) ? "killed"
                            : code instanceof Number n && n.longValue() == 0 ? "ok" : "failed";
                    lane.detail = "exit " + code;
                }
            }
        }

        private MutableLane open(String kind, String id, String name, String parent, long time, String detail) {
            lanesTotal++;
            if (lanes.size() >= maxLanes) {
                return null;
            }
            MutableLane lane = new MutableLane(kind, id, name, parent, time);
            lane.detail = detail;
            lanes.add(lane);
            return lane;
        }

        private void mark(long seq, String kind, long time, Map<String, Object> data) {
            if (kind.equals("state")) {
                Object state = data.get("state");
                if (!"RUNNING".equals(state) && !"QUEUED".equals(state)) {
                    end = time;
                }
                Map<String, Object> slim = new LinkedHashMap<>();
                slim.put("state", state); // not the result: it may be big, and GET /runs/{id} has it
                data = slim;
            }
            marksTotal++;
            if (maxMarks == 0) {
                return;
            }
            if (marks.size() == maxMarks) {
                marks.removeFirst();
            }
            marks.addLast(new TimelineMark(seq, kind, time, data));
        }

        Timeline build() {
            List<TimelineLane> out = new ArrayList<>(lanes.size());
            for (MutableLane l : lanes) {
                out.add(new TimelineLane(l.kind, l.id, l.name, l.parent, l.start, l.end,
                        l.end == null ? (end == null ? "running" : "unknown") : l.outcome, l.detail));
            }
            return new Timeline(start, end, List.copyOf(out), lanesTotal, List.copyOf(marks), marksTotal, lastSeq);
        }

        private static String text(Object o) {
            return o == null ? null : String.valueOf(o);
        }

        private static String command(Object command) {
            if (command instanceof List<?> argv) {
                StringBuilder sb = new StringBuilder();
                for (Object a : argv) {
                    if (!sb.isEmpty()) {
                        sb.append(' ');
                    }
                    sb.append(a);
                }
                return sb.toString();
            }
            return String.valueOf(command);
        }
    }

    private static final class MutableLane {
        final String kind;
        final String id;
        final String name;
        final String parent;
        final long start;
        Long end;
        String outcome;
        String detail;

        MutableLane(String kind, String id, String name, String parent, long start) {
            this.kind = kind;
            this.id = id;
            this.name = name;
            this.parent = parent;
            this.start = start;
        }
    }

    /**
     * A run's timeline summary; times are epoch milliseconds.
     *
     * @param start      the time of the first event read (null when none is stored yet)
     * @param end        the time the run ended, null while it runs
     * @param throughSeq the last sequence number read: the summary holds every durable event up to it
     */
    public record Timeline(Long start, Long end, List<TimelineLane> lanes, int lanesTotal, List<TimelineMark> marks,
                           int marksTotal, long throughSeq) {
    }

    /**
     * A script thread or local process from start to end.
     *
     * @param id      the thread's name or the process's pid
     * @param parent  the thread that spawned the thread or launched the process (null for the first thread)
     * @param end     null while it runs
     * @param outcome running, ok, failed, timed_out, killed, or unknown (the run ended without its end event)
     */
    public record TimelineLane(String kind, String id, String name, String parent, long start, Long end,
                               String outcome, String detail) {
    }

    /** A status change, script event, progress report or state change at a time. */
    public record TimelineMark(long seq, String kind, long time, Map<String, Object> data) {
    }
}
