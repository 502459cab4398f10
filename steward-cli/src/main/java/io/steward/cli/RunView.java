package io.steward.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's JSON (the poll of docs/api.md) as a screenful for people: state and timing, progress, status values,
 * shared data, script threads, local processes, children, and the result or error. Used by {@code status} and by
 * {@code watch}, which redraws it.
 */
final class RunView {
    private RunView() {
    }

    static List<String> lines(Map<String, Object> run, Terminal terminal) {
        List<String> lines = new ArrayList<>();
        String state = String.valueOf(run.get("state"));
        lines.add(terminal.bold("run " + run.get("id")) + "  " + run.get("script") + " v" + Format.value(run.get("version"))
                + "  " + terminal.state(state) + "  on " + Format.value(run.get("node")) + "  " + Format.duration(run.get("durationMs")));
        lines.add("started  " + Format.time(run.get("startedAt")) + (run.get("endedAt") == null ? ""
                : "   ended " + Format.time(run.get("endedAt"))) + "   by " + Format.value(run.get("invoker")));
        Map<String, Object> status = map(run.get("status"));
        Map<String, Object> progress = map(status.get("progress"));
        if (progress.get("fraction") instanceof Number fraction) {
            lines.add("progress " + Terminal.bar(fraction.doubleValue(), progress.get("message")));
        }
        entries(lines, "status", map(status.get("values")));
        entries(lines, "shared", map(run.get("shared")));
        List<Map<String, Object>> threads = list(run.get("threads"));
        lines.add("threads  " + threads.size() + " live, " + Format.value(run.get("threadsStarted")) + " started");
        List<Map<String, Object>> processes = list(run.get("processes"));
        for (int i = 0; i < processes.size(); i++) {
            Map<String, Object> p = processes.get(i);
            lines.add((i == 0 ? "process  " : "         ") + Format.value(p.get("pid")) + "  " + Format.value(p.get("command")));
        }
        List<Map<String, Object>> children = list(run.get("children"));
        for (int i = 0; i < children.size(); i++) {
            Map<String, Object> c = children.get(i);
            lines.add((i == 0 ? "children " : "         ") + c.get("id") + "  " + Format.value(c.get("node")) + "  "
                    + terminal.state(String.valueOf(c.get("state"))));
        }
        if ("SUCCEEDED".equals(state)) {
            lines.add("result   " + Format.value(run.get("result")));
        } else if (run.get("error") != null) {
            lines.add("error    " + terminal.red(Format.error(run.get("error"))));
        }
        return lines;
    }

    private static void entries(List<String> lines, String label, Map<String, Object> values) {
        boolean first = true;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            lines.add((first ? String.format("%-9s", label) : " ".repeat(9)) + e.getKey() + " = " + Format.value(e.getValue()));
            first = false;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }
}
