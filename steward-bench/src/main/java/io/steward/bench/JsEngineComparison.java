package io.steward.bench;

import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.engine.ScriptText;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ContextFactory;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.NativeObject;
import org.mozilla.javascript.Script;
import org.mozilla.javascript.ScriptableObject;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Rhino 1.9.2, the engine Steward ran JavaScript on until GraalJS replaced it, beside GraalJS 25 (interpreted, on a
 * stock JDK) as Steward runs it now; Groovy where the same Steward path gives a reference. Prints one Markdown table
 * and writes it to {@code --out} ({@code js-engines-<time>.md} and {@code js-engines.md}).
 *
 * <p>Rhino is set up as Steward had it (see the commit before "JavaScript on GraalJS"): ECMAScript language level,
 * compiled to JVM bytecode, an instruction observer every 10,000 instructions (the stop), thread-safe objects, no
 * Java classes visible, and each run's scope an empty object whose prototype is one sealed scope of the standard
 * objects. Rhino can no longer run Steward scripts, since the host object is bound to GraalJS only, so its rows
 * measure the engine alone; GraalJS rows say whether they go through Steward (a coordinator run, as a user's run
 * does) or the engine alone (a context from a shared {@code org.graalvm.polyglot.Engine} with Steward's options).
 *
 * <p>Each in-process figure is the median of the rounds' means after warm-up rounds. Start-up is timed in fresh
 * child JVMs ({@code --child MODE}, printing the milliseconds of its first call, while the parent times the whole
 * process). With {@code --cli-jar} and {@code --baseline-jar}, the two {@code steward-all.jar}s are compared: size,
 * {@code --version} and {@code run-local} of a trivial {@code .js} script (Rhino in the baseline, GraalJS now).
 *
 * <p>Run by {@code bench/run --only js-engines [--js-baseline REV]}; alone:
 * {@code java -cp steward-bench/target/benchmarks.jar io.steward.bench.JsEngineComparison [--quick] [--cli-jar JAR]
 * [--baseline-jar JAR] [--out DIR]}.
 */
public final class JsEngineComparison {
    private static final int THREADS = 10_000;
    private static final String TRIVIAL_JS = "args.n + 1";
    private static final String TRIVIAL_GROOVY = "args.n + 1";
    private static final String EXEC_JS = "exec(['/bin/true']).exitCode";
    private static final String EXEC_GROOVY = "exec(['/bin/true']).exitCode";
    private static final String PARALLEL_JS = "parallel(Array.from({length: args.count}, (_, i) => i), n => n * 2).length";
    private static final String PARALLEL_GROOVY = "parallel((0..<args.count).toList()) { n -> n * 2 }.size()";

    private final boolean quick;
    private final List<String[]> rows = new ArrayList<>();

    private JsEngineComparison(boolean quick) {
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        String cliJar = null;
        String baselineJar = null;
        String out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--cli-jar" -> cliJar = args[++i];
                case "--baseline-jar" -> baselineJar = args[++i];
                case "--out" -> out = args[++i];
                case "--child" -> {
                    child(args[++i]);
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        JsEngineComparison c = new JsEngineComparison(quick);
        c.compile();
        c.trivialRun();
        c.exec();
        c.threads();
        c.startup();
        c.jars(cliJar, baselineJar);
        c.report(out);
        System.exit(0); // the coordinators' threads need not linger
    }

    // ---------------------------------------------------------------- measurements

    private int warmups() {
        return quick ? 2 : 3;
    }

    private int rounds() {
        return quick ? 5 : 9;
    }

    /** Median over {@link #rounds()} of the mean time in ms of {@code n} calls of {@code op}, after warm-up rounds. */
    private double median(int n, IntConsumer op) {
        AtomicLong serial = new AtomicLong();
        for (int w = 0; w < warmups(); w++) {
            for (int i = 0; i < n; i++) {
                op.accept((int) serial.getAndIncrement());
            }
        }
        List<Double> means = new ArrayList<>();
        for (int r = 0; r < rounds(); r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                op.accept((int) serial.getAndIncrement());
            }
            means.add((System.nanoTime() - t0) / 1e6 / n);
        }
        return Stats.median(means);
    }

    private void row(String what, String rhino, String graal, String groovy, String note) {
        rows.add(new String[] {what, rhino, graal, groovy, note});
        System.err.printf(Locale.ROOT, "%s: Rhino %s, GraalJS %s, Groovy %s%n", what, rhino, graal, groovy);
    }

    private void compile() throws Exception {
        int n = quick ? 10 : 20;
        double rhino = median(n, i -> Rhino.compile(sampleScript(i), "c" + i + ".js"));
        io.steward.engine.Engine engine = new io.steward.engine.Engine();
        double graal = median(n, i -> engine.compile(new ScriptText("c" + i + ".js", sampleScript(1_000_000 + i))));
        row("compile (parse) a " + sampleScript(0).lines().count() + "-line script, each time a new one", ms(rhino),
                ms(graal), "—", "Rhino: `compileString` to bytecode; GraalJS: Steward's `Engine.compile` (a context, `parse`)");
    }

    private void trivialRun() throws Exception {
        Script one = Rhino.compile("1+1", "one.js");
        double rhino = median(quick ? 2_000 : 10_000, i -> Rhino.exec(one));
        double rhinoStd = median(quick ? 100 : 300, i -> Rhino.execInFreshStandardObjects(one));
        double graalRaw;
        try (Graal graal = new Graal()) {
            graalRaw = median(quick ? 100 : 300, i -> graal.evalInNewContext("1+1"));
        }
        row("trivial `1+1`, engine alone: a fresh scope/context and exec", ms(rhino), ms(graalRaw), "—",
                String.format(Locale.ROOT, "Rhino: run scope over shared sealed standard objects (Steward's old way); "
                        + "with `initStandardObjects` per run %s. GraalJS: new context from a shared engine, closed after", ms(rhinoStd)));
        try (BenchScripts s = new BenchScripts(Map.of("trivial.js", TRIVIAL_JS, "trivial.groovy", TRIVIAL_GROOVY))) {
            int n = quick ? 300 : 1000;
            double js = median(n, i -> invoke(s, "trivial.js", Map.of("n", 1)));
            double groovy = median(n, i -> invoke(s, "trivial.groovy", Map.of("n", 1)));
            row("trivial run through Steward (`args.n + 1`, invoke to SUCCEEDED, in-process)", "n/a", ms(js), ms(groovy),
                    "a coordinator run, as `ExecLoop`; Rhino can no longer run Steward scripts");
        }
    }

    private void exec() throws Exception {
        int n = quick ? 50 : 200;
        double floor = median(n, i -> {
            try {
                new ProcessBuilder("/bin/true").start().waitFor();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (BenchScripts s = new BenchScripts(Map.of("exec.js", EXEC_JS, "exec.groovy", EXEC_GROOVY))) {
            double js = median(n, i -> invoke(s, "exec.js", Map.of()));
            double groovy = median(n, i -> invoke(s, "exec.groovy", Map.of()));
            row("`exec(['/bin/true'])` from a script, whole run", "n/a", ms(js), ms(groovy),
                    "floor (`ProcessBuilder` start+wait in this JVM): " + ms(floor) + "; Rhino's host object is gone");
        }
    }

    private void threads() throws Exception {
        int measured = quick ? 2 : 3;
        List<Double> rhinoMs = new ArrayList<>();
        List<Double> rhinoHeap = new ArrayList<>();
        for (int r = 0; r < measured + 1; r++) {
            HeapPeak peak = HeapPeak.start();
            long t0 = System.nanoTime();
            Rhino.parallel(THREADS);
            double ms = (System.nanoTime() - t0) / 1e6;
            double heap = peak.stop();
            if (r > 0) { // the first is warm-up
                rhinoMs.add(ms);
                rhinoHeap.add(heap);
            }
        }
        List<Double> jsMs = new ArrayList<>();
        List<Double> jsHeap = new ArrayList<>();
        List<Double> groovyMs = new ArrayList<>();
        List<Double> groovyHeap = new ArrayList<>();
        try (BenchScripts s = new BenchScripts(Map.of("par.js", PARALLEL_JS, "par.groovy", PARALLEL_GROOVY))) {
            for (int r = 0; r < measured + 1; r++) {
                for (String script : List.of("par.js", "par.groovy")) {
                    HeapPeak peak = HeapPeak.start();
                    long t0 = System.nanoTime();
                    RunSnapshot end = s.coordinator.invoke(InvokeRequest.of(script, Map.of("count", THREADS))).await(Duration.ofMinutes(5));
                    double ms = (System.nanoTime() - t0) / 1e6;
                    double heap = peak.stop();
                    if (end.state() != RunState.SUCCEEDED || ((Number) end.result()).intValue() != THREADS) {
                        throw new IllegalStateException(script + ": " + end.state() + " " + end.error() + " " + end.result());
                    }
                    if (r > 0) {
                        (script.endsWith(".js") ? jsMs : groovyMs).add(ms);
                        (script.endsWith(".js") ? jsHeap : groovyHeap).add(heap);
                    }
                }
            }
        }
        String what = String.format(Locale.ROOT, "%,d script threads, `n => n * 2` each", THREADS);
        row(what + ": wall time", ms(Stats.median(rhinoMs)), ms(Stats.median(jsMs)), ms(Stats.median(groovyMs)),
                "Rhino: 10,000 virtual threads each calling one compiled function in a shared scope (what Steward did); "
                        + "GraalJS and Groovy: a Steward run of `parallel(items, n => n * 2)`");
        row(what + ": peak heap growth", mib(Stats.median(rhinoHeap)), mib(Stats.median(jsHeap)), mib(Stats.median(groovyHeap)),
                "peak heap in use during the run (sampled every 2 ms, garbage included) less in use before (after a GC)");
    }

    private void startup() throws Exception {
        int n = quick ? 2 : 3;
        Map<String, double[]> by = new java.util.LinkedHashMap<>();
        for (String mode : List.of("rhino", "graaljs", "steward-js", "steward-groovy")) {
            List<Double> first = new ArrayList<>();
            List<Double> wall = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String java = ProcessHandle.current().info().command().orElse("java");
                long t0 = System.nanoTime();
                String out = SuiteReport.exec(List.of(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                        JsEngineComparison.class.getName(), "--child", mode), Map.of(), Duration.ofMinutes(2));
                wall.add((System.nanoTime() - t0) / 1e6);
                first.add(Double.parseDouble(out.strip().lines().reduce((a, b) -> b).orElseThrow()));
            }
            by.put(mode, new double[] {Stats.median(first), Stats.median(wall)});
        }
        row("start-up: first `1+1` in a fresh JVM (engine alone)", ms(by.get("rhino")[0]), ms(by.get("graaljs")[0]), "—",
                String.format(Locale.ROOT, "from `main` to the value; whole child JVM: Rhino %s, GraalJS %s",
                        ms(by.get("rhino")[1]), ms(by.get("graaljs")[1])));
        row("start-up: first trivial run through Steward in a fresh JVM", "n/a", ms(by.get("steward-js")[0]), ms(by.get("steward-groovy")[0]),
                String.format(Locale.ROOT, "coordinator made + first run to SUCCEEDED; whole child JVM: JS %s, Groovy %s",
                        ms(by.get("steward-js")[1]), ms(by.get("steward-groovy")[1])));
    }

    private void jars(String cliJar, String baselineJar) throws Exception {
        if (cliJar == null) {
            row("`steward-all.jar`", "not measured", "not measured", "", "give --cli-jar (and --baseline-jar)");
            return;
        }
        Path dir = Files.createTempDirectory("steward-js-engines");
        Path script = Files.writeString(dir.resolve("trivial.js"), "1 + 1\n");
        double[] now = cliFigures(Path.of(cliJar), script);
        double[] before = baselineJar == null ? null : cliFigures(Path.of(baselineJar), script);
        String baseline = baselineJar == null ? "not built (--baseline-jar)" : null;
        row("`steward-all.jar` size", before == null ? baseline : mib(before[0]), mib(now[0]), "",
                "the baseline is the commit before \"JavaScript on GraalJS\" (Rhino inside)");
        row("`java -jar steward-all.jar --version`, wall", before == null ? baseline : ms(before[1]), ms(now[1]), "", "child process, median");
        row("`java -jar steward-all.jar run-local trivial.js`, wall", before == null ? baseline : ms(before[2]), ms(now[2]), "",
                "`1 + 1` run in-process by the CLI, JVM start to exit");
    }

    /** Size in MiB, and the median wall times of {@code --version} and {@code run-local trivial.js}. */
    private double[] cliFigures(Path jar, Path script) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Double> version = new ArrayList<>();
        List<Double> runLocal = new ArrayList<>();
        for (int i = 0; i < (quick ? 3 : 5); i++) {
            long t0 = System.nanoTime();
            SuiteReport.exec(List.of(java, "-jar", jar.toString(), "--version"), Map.of(), Duration.ofMinutes(1));
            version.add((System.nanoTime() - t0) / 1e6);
            t0 = System.nanoTime();
            SuiteReport.exec(List.of(java, "-jar", jar.toString(), "run-local", script.toString()), Map.of(), Duration.ofMinutes(1));
            runLocal.add((System.nanoTime() - t0) / 1e6);
        }
        return new double[] {Files.size(jar) / 1048576.0, Stats.median(version), Stats.median(runLocal)};
    }

    private static void invoke(BenchScripts s, String script, Map<String, Object> args) {
        try {
            RunSnapshot end = s.coordinator.invoke(InvokeRequest.of(script, args)).completion().get();
            if (end.state() != RunState.SUCCEEDED) {
                throw new IllegalStateException(script + ": " + end.state() + " " + end.error());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** In a fresh JVM: the time from {@code main} to the first value, in ms, on the last line of standard output. */
    private static void child(String mode) throws Exception {
        long t0 = System.nanoTime();
        switch (mode) {
            case "rhino" -> Rhino.exec(Rhino.compile("1+1", "one.js"));
            case "graaljs" -> {
                try (Graal g = new Graal()) {
                    g.evalInNewContext("1+1");
                }
            }
            case "steward-js", "steward-groovy" -> {
                String name = mode.equals("steward-js") ? "trivial.js" : "trivial.groovy";
                try (BenchScripts s = new BenchScripts(Map.of(name, name.endsWith(".js") ? TRIVIAL_JS : TRIVIAL_GROOVY))) {
                    invoke(s, name, Map.of("n", 1));
                }
            }
            default -> throw new IllegalArgumentException("--child " + mode);
        }
        System.out.printf(Locale.ROOT, "%.3f%n", (System.nanoTime() - t0) / 1e6);
    }

    // ---------------------------------------------------------------- report

    private void report(String out) throws Exception {
        Runtime rt = Runtime.getRuntime();
        String stamp = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "JavaScript engines — %d cores, Java %s, %s%s; in-process figures the median of %d rounds "
                + "after %d warm-up rounds%n%n", rt.availableProcessors(), Runtime.version(), stamp, quick ? ", --quick" : "",
                rounds(), warmups()));
        md.append("| measurement | Rhino 1.9.2 | GraalJS 25.0.2 (interpreted) | Groovy (reference) | how |\n");
        md.append("|---|---:|---:|---:|---|\n");
        for (String[] r : rows) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        System.out.println();
        System.out.print(md);
        if (out != null) {
            Path dir = Files.createDirectories(Path.of(out));
            String file = "js-engines-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()) + ".md";
            Files.writeString(dir.resolve(file), md);
            Files.writeString(dir.resolve("js-engines.md"), md);
            System.out.println("\nwritten: " + dir.resolve(file) + ", " + dir.resolve("js-engines.md"));
        }
    }

    private static String ms(double v) {
        return v < 0.1 ? ResultTable.format(v * 1000, "µs") : ResultTable.format(v, "ms");
    }

    private static String mib(double v) {
        return ResultTable.format(v, "MiB");
    }

    /** ~100 lines of everyday ES5 (both engines parse it), different for every {@code variant} so no cache helps. */
    static String sampleScript(int variant) {
        StringBuilder s = new StringBuilder("// variant " + variant + "\n");
        s.append("var VARIANT = ").append(variant).append(";\n");
        for (int f = 0; f < 9; f++) {
            s.append("function step").append(f).append("(hosts, opts) {\n")
                    .append("    var done = [], failed = {};\n")
                    .append("    for (var i = 0; i < hosts.length; i++) {\n")
                    .append("        var h = hosts[i];\n")
                    .append("        if (h.name.indexOf('web-") .append(f).append("') === 0 && opts.retries > ").append(f).append(") {\n")
                    .append("            done.push({host: h.name, step: ").append(f).append(", at: VARIANT + i});\n")
                    .append("        } else if (!h.up) {\n")
                    .append("            failed[h.name] = 'down since ' + (h.since || 'never');\n")
                    .append("        }\n")
                    .append("    }\n")
                    .append("    return {done: done, failed: failed, ok: done.length > hosts.length / 2};\n")
                    .append("}\n");
        }
        s.append("var hosts = [];\n")
                .append("for (var k = 0; k < 20; k++) { hosts.push({name: 'web-' + (k % 9), up: k % 7 !== 0, since: k}); }\n")
                .append("var report = [step0, step1, step2, step3, step4, step5, step6, step7, step8].map(function (f) {\n")
                .append("    return f(hosts, {retries: 3});\n")
                .append("});\n")
                .append("JSON.stringify(report).length + VARIANT;\n");
        return s.toString();
    }

    // ---------------------------------------------------------------- the engines

    /** Rhino as Steward had it before GraalJS. */
    private static final class Rhino {
        static final ContextFactory FACTORY = new ContextFactory() {
            @Override
            protected Context makeContext() {
                Context cx = super.makeContext();
                cx.setLanguageVersion(Context.VERSION_ECMASCRIPT);
                cx.setInterpretedMode(false);
                cx.setInstructionObserverThreshold(10_000);
                cx.setClassShutter(className -> false);
                return cx;
            }

            @Override
            protected boolean hasFeature(Context cx, int featureIndex) {
                return featureIndex == Context.FEATURE_THREAD_SAFE_OBJECTS || super.hasFeature(cx, featureIndex);
            }

            @Override
            protected void observeInstructionCount(Context cx, int instructionCount) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("stopped");
                }
            }
        };
        /** The sealed standard objects every run's scope had as prototype. */
        static final ScriptableObject STANDARD = standard();

        private static ScriptableObject standard() {
            Context cx = FACTORY.enterContext();
            try {
                return cx.initSafeStandardObjects(null, true);
            } finally {
                Context.exit();
            }
        }

        static Script compile(String source, String name) {
            Context cx = FACTORY.enterContext();
            try {
                return cx.compileString(source, name, 1, null);
            } finally {
                Context.exit();
            }
        }

        static ScriptableObject runScope() {
            NativeObject scope = new NativeObject();
            scope.setPrototype(STANDARD);
            scope.setParentScope(null);
            return scope;
        }

        static Object exec(Script script) {
            Context cx = FACTORY.enterContext();
            try {
                return script.exec(cx, runScope());
            } finally {
                Context.exit();
            }
        }

        static Object execInFreshStandardObjects(Script script) {
            Context cx = FACTORY.enterContext();
            try {
                return script.exec(cx, cx.initSafeStandardObjects());
            } finally {
                Context.exit();
            }
        }

        /** {@code count} virtual threads each calling {@code n => n * 2} in one shared run scope; checks the sum. */
        static void parallel(int count) throws InterruptedException {
            ScriptableObject scope = runScope();
            Context cx = FACTORY.enterContext();
            Function twice;
            try {
                compile("function twice(n) { return n * 2 }", "par.js").exec(cx, scope);
                twice = (Function) scope.get("twice", scope);
            } finally {
                Context.exit();
            }
            Object[] results = new Object[count];
            Thread[] threads = new Thread[count];
            for (int i = 0; i < count; i++) {
                int n = i;
                threads[i] = Thread.ofVirtual().start(() -> {
                    Context c = FACTORY.enterContext();
                    try {
                        results[n] = twice.call(c, scope, scope, new Object[] {n});
                    } finally {
                        Context.exit();
                    }
                });
            }
            long sum = 0;
            for (int i = 0; i < count; i++) {
                threads[i].join();
                sum += ((Number) results[i]).longValue();
            }
            if (sum != (long) count * (count - 1)) {
                throw new IllegalStateException("Rhino parallel: wrong sum " + sum);
            }
        }
    }

    /** GraalJS alone: contexts from one shared engine with the options Steward's {@code JsEngine} uses. */
    private static final class Graal implements AutoCloseable {
        private final org.graalvm.polyglot.Engine engine = org.graalvm.polyglot.Engine.newBuilder("js")
                .option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream()).build();
        private final Map<String, Source> sources = new java.util.concurrent.ConcurrentHashMap<>();

        Object evalInNewContext(String code) {
            Source source = sources.computeIfAbsent(code, c -> Source.newBuilder("js", c, "one.js").cached(true).buildLiteral());
            try (org.graalvm.polyglot.Context cx = org.graalvm.polyglot.Context.newBuilder("js").engine(engine)
                    .allowHostAccess(HostAccess.NONE).allowHostClassLookup(name -> false).allowIO(IOAccess.NONE)
                    .allowCreateThread(false).allowNativeAccess(false)
                    .option("js.graal-builtin", "false").option("js.print", "false").option("js.load", "false").build()) {
                return cx.eval(source).asInt();
            }
        }

        @Override
        public void close() {
            engine.close();
        }
    }

    /** The peak of heap in use, sampled every 2 ms, above the heap in use after a GC at the start; in MiB. */
    private static final class HeapPeak {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final long baseline;
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private final Thread sampler;

        private HeapPeak() {
            System.gc();
            baseline = memory.getHeapMemoryUsage().getUsed();
            peak.set(baseline);
            sampler = Thread.ofPlatform().daemon().start(() -> {
                while (running) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        static HeapPeak start() {
            return new HeapPeak();
        }

        double stop() throws InterruptedException {
            peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            running = false;
            sampler.join();
            return (peak.get() - baseline) / 1048576.0;
        }
    }
}
