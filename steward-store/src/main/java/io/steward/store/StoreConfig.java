package io.steward.store;

import io.steward.engine.Engine;
import io.steward.engine.ScriptLanguage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * How to open a {@link Store}: which database, how many connections, which script languages, how long to keep
 * finished runs.
 *
 * <p>Without a JDBC URL the store is an embedded H2 file, {@code <dataDir>/steward.mv.db}. Every H2 URL gets
 * {@code WRITE_DELAY=0} unless it sets its own: H2's default keeps commits in memory for up to half a second,
 * and a {@code kill -9} in that window loses them (the store's tests show it). With 0, each commit is written
 * to the file before it returns, so a killed process loses nothing it committed; only an operating-system crash
 * or power loss can still lose the last commits, since H2 does not fsync each one (use PostgreSQL where that
 * matters). {@code DB_CLOSE_ON_EXIT=FALSE} keeps H2's own shutdown hook from closing the database under the
 * event writer while the store drains it.
 */
public final class StoreConfig {
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final int poolSize;
    private final Map<String, String> languages;
    private final Duration keepFor;
    private final int keepRuns;
    private final Duration pruneEvery;
    /**
     * How long the event writer waits, once the first of a burst of events woke it, for the rest to join the same
     * commit (unless someone flushes). See docs/perf/exec-profile.md for what it was measured to save.
     */
    public static final Duration DEFAULT_WRITER_LINGER = Duration.ofNanos(Long.getLong("steward.writer.lingerMicros", 0) * 1000);

    private final int maxBatch;
    private final Duration writerLinger;
    private final Duration writerHold;
    private final Duration writerShareIdle;
    private final Path dataDir;
    private final String secretKey;
    private final String primaryId;

    private StoreConfig(Builder b) {
        if (b.jdbcUrl == null && b.dataDir == null) {
            throw new IllegalArgumentException("the store needs a data directory or a JDBC URL");
        }
        this.jdbcUrl = h2Defaults(b.jdbcUrl != null ? b.jdbcUrl
                : "jdbc:h2:file:" + b.dataDir.toAbsolutePath().normalize().resolve("steward"));
        this.user = b.user != null ? b.user : (jdbcUrl.startsWith("jdbc:h2:") ? "steward" : null);
        this.password = b.password != null ? b.password : "";
        this.poolSize = b.poolSize;
        this.languages = Map.copyOf(b.languages != null ? b.languages : installedLanguages());
        this.keepFor = b.keepFor;
        this.keepRuns = b.keepRuns;
        this.pruneEvery = b.pruneEvery;
        this.maxBatch = b.maxBatch;
        this.writerLinger = b.writerLinger;
        this.writerHold = b.writerHold;
        this.writerShareIdle = b.writerShareIdle;
        this.dataDir = b.dataDir;
        this.secretKey = b.secretKey;
        this.primaryId = b.primaryId;
    }

    /**
     * The id of the primary this store serves, written into every run it starts ({@code runs.primary_id}):
     * several primaries on one database tell their runs apart by it.
     */
    public String primaryId() {
        return primaryId;
    }

    /** The primary's data folder, where {@code secret.key} lives unless a key is given; may be null. */
    Path dataDir() {
        return dataDir;
    }

    /** The secret key in base64 ({@code STEWARD_SECRET_KEY} by default), or null to use the data folder's. */
    String secretKey() {
        return secretKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The embedded default: an H2 file in {@code dataDir}. */
    public static StoreConfig embedded(Path dataDir) {
        return builder().dataDir(dataDir).build();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public int poolSize() {
        return poolSize;
    }

    /** Script file extensions (with the dot) and the id of the language each names. */
    public Map<String, String> languages() {
        return languages;
    }

    public Set<String> extensions() {
        return languages.keySet();
    }

    /** Finished runs older than this are pruned; {@code null} keeps them regardless of age. */
    public Duration keepFor() {
        return keepFor;
    }

    /** At most this many finished runs are kept; 0 keeps any number. */
    public int keepRuns() {
        return keepRuns;
    }

    /** How often the {@link HistoryPruner} runs; {@code null} never in the background. */
    public Duration pruneEvery() {
        return pruneEvery;
    }

    /** The most events and records the event writer commits in one transaction. */
    public int maxBatch() {
        return maxBatch;
    }

    /** How long the event writer lets a burst of events gather before it commits them (see WriterLoop). */
    public Duration writerLinger() {
        return writerLinger;
    }

    /** The longest the event writer holds the records of a run whose invoker waits for its end (see WriterLoop). */
    public Duration writerHold() {
        return writerHold;
    }

    /**
     * How long the event writer waits, idle, before it commits the logged batches of answered runs, which share one
     * commit (embedded H2 only; see WriterLoop#defer).
     */
    public Duration writerShareIdle() {
        return writerShareIdle;
    }

    @Override
    public String toString() {
        // Never the password.
        return "StoreConfig[" + jdbcUrl + ", user=" + user + ", pool=" + poolSize + "]";
    }

    private static String h2Defaults(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return url;
        }
        String upper = url.toUpperCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(url);
        if (!upper.contains(";WRITE_DELAY=")) {
            sb.append(";WRITE_DELAY=0");
        }
        if (!upper.contains(";DB_CLOSE_ON_EXIT=")) {
            sb.append(";DB_CLOSE_ON_EXIT=FALSE");
        }
        return sb.toString();
    }

    private static Map<String, String> installedLanguages() {
        Map<String, String> found = new LinkedHashMap<>();
        for (ScriptLanguage language : ServiceLoader.load(ScriptLanguage.class, StoreConfig.class.getClassLoader())) {
            found.putIfAbsent(language.extension(), language.id());
        }
        return found;
    }

    /** Connections to the database each primary keeps at most, unless told otherwise ({@code --db-pool}). */
    public static final int DEFAULT_POOL_SIZE = 8;

    public static final class Builder {
        private Path dataDir;
        private String jdbcUrl;
        private String user;
        private String password;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Map<String, String> languages;
        private Duration keepFor = Duration.ofDays(30);
        private int keepRuns = 100_000;
        private Duration pruneEvery = Duration.ofHours(1);
        private int maxBatch = 4096;
        private Duration writerLinger = DEFAULT_WRITER_LINGER;
        private Duration writerHold = Duration.ofMillis(20);
        private Duration writerShareIdle = Duration.ofMillis(1);
        private String secretKey = System.getenv(SecretKeys.VARIABLE);
        private String primaryId = "primary";

        private Builder() {
        }

        /** This primary's id ({@code primary.id} in its data folder); "primary" when only one ever runs. */
        public Builder primaryId(String primaryId) {
            if (primaryId == null || primaryId.isBlank() || primaryId.length() > 64) {
                throw new IllegalArgumentException("a primary id is 1 to 64 characters, not " + primaryId);
            }
            this.primaryId = primaryId;
            return this;
        }

        /**
         * The key secret args are sealed with, 32 bytes in base64; by default {@code STEWARD_SECRET_KEY}, and
         * without it {@code <dataDir>/secret.key} (made on first start). Several primaries on one database need
         * the same key.
         */
        public Builder secretKey(String base64) {
            this.secretKey = base64;
            return this;
        }

        /** Where the embedded H2 file lives when no JDBC URL is given. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** {@code jdbc:postgresql://host:port/db} or {@code jdbc:h2:…}; {@code null} for the embedded default. */
        public Builder jdbcUrl(String jdbcUrl) {
            this.jdbcUrl = jdbcUrl == null || jdbcUrl.isBlank() ? null : jdbcUrl;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder poolSize(int poolSize) {
            if (poolSize < 2) {
                // The event writer holds one connection while it commits; the rest serve readers.
                throw new IllegalArgumentException("pool size must be at least 2, not " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /** Script extensions (with the dot) to language ids; by default every language on the class path. */
        public Builder languages(Map<String, String> extensionToLanguage) {
            this.languages = new LinkedHashMap<>(extensionToLanguage);
            return this;
        }

        /** The languages of an engine: the store accepts exactly the scripts that engine can run. */
        public Builder languages(Engine engine) {
            Map<String, String> map = new LinkedHashMap<>();
            for (ScriptLanguage language : engine.languages()) {
                map.put(language.extension(), language.id());
            }
            return languages(map);
        }

        /** Keep finished runs for {@code keepFor} (null: any age) and at most {@code keepRuns} (0: any number). */
        public Builder retention(Duration keepFor, int keepRuns) {
            if (keepFor != null && (keepFor.isNegative() || keepFor.isZero())) {
                throw new IllegalArgumentException("retention must be positive, not " + keepFor);
            }
            if (keepRuns < 0) {
                throw new IllegalArgumentException("runs to keep must be 0 (any number) or more, not " + keepRuns);
            }
            this.keepFor = keepFor;
            this.keepRuns = keepRuns;
            return this;
        }

        /** How often the history pruner runs in the background; {@code null} turns it off. */
        public Builder pruneEvery(Duration pruneEvery) {
            this.pruneEvery = pruneEvery;
            return this;
        }

        public Builder maxBatch(int maxBatch) {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("max batch must be positive, not " + maxBatch);
            }
            this.maxBatch = maxBatch;
            return this;
        }

        /** Zero commits each burst as soon as the writer is free; see {@link StoreConfig#DEFAULT_WRITER_LINGER}. */
        public Builder writerLinger(Duration linger) {
            if (linger.isNegative()) {
                throw new IllegalArgumentException("the writer's linger must not be negative, not " + linger);
            }
            this.writerLinger = linger;
            return this;
        }

        /**
         * How long the event writer may hold back the records of a run answered at its end, waiting for that end
         * so as to commit the run once; a longer run's events are committed at least this often.
         */
        public Builder writerHold(Duration hold) {
            if (hold.isNegative()) {
                throw new IllegalArgumentException("the writer's hold must not be negative, not " + hold);
            }
            this.writerHold = hold;
            return this;
        }

        /** See {@link StoreConfig#writerShareIdle}; longer gathers more answered runs into a commit. */
        public Builder writerShareIdle(Duration idle) {
            if (idle.isNegative() || idle.isZero()) {
                throw new IllegalArgumentException("the writer's idle wait before a shared commit must be positive, not "
                        + idle);
            }
            this.writerShareIdle = idle;
            return this;
        }

        public StoreConfig build() {
            return new StoreConfig(this);
        }
    }
}
