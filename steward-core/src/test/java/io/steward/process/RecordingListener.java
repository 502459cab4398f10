package io.steward.process;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers everything a {@link ProcessListener} hears, in the order heard. */
final class RecordingListener implements ProcessListener {
    final List<ProcessInfo> started = new CopyOnWriteArrayList<>();
    final List<ExecResult> exited = new CopyOnWriteArrayList<>();
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    /** Output lines heard after {@link #exited}: there must be none. */
    volatile int linesAfterExit;
    /** The stdout lines heard by the time {@link #exited} was called. */
    volatile List<String> stdoutAtExit;

    @Override
    public void started(ProcessInfo process) {
        started.add(process);
    }

    @Override
    public void output(ProcessInfo process, StdStream stream, String line) {
        if (!exited.isEmpty()) {
            linesAfterExit++;
        }
        List<String> lines = stream == StdStream.STDOUT ? stdout : stderr;
        synchronized (lines) {
            lines.add(line);
        }
    }

    @Override
    public void exited(ProcessInfo process, ExecResult result) {
        stdoutAtExit = lines(StdStream.STDOUT);
        exited.add(result);
    }

    List<String> lines(StdStream stream) {
        List<String> lines = stream == StdStream.STDOUT ? stdout : stderr;
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }
}
