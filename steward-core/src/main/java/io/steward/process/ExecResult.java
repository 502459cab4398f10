package io.steward.process;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a local process ended. A non-zero exit code is a result, not an error.
 *
 * @param exitCode        the exit code; 128 + signal number when killed by a signal
 * @param stdout          captured stdout, at most the spec's output cap in bytes
 * @param stderr          captured stderr, likewise capped
 * @param stdoutTruncated whether stdout went past the cap
 * @param stderrTruncated whether stderr went past the cap
 * @param durationMs      wall time from launch to exit
 * @param pid             the process id it had
 * @param timedOut        whether the process tree was killed because it ran past its timeout
 * @param killed          whether it was killed (by timeout, cancel or {@link LocalProcess#kill()})
 */
public record ExecResult(int exitCode, String stdout, String stderr, boolean stdoutTruncated,
                         boolean stderrTruncated, long durationMs, long pid, boolean timedOut, boolean killed) {

    /** The JSON-compatible form scripts receive. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("exitCode", (long) exitCode);
        map.put("stdout", stdout);
        map.put("stderr", stderr);
        map.put("durationMs", durationMs);
        map.put("pid", pid);
        map.put("truncated", stdoutTruncated || stderrTruncated);
        map.put("stdoutTruncated", stdoutTruncated);
        map.put("stderrTruncated", stderrTruncated);
        map.put("timedOut", timedOut);
        map.put("killed", killed);
        return map;
    }
}
