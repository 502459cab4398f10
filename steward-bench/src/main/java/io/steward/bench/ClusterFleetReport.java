package io.steward.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Issue 15's benchmark: 10,000 simulated agents over 3 {@code steward server} processes on one PostgreSQL, a fan-out
 * to all of them (see {@link ClusterFleet}). Run by {@code bench/run --only cluster-fleet}; {@code --agents 300} is a
 * quick form. Prints a Markdown table and, with {@code --out DIR}, writes it to {@code DIR/cluster-fleet-TIME.md}.
 *
 * <pre>
 * ClusterFleetReport --cli-jar steward-all.jar [--agents N] [--primaries N] [--poll 30s] [--heartbeat 30s]
 *                    [--grace 120s] [--idle 60s] [--primary-heap 1g] [--join-threads 16] [--per-primary true] [--db JDBC_URL]
 *                    [--db-user USER] [--out DIR]
 * </pre>
 * The database password comes from {@code STEWARD_DB_PASSWORD}, else {@code STEWARD_TEST_PG_PASSWORD}; the URL and
 * user default to {@code STEWARD_TEST_PG_URL} and {@code STEWARD_TEST_PG_USER} ({@code eval "$(.ci/postgres --env)"}).
 */
public final class ClusterFleetReport {
    private static final String USAGE = "usage: ClusterFleetReport --cli-jar JAR [--agents N] [--primaries N] [--poll DURATION] "
            + "[--heartbeat DURATION] [--grace DURATION] [--idle DURATION] [--primary-heap SIZE] [--join-threads N] [--per-primary true] "
            + "[--db JDBC_URL] [--db-user USER] [--out DIR]";

    private ClusterFleetReport() {
    }

    public static void main(String[] args) throws Exception {
        try {
            Map<String, String> given = options(args);
            String jar = given.get("--cli-jar");
            if (jar == null || !Files.isRegularFile(Path.of(jar))) {
                throw new IllegalArgumentException("--cli-jar must name steward-all.jar (build it with mvn -pl steward-cli -am "
                        + "package), not " + jar);
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ClusterFleet.Settings settings = settings(given, List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar));
            String out = given.get("--out");
            ClusterFleetFigures figures = run(settings);
            String table = figures.markdown();
            System.out.println();
            System.out.println(table);
            if (out != null) {
                String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
                Path file = Files.createDirectories(Path.of(out)).resolve("cluster-fleet-" + stamp + ".md");
                Files.writeString(file, "# " + table);
                System.out.println("written to " + file);
            }
        } catch (IllegalArgumentException bad) {
            System.err.println("cluster-fleet: " + bad.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    /** One run in a temporary folder (the primaries' data and logs), removed afterwards unless it failed. */
    static ClusterFleetFigures run(ClusterFleet.Settings settings) throws Exception {
        Path work = Files.createTempDirectory("steward-cluster-fleet");
        ClusterFleetFigures figures;
        try {
            figures = new ClusterFleet(settings, System.out).run(work);
        } catch (Exception | Error e) {
            System.err.println("cluster-fleet: the primaries' logs are kept in " + work);
            throw e;
        }
        Startup.deleteTree(work);
        return figures;
    }

    /** The settings from the options, with the JVM command that starts {@code steward} (heap flags added later). */
    static ClusterFleet.Settings settings(Map<String, String> given, List<String> java) {
        String url = given.getOrDefault("--db", System.getenv("STEWARD_TEST_PG_URL"));
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no PostgreSQL: give --db JDBC_URL, or run `eval \"$(.ci/postgres --env)\"` first");
        }
        String user = given.getOrDefault("--db-user", System.getenv().getOrDefault("STEWARD_TEST_PG_USER", "steward_test"));
        String password = System.getenv("STEWARD_DB_PASSWORD") != null ? System.getenv("STEWARD_DB_PASSWORD")
                : System.getenv().getOrDefault("STEWARD_TEST_PG_PASSWORD", "");
        return new ClusterFleet.Settings(number(given, "--agents", 10_000), number(given, "--primaries", 3), java,
                given.getOrDefault("--primary-heap", "1g"), url, user, password,
                duration(given, "--poll", "30s"), duration(given, "--heartbeat", "30s"), duration(given, "--grace", "120s"),
                duration(given, "--idle", "60s"), number(given, "--join-threads", 16),
                Boolean.parseBoolean(given.getOrDefault("--per-primary", "false")));
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> given = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("'" + args[i] + "' is not an option with a value");
            }
            given.put(args[i], args[++i]);
        }
        return given;
    }

    private static int number(Map<String, String> given, String option, int otherwise) {
        String v = given.get(option);
        try {
            int n = v == null ? otherwise : Integer.parseInt(v.replace(",", "").replace("_", ""));
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number of 1 or more, not '" + v + "'");
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}. */
    static Duration duration(Map<String, String> given, String option, String otherwise) {
        String v = given.getOrDefault(option, otherwise).strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(option + " must be a duration such as 500ms, 30s or 2m, not '" + v + "'");
        }
    }
}
