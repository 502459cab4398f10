package io.steward.bench;

import io.steward.gateway.GatewayConfig;
import io.steward.schedule.ScheduleSpec;
import io.steward.server.ServerConfig;
import io.steward.server.StewardServer;
import io.steward.store.RunPage;
import io.steward.store.RunQuery;
import io.steward.store.RunRecord;
import io.steward.store.ScheduleRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many schedules due in the same second (issue 13's target: 10,000, all fired within 5 s of their slot), on an
 * in-process primary over a fresh H2 file: adds them all for one second-granularity slot a little ahead, waits for
 * the slot, and prints how long after it the first and the last run were created, and how many fired or were
 * missed. Run: {@code java -cp steward-bench/target/benchmarks.jar io.steward.bench.SchedulesDueTogether [count]}.
 */
public final class SchedulesDueTogether {
    /** What one measurement found; lags are from the slot to a run's creation (its claim committed, its invoke done). */
    record Result(int schedules, long fired, long missed, long firstLagMs, long lastLagMs, long addMs) {
    }

    public static void main(String[] argv) throws Exception {
        Result r = measure(argv.length > 0 ? Integer.parseInt(argv[0]) : 10_000);
        System.out.printf("schedules-due-together: %d schedules due in one second: %d fired, %d missed; first run %d ms "
                        + "after the slot, last run %d ms after it (adding them took %d ms)%n",
                r.schedules(), r.fired(), r.missed(), r.firstLagMs(), r.lastLagMs(), r.addMs());
    }

    static Result measure(int count) throws Exception {
        Path data = Files.createTempDirectory("steward-bench-schedules");
        try (StewardServer server = StewardServer.start(ServerConfig.defaults(data)
                .withGateway(new GatewayConfig("127.0.0.1", 0, GatewayConfig.DEFAULT_MAX_BODY)))) {
            server.store().scripts().push("tick.groovy", "args._schedule.slot", "bench");
            // A slot far enough ahead for the adds (about 1 ms each on H2), at a whole second, daily from then on.
            Instant slot = Instant.now().plusSeconds(15 + count / 500).truncatedTo(ChronoUnit.SECONDS);
            ZonedDateTime at = slot.atZone(ZoneOffset.UTC);
            String cron = at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " * * ?";
            long t0 = System.nanoTime();
            try (ExecutorService adders = Executors.newFixedThreadPool(4)) {
                List<Future<?>> adds = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    ScheduleSpec spec = new ScheduleSpec("due-" + i, cron, "UTC", "tick.groovy", null, Map.of(), null);
                    adds.add(adders.submit(() -> server.scheduler().add(spec, "bench")));
                }
                for (Future<?> f : adds) {
                    f.get();
                }
            }
            long addMs = (System.nanoTime() - t0) / 1_000_000;
            if (!Instant.now().isBefore(slot)) {
                throw new IllegalStateException("adding took past the slot " + slot + ": use fewer schedules");
            }
            // Wait for every schedule to have handled the slot (fired or missed).
            long fired;
            long missed;
            Instant deadline = slot.plusSeconds(120);
            while (true) {
                Thread.sleep(Math.max(50, Duration.between(Instant.now(), slot).toMillis()));
                List<ScheduleRecord> all = server.store().schedules().list();
                fired = all.stream().mapToLong(ScheduleRecord::fired).sum();
                missed = all.stream().mapToLong(ScheduleRecord::missed).sum();
                if (fired + missed >= count || Instant.now().isAfter(deadline)) {
                    break;
                }
            }
            server.store().writer().flush();
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            String cursor = null;
            do {
                RunPage page = server.store().runs().list(new RunQuery(null, "tick.groovy", null, RunQuery.MAX_LIMIT, cursor));
                for (RunRecord run : page.runs()) {
                    long lag = Duration.between(slot, run.createdAt()).toMillis();
                    first = Math.min(first, lag);
                    last = Math.max(last, lag);
                }
                cursor = page.next();
            } while (cursor != null);
            return new Result(count, fired, missed, first, last, addMs);
        }
    }
}
