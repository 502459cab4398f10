package io.steward.bench;

import io.steward.testkit.SimulatedAgent;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Several {@code steward server} processes on one fresh PostgreSQL schema with simulated agents (in this JVM, the load
 * JVM) spread evenly over them, each agent with its own name and credential; then a fan-out of a trivial script to
 * all of them, through the first primary, which hands the other primaries their agents' children through the database
 * ({@code --per-primary true}: one fan-out through each primary at once, as before fan-outs crossed primaries). A
 * fan-out through each primary alone is measured first (it warms each primary, and shows that each reaches all). See
 * {@link ClusterFleetFigures} for what is measured. The schema is dropped and every process stopped at the end.
 */
final class ClusterFleet {
    static final String SCRIPT = "trivial.groovy";

    /**
     * @param java         the JVM command up to the {@code steward} arguments, without heap flags
     *                     ({@code [java, -jar, steward-all.jar]} or {@code [java, -cp, CP, io.steward.cli.Steward]})
     * @param poll         the primaries' {@code --poll-interval} (how often each agent is asked for its runs)
 * @param heartbeat    the primaries' {@code --agent-heartbeat}, at which the simulated agents beat too
     * @param idle         how long the idle CPU is measured, with every agent linked
     * @param perPrimary   one fan-out through each primary at once (the form before fan-outs crossed primaries),
     *                     rather than one fan-out of every agent through the first primary
     */
    record Settings(int agents, int primaries, List<String> java, String primaryHeap, String dbUrl, String dbUser,
                    String dbPassword, Duration poll, Duration heartbeat, Duration grace, Duration idle, int joinThreads,
                    boolean perPrimary) {
        Settings {
            if (agents < primaries || primaries < 1) {
                throw new IllegalArgumentException("--agents must be at least --primaries (1 or more): " + agents + " agents, "
                        + primaries + " primaries");
            }
        }

        /** Agent {@code i} links to primary {@code i % primaries}: this many link to primary {@code p}. */
        int agentsOf(int p) {
            return agents / primaries + (p < agents % primaries ? 1 : 0);
        }
    }

    private final Settings settings;
    private final PrintStream progress;

