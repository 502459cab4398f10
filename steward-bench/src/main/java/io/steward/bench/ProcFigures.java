package io.steward.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What Linux's {@code /proc} says about processes the benchmark did not necessarily start: resident memory, its peak,
 * and CPU time. PostgreSQL's processes run as another user, but their {@code stat} is readable by everyone, which is
 * all the CPU figure needs. A process that has exited reads as zero (its CPU time is then lost to the sum).
 */
final class ProcFigures {
    /** Clock ticks per second of {@code utime}/{@code stime}: USER_HZ, 100 on every Linux the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private ProcFigures() {
    }

    /** VmRSS in bytes, or 0 when the process is gone. */
    static long rss(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** VmHWM (the highest VmRSS since the process started) in bytes, or 0 when the process is gone. */
    static long peakRss(long pid) {
        return statusField(pid, "VmHWM:");
    }

    /** User plus system CPU time in seconds, or 0 when the process is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** The CPU seconds of every process named {@code comm} (such as {@code postgres}: the server and its backends). */
    static double cpuSecondsOfAll(String comm) {
        double sum = 0;
        for (long pid : pidsNamed(comm)) {
            sum += cpuSeconds(pid);
        }
        return sum;
    }

    static List<Long> pidsNamed(String comm) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    try {
                        if (Files.readString(p.resolve("comm")).strip().equals(comm)) {
                            pids.add(Long.parseLong(name));
                        }
                    } catch (IOException gone) {
                        // exited while we looked
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return pids;
    }

    /** The 1-minute load average, for the record of how busy the machine was. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").strip()) * 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // exited
        }
        return 0;
    }
}
