package io.steward.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.Locale;

/**
 * Runs the engine benchmarks and prints one table of figures against their targets (issue "Steward engine").
 * {@code --quick} shortens warm-up and measurement. Started by {@code bench/run}.
 */
public final class EngineReport {
    public static void main(String[] args) throws Exception {
        boolean quick = java.util.Arrays.asList(args).contains("--quick");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(InvokeBenchmark.class.getName())
                .include(ExecBenchmark.class.getName())
                .forks(1)
                .shouldFailOnError(true);
        if (quick) {
            options.warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3)
                    .measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        double p50 = 0, p99 = 0, runsPerSecond = 0, floor = 0, exec = 0, jsP50 = 0, jsP99 = 0, jsRunsPerSecond = 0;
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            var primary = r.getPrimaryResult();
            if (name.endsWith("InvokeBenchmark.latency")) {
                p50 = primary.getStatistics().getPercentile(50);
                p99 = primary.getStatistics().getPercentile(99);
            } else if (name.endsWith("InvokeBenchmark.throughput")) {
                runsPerSecond = primary.getScore();
            } else if (name.endsWith("InvokeBenchmark.latencyJs")) {
                jsP50 = primary.getStatistics().getPercentile(50);
                jsP99 = primary.getStatistics().getPercentile(99);
            } else if (name.endsWith("InvokeBenchmark.throughputJs")) {
                jsRunsPerSecond = primary.getScore();
            } else if (name.endsWith("processBuilderFloor")) {
                floor = primary.getScore();
            } else if (name.endsWith("scriptExec")) {
                exec = primary.getScore();
            }
        }
        ParkedThreads.Result parked = ParkedThreads.measure(100_000);

        Runtime rt = Runtime.getRuntime();
        System.out.println();
        System.out.printf(Locale.ROOT, "Steward engine benchmarks — %d cores, Java %s%n", rt.availableProcessors(), Runtime.version());
        String format = "%-52s %14s   %-12s %s%n";
        System.out.printf(Locale.ROOT, format, "metric", "value", "target", "");
        row(format, "invoke to SUCCEEDED, trivial cached Groovy, p50", us(p50), "<= 200 us", p50 <= 200);
        row(format, "invoke to SUCCEEDED, trivial cached Groovy, p99", us(p99), "", true);
        row(format, "runs per second, 8 invoking threads", String.format(Locale.ROOT, "%,.0f", runsPerSecond),
                ">= 5,000", runsPerSecond >= 5000);
        row(format, "invoke to SUCCEEDED, trivial JavaScript, p50", us(jsP50), "", true);
        row(format, "invoke to SUCCEEDED, trivial JavaScript, p99", us(jsP99), "", true);
        row(format, "runs per second, trivial JavaScript, 8 threads", String.format(Locale.ROOT, "%,.0f", jsRunsPerSecond), "", true);
        row(format, "ProcessBuilder start+wait of /bin/true (floor)", us(floor), "", true);
        row(format, "exec('/bin/true') from a script, whole run", us(exec), "", true);
        row(format, "exec overhead ratio (script / floor)", String.format(Locale.ROOT, "%.2f", exec / floor),
                "<= 1.3", exec / floor <= 1.3);
        row(format, "100,000 parked script threads: heap in use",
                String.format(Locale.ROOT, "%.0f MiB", parked.heapMiB()), "< 1024 MiB", parked.heapMiB() < 1024);
        row(format, "100,000 parked script threads: time to park all", parked.startMs() + " ms", "", true);
    }

    private static void row(String format, String metric, String value, String target, boolean met) {
        System.out.printf(Locale.ROOT, format, metric, value, target, target.isEmpty() ? "" : met ? "met" : "MISSED");
    }

    private static String us(double micros) {
        return String.format(Locale.ROOT, "%.1f us", micros);
    }
}
