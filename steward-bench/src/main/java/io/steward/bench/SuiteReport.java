package io.steward.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.RunState;
import io.steward.gateway.GatewayConfig;
import io.steward.testkit.SimulatedAgent;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one benchmark table of issue 5: Steward beside the floor and its peers (Celery with Redis, Ansible, pdsh,
 * and with {@code --with-conductor} Netflix Conductor),
 * measured in the same run with the groups interleaved in every repetition; each figure the median of the
 * repetitions. Started by {@code bench/run}, which installs the peers, starts Redis and the Celery worker on
 * 127.0.0.1 and stops them by PID. Writes the table as text, Markdown, JSON and SVG into {@code --out}.
 *
 * <p>Options: {@code --quick}, {@code --reps N} (at least 5), {@code --out DIR}, {@code --peers DIR} (celery_peer.py),
 * {@code --redis URL} (absent: Celery not measured), {@code --pingpong PATH}, {@code --note COLUMN=why} (a peer
 * that could not be installed), {@code --pinned TEXT}, {@code --with-conductor} (adds the Conductor column) with
 * {@code --conductor URL} (the server bench/run started; absent: the column says why, from a note),
 * {@code --conductor-workers N} (worker threads, 2 by default, see {@link ConductorPeer}), {@code --only GROUPS}
 * (comma-separated of {@link #GROUPS}, for trying one group: the other columns say "not run", and only the
 * time-stamped files are written, never {@code latest.*}), {@code --python PATH} (default /usr/bin/python3),
 * {@code --wrk PATH} (absent: the outside rates say "not run: wrk missing"), {@code --outside DIR} (rtt.py and
 * runs.lua, see {@link OutsideClients}). The {@code outside} group measures a primary running as its own process
 * from clients in other processes ({@link OutsidePrimary}); issue 12's targets are judged on its rows, and the
 * in-JVM rows stay as the server's floor.
 */
public final class SuiteReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CELERY = "Celery";
    static final String ANSIBLE = "Ansible";
    static final String PDSH = "pdsh";
    static final String CONDUCTOR = "Conductor";
    /** The groups of one repetition, by the name {@code --only} takes, and the column each fills. */
    static final Map<String, String> GROUPS = groups();
    static final String NOT_RUN = "not run (--only)";

    private final boolean quick;
    private final boolean withConductor;
    private final ResultTable table;
    private final Map<String, String> options;
    private final List<String> only;
    private final Path work;
    /** bin/steward timed as a whole process in the outside group; null when that row is not run. */
    private OutsideCli cli;

    private SuiteReport(boolean quick, boolean withConductor, Map<String, String> options) throws IOException {
        this.quick = quick;
        this.withConductor = withConductor;
        this.options = options;
        this.table = new ResultTable(peers(withConductor));
        this.only = selected(options.get("only"), withConductor);
        this.work = Files.createTempDirectory("steward-suite");
    }

    private static Map<String, String> groups() {
        Map<String, String> g = new LinkedHashMap<>();
        g.put("steward", ResultTable.STEWARD);
        g.put("outside", ResultTable.STEWARD);
        g.put("celery", CELERY);
        g.put("ansible", ANSIBLE);
        g.put("pdsh", PDSH);
        g.put("floor", ResultTable.FLOOR);
        g.put("startup", ResultTable.STEWARD);
        g.put("coordination", ResultTable.STEWARD);
        g.put("conductor", CONDUCTOR);
        return java.util.Collections.unmodifiableMap(g);
    }

    /** The peer columns: Conductor only when asked for, since it is optional and slow to start. */
    static List<String> peers(boolean withConductor) {
        return withConductor ? List.of(CELERY, ANSIBLE, PDSH, CONDUCTOR) : List.of(CELERY, ANSIBLE, PDSH);
    }

    /** The groups to run: all of them (Conductor's only with the flag), or those {@code --only} names. */
    static List<String> selected(String only, boolean withConductor) {
        List<String> all = new ArrayList<>(GROUPS.keySet());
        if (!withConductor) {
            all.remove("conductor");
        }
        if (only == null) {
            return all;
        }
        List<String> chosen = new ArrayList<>();
        for (String name : only.split(",")) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            if (!all.contains(n)) {
                throw new IllegalArgumentException("--only: unknown group '" + n + "'; groups: " + String.join(",", all)
                        + (withConductor ? "" : " (conductor needs --with-conductor)"));
            }
            if (!chosen.contains(n)) {
                chosen.add(n);
            }
        }
        return chosen;
    }

    /** Columns none of whose groups runs, which then carry {@link #NOT_RUN} instead of "failed". */
    static List<String> columnsNotRun(List<String> columns, List<String> selected) {
        List<String> out = new ArrayList<>();
        for (String c : columns) {
            if (selected.stream().noneMatch(g -> GROUPS.get(g).equals(c))) {
                out.add(c);
            }
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean withConductor = false;
        Map<String, String> options = new HashMap<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--with-conductor" -> withConductor = true;
                case "--note" -> notes.add(args[++i]);
                default -> {
                    if (args[i].startsWith("--") && i + 1 < args.length) {
                        options.put(args[i].substring(2), args[++i]);
                    } else {
                        throw new IllegalArgumentException("unknown argument " + args[i]);
                    }
                }
            }
        }
        SuiteReport suite = new SuiteReport(quick, withConductor, options);
        for (String n : notes) {
            int eq = n.indexOf('=');
            suite.table.note(n.substring(0, eq), n.substring(eq + 1));
        }
        suite.run();
        System.exit(0); // simulated agents' client threads need not linger
    }

    private void run() throws Exception {
        int reps = Math.max(5, Integer.parseInt(options.getOrDefault("reps", "5")));
        defineRows();
        for (String c : columnsNotRun(table.columns(), only)) {
            table.note(c, NOT_RUN);
        }
        if (!only.contains("outside")) {
            for (String k : OUTSIDE_RTT_ROWS) {
                table.row(k).notRun(ResultTable.STEWARD, NOT_RUN);
            }
            for (String k : OUTSIDE_RATE_ROWS) {
                table.row(k).notRun(ResultTable.STEWARD, NOT_RUN);
            }
            table.row("out.cli").notRun(ResultTable.STEWARD, NOT_RUN);
        }
        if (!only.contains("coordination")) {
            COORDINATION_ROWS.forEach(k -> table.row(k).notRun(ResultTable.STEWARD, NOT_RUN));
        }
        stewardRowsNotRun(table, only);
        if (withConductor && !table.notes.containsKey(CONDUCTOR) && !options.containsKey("conductor")) {
            table.note(CONDUCTOR, "no --conductor URL");
        }
        boolean needSteward = only.contains("steward") || only.contains("floor");
        try (Steward steward = needSteward ? new Steward(quick ? 200 : 1000) : null;
             OutsidePrimary outside = startOutside();
             CoordinationBench coordination = startCoordination();
             ConductorPeer conductor = startConductor()) {
            if (steward != null) {
                System.err.printf(Locale.ROOT, "steward: %d simulated agents joined in %.1f s%n", steward.agents.size(), steward.joinSeconds);
                steward.warmUp(quick ? 2_000 : 10_000);
            }
            if (outside != null) {
                warmUpOutside(outside);
            }
            cli = outsideCli(outside);
            if (!table.notes.containsKey(CELERY) && options.containsKey("redis")) {
                int warm = quick ? 1_000 : 2_000; // as the outside client's warm-up of Steward
                guard(CELERY, () -> celery("rtt", "noop", 1, warm));
                guard(CELERY, () -> celery("rtt", "true", 1, warm));
            }
            if (conductor != null) {
                guard(CONDUCTOR, () -> conductor.roundTrips(quick ? 50 : 200)); // warm-up: JIT of server and worker
            }
            Map<String, Body> bodies = new LinkedHashMap<>();
            bodies.put("steward", () -> steward.measure());
            bodies.put("outside", () -> measureOutside(outside));
            bodies.put("celery", this::measureCelery);
            bodies.put("ansible", this::measureAnsible);
            bodies.put("pdsh", this::measurePdsh);
            bodies.put("floor", () -> measureFloor(steward));
            bodies.put("startup", this::measureStartup);
            bodies.put("conductor", () -> measureConductor(conductor));
            bodies.put("coordination", () -> measureCoordination(coordination));
            List<Group> groups = new ArrayList<>();
            for (String name : only) {
                groups.add(new Group(GROUPS.get(name), bodies.get(name)));
            }
            for (int rep = 0; rep < reps; rep++) {
                for (int g = 0; g < groups.size(); g++) {
                    Group group = groups.get((g + rep) % groups.size()); // interleaved, a different one first each time
                    if (table.notes.containsKey(group.column)) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    guard(group.column, group.body);
                    System.err.printf(Locale.ROOT, "rep %d/%d %-8s %.1f s%n", rep + 1, reps, group.column, (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        evaluateTargets();
        report();
    }

    private record Group(String column, Body body) {
    }

    /**
     * Steward's cells of the groups {@code --only} left out say so instead of "failed": the in-JVM rows are the
     * steward group's (but exec.call, which the floor group measures), start-up and memory the startup group's.
     */
    static void stewardRowsNotRun(ResultTable table, List<String> only) {
        for (Map.Entry<String, ResultTable.Row> e : table.rows.entrySet()) {
            String k = e.getKey();
            String group = k.startsWith("out.") || k.startsWith("coord.") ? null
                    : k.equals("exec.call") ? "floor"
                    : k.startsWith("start.") || k.startsWith("rss.") ? "startup"
                    : k.startsWith("spawn.") || k.startsWith("loop.") ? null
                    : "steward";
            if (group != null && !only.contains(group) && e.getValue().expected.contains(ResultTable.STEWARD)) {
                e.getValue().notRun(ResultTable.STEWARD, NOT_RUN);
            }
        }
    }

    // ---------------------------------------------------------------- coordination (issue 13)

    static final List<String> COORDINATION_ROWS = List.of("coord.lock", "coord.lock.agent", "coord.contended",
            "coord.queue", "coord.schedules");

    private CoordinationBench startCoordination() {
        if (!only.contains("coordination")) {
            return null;
        }
        try {
            CoordinationBench b = CoordinationBench.start();
            b.measure(quick ? 5_000 : 20_000); // warm-up: JIT of the lock path and of the agent link
            return b;
        } catch (Exception e) {
            String why = "failed: " + e.getMessage();
            System.err.println("coordination: " + why);
            COORDINATION_ROWS.forEach(k -> table.row(k).notRun.putIfAbsent(ResultTable.STEWARD, why.length() > 60 ? why.substring(0, 60) : why));
            return null;
        }
    }

    private boolean schedulesMeasured;

    private void measureCoordination(CoordinationBench bench) throws Exception {
        if (bench == null) {
            return;
        }
        CoordinationBench.Figures f = bench.measure(quick ? 5_000 : 20_000);
        table.row("coord.lock").add(ResultTable.STEWARD, f.lockPrimaryUs());
        table.row("coord.lock.agent").add(ResultTable.STEWARD, f.lockAgentMs());
        table.row("coord.contended").add(ResultTable.STEWARD, f.acquisitionsPerSecond());
        table.row("coord.queue").add(ResultTable.STEWARD, f.queueP50Ms());
        if (!schedulesMeasured) { // once: it waits for a slot ahead of the adds (about half a minute for 10,000)
            schedulesMeasured = true;
            SchedulesDueTogether.Result r = SchedulesDueTogether.measure(schedulesDue());
            if (r.fired() != r.schedules()) {
                throw new IllegalStateException(r.fired() + " of " + r.schedules() + " schedules fired, " + r.missed() + " missed");
            }
            table.row("coord.schedules").add(ResultTable.STEWARD, r.lastLagMs() / 1000.0);
        }
    }

    private int schedulesDue() {
        return quick ? 2_000 : 10_000;
    }

    // ---------------------------------------------------------------- Steward from outside its JVM

    private OutsideClients outsideClients() {
        String python = options.getOrDefault("python", "/usr/bin/python3");
        return new OutsideClients(Files.isExecutable(Path.of(python)) ? python : null, options.get("wrk"),
                Path.of(options.getOrDefault("outside", "bench/outside")));
    }

    /** The primary as its own process for the outside rows, or null when they are not part of this run or it failed. */
    private OutsidePrimary startOutside() {
        if (!only.contains("outside")) {
            return null;
        }
        OutsideClients clients = outsideClients();
        if (!clients.hasPython()) {
            OUTSIDE_RTT_ROWS.forEach(k -> table.row(k).notRun(ResultTable.STEWARD, "not run: python3 missing"));
        }
        if (!clients.hasWrk()) {
            OUTSIDE_RATE_ROWS.forEach(k -> table.row(k).notRun(ResultTable.STEWARD, "not run: wrk missing"));
        }
        try {
            String jar = options.get("cli-jar");
            if (jar == null) {
                throw new IllegalStateException("no --cli-jar");
            }
            OutsidePrimary p = OutsidePrimary.start(Path.of(jar));
            System.err.println("outside: primary pid " + p.pid() + " at " + p.url);
            return p;
        } catch (Exception e) {
            String why = "failed: " + e.getMessage();
            System.err.println("outside: primary " + why);
            for (String k : OUTSIDE_RTT_ROWS) {
                table.row(k).notRun.putIfAbsent(ResultTable.STEWARD, why.length() > 60 ? why.substring(0, 60) : why);
            }
            for (String k : OUTSIDE_RATE_ROWS) {
                table.row(k).notRun.putIfAbsent(ResultTable.STEWARD, why.length() > 60 ? why.substring(0, 60) : why);
            }
            table.row("out.cli").notRun.putIfAbsent(ResultTable.STEWARD, why.length() > 60 ? why.substring(0, 60) : why);
            return null;
        }
    }

    /** 1,000 (2,000 without --quick) calls of each task from the outside client, and a short wrk run of each. */
    private void warmUpOutside(OutsidePrimary p) {
        OutsideClients clients = outsideClients();
        int warm = quick ? 1_000 : 2_000;
        long t0 = System.nanoTime();
        guard(ResultTable.STEWARD, () -> {
            if (clients.hasPython()) {
                clients.roundTrips(p.url, p.token, OutsideClients.TRIVIAL, warm, 1);
                clients.roundTrips(p.url, p.token, OutsideClients.EXEC, warm, 1);
            }
            if (clients.hasWrk()) {
                outsideWarmUp.put("trivial", untilSteady(clients, p, OutsideClients.TRIVIAL));
                outsideWarmUp.put("true", untilSteady(clients, p, OutsideClients.EXEC));
            }
        });
        System.err.printf(Locale.ROOT, "outside: warmed up in %.1f s; runs/s of each 2 s window under load: %s%n",
                (System.nanoTime() - t0) / 1e9, outsideWarmUp);
    }

    /** The rates of each warm-up window, per task: how long the primary's JIT took to reach its steady rate. */
    private final Map<String, List<Long>> outsideWarmUp = new LinkedHashMap<>();

    /**
     * Loads the primary from 8 connections in 2 s windows until its rate stops rising: two windows in a row not 5 %
     * above the best one before, or 60 s. The JVM's compilers keep raising a new primary's rate for tens of seconds
     * under load (about 700 runs/s in the first 4 s to 8,000 after 20, docs/performance.md); a fixed, short warm-up
     * measured somewhere on that curve, so the rate rows swung with the machine's speed at compiling. The rate rows
     * are a running primary's; the windows are printed and kept in the report, so the cold curve stays visible.
     */
    private static List<Long> untilSteady(OutsideClients clients, OutsidePrimary p, String body) throws Exception {
        List<Long> rates = new ArrayList<>();
        double best = 0;
        int flat = 0;
        for (int window = 0; window < 30 && flat < 2; window++) {
            double rate = clients.perSecond(p.url, p.token, body, 8, Duration.ofSeconds(2));
            rates.add(Math.round(rate));
            flat = rate > best * 1.05 ? 0 : flat + 1;
            best = Math.max(best, rate);
        }
        return rates;
    }

    private void measureOutside(OutsidePrimary p) throws Exception {
        if (p == null) {
            return;
        }
        OutsideClients clients = outsideClients();
        int n = quick ? 300 : 1000;
        if (clients.hasPython()) {
            List<Double> t = clients.roundTrips(p.url, p.token, OutsideClients.TRIVIAL, 20, n);
            table.row("out.rtt.trivial.p50").add(ResultTable.STEWARD, Stats.percentile(t, 50));
            table.row("out.rtt.trivial.p99").add(ResultTable.STEWARD, Stats.percentile(t, 99));
            List<Double> e = clients.roundTrips(p.url, p.token, OutsideClients.EXEC, 20, n);
            table.row("out.rtt.true.p50").add(ResultTable.STEWARD, Stats.percentile(e, 50));
            table.row("out.rtt.true.p99").add(ResultTable.STEWARD, Stats.percentile(e, 99));
        }
        if (clients.hasWrk()) {
            Duration window = Duration.ofSeconds(quick ? 2 : 5);
            table.row("out.rate.trivial").add(ResultTable.STEWARD, clients.perSecond(p.url, p.token, OutsideClients.TRIVIAL, 8, window));
            table.row("out.rate.true").add(ResultTable.STEWARD, clients.perSecond(p.url, p.token, OutsideClients.EXEC, 8, window));
        }
        if (cli != null) {
            double[] wall = cli.medians(p, quick ? 10 : 30);
            table.row("out.cli").add(ResultTable.STEWARD, wall[0]);
            table.row("out.cli").add(ResultTable.FLOOR, wall[1]);
        }
    }

    /** The CLI row's driver, or null (and a note in the row) when hyperfine or bin/steward is missing or failed. */
    private OutsideCli outsideCli(OutsidePrimary p) {
        if (p == null) {
            return null;
        }
        String missing = !options.containsKey("hyperfine") ? "hyperfine missing" : !options.containsKey("steward") ? "no --steward" : null;
        if (missing != null) {
            table.row("out.cli").notRun(ResultTable.STEWARD, "not run: " + missing);
            return null;
        }
        try {
            OutsideCli c = new OutsideCli(options.get("hyperfine"), Path.of(options.get("steward")), work);
            c.prepare(p);
            return c;
        } catch (Exception e) {
            String why = "failed: " + e.getMessage();
            System.err.println("outside: CLI " + why);
            table.row("out.cli").notRun(ResultTable.STEWARD, why.length() > 60 ? why.substring(0, 60) : why);
            return null;
        }
    }

    /** The Conductor peer on the server bench/run started, or null when it is not part of this run. */
    private ConductorPeer startConductor() {
        if (!only.contains("conductor") || table.notes.containsKey(CONDUCTOR)) {
            return null;
        }
        try {
            return new ConductorPeer(options.get("conductor"), conductorWorkers());
        } catch (Exception e) {
            guard(CONDUCTOR, () -> {
                throw e;
            });
            return null;
        }
    }

    private int conductorWorkers() {
        return Integer.parseInt(options.getOrDefault("conductor-workers", "2"));
    }

    private void measureConductor(ConductorPeer conductor) throws Exception {
        List<Double> rtt = conductor.roundTrips(quick ? 100 : 300); // each after a pause of 0-100 ms, see ConductorPeer
        table.row("rtt.trivial.p50").add(CONDUCTOR, Stats.percentile(rtt, 50));
        table.row("rtt.trivial.p99").add(CONDUCTOR, Stats.percentile(rtt, 99));
        table.row("rate.trivial").add(CONDUCTOR, conductor.burst(2000, 8));
    }

    private interface Body {
        void run() throws Exception;
    }

    private void guard(String column, Body body) {
        try {
            body.run();
        } catch (Exception | AssertionError e) {
            String why = "failed: " + e.getMessage();
            System.err.println(column + " " + why);
            if (!column.equals(ResultTable.STEWARD) && !column.equals(ResultTable.FLOOR)) {
                table.note(column, why.length() > 60 ? why.substring(0, 60) : why);
            }
        }
    }

    private void defineRows() {
        outsideRows(table);
        table.row("rtt.trivial.p50", "round trip, trivial task, p50" + IN_JVM, "ms", true).expect(ResultTable.STEWARD, ResultTable.FLOOR, CELERY)
                .label(ResultTable.FLOOR, "TCP loopback, cross-core");
        table.row("rtt.trivial.p99", "round trip, trivial task, p99" + IN_JVM, "ms", true).expect(ResultTable.STEWARD, CELERY);
        table.row("rtt.trivial.js.p50", "round trip, trivial task in JavaScript, p50" + IN_JVM, "ms", true).expect(ResultTable.STEWARD);
        table.row("rtt.trivial.js.p99", "round trip, trivial task in JavaScript, p99" + IN_JVM, "ms", true).expect(ResultTable.STEWARD);
        table.row("rtt.true.p50", "round trip, /bin/true task, p50" + IN_JVM, "ms", true).expect(ResultTable.STEWARD, ResultTable.FLOOR, CELERY)
                .label(ResultTable.FLOOR, "ProcessBuilder");
        table.row("rtt.true.p99", "round trip, /bin/true task, p99" + IN_JVM, "ms", true).expect(ResultTable.STEWARD, CELERY);
        table.row("rate.trivial", "trivial tasks per second" + IN_JVM, "/s", false).expect(ResultTable.STEWARD, CELERY);
        table.row("rate.trivial.js", "trivial JavaScript tasks per second" + IN_JVM, "/s", false).expect(ResultTable.STEWARD);
        if (withConductor) {
            conductorRows(table);
        }
        table.row("rate.true", "/bin/true tasks per second" + IN_JVM, "/s", false).expect(ResultTable.STEWARD, ResultTable.FLOOR, CELERY)
                .label(ResultTable.FLOOR, "ProcessBuilder, 2 threads");
        table.row("exec.call", "exec('/bin/true') in-process, per call", "ms", true).expect(ResultTable.STEWARD, ResultTable.FLOOR)
                .label(ResultTable.FLOOR, "ProcessBuilder");
        table.row("spawn.native", "spawn /bin/true, native (hyperfine -N)", "ms", true).expect(ResultTable.FLOOR);
        table.row("loop.same", "TCP loopback round trip, same core", "µs", true).expect(ResultTable.FLOOR);
        table.row("loop.cross", "TCP loopback round trip, cross-core", "µs", true).expect(ResultTable.FLOOR);
        table.row("fan.1", "fan-out to 1 host, invoke to done", "ms", true).expect(ResultTable.STEWARD, ANSIBLE, PDSH);
        table.row("fan.50", "fan-out to 50 hosts, invoke to done", "ms", true).expect(ResultTable.STEWARD, ANSIBLE, PDSH);
        table.row("fan.all", "fan-out to " + (quick ? 200 : 1000) + " simulated agents, invoke to done", "ms", true)
                .expect(ResultTable.STEWARD);
        table.row("fan.node", "fan-out, added cost per host", "ms", true).expect(ResultTable.STEWARD, ANSIBLE, PDSH);
        table.row("events", "events persisted per second, one run", "/s", false).expect(ResultTable.STEWARD);
        table.row("sse.time", "SSE: " + SSE_FOLLOWERS + " followers of a " + sseTicks() + "-event run, all delivered in", "s", true)
                .expect(ResultTable.STEWARD);
        table.row("sse.rate", "SSE: events delivered per second, all followers together", "/s", false).expect(ResultTable.STEWARD);
        table.row("threads.time", String.format(Locale.ROOT, "%,d script threads in one run, time to start all", THREADS), "ms", true)
                .expect(ResultTable.STEWARD);
        table.row("threads.heap", String.format(Locale.ROOT, "%,d script threads, heap they hold while parked (after GC)", THREADS),
                "MiB", true).expect(ResultTable.STEWARD);
        table.row("coord.lock", "lock acquire+release from a script, uncontended, on the primary", "µs", true).expect(ResultTable.STEWARD);
        table.row("coord.lock.agent", "lock acquire+release from a script on an agent (over its link)", "ms", true).expect(ResultTable.STEWARD);
        table.row("coord.contended", "lock acquisitions per second, two runs contending", "/s", false).expect(ResultTable.STEWARD);
        table.row("coord.queue", "queue put→take between two runs, taker waiting, p50", "ms", true).expect(ResultTable.STEWARD);
        table.row("coord.schedules", String.format(Locale.ROOT, "%,d schedules due in one slot: last run started after the slot",
                schedulesDue()), "s", true).expect(ResultTable.STEWARD);
        table.row("start.healthy", "start-up to healthy (java -jar … server until GET /health is 200)", "ms", true)
                .expect(ResultTable.STEWARD);
        table.row("start.agent", "agent start-up to online at the primary", "ms", true).expect(ResultTable.STEWARD);
        table.row("rss.primary", "resident memory, idle primary (VmRSS)", "MiB", true).expect(ResultTable.STEWARD);
        table.row("rss.agent", "resident memory, idle agent (VmRSS)", "MiB", true).expect(ResultTable.STEWARD);
    }

    /** The suffix of the in-JVM client's rows: a floor for the server itself, not what a user sees. */
    static final String IN_JVM = ", in-JVM client (server's floor)";
    /** The suffix of the rows measured from client processes outside the primary's JVM. */
    static final String OUTSIDE = ", client outside the JVM";

    /**
     * The rows of issue 12: a primary as its own process, measured from clients in other processes (rtt.py, wrk).
     * Celery's cells repeat its figures, whose client (celery_peer.py, Python) is already outside its worker.
     */
    static void outsideRows(ResultTable t) {
        t.row("out.rtt.trivial.p50", "round trip, trivial task, p50" + OUTSIDE, "ms", true).expect(ResultTable.STEWARD, CELERY);
        t.row("out.rtt.trivial.p99", "round trip, trivial task, p99" + OUTSIDE, "ms", true).expect(ResultTable.STEWARD, CELERY);
        t.row("out.rtt.true.p50", "round trip, /bin/true task, p50" + OUTSIDE, "ms", true).expect(ResultTable.STEWARD, CELERY);
        t.row("out.rtt.true.p99", "round trip, /bin/true task, p99" + OUTSIDE, "ms", true).expect(ResultTable.STEWARD, CELERY);
        t.row("out.rate.trivial", "trivial tasks per second" + OUTSIDE, "/s", false).expect(ResultTable.STEWARD, CELERY)
                .label(ResultTable.STEWARD, "wrk, 8 connections").label(CELERY, "2,000 at once");
        t.row("out.rate.true", "/bin/true tasks per second" + OUTSIDE, "/s", false).expect(ResultTable.STEWARD, CELERY)
                .label(ResultTable.STEWARD, "wrk, 8 connections").label(CELERY, "2,000 at once");
        t.row("out.cli", "`steward run X --wait` as a whole process (JVM start included), p50", "ms", true)
                .expect(ResultTable.STEWARD, ResultTable.FLOOR).label(ResultTable.FLOOR, "curl, same invoke");
    }

    static final List<String> OUTSIDE_RTT_ROWS = List.of("out.rtt.trivial.p50", "out.rtt.trivial.p99", "out.rtt.true.p50", "out.rtt.true.p99");
    static final List<String> OUTSIDE_RATE_ROWS = List.of("out.rate.trivial", "out.rate.true");

    /** Issue 12's targets, judged on the outside rows against Celery in the same run. */
    static void outsideTargets(ResultTable t) {
        target(t, "out.rtt.trivial.p50", "≤ Celery/3", r -> r.median(ResultTable.STEWARD) * 3 <= r.median(CELERY));
        target(t, "out.rate.trivial", "≥ 5× Celery", r -> r.median(ResultTable.STEWARD) >= 5 * r.median(CELERY));
        target(t, "out.rtt.true.p50", "≤ 2/3 Celery", r -> r.median(ResultTable.STEWARD) * 3 <= 2 * r.median(CELERY));
        target(t, "out.rate.true", "≥ 1.5× Celery", r -> r.median(ResultTable.STEWARD) >= 1.5 * r.median(CELERY));
        target(t, "out.cli", "≤ 300 ms", r -> r.median(ResultTable.STEWARD) <= 300);
    }

    /** Conductor's cells: a one-task workflow stands for the trivial task. */
    static void conductorRows(ResultTable t) {
        t.row("rtt.trivial.p50").expect(CONDUCTOR).label(CONDUCTOR, "one-task workflow");
        t.row("rtt.trivial.p99").expect(CONDUCTOR);
        t.row("rate.trivial").expect(CONDUCTOR).label(CONDUCTOR, "workflows, 2,000 at once");
    }

    private static final int SSE_FOLLOWERS = 100;
    private static final int THREADS = 100_000;

    private int sseTicks() {
        return quick ? 2_000 : 20_000;
    }

    /** The real binary as a child process: start-up to healthy, an agent joined, resident memory of both when idle. */
    private void measureStartup() throws Exception {
        String jar = options.get("cli-jar");
        if (jar == null) {
            throw new IllegalStateException("no --cli-jar");
        }
        Startup.Result r = Startup.measure(Path.of(jar), Duration.ofSeconds(quick ? 1 : 5));
        table.row("start.healthy").add(ResultTable.STEWARD, r.healthyMs());
        table.row("start.agent").add(ResultTable.STEWARD, r.agentOnlineMs());
        table.row("rss.primary").add(ResultTable.STEWARD, r.primaryRssMiB());
        table.row("rss.agent").add(ResultTable.STEWARD, r.agentRssMiB());
    }

    private void evaluateTargets() {
        outsideTargets(table);
        target(table, "coord.lock", "≤ 50 µs", r -> r.median(ResultTable.STEWARD) <= 50);
        target(table, "coord.lock.agent", "≤ 2 ms", r -> r.median(ResultTable.STEWARD) <= 2);
        target(table, "coord.schedules", "≤ 5 s", r -> r.median(ResultTable.STEWARD) <= 5);
        target(table, "rtt.trivial.p50", "≤ Celery/3", r -> r.median(ResultTable.STEWARD) * 3 <= r.median(CELERY));
        target(table, "rate.trivial", "≥ 5,000/s", r -> r.median(ResultTable.STEWARD) >= 5000);
        target(table, "rate.true", "≥ 1.5× Celery", r -> r.median(ResultTable.STEWARD) >= 1.5 * r.median(CELERY));
        target(table, "exec.call", "≤ 1.3× floor", r -> r.median(ResultTable.STEWARD) <= 1.3 * r.median(ResultTable.FLOOR));
        target(table, "fan.node", "≤ Ansible/100", r -> r.median(ResultTable.STEWARD) * 100 <= r.median(ANSIBLE));
    }

    private static void target(ResultTable table, String key, String text, java.util.function.Predicate<ResultTable.Row> check) {
        ResultTable.Row r = table.row(key);
        r.target = text;
        boolean known = true;
        for (String c : r.expected) {
            known &= !c.equals(ResultTable.FLOOR) || !text.contains("floor") || r.samples.containsKey(c);
        }
        String other = text.contains("Celery") ? CELERY : text.contains("Ansible") ? ANSIBLE : text.contains("floor") ? ResultTable.FLOOR : null;
        if (!r.samples.containsKey(ResultTable.STEWARD) || (other != null && !r.samples.containsKey(other)) || !known) {
            r.met = null;
        } else {
            r.met = check.test(r);
        }
    }

    // ---------------------------------------------------------------- peers and floors

    private void measureCelery() throws Exception {
        int n = quick ? 300 : 1000;
        int burst = 2000;
        // Celery's driver is a Python process outside its worker already: its figures fill both kinds of row.
        List<Double> noop = celeryList(celery("rtt", "noop", n, 20), "ms");
        addCelery("rtt.trivial.p50", Stats.percentile(noop, 50));
        addCelery("rtt.trivial.p99", Stats.percentile(noop, 99));
        List<Double> tru = celeryList(celery("rtt", "true", n, 20), "ms");
        addCelery("rtt.true.p50", Stats.percentile(tru, 50));
        addCelery("rtt.true.p99", Stats.percentile(tru, 99));
        addCelery("rate.trivial", ((Number) celery("burst", "noop", burst, 1).get("per_s")).doubleValue());
        addCelery("rate.true", ((Number) celery("burst", "true", burst, 1).get("per_s")).doubleValue());
    }

    private void addCelery(String key, double value) {
        table.row(key).add(CELERY, value);
        if (table.rows.containsKey("out." + key)) {
            table.row("out." + key).add(CELERY, value);
        }
    }

    private static List<Double> celeryList(Map<?, ?> out, String key) {
        List<Double> l = new ArrayList<>();
        for (Object o : (List<?>) out.get(key)) {
            l.add(((Number) o).doubleValue());
        }
        return l;
    }

    private Map<?, ?> celery(String mode, String kind, int n, int warmup) throws Exception {
        Path peers = Path.of(options.getOrDefault("peers", "bench/peers"));
        String out = exec(List.of(options.getOrDefault("python", "/usr/bin/python3"), peers.resolve("celery_peer.py").toString(),
                mode, kind, String.valueOf(n), String.valueOf(warmup)), Map.of("STEWARD_BENCH_REDIS", options.get("redis")), Duration.ofMinutes(5));
        return JSON.readValue(out, Map.class);
    }

    private void measureAnsible() throws Exception {
        double one = ansible(1);
        double fifty = ansible(50);
        table.row("fan.1").add(ANSIBLE, one);
        table.row("fan.50").add(ANSIBLE, fifty);
        table.row("fan.node").add(ANSIBLE, (fifty - one) / 49);
    }

    private double ansible(int hosts) throws Exception {
        Path inventory = work.resolve("inventory-" + hosts + ".ini");
        if (!Files.exists(inventory)) {
            StringBuilder s = new StringBuilder("[bench]\n");
            for (int i = 1; i <= hosts; i++) {
                s.append("host").append(i).append(" ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n");
            }
            Files.writeString(inventory, s);
        }
        Map<String, String> env = Map.of("ANSIBLE_HOST_KEY_CHECKING", "False", "ANSIBLE_NOCOLOR", "1",
                "ANSIBLE_LOCAL_TEMP", work.resolve("ansible-tmp").toString(), "ANSIBLE_DEPRECATION_WARNINGS", "False");
        long t0 = System.nanoTime();
        exec(List.of("ansible", "bench", "-i", inventory.toString(), "-m", "command", "-a", "/bin/true"), env, Duration.ofMinutes(5));
        return (System.nanoTime() - t0) / 1e6;
    }

    private void measurePdsh() throws Exception {
        double one = pdsh(1);
        double fifty = pdsh(50);
        table.row("fan.1").add(PDSH, one);
        table.row("fan.50").add(PDSH, fifty);
        table.row("fan.node").add(PDSH, (fifty - one) / 49);
    }

    private double pdsh(int hosts) throws Exception {
        long t0 = System.nanoTime();
        exec(List.of("pdsh", "-R", "exec", "-w", hosts == 1 ? "host1" : "host[1-" + hosts + "]", "true"), Map.of(), Duration.ofMinutes(2));
        return (System.nanoTime() - t0) / 1e6;
    }

    private void measureFloor(Steward steward) throws Exception {
        String pingpong = options.get("pingpong");
        if (pingpong != null) {
            int rounds = quick ? 5_000 : 20_000;
            int cpus = Runtime.getRuntime().availableProcessors();
            double same = Double.parseDouble(exec(List.of(pingpong, "0", "0", String.valueOf(rounds)), Map.of(), Duration.ofMinutes(1)).trim());
            table.row("loop.same").add(ResultTable.FLOOR, same);
            if (cpus > 1) {
                double cross = Double.parseDouble(exec(List.of(pingpong, "0", "1", String.valueOf(rounds)), Map.of(), Duration.ofMinutes(1)).trim());
                table.row("loop.cross").add(ResultTable.FLOOR, cross);
                table.row("rtt.trivial.p50").add(ResultTable.FLOOR, cross / 1000);
            }
        }
        // ProcessBuilder floor, sequential and with 2 threads, in this JVM
        int n = quick ? 200 : 1000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            spawnTrue();
        }
        double sequential = (System.nanoTime() - t0) / 1e6 / n;
        table.row("rtt.true.p50").add(ResultTable.FLOOR, sequential);
        table.row("exec.call").add(ResultTable.FLOOR, sequential);
        t0 = System.nanoTime();
        int threads = 2;
        try (var pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> f = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                f.add(pool.submit(() -> {
                    for (int i = 0; i < n; i++) {
                        spawnTrue();
                    }
                    return null;
                }));
            }
            for (Future<?> x : f) {
                x.get();
            }
        }
        table.row("rate.true").add(ResultTable.FLOOR, threads * n / ((System.nanoTime() - t0) / 1e9));
        // in-process script exec against the same floor, interleaved here so both see the same load
        table.row("exec.call").add(ResultTable.STEWARD, steward.scriptExecMillis(n));

        if (options.containsKey("hyperfine")) {
            Path json = work.resolve("hyperfine.json");
            exec(List.of(options.get("hyperfine"), "-N", "--warmup", "20", "--runs", quick ? "200" : "1000", "--style", "none",
                    "--export-json", json.toString(), "/bin/true"), Map.of(), Duration.ofMinutes(2));
            Map<?, ?> h = JSON.readValue(json.toFile(), Map.class);
            double median = ((Number) ((Map<?, ?>) ((List<?>) h.get("results")).get(0)).get("median")).doubleValue();
            table.row("spawn.native").add(ResultTable.FLOOR, median * 1000);
        }
    }

    private static void spawnTrue() throws Exception {
        int exit = new ProcessBuilder("/bin/true").start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("/bin/true exited " + exit);
        }
    }

    /** Runs a command to its end; its standard output, or an exception with its standard error. */
    static String exec(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path err = Files.createTempFile("steward-suite", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        AtomicReference<String> out = new AtomicReference<>("");
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out.set(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process ended
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " timed out");
            }
            reader.join();
            if (p.exitValue() != 0) {
                String e = Files.readString(err).strip();
                String last = e.isEmpty() ? out.get().strip() : e;
                last = last.substring(last.lastIndexOf('\n') + 1);
                throw new IllegalStateException(Path.of(command.get(0)).getFileName() + " exit " + p.exitValue() + ": " + last);
            }
            return out.get();
        } finally {
            Files.deleteIfExists(err);
        }
    }

    // ---------------------------------------------------------------- report

    private void report() throws Exception {
        Runtime rt = Runtime.getRuntime();
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("date", DateTimeFormatter.ISO_INSTANT.format(Instant.now()));
        machine.put("cores", rt.availableProcessors());
        machine.put("jdk", System.getProperty("java.vm.vendor") + " " + Runtime.version());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("pinned", options.getOrDefault("pinned", "no"));
        machine.put("quick", quick);
        machine.put("groups", only);
        machine.put("repetitions", Math.max(5, Integer.parseInt(options.getOrDefault("reps", "5"))));
        if (!outsideWarmUp.isEmpty()) {
            machine.put("outsideWarmUpRunsPerSecond", outsideWarmUp);
        }
        String header = String.format(Locale.ROOT, "Steward beside the floor and its peers — %d cores, %s, pinned: %s, %s%s, "
                        + "each figure the median of %s repetitions (Steward and peers interleaved)",
                rt.availableProcessors(), "Java " + Runtime.version(), machine.get("pinned"), machine.get("date"),
                quick ? ", --quick" : "", machine.get("repetitions"));
        List<String> notes = new ArrayList<>();
        table.notes.forEach((c, why) -> notes.add(c + ": " + why));
        String footer = "Client outside the JVM (the rows issue 12's targets are judged on): `java -jar steward-all.jar server` "
                + "(H2, default heap) as its own process on 127.0.0.1; round trips from bench/outside/rtt.py (Python http.client, "
                + "one keep-alive connection, TCP_NODELAY), " + (quick ? "1,000" : "2,000") + " warm-up calls of each task first, then "
                + (quick ? 300 : 1000) + " timed per repetition; rates from wrk with bench/outside/runs.lua (8 keep-alive "
                + "connections on 2 threads, TCP_NODELAY, " + (quick ? 2 : 5) + " s), after 2 s windows of that load until "
                + "the rate stopped rising (two windows not 5 % above the best; every window's rate is in latest.json). Celery's driver (celery_peer.py) is a Python "
                + "process outside its worker already, so its figures fill both kinds of row; its rates are 2,000 tasks "
                + "submitted at once from one client, not 8 connections. The CLI row: bin/steward (its start-up archive made "
                + "before timing) and curl, same invoke against the same primary, " + (quick ? 10 : 30) + " of each per "
                + "repetition under hyperfine -N (no shell), HOME empty.\n"
                + "In-JVM client (the server's floor): one in-process primary (H2) on 127.0.0.1, HTTP/1.1 keep-alive client in the same JVM; fan-out to "
                + "simulated agents on WebSockets. Trivial task: `args.n + 1`, as trivial.groovy and, for the JavaScript rows, as "
                + "trivial.js (GraalJS, interpreted, a context per run; see docs/performance.md). Celery 5 + Redis, worker "
                + "concurrency 2, 2,000 tasks submitted at once for "
                + "the rates. Ansible ad-hoc `command /bin/true`, ansible_connection=local, default 5 forks. pdsh -R exec `true`.\n"
                + "Per-host cost = (time for 50 hosts - time for 1) / 49; Steward's from all simulated agents.\n"
                + "Coordination (CoordinationBench): a primary (H2) and a real agent linked over loopback in the suite's JVM; Groovy "
                + "scripts time themselves with System.nanoTime(): lock('x') { } in a loop on a run-private name, on the "
                + "primary and on the agent; two runs taking one lock in a loop; queue.put in one run to take in another "
                + "(each put committed); schedules: SchedulesDueTogether, once per suite, lag from the slot to the last run's creation.\n"
                + "Script threads: one run spawns them all and they park on a latch; heap in use while all are parked less "
                + "the heap in use before (both after System.gc()), in the suite's JVM. Start-up and memory: "
                + "`java -jar steward-all.jar server` and `agent` as child processes with the JVM's default heap, "
                + "VmRSS after " + (quick ? 1 : 5) + " s idle; the primary's read before the agent joins."
                + (withConductor ? "\nConductor 3.15.0 server (boot jar) with Redis persistence and queues, no indexing; a workflow of one "
                        + "SIMPLE task, worked by " + conductorWorkers() + " REST worker threads in the suite's JVM (batch poll of 1, "
                        + "its 100 ms minimum long poll); round trip = start, after a random "
                        + "untimed pause of 0-100 ms, until the worker's update returned and GET shows COMPLETED; rate: 2,000 started from 8 connections at once." : "")
                + (notes.isEmpty() ? "" : "\nNot measured: " + String.join("; ", notes));
        String text = table.render(false);
        System.out.println();
        System.out.println(header);
        System.out.println();
        System.out.print(text);
        System.out.println();
        System.out.println(footer);

        Path out = Path.of(options.getOrDefault("out", "bench/results"));
        Files.createDirectories(out);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Map<String, Object> json = table.toJson(machine);
        String jsonText = JSON.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
        String svg = SvgChart.render(table, String.format(Locale.ROOT, "Steward beside the floor and its peers — %d cores, Java %s%s%n"
                + "pinned: %s; %s; median of %s repetitions", rt.availableProcessors(), Runtime.version(), quick ? ", --quick" : "",
                machine.get("pinned"), machine.get("date"), machine.get("repetitions")));
        String md = header + "\n\n" + table.render(true) + "\n" + footer + "\n";
        boolean whole = !options.containsKey("only"); // a partial run must not replace the latest whole one
        for (String name : whole ? List.of("suite-" + stamp, "latest") : List.of("suite-" + stamp)) {
            Files.writeString(out.resolve(name + ".json"), jsonText);
            Files.writeString(out.resolve(name + ".svg"), svg);
        }
        if (whole) {
            Files.writeString(out.resolve("latest.md"), md);
        }
        System.out.println("\nwritten: " + out.resolve("suite-" + stamp + ".json") + ", .svg"
                + (whole ? "; latest.json, latest.svg, latest.md" : " (--only: latest.* left as they were)"));
    }

    // ---------------------------------------------------------------- Steward

    /** An in-process primary on 127.0.0.1 with simulated agents, and the measurements made against it. */
    private final class Steward implements AutoCloseable {
        private final Path data = Files.createTempDirectory("steward-suite-primary");
        private final StewardServer server;
        private final HttpClient http = BenchHttp.client();
        private final String token;
        private final List<SimulatedAgent> agents = new ArrayList<>();
        private final double joinSeconds;
        private final BenchScripts local = new BenchScripts(Map.of("exec.groovy", "exec(['/bin/true']).exitCode"));
        private final String trivial = JSON.writeValueAsString(Map.of("script", "trivial.groovy", "args", Map.of("n", 1)));
        /** The same trivial task in JavaScript (GraalJS, interpreted): a context per run, see JsRun. */
        private final String trivialJs = JSON.writeValueAsString(Map.of("script", "trivial.js", "args", Map.of("n", 1)));
        private final String exec = JSON.writeValueAsString(Map.of("script", "exec.groovy"));

        Steward(int agentCount) throws Exception {
            server = StewardServer.start(ServerConfig.defaults(data)
                    .withGateway(new GatewayConfig("127.0.0.1", 0, GatewayConfig.DEFAULT_MAX_BODY))
                    .withAgents(ServerConfig.AgentSettings.DEFAULTS));
            token = server.adminToken();
            post("/api/v1/scripts", Map.of("name", "trivial.groovy", "source", "args.n + 1"));
            post("/api/v1/scripts", Map.of("name", "trivial.js", "source", "args.n + 1"));
            post("/api/v1/scripts", Map.of("name", "exec.groovy", "source", "exec(['/bin/true']).exitCode"));
            post("/api/v1/scripts", Map.of("name", "one.groovy", "source", "1"));
            post("/api/v1/scripts", Map.of("name", "events.groovy", "source", "(1..args.n).each { status.set('n', it) }; 'ok'"));
            String join = (String) post("/api/v1/tokens", Map.of("name", "bench-join", "role", "agent")).get("token");
            long t0 = System.nanoTime();
            try (var pool = Executors.newFixedThreadPool(16)) {
                List<Future<SimulatedAgent>> joins = new ArrayList<>();
                for (int i = 0; i < agentCount; i++) {
                    String name = String.format(Locale.ROOT, "sim-%04d", i);
                    Map<String, Object> labels = Map.of("role", "sim", "g50", i < 50 ? "y" : "n");
                    joins.add(pool.submit(() -> {
                        SimulatedAgent a = new SimulatedAgent(http, server.url(), join, name, labels, r -> "ok", false);
                        a.join();
                        return a;
                    }));
                }
                for (Future<SimulatedAgent> f : joins) {
                    agents.add(f.get());
                }
            }
            joinSeconds = (System.nanoTime() - t0) / 1e9;
        }

        void warmUp(int n) throws Exception {
            for (int i = 0; i < n; i++) {
                send(http, trivial);
            }
            for (int i = 0; i < n / 2; i++) {
                send(http, trivialJs);
            }
            for (int i = 0; i < n / 10; i++) {
                send(http, exec);
            }
            scriptExecMillis(n / 10);
            fanOut("sim-0000");
            fanOut("role=sim");
        }

        void measure() throws Exception {
            int n = quick ? 1000 : 5000;
            List<Double> t = roundTrips(trivial, n);
            table.row("rtt.trivial.p50").add(ResultTable.STEWARD, Stats.percentile(t, 50));
            table.row("rtt.trivial.p99").add(ResultTable.STEWARD, Stats.percentile(t, 99));
            List<Double> js = roundTrips(trivialJs, n / 2);
            table.row("rtt.trivial.js.p50").add(ResultTable.STEWARD, Stats.percentile(js, 50));
            table.row("rtt.trivial.js.p99").add(ResultTable.STEWARD, Stats.percentile(js, 99));
            List<Double> e = roundTrips(exec, n / 5);
            table.row("rtt.true.p50").add(ResultTable.STEWARD, Stats.percentile(e, 50));
            table.row("rtt.true.p99").add(ResultTable.STEWARD, Stats.percentile(e, 99));
            Duration window = Duration.ofMillis(quick ? 1000 : 5000); // 8 clients: thousands of runs even in --quick
            table.row("rate.trivial").add(ResultTable.STEWARD, perSecond(trivial, 8, window));
            table.row("rate.trivial.js").add(ResultTable.STEWARD, perSecond(trivialJs, 8, window));
            table.row("rate.true").add(ResultTable.STEWARD, perSecond(exec, 8, window));
            double one = fanOut("sim-0000");
            double fifty = fanOut("role=sim,g50=y");
            List<Double> all = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                all.add(fanOut("role=sim"));
            }
            double allMedian = Stats.median(all);
            table.row("fan.1").add(ResultTable.STEWARD, one);
            table.row("fan.50").add(ResultTable.STEWARD, fifty);
            table.row("fan.all").add(ResultTable.STEWARD, allMedian);
            table.row("fan.node").add(ResultTable.STEWARD, (allMedian - one) / (agents.size() - 1));
            int events = quick ? 50_000 : 200_000;
            long t0 = System.nanoTime();
            post("/api/v1/runs?wait=5m", Map.of("script", "events.groovy", "args", Map.of("n", events)));
            server.store().writer().flush();
            table.row("events").add(ResultTable.STEWARD, events / ((System.nanoTime() - t0) / 1e9));

            PrimaryReport.Sse sse = PrimaryReport.sse(http, server.url(), token, "events.groovy", SSE_FOLLOWERS, sseTicks());
            if (!sse.complete()) {
                throw new IllegalStateException("SSE: " + sse.delivered() + " of " + sse.expected() + " events delivered");
            }
            table.row("sse.time").add(ResultTable.STEWARD, sse.seconds());
            table.row("sse.rate").add(ResultTable.STEWARD, sse.perSecond());

            ParkedThreads.Result parked = ParkedThreads.measure(THREADS);
            if (!parked.state().equals("SUCCEEDED")) {
                throw new IllegalStateException(THREADS + " threads: run " + parked.state());
            }
            table.row("threads.time").add(ResultTable.STEWARD, parked.startMs());
            table.row("threads.heap").add(ResultTable.STEWARD, parked.addedHeapMiB());
        }

        private List<Double> roundTrips(String body, int n) throws Exception {
            List<Double> ms = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                send(http, body);
                ms.add((System.nanoTime() - t0) / 1e6);
            }
            return ms;
        }

        private double perSecond(String body, int clients, Duration window) throws Exception {
            return BenchHttp.perSecond(server.url(), token, body, clients, window);
        }

        private double fanOut(String on) throws Exception {
            long t0 = System.nanoTime();
            Map<?, ?> run = post("/api/v1/runs?wait=5m", Map.of("script", "one.groovy", "on", on));
            double ms = (System.nanoTime() - t0) / 1e6;
            if (!"SUCCEEDED".equals(run.get("state"))) {
                throw new IllegalStateException("fan-out to " + on + ": " + run.get("state") + " " + run.get("error"));
            }
            return ms;
        }

        /** Mean time of {@code exec('/bin/true')} from a script run by the in-process engine, per call. */
        double scriptExecMillis(int n) throws Exception {
            InvokeRequest request = InvokeRequest.of("exec.groovy");
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                RunSnapshot end = local.coordinator.invoke(request).completion().get();
                if (end.state() != RunState.SUCCEEDED) {
                    throw new IllegalStateException("exec script failed: " + end.error());
                }
            }
            return (System.nanoTime() - t0) / 1e6 / n;
        }

        private void send(HttpClient client, String body) throws Exception {
            BenchHttp.invoke(client, server.url(), token, body);
        }

        private Map<?, ?> post(String path, Object body) throws Exception {
            return BenchHttp.call(http, server.url(), token, path, body);
        }

        @Override
        public void close() throws Exception {
            agents.forEach(SimulatedAgent::close);
            local.close();
            server.close();
        }
    }
}
