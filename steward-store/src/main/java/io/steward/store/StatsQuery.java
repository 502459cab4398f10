package io.steward.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Which run statistics to compute: the runs that ended from {@code since} (rounded down to a bucket start) until
 * {@code until}, in buckets of one hour or one day (UTC), of every script or of the given ones.
 *
 * @param since   the start of the window; rounded down to the start of its bucket
 * @param until   the end of the window (exclusive), usually now
 * @param bucket  {@link Bucket#HOUR} or {@link Bucket#DAY}
 * @param scripts only runs of these scripts, or {@code null} for every script; an empty set selects nothing
 * @param recent  how many recent runs to give per script (any state, newest first), 0 to {@link #MAX_RECENT}
 */
public record StatsQuery(Instant since, Instant until, Bucket bucket, Set<String> scripts, int recent) {
    public static final int MAX_RECENT = 100;
    /** The most buckets one answer holds: 93 days of hours, or about 5 years of days. */
    public static final int MAX_BUCKETS = 2232;

    /** The width of a time bucket; buckets start at whole hours or days UTC (epoch multiples). */
    public enum Bucket {
        HOUR(Duration.ofHours(1)), DAY(Duration.ofDays(1));

        private final Duration width;

        Bucket(Duration width) {
            this.width = width;
        }

        public Duration width() {
            return width;
        }

        long seconds() {
            return width.toSeconds();
        }

        /** The start of the bucket {@code at} falls in. */
        public Instant start(Instant at) {
            return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), seconds()) * seconds());
        }
    }

    public StatsQuery {
        if (since == null || until == null || bucket == null) {
            throw new IllegalArgumentException("since, until and bucket are required");
        }
        since = bucket.start(since);
        if (!since.isBefore(until)) {
            throw new IllegalArgumentException("since (" + since + ") must be before until (" + until + ")");
        }
        long buckets = Duration.between(since, until).toSeconds() / bucket.seconds() + 1;
        if (buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("since " + since + " is " + buckets + " " + bucket.name().toLowerCase()
                    + "s back, more than the " + MAX_BUCKETS + " buckets one answer holds: choose a later since"
                    + (bucket == Bucket.HOUR ? " or bucket=day" : ""));
        }
        if (recent < 0 || recent > MAX_RECENT) {
            throw new IllegalArgumentException("recent must be from 0 to " + MAX_RECENT + ", not " + recent);
        }
        scripts = scripts == null ? null : Set.copyOf(scripts);
    }
}
