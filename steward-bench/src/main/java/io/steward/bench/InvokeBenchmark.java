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
 * Invoke to SUCCEEDED of a trivial, already compiled Groovy script, in-process: the engine's floor under every
 * network round trip. {@code latency} samples single runs (p50, p99); {@code throughput} runs from several threads.
 * {@code latencyJs} and {@code throughputJs} do the same with the same script in JavaScript (GraalJS, interpreted,
 * a context per run).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InvokeBenchmark {
    private BenchScripts scripts;
    private final InvokeRequest trivial = InvokeRequest.of("trivial.groovy", Map.of("n", 1));
    private final InvokeRequest trivialJs = InvokeRequest.of("trivial.js", Map.of("n", 1));

    @Setup
    public void setUp() throws Exception {
        scripts = new BenchScripts(Map.of("trivial.groovy", "args.n + 1", "trivial.js", "args.n + 1"));
        runOnce(trivial);
        runOnce(trivialJs);
    }

    @TearDown
    public void tearDown() {
        scripts.close();
    }

    private Object runOnce(InvokeRequest request) throws Exception {
        RunSnapshot end = scripts.coordinator.invoke(request).completion().get();
        if (end.state() != RunState.SUCCEEDED) {
            throw new IllegalStateException("benchmark script failed: " + end.error());
        }
        return end.result();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object latency() throws Exception {
        return runOnce(trivial);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @org.openjdk.jmh.annotations.Threads(8)
    public Object throughput() throws Exception {
        return runOnce(trivial);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object latencyJs() throws Exception {
        return runOnce(trivialJs);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @org.openjdk.jmh.annotations.Threads(8)
    public Object throughputJs() throws Exception {
        return runOnce(trivialJs);
    }
}
