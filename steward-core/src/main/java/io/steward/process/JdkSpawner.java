package io.steward.process;

import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * {@link ProcessBuilder}: portable, and the fallback where {@link PosixSpawner} cannot load. The pumps run on
 * virtual threads, which the JDK's process streams let block in a read (the scheduler gets a spare carrier
 * meanwhile); the exit is the JDK's process reaper's, and what follows it runs on a virtual thread so as not to
 * hold that reaper up.
 */
final class JdkSpawner implements Spawner {
    static final JdkSpawner INSTANCE = new JdkSpawner();
    private static final File NO_INPUT = new File("/dev/null");
    private static final Executor ON_VIRTUAL_THREAD = r -> Thread.ofVirtual().start(r);

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
        public CompletableFuture<Integer> watch(OutputPump out, OutputPump err, Duration drainAfterExit) {
            Thread outReader = Thread.ofVirtual().name("pid-" + pid() + "-out").start(() -> out.readFrom(process.getInputStream()));
            Thread errReader = Thread.ofVirtual().name("pid-" + pid() + "-err").start(() -> err.readFrom(process.getErrorStream()));
            return process.onExit().thenApplyAsync(p -> {
                drain(out, outReader, err, errReader, drainAfterExit);
                return p.exitValue();
            }, ON_VIRTUAL_THREAD);
        }

        /**
         * Waits for the output to be read to its end, but not for long: a background grandchild may hold the
         * pipe open for ever. Then the pumps are stopped and the streams closed.
         */
        private void drain(OutputPump outPump, Thread outReader, OutputPump errPump, Thread errReader, Duration grace) {
            try {
                long deadline = System.nanoTime() + grace.toNanos();
                outReader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                errReader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (outReader.isAlive() || errReader.isAlive()) {
                // A background grandchild still holds the pipe open: stop reading rather than wait for it.
                outPump.stop();
                errPump.stop();
                try {
                    process.getInputStream().close();
                    process.getErrorStream().close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }

        @Override
        public void feed(String text) {
            Thread.ofVirtual().name("pid-" + pid() + "-in").start(() -> {
                try (Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                    w.write(text);
                } catch (IOException e) {
                    // The process closed its stdin early (it did not want the rest): not an error of ours.
                }
            });
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public void killTree() {
            // The JDK's handle remembers the start time: it never signals a later process with the same pid.
            ProcessTree.kill(process.toHandle());
        }
    }
}
