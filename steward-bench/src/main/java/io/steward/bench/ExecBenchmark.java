package io.steward.bench;

import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code exec('/bin/true')} from a script against the floor: a bare {@link ProcessBuilder} start-and-wait loop in the
 * same JVM. The script side pays for a whole run (invoke, thread, events) on top of the spawn.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ExecBenchmark {
    private BenchScripts scripts;
    private final InvokeRequest exec = InvokeRequest.of("exec.groovy");

    @Setup
    public void setUp() {
        scripts = new BenchScripts(Map.of("exec.groovy", "exec(['/bin/true']).exitCode"));
    }

    @TearDown
    public void tearDown() {
        scripts.close();
    }

    @Benchmark
    public int processBuilderFloor() throws Exception {
        return new ProcessBuilder("/bin/true").start().waitFor();
    }

    @Benchmark
    public Object scriptExec() throws Exception {
        RunSnapshot end = scripts.coordinator.invoke(exec).completion().get();
        if (end.state() != RunState.SUCCEEDED) {
            throw new IllegalStateException("exec script failed: " + end.error());
        }
        return end.result();
    }
}
