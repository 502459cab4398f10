package io.steward.cli;

import java.util.Map;

/**
 * The final lines about a run: its state, duration and result or error. Takes the run's JSON (docs/api.md), so a
 * run of the in-process coordinator ({@code RunSnapshot.toMap()}) and one from a server read the same.
 */
final class Summary {
    private Summary() {
    }

    static String of(Map<String, Object> run, Terminal terminal) {
        String state = String.valueOf(run.get("state"));
        StringBuilder sb = new StringBuilder();
        sb.append("run ").append(run.get("id")).append(' ').append(run.get("script")).append(": ").append(terminal.state(state));
        if (run.get("durationMs") instanceof Number ms) {
            sb.append(" in ").append(ms.longValue()).append(" ms");
        }
        if ("SUCCEEDED".equals(state)) {
            sb.append(System.lineSeparator()).append("result: ").append(Json.write(run.get("result")).replace("\n", "\n        "));
        } else if (run.get("error") != null) {
            sb.append(System.lineSeparator()).append("error: ").append(Format.error(run.get("error")));
        }
        return sb.toString();
    }
}
