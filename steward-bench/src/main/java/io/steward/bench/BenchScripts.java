package io.steward.bench;

import io.steward.coordinator.Coordinator;
import io.steward.engine.DirectoryScriptSource;
import io.steward.engine.Engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** A throw-away folder of benchmark scripts with a coordinator over it. */
final class BenchScripts implements AutoCloseable {
    private final Path dir;
    final Coordinator coordinator;

    BenchScripts(Map<String, String> scripts) {
        try {
            dir = Files.createTempDirectory("steward-bench");
            for (Map.Entry<String, String> e : scripts.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Engine engine = new Engine();
        coordinator = Coordinator.builder().engine(engine)
                .scripts(new DirectoryScriptSource(dir, engine.extensions())).build();
    }

    @Override
    public void close() {
        coordinator.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
