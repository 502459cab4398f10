package io.steward.process;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.steward.UserHome;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * <p>One thread per child, from a cached pool of small-stack platform threads, does all the watching (for a
 * virtual caller, the same thread that spawned it, see {@link #spawn}): it
 * {@code poll}s the child's stdout and stderr pipes and a {@code pidfd} (Linux 5.3) that becomes readable when the
 * child exits, hands what it reads to the {@link OutputPump}s, reaps the child, and completes its end once both
 * pipes reached end-of-file or the drain time after the exit ran out. Where the JDK needs two readers and a
 * reaper per child and hands the end over once more, this is one thread and no hand-over; and a read blocked
 * in native code never sits on a virtual thread's carrier (the JDK's own process streams tell the scheduler to
 * compensate through an internal API that is not ours to call; ours would pin it). When a background grandchild
 * keeps a pipe open past the drain time, the thread goes on reading into nothing until the grandchild lets go,
 * so that the grandchild's writes neither block nor fail — as the JDK's readers do.
 *
 * <p>Reaping is by the child's own pid ({@code waitpid}), never {@code waitpid(-1)}, which would steal the exit
 * of processes the JDK started. It happens under the child's lock; {@link Child#killTree()} takes the same lock and
 * does nothing once the child is reaped, so it can never signal a process that was given the pid afterwards.
 */
final class PosixSpawner implements Spawner {
    private static final System.Logger LOG = System.getLogger(PosixSpawner.class.getName());

    // Linux values, identical on x86_64 and aarch64 (the only architectures this is used on).
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    private static final int ENOEXEC = 8;
    private static final int EAGAIN = 11;
    private static final short POLLIN = 0x01;
    /** struct pollfd: int fd, short events, short revents. */
    private static final int POLLFD_SIZE = 8;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** Bytes reserved for glibc's opaque types (their real sizes: 80, 336 and 128). */
    private static final int ACTIONS_SIZE = 256;
    private static final int ATTR_SIZE = 512;
    private static final int SIGSET_SIZE = 128;

    private static final Charset JNU = charset(System.getProperty("sun.jnu.encoding"));
    /** The spawns of virtual callers, the watchers and the stdin feeders: platform threads, reused, with small stacks (the JDK's reaper has 128 KiB). */
    private static final ExecutorService THREADS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(null, r, "steward-process-io", 256 * 1024);
                t.setDaemon(true);
                return t;
            });

    /** Not static: nothing of JNA is touched before {@link Probe} has found that it loads. */
    private final Memory devNull = cStrings(List.of("/dev/null"));

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

        static native int pidfd_open(int pid, int flags) throws LastErrorException;

        static native int poll(Pointer fds, long count, int timeoutMillis) throws LastErrorException;

        static native long read(int fd, byte[] buffer, long count) throws LastErrorException;

        static native long write(int fd, byte[] buffer, long count) throws LastErrorException;

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
            followHomeForJnaCache();
            try {
                LibC.sigemptyset(new Memory(SIGSET_SIZE)); // binds every function, or fails naming the missing one
                LibC.close(LibC.pidfd_open((int) ProcessHandle.current().pid(), 0)); // a kernel with pidfds
                return null;
            } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError without JNA, or an older glibc
                return e.toString();
            }
        }
    }

    /**
     * JNA unpacks its native part into {@code jna.tmpdir}, else {@code $XDG_CACHE_HOME/JNA/temp}, else
     * {@code user.home/.cache/JNA/temp}, and {@code user.home} is the passwd entry's home, not {@code $HOME}: point
     * it under {@link UserHome} unless the user chose a place, so that {@code HOME=/tmp/x steward demo} writes
     * nothing to the real home.
     */
    private static void followHomeForJnaCache() {
        String xdgCache = System.getenv("XDG_CACHE_HOME");
        if (System.getProperty("jna.tmpdir") == null && (xdgCache == null || xdgCache.isBlank())) {
            System.setProperty("jna.tmpdir", UserHome.directory().resolve(".cache/JNA/temp").toString());
        }
    }

    static boolean available() {
        return problem() == null;
    }

    static String unavailableReason() {
        return problem();
    }

    private static String problem() {
        try {
            return Probe.PROBLEM;
        } catch (LinkageError e) { // JNA's classes missing: Probe cannot even be linked
            return e.toString();
        }
    }

    static PosixSpawner instance() {
        if (!available()) {
            throw new IllegalStateException("the posix spawner cannot load: " + problem());
        }
        return Probe.INSTANCE;
    }

    @Override
    public String name() {
        return "posix";
    }

    /**
     * {@code posix_spawn} blocks its caller until the child has exec'd (the vfork is shared memory): on a virtual
     * thread the native call would hold a carrier all that time — one of two on a two-core machine — so a virtual
     * caller hands the spawn to a pooled platform thread and parks. One hand-over more, but the carriers stay free:
     * 8 HTTP clients invoking {@code exec('/bin/true')} got 10–40 % more runs per second this way (ExecLoop, A/B
     * alternating in one JVM). That thread then stays with the child as its watcher and starts polling at once,
     * so {@link Child#watch} only hands it the pumps instead of waking another pooled thread: one thread switch
     * less per child, which is most of what a short child costs this JVM.
     */
    @Override
    public Child spawn(ProcessSpec spec) throws IOException {
        if (Thread.currentThread().isVirtual()) {
            CompletableFuture<Child> f = new CompletableFuture<>();
            runNamed("steward-spawn", () -> {
                Child child;
                try {
                    child = spawnHere(spec);
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                    return;
                }
                PosixChild posix = child instanceof PosixChild p ? p : null;
                if (posix != null) {
                    posix.watcherWaits = true; // before the caller can see the child, so that its watch() hands over
                }
                f.complete(child);
                if (posix != null) {
                    Thread.currentThread().setName("pid-" + posix.pid);
                    posix.watchUntilEnd();
                }
            });
            try {
                return f.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
        return spawnHere(spec);
    }

    private Child spawnHere(ProcessSpec spec) throws IOException {
        boolean withStdin = spec.stdin() != null;
        refuseNul(spec);
        int[] out = {-1, -1};
        int[] err = {-1, -1};
        int[] in = {-1, -1};
        Memory argv = cStrings(spec.argv());
        boolean ownEnv = !spec.env().isEmpty(); // the shared inherited one is never freed: others may be using it
        Memory envp = ownEnv ? environment(spec.env()) : inheritedEnv();
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
                check(LibC.posix_spawn_file_actions_addopen(actions, 0, devNull.getPointer(0), O_RDONLY, 0), "addopen");
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
            int pidfd;
            try {
                pidfd = LibC.pidfd_open(pid[0], 0);
            } catch (LastErrorException e) { // EMFILE: the child runs, but cannot be watched; end it
                ProcessHandle.of(pid[0]).ifPresent(ProcessHandle::destroyForcibly);
                LibC.waitpid(pid[0], new int[1], 0);
                throw new IOException("pidfd_open: " + LibC.strerror(e.getErrorCode()), e);
            }
            started = true;
            return new PosixChild(pid[0], pidfd, out[0], err[0], in[1]);
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
            if (ownEnv) {
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

    /** The inherited environment, encoded once; see {@link InheritedEnv}. */
    private static Memory inheritedEnv() {
        return InheritedEnv.BLOCK;
    }

    /**
     * The environment for a spawn with extra variables: a new pointer table whose entries point into the inherited
     * block — built and encoded once, never freed — except where an extra names an inherited variable (its slot
     * then points at the extra instead, so that the child sees the name once, with the new value) or is new
     * (appended). Only the extras are encoded, into the same allocation as the table, so one {@code free}
     * releases what this made. Every run's processes get extras ({@code STEWARD_SERVER}, {@code STEWARD_RUN_ID},
     * {@code STEWARD_TOKEN}): copying and re-encoding the whole inherited environment per spawn cost more than
     * the extras themselves.
     */
    private static Memory environment(Map<String, String> extra) {
        long[] pointers = InheritedEnv.POINTERS;
        int slots = pointers.length;
        int[] slotOf = new int[extra.size()];
        byte[][] bytes = new byte[extra.size()][];
        long stringsSize = 0;
        int i = 0;
        for (Map.Entry<String, String> e : extra.entrySet()) {
            Integer inherited = InheritedEnv.INDEX.get(e.getKey());
            slotOf[i] = inherited != null ? inherited : slots++;
            bytes[i] = (e.getKey() + "=" + e.getValue()).getBytes(JNU);
            stringsSize += bytes[i].length + 1;
            i++;
        }
        long table = (long) (slots + 1) * Native.POINTER_SIZE;
        Memory m = new Memory(table + stringsSize);
        m.write(0, pointers, 0, pointers.length);
        long base = Pointer.nativeValue(m);
        long at = table;
        for (i = 0; i < bytes.length; i++) {
            m.setLong((long) slotOf[i] * Native.POINTER_SIZE, base + at);
            m.write(at, bytes[i], 0, bytes[i].length);
            m.setByte(at + bytes[i].length, (byte) 0);
            at += bytes[i].length + 1;
        }
        m.setLong((long) slots * Native.POINTER_SIZE, 0);
        return m;
    }

    /**
     * The JVM's environment, which never changes: encoded once into one block that is never freed (spawns without
     * extras use it as it is, spawns with extras point into it), with where each name's entry sits. Initialised on
     * first use by the class loader, so there is exactly one block for the tables of every spawn to point into.
     */
    private static final class InheritedEnv {
        static final Memory BLOCK;
        /** The block's table without its terminating {@code NULL}: the address of each {@code name=value}. */
        static final long[] POINTERS;
        /** The slot of each inherited name in {@link #POINTERS}. */
        static final Map<String, Integer> INDEX;

        static {
            List<String> entries = new ArrayList<>();
            Map<String, Integer> index = new HashMap<>();
            System.getenv().forEach((k, v) -> {
                index.put(k, entries.size());
                entries.add(k + "=" + v);
            });
            BLOCK = cStrings(entries);
            POINTERS = new long[entries.size()];
            BLOCK.read(0, POINTERS, 0, POINTERS.length);
            INDEX = Map.copyOf(index);
        }

        private InheritedEnv() {
        }
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

    /** Runs the task on a pooled thread named for what it does, for thread dumps and logs. */
    private static void runNamed(String name, Runnable task) {
        THREADS.execute(named(name, task));
    }

    private static final class PosixChild implements Child {
        /** How long a watcher that started with the spawn waits for {@link #watch} once the child has something. */
        private static final long WATCH_CALL_TIMEOUT_SECONDS = 60;

        /** What {@link #watch} hands the watcher. */
        private record Watch(OutputPump out, OutputPump err, long drainNanos) {
        }

        private final int pid;
        private final int pidfd;
        private final int stdout;
        private final int stderr;
        private final int stdin;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private final CompletableFuture<Watch> watchCall = new CompletableFuture<>();
        /** Set by the spawning thread before the child is handed out: it is already watching and waits for the pumps. */
        private volatile boolean watcherWaits;
        private boolean reaped; // guarded by this

        PosixChild(int pid, int pidfd, int stdout, int stderr, int stdin) {
            this.pid = pid;
            this.pidfd = pidfd;
            this.stdout = stdout;
            this.stderr = stderr;
            this.stdin = stdin;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public CompletableFuture<Integer> watch(OutputPump out, OutputPump err, Duration drainAfterExit) {
            watchCall.complete(new Watch(out, err, drainAfterExit.toNanos()));
            if (!watcherWaits) {
                runNamed("pid-" + pid, this::watchUntilEnd);
            }
            return exit;
        }

        /**
         * The pumps and drain time, once {@link #watch} has given them: at once, except when the watcher started
         * with the spawn and the child had output or ended before its launcher got to call {@code watch}. A
         * launcher that never calls it (it failed in between) gets its child's output discarded after a minute.
         */
        private Watch awaitWatch() {
            try {
                return watchCall.get(WATCH_CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // fall through: nobody will read this child's output
            }
            LOG.log(System.Logger.Level.WARNING, "pid " + pid + ": nobody asked for its output; discarding it");
            return new Watch(null, null, 0);
        }

        /** The watcher: see the class comment. */
        private void watchUntilEnd() {
            int[] fds = {stdout, stderr, pidfd};
            Watch watch = watchCall.getNow(null);
            byte[] buffer = new byte[8192];
            Integer code = null;
            long deadline = 0;
            try (Memory polled = new Memory((long) POLLFD_SIZE * fds.length)) {
                for (int i = 0; i < fds.length; i++) {
                    polled.setInt((long) i * POLLFD_SIZE, fds[i]);
                    polled.setShort((long) i * POLLFD_SIZE + 4, POLLIN);
                }
                while (fds[0] >= 0 || fds[1] >= 0 || fds[2] >= 0) {
                    int timeout = -1;
                    if (code != null && !exit.isDone()) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            // A background grandchild holds a pipe: the end is now; read on into nothing.
                            stop(watch.out());
                            stop(watch.err());
                            exit.complete(code);
                            continue;
                        }
                        timeout = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
                    }
                    try {
                        if (LibC.poll(polled, fds.length, timeout) == 0) {
                            continue;
                        }
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() == EINTR) {
                            continue;
                        }
                        throw e;
                    }
                    if (watch == null) {
                        watch = awaitWatch();
                    }
                    OutputPump[] pumps = {watch.out(), watch.err()};
                    for (int i = 0; i < 2; i++) {
                        if (fds[i] >= 0 && polled.getShort((long) i * POLLFD_SIZE + 6) != 0 && !pump(fds[i], buffer, pumps[i])) {
                            stop(pumps[i]);
                            LibC.close(fds[i]);
                            fds[i] = -1;
                            polled.setInt((long) i * POLLFD_SIZE, -1);
                        }
                    }
                    if (fds[2] >= 0 && polled.getShort(2L * POLLFD_SIZE + 6) != 0) {
                        code = reap();
                        deadline = System.nanoTime() + watch.drainNanos();
                        LibC.close(fds[2]);
                        fds[2] = -1;
                        polled.setInt(2L * POLLFD_SIZE, -1);
                    }
                    if (code != null && fds[0] < 0 && fds[1] < 0) {
                        exit.complete(code);
                    }
                }
            } catch (Throwable e) {
                for (int fd : fds) {
                    if (fd >= 0) {
                        LibC.close(fd);
                    }
                }
                if (watch != null) {
                    stop(watch.out());
                    stop(watch.err());
                }
                if (code == null) {
                    code = reapAfterFailure();
                }
                exit.completeExceptionally(e);
            }
        }

        private static void stop(OutputPump pump) {
            if (pump != null) {
                pump.stop();
            }
        }

        /** One read from a pipe poll called ready; false at its end (or on an error, which ends it too). */
        private static boolean pump(int fd, byte[] buffer, OutputPump pump) {
            try {
                long n = LibC.read(fd, buffer, buffer.length);
                if (n > 0) {
                    if (pump != null) {
                        pump.accept(buffer, (int) n); // false once stopped: then the bytes go nowhere, as they should
                    }
                    return true;
                }
                return false;
            } catch (LastErrorException e) {
                return e.getErrorCode() == EINTR || e.getErrorCode() == EAGAIN;
            }
        }

        /** The pidfd said the child exited: reaps it (without blocking) under the lock that killTree takes. */
        private synchronized int reap() {
            int[] status = new int[1];
            while (true) {
                try {
                    LibC.waitpid(pid, status, 0);
                    reaped = true;
                    return decode(status[0]);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != EINTR) {
                        // ECHILD: something else in this JVM reaped our child (waitpid(-1)); its exit code is lost.
                        LOG.log(System.Logger.Level.WARNING, "cannot reap pid " + pid + ": " + LibC.strerror(e.getErrorCode()));
                        reaped = true;
                        return -1;
                    }
                }
            }
        }

        /** The watcher failed: the child must still not be left a zombie (nor killed later by a stale pid). */
        private int reapAfterFailure() {
            killTree();
            return reap();
        }

        /** The shell's convention, as the JDK's: the exit status, or 128 + the number of the signal that ended it. */
        private static int decode(int status) {
            int signal = status & 0x7f;
            return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
        }

        @Override
        public void feed(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            runNamed("pid-" + pid + "-in", () -> {
                try {
                    int at = 0;
                    while (at < bytes.length) {
                        byte[] rest = at == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, at, bytes.length);
                        try {
                            at += (int) LibC.write(stdin, rest, rest.length);
                        } catch (LastErrorException e) {
                            if (e.getErrorCode() != EINTR) {
                                return; // EPIPE: the child closed its stdin early and does not want the rest
                            }
                        }
                    }
                } finally {
                    LibC.close(stdin);
                }
            });
        }

        @Override
        public boolean isAlive() {
            synchronized (this) {
                return !reaped;
            }
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
