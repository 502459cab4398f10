package io.steward.cli;

import io.steward.client.StewardClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code steward cluster …}: the primaries sharing one database (docs/cluster.md). Any primary answers the same, since
 * the answer is read from the database.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Several primaries on one PostgreSQL database: who is alive, their agents, who holds each lease."},
        subcommands = {ClusterCommand.Status.class})
final class ClusterCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to do: status");
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = {
            "Show the primaries (alive, last seen, their agents) and the holder of each lease: schedule (fires "
                    + "schedules), lost (marks LOST the runs of primaries that died), retention (prunes history).",
            "e.g. steward cluster status --json"})
    static final class Status implements Callable<Integer> {
        @Mixin
        RemoteOptions remote;

        @Override
        public Integer call() {
            try (StewardClient client = remote.connect()) {
                Map<String, Object> cluster = client.cluster();
                if (remote.json) {
                    remote.printJson(cluster); // {self, ttlMs, beatMs, primaries: [{id, url, started, seenAt, alive, agents}], leases}
                    return ExitCodes.OK;
                }
                PrintWriter out = remote.out();
                Object self = cluster.get("self");
                Table primaries = new Table("PRIMARY", "ALIVE", "URL", "STARTED", "SEEN", "AGENTS", "AGENT NAMES");
                for (Map<String, Object> p : maps(cluster.get("primaries"))) {
                    Map<String, Object> agents = RunView.map(p.get("agents"));
                    List<?> names = agents.get("names") instanceof List<?> l ? l : List.of();
                    primaries.row(p.get("id") + (p.get("id").equals(self) ? " (this)" : ""),
                            Boolean.TRUE.equals(p.get("alive")) ? "yes" : "no", p.get("url"), Format.time(p.get("started")),
                            Format.time(p.get("seenAt")), agents.get("count"), names(names));
                }
                primaries.print(out, remote.terminal());
                out.println();
                Table leases = new Table("LEASE", "HOLDER", "EXPIRES", "STATE");
                for (Map<String, Object> l : maps(cluster.get("leases"))) {
                    leases.row(l.get("name"), l.get("holder"), Format.time(l.get("expiresAt")),
                            Boolean.TRUE.equals(l.get("expired")) ? "expired" : "held");
                }
                leases.print(out, remote.terminal());
                if (cluster.get("beatMs") != null) { // a primary of an older version does not say
                    out.println();
                    out.println("Leases last " + Format.duration(cluster.get("ttlMs")) + " and are renewed every "
                            + Format.duration(cluster.get("beatMs")) + " (this primary's --lease-ttl and --lease-beat).");
                }
                out.flush();
                return ExitCodes.OK;
            }
        }

        /** The first few names: ten thousand agents make a line no table can show. */
        private static String names(List<?> names) {
            int shown = Math.min(names.size(), 5);
            String text = String.join(",", names.subList(0, shown).stream().map(String::valueOf).toList());
            return names.size() > shown ? text + ",… (+" + (names.size() - shown) + ")" : text;
        }

        @SuppressWarnings("unchecked")
        private static List<Map<String, Object>> maps(Object value) {
            return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
        }
    }
}
