package io.steward.cli;

import java.io.PrintWriter;

/** Colour and in-place updates only when the output is a terminal and NO_COLOR is not set. */
record Terminal(boolean tty) {

    private static final boolean TTY = detect();

    static Terminal of(PrintWriter out) {
        return new Terminal(TTY);
    }

    private static boolean detect() {
        return System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM")) && detectTerminal();
    }

    /**
     * Whether this process talks to a person at a terminal (colour settings aside): prompts need one. From JDK 22
     * {@code System.console()} is not null even when output is redirected; {@code Console.isTerminal()} (JDK 22+)
     * tells the truth there, and on JDK 21 a non-null console already means a terminal.
     */
    static boolean detectTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException jdk21) {
            return true;
        }
    }

    String red(String s) {
        return tty ? "\u001b[31m" + s + "\u001b[0m" : s;
    }

    String green(String s) {
        return tty ? "\u001b[32m" + s + "\u001b[0m" : s;
    }

    String dim(String s) {
        return tty ? "\u001b[2m" + s + "\u001b[0m" : s;
    }

    String bold(String s) {
        return tty ? "\u001b[1m" + s + "\u001b[0m" : s;
    }

    /** A run state, green when it succeeded and red when it failed, timed out or was lost. */
    String state(String state) {
        return switch (state) {
            case "SUCCEEDED" -> green(state);
            case "FAILED", "TIMED_OUT", "LOST" -> red(state);
            default -> state;
        };
    }

    /** A 30-character progress bar: {@code [#########.....]  42% message}. */
    static String bar(double fraction, Object message) {
        int filled = (int) Math.round(fraction * 30);
        return "[" + "#".repeat(filled) + ".".repeat(30 - filled) + "] " + String.format("%3d%%", Math.round(fraction * 100))
                + (message == null ? "" : " " + message);
    }
}
