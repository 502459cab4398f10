package io.steward.process;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Asks the operating system about process ids, for tests that must show a process (tree) is gone.
 *
 * <p>A zombie (state {@code Z} in {@code /proc/<pid>/stat}) counts as gone: it has been killed and
 * only waits to be reaped, and PID 1 in a container may never reap orphans. {@link ProcessHandle#isAlive()}
 * is no help here, as it reports such zombies alive.
 */
public final class Pids {
    private Pids() {
    }

    /** Whether the process has ended: no such pid, or a zombie (or dead) entry. */
    public static boolean gone(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            // The entry vanished while being read (ESRCH): the process was reaped.
            return true;
        }
        // "pid (comm) S ...": comm may hold spaces and parentheses, so the state follows the last ')'.
        char state = stat.charAt(stat.lastIndexOf(')') + 2);
        return state == 'Z' || state == 'X' || state == 'x';
    }

    public static boolean running(long pid) {
        return !gone(pid);
    }

    /** The running descendants of a process, children first. */
    public static List<Long> descendants(long pid) {
        return ProcessHandle.of(pid).stream()
                .flatMap(ProcessHandle::descendants)
                .map(ProcessHandle::pid)
                .filter(Pids::running)
                .toList();
    }

    /** Waits until every pid is gone; fails the test naming the survivors otherwise. */
    public static void awaitGone(Collection<Long> pids) {
        await("processes " + pids + " gone").atMost(Duration.ofSeconds(10))
                .until(() -> pids.stream().allMatch(Pids::gone));
    }

    /**
     * Handles on these pids, taken now. A handle remembers its process's start time, so killing through
     * it can never hit a later process that was given the same pid.
     */
    public static List<ProcessHandle> handles(Collection<Long> pids) {
        return pids.stream().flatMap(pid -> ProcessHandle.of(pid).stream()).toList();
    }

    /** Kills whatever of these is still running: what a failed test would otherwise leave behind. */
    public static void killAll(Collection<ProcessHandle> handles) {
        handles.forEach(ProcessHandle::destroyForcibly);
    }
}
