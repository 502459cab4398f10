package io.steward.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one cluster fleet run measured (see {@link ClusterFleet}); {@link #markdown} is the table the report prints and
 * writes to {@code bench/results/}.
 *
 * @param reach             children of a fan-out to {@code role=sim} through each primary alone: every agent, since
 *                          a fan-out reaches the agents of other primaries too
 * @param soloSeconds       how long each of those took, invoke to answer
 * @param children          children of the measured fan-out (or, per primary, of the concurrent fan-outs)
 * @param succeeded         of those, how many ended SUCCEEDED
 * @param agentsReached     how many distinct agents those children ran on
 * @param sinceInvokeP50Ms  per agent: from its fan-out's invoke (the parent's creation on its primary) to its child's
 *                          end as the agent reported it; the child's own created time is the agent's too, so a child's
 *                          created-to-ended says nothing of the primary and is not shown
 */
record ClusterFleetFigures(ClusterFleet.Settings settings, String loadBefore, String loadAfter,
                           double linkSeconds, List<Long> idleRss, List<Long> baseRss, List<Long> peakRss,
                           List<Double> idleCpuShare, double loadJvmIdleCpuShare, double postgresIdleCpuShare,
                           List<Integer> reach, List<Double> soloSeconds,
                           int children, int succeeded, int agentsReached, List<Double> fanOutSeconds, double wholeFanOutSeconds,
                           double sinceInvokeP50Ms, double sinceInvokeP99Ms,
                           long eventRows, double eventRowsPerSecond, double eventsStoredPerSecondByMetrics,
                           double postgresCpuSeconds, List<Double> primaryCpuSeconds, double loadJvmCpuSeconds) {

    /** Events stored per CPU-second of PostgreSQL during the fan-out: the "events/s per PostgreSQL core" figure. */
    double eventsPerPostgresCpuSecond() {
        return postgresCpuSeconds > 0 ? eventRows / postgresCpuSeconds : Double.NaN;
    }

    /** Resident memory each linked agent added to its primary: idle-with-agents less before-agents, per agent. */
    List<Double> rssPerAgentKiB() {
        List<Double> per = new ArrayList<>();
        for (int i = 0; i < idleRss.size(); i++) {
            per.add((idleRss.get(i) - baseRss.get(i)) / 1024.0 / settings.agentsOf(i));
        }
        return per;
    }

    String markdown() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Cluster fleet: %,d simulated agents over %d primaries (steward server JVMs, -Xmx%s) on one "
                        + "PostgreSQL schema, %d cores, Java %s; agents' poll %s, heartbeat %s; load average %s before, %s after%n%n",
                settings.agents(), settings.primaries(), settings.primaryHeap(), Runtime.getRuntime().availableProcessors(),
                Runtime.version(), human(settings.poll()), human(settings.heartbeat()), loadBefore, loadAfter));
        s.append("| metric | value |\n| --- | --- |\n");
        row(s, String.format(Locale.ROOT, "time for all %,d agents to link (%d joining at once)", settings.agents(),
                settings.joinThreads()), String.format(Locale.ROOT, "%.1f s", linkSeconds));
        row(s, "fan-out to role=sim through one primary alone: children it made, of " + String.format(Locale.ROOT, "%,d agents",
                settings.agents()), join(reach.stream().map(n -> String.format(Locale.ROOT, "%,d", n)).toList()));
        row(s, "that fan-out through one primary alone, invoke to answer", seconds(soloSeconds));
        row(s, (settings.perPrimary() ? String.format(Locale.ROOT, "%d fan-outs at once, one per primary",
                        settings.primaries()) : "one fan-out to role=sim through the first primary") + ": children SUCCEEDED",
                String.format(Locale.ROOT, "%,d of %,d, on %,d distinct agents", succeeded, children, agentsReached));
        row(s, "whole fan-out, first invoke to last answer", String.format(Locale.ROOT, "%.2f s", wholeFanOutSeconds));
        if (settings.perPrimary()) {
            row(s, "each primary's fan-out, invoke to answer", seconds(fanOutSeconds));
        }
        row(s, "per agent: fan-out invoke to its child's end, p50 / p99",
                String.format(Locale.ROOT, "%.0f ms / %.0f ms", sinceInvokeP50Ms, sinceInvokeP99Ms));
        row(s, "events stored (run_events rows) per second of the fan-out",
                String.format(Locale.ROOT, "%,.0f /s (%,d rows)", eventRowsPerSecond, eventRows));
        row(s, "events stored per second, from steward_events_stored_total of all primaries",
                String.format(Locale.ROOT, "%,.0f /s", eventsStoredPerSecondByMetrics));
        row(s, "PostgreSQL CPU during the fan-out (all its processes)",
                String.format(Locale.ROOT, "%.2f CPU-s, %,.0f events per PostgreSQL CPU-second", postgresCpuSeconds,
                        eventsPerPostgresCpuSecond()));
        row(s, "each primary's CPU during the fan-out", cpu(primaryCpuSeconds, "CPU-s"));
        row(s, "the load JVM's CPU during the fan-out (every simulated agent)",
                String.format(Locale.ROOT, "%.2f CPU-s", loadJvmCpuSeconds));
        row(s, "each primary's RSS before agents", mib(baseRss));
        row(s, "each primary's RSS idle with its agents linked", mib(idleRss));
        row(s, "each primary's peak RSS (VmHWM, at the end)", mib(peakRss));
        row(s, "RSS added per linked agent", kib(rssPerAgentKiB()));
        row(s, String.format(Locale.ROOT, "each primary's CPU idle with its agents (share of one core, over %s)", human(settings.idle())),
                percent(idleCpuShare));
        row(s, "PostgreSQL's CPU meanwhile (all its processes, share of one core)",
                String.format(Locale.ROOT, "%.1f %%", postgresIdleCpuShare * 100));
        row(s, "the load JVM's CPU idle (all simulated agents answering polls)",
                String.format(Locale.ROOT, "%.1f %%", loadJvmIdleCpuShare * 100));
        return s.toString();
    }

    private static String human(java.time.Duration d) {
        return d.toMillis() % 1000 != 0 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    private static void row(StringBuilder s, String metric, String value) {
        s.append("| ").append(metric).append(" | ").append(value).append(" |\n");
    }

    private static String seconds(List<Double> values) {
        return join(values.stream().map(v -> String.format(Locale.ROOT, "%.2f s", v)).toList());
    }

    private static String cpu(List<Double> values, String unit) {
        return join(values.stream().map(v -> String.format(Locale.ROOT, "%.2f %s", v, unit)).toList());
    }

    private static String percent(List<Double> values) {
        return join(values.stream().map(v -> String.format(Locale.ROOT, "%.1f %%", v * 100)).toList());
    }

    private static String mib(List<Long> values) {
        return join(values.stream().map(v -> String.format(Locale.ROOT, "%.0f MiB", v / 1048576.0)).toList());
    }

    private static String kib(List<Double> values) {
        return join(values.stream().map(v -> String.format(Locale.ROOT, "%.0f KiB", v)).toList());
    }

    private static String join(List<String> values) {
        return String.join(" / ", values);
    }
}