    ClusterFleet(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    ClusterFleetFigures run(Path work) throws Exception {
        String loadBefore = ProcFigures.loadAverage();
        String schema = "fleet_" + UUID.randomUUID().toString().replace("-", "");
        sql("CREATE SCHEMA " + schema);
        List<ClusterPrimary> primaries = new ArrayList<>();
        List<SimulatedAgent> agents = new ArrayList<>();
        FleetHeartbeats heartbeats = null;
        try {
            HttpClient http = BenchHttp.client();
            startPrimaries(work, schema, primaries, http);
            Thread.sleep(3_000); // let their start-up settle before the baseline memory
            List<Long> baseRss = primaries.stream().map(p -> ProcFigures.rss(p.pid())).toList();

            ClusterPrimary first = primaries.getFirst();
            String join = (String) BenchHttp.call(http, first.url(), first.token(), "/api/v1/tokens",
                    Map.of("name", "fleet-join", "role", "agent")).get("token");
            BenchHttp.call(http, first.url(), first.token(), "/api/v1/scripts", Map.of("name", SCRIPT, "source", "1"));

            progress.printf("linking %,d agents ...%n", settings.agents());
            long t0 = System.nanoTime();
            link(primaries, join, agents);
            awaitLinked(http, primaries);
            double linkSeconds = (System.nanoTime() - t0) / 1e9;
            heartbeats = new FleetHeartbeats(List.copyOf(agents), settings.heartbeat());

            // Idle: every agent linked, polled at the set interval, nothing running.
            Thread.sleep(Math.min(10_000, settings.poll().toMillis()));
            agents.forEach(a -> a.received.clear());
            List<Double> cpu0 = cpu(primaries);
            double pgIdle0 = ProcFigures.cpuSecondsOfAll("postgres");
            double load0 = ProcFigures.cpuSeconds(ProcessHandle.current().pid());
            progress.printf("idle for %s ...%n", settings.idle());
            Thread.sleep(settings.idle().toMillis());
            List<Double> cpu1 = cpu(primaries);
            double idleSeconds = settings.idle().toMillis() / 1000.0;
            List<Double> idleCpuShare = new ArrayList<>();
            for (int i = 0; i < primaries.size(); i++) {
                idleCpuShare.add((cpu1.get(i) - cpu0.get(i)) / idleSeconds);
            }
            double postgresIdleShare = (ProcFigures.cpuSecondsOfAll("postgres") - pgIdle0) / idleSeconds;
            double loadJvmIdle = (ProcFigures.cpuSeconds(ProcessHandle.current().pid()) - load0) / idleSeconds;
            List<Long> idleRss = primaries.stream().map(p -> ProcFigures.rss(p.pid())).toList();

            // One primary at a time: what a fan-out through it alone reaches, and how long it takes (this warms each
            // primary's JIT for the concurrent round too).
            List<Integer> reach = new ArrayList<>();
            List<Double> soloSeconds = new ArrayList<>();
            for (int i = 0; i < primaries.size(); i++) {
                progress.printf("fan-out through primary %d alone ...%n", i);
                long o0 = System.nanoTime();
                Map<?, ?> alone = fanOut(http, primaries.get(i));
                soloSeconds.add((System.nanoTime() - o0) / 1e9);
                reach.add(((Map<?, ?>) alone.get("result")).size());
            }
            agents.forEach(a -> a.received.clear());

            // One fan-out of every agent through the first primary: it hands the others their agents' children.
            List<ClusterPrimary> through = settings.perPrimary() ? primaries : List.of(primaries.getFirst());
            progress.printf("%d fan-out(s) at once ...%n", through.size());
            long rows0 = count(schema, "run_events");
            double stored0 = storedEvents(http, primaries);
            double pg0 = ProcFigures.cpuSecondsOfAll("postgres");
            List<Double> fanCpu0 = cpu(primaries);
            double loadFan0 = ProcFigures.cpuSeconds(ProcessHandle.current().pid());
            List<Map<?, ?>> parents = new ArrayList<>();
            List<Double> fanOutSeconds = new ArrayList<>();
            long f0 = System.nanoTime();
            try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Map<?, ?>>> answers = new ArrayList<>();
                AtomicLongArray took = new AtomicLongArray(through.size());
                for (int i = 0; i < through.size(); i++) {
                    ClusterPrimary p = through.get(i);
                    int index = i;
                    answers.add(each.submit(() -> {
                        long s = System.nanoTime();
                        Map<?, ?> run = fanOut(http, p);
                        took.set(index, System.nanoTime() - s);
                        return run;
                    }));
                }
                for (Future<Map<?, ?>> a : answers) {
                    parents.add(a.get());
                }
                for (int i = 0; i < through.size(); i++) {
                    fanOutSeconds.add(took.get(i) / 1e9);
                }
            }
            double wholeSeconds = (System.nanoTime() - f0) / 1e9;
            // The answer comes once the children's ends are durable; the last events of the group commit may follow.
            Thread.sleep(1_000);
            double window = (System.nanoTime() - f0) / 1e9;
            long rows = count(schema, "run_events") - rows0;
            double stored = storedEvents(http, primaries) - stored0;
            double pgCpu = ProcFigures.cpuSecondsOfAll("postgres") - pg0;
            List<Double> fanCpu1 = cpu(primaries);
            double loadJvmCpu = ProcFigures.cpuSeconds(ProcessHandle.current().pid()) - loadFan0;
            List<Double> primaryCpu = new ArrayList<>();
            for (int i = 0; i < primaries.size(); i++) {
                primaryCpu.add(fanCpu1.get(i) - fanCpu0.get(i));
            }
            List<Long> peakRss = primaries.stream().map(p -> ProcFigures.peakRss(p.pid())).toList();

            List<Double> sinceInvokeMs = new ArrayList<>();
            java.util.Set<String> reached = new java.util.HashSet<>();
            int children = 0;
            int succeeded = 0;
            for (Map<?, ?> parent : parents) {
                Instant invoked = Instant.parse((String) parent.get("createdAt"));
                for (Child c : children(schema, (String) parent.get("id"))) {
                    children++;
                    reached.add(c.node());
                    if ("SUCCEEDED".equals(c.state())) {
                        succeeded++;
                    }
                    if (c.ended() != null) {
                        sinceInvokeMs.add(Duration.between(invoked, c.ended()).toNanos() / 1e6);
                    }
                }
            }
            if (sinceInvokeMs.isEmpty()) {
                throw new IllegalStateException("the fan-outs made no child that ended: " + parents);
            }
            return new ClusterFleetFigures(settings, loadBefore, ProcFigures.loadAverage(), linkSeconds, idleRss, baseRss,
                    peakRss, idleCpuShare, loadJvmIdle, postgresIdleShare, reach, soloSeconds, children, succeeded, reached.size(), fanOutSeconds,
                    wholeSeconds, Stats.percentile(sinceInvokeMs, 50), Stats.percentile(sinceInvokeMs, 99), rows, rows / window,
                    stored / window, pgCpu, primaryCpu, loadJvmCpu);
        } finally {
            if (heartbeats != null) {
                heartbeats.close();
            }
            agents.forEach(SimulatedAgent::close);
            for (ClusterPrimary p : primaries) {
                p.close();
            }
            sql("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** The first primary alone (it makes the schema's tables), then the others together. */
    private void startPrimaries(Path work, String schema, List<ClusterPrimary> primaries, HttpClient http) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, String> env = Map.of("STEWARD_DB_PASSWORD", settings.dbPassword(),
                "STEWARD_SECRET_KEY", Base64.getEncoder().encodeToString(key));
        String db = settings.dbUrl() + (settings.dbUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
        List<String> options = List.of("--db", db, "--db-user", settings.dbUser(),
                "--poll-interval", settings.poll().toMillis() + "ms", "--agent-heartbeat", settings.heartbeat().toMillis() + "ms",
                "--agent-grace", settings.grace().toMillis() + "ms",
                // every child of every fan-out must still be there to be counted: no pruning by number
                "--keep-runs", "100000000");
        List<String> java = new ArrayList<>(settings.java());
        java.add(1, "-Xmx" + settings.primaryHeap());
        progress.printf("starting %d primaries ...%n", settings.primaries());
        for (int i = 0; i < settings.primaries(); i++) {
            primaries.add(ClusterPrimary.launch(java, Files.createDirectories(work.resolve("primary-" + i)), options, env));
            if (i == 0) {
                primaries.getFirst().awaitHealthy(http, Duration.ofMinutes(2));
            }
        }
        for (ClusterPrimary p : primaries) {
            p.awaitHealthy(http, Duration.ofMinutes(2));
        }
    }

    /** Agent {@code i} joins primary {@code i % n}, a few at a time; one HTTP client (one selector thread) per primary. */
    private void link(List<ClusterPrimary> primaries, String join, List<SimulatedAgent> agents) throws Exception {
        List<HttpClient> clients = primaries.stream().map(p -> BenchHttp.client()).toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(settings.joinThreads())) {
            List<Future<SimulatedAgent>> joins = new ArrayList<>();
            for (int i = 0; i < settings.agents(); i++) {
                int p = i % primaries.size();
                String name = String.format("sim-%05d", i);
                String url = primaries.get(p).url();
                joins.add(pool.submit(() -> {
                    SimulatedAgent a = new SimulatedAgent(clients.get(p), url, join, name, Map.of("role", "sim"), r -> "ok", false);
                    a.forgetAcknowledged = true;
                    a.join();
                    return a;
                }));
            }
            for (Future<SimulatedAgent> f : joins) {
                agents.add(f.get());
            }
        }
    }

    /** Until each primary's {@code steward_agents_connected} counts its share. */
    private void awaitLinked(HttpClient http, List<ClusterPrimary> primaries) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (int i = 0; i < primaries.size(); i++) {
            ClusterPrimary p = primaries.get(i);
            while (metric(http, p, "steward_agents_connected") < settings.agentsOf(i)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("primary " + i + " has " + metric(http, p, "steward_agents_connected")
                            + " agents linked, not " + settings.agentsOf(i));
                }
                Thread.sleep(200);
            }
        }
    }

