package io.steward.bench;

import io.steward.agent.Agent;
import io.steward.agent.AgentConfig;
import io.steward.client.StewardClient;
import io.steward.gateway.GatewayConfig;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 13's coordination figures, measured from scripts as users write them, on a real primary (H2) and a real
 * agent linked to it over a loopback WebSocket, both in this JVM: an uncontended {@code lock} acquire+release on the
 * primary and on the agent, acquisitions per second of one mutex two runs contend for (served in arrival order, so
 * a waiting run gets it at each release), and the latency of a message from
 * {@code queue.put} in one run to {@code take} in another (the taker waiting; each put is committed first).
 * Scripts time themselves with {@code System.nanoTime()}, so HTTP and run start are not in the figures.
 *
 * <pre>java -cp steward-bench/target/benchmarks.jar io.steward.bench.CoordinationBench [n]</pre>
 */
public final class CoordinationBench implements AutoCloseable {

    /** µs per uncontended acquire+release on the primary; ms on an agent; contended acquisitions/s; put→take p50 ms. */
    record Figures(double lockPrimaryUs, double lockAgentMs, double acquisitionsPerSecond, double queueP50Ms) {
    }

    private static final String LOOP = """
            def name = 'bench-' + runId
            (args.warm as int).times { lock(name) { } }
            def n = args.n as int
            def t0 = System.nanoTime()
            n.times { lock(name) { } }
            (System.nanoTime() - t0) / n / 1000.0
            """;
    private static final String CONTEND = """
            def n = args.n as int
            def t0 = System.nanoTime()
            n.times { lock('contended') { } }
            [t0: t0, t1: System.nanoTime()]
            """;
    private static final String TAKER = """
            def q = queue('latency-' + args.k)
            def lat = []
            (args.n as int).times {
                def sent = q.take(30000) as long
                lat << System.nanoTime() - sent
            }
            lat.sort()
            lat[lat.size().intdiv(2)] / 1e6
            """;
    private static final String PUTTER = """
            def q = queue('latency-' + args.k)
            (args.n as int).times { q.put(System.nanoTime()); sleep(2) }
            'done'
            """;

    private final Path work;
    private final StewardServer server;
    private final StewardClient admin;
    private final Agent agent;
    private int round;

    private CoordinationBench(Path work) throws Exception {
        this.work = work;
        this.server = StewardServer.start(ServerConfig.defaults(work.resolve("primary"))
                .withGateway(new GatewayConfig("127.0.0.1", 0, 1 << 20)).withNode("primary", Map.of()));
        this.admin = StewardClient.connect(server.url(), server.adminToken());
        String join = (String) admin.createToken("bench-join", "agent").get("token");
        this.agent = Agent.start(AgentConfig.of(server.url(), join).withName("bench-agent")
                .withDataDir(Files.createDirectories(work.resolve("agent"))));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (admin.nodes().stream().noneMatch(n -> "bench-agent".equals(n.get("name")) && "online".equals(n.get("state")))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the bench agent did not come online");
            }
            Thread.sleep(50);
        }
        admin.pushScript("lockloop.groovy", LOOP);
        admin.pushScript("contend.groovy", CONTEND);
        admin.pushScript("taker.groovy", TAKER);
        admin.pushScript("putter.groovy", PUTTER);
    }

    static CoordinationBench start() throws Exception {
        return new CoordinationBench(Files.createTempDirectory("steward-coord-bench"));
    }

    /** One repetition: {@code n} operations of each kind (the agent's lock loop a tenth of that: each is a round trip). */
    Figures measure(int n) throws Exception {
        round++;
        double primary = number(wait(admin.invoke("lockloop.groovy", null, Map.of("n", n, "warm", n), null, Duration.ofMinutes(5))));
        Map<String, Object> onAgent = wait(admin.invoke("lockloop.groovy", null, Map.of("n", Math.max(50, n / 10), "warm", 50),
                null, Duration.ofMinutes(5), Map.of("on", "bench-agent")));
        double agentUs = number(Map.of("state", onAgent.get("state"), "result", ((Map<?, ?>) onAgent.get("result")).get("bench-agent")));
        List<String> contenders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            contenders.add((String) admin.invoke("contend.groovy", null, Map.of("n", n), null, null).get("id"));
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (String id : contenders) {
            Map<?, ?> r = (Map<?, ?>) awaitEnd(id).get("result");
            first = Math.min(first, ((Number) r.get("t0")).longValue());
            last = Math.max(last, ((Number) r.get("t1")).longValue());
        }
        double rate = 2.0 * n / ((last - first) / 1e9);
        int messages = Math.max(100, n / 20);
        String taker = (String) admin.invoke("taker.groovy", null, Map.of("n", messages, "k", round), null, null).get("id");
        wait(admin.invoke("putter.groovy", null, Map.of("n", messages, "k", round), null, Duration.ofMinutes(5)));
        double latency = number(awaitEnd(taker));
        return new Figures(primary, agentUs / 1000.0, rate, latency);
    }

    private Map<String, Object> awaitEnd(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            Map<String, Object> run = admin.run(id);
            if (!"RUNNING".equals(run.get("state")) && !"QUEUED".equals(run.get("state"))) {
                return wait(run);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + id + " did not end");
            }
            Thread.sleep(20);
        }
    }

    private static Map<String, Object> wait(Map<String, Object> run) {
        if (!"SUCCEEDED".equals(run.get("state"))) {
            throw new IllegalStateException("a benchmark run ended " + run.get("state") + ": " + run.get("error"));
        }
        return run;
    }

    private static double number(Map<String, Object> run) {
        return ((Number) run.get("result")).doubleValue();
    }

    @Override
    public void close() throws Exception {
        agent.close();
        admin.close();
        server.close();
        Startup.deleteTree(work);
    }

    public static void main(String[] argv) throws Exception {
        int n = argv.length > 0 ? Integer.parseInt(argv[0]) : 20_000;
        try (CoordinationBench bench = start()) {
            bench.measure(n); // warm-up
            for (int rep = 1; rep <= 3; rep++) {
                Figures f = bench.measure(n);
                System.out.printf(Locale.ROOT, "rep %d: lock on the primary %.1f µs (target ≤ 50), on an agent %.2f ms "
                                + "(target ≤ 2), %,.0f contended acquisitions/s (two runs), queue put→take p50 %.2f ms%n",
                        rep, f.lockPrimaryUs(), f.lockAgentMs(), f.acquisitionsPerSecond(), f.queueP50Ms());
            }
        }
        System.exit(0);
    }
}
