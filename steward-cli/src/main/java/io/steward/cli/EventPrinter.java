package io.steward.cli;

import java.io.PrintWriter;
import java.util.Map;

/**
 * Renders a run's events for people: one line each, output lines prefixed with their stream. On a terminal the
 * progress bar redraws in place; elsewhere each progress report is a line of its own. Works on an event's kind and
 * JSON data, so events of an in-process coordinator and of a server's stream print alike.
 */
final class EventPrinter {
    private final PrintWriter out;
    private final Terminal terminal;
    private boolean barShown;

    EventPrinter(PrintWriter out, Terminal terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void print(String kind, Map<String, Object> d) {
        String line = switch (kind) {
            case "progress" -> {
                String bar = Terminal.bar(d.get("fraction") instanceof Number n ? n.doubleValue() : 0, d.get("message"));
                if (terminal.tty()) {
                    out.print("\r\u001b[2K" + terminal.bold(bar));
                    out.flush();
                    barShown = true;
                    yield null;
                }
                yield "progress " + bar;
            }
            case "status" -> "status " + d.get("name") + " = " + d.get("value");
            case "event" -> "event  " + d.get("name") + (d.get("data") == null ? "" : " " + d.get("data"));
            case "log" -> "log    " + d.get("level") + ": " + d.get("message");
            case "output" -> terminal.dim(d.get("stream") + " |") + " " + d.get("line");
            case "shared" -> "shared " + d.get("key") + (d.containsKey("removed") ? " removed" : " = " + d.get("value"));
            case "process" -> "process " + d.get("pid") + " " + d.get("action")
                    + (d.containsKey("exitCode") ? " with " + d.get("exitCode") : " " + d.get("command"));
            case "gap" -> terminal.dim("… " + d.get("missed") + " events skipped (too fast to show)");
            case "state" -> "state  " + terminal.state(String.valueOf(d.get("state")));
            default -> null;
        };
        if (line != null) {
            if (barShown) {
                out.print("\r\u001b[2K");
                barShown = false;
            }
            out.println(line);
            out.flush();
        }
    }

    void finish() {
        if (barShown) {
            out.println();
            barShown = false;
        }
        out.flush();
    }
}