    private static Map<?, ?> fanOut(HttpClient http, ClusterPrimary p) throws Exception {
        Map<?, ?> run = BenchHttp.call(http, p.url(), p.token(), "/api/v1/runs?wait=5m", Map.of("script", SCRIPT, "on", "role=sim"));
        if (!"SUCCEEDED".equals(run.get("state"))) {
            String error = String.valueOf(run.get("error"));
            throw new IllegalStateException("a fan-out through " + p.url() + " ended " + run.get("state") + ": "
                    + (error.length() > 600 ? error.substring(0, 600) + " …" : error));
        }
        return run;
    }

    private static List<Double> cpu(List<ClusterPrimary> primaries) {
        return primaries.stream().map(p -> ProcFigures.cpuSeconds(p.pid())).toList();
    }

    private static double storedEvents(HttpClient http, List<ClusterPrimary> primaries) throws Exception {
        double sum = 0;
        for (ClusterPrimary p : primaries) {
            sum += metric(http, p, "steward_events_stored_total");
        }
        return sum;
    }

    /** The sum of a meter's samples in the primary's Prometheus text (0 when it has none). */
    static double metric(HttpClient http, ClusterPrimary p, String name) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(p.url() + "/metrics")).header("Authorization", "Bearer " + p.token())
                .timeout(Duration.ofSeconds(30)).build();
        String text = http.send(r, HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    record Child(String node, String state, Instant ended) {
    }

    private List<Child> children(String schema, String parent) throws Exception {
        List<Child> children = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "SELECT node, state, ended_at FROM " + schema + ".runs WHERE parent = ?")) {
            s.setString(1, parent);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    java.sql.Timestamp ended = rs.getTimestamp(3);
                    children.add(new Child(rs.getString(1), rs.getString(2), ended == null ? null : ended.toInstant()));
                }
            }
        }
        return children;
    }

    private long count(String schema, String table) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + "." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
    }
}
