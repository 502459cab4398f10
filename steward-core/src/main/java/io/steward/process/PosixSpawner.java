package io.steward.process;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Starts children with glibc's {@code posix_spawnp} through JNA: one {@code clone(CLONE_VM|CLONE_VFORK)} and one
 * {@code exec} of the program, where the JDK posix_spawns its {@code jspawnhelper}, which then execs the program
 * (two execs and a helper's dynamic linking per child: about three times the cost for {@code /bin/true}).
 *
 * <p>The child's side is set up by file actions, so nothing of ours runs between fork and exec: stdout and stderr
 * (and stdin when there is text for it, {@code /dev/null} otherwise) are {@code dup2}ed from pipes made with
 * {@code O_CLOEXEC}, the working directory is entered with {@code addchdir_np} (glibc 2.29), and every other
 * descriptor is closed with {@code addclosefrom_np} (glibc 2.34) — the JVM opens many files without
 * {@code O_CLOEXEC}, and a child must not inherit a server's listening socket. The signal mask is emptied. A
 * program that is not a valid executable ({@code ENOEXEC}: a script without {@code #!}) is handed to the JDK,
 * which runs it through {@code /bin/sh} where {@code posix_spawnp} does not.
 *
 * <p>The parent's pipe ends become Java streams by opening {@code /proc/self/fd/N} (the raw descriptors are closed
 * right after). Such a stream's read blocks its thread in native code: on a virtual thread it would pin the
 * carrier (the JDK's own process streams tell the scheduler to compensate, through an internal API that is not
 * ours to call), and two pumps blocked on long-running children would stall every virtual thread of a two-core
 * machine. So the pumps, the stdin feeder and the reapers run on a cached pool of small-stack platform threads,
 * reused from one child to the next, which costs about what starting virtual threads does.
 *
 * <p>Reaping: each child gets a thread from a cached pool of small-stack daemon threads (the JDK's "process
 * reaper" does the same), which waits with {@code waitid(WNOWAIT)} — the child exited but is not reaped — then
 * reaps it with {@code waitpid} under the child's lock. {@link Child#killTree()} takes the same lock and does
 * nothing once the child is reaped, so it can never signal a process that was given the pid afterwards. Never
 * {@code waitpid(-1)}: that would steal the exit of processes the JDK started.
 */
final class PosixSpawner implements Spawner {
    private static final System.Logger LOG = System.getLogger(PosixSpawner.class.getName());

    // Linux values, identical on x86_64 and aarch64 (the only architectures this is used on).
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    private static final int ENOEXEC = 8;
    private static final int P_PID = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** Bytes reserved for glibc's opaque types (their real sizes: 80, 336, 128 and 128). */
    private static final int ACTIONS_SIZE = 256;
    private static final int ATTR_SIZE = 512;
    private static final int SIGSET_SIZE = 128;
    private static final int SIGINFO_SIZE = 128;

    private static final Charset JNU = charset(System.getProperty("sun.jnu.encoding"));
    private static final Memory DEV_NULL = cStrings(List.of("/dev/null"));
    /** Reapers and stream pumps: platform threads, reused, with small stacks (the JDK's reaper has 128 KiB). */
    private static final ExecutorService THREADS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(null, r, "steward-process-io", 256 * 1024);
                t.setDaemon(true);
                return t;
            });
    private static volatile Memory inheritedEnv;

    private PosixSpawner() {
    }

    /** The glibc functions used, bound by JNA direct mapping (cheaper per call than an interface proxy). */
    private static final class LibC {
        static {
            Native.register(LibC.class, NativeLibrary.getInstance("c"));
        }

        static native int pipe2(int[] fds, int flags) throws LastErrorException;

        static native int close(int fd);

        static native int posix_spawn_file_actions_init(Pointer actions);

        static native int posix_spawn_file_actions_destroy(Pointer actions);

        static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

        static native int posix_spawn_file_actions_addopen(Pointer actions, int fd, Pointer path, int flags, int mode);

        static native int posix_spawn_file_actions_addchdir_np(Pointer actions, Pointer path);

        static native int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

        static native int posix_spawnattr_init(Pointer attr);

        static native int posix_spawnattr_destroy(Pointer attr);

        static native int posix_spawnattr_setflags(Pointer attr, short flags);

        static native int posix_spawnattr_setsigmask(Pointer attr, Pointer mask);

        static native int sigemptyset(Pointer set);

        static native int posix_spawnp(int[] pid, Pointer file, Pointer actions, Pointer attr, Pointer argv, Pointer envp);

        static native int waitid(int idType, int id, Pointer info, int options) throws LastErrorException;

        static native int waitpid(int pid, int[] status, int options) throws LastErrorException;

        static native String strerror(int errno);
    }

    /** Loads once: whether this machine can use the spawner, and why not. */
    private static final class Probe {
        static final String PROBLEM = probe();
        static final PosixSpawner INSTANCE = PROBLEM == null ? new PosixSpawner() : null;

        private static String probe() {
            String os = System.getProperty("os.name", "");
            String arch = System.getProperty("os.arch", "");
            if (!os.equals("Linux") || !List.of("amd64", "x86_64", "aarch64").contains(arch)) {
                return "not Linux on x86_64 or aarch64 (" + os + " " + arch + ")";
            }
            if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
                return "no /proc/self/fd";
            }
            try {
                LibC.sigemptyset(new Memory(SIGSET_SIZE)); // binds every function, or fails naming the missing one
                return null;
            } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError without JNA, or an older glibc
                return e.toString();
            }
        }
    }

    static boolean available() {
        return Probe.PROBLEM == null;
    }

    static String unavailableReason() {
        return Probe.PROBLEM;
    }

    static PosixSpawner instance() {
        if (!available()) {
            throw new IllegalStateException("the posix spawner cannot load: " + Probe.PROBLEM);
        }
        return Probe.INSTANCE;
    }

    @Override
    public String name() {
        return "posix";
    }

    @Override
    public Child spawn(ProcessSpec spec) throws IOException {
        boolean withStdin = spec.stdin() != null;
        refuseNul(spec);
        int[] out = {-1, -1};
        int[] err = {-1, -1};
        int[] in = {-1, -1};
        Memory argv = cStrings(spec.argv());
        Memory envp = spec.env().isEmpty() ? inheritedEnv() : environment(spec.env());
        Memory dir = spec.dir() == null ? null : cStrings(List.of(spec.dir().toString()));
        Memory scratch = new Memory(ACTIONS_SIZE + ATTR_SIZE + SIGSET_SIZE);
        Pointer actions = scratch.share(0, ACTIONS_SIZE);
        Pointer attr = scratch.share(ACTIONS_SIZE, ATTR_SIZE);
        Pointer mask = scratch.share(ACTIONS_SIZE + ATTR_SIZE, SIGSET_SIZE);
        boolean actionsMade = false;
        boolean attrMade = false;
        boolean started = false;
        try {
            pipe(out);
            pipe(err);
            if (withStdin) {
                pipe(in);
            }
            check(LibC.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            actionsMade = true;
            check(LibC.posix_spawn_file_actions_adddup2(actions, out[1], 1), "adddup2");
            check(LibC.posix_spawn_file_actions_adddup2(actions, err[1], 2), "adddup2");
            if (withStdin) {
                check(LibC.posix_spawn_file_actions_adddup2(actions, in[0], 0), "adddup2");
            } else {
                check(LibC.posix_spawn_file_actions_addopen(actions, 0, DEV_NULL.getPointer(0), O_RDONLY, 0), "addopen");
            }
            if (dir != null) {
                check(LibC.posix_spawn_file_actions_addchdir_np(actions, dir.getPointer(0)), "addchdir_np");
            }
            check(LibC.posix_spawn_file_actions_addclosefrom_np(actions, 3), "addclosefrom_np");
            check(LibC.posix_spawnattr_init(attr), "posix_spawnattr_init");
            attrMade = true;
            LibC.sigemptyset(mask);
            check(LibC.posix_spawnattr_setsigmask(attr, mask), "setsigmask");
            check(LibC.posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGMASK), "setflags");

            int[] pid = new int[1];
            int rc = LibC.posix_spawnp(pid, argv.getPointer(0), actions, attr, argv, envp);
            if (rc == ENOEXEC) {
                return JdkSpawner.INSTANCE.spawn(spec);
            }
            if (rc != 0) {
                throw new IOException("error=" + rc + ", " + LibC.strerror(rc));
            }
            // The child has its copies (it has even exec'd: glibc's posix_spawn returns after the exec).
            closeFd(out, 1);
            closeFd(err, 1);
            closeFd(in, 0);
            PosixChild child = new PosixChild(pid[0], reopenIn(out), reopenIn(err), withStdin ? reopenOut(in) : null);
            started = true;
            THREADS.execute(named("steward-reaper-" + pid[0], child::reap));
            return child;
        } finally {
            if (attrMade) {
                LibC.posix_spawnattr_destroy(attr);
            }
            if (actionsMade) {
                LibC.posix_spawn_file_actions_destroy(actions);
            }
            if (!started) {
                for (int[] p : List.of(out, in, err)) {
                    closeFd(p, 0);
                    closeFd(p, 1);
                }
            }
            scratch.close();
            argv.close();
            if (envp != inheritedEnv) {
                envp.close();
            }
            if (dir != null) {
                dir.close();
            }
        }
    }

    /** C strings end at NUL; the JDK refuses such a command too. */
    private static void refuseNul(ProcessSpec spec) throws IOException {
        List<String> all = new ArrayList<>(spec.argv());
        spec.env().forEach((k, v) -> {
            all.add(k);
            all.add(v);
        });
        if (spec.dir() != null) {
            all.add(spec.dir().toString());
        }
        for (String s : all) {
            if (s.indexOf('\0') >= 0) {
                throw new IOException("invalid null character in command, environment or directory: " + s.replace('\0', '?'));
            }
        }
    }

    private static void pipe(int[] fds) throws IOException {
        try {
            LibC.pipe2(fds, O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("pipe2: " + LibC.strerror(e.getErrorCode()), e);
        }
    }

    private static void check(int rc, String what) throws IOException {
        if (rc != 0) {
            throw new IOException(what + ": error=" + rc + ", " + LibC.strerror(rc));
        }
    }

    private static void closeFd(int[] fds, int i) {
        if (fds[i] >= 0) {
            LibC.close(fds[i]);
            fds[i] = -1;
        }
    }

    /** A stream on our end of a pipe: its own descriptor, opened through /proc; the raw one is closed. */
    private static InputStream reopenIn(int[] fds) throws IOException {
        InputStream s = new FileInputStream("/proc/self/fd/" + fds[0]);
        closeFd(fds, 0);
        return s;
    }

    private static OutputStream reopenOut(int[] fds) throws IOException {
        OutputStream s = new FileOutputStream("/proc/self/fd/" + fds[1]);
        closeFd(fds, 1);
        return s;
    }

    /** The JVM's environment never changes: built once, kept for every spawn without extra variables. */
    private static Memory inheritedEnv() throws IOException {
        Memory env = inheritedEnv;
        if (env == null) {
            env = environment(Map.of());
            inheritedEnv = env;
        }
        return env;
    }

    private static Memory environment(Map<String, String> extra) throws IOException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(extra);
        List<String> entries = new ArrayList<>(env.size());
        env.forEach((k, v) -> entries.add(k + "=" + v));
        return cStrings(entries);
    }

    /**
     * A {@code NULL}-terminated {@code char*} array and its strings in one block, so that one {@code free} releases
     * it: the array is the block's start, and {@code getPointer(0)} the first string. Encoded as the JDK encodes
     * command lines ({@code sun.jnu.encoding}).
     */
    private static Memory cStrings(List<String> strings) {
        byte[][] bytes = new byte[strings.size()][];
        long table = (long) (strings.size() + 1) * Native.POINTER_SIZE;
        long size = table;
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = strings.get(i).getBytes(JNU);
            size += bytes[i].length + 1;
        }
        Memory m = new Memory(size);
        long base = Pointer.nativeValue(m);
        long at = table;
        for (int i = 0; i < bytes.length; i++) {
            m.setLong((long) i * Native.POINTER_SIZE, base + at);
            m.write(at, bytes[i], 0, bytes[i].length);
            m.setByte(at + bytes[i].length, (byte) 0);
            at += bytes[i].length + 1;
        }
        m.setLong((long) bytes.length * Native.POINTER_SIZE, 0);
        return m;
    }

    /** The task under a name that says what the pooled thread is doing, for thread dumps and logs. */
    private static Runnable named(String name, Runnable task) {
        return () -> {
            Thread t = Thread.currentThread();
            t.setName(name);
            try {
                task.run();
            } finally {
                t.setName("steward-process-io");
            }
        };
    }

    private static Charset charset(String name) {
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static final class PosixChild implements Child {
        private final int pid;
        private final InputStream stdout;
        private final InputStream stderr;
        private final OutputStream stdin;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private boolean reaped; // guarded by this

        PosixChild(int pid, InputStream stdout, InputStream stderr, OutputStream stdin) {
            this.pid = pid;
            this.stdout = stdout;
            this.stderr = stderr;
            this.stdin = stdin;
        }

        /** On a reaper thread: waits for the exit without reaping, then reaps under the lock that killTree takes. */
        void reap() {
            try (Memory info = new Memory(SIGINFO_SIZE)) {
                while (true) {
                    try {
                        LibC.waitid(P_PID, pid, info, WEXITED | WNOWAIT);
                        break;
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() != EINTR) {
                            throw e;
                        }
                    }
                }
                int[] status = new int[1];
                synchronized (this) {
                    while (true) {
                        try {
                            LibC.waitpid(pid, status, 0);
                            break;
                        } catch (LastErrorException e) {
                            if (e.getErrorCode() != EINTR) {
                                throw e;
                            }
                        }
                    }
                    reaped = true;
                }
                exit.complete(decode(status[0]));
            } catch (LastErrorException e) {
                // ECHILD: something else in this JVM reaped our child (waitpid(-1)); its exit code is lost.
                LOG.log(System.Logger.Level.WARNING, "cannot reap pid " + pid + ": " + LibC.strerror(e.getErrorCode()));
                synchronized (this) {
                    reaped = true;
                }
                exit.complete(-1);
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            }
        }

        /** The shell's convention, as the JDK's: the exit status, or 128 + the number of the signal that ended it. */
        private static int decode(int status) {
            int signal = status & 0x7f;
            return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public InputStream stdout() {
            return stdout;
        }

        @Override
        public InputStream stderr() {
            return stderr;
        }

        @Override
        public OutputStream stdin() {
            return stdin;
        }

        @Override
        public CompletableFuture<Integer> exitCode() {
            return exit;
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone();
        }

        @Override
        public Future<?> onStreamThread(String name, Runnable task) {
            return CompletableFuture.runAsync(named(name, task), THREADS);
        }

        @Override
        public synchronized void killTree() {
            if (!reaped) {
                ProcessHandle.of(pid).ifPresent(ProcessTree::kill);
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "posix child %d", pid);
        }
    }
}
