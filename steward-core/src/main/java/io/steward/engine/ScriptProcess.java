package io.steward.engine;

import io.steward.process.ExecResult;
import io.steward.process.LocalProcess;

import java.time.Duration;
import java.util.Map;

/** The handle {@code start(…)} gives a script: a local process that runs on while the script goes on. */
public final class ScriptProcess {
    private final LocalProcess process;

    ScriptProcess(LocalProcess process) {
        this.process = process;
    }

    public long getPid() {
        return process.pid();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stdout so far (capped like {@code exec}'s). */
    public String getOutput() {
        return process.output();
    }

    public String output() {
        return process.output();
    }

    /** Waits for the end and returns the result map that {@code exec} returns. */
    public Map<String, Object> waitFor() throws InterruptedException {
        return process.waitFor().toMap();
    }

    /** Waits at most {@code timeoutMs}; returns the result map, or {@code null} while it still runs. */
    public Map<String, Object> waitFor(long timeoutMs) throws InterruptedException {
        ExecResult result = process.waitFor(Duration.ofMillis(Math.max(0, timeoutMs)));
        return result == null ? null : result.toMap();
    }

    /** Kills the process and everything it started. */
    public void kill() {
        process.kill();
    }

    @Override
    public String toString() {
        return "process " + process.pid() + " " + process.info().command();
    }
}
