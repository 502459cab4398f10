package io.steward.coordinator;

import io.steward.engine.DirectoryScriptSource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of scripts and a real coordinator over it, for tests: write scripts, invoke them, await the end.
 * Every event of every run is also collected, losslessly, through the event sink.
 *
 * <p>Made with a folder, it is ready at once and the test closes it. Made without one and registered as a JUnit
 * extension ({@code @RegisterExtension final Scripts scripts = new Scripts();}), it makes a new temporary folder
 * and coordinator before each test and closes and deletes them after it.
 */
public final class Scripts implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    private final List<RunEvent> events = Collections.synchronizedList(new ArrayList<>());
    private Path dir;
    private Coordinator coordinator;

    /** Ready in each test once registered as an extension. */
    public Scripts() {
    }

    public Scripts(Path dir) {
        this(dir, Coordinator.builder());
    }

    public Scripts(Path dir, Coordinator.Builder builder) {
        open(dir, builder);
    }

    private void open(Path dir, Coordinator.Builder builder) {
        this.dir = dir;
        this.coordinator = builder.scripts(new DirectoryScriptSource(dir, Set.of(".groovy", ".js")))
                .eventSink(events::add).stopGrace(Duration.ofSeconds(5)).build();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        events.clear();
        open(Files.createTempDirectory("steward-scripts-"), Coordinator.builder());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The folder the scripts are written to and read from. */
    public Path dir() {
        return dir;
    }

    public Scripts write(String name, String source) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, source);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Coordinator coordinator() {
        return coordinator;
    }

    public RunHandle start(String name, Map<String, Object> args) throws InterruptedException {
        return coordinator.invoke(InvokeRequest.of(name, args));
    }

    /** Runs a script to its end (at most 60 s) and returns the final snapshot. */
    public RunSnapshot run(String name, Map<String, Object> args) throws InterruptedException {
        RunSnapshot end = start(name, args).await(Duration.ofSeconds(60));
        if (!end.state().isTerminal()) {
            throw new AssertionError(name + " did not end within 60 s: " + end.toMap());
        }
        return end;
    }

    public RunSnapshot run(String name) throws InterruptedException {
        return run(name, Map.of());
    }

    /** Writes a script and runs it. */
    public RunSnapshot run(String name, String source) throws InterruptedException {
        return write(name, source).run(name);
    }

    /** Every event of one run so far, in order. */
    public List<RunEvent> events(String runId) {
        synchronized (events) {
            return events.stream().filter(e -> e.runId().equals(runId)).toList();
        }
    }

    public List<RunEvent> events(String runId, String kind) {
        return events(runId).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    @Override
    public void close() {
        coordinator.close();
    }
}
