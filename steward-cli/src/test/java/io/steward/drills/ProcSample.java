package io.steward.drills;

import java.util.List;

/** One look at a process from outside: {@code Threads} and {@code VmRSS} of /proc/PID/status, entries of /proc/PID/fd. */
record ProcSample(long nanos, int threads, int fds, long rssKb) {

    /** The largest of each figure over {@code samples}. */
    static ProcSample max(List<ProcSample> samples) {
        return new ProcSample(0, samples.stream().mapToInt(ProcSample::threads).max().orElse(0),
                samples.stream().mapToInt(ProcSample::fds).max().orElse(0),
                samples.stream().mapToLong(ProcSample::rssKb).max().orElse(0));
    }
}
