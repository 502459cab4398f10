package io.steward.store;

import io.steward.coordinator.RunEvent;

/**
 * Where a run's process output stands: how many output lines and how many bytes of all output, of stdout and of
 * stderr have been written. The text of an output event is its line plus {@code "\n"}, counted in UTF-8 bytes.
 * Immutable: the writer keeps the committed position and works on copies until a batch commits.
 */
record OutputPosition(long lines, long all, long stdout, long stderr) {
    static final OutputPosition START = new OutputPosition(0, 0, 0, 0);
    /** A mark row every this many output lines. */
    static final int MARK_EVERY = 256;

    boolean markDue() {
        return lines % MARK_EVERY == 0;
    }

    /** The bytes before this point in {@code stream} ({@code "stdout"}, {@code "stderr"}), or in all output (null). */
    long in(String stream) {
        if (stream == null) {
            return all;
        }
        return stream.equals("stderr") ? stderr : stdout;
    }

    OutputPosition plus(String stream, long bytes) {
        boolean err = "stderr".equals(stream);
        return new OutputPosition(lines + 1, all + bytes, err ? stdout : stdout + bytes, err ? stderr + bytes : stderr);
    }

    /** The line of an output event, or null when the event is not one. */
    static String line(RunEvent event) {
        return "output".equals(event.kind()) && event.data().get("line") instanceof String line ? line : null;
    }

    /** The stream an output event's data names: {@code stderr}, or else {@code stdout}. */
    static String stream(Object stream) {
        return "stderr".equals(stream) ? "stderr" : "stdout";
    }

    static long bytes(String line) {
        return Utf8.length(line) + 1;
    }
}
