package io.steward.cli;

import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;

/** The final lines about a run: its state, duration and result or error. */
final class Summary {
    private Summary() {
    }

    static String of(RunSnapshot run, Terminal terminal) {
        String state = run.state() == RunState.SUCCEEDED ? terminal.green(run.state().name()) : terminal.red(run.state().name());
        StringBuilder sb = new StringBuilder();
        sb.append("run ").append(run.id()).append(' ').append(run.script()).append(": ").append(state)
                .append(" in ").append(run.duration().toMillis()).append(" ms");
        if (run.state() == RunState.SUCCEEDED) {
            sb.append(System.lineSeparator()).append("result: ").append(Json.write(run.result()).replace("\n", "\n        "));
        } else if (run.error() != null) {
            sb.append(System.lineSeparator()).append("error: ").append(run.error());
        }
        return sb.toString();
    }
}
