package io.steward.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** {@link ProcessBuilder}: portable, and the fallback where {@link PosixSpawner} cannot load. */
final class JdkSpawner implements Spawner {
    static final JdkSpawner INSTANCE = new JdkSpawner();
    private static final File NO_INPUT = new File("/dev/null");

    private JdkSpawner() {
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public Child spawn(ProcessSpec spec) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(spec.argv());
        if (spec.dir() != null) {
            builder.directory(spec.dir().toFile());
        }
        if (!spec.env().isEmpty()) {
            builder.environment().putAll(spec.env());
        }
        if (spec.stdin() == null) {
            builder.redirectInput(NO_INPUT);
        }
        return new JdkChild(builder.start());
    }

    private record JdkChild(Process process) implements Child {
        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public InputStream stdout() {
            return process.getInputStream();
        }

        @Override
        public InputStream stderr() {
            return process.getErrorStream();
        }

        @Override
        public OutputStream stdin() {
            return process.getOutputStream();
        }

        @Override
        public CompletableFuture<Integer> exitCode() {
            return process.onExit().thenApply(Process::exitValue);
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        /**
         * A virtual thread: the JDK's process streams tell the virtual-thread scheduler when a read blocks
         * (its carrier is replaced meanwhile), so blocked pumps cost no carrier.
         */
        @Override
        public Future<?> onStreamThread(String name, Runnable task) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread.ofVirtual().name(name).start(() -> {
                try {
                    task.run();
                    done.complete(null);
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            });
            return done;
        }

        @Override
        public void killTree() {
            // The JDK's handle remembers the start time: it never signals a later process with the same pid.
            ProcessTree.kill(process.toHandle());
        }
    }
}
