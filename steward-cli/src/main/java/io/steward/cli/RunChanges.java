package io.steward.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changed between two polls of a run, one line per change, for {@code watch} when the output is not a
 * terminal (a log file, a CI job): a screen that redraws would be noise there, a line per change is a record.
 */
final class RunChanges {
    private RunChanges() {
    }

    /** The changes from {@code before} (null for none yet: everything is new) to {@code now}. */
    static List<String> between(Map<String, Object> before, Map<String, Object> now) {
        Map<String, Object> was = before == null ? Map.of() : before;
        List<String> lines = new ArrayList<>();
        if (!Objects.equals(was.get("state"), now.get("state"))) {
            lines.add("state    " + now.get("state"));
        }
        Map<String, Object> progress = RunView.map(RunView.map(now.get("status")).get("progress"));
        if (!progress.equals(RunView.map(RunView.map(was.get("status")).get("progress"))) && progress.get("fraction") instanceof Number f) {
            lines.add("progress " + Terminal.bar(f.doubleValue(), progress.get("message")));
        }
        values(lines, "status", RunView.map(RunView.map(was.get("status")).get("values")), RunView.map(RunView.map(now.get("status")).get("values")));
        values(lines, "shared", RunView.map(was.get("shared")), RunView.map(now.get("shared")));
        int threads = RunView.list(now.get("threads")).size();
        if (before == null || threads != RunView.list(was.get("threads")).size()) {
            lines.add("threads  " + threads + " live");
        }
        Set<Object> oldPids = pids(was);
        Set<Object> newPids = pids(now);
        for (Map<String, Object> p : RunView.list(now.get("processes"))) {
            if (!oldPids.contains(p.get("pid"))) {
                lines.add("process  " + p.get("pid") + " started: " + Format.value(p.get("command")));
            }
        }
        for (Object pid : oldPids) {
            if (!newPids.contains(pid)) {
                lines.add("process  " + pid + " ended");
            }
        }
        return lines;
    }

    private static void values(List<String> lines, String label, Map<String, Object> was, Map<String, Object> now) {
        String prefix = String.format("%-9s", label);
        now.forEach((k, v) -> {
            if (!was.containsKey(k) || !Objects.equals(was.get(k), v)) {
                lines.add(prefix + k + " = " + Format.value(v));
            }
        });
        was.keySet().stream().filter(k -> !now.containsKey(k)).forEach(k -> lines.add(prefix + k + " removed"));
    }

    private static Set<Object> pids(Map<String, Object> run) {
        Set<Object> pids = new LinkedHashSet<>();
        RunView.list(run.get("processes")).forEach(p -> pids.add(p.get("pid")));
        return pids;
    }
}
