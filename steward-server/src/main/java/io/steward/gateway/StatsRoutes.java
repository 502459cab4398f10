package io.steward.gateway;

import io.javalin.http.Context;
import io.steward.coordinator.RunState;
import io.steward.gateway.wire.RecentRun;
import io.steward.gateway.wire.RunStats;
import io.steward.gateway.wire.ScriptStats;
import io.steward.gateway.wire.StatsBucket;
import io.steward.store.RunStatistics;
import io.steward.store.StatsQuery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.steward.gateway.Operation.op;

/**
 * {@code GET /api/v1/stats/runs}: the store's run statistics for the console's charts (docs/api.md, "Run
 * statistics"). A script-scoped token's answer covers only its scripts, buckets included: the scope's glob cannot be
 * said in SQL, so the names of the scripts with runs in the window are read first and the glob picks among them.
 */
final class StatsRoutes {
    static final Duration DEFAULT_HOURS = Duration.ofHours(24);
    static final Duration DEFAULT_DAYS = Duration.ofDays(30);
    private static final int DEFAULT_RECENT = 20;

    private final RunStatistics statistics;
    private final Clock clock;

    StatsRoutes(RunStatistics statistics, Clock clock) {
        this.statistics = statistics;
        this.clock = clock;
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/stats/runs", Access.VIEWER, op("runs", "getRunStats",
                "Run statistics per time bucket (counts by final state, duration p50/p95) and per script (success "
                        + "rate, recent runs)")
                .query("since", String.class, "the start of the window: an ISO-8601 instant, or a duration back from "
                        + "now such as 24h or 168h (24h for bucket=hour, 720h for bucket=day); rounded down to a "
                        + "bucket start")
                .query("bucket", String.class, "hour (default) or day; at most " + StatsQuery.MAX_BUCKETS
                        + " buckets in one answer")
                .query("script", String.class, "only runs of this script")
                .query("recent", Integer.class, "how many recent runs per script, 0 to " + StatsQuery.MAX_RECENT
                        + " (" + DEFAULT_RECENT + ")")
                .describe("A run counts in the bucket in which it ended. Live runs are in no bucket but may be among "
                        + "a script's recent runs. A script outside a scoped token's scope is a 403.")
                .answers(200, RunStats.class), this::runs);
    }

    private void runs(Context ctx) {
        Caller caller = Caller.of(ctx);
        StatsQuery.Bucket bucket = bucket(ctx.queryParam("bucket"));
        Instant now = clock.instant();
        Instant since = since(ctx.queryParam("since"), now, bucket == StatsQuery.Bucket.DAY ? DEFAULT_DAYS : DEFAULT_HOURS);
        int recent = recent(ctx.queryParam("recent"));
        String script = ctx.queryParam("script");
        Set<String> scripts = null;
        if (script != null) {
            if (script.isBlank()) {
                throw ApiError.badRequest("script must name a script, such as deploy/web.groovy; leave it out for all");
            }
            caller.scope().checkScript(caller, script);
            scripts = Set.of(script);
        }
        StatsQuery query;
        try {
            query = new StatsQuery(since, now, bucket, scripts, recent);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        if (scripts == null && caller.scope().scripts() != null) {
            Set<String> allowed = statistics.scriptsWithRuns(query.since(), query.until()).stream()
                    .filter(caller.scope()::allowsScript).collect(Collectors.toSet());
            query = new StatsQuery(query.since(), query.until(), bucket, allowed, recent);
        }
        ctx.json(wire(statistics.compute(query)));
    }

    static RunStats wire(io.steward.store.RunStats stats) {
        Map<RunState, Long> totals = new EnumMap<>(RunState.class);
        List<StatsBucket> buckets = stats.buckets().stream().map(b -> {
            b.counts().forEach((state, n) -> totals.merge(state, n, Long::sum));
            return new StatsBucket(b.start().toString(), names(b.counts()), b.total(), b.p50Ms(), b.p95Ms());
        }).toList();
        List<ScriptStats> scripts = stats.scripts().stream().map(s -> new ScriptStats(s.script(), s.runs(),
                s.succeeded(), s.successRate(), s.recent().stream().map(r -> new RecentRun(r.id(), r.state(),
                r.durationMs(), text(r.startedAt()), text(r.endedAt()))).toList())).toList();
        return new RunStats(stats.since().toString(), stats.until().toString(),
                stats.bucket().name().toLowerCase(Locale.ROOT), buckets, names(totals), scripts);
    }

    private static Map<String, Long> names(Map<RunState, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((state, n) -> out.put(state.name(), n));
        return out;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    private static StatsQuery.Bucket bucket(String text) {
        if (text == null || text.equals("hour")) {
            return StatsQuery.Bucket.HOUR;
        }
        if (text.equals("day")) {
            return StatsQuery.Bucket.DAY;
        }
        throw ApiError.badRequest("bucket must be hour or day, not '" + text + "'");
    }

    private static Instant since(String text, Instant now, Duration fallback) {
        if (text == null) {
            return now.minus(fallback);
        }
        if (text.contains("T")) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw ApiError.badRequest("since must be an ISO-8601 instant such as 2026-01-31T12:00:00Z or a "
                        + "duration back from now such as 24h, not '" + text + "'");
            }
        }
        try {
            return now.minus(io.steward.client.Durations.parse(text));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("since must be an ISO-8601 instant such as 2026-01-31T12:00:00Z or a "
                    + "duration back from now such as 24h, not '" + text + "'");
        }
    }

    private static int recent(String text) {
        if (text == null) {
            return DEFAULT_RECENT;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 0 && n <= StatsQuery.MAX_RECENT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("recent must be a whole number from 0 to " + StatsQuery.MAX_RECENT + ", not '"
                + text + "'");
    }
}
